"""Tests for pipelines.money: amounts, currencies, qualifiers, conversion and robustness."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.money import Money, find_money, parse_money, to_usd, usd_rate


@pytest.mark.parametrize(
    ("sentence", "text", "value", "currency", "qualifier"),
    [
        ("The grant is $5 million.", "$5 million", 5e6, "USD", "exact"),
        ("It is worth nearly $40 billion.", "nearly $40 billion", 40e9, "USD", "nearly"),
        ("Bonds of EUR 1.2bn were sold.", "EUR 1.2bn", 1.2e9, "EUR", "exact"),
        ("A €1.2 billion package.", "€1.2 billion", 1.2e9, "EUR", "exact"),
        ("A US$300m loan.", "US$300m", 300e6, "USD", "exact"),
        ("The $1.2bn deal.", "$1.2bn", 1.2e9, "USD", "exact"),
        ("Sales fell ($2.8 billion) last year.", "$2.8 billion", 2.8e9, "USD", "exact"),
        ("They paid 5.6 billion dollars.", "5.6 billion dollars", 5.6e9, "USD", "exact"),
        ("A £450 million contract.", "£450 million", 450e6, "GBP", "exact"),
        ("A 1.5 trillion yen budget.", "1.5 trillion yen", 1.5e12, "JPY", "exact"),
        ("Projects worth Rs 5,000 crore.", "Rs 5,000 crore", 5e10, "INR", "exact"),
        ("Grants of Rs 40 lakh each.", "Rs 40 lakh", 4e6, "INR", "exact"),
        ("A deal of SAR 3.75 billion.", "SAR 3.75 billion", 3.75e9, "SAR", "exact"),
        ("It will cost an estimated $2.1 billion.", "an estimated $2.1 billion", 2.1e9, "USD", "about"),
        ("Fines of up to $5 million.", "up to $5 million", 5e6, "USD", "up to"),
        ("Aid of more than $300 million.", "more than $300 million", 300e6, "USD", "more than"),
        ("Damage of about $1 billion.", "about $1 billion", 1e9, "USD", "about"),
        ("Approximately $3bn was pledged.", "Approximately $3bn", 3e9, "USD", "about"),
        ("Roughly $2 bn is missing.", "Roughly $2 bn", 2e9, "USD", "about"),
        ("Around $700 million was spent.", "Around $700 million", 700e6, "USD", "about"),
        ("It raised almost $9m.", "almost $9m", 9e6, "USD", "nearly"),
        ("A sum of just under $1 billion.", "just under $1 billion", 1e9, "USD", "nearly"),
        ("Orders of over $4 billion.", "over $4 billion", 4e9, "USD", "more than"),
        ("Debts in excess of $7 million.", "in excess of $7 million", 7e6, "USD", "more than"),
        ("At least $2bn is needed.", "At least $2bn", 2e9, "USD", "more than"),
        ("A package worth $3 billion.", "$3 billion", 3e9, "USD", "exact"),
        ("A fleet valued at $4.5 billion.", "$4.5 billion", 4.5e9, "USD", "exact"),
        ("It is valued at about $4 billion.", "about $4 billion", 4e9, "USD", "about"),
        ("A payment of $3,500,000.", "$3,500,000", 3.5e6, "USD", "exact"),
        ("A $3.5M grant.", "$3.5M", 3.5e6, "USD", "exact"),
        ("Loans of 3.5 million U.S. dollars.", "3.5 million U.S. dollars", 3.5e6, "USD", "exact"),
        ("It cost one billion dollars.", "one billion dollars", 1e9, "USD", "exact"),
        ("It cost half a billion dollars.", "half a billion dollars", 5e8, "USD", "exact"),
        ("It cost a billion dollars.", "a billion dollars", 1e9, "USD", "exact"),
        ("The estimated total cost is $2.5 billion.", "$2.5 billion", 2.5e9, "USD", "up to"),
        ("The estimated total case value is $900 million.", "$900 million", 9e8, "USD", "up to"),
        ("A 450 million euros fund.", "450 million euros", 450e6, "EUR", "exact"),
        ("A 2 billion USD facility.", "2 billion USD", 2e9, "USD", "exact"),
        ("A 5 billion Australian dollars order.", "5 billion Australian dollars", 5e9, "AUD", "exact"),
        ("A C$2 billion order.", "C$2 billion", 2e9, "CAD", "exact"),
        ("10 billion Swiss francs were moved.", "10 billion Swiss francs", 10e9, "CHF", "exact"),
        ("A 3 trillion won project.", "3 trillion won", 3e12, "KRW", "exact"),
        ("Loans of 20 billion roubles.", "20 billion roubles", 20e9, "RUB", "exact"),
        ("Aid of ₴1.5 billion.", "₴1.5 billion", 1.5e9, "UAH", "exact"),
        ("A ₪300 million budget.", "₪300 million", 300e6, "ILS", "exact"),
        ("An RMB 8 billion fund.", "RMB 8 billion", 8e9, "CNY", "exact"),
        ("A $5-million contract.", "$5-million", 5e6, "USD", "exact"),
        ("A $500k fee.", "$500k", 5e5, "USD", "exact"),
        ("It may cost $10 billion or more.", "$10 billion or more", 10e9, "USD", "more than"),
        ("450 million pounds sterling.", "450 million pounds sterling", 450e6, "GBP", "exact"),
        ("It was 12 billion Saudi riyals.", "12 billion Saudi riyals", 12e9, "SAR", "exact"),
    ],
)
def test_find_money(sentence: str, text: str, value: float, currency: str, qualifier: str) -> None:
    found = find_money(sentence, 2023)
    assert len(found) == 1, found
    money = found[0]
    assert (money.text, money.currency, money.qualifier) == (text, currency, qualifier)
    assert money.value == pytest.approx(value)
    assert sentence[money.start : money.end] == money.text


@pytest.mark.parametrize(
    "sentence",
    [
        "The army fired 500 rounds.",
        "They carried 500 pounds of explosives.",
        "Two million pounds of aid arrived.",
        "Seats: 120 won by the ruling party.",
        "A billion-dollar deal was signed.",
        "Tens of millions of dollars went missing.",
        "It cost 5 billion Zimbabwean dollars.",
        "In 2014, 5,000 people fled.",
        "The F-16 costs a lot.",
        "Prices rose 5%.",
        "",
    ],
)
def test_not_money(sentence: str) -> None:
    assert find_money(sentence, 2020) == []


def test_ranges_give_two_amounts() -> None:
    found = find_money("between $1 billion and $2 billion", None)
    assert [m.value for m in found] == [1e9, 2e9]


def test_usd_needs_no_conversion() -> None:
    money = parse_money("$5 million", 2015)
    assert money == Money("$5 million", 0, 10, 5e6, "USD", 5e6, "exact", None)


def test_euro_converted_at_yearly_rate() -> None:
    money = parse_money("€1 billion", 2023)
    assert money is not None and money.rate_year == 2023
    rate, year = usd_rate("EUR", 2023) or (0.0, 0)
    assert year == 2023 and 0.85 < rate < 1.0
    assert money.value_usd == pytest.approx(1e9 / rate, rel=1e-6)


def test_sar_is_pegged() -> None:
    assert to_usd(3.75e9, "SAR", 2019) == pytest.approx(1e9)


def test_missing_year_uses_nearest_and_records_it() -> None:
    money = parse_money("€1 billion", 2031)
    assert money is not None and money.rate_year == 2025
    assert parse_money("€1 billion", 1990).rate_year == 2000  # type: ignore[union-attr]
    assert usd_rate("EUR", None) == usd_rate("EUR", 2025)


def test_unknown_currency_has_no_usd_value() -> None:
    money = parse_money("PKR 5 billion", 2020)
    assert money is not None and money.currency == "PKR" and money.value_usd is None and money.rate_year is None
    assert to_usd(100.0, "XXX", 2020) is None


@pytest.mark.parametrize(
    "currency",
    ["EUR", "GBP", "JPY", "CNY", "INR", "RUB", "SAR", "AED", "ILS", "KRW", "AUD", "CAD", "CHF", "SEK",
     "NOK", "TRY", "BRL", "PLN", "UAH"],
)  # fmt: skip
def test_rate_table_covers_required_currencies(currency: str) -> None:
    for year in range(2000, 2026):
        rate = usd_rate(currency, year)
        assert rate is not None and rate[1] == year and rate[0] > 0


def test_to_usd_usd_and_bad_input() -> None:
    assert to_usd(12.5, "USD", None) == 12.5
    assert to_usd("12", "EUR", 2020) is None  # type: ignore[arg-type]
    assert to_usd(12.0, None, 2020) is None  # type: ignore[arg-type]


def test_parse_money_none() -> None:
    assert parse_money("no amount here") is None
    assert parse_money(None) is None  # type: ignore[arg-type]




@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.one_of(st.none(), st.integers(min_value=-10_000, max_value=10_000)))
def test_find_money_never_raises_and_offsets_match(text: str, year: int | None) -> None:
    for m in find_money(text, year):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert m.value > 0
        assert m.qualifier in ("about", "nearly", "up to", "more than", "exact")


_PIECES = st.sampled_from(
    ["$", "€", "£", "US$", "EUR", "Rs", "5", "1.2", "3,500", "bn", "billion", "million", "crore", "dollars",
     "pounds", "of", "won", "about", "nearly", "up to", "more than", "half a", "or more", " ", "(", ")", "-"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=10).map(" ".join))
def test_money_like_text_never_raises_and_offsets_match(text: str) -> None:
    for m in find_money(text, 2020):
        assert text[m.start : m.end] == m.text
        assert m.value_usd is None or m.value_usd > 0
