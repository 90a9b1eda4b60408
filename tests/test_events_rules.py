"""The boundaries of every grouping rule in pipelines/events.py, on fact rows built by hand (no
spaCy, no extraction): each rule just inside and just outside its limit, and the fields of the
resulting event rows (n_reports, killed_best/low/high, status, certainty).

The limits are written here as literal numbers on purpose (25 km; strikes and killings 1 day, or
2 when a date is a stand-in; visits 10 days; arms sales 365 days): they are the specification, so
changing a constant in pipelines/events.py must fail a test here. Do not import the constants.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date, datetime, timedelta, timezone

import pytest

from pipelines.events import FACT_TYPES, Report, compare, event_row, group

TABLES = {v: k for k, v in FACT_TYPES.items()}  # "strike" -> "strikes"
DAY0 = date(2024, 3, 14)
KM_PER_DEG_LAT = 6371.0 * math.pi / 180  # the haversine radius the module uses: ~111.19 km

_BASE = {
    "strike": {"attacker": "Russia", "attacker_country": "RUS", "country": "UKR", "weapon": "missile",
               "certainty": "reported"},
    "killing": {"perpetrator_country": "ISR", "country": "LBN", "victim": "Wissam al-Tawil", "certainty": "reported"},
    "visit": {"visitor": "Olaf Scholz", "visitor_country": "DEU", "destination_country": "CHN", "status": "occurred",
              "certainty": "reported"},
    "arms_sale": {"seller": "United States", "seller_country": "USA", "buyer_country": "ROU",
                  "items": "M1A2 Abrams tanks", "status": "approved", "certainty": "reported"},
}


def rep(fid: str, typ: str = "strike", *, day: date | None = DAY0, precision: str | None = "day",
        published: datetime | None | str = "auto", source: str | None = "auto", **row) -> Report:
    """A report of type `typ` whose event date is `day` (None: no event date), published at noon
    UTC on that day unless `published` says otherwise."""
    if published == "auto":
        published = datetime.combine(day or DAY0, datetime.min.time(), tzinfo=timezone.utc) + timedelta(hours=12)
    fields = {**_BASE[typ], "event_date": day, "date_precision": precision if day is not None else None, **row}
    return Report(fid, TABLES[typ], "art" + fid, "b", published, "outlet" + fid if source == "auto" else source, fields)


def at_km(km: float, lat0: float = 49.99, lon0: float = 36.23) -> dict:
    """Coordinates `km` kilometres due north of (lat0, lon0)."""
    return {"latitude": lat0 + km / KM_PER_DEG_LAT, "longitude": lon0, "geo_precision": "exact"}


ORIGIN = {"latitude": 49.99, "longitude": 36.23, "geo_precision": "exact"}


def groups(*reports: Report) -> list[set[str]]:
    """The events' report ids, in founding order."""
    return [{r.fact_id for r in e.reports} for e in group(reports)]


def one_event(*reports: Report) -> dict:
    events = group(reports)
    assert len(events) == 1, [{r.fact_id for r in e.reports} for e in events]
    return event_row(events[0])


# ---------------------------------------------------------------------------------------------
# Distance: 25 km
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("typ", ["strike", "killing"])
def test_24_9_km_apart_is_one_event(typ):
    a, b = rep("1", typ, location="A", **ORIGIN), rep("2", typ, location="B", **at_km(24.9))
    assert compare(a, b) == 1.0
    assert groups(a, b) == [{"1", "2"}]
    assert one_event(a, b)["n_reports"] == 2


@pytest.mark.parametrize("typ", ["strike", "killing"])
def test_25_1_km_apart_is_two_events(typ):
    a, b = rep("1", typ, location="A", **ORIGIN), rep("2", typ, location="A", **at_km(25.1))
    assert compare(a, b) is None  # coordinates win over an equal place name
    assert groups(a, b) == [{"1"}, {"2"}]
    assert [event_row(e)["n_reports"] for e in group([a, b])] == [1, 1]


