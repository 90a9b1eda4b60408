"""The assets, materialized with the real DispatchesHome resource on a temporary home.

The whole process_batch job (ingest_batch -> extract_facts -> group_events -> research_db) for one
dynamic partition (a batch), in an ephemeral Dagster instance. Tests that extract from an article
that mentions a strike load the spaCy model and are marked slow."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import hashlib
import os

import duckdb
import pytest

from assets import checks, staging, warehouse
from tests.conftest import (
    SECOND_REPORT, STRIKE_BODY, copy_home, materialize_batch, query, table_digest, table_rows, write_junk_corpus,
    write_mixed_corpus,
)

INGEST_COUNTS = ("n_articles", "n_duplicates", "n_rejects")


def assert_ingest_metadata(run, articles: int, duplicates: int, rejects: int) -> None:
    """Each of articles, duplicates and rejects reports the batch's three counts."""
    expected = {"n_articles": articles, "n_duplicates": duplicates, "n_rejects": rejects}
    for asset in warehouse.INGEST_TABLES:
        md = run.metadata(asset)
        assert {k: md[k] for k in INGEST_COUNTS} == expected, asset
        assert md["batch_id"] == run.batch_id
    assert run.metadata("articles")["dagster/row_count"] == articles
    assert run.metadata("duplicates")["dagster/row_count"] == duplicates
    assert run.metadata("rejects")["dagster/row_count"] == rejects


# What each asset check saw when the job evaluated it: the rows of the batch it judges, counted on
# the same connection just before the check's SQL ran.
def _count(tables, per_batch: bool = True) -> str:
    return "SELECT " + " + ".join(f"(SELECT count(*) FROM {t}{' WHERE batch_id = $b' if per_batch else ''})" for t in tables)


CHECKED_ROWS_SQL = {
    "evidence_slices": _count(warehouse.FACT_TABLES),
    "country_codes": _count(warehouse.FACT_TABLES),
    "event_links": _count(["event_reports"]),
    "unique_ids": _count([*warehouse.FACT_TABLES, *warehouse.EVENT_TABLES], per_batch=False),
}


def spy_on_checks(mp: pytest.MonkeyPatch) -> dict[str, int]:
    """Wrap the check functions the assets call (through `assets.checks`): each call records how
    many rows it was given to judge. Returns the record, filled as the job runs."""
    seen: dict[str, int] = {}
    for name, sql in CHECKED_ROWS_SQL.items():
        def wrapper(con, *args, _real=getattr(checks, name), _name=name, _sql=sql):
            seen[_name] = con.execute(_sql, {"b": args[0]} if "$b" in _sql else {}).fetchone()[0]
            return _real(con, *args)
        mp.setattr(checks, name, wrapper)
    return seen


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """One materialized batch of the mixed folder, shared (read-only) by the tests below; tests
    that change data work on a copy of its home. `run.checked_rows` holds what each check saw."""
    from assets.resources import DispatchesHome

    base = tmp_path_factory.mktemp("mixed")
    corpus = write_mixed_corpus(base / "corpus")
    home = DispatchesHome(home=str(base / "home"))
    with pytest.MonkeyPatch.context() as mp:
        seen = spy_on_checks(mp)
        run = materialize_batch(home, [corpus])
    run.checked_rows = dict(seen)
    # the strike article's facts reached the warehouse: the tests below judge real fact rows
    assert query(home.warehouse_path, "SELECT count(*) FROM strikes")[0][0] >= 1
    return home, corpus, run


