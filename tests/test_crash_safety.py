"""Crash safety: kill -9 at any moment leaves the warehouse and research.duckdb in their last
complete state, and the next run cleans up and converges.

Fast tests kill a subprocess that loops over the real write paths (replace_batch, the research
database rebuild) on a small warehouse, without the model. The slow test kills the real CLI in
the middle of extraction and runs it again. `python -m benchmarks.crash` does the same for
ingest, extraction and publish on a bigger corpus and prints the figures."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pytest

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


@pytest.mark.slow
def test_the_cli_killed_during_extraction_then_rerun_loses_and_duplicates_nothing(tmp_path: Path):
    from benchmarks.corpus import write_corpus
    from tests.conftest import subprocess_env
    from tests.test_cli import DISPATCHES

    corpus = tmp_path / "corpus"
    write_corpus(corpus, 600, 2)
    home = tmp_path / "home"
    proc = subprocess.Popen([DISPATCHES, "run", "--quiet", str(corpus)], env=subprocess_env(home),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    staged = home / "staging"
    deadline = time.monotonic() + 120
    while not list(staged.glob("batch_id=*/articles.parquet")):  # ingest done: extraction running
        assert proc.poll() is None and time.monotonic() < deadline, "the run ended before extraction"
        time.sleep(0.05)
    time.sleep(1.0)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not list(staged.glob("batch_id=*/strikes.parquet")), "extraction finished before the kill"
    out = subprocess.run([DISPATCHES, "run", "--quiet", str(corpus)], env=subprocess_env(home),
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "marked failed" in out.stderr  # the killed run was closed in the instance
    with duckdb.connect(str(home / "research.duckdb"), read_only=True) as con:
        for table, key in (("articles", "article_id"), ("strikes", "fact_id"), ("mentions", "fact_id"),
                           ("events", "event_id"), ("event_reports", "fact_id")):
            n, distinct = con.execute(f"SELECT count(*), count(DISTINCT {key}) FROM {table}").fetchone()
            assert n == distinct, table
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 600
        assert con.execute("SELECT count(*) FROM strikes").fetchone()[0] > 0
