"""DuckDB storage: schema-first tables from sql/ddl, per-batch idempotent writes, publishing.

The warehouse (`warehouse.duckdb`) has one writer: the pipeline. Researchers read
`research.duckdb`, a copy rebuilt after every run into a new file and moved into place with an
atomic rename, so a reader holding the old file open is never locked out, and Parquet files under
`exports/<table>/`, each also written to a temporary name and renamed.
"""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from assets import progress

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
SCHEMA_VERSION = "1"

# Creation order (the DDL files themselves are independent; the order is what researchers see).
TABLES: tuple[str, ...] = (
    "batches", "articles", "duplicates", "rejects",
    "strikes", "visits", "arms_sales", "killings", "quotes", "mentions",
    "events", "event_reports",
)
FACT_TABLES: tuple[str, ...] = ("strikes", "visits", "arms_sales", "killings", "quotes", "mentions")
INGEST_TABLES: tuple[str, ...] = ("articles", "duplicates", "rejects")
EVENT_TABLES: tuple[str, ...] = ("events", "event_reports")
# Tables without a batch column: exported whole (an event gathers reports from many batches).
UNBATCHED_TABLES: tuple[str, ...] = ("events",)

_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
_COLUMN = re.compile(r"^\s+([a-z_][a-z0-9_]*)\s+[A-Z].*?--\s*(.+?)\s*$")


def sql_text(relative: str) -> str:
    """The text of one statement file under sql/ (e.g. "checks/evidence_slices.sql")."""
    return (SQL_DIR / relative).read_text(encoding="utf-8")


def table_ident(name: str) -> str:
    """A table name checked against the schema, safe to place in SQL as an identifier."""
    if name not in TABLES or not _IDENT.match(name):
        raise ValueError(f"unknown table {name!r}; tables are: {', '.join(TABLES)}")
    return name


@lru_cache(maxsize=None)
def column_comments(table: str) -> dict[str, str]:
    """Column -> comment, read from the trailing `--` comments of the table's DDL file."""
    out: dict[str, str] = {}
    for line in sql_text(f"ddl/{table_ident(table)}.sql").splitlines():
        m = _COLUMN.match(line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def table_grain(table: str) -> str:
    """The grain line from the DDL header ("one row per strike mention ...")."""
    first = sql_text(f"ddl/{table_ident(table)}.sql").splitlines()[0]
    return first.split(":", 1)[1].strip() if ":" in first else first.lstrip("- ")


def _quote_literal(s: str) -> str:
    # DuckDB cannot bind parameters in COMMENT ON; the comments are our own DDL text, escaped here.
    return "'" + s.replace("'", "''") + "'"


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table (empty and typed) with its column comments; a no-op when present."""
    for table in TABLES:
        con.execute(sql_text(f"ddl/{table}.sql"))
        for column, comment in column_comments(table).items():
            con.execute(f"COMMENT ON COLUMN {table}.{column} IS {_quote_literal(comment)}")
        con.execute(f"COMMENT ON TABLE {table} IS {_quote_literal(table_grain(table))}")


@contextmanager
def connect(path: Path, read_only: bool = False, wait_seconds: float = 900.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a DuckDB file, waiting while another process holds the write lock."""
    deadline = time.monotonic() + wait_seconds
    delay = 0.05
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
    try:
        yield con
    finally:
        con.close()


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
        [table_ident(table)],
    ).fetchall()
    return [r[0] for r in rows]


def frame(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[dict]) -> pa.Table | pl.DataFrame:
    """Rows as a frame with exactly the table's columns (missing keys become nulls).

    Built straight into Arrow with the table's own types (no copy of the row
    dicts, no type inference: a 5,000-article dense batch's 300,000 mention rows otherwise held
    three times over). A row whose values Arrow will not take as the column's type (a float in an
    INTEGER column, a number as text) falls back to a polars frame whose types are inferred from
    every row, and DuckDB casts on insert, as before."""
    cols = table_columns(con, table)
    if not rows:
        return pl.DataFrame({c: [] for c in cols})
    t = table_ident(table)
    schema = con.sql(f"SELECT * FROM {t} LIMIT 0").arrow().schema
    try:
        return pa.Table.from_pylist(rows if isinstance(rows, list) else list(rows), schema=schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return pl.DataFrame([{c: r.get(c) for c in cols} for r in rows], infer_schema_length=None)


def replace_batch(con: duckdb.DuckDBPyConnection, table: str, batch_id: str, rows: Sequence[dict]) -> int:
    """Replace one batch's rows of a table in a transaction: the write is idempotent."""
    t = table_ident(table)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"DELETE FROM {t} WHERE batch_id = ?", [batch_id])
        append_rows(con, t, rows)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(rows)


def append_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[dict]) -> int:
    """Insert rows into a table (by column name, through `frame`); no transaction of its own."""
    if not len(rows):
        return 0
    t = table_ident(table)
    df = frame(con, t, rows)  # noqa: F841 (read by DuckDB's replacement scan below)
    con.execute(f"INSERT INTO {t} BY NAME SELECT * FROM df")
    return len(rows)


