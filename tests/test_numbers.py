"""Tests for pipelines.numbers: counts, bounds, qualifiers, exclusions and robustness."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.numbers import Count, find_counts, parse_count


@pytest.mark.parametrize(
    ("sentence", "text", "low", "high", "qualifier"),
    [
        ("Officials said 12 people died.", "12", 12, 12, "exact"),
        ("Some 1,200 people fled.", "Some 1,200", 1200, 1200, "about"),
        ("A total of 12,500 homes were lost.", "12,500", 12500, 12500, "exact"),
        ("Twelve soldiers were killed.", "Twelve", 12, 12, "exact"),
        ("Seventeen men were held.", "Seventeen", 17, 17, "exact"),
        ("Forty civilians were hurt.", "Forty", 40, 40, "exact"),
        ("It destroyed twenty-five boats.", "twenty-five", 25, 25, "exact"),
        ("Two hundred and fifty people marched.", "Two hundred and fifty", 250, 250, "exact"),
        ("Three thousand troops arrived.", "Three thousand", 3000, 3000, "exact"),
        ("A hundred people gathered.", "A hundred", 100, 100, "exact"),
        ("The sale covers one hundred (100) missiles.", "one hundred (100)", 100, 100, "exact"),
        ("It includes twelve (12) launchers.", "twelve (12)", 12, 12, "exact"),
        ("It lost a dozen drones.", "a dozen", 12, 12, "exact"),
        ("It lost half a dozen tanks.", "half a dozen", 6, 6, "exact"),
        ("About 1.5 million refugees left.", "About 1.5 million", 1_500_000, 1_500_000, "about"),
        ("At least 12 people were killed.", "At least 12", 12, None, "at least"),
        ("More than 20 were wounded.", "More than 20", 20, None, "at least"),
        ("Over 300 were detained.", "Over 300", 300, None, "at least"),
        ("No fewer than 7 tanks were hit.", "No fewer than 7", 7, None, "at least"),
        ("Upwards of 40 boats sank.", "Upwards of 40", 40, None, "at least"),
        ("Five or more were killed.", "Five or more", 5, None, "at least"),
        ("As many as 30 are missing.", "As many as 30", None, 30, "up to"),
        ("Up to 20 were detained.", "Up to 20", None, 20, "up to"),
        ("Fewer than 10 survived.", "Fewer than 10", None, 10, "up to"),
        ("Nearly 50 died.", "Nearly 50", 50, 50, "about"),
        ("Almost 60 died.", "Almost 60", 60, 60, "about"),
        ("About 40 fled.", "About 40", 40, 40, "about"),
        ("Around 70 were hurt.", "Around 70", 70, 70, "about"),
        ("Approximately 90 were hurt.", "Approximately 90", 90, 90, "about"),
        ("Roughly 15 were arrested.", "Roughly 15", 15, 15, "about"),
        ("An estimated 4,000 fled.", "An estimated 4,000", 4000, 4000, "about"),
        ("Ten or so were hurt.", "Ten or so", 10, 10, "about"),
        ("Between 10 and 15 soldiers died.", "Between 10 and 15", 10, 15, "range"),
        ("Between ten and fifteen soldiers died.", "Between ten and fifteen", 10, 15, "range"),
        ("It killed 10 to 15 civilians.", "10 to 15", 10, 15, "range"),
        ("It killed 10-15 fighters.", "10-15", 10, 15, "range"),
        ("It killed 10–15 fighters.", "10–15", 10, 15, "range"),
        ("Two or three people were hurt.", "Two or three", 2, 3, "range"),
        ("Dozens were hurt.", "Dozens", 24, None, "vague"),
        ("Several homes burned.", "Several", 3, None, "vague"),
        ("Hundreds fled.", "Hundreds", 200, None, "vague"),
        ("Scores of people were hurt.", "Scores", 40, None, "vague"),
        ("Scores were killed.", "Scores", 40, None, "vague"),
        ("A handful of officers stayed.", "A handful", 3, 5, "vague"),
        ("Thousands protested.", "Thousands", 2000, None, "vague"),
        ("Tens of thousands were displaced.", "Tens of thousands", 20_000, None, "vague"),
        ("Hundreds of thousands were displaced.", "Hundreds of thousands", 200_000, None, "vague"),
        ("Several hundred troops moved.", "Several hundred", 300, None, "vague"),
        ("One soldier was killed.", "One", 1, 1, "exact"),
        ("The brigade lost 2000 troops.", "2000", 2000, 2000, "exact"),
        ("Strikes hit 24 Su-35 jets.", "24", 24, 24, "exact"),
    ],
)
def test_find_counts(sentence: str, text: str, low: int | None, high: int | None, qualifier: str) -> None:
    found = find_counts(sentence)
    assert len(found) == 1, found
    count = found[0]
    assert (count.text, count.low, count.high, count.qualifier) == (text, low, high, qualifier)
    assert sentence[count.start : count.end] == count.text


@pytest.mark.parametrize(
    "sentence",
    [
        "The war began in 1986.",
        "Since 2014 the area has been contested.",
        "The 2014 offensive failed.",
        "The blast came at 10 p.m. local time.",
        "They met at 10:30.",
        "The strike hit at 0600 GMT.",
        "It happened on March 3.",
        "It happened on 3 March.",
        "It happened two days ago.",
        "The 3rd Brigade advanced.",
        "The $5 million grant was paid.",
        "A €1.2bn package was approved.",
        "Inflation hit 12 percent.",
        "Inflation hit 12%.",
        "A 12-year-old boy was hurt.",
        "A boy aged 12 was hurt.",
        "The boy was 12 years old.",
        "It sold F-16 jets.",
        "It bought Su-35 fighters.",
        "It deployed the S-400 system.",
        "It dropped a 2,000-pound bomb.",
        "It was a three-day visit.",
        "The front is 10 km away.",
        "The talks lasted three days.",
        "Prices rose five times.",
        "Resolution 2334 was adopted.",
        "The G7 met.",
        "No one was hurt.",
        "One of the attackers fled.",
        "Growth was 2.5 last year.",
        "",
    ],
)
def test_not_counts(sentence: str) -> None:
    assert find_counts(sentence) == []


def test_several_counts_in_order() -> None:
    sentence = "At least 12 people were killed and dozens wounded, while up to 20 remain missing."
    found = find_counts(sentence)
    assert [(c.text, c.low, c.high) for c in found] == [("At least 12", 12, None), ("dozens", 24, None), ("up to 20", None, 20)]


def test_counts_next_to_money_and_dates() -> None:
    sentence = "On March 3 the $2 billion sale of 24 launchers was approved."
    assert [c.text for c in find_counts(sentence)] == ["24"]


def test_parse_count() -> None:
    assert parse_count("at least 10") == Count("at least 10", 0, 11, 10, None, "at least")
    assert parse_count("between 10 and 15") == Count("between 10 and 15", 0, 17, 10, 15, "range")
    assert parse_count("dozens") == Count("dozens", 0, 6, 24, None, "vague")
    assert parse_count("nothing to count") is None
    assert parse_count(None) is None  # type: ignore[arg-type]


def test_descending_range_is_not_a_count() -> None:
    assert find_counts("They won 15-10.") == []




@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_find_counts_never_raises_and_offsets_match(text: str) -> None:
    for c in find_counts(text):
        assert 0 <= c.start < c.end <= len(text)
        assert text[c.start : c.end] == c.text
        assert c.low is not None or c.high is not None
        assert c.low is None or c.high is None or c.low <= c.high


_PIECES = st.sampled_from(
    ["at least", "more than", "up to", "between", "and", "to", "or", "12", "1,200", "2014", "twelve",
     "hundred", "dozens", "a handful", "of", "people", "F-16", "$5", "million", "-", "(12)", "%", "p.m.",
     "March", "aged", " ", "one", "several"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=12).map(" ".join))
def test_count_like_text_never_raises_and_offsets_match(text: str) -> None:
    for c in find_counts(text):
        assert text[c.start : c.end] == c.text
        assert c.qualifier in ("exact", "at least", "about", "up to", "range", "vague")
