"""The grouping index (pipelines.events._EventIndex) only skips events compare() would reject.

group() compares a report with the events its day and blocking-key index return. These tests
group many random reports, drawn from small pools so that days, countries, attackers, visitors
and items collide often, with the index and with a plain greedy loop over every event, and
require the same events, ids, members and similarities; and they tie the blocking keys to
compare(): two reports compare() accepts never give different values for a key.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

import pytest

from pipelines import events as E
from pipelines.events import Event, Report, compare, group
from pipelines.text import stable_id

COUNTRIES = ["UKR", "RUS", "SYR", "ISR", None]
PLACES = [("Kharkiv", 49.99, 36.23), ("Izium", 49.21, 37.26), ("Idlib", 35.93, 36.63), (None, None, None)]
ATTACKERS = ["Russia", "Ukraine", "Israel", None]
VISITORS = ["Antony Blinken", "Sergei Lavrov", "Wang Yi", "Lavrov", None]
ITEMS = ["F-16 fighter jets", "Patriot air defence systems", "155mm artillery shells", "MQ-9 Reaper drones", None]
TARGETS = ["an apartment block", "a hospital", "a fuel depot", None]
WEAPONS = ["drone", "missile", "air", "artillery", None]
TABLE_OF = {v: k for k, v in E.FACT_TYPES.items()}


def _report(rng: random.Random, n: int, t: str) -> Report:
    day = date(2024, 3, 1) + timedelta(days=rng.randrange(40 if t != "arms_sale" else 900))
    place, lat, lon = rng.choice(PLACES)
    row = {
        "fact_id": f"f{n:05d}", "event_date": day if rng.random() < 0.8 else None,
        "date_precision": rng.choice(["day", "day", "month", None]),
        "country": rng.choice(COUNTRIES), "location": place, "latitude": lat, "longitude": lon,
        "geo_precision": rng.choice(["exact", "near", "country"]), "killed": rng.choice([None, 2, 4, 12, 30]),
    }
    if t == "strike":
        target = rng.choice(TARGETS)
        row.update(attacker=rng.choice(ATTACKERS), attacker_country=rng.choice(COUNTRIES), target=target,
                   weapon=rng.choice(WEAPONS), evidence=f"A strike hit {target or 'a town'} next to {rng.choice(TARGETS) or 'a road'}.")
    elif t == "killing":
        row.update(perpetrator_country=rng.choice(COUNTRIES), victim=rng.choice(["Ahmad Khalil", "two soldiers", None]))
    elif t == "visit":
        row.update(visitor=rng.choice(VISITORS), visitor_country=rng.choice(COUNTRIES),
                   destination_country=rng.choice(COUNTRIES))
    else:
        row.update(items=rng.choice(ITEMS), seller=rng.choice(["Lockheed Martin", "Raytheon", None]),
                   seller_country=rng.choice(["USA", "FRA", None]), buyer_country=rng.choice(COUNTRIES))
    published = datetime.combine(day, datetime.min.time(), timezone.utc) + timedelta(hours=rng.randrange(48))
    return Report(row["fact_id"], TABLE_OF[t], f"a{n // 3}", "b", published if rng.random() < 0.95 else None,
                  f"src{n % 7}", row)


def _reports(seed: int, n: int) -> list[Report]:
    rng = random.Random(seed)
    return [_report(rng, i, rng.choice(list(E.DATE_WINDOW_DAYS))) for i in range(n)]


def _plain_onto(events: list[Event], r: Report) -> None:
    """The greedy rule of pipelines.events.group for one report, comparing with every event."""
    best = None
    for pos, e in enumerate(events):
        if e.type != r.type:
            continue
        scores = []
        for other in e.reports:
            sc = compare(r, other)
            if sc is None:
                break
            scores.append(sc)
        else:
            if E._toll_splits(r, e):
                continue
            score = sum(scores) / len(scores)
            if best is None or score > best[0]:
                best = (score, pos, e)
    if best is None:
        e = Event(stable_id("e", r.fact_id), r.type)
        e.similarity[r.fact_id] = 1.0
        e.reports.append(r)
        events.append(e)
    else:
        best[2].similarity[r.fact_id] = round(best[0], 3)
        best[2].reports.append(r)


def _plain_group(reports: list[Report], events: list[Event] | None = None) -> list[Event]:
    events = [] if events is None else events
    for r in sorted(reports, key=E._sort_key):
        _plain_onto(events, r)
    return events


def _signature(events: list[Event]) -> list[tuple]:
    return sorted((e.event_id, e.type, tuple(r.fact_id for r in e.reports), tuple(sorted(e.similarity.items())))
                  for e in events)


@pytest.mark.parametrize("seed", range(6))
def test_indexed_grouping_equals_comparing_with_every_event(seed):
    reports = _reports(seed, 700)
    got = group(reports)
    assert _signature(got) == _signature(_plain_group(reports))
    assert sum(len(e.reports) > 1 for e in got) > 20  # the pools make reports join events, not only found them


def test_grouping_onto_existing_events_equals_the_plain_loop():
    first, second = _reports(11, 400), _reports(12, 400)
    for r in second:
        r.fact_id = r.row["fact_id"] = "g" + r.fact_id
    got = group(second, group(first))
    assert _signature(got) == _signature(_plain_group(second, _plain_group(first)))


@pytest.mark.parametrize("t", sorted(E.DATE_WINDOW_DAYS))
def test_reports_compare_accepts_never_differ_on_a_blocking_key(t):
    rng = random.Random(sorted(E.DATE_WINDOW_DAYS).index(t))
    keys = E._blocking_keys(t)
    accepted = 0
    for n in range(3000):
        a, b = _report(rng, 2 * n, t), _report(rng, 2 * n + 1, t)
        b.row["event_date"], b.row["date_precision"], b.published_at = a.row["event_date"], a.row["date_precision"], a.published_at
        if compare(a, b) is None:
            continue
        accepted += 1
        for name, value_of in keys:
            va, vb = value_of(a.row), value_of(b.row)
            assert va is None or vb is None or va == vb, (t, name, va, vb)
    assert accepted > 50


def test_a_key_compare_does_not_check_would_change_the_result():
    """Planting a key compare() does not reject on (the toll) makes the index skip events
    the plain loop joins: the equality test above would see it."""
    reports = _reports(3, 500)
    original = E._blocking_keys

    def with_source(t):
        return original(t) + (("killed", lambda row: row.get("killed")),)

    try:
        E._blocking_keys = with_source
        planted = group(reports)
    finally:
        E._blocking_keys = original
    assert _signature(planted) != _signature(_plain_group(reports))