# ---------------------------------------------------------------------------------------------
# (1) a mixed folder
# ---------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_mixed_folder_counts_and_metadata(mixed) -> None:
    home, corpus, run = mixed
    assert run.result.success
    assert_ingest_metadata(run, articles=2, duplicates=1, rejects=2)
    assert run.materialized() == (set(warehouse.INGEST_TABLES) | set(warehouse.FACT_TABLES) | set(warehouse.EVENT_TABLES)
                                  | {"research_db"})
    assert run.checks() == {"reject_share_below_limit": True, "evidence_slices_match": True, "country_codes_are_iso3": True,
                            "event_reports_point_at_rows": True, "ids_are_unique": True}

    db = home.research_path
    assert query(db, "SELECT count(*) FROM articles")[0][0] == 2
    (strike,) = query(db, "SELECT text, title, input_path, is_english FROM articles WHERE title LIKE 'Drone%'")
    assert strike[0].startswith("KHARKIV") and strike[3] is True
    # the first copy (sorted by name) is the article; the second is the duplicate, pointing at it
    assert Path(strike[2]).name == "a_strike.txt"
    (dup,) = query(db, "SELECT d.input_path, a.title FROM duplicates d JOIN articles a USING (article_id)")
    assert Path(dup[0]).name == "d_strike_copy.txt" and dup[1].startswith("Drone strike")
    rejects = {(Path(p).name, r) for p, r in query(db, "SELECT input_path, reason FROM rejects")}
    assert rejects == {("b_feed.jsonl", "malformed_json"), ("c_scan.txt", "binary")}
    assert run.metadata("rejects")["reasons"] == {"malformed_json": 1, "binary": 1}
    # the batch is recorded with its manifest's origin and file count
    assert query(db, "SELECT batch_id, n_files, origin FROM batches") == [(run.batch_id, 4, "test")]
    # research_db reports what it published
    md = run.metadata("research_db")
    assert md["batch_id"] == run.batch_id and md["dagster/row_count"] == 2
    assert md["parquet_files_written"] == len(warehouse.TABLES)


@pytest.mark.slow
def test_facts_and_events_reach_the_warehouse_and_research_db(mixed) -> None:
    """The events step loads what extraction staged: the strike article's facts are in the
    warehouse and in research.duckdb, grouped into events, exactly the staged rows."""
    home, _, run = mixed
    for db in (home.warehouse_path, home.research_path):
        n = {t: query(db, f"SELECT count(*) FROM {t} WHERE batch_id = ?", [run.batch_id])[0][0]
             for t in (*warehouse.FACT_TABLES, "event_reports")}
        assert n["strikes"] >= 1 and n["mentions"] >= 1 and n["event_reports"] >= 1, n
        assert query(db, "SELECT count(*) FROM events")[0][0] >= 1
        # every strike is a report of an event; the strike is the Kharkiv one
        assert query(db, "SELECT count(*) FROM strikes WHERE fact_id NOT IN (SELECT fact_id FROM event_reports)") == [(0,)]
        assert query(db, "SELECT DISTINCT a.title FROM strikes s JOIN articles a USING (article_id)") == [(
            "Drone strike hits depot near Kharkiv",)]
    with duckdb.connect(str(home.warehouse_path), read_only=True) as con:
        for t in warehouse.FACT_TABLES:
            staged = staging.read(home.staging, run.batch_id, t).to_pylist()
            loaded = con.sql(f"SELECT * FROM {t} WHERE batch_id = ? ORDER BY fact_id", params=[run.batch_id]).to_arrow_table().to_pylist()
            assert loaded == sorted(staged, key=lambda r: r["fact_id"]), t
    md = run.metadata("events")
    assert md["reports_in_batch"] == n["strikes"] + n["visits"] + n["arms_sales"] + n["killings"]
    assert run.metadata("event_reports")["dagster/row_count"] == n["event_reports"]


