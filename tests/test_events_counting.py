"""Events researchers can count (issue 12), on fact rows built by hand: two strikes stay two, one
strike with competing or rising tolls stays one, one deal told at several stages stays one, and
a visit's status is where it last stood.

The limits are literal numbers here on purpose (a toll splits only when it is below a third or
at least three times an event's claims and at least 6 people away): they are the specification."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from pipelines.events import compare, event_row, far_toll, group
from tests.test_events_rules import DAY0, ORIGIN, groups, rep


def _strike(fid: str, hour: int = 12, **row):
    return rep(fid, location="Bint Jbeil", **ORIGIN, published=datetime(2024, 3, 14, hour, tzinfo=timezone.utc),
               **{"attacker": "Israel", "attacker_country": "ISR", "country": "LBN", **row})


@pytest.mark.parametrize("killed, claims, far", [
    (2, (10, 12), True),     # the case: 2 against 10-12
    (2, (8, 8), True),       # exactly 6 apart (and four times): far
    (2, (7, 7), False),      # 5 apart
    (3, (9, 9), True),       # exactly three times, 6 apart
    (4, (11, 11), False),    # 7 apart but under three times
    (3, (8, 11), False),     # 8 is under three times 3
    (0, (2, 4), False),      # "no one was killed" against 2-4: too close to tell
    (0, (6, 9), True),
    (15, (2, 2), True),      # far above
    (8, (2, 2), True),       # exactly 6 above (and four times): far
    (9, (3, 3), True),       # exactly three times, 6 above
    (10, (4, 4), False),     # 6 above but under three times
    (7, (2, 2), False),      # above three times but only 5 apart
    (12, (10, 12), False),   # inside
    (None, (10, 12), False),
    (4, None, False),
])
def test_far_toll_boundaries(killed, claims, far):
    assert far_toll(killed, claims) is far


def test_a_far_toll_with_another_weapon_founds_its_own_event():
    house = [_strike("1", 8, weapon="air", killed=10, target="a house"), _strike("2", 9, weapon="air", killed=12, target="a family home")]
    car = _strike("3", 20, weapon="drone", killed=2, target="a car on the road")
    assert all(compare(car, h) is not None for h in house)  # pairwise the rules would let it join
    assert groups(*house, car) == [{"1", "2"}, {"3"}]
    rows = [event_row(e) for e in group([*house, car])]
    assert [(r["killed_low"], r["killed_high"], r["n_reports"]) for r in rows] == [(10, 12, 2), (2, 2, 1)]


def test_a_far_toll_with_another_target_founds_its_own_event():
    """The school report's own words name the market, so the target rule alone would let it join;
    its toll, far below the market's, and its other target make it a strike of its own."""
    market = [_strike("1", weapon="artillery", killed=20, target="a market"), _strike("2", weapon="artillery", killed=18)]
    school = _strike("3", 14, weapon="artillery", killed=3, target="a school",
                     evidence="Shells hit a school beside the market in the town, killing three people.")
    assert all(compare(school, m) is not None for m in market)
    assert groups(*market, school) == [{"1", "2"}, {"3"}]


@pytest.mark.parametrize("late", [dict(weapon="air", target="a house"), dict(weapon="unspecified"), dict(target=None, weapon="air")])
def test_a_far_toll_alone_never_splits(late):
    """An early toll that rose: same weapon and target (or none given), far apart tolls, one event."""
    early = _strike("1", 7, weapon="air", killed=2, target="a house")
    later = _strike("2", 18, killed=15, **late)
    assert groups(early, later) == [{"1", "2"}]
    [row] = [event_row(e) for e in group([early, later])]
    assert (row["killed_low"], row["killed_high"], row["killed_best"]) == (2, 15, 2)


def test_competing_tolls_close_together_join_whatever_the_weapons():
    a, b = _strike("1", weapon="air", killed=10), _strike("2", 13, weapon="drone", killed=7)
    assert groups(a, b) == [{"1", "2"}]


@pytest.mark.parametrize("w1, w2, split", [("drone", "missile", True), ("air", "drone", True), ("drone", "drone", False),
                                           ("drone", "unspecified", False), ("drone", None, False)])
def test_strikes_on_two_stated_days_with_two_weapons_are_two_events(w1, w2, split):
    """Consecutive days are inside the one-day window (an overnight strike told as Monday and as
    Tuesday); when both reports state their day and name different weapon classes, even
    compatible ones, they are two strikes."""
    a = rep("1", **ORIGIN, location="Izmail", weapon=w1, killed=3)
    b = rep("2", day=DAY0 + timedelta(days=1), **ORIGIN, location="Izmail", weapon=w2)
    assert (compare(a, b) is None) is split
    assert (compare(b, a) is None) is split