@pytest.mark.parametrize("km, together", [(24.0, True), (26.0, False), (40.0, False), (149.0, False)])
def test_distance_limit_is_25_km_not_more(km, together):
    a, b = rep("1", location="A", **ORIGIN), rep("2", location="B", **at_km(km))
    assert (compare(a, b) is not None) is together


def test_distance_must_hold_with_every_report_of_the_event():
    # c is 20 km from b but 40 km from a: it cannot join a's event even though b is in it
    a, b, c = rep("1", **ORIGIN), rep("2", **at_km(20)), rep("3", **at_km(40))
    assert groups(a, b, c) == [{"1", "2"}, {"3"}]


def test_distance_is_not_applied_to_visits_or_arms_sales():
    a = rep("1", "visit", **ORIGIN)
    b = rep("2", "visit", **at_km(500))
    assert groups(a, b) == [{"1", "2"}]


def test_place_names_decide_without_coordinates():
    same = rep("1", location="Kharkiv", geo_precision="exact"), rep("2", location="kharkiv", geo_precision="near")
    assert groups(*same) == [{"1", "2"}]
    other = rep("1", location="Kharkiv", geo_precision="exact"), rep("2", location="Odesa", geo_precision="near")
    assert groups(*other) == [{"1"}, {"2"}]
    # a vague place (a region) does not split from a town in it
    vague = rep("1", location="Kharkiv", geo_precision="exact"), rep("2", location="Kharkiv Oblast", geo_precision="region")
    assert compare(*vague) == pytest.approx(0.8) and groups(*vague) == [{"1", "2"}]


def test_a_report_without_a_place_joins_one_with_a_place():
    a, b = rep("1", location="Kharkiv", **ORIGIN), rep("2")
    row = one_event(a, b)
    assert (row["location"], row["latitude"]) == ("Kharkiv", ORIGIN["latitude"])


# ---------------------------------------------------------------------------------------------
# Date windows: strikes and killings 1 day (2 with a stand-in date), visits 10, arms sales 365
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("typ, inside, outside", [
    ("strike", 1, 2),
    ("killing", 1, 2),
    ("visit", 10, 11),
    ("arms_sale", 365, 366),
])
def test_date_window_edges(typ, inside, outside):
    a = rep("1", typ)
    near, far = rep("2", typ, day=DAY0 + timedelta(days=inside)), rep("3", typ, day=DAY0 + timedelta(days=outside))
    assert compare(a, near) == 1.0
    assert compare(a, far) is None
    assert groups(a, near) == [{"1", "2"}]
    assert groups(a, far) == [{"1"}, {"3"}]
    # the window is symmetric: the later report published first changes nothing
    assert compare(near, a) == 1.0 and compare(far, a) is None


@pytest.mark.parametrize("typ, days, together", [
    ("strike", 0, True), ("strike", 1, True), ("strike", 2, False), ("strike", 5, False),
    ("killing", 2, False), ("killing", 5, False),
    ("visit", 0, True), ("visit", 9, True), ("visit", 10, True), ("visit", 11, False), ("visit", 30, False),
    ("arms_sale", 200, True), ("arms_sale", 400, False),
])
def test_date_window_table(typ, days, together):
    a, b = rep("1", typ), rep("2", typ, day=DAY0 - timedelta(days=days))
    assert (compare(a, b) is not None) is together


@pytest.mark.parametrize("typ", ["strike", "killing"])
def test_a_stand_in_date_widens_strike_and_killing_windows_to_2_days(typ):
    a = rep("1", typ)
    # no event date: the publication date stands in for it
    pub2 = rep("2", typ, day=None, published=datetime(2024, 3, 16, 8, tzinfo=timezone.utc))
    pub3 = rep("3", typ, day=None, published=datetime(2024, 3, 17, 8, tzinfo=timezone.utc))
    assert compare(a, pub2) is not None and compare(a, pub3) is None
    # an event date that is not to the day (a month, a week) is a stand-in too
    month2 = rep("4", typ, day=DAY0 + timedelta(days=2), precision="month")
    month3 = rep("5", typ, day=DAY0 + timedelta(days=3), precision="month")
    assert compare(a, month2) is not None and compare(a, month3) is None
    assert groups(a, pub2, pub3) == [{"1", "2"}, {"3"}]


