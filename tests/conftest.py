"""Shared fixtures for the Dagster, warehouse, sensor and CLI tests.

Every test gets its own DISPATCHES_HOME under tmp_path (the crash and re-run tests: under
fast_tmp, on tmpfs when there is one) and, for Dagster, an ephemeral instance or one inside that
home: nothing is written to the repository's data/ folder or to a user's DAGSTER_HOME.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent  # .venv/bin: dispatches, dg and dagster live next to python

# ---------------------------------------------------------------------------------------------
# Tiny test texts (written for these tests; no real reporting)
# ---------------------------------------------------------------------------------------------

STRIKE_TITLE = "Drone strike hits depot near Kharkiv"
STRIKE_BODY = (
    "KHARKIV, Ukraine (Reuters) - A Russian drone strike hit a fuel depot near Kharkiv on Monday, "
    "killing three workers, regional officials said.\n\n"
    "Firefighters needed most of the night to put out the blaze, the regional governor said. "
    "Nearby residents were told to keep their windows closed."
)
STRIKE_TXT = f"{STRIKE_TITLE}\n\n{STRIKE_BODY}\n"

HARVEST_TEXT = (
    "Farmers in the northern valley began the harvest two weeks early this year after an "
    "unusually warm spring. The regional cooperative said yields looked strong despite the dry "
    "summer months."
)
GOOD_JSONL_LINE = '{"title": "Early harvest", "url": "https://example.org/harvest", "text": "%s"}' % HARVEST_TEXT
BROKEN_JSONL_LINE = '{"title": "Broken", "text": '  # cut off mid-record


def write_mixed_corpus(folder: Path) -> Path:
    """A .txt strike article, a .jsonl with one good and one broken line, a binary file and a
    second copy of the strike article: 2 articles, 1 duplicate, 2 rejects."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a_strike.txt").write_text(STRIKE_TXT, encoding="utf-8")
    (folder / "b_feed.jsonl").write_text(GOOD_JSONL_LINE + "\n" + BROKEN_JSONL_LINE + "\n", encoding="utf-8")
    (folder / "c_scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / "d_strike_copy.txt").write_text(STRIKE_TXT, encoding="utf-8")
    return folder


def write_junk_corpus(folder: Path) -> Path:
    """Only files that cannot be ingested."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "photo.txt").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + bytes(200))
    (folder / "broken.jsonl").write_text("{not json\n[1, 2\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    return folder


# ---------------------------------------------------------------------------------------------
# Homes, batches, materialization
# ---------------------------------------------------------------------------------------------

@pytest.fixture
def home(tmp_path: Path):
    """A DispatchesHome resource on an empty temporary folder."""
    from assets.resources import DispatchesHome

    return DispatchesHome(home=str(tmp_path / "home"))


def register_batch(home, paths: list[Path | str], instance, origin: str = "test") -> str:
    """Write the batch's manifest under home/batches and add its dynamic partition; its id."""
    from pipelines.batches import make_manifest, write_manifest

    manifest = make_manifest([str(p) for p in paths], origin=origin)
    write_manifest(home.root, manifest)
    if not instance.has_dynamic_partition("batches", manifest.batch_id):
        instance.add_dynamic_partitions("batches", [manifest.batch_id])
    return manifest.batch_id


@dataclass
class Run:
    batch_id: str
    result: object  # dagster ExecuteInProcessResult
    instance: object

    def metadata(self, asset: str) -> dict:
        """The materialization metadata of one asset in this run, as plain values."""
        found = [e.materialization for e in self.result.get_asset_materialization_events()
                 if e.materialization.asset_key.to_user_string() == asset]
        assert len(found) == 1, f"{asset} materialized {len(found)} times"
        return {k: v.value for k, v in found[0].metadata.items()}

    def checks(self) -> dict[str, bool]:
        return {e.check_name: e.passed for e in self.result.get_asset_check_evaluations()}

    def materialized(self) -> set[str]:
        return {e.materialization.asset_key.to_user_string() for e in self.result.get_asset_materialization_events()}


def materialize_batch(home, paths: list[Path | str], instance=None, raise_on_error: bool = True) -> Run:
    """Register a batch of files and run the whole process_batch job for it, as `dispatches run`
    does (ingest, extraction, fact load and events, publish: every asset of the code location's
    Definitions), with the real resource on `home` instead of the one read from DISPATCHES_HOME."""
    from dagster import DagsterInstance, Definitions

    from assets.definitions import defs

    instance = instance or DagsterInstance.ephemeral()
    batch_id = register_batch(home, paths, instance)
    job = Definitions(assets=defs.assets, jobs=defs.jobs, resources={"dispatches": home}).resolve_job_def("process_batch")
    result = job.execute_in_process(partition_key=batch_id, instance=instance, raise_on_error=raise_on_error)
    return Run(batch_id, result, instance)


def copy_home(src, dst: Path):
    """A copy of a home (no connection may be open on its DuckDB files)."""
    from assets.resources import DispatchesHome

    shutil.copytree(src.root, dst)
    return DispatchesHome(home=str(dst))


# ---------------------------------------------------------------------------------------------
# Reading the published database
# ---------------------------------------------------------------------------------------------

def table_digest(db_path: Path, tables=None) -> dict[str, tuple[int, str]]:
    """table -> (row count, sha256 of its rows sorted): equal digests mean equal contents."""
    from assets import warehouse

    out = {}
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        for t in tables or warehouse.TABLES:
            rows = con.execute(f"SELECT * FROM {warehouse.table_ident(t)}").fetchall()
            lines = sorted(repr(r) for r in rows)
            out[t] = (len(rows), hashlib.sha256("\n".join(lines).encode()).hexdigest())
    finally:
        con.close()
    return out


def query(db_path: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


# Columns that differ between two homes that ran the same input, and only there: when the batch
# was first registered (a re-run in the same home keeps it).
REGISTRATION_COLUMNS = {"batches": ("registered_at",), "articles": ("ingested_at",)}
# Each table's id: its primary key (sql/ddl).
ID_COLUMNS = {"batches": "batch_id", "articles": "article_id", "duplicates": "duplicate_id", "rejects": "reject_id",
              "strikes": "fact_id", "visits": "fact_id", "arms_sales": "fact_id", "killings": "fact_id",
              "quotes": "fact_id", "mentions": "fact_id", "events": "event_id", "event_reports": "fact_id"}


def table_rows(db_path: Path, exclude: dict[str, tuple[str, ...]] | None = None, tables=None) -> dict[str, list[str]]:
    """table -> every row (all columns but `exclude`'s), as reprs sorted: the full contents,
    comparable between two databases and readable in a failed assertion."""
    from assets import warehouse

    exclude = exclude or {}
    out = {}
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        for t in tables or warehouse.TABLES:
            cols = [c for c in warehouse.table_columns(con, t) if c not in exclude.get(t, ())]
            rows = con.execute(f"SELECT {', '.join(cols)} FROM {warehouse.table_ident(t)}").fetchall()
            out[t] = sorted(repr(dict(zip(cols, r))) for r in rows)
    finally:
        con.close()
    return out


def table_ids(db_path: Path) -> dict[str, list[str]]:
    """table -> its ids, sorted (with repeats, so a duplicated row shows)."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return {t: [r[0] for r in con.execute(f"SELECT {c} FROM {t} ORDER BY 1").fetchall()] for t, c in ID_COLUMNS.items()}
    finally:
        con.close()


def export_rows(home: Path, exclude: dict[str, tuple[str, ...]] | None = None) -> dict[str, list[str]]:
    """table -> every row of its Parquet exports (exports/<table>/...), as reprs of (file, row)
    sorted: the full contents of what research.duckdb's readers of Parquet get."""
    import pyarrow.parquet as pq

    from assets import warehouse

    exclude = exclude or {}
    out = {}
    for t in warehouse.TABLES:
        rows = []
        for f in sorted((home / "exports" / t).rglob("*.parquet")):
            tbl = pq.read_table(f)
            tbl = tbl.drop_columns([c for c in exclude.get(t, ()) if c in tbl.column_names])
            rows += [repr((str(f.relative_to(home / "exports")), r)) for r in tbl.to_pylist()]
        out[t] = sorted(rows)
    return out


def home_state(home: Path, exclude: dict[str, tuple[str, ...]] | None = None) -> dict[str, object]:
    """Everything a run leaves that should not depend on how many times it ran: every table of
    research.duckdb and warehouse.duckdb, their ids, the Parquet exports, the dataset metadata
    but its publication time, and the staged files' names. Two equal states: equal rows and ids."""
    research = home / "research.duckdb"
    meta = query(research, "SELECT key, value FROM dataset_metadata WHERE key <> 'published_at' ORDER BY key")
    staged = sorted(str(p.relative_to(home)) for p in (home / "staging").rglob("*") if p.is_file())
    return {
        "research.duckdb": table_rows(research, exclude), "warehouse.duckdb": table_rows(home / "warehouse.duckdb", exclude),
        "ids": table_ids(research), "exports": export_rows(home, exclude), "dataset_metadata": meta, "staging": staged,
    }


def assert_same_state(got: dict[str, object], expected: dict[str, object]) -> None:
    """home_state equality, asserted part by part and table by table so that a failure names the
    database (or exports) and the table that differ."""
    assert got.keys() == expected.keys()
    for part, value in expected.items():
        if isinstance(value, dict):
            assert got[part].keys() == value.keys(), part
            for table in value:
                assert got[part][table] == value[table], f"{part}: {table}"
        assert got[part] == value, part


def leftovers(home: Path) -> list[str]:
    """Temporary files (ours: `*.tmp`, DuckDB's `*.tmp.wal`) left anywhere in a home."""
    return sorted(str(p.relative_to(home)) for p in home.rglob("*") if p.name.endswith((".tmp", ".tmp.wal")))


# ---------------------------------------------------------------------------------------------
# Subprocesses
# ---------------------------------------------------------------------------------------------

def subprocess_env(dispatches_home: Path, **extra: str) -> dict[str, str]:
    """The environment for a CLI or dg subprocess: DISPATCHES_HOME set, DAGSTER_HOME unset
    unless given, the project's venv active, no telemetry prompts."""
    env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "DISPATCHES_HOME")}
    env.update({
        "DISPATCHES_HOME": str(dispatches_home),
        "VIRTUAL_ENV": str(VENV_BIN.parent),
        "PATH": f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
        "PYTHONUNBUFFERED": "1",
        "NO_COLOR": "1",
        "COLUMNS": "200",
        "DAGSTER_DISABLE_TELEMETRY": "1",
    })
    env.update(extra)
    return env


