"""Construction-class cases (tests/cases/*.jsonl, format in tests/cases/README.md).

One slow test per case id: the extractor runs once on every case (module fixture) and each
case asserts that its expected facts are found (and, with exact_count, that no other fact of a
scored type is predicted). A fast test validates the case files themselves. The comparison code
lives in benchmarks/cases.py, shared with `python -m benchmarks.cases`.
"""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks import cases as C

RECORDS = C.load_cases()
GAPS = C.load_gaps()


def _param(record):
    """A case listed in known_gaps.txt is a strict xfail: once it passes, the suite says so."""
    reason = GAPS.get(record["id"])
    marks = [pytest.mark.xfail(strict=True, reason=f"known gap: {reason}")] if reason else []
    return pytest.param(record, id=record["id"], marks=marks)


def test_case_files_are_valid():
    assert C.case_files(), "no tests/cases/*.jsonl"
    ids = Counter(r.get("id") for r in RECORDS)
    dupes = sorted(i for i, n in ids.items() if n > 1)
    assert not dupes, f"ids must be unique across tests/cases/*.jsonl: {dupes}"
    problems = C.validate(RECORDS)
    assert not problems, "\n".join(problems)
    unknown = sorted(set(GAPS) - set(ids))
    assert not unknown, f"known_gaps.txt names cases that do not exist: {unknown}"


def test_comparison_rules():
    # text: token overlap >= 0.5 of the smaller set, stop words ignored
    assert C.text_agrees("Zeitoun neighbourhood", "Zeitoun")
    assert C.text_agrees("the village of Tayr Dibba", "Tayr Dibba")
    assert not C.text_agrees("Gaza City", "Zeitoun")
    assert not C.text_agrees(None, "Zeitoun")
    # numbers within 2 %
    assert C.number_agrees(100, 101) and not C.number_agrees(100, 103) and not C.number_agrees(1, 0)
    # an actor agrees through its country; a listed null requires a null prediction
    fact = {"type": "strike", "attacker": "Israeli warplanes", "attacker_country": "ISR", "killed": None}
    assert C.field_agrees("attacker", {"attacker": "Israel Defense Forces", "attacker_country": "isr"}, fact)
    assert C.field_agrees("killed", {"killed": None}, fact) and not C.field_agrees("killed", {"killed": 3}, fact)
    rec = {"id": "x", "class": "c", "types": ["strike"], "exact_count": True,
           "expect": [{"type": "strike", "location": "Rafah"}]}
    assert C.score_case(rec, {"strikes": [{"location": "Rafah"}]}).passed
    assert not C.score_case(rec, {"strikes": [{"location": "Rafah"}, {"location": "Gaza"}]}).passed
    assert not C.score_case(rec, {"strikes": []}).passed


@pytest.fixture(scope="module")
def extracted():
    return C.extract_by_case(RECORDS)


@pytest.mark.slow
@pytest.mark.parametrize("record", [_param(r) for r in RECORDS])
def test_case(record, extracted):
    res = C.score_case(record, extracted[record["id"]])
    if not res.passed:  # pytest.fail keeps the message readable (no dump of the fixture)
        pytest.fail(res.message() + f"\n  note: {record.get('note', '')}\n  text: {record['text'][:300]!r}",
                    pytrace=False)