def test_a_stand_in_date_does_not_widen_the_visit_or_arms_sale_window():
    a = rep("1", "visit")
    assert compare(a, rep("2", "visit", day=DAY0 + timedelta(days=10), precision="month")) is not None
    assert compare(a, rep("3", "visit", day=DAY0 + timedelta(days=11), precision="month")) is None
    assert compare(a, rep("4", "visit", day=None, published=datetime(2024, 3, 25, 12, tzinfo=timezone.utc))) is None
    s = rep("5", "arms_sale")
    assert compare(s, rep("6", "arms_sale", day=DAY0 + timedelta(days=366), precision="month")) is None


def test_undated_reports_are_not_split_by_date():
    a = rep("1", day=None, published=None)
    b = rep("2", day=date(2020, 1, 1))
    assert compare(a, b) is not None


def test_a_planned_visit_and_its_occurrence_10_days_later_are_one_occurred_event():
    planned = rep("1", "visit", status="planned")
    occurred = rep("2", "visit", day=DAY0 + timedelta(days=10), status="occurred")
    row = one_event(planned, occurred)
    assert (row["n_reports"], row["status"]) == (2, "occurred")
    late = rep("3", "visit", day=DAY0 + timedelta(days=11), status="occurred")
    assert groups(planned, late) == [{"1"}, {"3"}]
    assert [event_row(e)["status"] for e in group([planned, late])] == ["planned", "occurred"]


# ---------------------------------------------------------------------------------------------
# Splitters: targets, weapons, actors, victims, visitors, item families
# ---------------------------------------------------------------------------------------------

def _hit(fid: str, target: str | None, evidence: str | None = None, **row) -> Report:
    return rep(fid, location="Kharkiv", geo_precision="exact", target=target,
               evidence=evidence if evidence is not None else (f"Russia hit {target}." if target else "Russia hit the city."), **row)


def test_different_target_kinds_the_same_day_in_one_town_are_two_events():
    market, hospital = _hit("1", "a market", killed=7), _hit("2", "a children's hospital", killed=3)
    assert compare(market, hospital) is None
    rows = [event_row(e) for e in group([market, hospital])]
    assert [(r["n_reports"], r["killed_best"], r["target"]) for r in rows] == [(1, 7, "a market"), (1, 3, "a children's hospital")]


@pytest.mark.parametrize("t1, t2", [
    ("a five-storey apartment block", "a residential building"),  # dwelling
    ("a hospital", "a clinic"),
    ("a power station", "an electrical substation"),  # energy
    ("a fuel depot", "a warehouse"),  # storage
    ("the market", "a crowded market"),
])
def test_synonymous_targets_are_one_event(t1, t2):
    assert groups(_hit("1", t1), _hit("2", t2)) == [{"1", "2"}]


def test_a_target_the_other_report_mentions_does_not_split():
    market = _hit("1", "a market", "A glide bomb hit a market near a hospital.")
    hospital = _hit("2", "a hospital")
    assert compare(market, hospital) is not None
    assert compare(hospital, market) is not None


@pytest.mark.parametrize("t1, t2", [("a market", None), ("a market", "the city centre"), (None, None)])
def test_a_report_without_a_target_noun_does_not_split(t1, t2):
    assert groups(_hit("1", t1), _hit("2", t2)) == [{"1", "2"}]


@pytest.mark.parametrize("w1, w2", [("air", "bomb"), ("air", "drone"), ("missile", "rocket"), ("artillery", "rocket"),
                                    ("missile", "drone"), ("air", "missile"), ("drone", "drone"),
                                    ("missile", "unspecified"), ("artillery", None)])
