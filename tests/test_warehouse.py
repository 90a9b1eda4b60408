"""assets.warehouse: schema, idempotent batch writes, identifiers, publishing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from assets import warehouse

T0 = datetime(2024, 3, 4, 12, 0, tzinfo=timezone.utc)


def article(article_id: str, batch_id: str, text: str = "Some text.") -> dict:
    return {
        "article_id": article_id, "batch_id": batch_id, "url": None, "source": "Wire", "title": "T",
        "published_at": T0, "published_at_source": "metadata", "language": "en", "language_score": 0.99,
        "is_english": True, "dateline": None, "text": text, "n_words": len(text.split()),
        "input_path": f"/in/{article_id}.txt", "input_record": "", "ingested_at": T0,
    }


def reject(reject_id: str, batch_id: str) -> dict:
    return {"reject_id": reject_id, "batch_id": batch_id, "input_path": "/in/x.bin", "input_record": "",
            "reason": "binary", "detail": "NUL bytes"}


@pytest.fixture
def con(tmp_path: Path):
    with warehouse.connect(tmp_path / "warehouse.duckdb") as c:
        warehouse.ensure_schema(c)
        yield c


def schema_snapshot(c) -> list[tuple]:
    return c.execute(
        "SELECT table_name, column_index, column_name, data_type, is_nullable, comment FROM duckdb_columns() "
        "ORDER BY table_name, column_index"
    ).fetchall()


# ---------------------------------------------------------------------------------------------
# Schema
# ---------------------------------------------------------------------------------------------

def test_ensure_schema_creates_every_table_typed_empty_and_commented(con) -> None:
    tables = {r[0]: r[1] for r in con.execute("SELECT table_name, comment FROM duckdb_tables()").fetchall()}
    assert set(tables) == set(warehouse.TABLES)
    for t in warehouse.TABLES:
        assert con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] == 0, t
        assert tables[t] and tables[t].startswith("one row per"), (t, tables[t])
        columns = con.execute(
            "SELECT column_name, data_type, comment FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index", [t]
        ).fetchall()
        assert columns, t
        for name, data_type, comment in columns:
            assert data_type, (t, name)
            assert comment, f"{t}.{name} has no comment"
        # every column of the DDL file has exactly its trailing comment
        assert {n: c for n, _, c in columns} == warehouse.column_comments(t)
    # a few types that researchers rely on
    types = {(t, c): d for t, c, d in con.execute("SELECT table_name, column_name, data_type FROM duckdb_columns()").fetchall()}
    assert types[("articles", "published_at")] == "TIMESTAMP WITH TIME ZONE"
    assert types[("batches", "input_paths")] == "VARCHAR[]"
    assert types[("strikes", "evidence_start")] == "INTEGER"
    assert types[("strikes", "event_date")] == "DATE"
    assert types[("arms_sales", "value_usd")] == "DOUBLE"
    assert types[("articles", "is_english")] == "BOOLEAN"


def test_ensure_schema_is_idempotent(con) -> None:
    warehouse.replace_batch(con, "articles", "b1", [article("a1", "b1")])
    before = schema_snapshot(con)
    warehouse.ensure_schema(con)
    warehouse.ensure_schema(con)
    assert schema_snapshot(con) == before
    assert warehouse.row_counts(con)["articles"] == 1  # data survives


def test_every_fact_table_has_the_common_columns(con) -> None:
    common = ["fact_id", "article_id", "batch_id", "sentence_index", "evidence", "evidence_start", "evidence_end"]
    for t in warehouse.FACT_TABLES:
        cols = warehouse.table_columns(con, t)
        assert cols[:len(common)] == common, t
        assert {"certainty", "confidence", "extractor_version", "event_date"} <= set(cols), t


# ---------------------------------------------------------------------------------------------
# Writes
# ---------------------------------------------------------------------------------------------

def test_replace_batch_is_idempotent(con) -> None:
    rows = [article("a1", "b1", "First text."), article("a2", "b1", "Second text.")]
    assert warehouse.replace_batch(con, "articles", "b1", rows) == 2
    first = con.execute("SELECT * FROM articles ORDER BY article_id").fetchall()
    assert warehouse.replace_batch(con, "articles", "b1", rows) == 2
    assert con.execute("SELECT * FROM articles ORDER BY article_id").fetchall() == first
    # another batch is untouched by replacing b1, and b1 can shrink
    warehouse.replace_batch(con, "articles", "b2", [article("a3", "b2")])
    warehouse.replace_batch(con, "articles", "b1", rows[:1])
    assert warehouse.row_counts(con, ["articles"], batch_id="b1") == {"articles": 1}
    assert warehouse.row_counts(con, ["articles"], batch_id="b2") == {"articles": 1}
    warehouse.replace_batch(con, "articles", "b1", [])
    assert con.execute("SELECT article_id FROM articles").fetchall() == [("a3",)]
    # values round-trip with their types
    got = con.execute("SELECT published_at, is_english FROM articles").fetchone()
    assert got[0] == T0 and got[1] is True


def test_replace_batch_rolls_back_on_error(con) -> None:
    warehouse.replace_batch(con, "rejects", "b1", [reject("r1", "b1")])
    with pytest.raises(duckdb.Error):  # the same primary key twice: nothing of the batch is lost
        warehouse.replace_batch(con, "rejects", "b1", [reject("r2", "b1"), reject("r2", "b1")])
    assert con.execute("SELECT reject_id FROM rejects").fetchall() == [("r1",)]


def test_register_batch_keeps_the_first_registration(con) -> None:
    warehouse.register_batch(con, "b1", ["/in"], 3, "test")
    first = warehouse.batch_registered_at(con, "b1")
    warehouse.register_batch(con, "b1", ["/elsewhere"], 9, "cli")
    assert warehouse.batch_registered_at(con, "b1") == first
    assert con.execute("SELECT input_paths, n_files, origin FROM batches").fetchall() == [(["/in"], 3, "test")]
    assert warehouse.batch_registered_at(con, "nope") is None


# ---------------------------------------------------------------------------------------------
# Identifiers
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(warehouse.TABLES))
def test_table_ident_accepts_the_tables(name: str) -> None:
    assert warehouse.table_ident(name) == name


@pytest.mark.parametrize("name", [
    "", "nope", "Articles", "ARTICLES", " articles", "articles ", "articles;", "articles; drop table batches",
    "articles--", "articles/*", '"articles"', "main.articles", "articles WHERE 1=1", "x'); DROP TABLE articles; --",
    "dataset_metadata", "duckdb_tables()", "read_csv('/etc/passwd')", "articles\n", "artícles",
])
def test_table_ident_rejects_unknown_names_and_injection(name: str) -> None:
    with pytest.raises(ValueError, match="unknown table"):
        warehouse.table_ident(name)


def test_table_ident_rejects_non_strings() -> None:
    for bad in (None, 1, ("articles",)):
        with pytest.raises((ValueError, TypeError)):
            warehouse.table_ident(bad)  # type: ignore[arg-type]


def test_functions_that_take_a_table_name_check_it(con) -> None:
    for call in (
        lambda: warehouse.replace_batch(con, "articles; DROP TABLE batches", "b1", []),
        lambda: warehouse.row_counts(con, ["batches; DROP TABLE batches"]),
        lambda: warehouse.table_columns(con, "x' OR '1'='1"),
        lambda: warehouse.column_comments("../../etc/passwd"),
    ):
        with pytest.raises(ValueError):
            call()
    assert "batches" in {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}


# ---------------------------------------------------------------------------------------------
# Publishing
# ---------------------------------------------------------------------------------------------

def _count_in_subprocess(db: Path, table: str = "articles") -> int:
    """A new reader in another process, as a researcher's session would be."""
    code = f"import duckdb; print(duckdb.connect({str(db)!r}, read_only=True).execute('SELECT count(*) FROM {table}').fetchone()[0])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return int(out.stdout)


