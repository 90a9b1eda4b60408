"""The `dispatches` command line, run as a user would: a subprocess with DISPATCHES_HOME set and
DAGSTER_HOME unset (the CLI then keeps its Dagster instance under DISPATCHES_HOME/dagster).

The shared home is built from a text that mentions no strike, killing, visit or sale, so the
spaCy model is never loaded there; the tests that run the model are marked slow."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.conftest import (
    BROKEN_JSONL_LINE, GOOD_JSONL_LINE, REPO, VENV_BIN, query, subprocess_env, table_digest,
)

DISPATCHES = str(VENV_BIN / "dispatches")


def dispatches(home: Path, *args: str, cwd: Path | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [DISPATCHES, *args], cwd=cwd or home.parent, env=subprocess_env(home),
        capture_output=True, text=True, timeout=timeout,
    )


def ok(out: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert out.returncode == 0, f"exit {out.returncode}\nstdout:\n{out.stdout}\nstderr:\n{out.stderr}"
    return out


def counts(home: Path) -> dict[str, int]:
    return {t: n for t, (n, _) in table_digest(home / "research.duckdb").items()}


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    """A home after `dispatches run FILE` on a JSON-lines file with one article and one broken line."""
    base = tmp_path_factory.mktemp("cli")
    home = base / "home"
    feed = base / "feed.jsonl"
    feed.write_text(GOOD_JSONL_LINE + "\n" + BROKEN_JSONL_LINE + "\n", encoding="utf-8")
    run = ok(dispatches(home, "run", "--quiet", str(feed)))
    return home, feed, run


# ---------------------------------------------------------------------------------------------
# run
# ---------------------------------------------------------------------------------------------

def test_run_file_prints_the_summary(cli) -> None:
    home, _, run = cli
    out = run.stdout
    assert "batch b" in out
    for table in ("articles", "duplicates", "rejects", "strikes", "mentions"):
        assert table in out
    assert "rejects: malformed_json 1" in out
    assert f"research database: {home / 'research.duckdb'}" in out
    assert (home / "research.duckdb").is_file() and (home / "warehouse.duckdb").is_file()
    assert counts(home)["articles"] == 1 and counts(home)["rejects"] == 1


def test_run_appears_in_the_dagster_instance(cli) -> None:
    from dagster import DagsterInstance
    from dagster._core.instance.ref import InstanceRef

    home, _, _ = cli
    batch_id = query(home / "research.duckdb", "SELECT batch_id FROM batches")[0][0]
    with DagsterInstance.from_ref(InstanceRef.from_dir(str(home / "dagster"))) as instance:
        runs = instance.get_runs()
        assert runs, "no run recorded in DISPATCHES_HOME/dagster"
        mine = [r for r in runs if r.tags.get("dispatches/origin") == "cli"]
        assert mine and all(r.job_name == "process_batch" for r in mine)
        assert {r.tags.get("dagster/partition") for r in mine} == {batch_id}
        assert instance.has_dynamic_partition("batches", batch_id)
        assert all(r.is_success for r in mine)


def test_run_twice_leaves_the_rows_unchanged(cli) -> None:
    home, feed, _ = cli
    before = table_digest(home / "research.duckdb")
    again = ok(dispatches(home, "run", "--quiet", str(feed)))
    assert "rejects: malformed_json 1" in again.stdout
    assert table_digest(home / "research.duckdb") == before


def test_run_a_missing_path_fails(tmp_path: Path) -> None:
    out = dispatches(tmp_path / "home", "run", "--quiet", str(tmp_path / "nope.txt"))
    assert out.returncode == 2
    assert "no such file or folder" in out.stderr


@pytest.mark.slow
def test_run_without_a_path_runs_the_sample_corpus(tmp_path: Path) -> None:
    corpus = REPO / "pipelines" / "sample_corpus" / "articles"
    if not corpus.is_dir() or not any(p.is_file() and not p.name.startswith(".") for p in corpus.rglob("*")):
        pytest.skip("the bundled sample corpus has no files yet")
    home = tmp_path / "home"
    out = ok(dispatches(home, "run", "--quiet", timeout=300))
    assert "research database:" in out.stdout
    c = counts(home)
    assert c["batches"] == 1 and c["articles"] > 0
    (paths,) = query(home / "research.duckdb", "SELECT input_paths FROM batches")[0]
    assert paths == [str(corpus)]


# ---------------------------------------------------------------------------------------------
# query
# ---------------------------------------------------------------------------------------------

def test_query_csv(cli) -> None:
    home, _, _ = cli
    out = ok(dispatches(home, "query", "select count(*) as n from articles", "--format", "csv"))
    assert list(csv.reader(io.StringIO(out.stdout))) == [["n"], ["1"]]
    out = ok(dispatches(home, "query", "select count(*) from articles", "--format", "csv"))
    assert out.stdout.strip().splitlines()[-1] == "1"


def test_query_csv_writes_lists_as_json(cli, tmp_path: Path) -> None:
    """batches.input_paths is a list: CSV (no nested types) gets it as JSON text."""
    home, feed, _ = cli
    out = ok(dispatches(home, "query", "select batch_id, input_paths from batches", "--format", "csv"))
    ((batch_id, paths),) = list(csv.reader(io.StringIO(out.stdout)))[1:]
    assert json.loads(paths) == [str(feed)]
    target = tmp_path / "batches.csv"
    ok(dispatches(home, "export", "batches", "--format", "csv", "--out", str(target)))
    assert json.loads(next(csv.DictReader(target.open(encoding="utf-8")))["input_paths"]) == [str(feed)]


@pytest.mark.parametrize("sql", ["", "  ", "-- only a comment"])
def test_query_without_a_statement_fails_cleanly(cli, sql: str) -> None:
    home, _, _ = cli
    out = dispatches(home, "query", sql)
    assert out.returncode == 1
    assert "query failed" in out.stderr and "Traceback" not in out.stderr


def test_query_json(cli) -> None:
    home, _, _ = cli
    out = ok(dispatches(home, "query", "select title, is_english, published_at from articles", "--format", "json"))
    rows = json.loads(out.stdout)
    assert rows == [{"title": "Early harvest", "is_english": True, "published_at": None}]


def test_query_parquet(cli, tmp_path: Path) -> None:
    home, _, _ = cli
    target = tmp_path / "f.parquet"
    ok(dispatches(home, "query", "select reason, input_record from rejects", "--format", "parquet", "--out", str(target)))
    assert pq.read_table(target).to_pylist() == [{"reason": "malformed_json", "input_record": "1"}]
    # parquet needs a file
    assert dispatches(home, "query", "select 1", "--format", "parquet").returncode != 0


def test_query_table_format_is_the_default(cli) -> None:
    home, _, _ = cli
    out = ok(dispatches(home, "query", "select table_name from duckdb_tables() order by 1"))
    assert "articles" in out.stdout and "dataset_metadata" in out.stdout


@pytest.mark.parametrize("sql", [
    "create table x (a int)",
    "insert into articles (article_id) values ('x')",
    "delete from articles",
    "drop table articles",
    "update batches set origin = 'x'",
])
def test_query_cannot_write(cli, sql: str) -> None:
    home, _, _ = cli
    before = table_digest(home / "research.duckdb")
    out = dispatches(home, "query", sql)
    assert out.returncode != 0
    assert "query failed" in out.stderr
    assert table_digest(home / "research.duckdb") == before


@pytest.mark.parametrize("sql", [
    "select * from read_csv('/etc/passwd')",
    "select * from read_text('/etc/hostname')",
    "select * from read_parquet('{exports}/articles/*/*.parquet')",
    "select * from glob('/etc/*')",
    "attach '{tmp}/other.duckdb' as other",
    "copy articles to '{tmp}/leak.csv'",
    "set enable_external_access = true",
    "reset enable_external_access",
    "set autoinstall_known_extensions = true",
    "install httpfs",
    "load httpfs",
    "select * from read_csv('http://127.0.0.1:9/x.csv')",
    "export database '{tmp}/dump'",
    "select 1; drop table articles",
])
def test_query_cannot_read_or_write_other_files(cli, tmp_path: Path, sql: str) -> None:
    home, _, _ = cli
    sql = sql.format(exports=home / "exports", tmp=tmp_path)
    out = dispatches(home, "query", sql, "--format", "csv")
    assert out.returncode != 0, out.stdout
    assert "query failed" in out.stderr
    assert not (tmp_path / "leak.csv").exists() and not (tmp_path / "other.duckdb").exists()
    assert not (tmp_path / "dump").exists()


def test_query_before_any_run_says_so(tmp_path: Path) -> None:
    out = dispatches(tmp_path / "home", "query", "select 1")
    assert out.returncode != 0
    assert "does not exist yet" in out.stderr


# ---------------------------------------------------------------------------------------------
# export, status
# ---------------------------------------------------------------------------------------------

def test_export_csv_and_parquet(cli, tmp_path: Path) -> None:
    home, _, _ = cli
    target = tmp_path / "x.csv"
    out = ok(dispatches(home, "export", "articles", "--format", "csv", "--out", str(target)))
    assert f"1 rows of articles -> {target}" in out.stdout
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert len(rows) == 1 and rows[0]["title"] == "Early harvest"

    target = tmp_path / "sub" / "rejects.parquet"
    ok(dispatches(home, "export", "rejects", "--out", str(target)))  # parquet is the default
    assert pq.read_table(target).num_rows == 1


@pytest.mark.parametrize("table", ["articles; drop table x", "articles --", "dataset_metadata", "nope", "read_csv('/etc/passwd')"])
def test_export_refuses_anything_but_a_table(cli, tmp_path: Path, table: str) -> None:
    home, _, _ = cli
    target = tmp_path / "x.csv"
    out = dispatches(home, "export", table, "--format", "csv", "--out", str(target))
    assert out.returncode == 2
    assert "unknown table" in out.stderr
    assert not target.exists()


def test_status_shows_rows_and_rejects_by_reason(cli) -> None:
    home, _, _ = cli
    out = ok(dispatches(home, "status")).stdout
    expected = counts(home)
    for table, n in expected.items():
        line = next(line for line in out.splitlines() if f" {table} " in line)
        assert line.split()[-2] == str(n), line
    assert "rejects by reason: malformed_json 1" in out
    assert "last batch: b" in out and "by cli" in out


def test_research_db_is_not_locked_by_cli_reads(cli) -> None:
    """`query` opens research.duckdb read-only: a writer-free reader can open it at the same time."""
    home, _, _ = cli
    con = duckdb.connect(str(home / "research.duckdb"), read_only=True)
    try:
        ok(dispatches(home, "query", "select count(*) from articles", "--format", "csv"))
    finally:
        con.close()


@pytest.mark.slow
def test_run_batches_splits_one_file_by_record_ranges(tmp_path: Path) -> None:
    """`--batches 3` on one JSON-lines file: three partitions of its lines, every line ingested
    once. (That a re-run of the parts changes nothing: tests/test_batches.py, in process.)"""
    from tests.conftest import HARVEST_TEXT

    home = tmp_path / "home"
    src = tmp_path / "export.jsonl"
    src.write_text("".join(json.dumps({"title": f"Harvest {i}", "text": f"{HARVEST_TEXT} Field {i} was the first."}) + "\n"
                           for i in range(6)) + BROKEN_JSONL_LINE + "\n", encoding="utf-8")
    out = ok(dispatches(home, "run", "--quiet", str(src), "--batches", "3", "--workers", "1", timeout=600))
    assert "3 batches" in out.stdout
    assert counts(home)["batches"] == 3 and counts(home)["articles"] == 6 and counts(home)["rejects"] == 1
    lines = sorted(r[0] for r in query(home / "research.duckdb", "SELECT input_record FROM articles"))
    assert lines == [str(i) for i in range(6)]
