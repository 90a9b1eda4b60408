"""Tests for pipelines.dates: phrase location, resolution rules, fallback and robustness."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.dates import DateMention, find_dates, resolve_date

THU = datetime(2024, 3, 7, 10, 30)  # a Thursday
SAT = datetime(2024, 3, 9, 8, 0)  # a Saturday
JAN = datetime(2024, 1, 15, 12, 0)  # a Monday in January


@pytest.mark.parametrize(
    ("phrase", "published", "expected", "precision"),
    [
        # weekdays
        ("on Thursday", THU, date(2024, 3, 7), "day"),
        ("Thursday", THU, date(2024, 3, 7), "day"),
        ("last Thursday", THU, date(2024, 2, 29), "day"),
        ("on Wednesday", THU, date(2024, 3, 6), "day"),
        ("on Friday", THU, date(2024, 3, 1), "day"),
        ("last Friday", THU, date(2024, 3, 1), "day"),
        ("Thursday night", THU, date(2024, 3, 7), "day"),
        ("late Tuesday", THU, date(2024, 3, 5), "day"),
        ("on Monday morning", THU, date(2024, 3, 4), "day"),
        ("next Thursday", THU, date(2024, 3, 14), "day"),
        ("this Friday", THU, date(2024, 3, 8), "day"),
        # day words
        ("today", THU, date(2024, 3, 7), "day"),
        ("tonight", THU, date(2024, 3, 7), "day"),
        ("this morning", THU, date(2024, 3, 7), "day"),
        ("earlier today", THU, date(2024, 3, 7), "day"),
        ("overnight", THU, date(2024, 3, 7), "day"),
        ("yesterday", THU, date(2024, 3, 6), "day"),
        ("yesterday afternoon", THU, date(2024, 3, 6), "day"),
        ("last night", THU, date(2024, 3, 6), "day"),
        ("the day before yesterday", THU, date(2024, 3, 5), "day"),
        ("tomorrow", THU, date(2024, 3, 8), "day"),
        # weeks
        ("last week", THU, date(2024, 2, 26), "week"),
        ("this week", THU, date(2024, 3, 4), "week"),
        ("earlier this week", THU, date(2024, 3, 4), "week"),
        ("next week", THU, date(2024, 3, 11), "week"),
        ("a week ago", THU, date(2024, 2, 26), "week"),
        ("two weeks ago", THU, date(2024, 2, 19), "week"),
        ("over the weekend", THU, date(2024, 2, 26), "week"),
        ("over the weekend", SAT, date(2024, 3, 4), "week"),
        ("last weekend", SAT, date(2024, 2, 26), "week"),
        # months
        ("last month", THU, date(2024, 2, 1), "month"),
        ("this month", THU, date(2024, 3, 1), "month"),
        ("earlier this month", THU, date(2024, 3, 1), "month"),
        ("last month", JAN, date(2023, 12, 1), "month"),
        ("in March", THU, date(2024, 3, 1), "month"),
        ("back in March", THU, date(2024, 3, 1), "month"),
        ("in April", THU, date(2023, 4, 1), "month"),
        ("since December", JAN, date(2023, 12, 1), "month"),
        ("in mid-February", THU, date(2024, 2, 1), "month"),
        ("last March", THU, date(2023, 3, 1), "month"),
        ("in February 2022", THU, date(2022, 2, 1), "month"),
        ("February 2022", None, date(2022, 2, 1), "month"),
        ("two months ago", THU, date(2024, 1, 1), "month"),
        # years
        ("earlier this year", THU, date(2024, 1, 1), "year"),
        ("last year", THU, date(2023, 1, 1), "year"),
        ("in 2014", THU, date(2014, 1, 1), "year"),
        ("in 2014", None, date(2014, 1, 1), "year"),
        ("since 1986", THU, date(1986, 1, 1), "year"),
        ("in early 2014", None, date(2014, 1, 1), "year"),
        ("three years ago", THU, date(2021, 1, 1), "year"),
        # days
        ("two days ago", THU, date(2024, 3, 5), "day"),
        ("3 days ago", THU, date(2024, 3, 4), "day"),
        ("a few days ago", THU, date(2024, 3, 4), "week"),
        ("March 3", THU, date(2024, 3, 3), "day"),
        ("3 March", THU, date(2024, 3, 3), "day"),
        ("March 20", THU, date(2023, 3, 20), "day"),
        ("on March 3, 2024", None, date(2024, 3, 3), "day"),
        ("3 March 2024", None, date(2024, 3, 3), "day"),
        ("Dec. 12, 2023", None, date(2023, 12, 12), "day"),
        ("the 5th of November", THU, date(2023, 11, 5), "day"),
        ("Thursday, March 7, 2024", None, date(2024, 3, 7), "day"),
        ("2024-01-05", None, date(2024, 1, 5), "day"),
        ("February 29", THU, date(2024, 2, 29), "day"),
    ],
)
def test_resolve_date(phrase: str, published: datetime | None, expected: date, precision: str) -> None:
    assert resolve_date(phrase, published) == (expected, precision)


@pytest.mark.parametrize(
    "phrase",
    ["on Thursday", "last week", "yesterday", "this month", "earlier this year", "in March",
     "March 3", "two days ago", "overnight", "over the weekend"],
)  # fmt: skip
def test_relative_phrases_without_publication_date(phrase: str) -> None:
    assert resolve_date(phrase, None) == (None, None)


def test_relative_phrase_kept_without_publication_date() -> None:
    sentence = "The convoy was hit last Thursday near the border."
    assert find_dates(sentence, None) == [DateMention("last Thursday", 19, 32, None, None)]


def test_thursday_in_a_thursday_article_is_that_day() -> None:
    found = find_dates("Drones struck the depot on Thursday, officials said.", THU)
    assert [(m.text, m.date, m.precision) for m in found] == [("Thursday", date(2024, 3, 7), "day")]


def test_month_year_keeps_month_precision() -> None:
    found = find_dates("The offensive began in February 2022 and stalled.", THU)
    assert [(m.text, m.date, m.precision) for m in found] == [("February 2022", date(2022, 2, 1), "month")]


def test_offsets_and_prepositions_excluded() -> None:
    sentence = "He arrived back in March, left on Friday and returned in 2014."
    found = find_dates(sentence, THU)
    assert [m.text for m in found] == ["March", "Friday", "2014"]
    for m in found:
        assert sentence[m.start : m.end] == m.text


def test_aware_publication_timestamp_uses_its_own_date() -> None:
    published = datetime(2024, 3, 7, 23, 0, tzinfo=timezone.utc)
    assert resolve_date("yesterday", published) == (date(2024, 3, 6), "day")


def test_several_mentions_in_order() -> None:
    sentence = "Talks held last week followed a visit on 3 March and a deal signed in 2019."
    found = find_dates(sentence, THU)
    assert [(m.text, m.precision) for m in found] == [("last week", "week"), ("3 March", "day"), ("2019", "year")]


@pytest.mark.parametrize(
    "sentence",
    [
        "May said the talks may resume.",
        "The brigade lost 2000 troops in the assault.",
        "Officials said 1986 was a turning point.",
        "Protesters march on the capital.",
        "A 2014 report found nothing.",
        "The S-400 system was moved.",
        "February 30, 2024 is not a date.",
        "",
    ],
)
def test_not_dates(sentence: str) -> None:
    assert find_dates(sentence, THU) == []


def test_invalid_full_date_resolves_to_none() -> None:
    assert resolve_date("February 30, 2024", THU) == (None, None)


def test_dateparser_fallback_with_publication_date() -> None:
    assert resolve_date("a fortnight ago", THU) == (date(2024, 2, 19), "week")


def test_dateparser_fallback_without_publication_date_only_absolute() -> None:
    assert resolve_date("the day after tomorrow", None) == (None, None)
    assert resolve_date("12 August 2020", None) == (date(2020, 8, 12), "day")


@pytest.mark.parametrize("bad", [None, 12, b"Thursday", "", "   ", "on", "Thursdayy"])
def test_resolve_date_never_raises(bad: object) -> None:
    assert resolve_date(bad, THU) == (None, None)  # type: ignore[arg-type]


def test_find_dates_rejects_non_strings() -> None:
    assert find_dates(None, THU) == []  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.one_of(st.none(), st.datetimes(min_value=datetime(1950, 1, 1))))
def test_find_dates_never_raises_and_offsets_match(text: str, published: datetime | None) -> None:
    for m in find_dates(text, published):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert (m.date is None) == (m.precision is None)


_PIECES = st.sampled_from(
    ["on Thursday", "last week", "in 2014", "March 3, 2024", "two days ago", "yesterday", " ", "the",
     "May", "2000", ",", "earlier this year", "back in March", "overnight", "12", "-", "Dec."]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=12).map(" ".join), st.one_of(st.none(), st.datetimes(min_value=datetime(1950, 1, 1))))
def test_date_like_text_never_raises_and_offsets_match(text: str, published: datetime | None) -> None:
    for m in find_dates(text, published):
        assert text[m.start : m.end] == m.text
        assert m.precision in (None, "day", "week", "month", "year")
        # no future verb among the pieces: the phrase alone resolves as it did in the sentence
        assert resolve_date(m.text, published) == (m.date, m.precision)


@pytest.mark.parametrize("sentence, expected", [
    ("Blinken will travel to Saudi Arabia on Tuesday and to Qatar on Wednesday.", [date(2024, 6, 11), date(2024, 6, 12)]),
    ("The minister is expected to arrive in Kyiv on Friday, officials said.", [date(2024, 6, 14)]),
    ("Blinken met the crown prince on Tuesday.", [date(2024, 6, 4)]),  # past tense: the last Tuesday
    ("The envoy, who will retire next year, said on Tuesday that talks had failed.", [date(2025, 1, 1), date(2024, 6, 4)]),
])
def test_a_weekday_after_a_future_verb_is_the_coming_one(sentence: str, expected: list[date]) -> None:
    monday = datetime(2024, 6, 10, 6, 30, tzinfo=timezone.utc)
    assert [m.date for m in find_dates(sentence, monday)] == expected