@pytest.mark.slow
def test_the_asset_checks_judged_the_batchs_real_rows(mixed, tmp_path: Path) -> None:
    """Each blocking check was evaluated on the batch's real rows (not on empty tables), and each
    fails when one of those real rows is broken: the offsets check on a shifted evidence slice,
    the event check on an event that lost its row."""
    src, _, run = mixed
    n_facts = sum(query(src.warehouse_path, f"SELECT count(*) FROM {t} WHERE batch_id = ?", [run.batch_id])[0][0]
                  for t in warehouse.FACT_TABLES)
    n_reports = query(src.warehouse_path, "SELECT count(*) FROM event_reports WHERE batch_id = ?", [run.batch_id])[0][0]
    assert n_facts > 0 and n_reports > 0
    assert run.checked_rows["evidence_slices"] == n_facts  # run in extraction, on the facts it staged
    assert run.checked_rows["country_codes"] == n_facts
    assert run.checked_rows["event_links"] == n_reports  # run after the events were written
    assert run.checked_rows["unique_ids"] >= n_facts + n_reports
    evaluations = {e.check_name: e for e in run.result.get_asset_check_evaluations()}
    assert evaluations["evidence_slices_match"].metadata["n_mismatches"].value == 0
    assert evaluations["event_reports_point_at_rows"].metadata["n_orphans"].value == 0

    home = copy_home(src, tmp_path / "home")
    with home.warehouse() as con:
        assert checks.evidence_slices(con, run.batch_id).passed and checks.event_links(con, run.batch_id).passed
        # shift one real strike's offsets by one character: its evidence no longer matches
        fact_id, event_id = con.execute("SELECT fact_id, event_id FROM strikes JOIN event_reports USING (fact_id) "
                                        "ORDER BY fact_id LIMIT 1").fetchone()
        con.execute("UPDATE strikes SET evidence_start = evidence_start + 1, evidence_end = evidence_end + 1 WHERE fact_id = ?", [fact_id])
        bad = checks.evidence_slices(con, run.batch_id)
        assert bad.passed is False and bad.metadata["n_mismatches"].value == 1
        assert fact_id in bad.metadata["mismatches"].value
        # drop the event that real report points at: the report is an orphan
        con.execute("DELETE FROM events WHERE event_id = ?", [event_id])
        bad = checks.event_links(con, run.batch_id)
        n_orphans = con.execute("SELECT count(*) FROM event_reports WHERE event_id = ?", [event_id]).fetchone()[0]
        assert bad.passed is False and bad.metadata["n_orphans"].value == n_orphans >= 1
        assert fact_id in bad.metadata["orphans"].value


@pytest.mark.slow
def test_parquet_exports_match_the_batch(mixed) -> None:
    home, _, run = mixed
    whole = home.exports / "events" / "part-0.parquet"  # events span batches: one file
    n = query(home.research_path, "SELECT count(*) FROM events")[0][0]
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{whole}')").fetchall() == [(n,)]
    for table in (t for t in warehouse.TABLES if t not in warehouse.UNBATCHED_TABLES):
        part = home.exports / table / f"batch_id={run.batch_id}" / "part-0.parquet"
        assert part.is_file(), part
        n = query(home.research_path, f"SELECT count(*) FROM {table} WHERE batch_id = ?", [run.batch_id])[0][0]
        assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{part}')").fetchall() == [(n,)], table
    # hive partitioning gives the batch id back as a column
    ds = duckdb.sql(f"SELECT DISTINCT batch_id FROM read_parquet('{home.exports}/articles/*/*.parquet', hive_partitioning = true)")
    assert ds.fetchall() == [(run.batch_id,)]


# ---------------------------------------------------------------------------------------------
# (2) an empty batch
# ---------------------------------------------------------------------------------------------

