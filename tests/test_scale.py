"""Parallel batches: splitting inputs into batches, the Parquet staging between the warehouse
steps and extraction, runs under the multiprocess executor, and recovery from killed runs.

The fast tests run without the spaCy model; the end-to-end one (marked slow) runs the CLI with
two workers and a staging folder outside DISPATCHES_HOME, standing in for object storage."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from assets import runs, staging
from pipelines import batches
from tests.conftest import STRIKE_TXT, subprocess_env, table_digest
from tests.test_cli import DISPATCHES, ok


def _files(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        p = folder / f"a{i:02d}.txt"
        p.write_text(f"Harvest report {i}\n\nFarmers in district {i} began the harvest early this year.\n", encoding="utf-8")
        out.append(p)
    return out


def test_split_manifest_covers_every_file_once_and_is_stable(tmp_path: Path):
    _files(tmp_path / "in", 7)
    whole = batches.make_manifest([tmp_path / "in"], origin="test")
    parts = batches.split_manifest(whole, 3)
    assert [len(p.files) for p in parts] == [3, 2, 2]
    assert sorted(f for p in parts for f in p.files) == whole.files
    assert len({p.batch_id for p in parts}) == 3 and whole.batch_id not in {p.batch_id for p in parts}
    again = batches.split_manifest(batches.make_manifest([tmp_path / "in"], origin="test"), 3)
    assert [p.batch_id for p in again] == [p.batch_id for p in parts]
    assert batches.split_manifest(whole, 1) == [whole]
    assert len(batches.split_manifest(whole, 50)) == 7  # never an empty batch


def test_staging_round_trip_is_atomic_and_refuses_odd_names(tmp_path: Path):
    uri = str(tmp_path / "stage")
    tbl = pa.table({"fact_id": ["x", "y"], "n": [1, 2]})
    path = staging.write(uri, "b0123", "strikes", tbl)
    assert path.endswith("batch_id=b0123/strikes.parquet")
    assert staging.read(uri, "b0123", "strikes").equals(tbl)
    assert staging.exists(uri, "b0123", "strikes") and not staging.exists(uri, "b0123", "visits")
    (tmp_path / "stage" / "batch_id=b0123" / ".strikes.dead.tmp").write_bytes(b"half a file")
    assert staging.clear_temporaries(uri, "b0123") == 1
    assert sorted(p.name for p in (tmp_path / "stage" / "batch_id=b0123").iterdir()) == ["strikes.parquet"]
    with pytest.raises(FileNotFoundError, match="materialize its upstream"):
        staging.read(uri, "b0123", "visits")
    for bad in ("../etc", "b/1", "", "b 1"):
        with pytest.raises(ValueError):
            staging.write(uri, bad, "strikes", tbl)
    # a URI works as well as a path (file:// here; s3:// and gs:// go through the same layer)
    assert staging.read(f"file://{tmp_path / 'stage'}", "b0123", "strikes").equals(tbl)


def test_a_killed_cli_run_is_marked_failed_and_frees_its_slot(tmp_path: Path):
    from dagster import DagsterInstance, DagsterRunStatus
    from dagster._core.test_utils import create_run_for_test

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    with DagsterInstance.ephemeral() as instance:
        dead = create_run_for_test(instance, job_name="process_batch", status=DagsterRunStatus.STARTED,
                                   tags={**runs.run_tags(), runs.PID_TAG: str(gone.pid)})
        alive = create_run_for_test(instance, job_name="process_batch", status=DagsterRunStatus.STARTED,
                                    tags=runs.run_tags())  # this very process: alive
        other_host = create_run_for_test(instance, job_name="process_batch", status=DagsterRunStatus.STARTED,
                                         tags={**runs.run_tags(), runs.PID_TAG: str(gone.pid), runs.HOST_TAG: "elsewhere"})
        assert runs.fail_dead_runs(instance) == [dead.run_id]
        assert instance.get_run_by_id(dead.run_id).status == DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(alive.run_id).status == DagsterRunStatus.STARTED
        assert instance.get_run_by_id(other_host.run_id).status == DagsterRunStatus.STARTED


def test_cli_refuses_zero_batches_or_workers(tmp_path: Path):
    src = _files(tmp_path / "in", 1)[0]
    for flag in ("--batches", "--workers"):
        out = subprocess.run([DISPATCHES, "run", str(src), flag, "0"], env=subprocess_env(tmp_path / "home"),
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 2 and "at least 1" in out.stderr


@pytest.mark.slow
def test_parallel_batches_under_the_multiprocess_executor_match_one_batch(tmp_path: Path):
    corpus = tmp_path / "corpus"
    _files(corpus, 4)
    (corpus / "strike.txt").write_text(STRIKE_TXT, encoding="utf-8")
    one, many = tmp_path / "one", tmp_path / "many"
    ok(subprocess.run([DISPATCHES, "run", "--quiet", str(corpus)], env=subprocess_env(one),
                      capture_output=True, text=True, timeout=300))
    elsewhere = tmp_path / "object-store"  # a staging location outside the home, as s3:// would be
    out = ok(subprocess.run([DISPATCHES, "run", "--quiet", str(corpus), "--batches", "3", "--workers", "2"],
                            env=subprocess_env(many, DISPATCHES_STAGING=str(elsewhere)),
                            capture_output=True, text=True, timeout=600))
    assert "3 batches" in out.stdout
    facts = ["articles", "strikes", "killings", "mentions", "quotes"]
    a, b = table_digest(one / "research.duckdb", facts), table_digest(many / "research.duckdb", facts)
    assert {t: n for t, (n, _) in a.items()} == {t: n for t, (n, _) in b.items()}
    assert a["strikes"][0] == 1
    staged = sorted(p.relative_to(elsewhere).as_posix() for p in elsewhere.rglob("*.parquet"))
    assert len(staged) == 3 * 7 and not (many / "staging").exists()
    # the three runs are in the instance the UI reads, each with the multiprocess executor
    from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

    with DagsterInstance.from_config(str(many / "dagster")) as instance:
        done = instance.get_runs(filters=RunsFilter(statuses=[DagsterRunStatus.SUCCESS]))
        assert len(done) == 3 and all(r.tags.get("dispatches/origin") == "cli" for r in done)
        events = instance.all_logs(done[0].run_id)
        assert any("in subprocess" in (e.message or "") for e in events)
