"""`dispatches export`: a table out of research.duckdb as Parquet (optionally hive-partitioned by
year and month of event_date) or CSV, with a data dictionary and a metadata file beside it."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from assets import warehouse

CITATION = ("dispatches research dataset, table {table}, extractor {extractor_version}, schema {schema_version}, "
            "exported {exported_at}. Every row carries its article_id and evidence offsets; cite the articles' URLs "
            "(table articles) with the facts.")


def csv_frame(tbl: pa.Table):
    """A polars frame ready for CSV: list and struct columns (batches.input_paths) as JSON text."""
    import polars as pl

    df = pl.from_arrow(tbl)
    nested = [c for c, t in df.schema.items() if t.is_nested()]
    if nested:
        df = df.with_columns(
            pl.Series(c, [None if v is None else json.dumps(v, default=str, ensure_ascii=False) for v in df[c].to_list()],
                      dtype=pl.String)
            for c in nested
        )
    return df


def _dataset_metadata(con: duckdb.DuckDBPyConnection) -> dict:
    try:
        rows = con.execute("SELECT key, value FROM dataset_metadata").fetchall()
    except duckdb.Error:
        return {}
    return {k: json.loads(v) for k, v in rows}


def data_dictionary(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """Markdown: the table's grain and one line per column with its type and DDL comment."""
    comments = warehouse.column_comments(table)
    types = con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index", [table]).fetchall()
    lines = [f"# {table}", "", f"Grain: {warehouse.table_grain(table)}", "", "| column | type | meaning |", "|---|---|---|"]
    lines += [f"| {c} | {t} | {comments.get(c, '').replace('|', '/')} |" for c, t in types]
    return "\n".join(lines) + "\n"


def export_table(con: duckdb.DuckDBPyConnection, table: str, fmt: str, out: Path, partition_by_month: bool = False) -> dict:
    """Write the table and, beside it, `<name>.dictionary.md` and `<name>.metadata.json`.
    Returns the metadata written."""
    table = warehouse.table_ident(table)
    tbl = con.sql(f"SELECT * FROM {table}").to_arrow_table()
    meta = _dataset_metadata(con)
    exported_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet" and partition_by_month:
        if "event_date" not in tbl.column_names:
            raise ValueError(f"{table} has no event_date to partition by")
        dates = tbl.column("event_date")
        years = pc.year(dates)
        months = pc.month(dates)
        tbl = tbl.append_column("year", years).append_column("month", months)
        ds.write_dataset(tbl, out, format="parquet", partitioning=ds.partitioning(
            pa.schema([("year", pa.int64()), ("month", pa.int64())]), flavor="hive"),
            existing_data_behavior="delete_matching")
        side = out  # beside the dataset folder, so readers of the folder see only Parquet
    elif fmt == "parquet":
        import pyarrow.parquet as pq

        pq.write_table(tbl, out, compression="zstd")
        side = out.with_suffix("")
    else:
        csv_frame(tbl).write_csv(out)
        side = out.with_suffix("")
    metadata = {
        "table": table, "rows": tbl.num_rows, "format": fmt, "partitioned_by": ["year", "month"] if partition_by_month else [],
        "schema_version": meta.get("schema_version", warehouse.SCHEMA_VERSION),
        "extractor_version": meta.get("extractor_version"), "published_at": meta.get("published_at"),
        "batches": meta.get("batches", []), "exported_at": exported_at,
    }
    metadata["citation"] = CITATION.format(**metadata)
    Path(f"{side}.metadata.json").write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    Path(f"{side}.dictionary.md").write_text(data_dictionary(con, table), encoding="utf-8")
    return metadata
