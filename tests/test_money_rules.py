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


# (text, value, currency): amounts in words, prefixes written as words, and the currency words
# that are more often something else
from pipelines.money import find_money  # noqa: E402

WORDED = [
    ("The order is worth one and a half billion dollars.", 1.5e9, "USD"),
    ("The package is worth two and a half million euros.", 2.5e6, "EUR"),
    ("Half a billion dollars was set aside.", 5e8, "USD"),
    ("A half million dollars was paid.", 5e5, "USD"),
    ("Two hundred million dollars was approved.", 2e8, "USD"),
    ("Five hundred million euros was approved.", 5e8, "EUR"),
    ("A billion dollars was approved.", 1e9, "USD"),
    ("Euros 5 billion were pledged.", 5e9, "EUR"),
    ("The jets cost US5bn in all.", 5e9, "USD"),
    ("The radars cost US5m in all.", 5e6, "USD"),
    ("It paid 2 million British pounds.", 2e6, "GBP"),
    ("It paid 10 pounds sterling.", 10.0, "GBP"),
    ("It paid 3 million pounds.", 3e6, "GBP"),
    ("It paid 5,000 won.", 5000.0, "KRW"),
    ("It paid 3 billion won.", 3e9, "KRW"),
    ("It paid 500 South Korean won.", 500.0, "KRW"),
    ("It paid 10 billion lire.", 1e10, "TRY"),
    ("It paid 2 billion Norwegian kroner.", 2e9, "NOK"),
    ("It paid 5 billion Danish krone.", 5e9, "DKK"),
    ("It paid 5 million Australian dollars.", 5e6, "AUD"),
    ("It paid 400 kronor.", 400.0, "SEK"),
    ("It paid 2 million Swiss francs.", 2e6, "CHF"),
]


@pytest.mark.parametrize("sentence,value,currency", WORDED, ids=[w[0][:36] for w in WORDED])
def test_amounts_and_currencies(sentence, value, currency):
    found = [(m.value, m.currency) for m in find_money(sentence, 2020)]
    assert found == [(value, currency)]


@pytest.mark.parametrize("sentence", [
    "The truck carried 500 pounds of explosives.",   # weight, not money
    "The tanker held 3 million pounds of fuel.",
    "South Korea won 500 of the votes.",              # "won" the verb
    "The team won 500 games.",
    "Euro 500 is the name of the plan.",             # a prefix word needs a long scale
    "Euro 2m was the headline.",
    "The US5 summit met in June.",
    "It paid 20 million Zimbabwean dollars.",        # not US dollars
    "It paid 1 billion krone.",                      # Danish or Norwegian: not said
])
def test_words_that_are_not_money(sentence):
    assert find_money(sentence, 2020) == []


MORE = [
    # no digit: the shortcut must still let spelled amounts through, with "thousand" or "illion"
    ("Congress approved one billion dollars for a thousand new drones.", 1e9, "USD"),
    ("The family was paid two thousand dollars in compensation.", 2000.0, "USD"),
    # prefixes with a space inside, one-letter units after a written prefix
    ("The contract is worth US $5 million.", 5e6, "USD"),
    ("The jets cost US6b in all.", 6e9, "USD"),
    ("The drones cost US500k in all.", 5e5, "USD"),
    # currency words: a plural that is not word + "s", an adjective of two words
    ("Brazil paid 5 million reais for the radars.", 5e6, "BRL"),
    ("The city paid 5 million Hong Kong dollars.", 5e6, "HKD"),
    # pounds: "British" makes a small amount money; "of" is a word, not the start of "offshore"
    ("It paid 500 British pounds.", 500.0, "GBP"),
    ("It moved 5 million pounds  offshore.", 5e6, "GBP"),
    # won: the symbol needs no unit; the word needs one, an adjective or 1,000 and more
    ("The fare rose to ₩500.", 500.0, "KRW"),
    ("It paid 1,000 won.", 1000.0, "KRW"),
    # an amount of zero is no amount
    ("The bidding opened at $0 and closed at $5 million.", 5e6, "USD"),
]


# ASCII ids: mutmut reruns tests by node id, and an escaped "\u20a9" in an id is not found again
@pytest.mark.parametrize("sentence,value,currency", MORE, ids=[w[0][:36].encode("ascii", "replace").decode() for w in MORE])
def test_more_amounts_and_currencies(sentence, value, currency):
    found = [(m.value, m.currency) for m in find_money(sentence, 2020)]
    assert found == [(value, currency)]


@pytest.mark.parametrize("sentence", [
    "The bomb weighed 500 pounds.",   # pounds with no unit, "sterling" or "British": a weight
    "It paid 999 won.",
    "The bid was $0.",
])
def test_more_words_that_are_not_money(sentence):
    assert find_money(sentence, 2020) == []


def test_the_dsca_formula_at_the_start_of_the_sentence_and_at_the_edge_of_its_window():
    assert [m.qualifier for m in find_money("Estimated total cost is $2.5 billion.")] == ["up to"]

    def padded(n):  # "estimated" starts n characters before the amount
        head = "The estimated total cost is"
        return head + " " * (n - len(head) + len("The ")) + "$2.5 billion."

    assert padded(60).index("$") - padded(60).index("estimated") == 60
    assert [m.qualifier for m in find_money(padded(60))] == ["up to"]
    assert [m.qualifier for m in find_money(padded(61))] == ["exact"]


def test_usd_values_are_rounded_to_cents():
    assert find_money("The deal is worth EUR 1,000,000.", 2023)[0].value_usd == 1081081.08  # exactly, not approx