def test_empty_batch_publishes_every_table_typed_and_empty(home, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    run = materialize_batch(home, [empty])
    assert run.result.success
    assert_ingest_metadata(run, 0, 0, 0)
    assert all(run.checks().values()), run.checks()

    db = home.research_path
    tables = {t for (t,) in query(db, "SELECT table_name FROM duckdb_tables() WHERE table_name <> 'dataset_metadata'")}
    assert tables == set(warehouse.TABLES)
    for table in warehouse.TABLES:
        expected = 1 if table == "batches" else 0  # the empty batch itself is registered
        assert query(db, f"SELECT count(*) FROM {table}")[0][0] == expected, table
    # typed like the DDL: the same column names and types as a fresh schema
    assert column_types(db) == fresh_schema_types(tmp_path / "fresh.duckdb")


def column_types(db: Path) -> dict[tuple[str, str], str]:
    rows = query(db, "SELECT table_name, column_name, data_type FROM duckdb_columns() "
                     "WHERE table_name IN (SELECT unnest(?))", [list(warehouse.TABLES)])
    return {(t, c): d for t, c, d in rows}


def fresh_schema_types(path: Path) -> dict[tuple[str, str], str]:
    with warehouse.connect(path) as con:
        warehouse.ensure_schema(con)
    return column_types(path)


# ---------------------------------------------------------------------------------------------
# (3) re-running a partition; (4) a second batch with the same texts
# ---------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_rerun_of_a_partition_changes_nothing(mixed, tmp_path: Path) -> None:
    src, corpus, first = mixed
    home = copy_home(src, tmp_path / "home")
    before = table_digest(home.research_path)
    warehouse_before = table_digest(home.warehouse_path)
    ingested_before = query(home.warehouse_path, "SELECT DISTINCT ingested_at FROM articles")

    again = materialize_batch(home, [corpus], instance=first.instance)  # the same partition, same instance
    assert again.batch_id == first.batch_id
    assert again.result.success
    assert_ingest_metadata(again, 2, 1, 2)
    assert table_digest(home.research_path) == before
    assert table_digest(home.warehouse_path) == warehouse_before
    assert query(home.warehouse_path, "SELECT DISTINCT ingested_at FROM articles") == ingested_before
    (ingested_at,), = ingested_before
    registered_at = query(home.warehouse_path, "SELECT registered_at FROM batches")[0][0]
    assert ingested_at == registered_at  # ingested_at is the batch's first registration time


@pytest.mark.slow
def test_second_batch_with_the_same_texts_yields_duplicates(mixed, tmp_path: Path) -> None:
    src, corpus, first = mixed
    home = copy_home(src, tmp_path / "home")
    before = table_digest(home.research_path, warehouse.FACT_TABLES + warehouse.EVENT_TABLES)
    again = tmp_path / "again"
    again.mkdir()
    for name in ("a_strike.txt", "b_feed.jsonl"):
        (again / name).write_bytes((corpus / name).read_bytes())

    second = materialize_batch(home, [again])
    assert second.batch_id != first.batch_id
    assert second.result.success
    # the strike text and the good JSON line are known: duplicates; the broken line is a reject
    assert_ingest_metadata(second, articles=0, duplicates=2, rejects=1)
    db = home.research_path
    assert query(db, "SELECT count(*) FROM articles")[0][0] == 2
    assert query(db, "SELECT count(*) FROM duplicates WHERE batch_id = ?", [second.batch_id])[0][0] == 2
    assert query(db, "SELECT count(*) FROM batches")[0][0] == 2
    # every duplicate points at an article of the first batch
    assert query(db, "SELECT DISTINCT a.batch_id FROM duplicates d JOIN articles a USING (article_id) "
                     "WHERE d.batch_id = ?", [second.batch_id]) == [(first.batch_id,)]
    # no new facts: facts belong to articles, and there are no new articles; no new events
    assert table_digest(db, warehouse.FACT_TABLES + warehouse.EVENT_TABLES) == before


# ---------------------------------------------------------------------------------------------
# (5) the asset checks
# ---------------------------------------------------------------------------------------------

def _strike_row(article_id: str, batch_id: str, text: str, sentence: str, country: str | None = "UKR") -> dict:
    start = text.index(sentence)
    return {
        "fact_id": "s-test-1", "article_id": article_id, "batch_id": batch_id, "sentence_index": 0,
        "evidence": sentence, "evidence_start": start, "evidence_end": start + len(sentence),
        "attacker": "Russia", "attacker_country": "RUS", "target": "a fuel depot", "target_type": "infrastructure",
        "location": "Kharkiv", "country": country, "weapon": "drone", "killed": 3, "killed_max": 3,
        "certainty": "reported", "attributed_to": "regional officials", "confidence": 0.9,
        "extractor_version": "test",
    }


@pytest.mark.slow
def test_blocking_checks_pass_on_good_data_and_fail_on_bad(mixed, tmp_path: Path) -> None:
    src, _, run = mixed
    home = copy_home(src, tmp_path / "home")
    with home.warehouse() as con:
        # a fact row we control, whatever the extractors found
        article_id, text = con.execute("SELECT article_id, text FROM articles WHERE title LIKE 'Drone%'").fetchone()
        sentence = STRIKE_BODY.split("\n")[0].split(" - ", 1)[1]
        assert sentence in text
        row = _strike_row(article_id, run.batch_id, text, sentence)
        warehouse.replace_batch(con, "strikes", run.batch_id, [row])
        assert checks.evidence_slices(con, run.batch_id).passed is True
        assert checks.country_codes(con, run.batch_id).passed is True

        con.execute("UPDATE strikes SET evidence_start = evidence_start + 1 WHERE fact_id = 's-test-1'")
        bad = checks.evidence_slices(con, run.batch_id)
        assert bad.passed is False and bad.metadata["n_mismatches"].value == 1
        assert checks.country_codes(con, run.batch_id).passed is True

        con.execute("UPDATE strikes SET evidence_start = evidence_start - 1, country = 'XXX' WHERE fact_id = 's-test-1'")
        assert checks.evidence_slices(con, run.batch_id).passed is True
        bad = checks.country_codes(con, run.batch_id)
        assert bad.passed is False and bad.metadata["n_invalid"].value == 1

        # evidence that points past the end of the text, or at an article that does not exist
        con.execute("UPDATE strikes SET country = 'UKR', evidence_end = 100000 WHERE fact_id = 's-test-1'")
        assert checks.evidence_slices(con, run.batch_id).passed is False
        warehouse.replace_batch(con, "strikes", run.batch_id, [{**row, "article_id": "no-such-article"}])
        assert checks.evidence_slices(con, run.batch_id).passed is False
        # a two-letter code is not an ISO 3166-1 alpha-3 code
        warehouse.replace_batch(con, "strikes", run.batch_id, [{**row, "country": "UA"}])
        assert checks.country_codes(con, run.batch_id).passed is False


def test_evidence_check_counts_characters_like_python(tmp_path: Path) -> None:
    """Offsets are Python str indices (code points); the check's SQL must agree on non-ASCII text."""
    text = "Officials in Zaporizhzhia 👨‍👩‍👧 said — “a drone struck the café at dawn.” More text follows."
    sentence = "“a drone struck the café at dawn.”"
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        warehouse.ensure_schema(con)
        con.execute("INSERT INTO articles (article_id, batch_id, text, published_at_source, language, is_english, "
                    "n_words, input_path, input_record, ingested_at) VALUES ('a1', 'b1', ?, 'none', 'en', true, 12, "
                    "'/x.txt', '', now())", [text])
        warehouse.replace_batch(con, "strikes", "b1", [_strike_row("a1", "b1", text, sentence)])
        assert checks.evidence_slices(con, "b1").passed is True


def test_junk_only_batch_fails_the_reject_share_check(home, tmp_path: Path) -> None:
    run = materialize_batch(home, [write_junk_corpus(tmp_path / "junk")])
    # the check is a warning (not blocking): the run succeeds and reports the failed check
    assert run.result.success
    assert_ingest_metadata(run, articles=0, duplicates=0, rejects=4)
    assert run.checks()["reject_share_below_limit"] is False
    (evaluation,) = [e for e in run.result.get_asset_check_evaluations() if e.check_name == "reject_share_below_limit"]
    assert evaluation.metadata["reject_share"].value == 1.0
    with home.warehouse() as con:
        assert checks.reject_share(con, run.batch_id, home.max_reject_share).passed is False
        assert checks.reject_share(con, run.batch_id, 1.0).passed is True


def test_a_failed_blocking_check_stops_publishing(home, tmp_path: Path, monkeypatch) -> None:
    """Facts whose evidence does not match their article fail the run before research_db."""
    import assets.facts

    def bad_extractor(articles, on_article=None, workers=1):
        out = {t: [] for t in warehouse.FACT_TABLES}
        for a in articles:
            row = _strike_row(a["article_id"], a["batch_id"], a["text"], a["text"][:20])
            out["strikes"].append({**row, "evidence": "not what the article says"})
        yield 0, out

    monkeypatch.setattr(assets.facts, "extract_chunks", bad_extractor)
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "harvest.txt").write_text("Harvest\n\nThe harvest began early in the northern valley this year.\n")
    run = materialize_batch(home, [corpus], raise_on_error=False)
    assert not run.result.success
    assert run.checks()["evidence_slices_match"] is False
    assert "research_db" not in run.materialized()
    assert not home.research_path.exists()


