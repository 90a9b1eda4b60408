"""Events do not depend on scheduling: the same batches grouped in any completion order give the
same events, event ids and links as grouping them one by one in registration order.

Parallel runs finish in any order, and the events step of each batch queues on the warehouse
pool, so which batch's reports reach the events step first is an accident of the machine. The
grouping rules are greedy (the first report founds an event and gives it its id), so without
care an event a researcher cites could change its id between two runs of the same files."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from pipelines.events import Event, Report, before_batches, event_row, group, group_batches
from tests.conftest import table_rows

# Three outlets report one drone strike on Sumy; each file is its own batch. The report in the
# first-registered batch was published last, so publication order and batch order disagree.
ARTICLES = {
    "1_late.txt": ("Drone strike on Sumy kills four\n\n"
                   "SUMY, Ukraine, May 7, 2024 (Border Courier) - A Russian drone struck an apartment block in Sumy "
                   "early on Tuesday, killing four people, the regional administration said.\n\n"
                   "Rescuers worked through the morning to clear the rubble.\n"),
    "2_early.txt": ("Sumy apartment block hit\n\n"
                    "SUMY, Ukraine, May 7, 2024 (Northern Wire) - Russian drones hit a residential building in Sumy "
                    "on Tuesday, killing three people, local officials said.\n\n"
                    "The city lies about 30 km from the Russian border.\n"),
    "3_other.txt": ("Strike on Odesa port\n\n"
                    "ODESA, Ukraine, May 7, 2024 (Black Sea Daily) - A Russian missile struck the port of Odesa on "
                    "Tuesday, killing two dockworkers, the governor said.\n"),
}
EVENT_TABLES = ("strikes", "events", "event_reports")


def _home(root: Path, corpus: Path, instance):
    """A home with the three batches registered, in file order, at one fixed time (registration
    order then falls to the batch ids, the same in every home)."""
    from assets.resources import DispatchesHome
    from pipelines.batches import make_manifest, write_manifest

    home = DispatchesHome(home=str(root))
    ids = []
    for name in sorted(ARTICLES):
        m = dataclasses.replace(make_manifest([str(corpus / name)], origin="test"), created_at="2024-05-07T12:00:00+00:00")
        write_manifest(home.root, m)
        instance.add_dynamic_partitions("batches", [m.batch_id])
        ids.append(m.batch_id)
    return home, ids


def _run(home, instance, order: list[str]) -> None:
    from dagster import Definitions

    from assets.definitions import defs

    job = Definitions(assets=defs.assets, jobs=defs.jobs, resources={"dispatches": home}).resolve_job_def("process_batch")
    for batch_id in order:
        assert job.execute_in_process(partition_key=batch_id, instance=instance).success


@pytest.mark.slow
def test_batches_grouped_in_any_order_give_the_same_events(tmp_path: Path) -> None:
    from dagster import DagsterInstance

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    states = []
    for n, pick in enumerate((lambda ids: ids, lambda ids: ids[::-1], lambda ids: [ids[1], ids[2], ids[0]])):
        instance = DagsterInstance.ephemeral()
        home, ids = _home(tmp_path / f"home{n}", corpus, instance)
        _run(home, instance, pick(ids))
        states.append(table_rows(home.root / "warehouse.duckdb", tables=EVENT_TABLES))
    first = states[0]
    assert len(first["strikes"]) == 3 and len(first["events"]) == 2, first
    for other in states[1:]:
        for t in EVENT_TABLES:
            assert other[t] == first[t], t


def _r(fid: str, batch: str, hour: int, **row) -> Report:
    from datetime import date, datetime, timezone

    base = {"event_date": date(2024, 5, 7), "date_precision": "day", "certainty": "reported", "country": "UKR",
            "location": "Sumy", "latitude": 50.91, "longitude": 34.8, "geo_precision": "exact"}
    return Report(fid, "strikes", "a" + fid, batch, datetime(2024, 5, 7, hour, tzinfo=timezone.utc), "s" + fid, {**base, **row})


def _shape(events: list[Event]) -> list[tuple[str, list[str], list[float]]]:
    return sorted((e.event_id, [r.fact_id for r in e.reports], [e.similarity[r.fact_id] for r in e.reports]) for e in events)


def test_regrouping_a_late_batch_equals_grouping_in_batch_order() -> None:
    """b2 (registered second) was grouped first; b1 arrives. Taking b2's reports out, grouping b1
    and then b2 again gives what b1-then-b2 gives, ids and similarities included; grouping b1 into
    the events as they stand would not (b2's report would keep founding the event)."""
    rank = {"b1": 0, "b2": 1}
    x = _r("x", "b1", 18, killed=4, weapon="drone")
    y = _r("y", "b2", 9, killed=3, weapon="drone")
    z = _r("z", "b2", 10, weapon="artillery")  # never joins a drone strike's event
    in_order = group_batches([[x], [y, z]])
    late = group([y, z])
    naive = group([x], late)
    redone = group_batches([[x], [y, z]], before_batches(late, set(), rank))  # nothing registered before b1
    assert _shape(redone) == _shape(in_order)
    assert _shape(naive) != _shape(in_order)
    [drone] = [e for e in in_order if len(e.reports) == 2]
    assert drone.reports[0].fact_id == "x" and (event_row(drone)["killed_low"], event_row(drone)["killed_high"]) == (3, 4)


def test_before_batches_keeps_ids_and_founding_order() -> None:
    rank = {"b1": 0, "b2": 1, "b3": 2}
    a, b, c = _r("a", "b1", 12), _r("b", "b2", 8), _r("c", "b3", 7, weapon="artillery", location="Kyiv", latitude=50.45, longitude=30.52)
    events = group_batches([[a], [b], [c]])
    assert [len(e.reports) for e in events] == [2, 1]
    kept = before_batches(events[::-1], {"b1"}, rank)
    assert [(e.event_id, [r.fact_id for r in e.reports]) for e in kept] == [(events[0].event_id, ["a"])]
    both = before_batches(events[::-1], {"b1", "b3"}, rank)
    assert [e.event_id for e in both] == [events[0].event_id, events[1].event_id]  # founding order, not input order


def _group_without_index(reports):
    """The grouping rule written plainly, every report against every event of its type: the
    day index in pipelines.events.group must give exactly this, only faster."""
    from pipelines.events import _sort_key, _toll_splits, compare
    from pipelines.text import stable_id

    events = []
    for r in sorted(reports, key=_sort_key):
        best = None
        for e in events:
            if e.type != r.type:
                continue
            scores = [compare(r, o) for o in e.reports]
            if any(s is None for s in scores) or _toll_splits(r, e):
                continue
            score = sum(scores) / len(scores)
            if best is None or score > best[0]:
                best = (score, e)
        if best is None:
            e = Event(stable_id("e", r.fact_id), r.type)
            e.similarity[r.fact_id] = 1.0
            events.append(e)
        else:
            e = best[1]
            e.similarity[r.fact_id] = round(best[0], 3)
        e.reports.append(r)
    return events


@pytest.mark.parametrize("seed", range(5))
def test_the_day_index_changes_no_grouping(seed: int) -> None:
    import random
    from datetime import date, datetime, timedelta, timezone

    rnd = random.Random(seed)
    towns = [("Kharkiv", 49.99, 36.23), ("Sumy", 50.91, 34.8), ("Izmail", 45.35, 28.84)]
    reports = []
    for i in range(300):
        day = date(2024, 5, 1) + timedelta(days=rnd.randrange(20))
        town = rnd.choice(towns)
        dated = rnd.random() > 0.15
        published = None if rnd.random() < 0.05 else datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc) + timedelta(hours=rnd.randrange(40))
        typ = rnd.choice(["strikes", "strikes", "killings", "visits", "arms_sales"])
        row = {"event_date": day if dated else None, "date_precision": rnd.choice(["day", "day", "month"]) if dated else None,
               "country": "UKR", "location": town[0], "latitude": town[1], "longitude": town[2], "geo_precision": "exact",
               "weapon": rnd.choice(["drone", "missile", "artillery", None]), "killed": rnd.choice([None, 0, 2, 3, 10, 12]),
               "target": rnd.choice([None, "a market", "a school", "a house"]), "visitor": rnd.choice(["Olaf Scholz", "Wang Yi"]),
               "status": rnd.choice(["planned", "occurred", "approved", "signed"]), "items": rnd.choice(["K2 tanks", "F-16 jets"])}
        reports.append(Report(f"f{seed}-{i}", typ, f"a{i % 120}", "b", published, f"s{i % 7}", row))
    assert _shape(group(reports)) == _shape(_group_without_index(reports))
