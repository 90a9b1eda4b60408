"""Shared fixtures for the Dagster, warehouse, sensor and CLI tests.

Every test gets its own DISPATCHES_HOME under tmp_path and, for Dagster, an ephemeral instance:
nothing is written to the repository's data/ folder or to a user's DAGSTER_HOME.
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
    """Register a batch of files and materialize ingest, extraction and publishing for it, the
    way the process_batch job does, with the real resource on `home`."""
    from dagster import DagsterInstance, materialize

    from assets.facts import extract_facts
    from assets.ingest import ingest_batch
    from assets.publish import research_db

    instance = instance or DagsterInstance.ephemeral()
    batch_id = register_batch(home, paths, instance)
    result = materialize(
        [ingest_batch, extract_facts, research_db], partition_key=batch_id, instance=instance,
        resources={"dispatches": home}, raise_on_error=raise_on_error,
    )
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
