"""Events across articles: the multi-article stories in tests/stories (written by us) and the
grouping rules in pipelines/events.py."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from pipelines.events import Report, compare, event_row, group
from pipelines.extract import extract_articles
from pipelines.text import parse_timestamp

STORIES = sorted((Path(__file__).parent / "stories").glob("s*.json"))
TABLE = {"strike": "strikes", "visit": "visits", "arms_sale": "arms_sales", "killing": "killings"}


def _reports(story: dict, table: str) -> list[Report]:
    arts = [{"article_id": a["id"], "batch_id": "b", "text": a["text"], "published_at": parse_timestamp(a.get("published_at"))}
            for a in story["articles"]]
    out = extract_articles(arts)
    pub = {a["article_id"]: a["published_at"] for a in arts}
    src = {a["id"]: a.get("source") for a in story["articles"]}
    return [Report(r["fact_id"], table, r["article_id"], "b", pub[r["article_id"]], src[r["article_id"]], r) for r in out[table]]


@pytest.mark.slow
@pytest.mark.parametrize("path", STORIES, ids=lambda p: p.stem)
def test_story_groups_as_expected(path: Path, request):
    story = json.loads(path.read_text(encoding="utf-8"))
    if story.get("known_failure"):  # a documented gap of the extractor: strict, so a fix shows up
        request.applymarker(pytest.mark.xfail(reason=story["known_failure"], strict=True))
    for typ in sorted({e["type"] for e in story["expected_events"]}):
        expected = {frozenset(e["reports"]) for e in story["expected_events"] if e["type"] == typ}
        wanted = set().union(*expected)
        reports = [r for r in _reports(story, TABLE[typ]) if r.article_id in wanted]
        got = {frozenset(r.article_id for r in e.reports) for e in group(reports)}
        assert got == expected, f"{path.stem} {typ}"


def test_there_are_enough_stories():
    assert len(STORIES) >= 15


def _r(fid: str, **row) -> Report:
    base = {"event_date": date(2024, 3, 14), "date_precision": "day", "certainty": "reported"}
    return Report(fid, "strikes", "a" + fid, "b", datetime(2024, 3, 14, 12, tzinfo=timezone.utc), "src" + fid, {**base, **row})


def test_tolls_do_not_split_but_distance_does():
    a = _r("1", country="UKR", location="Kharkiv", latitude=49.99, longitude=36.23, killed=12, geo_precision="exact")
    b = _r("2", country="UKR", location="Kharkiv", latitude=49.99, longitude=36.23, killed=10, geo_precision="exact")
    c = _r("3", country="UKR", location="Odesa", latitude=46.48, longitude=30.72, geo_precision="exact")
    assert compare(a, b) is not None and compare(a, c) is None
    [e1, e2] = group([a, b, c])
    row = event_row(e1)
    assert (row["n_reports"], row["killed_low"], row["killed_high"], row["killed_best"]) == (2, 10, 12, 10)


def test_event_ids_survive_a_new_batch_and_a_rerun():
    a = _r("1", country="SYR", location="Idlib", geo_precision="exact")
    b = _r("2", country="SYR", location="Idlib", geo_precision="exact")
    [first] = group([a])
    [again] = group([b], existing=[first])
    assert again.event_id == first.event_id and len(again.reports) == 2
    assert [e.event_id for e in group([b, a])] == [first.event_id]


def test_a_denial_makes_the_event_denied():
    a = _r("1", country="SDN", location="Nyala", geo_precision="exact", certainty="reported")
    b = _r("2", country="SDN", location="Nyala", geo_precision="exact", certainty="denied")
    [e] = group([a, b])
    assert event_row(e)["certainty"] == "denied"


def test_synonymous_targets_do_not_split_but_different_kinds_do():
    a = _r("1", country="UKR", location="Zaporizhzhia", geo_precision="exact", target="a five-storey apartment block",
           evidence="Drones hit a five-storey apartment block.")
    b = _r("2", country="UKR", location="Zaporizhzhia", geo_precision="exact", target="a residential building",
           evidence="Drones hit a residential building.")
    c = _r("3", country="UKR", location="Zaporizhzhia", geo_precision="exact", target="a power substation",
           evidence="Drones hit a power substation.")
    assert compare(a, b) is not None and compare(a, c) is None
