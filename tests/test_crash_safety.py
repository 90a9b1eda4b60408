"""Crash safety: kill -9 at any moment leaves the warehouse and research.duckdb in their last
complete state, and the next run cleans up and converges.

Two tests kill a subprocess that loops over the real write paths (replace_batch, the research
database rebuild) on a small warehouse, without the model, at random moments. The last kills the
real CLI at each stage of a run (ingest, extraction, fact load, publish) on six articles, at a
point the stage announces (DISPATCHES_TEST_PAUSE_AT, assets/progress.py), and runs it again.
`python -m benchmarks.crash` kills ingest, extraction and publish on a bigger corpus, at the
moment the Dagster step has started, and prints the figures."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from assets import warehouse

N = 1500
ROOT = Path(__file__).resolve().parent.parent


def _articles(batch_id: str, n: int, version: int) -> list[dict]:
    now = datetime(2024, 5, 1, tzinfo=timezone.utc)
    body = ("Officials met on Monday to discuss the harvest and the new road. " * 30)
    return [{"article_id": f"a{i:05d}", "batch_id": batch_id, "published_at_source": "none", "language": "en",
             "is_english": True, "text": f"{body} v{version} {i}", "n_words": 300, "input_path": "/in/x.jsonl",
             "input_record": str(i), "ingested_at": now} for i in range(n)]


def _warehouse(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        warehouse.ensure_schema(con)
        con.execute("INSERT INTO batches VALUES ('b1', now(), ['/in'], 1, 'test')")
        warehouse.replace_batch(con, "articles", "b1", _articles("b1", N, 0))


_LOOP = r"""
import sys
from pathlib import Path
import duckdb
sys.path.insert(0, {root!r})
from assets import warehouse
from tests.test_crash_safety import _articles
mode, db, target = sys.argv[1], sys.argv[2], Path(sys.argv[3])
version = 0
while True:
    version += 1
    if mode == "write":
        with duckdb.connect(db) as con:
            warehouse.replace_batch(con, "articles", "b1", _articles("b1", {n}, version))
    else:
        with duckdb.connect(db, read_only=True) as con:
            warehouse.publish_research_db(con, target, {{"version": version}})
    print(version, flush=True)
"""


def _kill_loop(mode: str, db: Path, target: Path, kills: int = 4) -> int:
    """Start the loop, let it complete at least one round, kill -9 it at a random moment; repeat."""
    script = _LOOP.format(root=str(ROOT), n=N)
    rounds, rng = 0, random.Random(11)
    for _ in range(kills):
        proc = subprocess.Popen([sys.executable, "-c", script, mode, str(db), str(target)],
                                stdout=subprocess.PIPE, text=True)
        proc.stdout.readline()  # one complete round
        time.sleep(rng.uniform(0.05, 0.6))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        rounds += 1
    return rounds


def test_a_batch_write_killed_midway_leaves_all_or_nothing(tmp_path: Path):
    db = tmp_path / "warehouse.duckdb"
    _warehouse(db)
    _kill_loop("write", db, tmp_path / "unused")
    with duckdb.connect(str(db), read_only=True) as con:  # DuckDB replays its log: the last committed write
        n, distinct, versions = con.execute(
            "SELECT count(*), count(DISTINCT article_id), count(DISTINCT regexp_extract(text, ' v(\\d+) ', 1)) FROM articles").fetchone()
    assert (n, distinct, versions) == (N, N, 1)


def test_a_publish_killed_midway_keeps_the_previous_research_db(tmp_path: Path):
    db, target = tmp_path / "warehouse.duckdb", tmp_path / "research.duckdb"
    _warehouse(db)
    with duckdb.connect(str(db), read_only=True) as con:
        warehouse.publish_research_db(con, target, {"version": 0})
    _kill_loop("publish", db, target)
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == N
        assert con.execute("SELECT count(*) FROM dataset_metadata").fetchone()[0] >= 1
    with duckdb.connect(str(db), read_only=True) as con:  # the next publish removes what the kills left
        warehouse.publish_research_db(con, target, {"version": "last"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["research.duckdb", "warehouse.duckdb"]


# ---------------------------------------------------------------------------------------------
# The real CLI, killed at each stage of a run (DISPATCHES_TEST_PAUSE_AT, assets/progress.py)
# ---------------------------------------------------------------------------------------------

class PausedChild:
    """`dispatches run CORPUS` in a subprocess (its own process group) that stops at `stage`'s
    pause point; a thread collects its stderr, where the pause point prints its marker line."""

    def __init__(self, stage: str, home: Path, corpus: Path):
        from assets.progress import PAUSE_ENV
        from tests.conftest import VENV_BIN, subprocess_env

        self.stage, self.home = stage, home
        env = subprocess_env(home, **{PAUSE_ENV: stage, "DISPATCHES_STAGING": ""})
        self.proc = subprocess.Popen([str(VENV_BIN / "dispatches"), "run", "--quiet", str(corpus)], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
        self.lines: list[str] = []
        self.marker_or_end = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        from assets.progress import PAUSE_MARKER

        for line in self.proc.stderr:
            self.lines.append(line)
            if line.startswith(PAUSE_MARKER):
                self.marker_or_end.set()
        self.marker_or_end.set()  # the child ended (or was killed)

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()


def _inspect(db: Path, tmp: Path):
    """A read-only connection to a copy of a DuckDB file and its WAL, as a kill left them (the
    original is left untouched for the re-run to recover)."""
    tmp.mkdir(parents=True, exist_ok=True)
    for f in (db, db.with_name(db.name + ".wal")):
        if f.exists():
            shutil.copyfile(f, tmp / f.name)
    return duckdb.connect(str(tmp / db.name), read_only=True)


def _check_crash_state(stage: str, home: Path, clean: Path, batch_id: str, tmp: Path) -> None:
    """What a kill at `stage` leaves: the stage's writes so far, nothing of the later stages, and
    no research.duckdb (this is the home's first run: nothing is published half-way)."""
    from assets.warehouse import EVENT_TABLES, FACT_TABLES, INGEST_TABLES
    from tests.conftest import REGISTRATION_COLUMNS, table_rows

    assert not (home / "research.duckdb").exists(), "a run killed before its publish was renamed into place published"
    staged = home / "staging" / f"batch_id={batch_id}"
    staged_names = sorted(p.name for p in staged.glob("*.parquet")) if staged.is_dir() else []
    with _inspect(home / "warehouse.duckdb", tmp / "inspect") as con:
        n = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in (*INGEST_TABLES, *FACT_TABLES, *EVENT_TABLES)}
    killed_rows = table_rows(tmp / "inspect" / "warehouse.duckdb", REGISTRATION_COLUMNS)
    clean_rows = table_rows(clean / "warehouse.duckdb", REGISTRATION_COLUMNS)
    ingest_done = all(killed_rows[t] == clean_rows[t] for t in INGEST_TABLES)
    if stage == "ingest":  # the batch's ingest rows are written (kept by DuckDB's log), not yet staged
        assert ingest_done and n["articles"] > 0
        assert staged_names == []
        assert sum(n[t] for t in (*FACT_TABLES, *EVENT_TABLES)) == 0
    elif stage == "extract":  # extraction staged the first fact table, not the others
        assert ingest_done
        assert staged_names == ["articles.parquet", f"{FACT_TABLES[0]}.parquet"]
        assert sum(n[t] for t in (*FACT_TABLES, *EVENT_TABLES)) == 0
    elif stage == "load":  # the staged facts are in the warehouse; no event grouped yet
        assert all(killed_rows[t] == clean_rows[t] for t in (*INGEST_TABLES, *FACT_TABLES))
        assert n["strikes"] > 0 and n["events"] == n["event_reports"] == 0
    else:  # publish: the warehouse is complete, the new research.duckdb is still a temporary file
        assert killed_rows == clean_rows
        assert len(list(home.glob(".research.duckdb.*.tmp"))) == 1