# ---------------------------------------------------------------------------------------------
# A small corpus with facts of every kind, and `dispatches run` in this process
# ---------------------------------------------------------------------------------------------

# From the bundled sample corpus (pipelines/sample_corpus/README.md): a strike (01), a strike that
# kills a named commander (04), an arms sale plus an exact copy of 01 (12: one duplicate), an arms
# sale, a broken JSON line and a cancelled visit (14: one reject).
SAMPLE_FILES = ("01_kharkiv_drone_strike.txt", "04_tyre_commander_killed.md", "12_wire_bundle.json", "14_agency_export.jsonl")
# A second report of 01's strike from another outlet: an event with two reports.
SECOND_REPORT = (
    "Drone attack kills three in Kharkiv\n\n"
    "KHARKIV, Ukraine, March 15, 2024 (Eastern Desk) - A Russian drone attack on Kharkiv overnight killed "
    "three people, Ukrainian officials said.\n\n"
    "Emergency crews searched the damaged apartment block until the morning.\n"
)


def write_facts_corpus(folder: Path) -> Path:
    """Six articles with strikes, killings, arms sales, a visit, quotes and mentions; one
    duplicate; one reject. About 5 s to run once the model is loaded."""
    sample = REPO / "pipelines" / "sample_corpus" / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    for name in SAMPLE_FILES:
        shutil.copyfile(sample / name, folder / name)
    (folder / "20_kharkiv_second_report.txt").write_text(SECOND_REPORT, encoding="utf-8")
    return folder