def test_compatible_weapons_are_one_event(w1, w2):
    a, b = rep("1", weapon=w1), rep("2", weapon=w2)
    assert compare(a, b) is not None and compare(b, a) is not None
    assert groups(a, b) == [{"1", "2"}]


@pytest.mark.parametrize("w1, w2", [("artillery", "drone"), ("artillery", "missile"), ("artillery", "air"),
                                    ("bomb", "rocket"), ("bomb", "drone"), ("air", "rocket")])
def test_different_weapon_classes_are_two_events(w1, w2):
    a, b = rep("1", weapon=w1), rep("2", weapon=w2)
    assert compare(a, b) is None and compare(b, a) is None
    assert groups(a, b) == [{"1"}, {"2"}]


def test_an_unspecified_weapon_takes_the_reported_one():
    row = one_event(rep("1", weapon="unspecified"), rep("2", weapon="unspecified", source="x"), rep("3", weapon="drone"))
    assert row["weapon"] == "drone"


@pytest.mark.parametrize("typ, field, other", [
    ("strike", "attacker_country", "BLR"), ("strike", "country", "RUS"), ("strike", "attacker", "Belarus"),
    ("killing", "perpetrator_country", "SYR"), ("killing", "country", "SYR"),
    ("visit", "visitor_country", "FRA"), ("visit", "destination_country", "JPN"),
    ("arms_sale", "seller_country", "DEU"), ("arms_sale", "buyer_country", "POL"),
])
def test_actors_and_countries_that_differ_split_and_missing_ones_do_not(typ, field, other):
    a = rep("1", typ)
    assert compare(a, rep("2", typ, **{field: other})) is None
    assert compare(a, rep("3", typ, **{field: None})) is not None


def test_killings_split_on_victim_surname():
    a = rep("1", "killing", victim="Wissam al-Tawil")
    assert compare(a, rep("2", "killing", victim="commander al-Tawil".title())) is not None  # same surname
    assert compare(a, rep("3", "killing", victim="Ali Hassan")) is None
    assert compare(a, rep("4", "killing", victim="a Hezbollah commander")) is None  # named vs unnamed
    assert compare(rep("5", "killing", victim="a journalist"), rep("6", "killing", victim="two civilians")) is not None
    assert compare(rep("7", "killing", victim=None), rep("8", "killing", victim=None)) is not None


def test_visits_split_on_visitor_surname():
    a = rep("1", "visit", visitor="Olaf Scholz")
    assert compare(a, rep("2", "visit", visitor="Chancellor Scholz")) == 1.0
    assert compare(a, rep("3", "visit", visitor="Annalena Baerbock")) is None


def test_arms_sales_split_on_item_family_model_and_seller():
    tanks = rep("1", "arms_sale", items="M1A2 Abrams tanks")
    assert compare(tanks, rep("2", "arms_sale", items="54 Abrams main battle tanks")) is not None
    assert compare(tanks, rep("3", "arms_sale", items="F-35 fighter jets")) is None  # armour vs aircraft
    aim = rep("4", "arms_sale", items="AIM-120D missiles")
    assert compare(aim, rep("5", "arms_sale", items="AIM-9X missiles")) is None  # same family, other model
    assert compare(aim, rep("6", "arms_sale", items="AIM-120D air-to-air missiles")) is not None
    assert compare(tanks, rep("7", "arms_sale", items=None)) is not None
    # different named sellers split only when the seller country is unknown
    s1 = rep("8", "arms_sale", seller="Rheinmetall", seller_country=None)
    assert compare(s1, rep("9", "arms_sale", seller="KNDS", seller_country=None)) is None
    assert compare(rep("10", "arms_sale", seller="Rheinmetall"), rep("11", "arms_sale", seller="KNDS")) is not None


def test_types_never_mix():
    assert compare(rep("1", "strike"), rep("2", "killing")) is None
    assert len(group([rep("1", "strike"), rep("2", "killing")])) == 2


# ---------------------------------------------------------------------------------------------
# Event fields: n_reports, n_sources, killed_best/low/high, certainty, status
# ---------------------------------------------------------------------------------------------