def _file_state(path: Path) -> tuple[int, str]:
    """(inode, sha256 of the bytes): a rebuilt and renamed-in file changes both."""
    return os.stat(path).st_ino, hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
@pytest.mark.parametrize("failing", ["evidence_slices_match", "event_reports_point_at_rows"])
def test_a_failed_check_on_a_home_with_data_leaves_research_db_as_it_was(mixed, tmp_path: Path, monkeypatch, failing) -> None:
    """A second batch whose facts fail a blocking check: the run fails before research_db, and the
    research database researchers read is the first batch's, byte for byte and row for row.

    evidence_slices_match: extraction shifts one real strike's offsets (a bad row in the staged
    facts); the facts never reach the warehouse. event_reports_point_at_rows: the events step
    writes one report of the batch that points at no fact (a bad row in the warehouse)."""
    import assets.facts

    src, _, first = mixed
    home = copy_home(src, tmp_path / "home")
    research_before = table_rows(home.research_path)
    meta_before = query(home.research_path, "SELECT key, value FROM dataset_metadata ORDER BY key")
    file_before = _file_state(home.research_path)
    warehouse_facts_before = table_rows(home.warehouse_path, tables=warehouse.FACT_TABLES)
    exports_before = sorted(str(p.relative_to(home.exports)) for p in home.exports.rglob("*.parquet"))
    events_export_before = _file_state(home.exports / "events" / "part-0.parquet")

    if failing == "evidence_slices_match":
        real_extract = assets.facts.extract_chunks

        def shifted(articles, on_article=None, workers=1):
            chunks = list(real_extract(articles, on_article=on_article, workers=workers))
            facts = chunks[0][1]
            assert facts["strikes"], "the second report must yield a strike"
            facts["strikes"][0] = {**facts["strikes"][0], "evidence_start": facts["strikes"][0]["evidence_start"] + 1}
            yield from chunks

        monkeypatch.setattr(assets.facts, "extract_chunks", shifted)
    else:
        real_links = checks.event_links

        def with_an_orphan(con, batch_id):
            con.execute("INSERT INTO event_reports SELECT event_id, 'no-such-fact', fact_table, article_id, batch_id, similarity "
                        "FROM event_reports WHERE batch_id = ? LIMIT 1", [batch_id])
            return real_links(con, batch_id)

        monkeypatch.setattr(checks, "event_links", with_an_orphan)

    corpus = tmp_path / "second"
    corpus.mkdir()
    (corpus / "kharkiv_second_report.txt").write_text(SECOND_REPORT, encoding="utf-8")
    second = materialize_batch(home, [corpus], raise_on_error=False)
    assert second.batch_id != first.batch_id
    assert not second.result.success
    assert second.checks()[failing] is False
    assert "research_db" not in second.materialized()

    assert _file_state(home.research_path) == file_before  # not rebuilt, not replaced
    assert table_rows(home.research_path) == research_before
    assert query(home.research_path, "SELECT key, value FROM dataset_metadata ORDER BY key") == meta_before
    assert sorted(str(p.relative_to(home.exports)) for p in home.exports.rglob("*.parquet")) == exports_before
    assert _file_state(home.exports / "events" / "part-0.parquet") == events_export_before
    # the batch did reach the warehouse (it is the pipeline's working copy)...
    assert query(home.warehouse_path, "SELECT count(*) FROM articles WHERE batch_id = ?", [second.batch_id]) == [(1,)]
    n_strikes = query(home.warehouse_path, "SELECT count(*) FROM strikes WHERE batch_id = ?", [second.batch_id])[0][0]
    if failing == "evidence_slices_match":  # ...but facts that fail extraction's checks do not
        assert n_strikes == 0
        assert table_rows(home.warehouse_path, tables=warehouse.FACT_TABLES) == warehouse_facts_before
    else:
        assert n_strikes >= 1
        assert query(home.warehouse_path, "SELECT count(*) FROM event_reports WHERE fact_id = 'no-such-fact'") == [(1,)]


