"""`dispatches export`: Parquet by month, CSV, a data dictionary and a metadata file."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pyarrow.dataset as ds

from assets import warehouse
from assets.exporting import data_dictionary, export_table


def _db(tmp_path):
    con = duckdb.connect(str(tmp_path / "r.duckdb"))
    warehouse.ensure_schema(con)
    con.execute("CREATE TABLE dataset_metadata (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute("INSERT INTO dataset_metadata VALUES ('extractor_version', '\"9.9\"'), ('batches', '[\"b1\"]')")
    rows = [{"fact_id": f"s{i}", "article_id": "a", "batch_id": "b1", "sentence_index": 0, "evidence": "x",
             "evidence_start": 0, "evidence_end": 1, "target_type": "unknown", "weapon": "air", "certainty": "confirmed",
             "confidence": 0.9, "extractor_version": "9.9", "event_date": d} for i, d in
            enumerate([date(2024, 1, 3), date(2024, 1, 9), date(2024, 2, 1), None])]
    warehouse.replace_batch(con, "strikes", "b1", rows)
    return con


def test_parquet_by_month_with_dictionary_and_metadata(tmp_path):
    con = _db(tmp_path)
    out = tmp_path / "out" / "strikes"
    meta = export_table(con, "strikes", "parquet", out, partition_by_month=True)
    assert meta["rows"] == 4 and meta["extractor_version"] == "9.9" and meta["batches"] == ["b1"]
    months = ds.dataset(out, format="parquet", partitioning="hive").to_table(columns=["year", "month"]).to_pylist()
    assert sorted((r["year"], r["month"]) for r in months if r["year"]) == [(2024, 1), (2024, 1), (2024, 2)]
    assert (out.parent / "strikes.dictionary.md").read_text().count("| killed |") == 1
    assert "cite" in json.loads((out.parent / "strikes.metadata.json").read_text())["citation"]


def test_csv_export_and_every_column_documented(tmp_path):
    con = _db(tmp_path)
    export_table(con, "batches", "csv", tmp_path / "b.csv")
    assert (tmp_path / "b.metadata.json").exists()
    for table in warehouse.TABLES:
        text = data_dictionary(con, table)
        n_cols = len(warehouse.table_columns(con, table))
        assert text.count("\n| ") - 1 == n_cols  # header row + one row per column
        assert "|  |" not in text  # every column has a comment