def test_publish_research_db_writes_a_read_only_copy(con, tmp_path: Path) -> None:
    warehouse.register_batch(con, "b1", ["/in"], 1, "test")
    warehouse.replace_batch(con, "articles", "b1", [article("a1", "b1"), article("a2", "b1", "Other.")])
    target = tmp_path / "pub" / "research.duckdb"
    counts = warehouse.publish_research_db(con, target, {"schema_version": "1", "note": "it's"})
    assert counts["articles"] == 2 and counts["batches"] == 1 and counts["strikes"] == 0
    assert sorted(p.name for p in target.parent.iterdir()) == ["research.duckdb"]  # no temporary files left

    reader = duckdb.connect(str(target), read_only=True)
    try:
        assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
        meta = dict(reader.execute("SELECT key, value FROM dataset_metadata").fetchall())
        assert meta["note"] == '"it\'s"' and '"articles": 2' in meta["row_counts"]
        # the copy keeps the warehouse's comments and types
        assert reader.execute("SELECT count(*) FROM duckdb_columns() WHERE table_name IN (SELECT unnest(?)) AND comment IS NULL",
                              [list(warehouse.TABLES)]).fetchone()[0] == 0
        with pytest.raises(duckdb.Error, match="read-only"):
            reader.execute("DELETE FROM articles")
    finally:
        reader.close()


