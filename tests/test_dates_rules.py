"""Edges of the date rules (pipelines/dates.py) that the phrase table in test_dates.py does not
reach: hours across midnight, years ago, weekends in every direction, 29 February, the length
limit of the dateparser fallback, and an aware publication time. Found by mutation testing
(make mutants): each row fails under one of the surviving mutants."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from pipelines.dates import resolve_date

THU_EARLY = datetime(2024, 3, 7, 1, 30)  # a Thursday, 01:30
THU = datetime(2024, 3, 7, 10, 30)
SAT = datetime(2024, 3, 9, 8, 0)  # a Saturday
SUN = datetime(2024, 3, 10, 8, 0)


@pytest.mark.parametrize(("phrase", "published", "expected", "precision"), [
    # hours count back from the publication time, not its date: across midnight it is yesterday
    ("three hours ago", THU_EARLY, date(2024, 3, 6), "day"),
    ("three hours ago", THU, date(2024, 3, 7), "day"),
    ("36 hours ago", THU, date(2024, 3, 5), "day"),
    # days, weeks, months, years
    ("two days ago", THU, date(2024, 3, 5), "day"),
    ("two weeks ago", THU, date(2024, 2, 19), "week"),
    ("three months ago", THU, date(2023, 12, 1), "month"),
    ("two years ago", THU, date(2022, 1, 1), "year"),
    ("a year ago", THU, date(2023, 1, 1), "year"),
    # weekends: the latest one, the coming one, this one seen from inside it
    ("last weekend", THU, date(2024, 2, 26), "week"),
    ("next weekend", THU, date(2024, 3, 11), "week"),
    ("this weekend", THU, date(2024, 2, 26), "week"),
    ("this weekend", SAT, date(2024, 3, 4), "week"),
    ("this weekend", SUN, date(2024, 3, 4), "week"),
    ("over the weekend", SAT, date(2024, 3, 4), "week"),
    ("over the weekend", THU, date(2024, 2, 26), "week"),
    ("next week", THU, date(2024, 3, 11), "week"),
    ("last week", THU, date(2024, 2, 26), "week"),
    ("next month", THU, date(2024, 4, 1), "month"),
    ("last year", THU, date(2023, 1, 1), "year"),
    # a day and month: the most recent one on or before publication, 29 February in a leap year
    ("March 7", THU, date(2024, 3, 7), "day"),
    ("March 8", THU, date(2023, 3, 8), "day"),
    ("February 29", datetime(2025, 3, 1), date(2024, 2, 29), "day"),
    ("February 29", datetime(2027, 6, 1), date(2024, 2, 29), "day"),
])
def test_relative_phrases(phrase, published, expected, precision):
    assert resolve_date(phrase, published) == (expected, precision)


def test_an_aware_publication_time_counts_hours_in_its_own_zone():
    pub = datetime(2024, 3, 7, 1, 30, tzinfo=timezone.utc)
    assert resolve_date("two hours ago", pub) == (date(2024, 3, 6), "day")


def _padded(n: int) -> str:
    """A phrase dateparser reads, padded inside to n characters."""
    k = n - len("March 3rd,2024 at 10 in the morning")
    return "March 3rd," + " " * k + "2024 at 10 in the morning"


def test_fallback_reads_a_phrase_of_60_characters_and_not_one_of_61():
    assert len(_padded(60)) == 60 and len(_padded(61)) == 61
    assert resolve_date(_padded(60), THU) == (date(2024, 3, 3), "day")
    assert resolve_date(_padded(61), THU) == (None, None)  # the cap keeps dateparser off long text


def test_fallback_is_english_and_relative_to_publication():
    assert resolve_date("the day before yesterday", THU) == (date(2024, 3, 5), "day")
    assert resolve_date("le 3 mars 2024", THU) == (None, None)  # French: not read


def test_fallback_with_a_date_only_publication():
    assert resolve_date("the day before yesterday", date(2024, 3, 7)) == (date(2024, 3, 5), "day")


@pytest.mark.parametrize(("phrase", "published", "expected"), [
    # phrases outside the grammar go to dateparser, keeping its precision
    ("a fortnight ago", THU, (date(2024, 2, 19), "week")),
    ("a fortnight ago", date(2024, 3, 7), (date(2024, 2, 19), "week")),  # a date-only publication
    ("Mar 2024", THU, (date(2024, 3, 1), "month")),
    ("year 2019", THU, (date(2019, 1, 1), "year")),
    ("3.3.2024", THU, (date(2024, 3, 3), "day")),
    # without a publication date only what reads the same from any base date is kept
    ("Mar 2024", None, (date(2024, 3, 1), "month")),
    ("3.3.2024", None, (date(2024, 3, 3), "day")),
    ("a fortnight ago", None, (None, None)),
    ("Sunday 3 March", None, (None, None)),
    # punctuation and a leading preposition around the phrase are ignored
    ("(on 3 March 2024).", THU, (date(2024, 3, 3), "day")),
    ("  3 March 2024 ,", THU, (date(2024, 3, 3), "day")),
    ("on 3rd March 2024", THU, (date(2024, 3, 3), "day")),
    ("on March 22nd", THU, (date(2023, 3, 22), "day")),
])
def test_fallback_and_punctuation(phrase, published, expected):
    assert resolve_date(phrase, published) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a weekday in a clause about the future is the coming one (publication on a Thursday)
    ("The minister will travel to Riyadh on Tuesday.", date(2024, 3, 12)),
    ("The minister will travel to Riyadh on Friday.", date(2024, 3, 8)),
    ("The minister will visit Cairo on Thursday.", date(2024, 3, 7)),
    ("The talks are due to start next Monday.", date(2024, 3, 11)),
    # and in the past the last one
    ("He met the king on Tuesday.", date(2024, 3, 5)),
])
def test_weekdays_in_future_and_past_clauses(sentence, expected):
    from pipelines.dates import find_dates
    assert [m.date for m in find_dates(sentence, THU)] == [expected]


@pytest.mark.parametrize(("phrase", "expected"), [
    ("next Monday", date(2024, 3, 11)), ("next Wednesday", date(2024, 3, 13)), ("next Thursday", date(2024, 3, 14)),
    ("this Monday", date(2024, 3, 4)), ("this Sunday", date(2024, 3, 10)), ("last Thursday", date(2024, 2, 29)),
    ("3rd of March", date(2024, 3, 3)), ("22nd March", date(2023, 3, 22)), ("March 1st", date(2024, 3, 1)),
])
def test_weekday_modifiers_and_ordinals(phrase, expected):
    assert resolve_date(phrase, THU) == (expected, "day")


# Sentences through find_dates, each form resolved and kept (published on a Thursday, THU)
@pytest.mark.parametrize(("sentence", "published", "expected"), [
    ("The ceasefire began on 2024-03-03.", THU, [("2024-03-03", date(2024, 3, 3), "day")]),
    ("The ceasefire began on March 3, 2024.", THU, [("March 3, 2024", date(2024, 3, 3), "day")]),
    ("The port was shelled two days ago.", THU, [("two days ago", date(2024, 3, 5), "day")]),
    ("The port was shelled over the weekend.", THU, [("over the weekend", date(2024, 2, 26), "week")]),
    ("The port was shelled yesterday.", THU, [("yesterday", date(2024, 3, 6), "day")]),
    # a vague number of days is a week, and the week starts on its Monday (from a Saturday)
    ("The shelling began a few days ago.", SAT, [("a few days ago", date(2024, 3, 4), "week")]),
    # hours before a date-only publication: the time of day is unknown, whole days count
    ("The convoy was hit three hours ago.", date(2024, 3, 7), [("three hours ago", date(2024, 3, 7), "day")]),
    ("The convoy was hit 30 hours ago.", date(2024, 3, 7), [("30 hours ago", date(2024, 3, 6), "day")]),
    ("The convoy was hit 48 hours ago.", date(2024, 3, 7), [("48 hours ago", date(2024, 3, 5), "day")]),
    ("The convoy was hit 50 hours ago.", date(2024, 3, 7), [("50 hours ago", date(2024, 3, 5), "day")]),
    # without a publication date a day and month is kept, undated
    ("The talks began on March 3.", None, [("March 3", None, None)]),
    # 1900 is no leap year: no 29 February within four years of March 1901, so no date
    ("The dam burst on February 29, officials said.", datetime(1901, 3, 1), [("February 29", None, None)]),
    # an impossible date is dropped and the dates after it are still read
    ("Talks set for February 30, 2024 were moved to March 3, 2024.", THU,
     [("March 3, 2024", date(2024, 3, 3), "day")]),
    # a publication time that is not a date: the relative phrase is kept undated, nothing raises
    ("The port was shelled yesterday.", "2024-03-10", [("yesterday", None, None)]),
])
def test_find_dates_resolves_and_keeps_each_form(sentence, published, expected):
    from pipelines.dates import find_dates
    assert [(m.text, m.date, m.precision) for m in find_dates(sentence, published)] == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # the future verb opens the sentence: the window reaches its first character
    ("Will the talks resume on Tuesday?", date(2024, 3, 12)),
    ("They met,will meet on Tuesday", date(2024, 3, 12)),         # a comma with no space after it
    # the clause starts after the last ";" before the weekday: a future verb before it does not count
    ("Talks stalled; they will meet again; it ended on Tuesday.", date(2024, 3, 5)),
    ("The minister will resign; the vote was on Tuesday.", date(2024, 3, 5)),
])
def test_the_future_clause_of_a_weekday(sentence, expected):
    from pipelines.dates import find_dates
    assert [m.date for m in find_dates(sentence, THU)] == [expected]


def test_a_future_verb_more_than_90_characters_before_the_weekday_is_out_of_reach():
    from pipelines.dates import find_dates
    filler = "meet the envoys of the three neighbouring states at the {} crossing and then "
    far = "They will " + filler.format("frontier") + "on Tuesday."
    assert far.index("Tuesday") - far.index("will") == 91
    assert [m.date for m in find_dates(far, THU)] == [date(2024, 3, 5)]
    near = "They will " + filler.format("Allenby") + "on Tuesday."
    assert near.index("Tuesday") - near.index("will") == 90
    assert [m.date for m in find_dates(near, THU)] == [date(2024, 3, 12)]


@pytest.mark.parametrize(("phrase", "published", "expected"), [
    ("now", THU, (None, None)),                       # no date word: never sent to dateparser
    ("on Thursday.", THU, (date(2024, 3, 7), "day")),   # the preposition and the full stop are both stripped
    ("in mid-2014.", None, (date(2014, 1, 1), "year")),
    ("March 2024X", None, (None, None)),              # a stray letter glued on (a markup remnant) is not stripped
    ("30 minutes ago", THU, (date(2024, 3, 7), "day")),  # dateparser counts from 10:30, not midnight
])
def test_resolve_date_edges(phrase, published, expected):
    assert resolve_date(phrase, published) == expected