# ---------------------------------------------------------------------------------------------
# (6) every evidence slice equals its text
# ---------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_every_evidence_slice_equals_its_text(mixed) -> None:
    """Over research.duckdb, for every batch: the check's SQL finds no mismatches, and every
    fact's evidence is its slice of the article's text (the strike article gives a strike and
    mentions, so real rows are compared)."""
    home, _, run = mixed
    db = home.research_path
    sql = warehouse.sql_text("checks/evidence_mismatches.sql")
    con = duckdb.connect(str(db), read_only=True)
    try:
        batch_ids = [r[0] for r in con.execute("SELECT batch_id FROM batches").fetchall()]
        assert batch_ids == [run.batch_id]
        for b in batch_ids:
            assert con.execute(sql, {"batch_id": b}).fetchall() == []
        # and the same, independently, in Python over every fact table
        compared = 0
        for table in warehouse.FACT_TABLES:
            rows = con.execute(f"SELECT f.evidence, f.evidence_start, f.evidence_end, a.text FROM {table} f "
                               "JOIN articles a USING (article_id)").fetchall()
            n = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            assert len(rows) == n, f"{table}: facts without an article"
            for evidence, start, end, text in rows:
                assert text[start:end] == evidence, table
            compared += len(rows)
        assert compared >= 2
    finally:
        con.close()