def test_tolls_never_split_and_give_median_low_min_and_max():
    tolls = [30, 3, 10, 7]  # median_low 7; median 8.5, median_high 10, mean 12.5
    rs = [rep(str(i), killed=k) for i, k in enumerate(tolls)] + [rep("9", killed=None)]
    row = one_event(*rs)
    assert (row["n_reports"], row["n_sources"]) == (5, 5)
    assert (row["killed_best"], row["killed_low"], row["killed_high"]) == (7, 3, 30)


def test_killed_best_of_two_claims_is_the_lower():
    row = one_event(rep("1", killed=12), rep("2", killed=10))
    assert (row["killed_best"], row["killed_low"], row["killed_high"]) == (10, 10, 12)


def test_killed_best_of_three_claims_is_the_middle():
    row = one_event(rep("1", killed=12), rep("2", killed=5), rep("3", killed=40))
    assert (row["killed_best"], row["killed_low"], row["killed_high"]) == (12, 5, 40)


def test_a_range_claim_raises_killed_high_only():
    row = one_event(rep("1", killed=10, killed_max=15), rep("2", killed=12))  # 'between 10 and 15', '12'
    assert (row["killed_best"], row["killed_low"], row["killed_high"]) == (10, 10, 15)
    # a killed_max without a killed is no claim
    row = one_event(rep("3", killed=None, killed_max=99), rep("4", killed=4))
    assert (row["killed_best"], row["killed_low"], row["killed_high"]) == (4, 4, 4)


def test_no_toll_gives_no_killed_fields():
    row = one_event(rep("1"), rep("2"))
    assert (row["killed_best"], row["killed_low"], row["killed_high"]) == (None, None, None)


def test_a_zero_toll_is_a_claim():
    row = one_event(rep("1", killed=0), rep("2", killed=2))
    assert (row["killed_best"], row["killed_low"], row["killed_high"]) == (0, 0, 2)


def test_n_sources_counts_outlets_not_reports():
    row = one_event(rep("1", source="Wire"), rep("2", source="Wire"), rep("3", source="Post"))
    assert (row["n_reports"], row["n_sources"]) == (3, 2)


@pytest.mark.parametrize("certainties, expected", [
    (["reported", "reported"], "reported"),
    (["reported", "confirmed"], "confirmed"),
    (["confirmed", "possible"], "possible"),
    (["possible", "claimed"], "claimed"),
    (["claimed", "denied", "reported"], "denied"),
    (["denied", "confirmed"], "denied"),
    ([None, "possible"], "possible"),
    ([None, None], None),
])
def test_certainty_is_the_most_doubtful_claim(certainties, expected):
    row = one_event(*[rep(str(i), certainty=c) for i, c in enumerate(certainties)])
    assert row["certainty"] == expected


@pytest.mark.parametrize("typ, statuses, expected", [
    ("visit", ["planned", "occurred"], "occurred"),
    ("visit", ["occurred", "planned"], "occurred"),
    ("visit", ["planned", "ongoing"], "ongoing"),
    ("visit", ["planned", "cancelled"], "cancelled"),
    ("visit", ["occurred", None], "occurred"),
    ("arms_sale", ["approved", "signed"], "signed"),
    ("arms_sale", ["requested", "proposed", "reported"], "proposed"),
    ("arms_sale", ["signed", "delivered"], "delivered"),
    ("arms_sale", ["delivered", "cancelled"], "cancelled"),
    ("strike", ["planned", "occurred"], None),  # strikes and killings have no status
    ("killing", ["occurred"], None),
])
def test_status_is_the_furthest_stage(typ, statuses, expected):
    row = one_event(*[rep(str(i), typ, status=s) for i, s in enumerate(statuses)])
    assert row["status"] == expected


