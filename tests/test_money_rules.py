"""Edges of currency conversion (pipelines/money.py): the year a rate is taken from, ties, years
outside the table, and inputs of the wrong type (never raising). Found by mutation testing
(make mutants)."""

from __future__ import annotations

import pytest

from pipelines.money import to_usd, usd_rate


def test_the_rate_of_the_year_asked_for():
    assert usd_rate("EUR", 2015) == (0.902, 2015)
    assert usd_rate("eur", 2008) == (0.683, 2008)  # currency codes in any case


def test_years_outside_the_table_use_the_nearest_year():
    assert usd_rate("EUR", 1995) == (1.083, 2000)
    assert usd_rate("EUR", 2031) == (0.885, 2025)


def test_no_year_uses_the_latest_year():
    assert usd_rate("EUR", None) == (0.885, 2025)


def test_to_usd_uses_the_year_it_is_given():
    assert to_usd(902_000_000, "EUR", 2015) == 1_000_000_000.0
    assert to_usd(885_000_000, "EUR", None) == 1_000_000_000.0
    assert to_usd(902_000_000, "EUR", 2015) != to_usd(902_000_000, "EUR", None)


def test_usd_is_unchanged_and_unknown_currencies_give_none():
    assert to_usd(5e9, "USD", 2019) == 5e9
    assert to_usd(5e9, "usd", None) == 5e9
    assert to_usd(5e9, "XYZ", 2019) is None
    assert usd_rate("XYZ", 2019) is None


@pytest.mark.parametrize("currency", [None, 7, b"EUR", ["EUR"]])
def test_a_currency_that_is_not_text_gives_none(currency):
    assert usd_rate(currency, 2019) is None
    assert to_usd(1.0, currency, 2019) is None


@pytest.mark.parametrize("value", [None, "1000", [1]])
def test_a_value_that_is_not_a_number_gives_none(value):
    assert to_usd(value, "EUR", 2019) is None