@pytest.mark.slow
def test_published_research_db_records_what_it_holds(mixed) -> None:
    home, _, run = mixed
    meta = dict(query(home.research_path, "SELECT key, value FROM dataset_metadata"))
    import json

    assert json.loads(meta["batches"]) == [run.batch_id]
    assert json.loads(meta["schema_version"]) == warehouse.SCHEMA_VERSION
    published = datetime.fromisoformat(json.loads(meta["published_at"]))
    assert published.tzinfo is not None and published <= datetime.now(timezone.utc)
    counts = json.loads(meta["row_counts"])
    assert counts == {t: query(home.research_path, f"SELECT count(*) FROM {t}")[0][0] for t in warehouse.TABLES}


def test_the_unique_ids_check_passes_and_fails_on_a_shared_fact_id(mixed, tmp_path: Path) -> None:
    src, _, run = mixed
    home = copy_home(src, tmp_path / "home")
    with home.warehouse() as con:
        assert checks.unique_ids(con).passed is True
        article_id, text = con.execute("SELECT article_id, text FROM articles WHERE title LIKE 'Drone%'").fetchone()
        sentence = STRIKE_BODY.split("\n")[0].split(" - ", 1)[1]
        row = _strike_row(article_id, run.batch_id, text, sentence)
        warehouse.replace_batch(con, "strikes", run.batch_id, [row])
        assert checks.unique_ids(con).passed is True
        # the same id in another fact table: each table's primary key allows it, the check does not
        con.execute("INSERT INTO killings (fact_id, article_id, batch_id, sentence_index, evidence, evidence_start, evidence_end, "
                    "certainty, confidence, extractor_version) SELECT fact_id, article_id, batch_id, sentence_index, evidence, "
                    "evidence_start, evidence_end, certainty, confidence, extractor_version FROM strikes WHERE fact_id = ?", [row["fact_id"]])
        bad = checks.unique_ids(con)
        assert bad.passed is False and bad.metadata["n_duplicates"].value == 1