def test_a_date_stand_in_is_no_stated_day():
    a = rep("1", **ORIGIN, location="Izmail", weapon="drone")
    b = rep("2", day=DAY0 + timedelta(days=1), precision="month", **ORIGIN, location="Izmail", weapon="missile")
    assert compare(a, b) is not None


@pytest.mark.parametrize("evidence, split", [
    ("Russian missiles hit a hospital in Kharkiv, hours after a glide bomb struck a market.", True),
    ("Russian missiles hit a hospital in Kharkiv following an attack on a market.", True),
    ("Russian missiles hit a hospital next to a market in Kharkiv.", False),
    # the words before the other event's phrase still count as the report's own
    ("Russian missiles hit a hospital next to a market in Kharkiv, hours after a drone struck a depot.", False),
])
def test_another_events_phrase_is_no_cover_for_a_different_target(evidence, split):
    market = rep("1", location="Kharkiv", **ORIGIN, target="a market", evidence="A glide bomb hit a market in Kharkiv.")
    hospital = rep("2", location="Kharkiv", **ORIGIN, target="a hospital", evidence=evidence)
    assert (compare(market, hospital) is None) is split


def _visit(fid: str, status: str, hours: int, day_offset: int = 0):
    return rep(fid, "visit", day=DAY0 + timedelta(days=day_offset), status=status, destination="Baghdad",
               published=datetime(2024, 3, 10, tzinfo=timezone.utc) + timedelta(hours=hours))


@pytest.mark.parametrize("told, status", [
    ([("planned", 0), ("cancelled", 24), ("occurred", 96)], "occurred"),   # announced, postponed, held
    ([("planned", 0), ("cancelled", 30)], "cancelled"),                    # announced, then called off
    ([("occurred", 0), ("planned", 30)], "occurred"),                      # a preview published after it
    ([("cancelled", 50), ("planned", 0)], "cancelled"),                    # the order is publication time, not input order
    ([("planned", 0), ("ongoing", 20)], "ongoing"),
])
def test_a_visits_status_is_the_latest_report(told, status):
    reports = [_visit(str(n), s, h) for n, (s, h) in enumerate(told)]
    [row] = [event_row(e) for e in group(reports)]
    assert row["status"] == status


def test_a_deals_status_is_its_furthest_stage_and_each_report_keeps_its_own():
    stages = [("approved", 0), ("signed", 130), ("delivered", 300), ("signed", 301)]
    reports = [rep(str(n), "arms_sale", day=DAY0 + timedelta(days=d), status=s, items="Javelin anti-tank missiles",
                   buyer_country="EST") for n, (s, d) in enumerate(stages)]
    [e] = group(reports)
    assert event_row(e)["status"] == "delivered"
    assert [r.row["status"] for r in e.reports] == ["approved", "signed", "delivered", "signed"]


@pytest.mark.parametrize("items", ["anti-tank weapons", "anti-tank missiles", "Javelin anti-tank missiles", "anti-armour weapons"])
def test_an_anti_tank_weapon_is_no_tank(items):
    missiles = rep("1", "arms_sale", items="Javelin missiles", buyer_country="EST")
    other = rep("2", "arms_sale", items=items, buyer_country="EST")
    assert compare(missiles, other) is not None
    tanks = rep("3", "arms_sale", items="K2 tanks", buyer_country="EST")
    assert compare(tanks, rep("4", "arms_sale", items="Javelin anti-tank missiles", buyer_country="EST")) is None


def test_event_dates_stay_as_they_were():
    """The new rules change no field of an ordinary two-report event."""
    a, b = _strike("1", weapon="air", killed=10, target="a house"), _strike("2", 13, weapon="air", killed=11)
    [row] = [event_row(e) for e in group([a, b])]
    assert (row["event_date"], row["n_reports"], row["killed_low"], row["killed_high"], row["weapon"]) == (date(2024, 3, 14), 2, 10, 11, "air")


def test_a_range_claim_counts_at_its_top_against_a_far_toll():
    """"2 to 10 killed" is a claim up to 10: a later 20 with another (compatible) weapon is within
    three times it, so it joins; read as 2 alone it would be far and found its own event."""
    ranged = _strike("1", 8, weapon="air", killed=2, killed_max=10)
    later = _strike("2", 18, weapon="drone", killed=20)
    assert groups(ranged, later) == [{"1", "2"}]


def test_a_report_split_off_one_event_by_its_toll_can_join_the_next():
    """A far toll with another weapon keeps a report out of the first event only: it goes on to
    the next event it matches, instead of founding a third."""
    big = _strike("1", 8, weapon="air", killed=10)
    small = _strike("2", 9, weapon="drone", killed=1)
    again = _strike("3", 10, weapon="drone", killed=1)
    assert groups(big, small, again) == [{"1"}, {"2", "3"}]
