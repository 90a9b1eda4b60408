"""The officials gazetteer (pipelines/officials.py, pipelines/data/officials.csv): matching rules
and the integrity of the data file. Fast: plain CSV, no model."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from pipelines import officials
from pipelines.officials import Official, by_surname, lookup

DATA = Path(officials.__file__).parent / "data"


def country_iso3() -> set[str]:
    with open(DATA / "countries.csv", encoding="utf-8", newline="") as f:
        return {row["iso3"] for row in csv.DictReader(line for line in f if not line.startswith("#"))}


# ---- matching -----------------------------------------------------------------------------------

def test_exact_full_name() -> None:
    o = lookup("Narendra Modi")
    assert o == Official("Narendra Modi", "IND", "head of government", 2014, None)


def test_case_and_whitespace_do_not_matter() -> None:
    assert lookup("  narendra   MODI ") == lookup("Narendra Modi")


@pytest.mark.parametrize("query, name", [
    ("Recep Tayyip Erdogan", "Recep Tayyip Erdoğan"),  # name has the diacritic, query has not
    ("Tayyip Erdoğan", "Recep Tayyip Erdoğan"),  # alias with the diacritic
    ("López Obrador", "Andrés Manuel López Obrador"),
    ("Lopez Obrador", "Andrés Manuel López Obrador"),
    ("Volodymyr Zelenskyy", "Volodymyr Zelensky"),  # transliteration variant
    ("MBS", "Mohammed bin Salman"),
    ("Radosław Sikorski", "Radosław Sikorski"),  # ł is not decomposed by NFKD: folded explicitly
    ("Radoslaw Sikorski", "Radosław Sikorski"),
    ("Đuro Macut", "Đuro Macut"),
    ("Djuro Macut", "Đuro Macut"),
])
def test_alias_and_diacritics(query: str, name: str) -> None:
    o = lookup(query, 2025)
    assert o is not None and o.name == name


@pytest.mark.parametrize("query, name", [
    ("President Emmanuel Macron", "Emmanuel Macron"),
    ("Prime Minister Narendra Modi", "Narendra Modi"),
    ("PM Narendra Modi", "Narendra Modi"),
    ("Foreign Minister Sergei Lavrov", "Sergei Lavrov"),
    ("Defense Secretary Lloyd Austin", "Lloyd Austin"),
    ("Secretary of State Antony Blinken", "Antony Blinken"),
    ("Chancellor Olaf Scholz", "Olaf Scholz"),
    ("Crown Prince Mohammed bin Salman", "Mohammed bin Salman"),
    ("Emir Sheikh Tamim bin Hamad Al Thani", "Tamim bin Hamad Al Thani"),  # two titles
    ("Gen. Asim Munir", "Asim Munir"),
    ("King Salman", "Salman bin Abdulaziz Al Saud"),  # an alias that starts with a title
    ("President Macron", "Emmanuel Macron"),  # title, then a unique surname
])
def test_leading_title_is_ignored(query: str, name: str) -> None:
    o = lookup(query, 2022)
    assert o is not None and o.name == name


def test_folding_does_not_depend_on_listed_aliases() -> None:
    # The file lists "Nicușor Dan" (s with comma below) and "Nicusor Dan"; Romanian text often
    # has the cedilla form "ş" instead, which only diacritics folding can match.
    assert lookup("Nicu\u015for Dan", 2025).iso3 == "ROU"
    assert lookup("Lo\u0301pez Obrador", 2020).iso3 == "MEX"  # decomposed (NFD) input
    assert officials.fold("Recep Tayyip Erdoğan") == "recep tayyip erdogan"
    assert officials.fold("Radosław Sikorski") == "radoslaw sikorski"
    assert officials.fold("Đuro Macut") == "duro macut"
    assert officials.fold("Frank-Walter Steinmeier") == "frank walter steinmeier"
    assert officials.fold("Gideon Sa\u2019ar") == officials.fold("Gideon Saar") == "gideon saar"


def test_possessive_is_ignored() -> None:
    assert lookup("Netanyahu's", 2015) == lookup("Benjamin Netanyahu", 2015)


def test_year_picks_the_term_covering_it() -> None:
    # Steinmeier: foreign minister 2005-2009 and 2013-2017, president from 2017.
    assert lookup("Frank-Walter Steinmeier", 2007).office == "foreign minister"
    assert lookup("Frank-Walter Steinmeier", 2015).from_year == 2013
    assert lookup("Frank-Walter Steinmeier", 2020).office == "head of state"
    # Erdoğan: prime minister 2003-2014, president since.
    assert lookup("Erdogan", 2010).office == "head of government"
    assert lookup("Erdogan", 2020).office == "head of state"
    # Two rows cover the year: the senior office wins, then the later term.
    assert lookup("Vladimir Putin", 2008).office == "head of state"  # president until May 2008
    assert lookup("Vladimir Putin", 2010).office == "head of government"
    assert lookup("Netanyahu", 2016).office == "head of government"  # also foreign minister
    assert lookup("Mohammed bin Salman", 2019).office == "crown prince"  # and defence minister
    assert lookup("MBS", 2023).office == "head of government"  # and still crown prince


def test_without_year_or_out_of_term_the_latest_row() -> None:
    latest = lookup("Frank-Walter Steinmeier")
    assert latest.office == "head of state" and latest.to_year is None
    assert lookup("Frank-Walter Steinmeier", 1990) == latest  # no term covers 1990
    assert lookup("Joe Biden").office == "head of state"  # VP 2009-2017, president 2021-2025


def test_unique_surname_returns_the_row() -> None:
    assert lookup("Modi", 2016).name == "Narendra Modi"
    assert lookup("Macron").name == "Emmanuel Macron"
    assert lookup("Xi", 2020).name == "Xi Jinping"  # family name first
    assert lookup("Abiy", 2020).name == "Abiy Ahmed"  # Ethiopian officials go by the first name
    assert lookup("Sisi", 2016).name == lookup("al-Sisi", 2016).name == "Abdel Fattah el-Sisi"
    assert lookup("von der Leyen", 2021).office == "European Commission President"
    # "Singh" is unique among officials in office in 2010 (Manmohan Singh) ...
    assert lookup("Singh", 2010).name == "Manmohan Singh"


def test_ambiguous_surname_returns_none() -> None:
    # ... but not without a year (Manmohan, Rajnath and Natwar Singh) ...
    assert lookup("Singh") is None
    assert {o.name for o in by_surname("Singh")} == {"Manmohan Singh", "Rajnath Singh", "K. Natwar Singh"}
    # ... and two Sharifs were in office in 2014 (Nawaz, prime minister; Raheel, army chief).
    assert lookup("Sharif", 2014) is None
    assert lookup("Sharif", 2023).name == "Shehbaz Sharif"
    assert lookup("Kim", 2020) is None


def test_alias_of_two_people_needs_the_year() -> None:
    assert lookup("King Abdullah", 2010) is None  # Saudi and Jordanian kings both reigning
    assert lookup("King Abdullah", 2018).iso3 == "JOR"
    assert lookup("King Abdullah") is None


@pytest.mark.parametrize("query", [
    "Rahul Gandhi",  # not an official in the file
    "Narendra",  # first names never match
    "Narendra Mod",  # no fuzzy matching
    "Nepal",  # a country, not Madhav Kumar Nepal's surname
    "President",
    "",
    "   ",
])
def test_unknown_name_returns_none(query: str) -> None:
    assert lookup(query) is None
    assert lookup(query, 2020) is None


def test_by_surname_lists_people_in_office() -> None:
    assert [o.name for o in by_surname("Li", 2020)] == ["Li Keqiang"]
    assert [o.name for o in by_surname("Li", 2023)] == ["Li Keqiang", "Li Qiang", "Li Shangfu"]
    assert by_surname("Nobody") == []


# ---- the data file ------------------------------------------------------------------------------

def test_file_starts_with_comments_and_loads() -> None:
    first = (DATA / "officials.csv").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# ")
    assert 500 <= len(officials.officials())


def test_every_iso3_is_a_known_country_or_empty() -> None:
    known = country_iso3()
    bad = [o for o in officials.officials()
           if o.iso3 is not None and not (len(o.iso3) == 3 and o.iso3.isupper() and o.iso3 in known)]
    assert not bad


def test_years_are_ordered_and_plausible() -> None:
    for o in officials.officials():
        assert o.from_year is not None, o
        assert 1940 <= o.from_year <= 2026, o
        assert o.to_year is None or o.from_year <= o.to_year <= 2026, o
        assert o.to_year is None or o.to_year >= 2005, o  # the file covers 2005-2025


def test_no_duplicate_name_office_from_year() -> None:
    counts = Counter((o.name, o.office, o.from_year) for o in officials.officials())
    assert [k for k, n in counts.items() if n > 1] == []


def test_rows_have_no_commas_or_surname_aliases() -> None:
    path = DATA / "officials.csv"
    with open(path, encoding="utf-8", newline="") as f:
        lines = [line for line in f if line.strip() and not line.startswith("#")]
    rows = list(csv.DictReader(lines))
    assert list(rows[0].keys()) == ["name", "aliases", "iso3", "office", "from_year", "to_year"]
    for row in rows:
        assert None not in row, row  # a stray comma would make an extra column
        for alias in filter(None, row["aliases"].split("|")):
            assert alias != row["name"], row
            # a one-word alias must not be the person's own surname ("Modi"): code derives those
            assert officials.fold(alias) not in officials.surname_keys(row["name"], row["iso3"] or None), row


def test_a_first_name_that_looks_like_a_title_is_not_removed() -> None:
    assert lookup("Amir Khan", 2020) is None  # not "Khan" (Imran Khan, in office in 2020)
    assert lookup("Amir Hatami", 2019).iso3 == "IRN"  # a full name that starts with "Amir"