class _Row(dict):
    """A fact row a weak reference can follow (plain dicts cannot be weakly referenced)."""


def test_extraction_writes_each_chunk_away_and_keeps_no_batch_of_rows(home, tmp_path: Path, monkeypatch) -> None:
    """extract_facts writes each chunk's rows to its DuckDB as the chunk arrives and drops them:
    when the next chunk is asked for, the previous chunk's rows are gone from memory (only the
    preview's first rows stay), so the step holds the batch's rows in DuckDB's columns, not as
    dicts. The preview, the counts and the staged tables are those of every chunk, in article order,
    whatever order the chunks arrive in."""
    import gc
    import weakref

    import assets.facts

    per_chunk, order = 15, [2, 0, 1]  # chunks arriving out of order, as from a pool
    alive_after: list[int] = []

    def streaming_extractor(articles, on_article=None, workers=1):
        a = articles[0]
        sentence = a["text"].split("\n")[-1].strip()
        refs: list[weakref.ref] = []
        for k in order:
            gc.collect()
            alive_after.append(sum(1 for r in refs if r() is not None))
            rows = []
            for j in range(per_chunk):
                row = _Row(_strike_row(a["article_id"], a["batch_id"], a["text"], sentence))
                row.update(fact_id=f"s-{k}-{j:02d}", killed=k * 100 + j)
                rows.append(row)
            refs = [weakref.ref(r) for r in rows]
            yield k, {**{t: [] for t in warehouse.FACT_TABLES}, "strikes": rows}
            del rows, row
        gc.collect()
        alive_after.append(sum(1 for r in refs if r() is not None))

    monkeypatch.setattr(assets.facts, "extract_chunks", streaming_extractor)
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "depot.txt").write_text("Depot\n\nA drone struck a fuel depot in Kharkiv overnight, regional officials said.\n")
    run = materialize_batch(home, [corpus])
    assert run.result.success
    # of each chunk's 15 rows at most the 10 a preview may still show outlive it
    assert alive_after[0] == 0 and all(n <= 10 for n in alive_after[1:]), alive_after
    # chunk 2 came first (its 10 first rows kept until chunk 0 came), chunk 0's stay, chunk 1's go
    assert alive_after == [0, 10, 10, 0], alive_after
    meta = run.result.asset_materializations_for_node("extract_facts")
    strikes_meta = next(m for m in meta if m.asset_key.path == ["strikes"]).metadata
    assert strikes_meta["dagster/row_count"].value == 45
    preview = strikes_meta["preview"].value
    shown = [int(line.split("|")[6]) for line in preview.splitlines() if line.startswith("| ") and "attacker" not in line]
    assert shown == list(range(10)), "the preview is the first rows in article (chunk) order"
    assert "_45 rows; first 10 shown_" in preview
    assert strikes_meta["by_certainty"].value == {"reported": 45}
    with home.warehouse() as con:
        killed = [r[0] for r in con.execute("SELECT killed FROM strikes ORDER BY fact_id").fetchall()]
    assert killed == sorted(k * 100 + j for k in order for j in range(per_chunk))