def test_publish_replaces_the_file_under_an_open_reader(con, tmp_path: Path) -> None:
    """A researcher holding the old research.duckdb keeps reading it; a new connection (a new
    process) sees the new rows; neither side meets a lock error."""
    target = tmp_path / "research.duckdb"
    warehouse.replace_batch(con, "articles", "b1", [article("a1", "b1")])
    warehouse.publish_research_db(con, target, {})

    old = duckdb.connect(str(target), read_only=True)
    try:
        assert old.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
        # publishing while the reader is open: no lock error for the writer
        warehouse.replace_batch(con, "articles", "b2", [article("a2", "b2", "New."), article("a3", "b2", "Newer.")])
        warehouse.publish_research_db(con, target, {})
        # the open session still reads its (old) copy, without errors
        assert old.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
        assert old.execute("SELECT article_id FROM articles").fetchall() == [("a1",)]
        # a new connection from another process sees the new rows while the old one is open.
        # (In the SAME process DuckDB's instance cache hands back the already-open old file:
        # a long-lived session must close its connection to see a new publish.)
        assert _count_in_subprocess(target) == 3
        # and yet another publish, still under the old reader
        warehouse.replace_batch(con, "articles", "b3", [article("a4", "b3", "Newest.")])
        warehouse.publish_research_db(con, target, {})
        assert old.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    finally:
        old.close()
    assert _count_in_subprocess(target) == 4
    new = duckdb.connect(str(target), read_only=True)  # after closing the old one, this process too
    try:
        assert new.execute("SELECT count(*) FROM articles").fetchone()[0] == 4
    finally:
        new.close()


def test_an_open_reader_in_another_process_does_not_block_publishing(con, tmp_path: Path) -> None:
    target = tmp_path / "research.duckdb"
    warehouse.replace_batch(con, "articles", "b1", [article("a1", "b1")])
    warehouse.publish_research_db(con, target, {})
    reader = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, sys
            con = duckdb.connect({str(target)!r}, read_only=True)
            for line in sys.stdin:
                print(con.execute('SELECT count(*) FROM articles').fetchone()[0], flush=True)
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        reader.stdin.write("\n"); reader.stdin.flush()
        assert reader.stdout.readline().strip() == "1"
        warehouse.replace_batch(con, "articles", "b2", [article("a2", "b2", "New.")])
        warehouse.publish_research_db(con, target, {})  # would raise on a lock conflict
        reader.stdin.write("\n"); reader.stdin.flush()
        assert reader.stdout.readline().strip() == "1"  # the old copy, still readable
        assert _count_in_subprocess(target) == 2
    finally:
        reader.stdin.close()
        assert reader.wait(timeout=30) == 0, reader.stderr.read()