def test_the_cli_killed_at_each_stage_then_rerun_equals_a_clean_run(facts_corpus, clean_facts_home, fast_tmp, subtests) -> None:
    """kill -9 of `dispatches run` in the middle of ingest, extraction, the fact load and publish
    (each child waits at its stage's pause point and says so on stderr; it is killed only then),
    then `dispatches run` again: the killed run is marked failed, no temporary file is left, and
    every table (research.duckdb, warehouse.duckdb, Parquet exports) holds exactly a clean run's
    rows and ids. Only when the batch was registered differs between the homes: batches.registered_at
    and articles.ingested_at (REGISTRATION_COLUMNS), and the dataset's published_at.

    The four children run at once (each in its own home); each re-run is `dispatches run` in
    this process (assets.cli.main), which has the model loaded already."""
    from assets.progress import PAUSE_MARKER, PAUSE_STAGES
    from tests.conftest import REGISTRATION_COLUMNS, assert_same_state, home_state, leftovers, query, run_cli

    batch_id = query(clean_facts_home / "research.duckdb", "SELECT batch_id FROM batches")[0][0]
    clean = home_state(clean_facts_home, REGISTRATION_COLUMNS)
    assert all(clean["research.duckdb"][t] for t in ("strikes", "visits", "arms_sales", "killings", "events", "event_reports"))
    children = {stage: PausedChild(stage, fast_tmp / stage / "home", facts_corpus) for stage in PAUSE_STAGES}
    try:
        for stage, child in children.items():
            with subtests.test(stage=stage):
                assert child.marker_or_end.wait(300), f"{stage}: no pause marker within 300 s"
                markers = [line.strip() for line in child.lines if line.startswith(PAUSE_MARKER)]
                assert markers == [f"{PAUSE_MARKER} {stage} reached (pid {child.proc.pid})"], "".join(child.lines)[-3000:]
                assert child.proc.poll() is None, "the child ended at its pause point instead of waiting"
                child.kill()
                assert child.proc.returncode == -signal.SIGKILL
                _check_crash_state(stage, child.home, clean_facts_home, batch_id, fast_tmp / stage)

                again = run_cli(child.home, "run", "--quiet", str(facts_corpus))
                assert again.returncode == 0, again.stderr[-3000:]
                assert "had been killed; marked failed" in again.stderr  # the killed run is closed in the instance
                assert leftovers(child.home) == []
                assert_same_state(home_state(child.home, REGISTRATION_COLUMNS), clean)
    finally:
        for child in children.values():
            child.kill()