@dataclass
class CliRun:
    returncode: int
    stdout: str
    stderr: str


def run_cli(home: Path, *args: str) -> CliRun:
    """`dispatches ARGS` run by this process (assets.cli.main, as the console script does), with
    DISPATCHES_HOME=home and its Dagster instance under home/dagster: the same code as the
    subprocess, without paying again for imports and model loading."""
    import contextlib
    import io

    import assets.definitions  # noqa: F401 (its DISPATCHES_* defaults, set once for the whole process)
    from assets import cli
    from assets.progress import PAUSE_ENV

    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        mp.setenv("DISPATCHES_HOME", str(home))
        mp.setenv("DAGSTER_HOME", str(home / "dagster"))
        mp.setenv("DISPATCHES_STAGING", "")
        mp.delenv(PAUSE_ENV, raising=False)
        code = cli.main(list(args))
    return CliRun(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session")
def fast_tmp_root(tmp_path_factory):
    """A session folder on tmpfs (/dev/shm) when there is one, else under pytest's tmp_path.

    DuckDB and Dagster's SQLite storage sync every commit to disk, which costs about 10 s per
    `dispatches run` on a busy disk; in memory nothing changes for what the crash and re-run tests
    check: a kill -9 loses no write the process made (the page cache outlives the process), only
    a power cut would."""
    import tempfile

    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        root = Path(tempfile.mkdtemp(prefix="dispatches-tests-", dir=shm))
        yield root
        shutil.rmtree(root, ignore_errors=True)
    else:
        yield tmp_path_factory.mktemp("fast")


@pytest.fixture
def fast_tmp(fast_tmp_root, request) -> Path:
    """A fresh folder under fast_tmp_root for one test."""
    import tempfile

    return Path(tempfile.mkdtemp(prefix=request.node.name[:40].replace("/", "_") + "-", dir=fast_tmp_root))


@pytest.fixture(scope="session")
def facts_corpus(tmp_path_factory) -> Path:
    return write_facts_corpus(tmp_path_factory.mktemp("facts") / "corpus")


@pytest.fixture(scope="session")
def clean_facts_home(fast_tmp_root, facts_corpus) -> Path:
    """A home after one `dispatches run` of facts_corpus (read-only: copy it to change it)."""
    home = fast_tmp_root / "clean" / "home"
    out = run_cli(home, "run", "--quiet", str(facts_corpus))
    assert out.returncode == 0, out.stderr[-3000:]
    return home
