"""Readers during writes: a researcher's session holding research.duckdb open (read-only) while
batches run. The pipeline never writes that file in place: it builds a new one and renames it
over the old (POSIX rename; the open session keeps the old inode), so neither side sees a lock
error, the open session keeps a consistent snapshot, and a reconnect shows the new data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from assets import warehouse
from tests.test_crash_safety import ROOT, _articles

_PUBLISH = r"""
import sys
from pathlib import Path
import duckdb
sys.path.insert(0, {root!r})
from assets import warehouse
from tests.test_crash_safety import _articles
db, target, batch, n = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
with duckdb.connect(db) as con:
    con.execute("INSERT INTO batches VALUES (?, now(), ['/in'], 1, 'test')", [batch])
    rows = [dict(r, article_id=batch + r["article_id"]) for r in _articles(batch, n, 0)]
    warehouse.replace_batch(con, "articles", batch, rows)
    warehouse.publish_research_db(con, target, {{"batch": batch}})
"""


def test_a_held_session_survives_three_publishes_and_a_reconnect_sees_them(tmp_path: Path):
    db, target = tmp_path / "warehouse.duckdb", tmp_path / "research.duckdb"
    with duckdb.connect(str(db)) as con:
        warehouse.ensure_schema(con)
        warehouse.publish_research_db(con, target, {"batch": None})
    reader = duckdb.connect(str(target), read_only=True)  # the researcher's session, held open throughout
    try:
        seen = []
        for i, batch in enumerate(["b1", "b2", "b3"], start=1):
            out = subprocess.run([sys.executable, "-c", _PUBLISH.format(root=str(ROOT)), str(db), str(target), batch, "200"],
                                 capture_output=True, text=True, timeout=120)
            assert out.returncode == 0, out.stderr  # the writer was not locked out by the reader
            seen.append(reader.execute("SELECT count(*) FROM articles").fetchone()[0])  # nor the reader by the writer
            # another process (another researcher) opening it now sees the new data; within this
            # process DuckDB would hand back the same cached database while `reader` is open
            count = subprocess.run([sys.executable, "-c", "import duckdb,sys; print(duckdb.connect(sys.argv[1], read_only=True)"
                                    ".execute('select count(*) from articles').fetchone()[0])", str(target)],
                                   capture_output=True, text=True, timeout=60)
            assert count.stdout.strip() == str(200 * i), count.stderr
        assert seen == [0, 0, 0]  # the held session keeps its snapshot
    finally:
        reader.close()
    with duckdb.connect(str(target), read_only=True) as again:
        assert again.execute("SELECT count(DISTINCT batch_id) FROM articles").fetchone()[0] == 3


@pytest.mark.slow
def test_a_session_open_while_the_cli_runs_three_batches(tmp_path: Path):
    from tests.conftest import STRIKE_TXT, subprocess_env
    from tests.test_cli import DISPATCHES

    home = tmp_path / "home"
    folders = []
    for i in range(3):
        f = tmp_path / f"in{i}"
        f.mkdir()
        (f / "a.txt").write_text(STRIKE_TXT.replace("three workers", f"{i + 3} workers"), encoding="utf-8")
        (f / "b.txt").write_text(f"Harvest {i}\n\nFarmers in district {i} began the harvest early.\n", encoding="utf-8")
        folders.append(f)
    first = subprocess.run([DISPATCHES, "run", "--quiet", str(folders[0])], env=subprocess_env(home),
                           capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    reader = duckdb.connect(str(home / "research.duckdb"), read_only=True)
    try:
        procs = []
        for i, f in enumerate(folders[1:], start=2):  # two more batches while the session is open; a query after each
            out = subprocess.run([DISPATCHES, "run", "--quiet", str(f)], env=subprocess_env(home),
                                 capture_output=True, text=True, timeout=300)
            procs.append(out)
            assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 2  # the held snapshot
            q = subprocess.run([DISPATCHES, "query", "select count(*) as n from articles", "--format", "csv"],
                               env=subprocess_env(home), capture_output=True, text=True, timeout=120)
            assert q.returncode == 0, q.stderr
            assert q.stdout.split() == ["n", str(2 * i)], q.stdout  # a new reader sees the batch just run
        assert all(p.returncode == 0 for p in procs), [p.stderr[-500:] for p in procs]
        assert "lock" not in " ".join(p.stderr.lower() for p in procs)
    finally:
        reader.close()
    with duckdb.connect(str(home / "research.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 6
        assert con.execute("SELECT count(DISTINCT batch_id) FROM articles").fetchone()[0] == 3
