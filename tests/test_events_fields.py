"""Which report gives each field of an event row (pipelines/events.py `event_row`, `report_rows`):
built on hand-made Event objects, so the choice rules are tested apart from grouping. Found by
mutation testing (make mutants): each test fails under mutants that survived the grouping tests."""

from __future__ import annotations

from datetime import date, datetime, timezone

from pipelines.events import Event, Report, event_row, report_rows

T1 = datetime(2024, 3, 14, 9, 0, tzinfo=timezone.utc)
T2 = datetime(2024, 3, 14, 15, 0, tzinfo=timezone.utc)
T3 = datetime(2024, 3, 15, 8, 0, tzinfo=timezone.utc)


def _r(fid, table="strikes", published=T1, source=None, **row) -> Report:
    return Report(fid, table, "art" + fid, "batch" + fid, published, source, row)


def _event(typ, *reports, similarity=None) -> Event:
    return Event("ev1", typ, list(reports), similarity or {})


def test_dates_and_reporting_times():
    e = _event("strike",
               _r("1", published=T2, event_date=date(2024, 3, 13), date_precision="day"),
               _r("2", published=T1, event_date=date(2024, 3, 14), date_precision="day"),
               _r("3", published=T3, event_date=date(2024, 3, 14), date_precision="day"),
               _r("4", published=None))
    row = event_row(e)
    assert (row["event_date"], row["date_precision"]) == (date(2024, 3, 14), "day")  # the most stated date
    assert row["first_reported_at"] == T1 and row["last_reported_at"] == T3
    assert row["n_reports"] == 4
    assert row["event_id"] == "ev1" and row["type"] == "strike"


def test_no_dates_and_no_publication_times():
    row = event_row(_event("strike", _r("1", published=None), _r("2", published=None)))
    assert (row["event_date"], row["date_precision"]) == (None, None)
    assert row["first_reported_at"] is None and row["last_reported_at"] is None
    assert row["killed_best"] is None and row["killed_low"] is None and row["killed_high"] is None
    assert row["certainty"] is None and row["status"] is None


def test_a_tie_between_dates_goes_to_the_first_report():
    e = _event("strike", _r("1", event_date=date(2024, 3, 13), date_precision="day"),
               _r("2", event_date=date(2024, 3, 14), date_precision="day"))
    assert event_row(e)["event_date"] == date(2024, 3, 13)


def test_sources_count_outlets_and_fall_back_to_articles():
    e = _event("strike", _r("1", source="Outlet A"), _r("2", source="Outlet A"), _r("3", source=None), _r("4", source=None))
    assert event_row(e)["n_sources"] == 3  # Outlet A, art3, art4


def test_the_most_precise_place_wins_with_its_coordinates():
    e = _event("strike",
               _r("1", location="Ukraine", country="UKR", geo_precision="country"),
               _r("2", location="Kharkiv region", country="UKR", geo_precision="region", latitude=49.5, longitude=36.5),
               _r("3", location="near Kharkiv", country="UKR", geo_precision="near", latitude=49.9, longitude=36.2),
               _r("4", location="Saltivka", country="UKR", geo_precision="exact", latitude=50.0, longitude=36.3))
    row = event_row(e)
    assert (row["location"], row["latitude"], row["longitude"]) == ("Saltivka", 50.0, 36.3)
    e2 = _event("strike", *e.reports[:3])
    assert event_row(e2)["location"] == "near Kharkiv"
    e3 = _event("strike", *e.reports[:2])
    assert event_row(e3)["location"] == "Kharkiv region"
    e4 = _event("strike", e.reports[0], _r("5", location="Kharkiv", geo_precision="unresolved"))
    assert event_row(e4)["location"] == "Ukraine"  # an unresolved place ranks after a country


def test_an_unranked_place_with_a_name_beats_one_without():
    e = _event("strike", _r("1", location=None, country="SYR"), _r("2", location="Idlib countryside", country="SYR"))
    assert event_row(e)["location"] == "Idlib countryside"


def test_country_falls_back_to_the_most_stated_one():
    e = _event("strike", _r("1", location="Exact place", geo_precision="exact", country=None),
               _r("2", country="LBN"), _r("3", country="SYR"), _r("4", country="LBN"))
    assert event_row(e)["country"] == "LBN"


