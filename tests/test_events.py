"""Events across articles: the multi-article stories in tests/stories (written by us) and the
grouping rules in pipelines/events.py."""

from __future__ import annotations

import functools
import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from pipelines.events import Report, compare, event_row, group
from pipelines.extract import extract_articles
from pipelines.text import parse_timestamp

STORY_DIR = Path(__file__).parent / "stories"
STORIES = sorted(STORY_DIR.glob("s*.json"))
TABLE = {"strike": "strikes", "visit": "visits", "arms_sale": "arms_sales", "killing": "killings"}

# Documented gaps of the extractor, one assertion each: {"story", "type", "reports", "reason"}. With
# "reports" (an expected group) the gap is that group not being found; without it, the gap is an
# extra group of that type the story does not expect. Each runs as a strict xfail, so closing the
# gap fails the test and the entry must go; every other assertion of the story still runs. The
# story files themselves are fixed inputs and carry no marker.
KNOWN_FAILURES = json.loads((STORY_DIR / "known_failures.json").read_text(encoding="utf-8"))["failures"]


def _story(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _known(stem: str, typ: str, reports: list[str] | None, check: str = "group") -> str | None:
    for k in KNOWN_FAILURES:
        if (k["story"], k["type"], k.get("check", "group")) == (stem, typ, check) and (
                sorted(k["reports"]) if k.get("reports") else None) == (sorted(reports) if reports else None):
            return k["reason"]
    return None


@functools.lru_cache(maxsize=None)
def _extracted(path: Path) -> dict:
    story = _story(path)
    arts = [{"article_id": a["id"], "batch_id": "b", "text": a["text"], "published_at": parse_timestamp(a.get("published_at"))}
            for a in story["articles"]]
    return {"out": extract_articles(arts), "pub": {a["article_id"]: a["published_at"] for a in arts},
            "src": {a["id"]: a.get("source") for a in story["articles"]}}


def _reports(path: Path, table: str) -> list[Report]:
    x = _extracted(path)
    return [Report(r["fact_id"], table, r["article_id"], "b", x["pub"][r["article_id"]], x["src"][r["article_id"]], r)
            for r in x["out"][table]]


def _expected(story: dict, typ: str) -> set[frozenset[str]]:
    return {frozenset(e["reports"]) for e in story["expected_events"] if e["type"] == typ}


@functools.lru_cache(maxsize=None)
def _events(path: Path, typ: str) -> dict[frozenset[str], dict]:
    """The story's reports of one type, from the articles its expected events of that type list,
    grouped: each event's set of articles -> its event row."""
    wanted = set().union(*_expected(_story(path), typ))
    reports = [r for r in _reports(path, TABLE[typ]) if r.article_id in wanted]
    return {frozenset(r.article_id for r in e.reports): event_row(e) for e in group(reports)}


def _groups(path: Path, typ: str) -> frozenset[frozenset[str]]:
    return frozenset(_events(path, typ))


def _story_checks():
    """One assertion per expected event (its group is found) and one per story and type (no other
    group is found), a known failure marking only its own assertion."""
    for path in STORIES:
        story = _story(path)
        for typ in sorted({e["type"] for e in story["expected_events"]}):
            for g in sorted(sorted(g) for g in _expected(story, typ)):
                reason = _known(path.stem, typ, g)
                marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
                yield pytest.param(path, typ, tuple(g), marks=marks, id=f"{path.stem}-{typ}-{'+'.join(g)}")
            reason = _known(path.stem, typ, None)
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            yield pytest.param(path, typ, None, marks=marks, id=f"{path.stem}-{typ}-no-other-groups")


def _field_checks():
    """One assertion per expected event that names "fields": the event of exactly its articles
    shows those values (killed_low, killed_high, status)."""
    for path in STORIES:
        for e in _story(path)["expected_events"]:
            if e.get("fields"):
                g = sorted(e["reports"])
                reason = _known(path.stem, e["type"], g, "fields")
                marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
                yield pytest.param(path, e["type"], tuple(g), e["fields"], marks=marks, id=f"{path.stem}-{e['type']}-{'+'.join(g)}-fields")


@pytest.mark.slow
@pytest.mark.parametrize("path, typ, reports", list(_story_checks()))
def test_story_groups_as_expected(path: Path, typ: str, reports: tuple[str, ...] | None):
    got = _groups(path, typ)
    if reports is not None:
        assert frozenset(reports) in got, f"{path.stem} {typ}: no event of exactly {sorted(reports)}; got {sorted(map(sorted, got))}"
    else:
        extra = got - _expected(_story(path), typ)
        assert not extra, f"{path.stem} {typ}: unexpected groups {sorted(map(sorted, extra))}"


@pytest.mark.slow
@pytest.mark.parametrize("path, typ, reports, fields", list(_field_checks()))
def test_story_event_fields(path: Path, typ: str, reports: tuple[str, ...], fields: dict):
    events = _events(path, typ)
    row = events.get(frozenset(reports))
    assert row is not None, f"{path.stem} {typ}: no event of exactly {sorted(reports)}; got {sorted(map(sorted, events))}"
    assert {f: row[f] for f in fields} == fields


def test_known_failures_name_real_assertions():
    """Markers live in known_failures.json, one per assertion, never on a story file (whose
    articles and expected events are fixed inputs), and each names a story, type and group that exist."""
    stems = {p.stem: _story(p) for p in STORIES}
    assert not [s for s, st in stems.items() if "known_failure" in st], "move story-level known_failure to known_failures.json"
    for k in KNOWN_FAILURES:
        assert k["story"] in stems and k.get("reason"), k
        expected = _expected(stems[k["story"]], k["type"])
        assert expected, k
        assert not k.get("reports") or frozenset(k["reports"]) in expected, k
        assert k.get("check", "group") in ("group", "fields"), k
        assert k.get("check") != "fields" or any(
            sorted(e["reports"]) == sorted(k.get("reports") or ()) and e.get("fields") for e in stems[k["story"]]["expected_events"]), k
    keys = [(k["story"], k["type"], k.get("check", "group"), tuple(sorted(k.get("reports") or ()))) for k in KNOWN_FAILURES]
    assert len(keys) == len(set(keys)), "duplicate known failure"


def test_there_are_enough_stories():
    assert len(STORIES) >= 30


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