def register_batch(con: duckdb.DuckDBPyConnection, batch_id: str, input_paths: list[str], n_files: int, origin: str) -> None:
    """Record a batch once; a re-run keeps the first registration time."""
    con.execute(
        "INSERT INTO batches (batch_id, registered_at, input_paths, n_files, origin) "
        "VALUES (?, now(), ?, ?, ?) ON CONFLICT (batch_id) DO NOTHING",
        [batch_id, input_paths, n_files, origin],
    )


def batch_registered_at(con: duckdb.DuckDBPyConnection, batch_id: str):
    row = con.execute("SELECT registered_at FROM batches WHERE batch_id = ?", [batch_id]).fetchone()
    return row[0] if row else None


def known_article_ids(con: duckdb.DuckDBPyConnection, other_than_batch: str) -> set[str]:
    """Article ids stored by batches other than this one (their texts are duplicates here)."""
    rows = con.execute("SELECT article_id FROM articles WHERE batch_id <> ?", [other_than_batch]).fetchall()
    return {r[0] for r in rows}


def batch_articles(con: duckdb.DuckDBPyConnection, batch_id: str) -> list[dict]:
    cur = con.execute(
        "SELECT article_id, batch_id, text, title, published_at, is_english, dateline "
        "FROM articles WHERE batch_id = ? ORDER BY article_id",
        [batch_id],
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def row_counts(con: duckdb.DuckDBPyConnection, tables: Iterable[str] = TABLES, batch_id: str | None = None) -> dict[str, int]:
    out = {}
    for t in tables:
        t = table_ident(t)
        if batch_id is None:
            out[t] = con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        elif t == "events":  # events touched by the batch: those with a report from it
            out[t] = con.execute("SELECT count(DISTINCT event_id) FROM event_reports WHERE batch_id = ?", [batch_id]).fetchone()[0]
        else:
            out[t] = con.execute(f"SELECT count(*) FROM {t} WHERE batch_id = ?", [batch_id]).fetchone()[0]
    return out


# ---------------------------------------------------------------------------------------------
# Publishing
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Published:
    research_db: Path
    exports: Path
    row_counts: dict[str, int]
    parquet_files: list[Path]


def remove_leftovers(folder: Path, prefix: str) -> int:
    """Delete temporary files (`<prefix>*.tmp`, and their DuckDB `.wal`) that a killed writer
    left in `folder`. Only the one writer calls this, so no live temporary file is touched."""
    n = 0
    if folder.is_dir():
        for p in folder.iterdir():
            if p.name.startswith(prefix) and (p.name.endswith(".tmp") or p.name.endswith(".tmp.wal")):
                p.unlink(missing_ok=True)
                n += 1
    return n


def _atomic_parquet(reader_table, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target.parent, f".{target.name}.")
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    pq.write_table(reader_table, tmp, compression="zstd")
    os.replace(tmp, target)


def export_batch_parquet(con: duckdb.DuckDBPyConnection, exports: Path, batch_id: str) -> list[Path]:
    """exports/<table>/batch_id=<id>/part-0.parquet for every table: hive-style partitions
    that DuckDB, polars or Spark read as one dataset. Re-running a batch overwrites its files."""
    written = []
    for t in UNBATCHED_TABLES:
        target = exports / t / "part-0.parquet"
        _atomic_parquet(con.sql(f"SELECT * FROM {table_ident(t)}").to_arrow_table(), target)
        written.append(target)
    for t in (t for t in TABLES if t not in UNBATCHED_TABLES):
        tbl = con.sql(f"SELECT * FROM {table_ident(t)} WHERE batch_id = ?", params=[batch_id]).to_arrow_table()
        target = exports / t / f"batch_id={batch_id}" / "part-0.parquet"
        _atomic_parquet(tbl.drop_columns(["batch_id"]) if "batch_id" in tbl.column_names else tbl, target)
        written.append(target)
    return written


def publish_research_db(con: duckdb.DuckDBPyConnection, target: Path, metadata: dict) -> dict[str, int]:
    """Rebuild research.duckdb from the warehouse into a new file, then rename it into place.

    Readers that hold the old file keep reading it; the next connection sees the new state."""
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target.parent, f".{target.name}.")  # from a publish that was killed
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    counts: dict[str, int] = {}
    try:
        with connect(tmp) as out:
            ensure_schema(out)
            for t in TABLES:
                reader = con.sql(f"SELECT * FROM {table_ident(t)}").to_arrow_reader()  # noqa: F841
                out.execute(f"INSERT INTO {t} BY NAME SELECT * FROM reader")
                counts[t] = out.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            from assets.views import create_views

            create_views(out)  # the research views of sql/views/, over the copied tables
            out.execute("CREATE TABLE dataset_metadata (key VARCHAR PRIMARY KEY, value VARCHAR)")
            for k, v in {**metadata, "row_counts": counts}.items():
                out.execute("INSERT INTO dataset_metadata VALUES (?, ?)", [k, json.dumps(v, default=str)])
            out.execute("CHECKPOINT")
            progress.pause_point("publish")  # test hook (assets/progress.py); a no-op unless set
        os.replace(tmp, target)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            if leftover.exists():
                leftover.unlink()
    return counts
