"""Research views (sql/views) and example queries (sql/examples) on a small hand-made database.

The rows below are invented for these tests (no real reporting): two articles telling one strike with
different tolls, a planned then occurred visit, an approval then signature of one arms sale, a named
killing told twice, plus reports that no event groups.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb
import pytest

from assets import views, warehouse

VIEWS = {
    "strikes_by_country_month": ["country", "month", "n_strikes", "n_reports", "killed_sum"],
    "visits_network": ["visitor_country", "destination_country", "n_visits", "n_occurred", "latest_visit_date", "visitors"],
    "arms_sales_by_supplier_recipient_year": ["seller_country", "buyer_country", "year", "n_deals", "total_value_usd",
                                              "n_deals_with_value"],
    "killings_timeline": ["event_id", "fact_id", "event_date", "date_precision", "victim", "perpetrator",
                          "perpetrator_country", "location", "country", "latitude", "longitude", "killed", "certainty",
                          "n_reports", "n_sources", "first_reported_at"],
    "quotes_by_speaker": ["speaker", "speaker_org", "n_quotes", "n_articles", "first_published", "last_published"],
    "events_with_sources": ["event_id", "type", "event_date", "date_precision", "first_reported_at", "last_reported_at",
                            "n_reports", "n_sources", "certainty", "sources", "republished_by", "evidence"],
    "casualty_claims": ["event_id", "fact_table", "claimant", "killed", "killed_max", "certainty", "reported_at",
                        "fact_id", "article_id", "evidence"],
}
EXAMPLES = {
    "countries_struck_most_2024": ["country", "strikes", "reports", "killed"],
    "competing_death_tolls": ["event_id", "event_date", "location", "country", "killed_low", "killed_best",
                              "killed_high", "claims"],
    "top_arms_suppliers_by_buyer": ["seller_country", "buyer_country", "deals", "deals_with_value", "usd_billion"],
}
VIEW_FILES = sorted((warehouse.SQL_DIR / "views").glob("*.sql"))
EXAMPLE_FILES = sorted((warehouse.SQL_DIR / "examples").glob("*.sql"))

# Used only while sql/ddl/events.sql or event_reports.sql is not in the tree yet.
_FALLBACK_DDL = {
    "events": """CREATE TABLE IF NOT EXISTS events (
        event_id VARCHAR PRIMARY KEY, type VARCHAR, event_date DATE, date_precision VARCHAR,
        first_reported_at TIMESTAMPTZ, last_reported_at TIMESTAMPTZ, n_reports INTEGER, n_sources INTEGER,
        killed_best INTEGER, killed_low INTEGER, killed_high INTEGER, attacker VARCHAR, attacker_country VARCHAR,
        target VARCHAR, location VARCHAR, country VARCHAR, latitude DOUBLE, longitude DOUBLE, weapon VARCHAR,
        visitor VARCHAR, visitor_country VARCHAR, destination VARCHAR, destination_country VARCHAR, seller VARCHAR,
        seller_country VARCHAR, buyer VARCHAR, buyer_country VARCHAR, items VARCHAR, value_usd DOUBLE,
        status VARCHAR, victim VARCHAR, perpetrator VARCHAR, perpetrator_country VARCHAR, certainty VARCHAR)""",
    "event_reports": """CREATE TABLE IF NOT EXISTS event_reports (
        event_id VARCHAR, fact_id VARCHAR, fact_table VARCHAR, article_id VARCHAR, batch_id VARCHAR,
        similarity DOUBLE)""",
}


def build_schema(con: duckdb.DuckDBPyConnection) -> None:
    missing = [t for t in _FALLBACK_DDL if not (warehouse.SQL_DIR / "ddl" / f"{t}.sql").exists()]
    if not missing:
        warehouse.ensure_schema(con)
        return
    for t in warehouse.TABLES:
        if t not in missing:
            con.execute(warehouse.sql_text(f"ddl/{t}.sql"))
    for t in missing:
        con.execute(_FALLBACK_DDL[t])


# ---------------------------------------------------------------------------------------------
# Test rows
# ---------------------------------------------------------------------------------------------

def _ts(day: str) -> datetime:
    return datetime.fromisoformat(day + "T09:00:00").replace(tzinfo=timezone.utc)


A1, A2, A3, A4 = "art-1", "art-2", "art-3", "art-4"
ARTICLES = [
    {"article_id": A1, "url": "https://wire.example/1", "source": "Reuters", "published_at": _ts("2024-03-05")},
    {"article_id": A2, "url": "https://ap.example/2", "source": "AP", "published_at": _ts("2024-03-06")},
    {"article_id": A3, "url": "https://bbc.example/3", "source": "BBC", "published_at": _ts("2024-04-02")},
    {"article_id": A4, "url": "https://blog.example/4", "source": None, "published_at": None},
]
DUPLICATES = [{"duplicate_id": "dup-1", "article_id": A1, "batch_id": "b1", "url": "https://yahoo.example/1",
               "source": "Yahoo News", "input_path": "copy.txt", "input_record": ""}]
STRIKES = [
    {"fact_id": "s1", "article_id": A1, "country": "UKR", "location": "Kharkiv", "attacker": "Russia",
     "event_date": date(2024, 3, 4), "killed": 10, "killed_max": 10, "attributed_to": "regional officials",
     "certainty": "reported", "evidence": "A Russian strike on Kharkiv killed 10 people, regional officials said."},
    # Same strike: the report gives no country and a day-later date; the event's fields count.
    {"fact_id": "s2", "article_id": A2, "country": None, "location": "Kharkiv", "attacker": "Russia",
     "event_date": date(2024, 3, 5), "killed": 12, "killed_max": 14, "attributed_to": None,
     "certainty": "claimed", "evidence": "Between 12 and 14 people died in the Kharkiv strike."},
    {"fact_id": "s3", "article_id": A3, "country": "SYR", "location": "Idlib", "event_date": date(2024, 3, 20),
     "killed": 5, "evidence": "An air strike on Idlib killed five."},
    {"fact_id": "s4", "article_id": A3, "country": "UKR", "location": "Odesa", "event_date": date(2024, 4, 1),
     "killed": None, "evidence": "A drone struck Odesa port."},
]
VISITS = [
    {"fact_id": "v1", "article_id": A1, "visitor": "Antony Blinken", "visitor_country": "USA", "destination": "Kyiv",
     "destination_country": "UKR", "status": "planned", "event_date": date(2024, 3, 10),
     "evidence": "Blinken will travel to Kyiv next week."},
    {"fact_id": "v2", "article_id": A2, "visitor": "Antony Blinken", "visitor_country": "USA", "destination": "Kyiv",
     "destination_country": "UKR", "status": "occurred", "event_date": date(2024, 3, 11),
     "evidence": "Blinken arrived in Kyiv on Monday."},
    {"fact_id": "v3", "article_id": A3, "visitor": "Lloyd Austin", "visitor_country": "USA", "destination": "Kyiv",
     "destination_country": "UKR", "status": "cancelled", "event_date": date(2024, 4, 1),
     "evidence": "Austin called off his trip to Kyiv."},
    {"fact_id": "v4", "article_id": A3, "visitor": "Olaf Scholz", "visitor_country": "DEU", "destination": "Kyiv",
     "destination_country": "UKR", "status": "occurred", "event_date": date(2024, 2, 1),
     "evidence": "Scholz visited Kyiv in February."},
]
ARMS_SALES = [
    {"fact_id": "a1", "article_id": A1, "seller": "United States", "seller_country": "USA", "buyer": "Poland",
     "buyer_country": "POL", "items": "AIM-120D missiles", "value_usd": 1.0e9, "status": "approved",
     "event_date": date(2024, 3, 1), "evidence": "The State Department approved a $1 billion sale to Poland."},
    {"fact_id": "a2", "article_id": A2, "seller": "United States", "seller_country": "USA", "buyer": "Poland",
     "buyer_country": "POL", "items": "AIM-120D missiles", "value_usd": 1.2e9, "status": "signed",
     "event_date": date(2024, 3, 5), "evidence": "Poland signed the $1.2 billion missile deal."},
    {"fact_id": "a3", "article_id": A3, "seller": "Germany", "seller_country": "DEU", "buyer": "Poland",
     "buyer_country": "POL", "items": "tanks", "value_usd": None, "status": "reported",
     "event_date": date(2024, 4, 1), "evidence": "Germany will sell tanks to Poland."},
    {"fact_id": "a4", "article_id": A4, "seller": "United States", "seller_country": "USA", "buyer": "Poland",
     "buyer_country": "POL", "items": "HIMARS", "value_usd": 5.0e8, "status": "approved",
     "event_date": date(2023, 11, 1), "evidence": "A $500 million HIMARS sale was approved."},
]
KILLINGS = [
    {"fact_id": "k1", "article_id": A1, "victim": "Ivan Petrov", "killed": 1, "perpetrator": "Russia",
     "perpetrator_country": "RUS", "location": "Kherson", "country": "UKR", "event_date": date(2024, 3, 2),
     "evidence": "Mayor Ivan Petrov was killed in Kherson."},
    {"fact_id": "k2", "article_id": A2, "victim": "Ivan Petrov", "killed": 1, "perpetrator": "Russia",
     "perpetrator_country": "RUS", "location": "Kherson", "country": "UKR", "event_date": date(2024, 3, 2),
     "evidence": "Petrov, the mayor, was shot dead on Saturday."},
    {"fact_id": "k3", "article_id": A4, "victim": None, "killed": 3, "perpetrator": None, "country": "SDN",
     "event_date": None, "attributed_to": "activists", "evidence": "Three protesters were killed, activists said."},
]
QUOTES = [
    {"fact_id": "q1", "article_id": A1, "speaker": "Volodymyr Zelensky", "speaker_org": "Ukraine", "quote": "We need air defence."},
    {"fact_id": "q2", "article_id": A2, "speaker": "Volodymyr Zelensky", "speaker_org": "Ukraine", "quote": "We will rebuild."},
    {"fact_id": "q3", "article_id": A2, "speaker": "Volodymyr Zelensky", "speaker_org": "Ukraine", "quote": "Thank you."},
    {"fact_id": "q4", "article_id": A4, "speaker": None, "speaker_org": None, "quote": "It was terrible."},
]
EVENTS = [
    {"event_id": "E1", "type": "strike", "event_date": date(2024, 3, 4), "date_precision": "day",
     "first_reported_at": _ts("2024-03-05"), "last_reported_at": _ts("2024-03-06"), "n_reports": 2, "n_sources": 2,
     "killed_best": 10, "killed_low": 10, "killed_high": 14, "attacker": "Russia", "location": "Kharkiv",
     "country": "UKR", "weapon": "missile", "certainty": "claimed"},
    {"event_id": "E2", "type": "visit", "event_date": date(2024, 3, 11), "date_precision": "day",
     "first_reported_at": _ts("2024-03-05"), "last_reported_at": _ts("2024-03-06"), "n_reports": 2, "n_sources": 2,
     "visitor": "Antony Blinken", "visitor_country": "USA", "destination": "Kyiv", "destination_country": "UKR",
     "status": "occurred", "certainty": "reported"},
    {"event_id": "E3", "type": "arms_sale", "event_date": date(2024, 3, 1), "date_precision": "day",
     "first_reported_at": _ts("2024-03-05"), "last_reported_at": _ts("2024-03-06"), "n_reports": 2, "n_sources": 2,
     "seller": "United States", "seller_country": "USA", "buyer": "Poland", "buyer_country": "POL",
     "items": "AIM-120D missiles", "value_usd": 1.2e9, "status": "signed", "certainty": "reported"},
    {"event_id": "E4", "type": "killing", "event_date": date(2024, 3, 2), "date_precision": "day",
     "first_reported_at": _ts("2024-03-05"), "last_reported_at": _ts("2024-03-06"), "n_reports": 2, "n_sources": 2,
     "killed_best": 1, "killed_low": 1, "killed_high": 1, "victim": "Ivan Petrov", "perpetrator": "Russia",
     "perpetrator_country": "RUS", "location": "Kherson", "country": "UKR", "certainty": "reported"},
    # An event without report rows still gets its row in events_with_sources, with empty lists.
    {"event_id": "E5", "type": "strike", "event_date": date(2024, 5, 1), "date_precision": "day",
     "first_reported_at": None, "last_reported_at": None, "n_reports": 0, "n_sources": 0, "country": "LBN",
     "weapon": "air", "certainty": "reported"},
]
EVENT_REPORTS = [
    {"event_id": e, "fact_id": f, "fact_table": t, "article_id": a, "batch_id": "b1", "similarity": 1.0}
    for e, f, t, a in [
        ("E1", "s1", "strikes", A1), ("E1", "s2", "strikes", A2),
        ("E2", "v1", "visits", A1), ("E2", "v2", "visits", A2),
        ("E3", "a1", "arms_sales", A1), ("E3", "a2", "arms_sales", A2),
        ("E4", "k1", "killings", A1), ("E4", "k2", "killings", A2),
    ]
]

_FACT_DEFAULTS = {"batch_id": "b1", "sentence_index": 0, "evidence_start": 0, "evidence_end": 1,
                  "certainty": "reported", "confidence": 0.9, "extractor_version": "test"}
_TABLE_DEFAULTS = {
    "articles": {"batch_id": "b1", "published_at_source": "metadata", "language": "en", "is_english": True,
                 "text": "text", "n_words": 1, "input_path": "in.txt", "input_record": "", "ingested_at": _ts("2024-06-01")},
    "strikes": {**_FACT_DEFAULTS, "target_type": "unknown", "weapon": "missile"},
    "visits": _FACT_DEFAULTS,
    "arms_sales": _FACT_DEFAULTS,
    "killings": _FACT_DEFAULTS,
    "quotes": {**_FACT_DEFAULTS, "evidence": "quote sentence", "quote_start": 0, "quote_end": 1},
}


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    t = warehouse.table_ident(table)
    for row in rows:
        row = {**_TABLE_DEFAULTS.get(t, {}), **row}
        cols = list(row)
        con.execute(f"INSERT INTO {t} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                    [row[c] for c in cols])


def fill(con: duckdb.DuckDBPyConnection) -> None:
    for table, rows in [("articles", ARTICLES), ("duplicates", DUPLICATES), ("strikes", STRIKES), ("visits", VISITS),
                        ("arms_sales", ARMS_SALES), ("killings", KILLINGS), ("quotes", QUOTES),
                        ("events", EVENTS), ("event_reports", EVENT_REPORTS)]:
        insert(con, table, rows)


@pytest.fixture
def empty_con():
    con = duckdb.connect()
    build_schema(con)
    views.create_views(con)
    yield con
    con.close()


@pytest.fixture
def con():
    con = duckdb.connect()
    build_schema(con)
    fill(con)
    views.create_views(con)
    yield con
    con.close()


def rows(con, sql: str) -> list[dict]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------

def test_view_names_are_the_files_and_the_views_created(empty_con):
    assert views.view_names() == sorted(VIEWS)
    made = [r[0] for r in empty_con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY view_name").fetchall()]
    assert made == sorted(VIEWS)
    assert sorted(p.stem for p in EXAMPLE_FILES) == sorted(EXAMPLES)


@pytest.mark.parametrize("path", VIEW_FILES + EXAMPLE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_one_statement_and_a_header_comment(path: Path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith("--"), f"{path.name} must start with a comment"
    statements = duckdb.extract_statements(text)
    assert len(statements) == 1, f"{path.name} holds {len(statements)} statements"
    if path.parent.name == "views":
        assert re.match(rf"-- View {re.escape(path.stem)}: one row per ", text), "header must state the grain"
        assert statements[0].type == duckdb.StatementType.CREATE
        assert re.search(rf"CREATE OR REPLACE VIEW {re.escape(path.stem)} AS", text)
    else:
        assert statements[0].type == duckdb.StatementType.SELECT
        assert text.splitlines()[0].rstrip().endswith("?"), "the first line is the researcher's question"
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    assert "?" not in code and "$" not in code, "no parameters"


def test_create_views_is_repeatable(con):
    views.create_views(con)
    assert con.execute("SELECT count(*) FROM strikes_by_country_month").fetchone()[0] == 3


# ---------------------------------------------------------------------------------------------
# Empty tables
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(VIEWS))
def test_view_on_empty_tables(empty_con, name):
    rel = empty_con.sql(f"SELECT * FROM {name}")
    assert rel.columns == VIEWS[name]
    assert rel.fetchall() == []


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_on_empty_tables(empty_con, name):
    rel = empty_con.sql(warehouse.sql_text(f"examples/{name}.sql"))
    assert rel.columns == EXAMPLES[name]
    assert rel.fetchall() == []


# ---------------------------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------------------------

def test_strikes_by_country_month_counts_events_not_reports(con):
    got = rows(con, "SELECT * FROM strikes_by_country_month")
    assert list(got[0]) == VIEWS["strikes_by_country_month"]
    assert {(r["country"], r["month"]): (r["n_strikes"], r["n_reports"], r["killed_sum"]) for r in got} == {
        ("UKR", date(2024, 3, 1)): (1, 2, 10),   # E1: two reports, the event's country and killed_best
        ("SYR", date(2024, 3, 1)): (1, 1, 5),    # lone report
        ("UKR", date(2024, 4, 1)): (1, 1, None),  # lone report without a toll
    }


def test_visits_network(con):
    got = rows(con, "SELECT * FROM visits_network")
    assert list(got[0]) == VIEWS["visits_network"]
    by_pair = {(r["visitor_country"], r["destination_country"]): r for r in got}
    assert set(by_pair) == {("USA", "UKR"), ("DEU", "UKR")}
    usa = by_pair[("USA", "UKR")]
    assert (usa["n_visits"], usa["n_occurred"], usa["latest_visit_date"]) == (2, 1, date(2024, 4, 1))
    assert usa["visitors"] == ["Antony Blinken", "Lloyd Austin"]
    deu = by_pair[("DEU", "UKR")]
    assert (deu["n_visits"], deu["n_occurred"], deu["latest_visit_date"], deu["visitors"]) == (
        1, 1, date(2024, 2, 1), ["Olaf Scholz"])


def test_arms_sales_by_supplier_recipient_year(con):
    got = rows(con, "SELECT * FROM arms_sales_by_supplier_recipient_year")
    assert list(got[0]) == VIEWS["arms_sales_by_supplier_recipient_year"]
    assert [(r["seller_country"], r["buyer_country"], r["year"], r["n_deals"], r["total_value_usd"],
             r["n_deals_with_value"]) for r in got] == [
        ("USA", "POL", 2024, 1, 1.2e9, 1),  # approval and signature: one deal at the event's value
        ("USA", "POL", 2023, 1, 5.0e8, 1),
        ("DEU", "POL", 2024, 1, None, 0),
    ]


def test_killings_timeline(con):
    got = rows(con, "SELECT * FROM killings_timeline")
    assert list(got[0]) == VIEWS["killings_timeline"]
    assert len(got) == 2
    event, lone = got  # dated first, undated last
    assert (event["event_id"], event["fact_id"], event["victim"], event["perpetrator"], event["location"],
            event["country"], event["event_date"], event["n_reports"], event["n_sources"], event["killed"]) == (
        "E4", None, "Ivan Petrov", "Russia", "Kherson", "UKR", date(2024, 3, 2), 2, 2, 1)
    assert (lone["event_id"], lone["fact_id"], lone["victim"], lone["country"], lone["event_date"],
            lone["n_reports"], lone["n_sources"], lone["killed"]) == (None, "k3", None, "SDN", None, 1, 1, 3)


def test_quotes_by_speaker(con):
    got = rows(con, "SELECT * FROM quotes_by_speaker")
    assert list(got[0]) == VIEWS["quotes_by_speaker"]
    assert [(r["speaker"], r["speaker_org"], r["n_quotes"], r["n_articles"], r["first_published"],
             r["last_published"]) for r in got] == [
        ("Volodymyr Zelensky", "Ukraine", 3, 2, _ts("2024-03-05"), _ts("2024-03-06")),
        (None, None, 1, 1, None, None),
    ]


def test_events_with_sources(con):
    got = {r["event_id"]: r for r in rows(con, "SELECT * FROM events_with_sources")}
    assert set(got) == {"E1", "E2", "E3", "E4", "E5"}
    assert list(got["E1"]) == VIEWS["events_with_sources"]
    e1 = got["E1"]
    assert e1["sources"] == [{"source": "AP", "url": "https://ap.example/2"},
                             {"source": "Reuters", "url": "https://wire.example/1"}]
    assert e1["republished_by"] == [{"source": "Yahoo News", "url": "https://yahoo.example/1"}]
    assert e1["evidence"] == [STRIKES[0]["evidence"], STRIKES[1]["evidence"]]  # earliest published first
    assert got["E3"]["evidence"] == [ARMS_SALES[0]["evidence"], ARMS_SALES[1]["evidence"]]
    assert got["E4"]["type"] == "killing" and len(got["E4"]["sources"]) == 2
    assert (got["E5"]["sources"], got["E5"]["republished_by"], got["E5"]["evidence"]) == ([], [], [])


def test_casualty_claims(con):
    got = {r["fact_id"]: r for r in rows(con, "SELECT * FROM casualty_claims")}
    assert set(got) == {"s1", "s2", "s3", "k1", "k2", "k3"}  # s4 gives no number
    assert list(got["s1"]) == VIEWS["casualty_claims"]
    assert (got["s1"]["event_id"], got["s1"]["claimant"], got["s1"]["killed"], got["s1"]["killed_max"],
            got["s1"]["certainty"], got["s1"]["reported_at"], got["s1"]["article_id"]) == (
        "E1", "regional officials", 10, 10, "reported", _ts("2024-03-05"), A1)
    assert (got["s2"]["event_id"], got["s2"]["claimant"], got["s2"]["killed"], got["s2"]["killed_max"],
            got["s2"]["certainty"]) == ("E1", "AP", 12, 14, "claimed")  # no attribution: the publisher
    assert (got["s3"]["event_id"], got["s3"]["claimant"], got["s3"]["fact_table"]) == (None, "BBC", "strikes")
    assert (got["k1"]["event_id"], got["k1"]["fact_table"], got["k1"]["killed_max"]) == ("E4", "killings", None)
    assert (got["k3"]["claimant"], got["k3"]["reported_at"]) == ("activists", None)


# ---------------------------------------------------------------------------------------------
# Examples
# ---------------------------------------------------------------------------------------------

def test_example_countries_struck_most_2024(con):
    got = rows(con, warehouse.sql_text("examples/countries_struck_most_2024.sql"))
    assert [tuple(r.values()) for r in got] == [("UKR", 2, 3, 10), ("SYR", 1, 1, 5)]


def test_example_competing_death_tolls(con):
    got = rows(con, warehouse.sql_text("examples/competing_death_tolls.sql"))
    assert list(got[0]) == EXAMPLES["competing_death_tolls"]
    assert len(got) == 1 and got[0]["event_id"] == "E1"
    assert [(c["claimant"], c["killed"], c["killed_max"], c["certainty"]) for c in got[0]["claims"]] == [
        ("regional officials", 10, 10, "reported"), ("AP", 12, 14, "claimed")]


def test_example_top_arms_suppliers_by_buyer(con):
    got = rows(con, warehouse.sql_text("examples/top_arms_suppliers_by_buyer.sql"))
    assert [tuple(r.values()) for r in got] == [("USA", "POL", 2, 2, 1.7), ("DEU", "POL", 1, 0, None)]


# ---------------------------------------------------------------------------------------------
# As published: a file built under another name, renamed, opened read-only without file access
# ---------------------------------------------------------------------------------------------

def test_views_survive_rename_and_read_only_without_external_access(tmp_path):
    tmp = tmp_path / ".research.duckdb.0123.tmp"
    with warehouse.connect(tmp) as out:
        build_schema(out)
        fill(out)
        views.create_views(out)
        out.execute("CHECKPOINT")
    target = tmp_path / "research.duckdb"
    os.replace(tmp, target)
    ro = duckdb.connect(str(target), read_only=True, config={"enable_external_access": False})
    try:
        for name, columns in VIEWS.items():
            rel = ro.sql(f"SELECT * FROM {name}")
            assert rel.columns == columns
            assert rel.fetchall(), name
        for path in EXAMPLE_FILES:
            assert ro.sql(path.read_text(encoding="utf-8")).columns == EXAMPLES[path.stem]
    finally:
        ro.close()