def test_export_batch_parquet_round_trips(con, tmp_path: Path) -> None:
    warehouse.register_batch(con, "b1", ["/in"], 2, "test")
    warehouse.register_batch(con, "b2", ["/in2"], 1, "test")
    warehouse.replace_batch(con, "articles", "b1", [article("a1", "b1"), article("a2", "b1", "Two.")])
    warehouse.replace_batch(con, "articles", "b2", [article("a3", "b2", "Three.")])
    warehouse.replace_batch(con, "rejects", "b1", [reject("r1", "b1")])
    exports = tmp_path / "exports"

    files = warehouse.export_batch_parquet(con, exports, "b1")
    assert len(files) == len(warehouse.TABLES)
    expected = {"batches": 1, "articles": 2, "rejects": 1}
    for f in files:
        if f.parent.name in warehouse.UNBATCHED_TABLES:
            assert f == exports / f.parent.name / "part-0.parquet"
            continue
        table = f.parent.parent.name
        assert f == exports / table / "batch_id=b1" / "part-0.parquet"
        pt = pq.read_table(f)
        assert pt.num_rows == expected.get(table, 0), table
        assert "batch_id" not in pt.column_names  # it is the hive partition directory
        assert pt.column_names == [c for c in warehouse.table_columns(con, table) if c != "batch_id"]
    assert pq.read_table(exports / "articles" / "batch_id=b1" / "part-0.parquet").column("article_id").to_pylist() == ["a1", "a2"]

    # re-exporting overwrites (no extra files); a second batch adds a partition
    warehouse.export_batch_parquet(con, exports, "b1")
    warehouse.export_batch_parquet(con, exports, "b2")
    assert sorted(p.name for p in (exports / "articles").iterdir()) == ["batch_id=b1", "batch_id=b2"]
    assert not list(exports.rglob("*.tmp"))
    dataset = pq.read_table(exports / "articles", partitioning="hive")
    assert dataset.num_rows == 3
    assert sorted(dataset.column("batch_id").to_pylist()) == ["b1", "b1", "b2"]


def test_row_counts_and_batch_articles(con) -> None:
    warehouse.replace_batch(con, "articles", "b1", [article("a2", "b1", "B."), article("a1", "b1", "A.")])
    warehouse.replace_batch(con, "articles", "b2", [article("a3", "b2", "C.")])
    assert warehouse.row_counts(con)["articles"] == 3
    assert [a["article_id"] for a in warehouse.batch_articles(con, "b1")] == ["a1", "a2"]
    assert warehouse.known_article_ids(con, "b1") == {"a3"}


_STRIKE = {"article_id": "a1", "batch_id": "b", "sentence_index": 3, "evidence": "A drone hit a depot.",
           "evidence_start": 0, "evidence_end": 20, "target_type": "infrastructure", "weapon": "drone",
           "certainty": "reported", "confidence": 0.8, "extractor_version": "t"}


def _inserted(con, table: str, df) -> list[tuple]:
    con.execute(f"DELETE FROM {table}")
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM df")
    return con.execute(f"SELECT * FROM {table} ORDER BY fact_id").fetchall()


def test_frame_is_arrow_with_the_tables_types_and_inserts_what_the_polars_frame_did():
    import polars as pl
    import pyarrow as pa

    con = duckdb.connect(":memory:")
    warehouse.ensure_schema(con)
    rows = [
        {**_STRIKE, "fact_id": "s1", "killed": 4, "latitude": 50, "longitude": 36.25, "event_date": date(2024, 5, 7),
         "not_a_column": "dropped"},
        {**_STRIKE, "fact_id": "s2", "killed": None},  # location, date and the rest missing: nulls
    ]
    df = warehouse.frame(con, "strikes", rows)
    assert isinstance(df, pa.Table)
    assert df.schema.field("killed").type == pa.int32() and df.schema.field("event_date").type == pa.date32()
    cols = warehouse.table_columns(con, "strikes")
    old = pl.DataFrame([{c: r.get(c) for c in cols} for r in rows], infer_schema_length=None)  # the frame before
    assert _inserted(con, "strikes", df) == _inserted(con, "strikes", old)


def test_frame_falls_back_to_inferred_types_when_a_value_does_not_fit_the_column():
    import polars as pl

    con = duckdb.connect(":memory:")
    warehouse.ensure_schema(con)
    rows = [{**_STRIKE, "fact_id": "s1", "killed": "12"}]  # a count given as text
    df = warehouse.frame(con, "strikes", rows)
    assert isinstance(df, pl.DataFrame)
    assert _inserted(con, "strikes", df)[0][warehouse.table_columns(con, "strikes").index("killed")] == 12