def test_actor_fields_take_the_most_stated_value_and_the_first_on_a_tie():
    e = _event("strike", _r("1", attacker="Russian forces", attacker_country="RUS", target="a depot"),
               _r("2", attacker="Russia", attacker_country="RUS", target="a fuel depot"),
               _r("3", attacker="Russia", attacker_country=None, target=None))
    row = event_row(e)
    assert row["attacker"] == "Russia" and row["attacker_country"] == "RUS" and row["target"] == "a depot"


def test_an_unspecified_weapon_gives_way_to_a_named_one():
    e = _event("strike", _r("1", weapon="unspecified"), _r("2", weapon="unspecified"), _r("3", weapon="drone"))
    assert event_row(e)["weapon"] == "drone"
    e2 = _event("strike", _r("1", weapon="unspecified"), _r("2", weapon=None))
    assert event_row(e2)["weapon"] == "unspecified"


def test_value_usd_is_the_most_stated_and_the_latest_on_a_tie():
    e = _event("arms_sale", _r("1", "arms_sales", value_usd=1.0e9), _r("2", "arms_sales", value_usd=1.2e9))
    assert event_row(e)["value_usd"] == 1.2e9
    e2 = _event("arms_sale", _r("1", "arms_sales", value_usd=1.0e9), _r("2", "arms_sales", value_usd=1.2e9),
                _r("3", "arms_sales", value_usd=1.0e9))
    assert event_row(e2)["value_usd"] == 1.0e9


def test_status_is_kept_for_visits_and_sales_only():
    assert event_row(_event("visit", _r("1", "visits", status="planned"), _r("2", "visits", status="occurred")))["status"] == "occurred"
    assert event_row(_event("arms_sale", _r("1", "arms_sales", status="signed")))["status"] == "signed"
    assert event_row(_event("strike", _r("1", status="occurred")))["status"] is None
    assert event_row(_event("killing", _r("1", "killings", status="occurred")))["status"] is None


def test_report_rows_point_at_each_fact_with_its_similarity():
    e = _event("strike", _r("1"), _r("2"), similarity={"2": 0.75})
    assert report_rows(e) == [
        {"event_id": "ev1", "fact_id": "1", "fact_table": "strikes", "article_id": "art1", "batch_id": "batch1", "similarity": 1.0},
        {"event_id": "ev1", "fact_id": "2", "fact_table": "strikes", "article_id": "art2", "batch_id": "batch2", "similarity": 0.75},
    ]


def test_every_role_field_is_carried_to_the_event():
    fields = {"visitor": "Olaf Scholz", "visitor_country": "DEU", "destination": "Beijing", "destination_country": "CHN",
              "seller": "Saab", "seller_country": "SWE", "buyer": "Thailand", "buyer_country": "THA",
              "items": "Gripen fighters", "victim": "a local official", "perpetrator": "gunmen",
              "perpetrator_country": None, "attacker": "Russia", "attacker_country": "RUS", "target": "a depot"}
    row = event_row(_event("visit", _r("1", "visits", **fields), _r("2", "visits", **fields)))
    for f, v in fields.items():
        assert row[f] == v, f


def test_a_country_level_place_beats_a_place_with_no_precision():
    e = _event("strike", _r("1", location="Somewhere", geo_precision=None, country="SYR"),
               _r("2", location="Syria", geo_precision="country", country="SYR"))
    assert event_row(e)["location"] == "Syria"
    e2 = _event("strike", _r("1", location="Somewhere", geo_precision="odd", country="SYR"),
                _r("2", location=None, geo_precision="odd", country="SYR"))
    assert event_row(e2)["location"] == "Somewhere"  # an unknown precision ranks last, a name first


def test_place_country_wins_over_the_reports_majority():
    e = _event("strike", _r("1", location="Tyre", geo_precision="exact", country="LBN"),
               _r("2", country="ISR"), _r("3", country="ISR"))
    assert event_row(e)["country"] == "LBN"


def test_an_unknown_certainty_or_status_ranks_lowest():
    e = _event("strike", _r("1", certainty="odd"), _r("2", certainty="confirmed"))
    assert event_row(e)["certainty"] == "confirmed"
    e2 = _event("visit", _r("1", "visits", status="odd"), _r("2", "visits", status="ongoing"))
    assert event_row(e2)["status"] == "ongoing"