def test_event_row_of_a_two_report_strike():
    a = rep("1", location="Kharkiv", geo_precision="region", killed=12, certainty="reported",
            published=datetime(2024, 3, 14, 9, tzinfo=timezone.utc))
    b = rep("2", location="Saltivka", killed=10, certainty="confirmed", target="a market",
            published=datetime(2024, 3, 15, 7, tzinfo=timezone.utc), **at_km(3))
    [e] = group([b, a])
    assert [r.fact_id for r in e.reports] == ["1", "2"]  # publication order, whatever the input order
    row = event_row(e)
    assert {k: row[k] for k in ("type", "n_reports", "n_sources", "killed_best", "killed_low", "killed_high",
                                "certainty", "status", "event_date", "location", "target")} == {
        "type": "strike", "n_reports": 2, "n_sources": 2, "killed_best": 10, "killed_low": 10, "killed_high": 12,
        "certainty": "confirmed", "status": None, "event_date": DAY0, "location": "Saltivka", "target": "a market"}
    assert row["first_reported_at"] == a.published_at and row["last_reported_at"] == b.published_at


# ---------------------------------------------------------------------------------------------
# Distance east-west, and report order
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dlon,same", [(0.34, True), (0.36, False)])
def test_distance_east_west_counts_the_longitude_at_its_latitude(dlon, same):
    # at 50 N a degree of longitude is ~71.5 km: 0.34 deg = 24.3 km, 0.36 deg = 25.7 km
    a = rep("1", location="A", latitude=50.0, longitude=36.0, geo_precision="exact")
    b = rep("2", location="B", latitude=50.0, longitude=36.0 + dlon, geo_precision="exact")
    assert (compare(a, b) is not None) is same


def test_undated_reports_are_grouped_after_dated_ones():
    undated = rep("0", published=None, location="A", **ORIGIN)
    dated = rep("9", location="A", **ORIGIN)
    events = group([undated, dated])
    assert [r.fact_id for r in events[0].reports] == ["9", "0"]
    assert events[0].event_id == group([dated])[0].event_id  # the event is founded by the dated report


# ---------------------------------------------------------------------------------------------
# Ids, similarity and the choice among events (from docs/mutants/events.md)
# ---------------------------------------------------------------------------------------------

def test_an_event_is_named_after_its_founding_report():
    from pipelines.text import stable_id
    a, b = rep("1", location="A", **ORIGIN), rep("2", location="A", **ORIGIN)
    [e] = group([a, b])
    assert e.event_id == stable_id("e", "1")
    assert e.similarity == {"1": 1.0, "2": 1.0}


def test_nothing_to_compare_is_half_similar():
    a = Report("1", "visits", "art1", "b", None, "o1", {})
    b = Report("2", "visits", "art2", "b", None, "o2", {})
    assert compare(a, b) == 0.5


def test_a_report_skips_an_event_it_conflicts_with_and_joins_a_later_one():
    r1, r2 = rep("1", location="A", **ORIGIN), rep("2", location="B", **at_km(60))
    r3 = rep("3", location="B", **at_km(60))
    assert groups(r1, r2, r3) == [{"1"}, {"2", "3"}]


@pytest.mark.parametrize("items_a,items_b,n_events", [
    ("Tanks", "Jets", 2),                      # item families, whatever the case
    ("Su-35 fighters", "Su-57 fighters", 2),   # model designators in mixed case
    ("Su-35 fighters", "Su-35 jets", 1),
])
def test_arms_items_split_by_family_and_model(items_a, items_b, n_events):
    a, b = rep("1", "arms_sale", items=items_a), rep("2", "arms_sale", items=items_b)
    assert len(groups(a, b)) == n_events


def test_a_plural_target_is_the_same_target():
    a = rep("1", location="A", target="two markets", **ORIGIN)
    b = rep("2", location="A", target="the market", **ORIGIN)
    assert groups(a, b) == [{"1", "2"}]


# ---------------------------------------------------------------------------------------------
# From the 2026-12-01 mutation run (docs/mutants/events.md)
# ---------------------------------------------------------------------------------------------

