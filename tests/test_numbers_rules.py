"""Edges of counting (pipelines/numbers.py) that the main table in test_numbers.py does not reach:
spelled-out numbers with dozens, hundreds and thousands, ranges that are not ranges, numbers
inside money and dates, and the window around a number. Found by mutation testing (make mutants)."""

from __future__ import annotations

import pytest

from pipelines.numbers import find_counts, parse_count


@pytest.mark.parametrize("text,value", [
    ("a dozen", 12), ("one dozen", 12), ("two dozen", 24), ("three dozen", 36), ("half a dozen", 6),
    ("a hundred", 100), ("one hundred and twenty", 120), ("one hundred twenty-five", 125),
    ("three thousand five hundred", 3500), ("two million", 2_000_000), ("twenty-one", 21),
    ("1,200", 1200), ("2.5 million", 2_500_000), ("a thousand", 1000), ("four hundred thousand", 400_000),
])
def test_spelled_and_written_numbers(text, value):
    c = parse_count(text)
    assert (c.low, c.high, c.qualifier) == (value, value, "exact")


@pytest.mark.parametrize("text", ["between 15 and 10", "between 10 and 10", "10 to 10"])
def test_a_range_whose_ends_do_not_rise_is_no_range(text):
    c = parse_count(text)
    assert c is None or c.high is None or c.low < c.high


@pytest.mark.parametrize("sentence,counts", [
    ("Two dozen people were killed in the blast.", [24]),
    ("About two dozen soldiers died.", [24]),
    ("The $5 million strike killed 12 soldiers.", [12]),      # the money is no count
    ("A 5 million euro drone killed 3 people.", [3]),
    ("On March 3, 12 soldiers were killed.", [12]),           # the date is no count
    ("Since 2014 at least 12 soldiers died.", [12]),
    ("It happened at 10:30, when 4 people were hurt.", [4]),
])
def test_counts_in_sentences(sentence, counts):
    assert [c.low for c in find_counts(sentence)] == counts


def test_a_sentence_without_a_count_word_has_no_counts():
    assert find_counts("The minister arrived in Paris.") == []
    assert find_counts("") == []


@pytest.mark.parametrize("sentence,counts", [
    ("One thousand, two hundred people died.", [(1200, 1200)]),   # a comma inside a spelled number
    ("Between 2.5 and 4 people were hurt.", []),                  # a decimal is no head count; never raises
    ("The war lasted between 2014 and 2016.", []),                # years, not a range of people
    ("The war lasted 2014-2016.", []),
])
def test_more_counts_in_sentences(sentence, counts):
    assert [(c.low, c.high) for c in find_counts(sentence)] == counts


@pytest.mark.parametrize("sentence", [
    "By 1995 militias held the whole valley.",          # a year after a preposition, then a plural noun
    "After 2003 insurgents attacked the base every week.",
    "Until 2011 rebels controlled the town.",
])
def test_a_year_after_a_preposition_is_no_count(sentence):
    assert find_counts(sentence) == []


def test_a_date_right_after_a_count_does_not_block_it():
    # no space between the echoed figure and the date: the date starts where the count ends
    sentence = "The flood killed one hundred (100)March 3, 2014, the ministry said."
    assert [(c.text, c.low, c.high) for c in find_counts(sentence)] == [("one hundred (100)", 100, 100)]


def test_a_qualifier_is_read_only_within_the_lookback_before_the_number():
    # a layout gap (a scraped line break and indentation) puts "at least" 33+ characters before 12:
    # the qualifier is out of reach, even after a failed number-like token ("1a")
    sentence = "Block 1a at\n" + " " * 30 + "least 12 people died."
    assert [(c.low, c.high, c.qualifier) for c in find_counts(sentence)] == [(12, 12, "exact")]