def test_24_998_km_is_inside_on_an_earth_of_6371_km():
    # 24.998 km on a 6371 km earth; on a 6372 km one the same coordinates are 25.002 km apart
    a, b = rep("1", location="A", **ORIGIN), rep("2", location="B", **at_km(24.998))
    assert groups(a, b) == [{"1", "2"}]


def test_a_visitor_without_a_word_is_no_surname():
    a, b = rep("1", "visit", visitor="42"), rep("2", "visit", visitor="\u2014")
    assert groups(a, b, rep("3", "visit")) == [{"1", "2", "3"}]


def test_the_same_place_name_counts_as_agreement():
    a, b = rep("1", location="Kharkiv"), rep("2", location="kharkiv")
    assert compare(a, b) == 1.0


def test_a_capitalised_anti_weapon_is_no_tank_either():
    tanks = rep("1", "arms_sale", items="K2 tanks", buyer_country="EST")
    assert groups(tanks, rep("2", "arms_sale", items="Anti-tank missiles", buyer_country="EST")) == [{"1"}, {"2"}]


def test_a_joiner_similarity_is_the_mean_over_the_event_rounded_to_3_places():
    same = [rep(str(n), location="A", **ORIGIN) for n in (1, 2, 3)]
    [e] = group(same)
    assert e.similarity == {"1": 1.0, "2": 1.0, "3": 1.0}
    # country and date agree, the place names do not (a region is no precise place): 2 of 3
    a = rep("1", attacker=None, attacker_country=None, location="Kharkiv", geo_precision="region")
    b = rep("2", attacker=None, attacker_country=None, location="Kharkiv region", geo_precision="region")
    [e] = group([a, b])
    assert e.similarity == {"1": 1.0, "2": 0.667}


def test_a_tie_between_two_events_goes_to_the_first_founded():
    kyiv = rep("1", location="Kyiv", geo_precision="exact")
    irpin = rep("2", location="Irpin", geo_precision="exact")
    unplaced = rep("3")  # the same day and country, no place: as similar to either
    assert groups(kyiv, irpin, unplaced) == [{"1", "3"}, {"2"}]


@pytest.mark.parametrize("first, second, location", [
    (dict(geo_precision=None, location="Kyiv"), dict(geo_precision="unresolved", location="Irpin"), "Kyiv"),
    (dict(geo_precision="unresolved", location="Irpin"), dict(geo_precision=None, location="Kyiv"), "Irpin"),
])
def test_an_unknown_precision_ranks_with_no_precision_and_the_first_wins(first, second, location):
    assert one_event(rep("1", **first), rep("2", **second))["location"] == location


def test_a_strike_with_no_weapon_given_has_no_weapon():
    assert one_event(rep("1", weapon=None), rep("2", weapon=None))["weapon"] is None
    assert one_event(rep("1", weapon="unspecified"))["weapon"] == "unspecified"


def test_a_deal_or_visit_with_no_status_has_no_status():
    from pipelines.events import Event, _event_status
    for typ in ("arms_sale", "visit"):
        r = rep("1", typ, status=None)
        assert _event_status(Event("e1", typ, [r])) is None


def test_before_batches_keeps_type_ids_and_similarities():
    from pipelines.events import Event, before_batches
    a = rep("1", attacker=None, attacker_country=None, location="Kharkiv", geo_precision="region")
    b = rep("2", attacker=None, attacker_country=None, location="Kharkiv region", geo_precision="region")
    c = dataclasses.replace(rep("3", location="Odesa", geo_precision="exact"), batch_id="b2")
    [e] = group([a, b, c][:2])
    e2 = group([c])[0]
    hand = Event("e-hand", "visit", [dataclasses.replace(rep("4", "visit"), batch_id="old")])  # no similarity kept
    out = before_batches([e, e2, hand], {"b", "old"}, {"b": 0})  # "old" has no registration rank: last
    assert [(x.event_id, x.type) for x in out] == [(e.event_id, "strike"), ("e-hand", "visit")]
    assert out[0].similarity == {"1": 1.0, "2": 0.667}
    assert out[1].similarity == {"4": 1.0}
