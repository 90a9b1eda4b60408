"""Tests for pipelines.places and data/places_supplement.csv."""

from __future__ import annotations

import csv
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.actors import countries
from pipelines.places import Place, place_key, resolve_place

ROOT = Path(__file__).resolve().parents[1]
SUPPLEMENT = ROOT / "pipelines" / "data" / "places_supplement.csv"


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))


def _supplement_rows() -> list[dict[str, str]]:
    with open(SUPPLEMENT, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ---------------------------------------------------------------------------------------------
# The supplement file
# ---------------------------------------------------------------------------------------------


def test_supplement_is_well_formed() -> None:
    rows = _supplement_rows()
    assert len(rows) >= 150
    assert list(rows[0]) == ["name", "variants", "iso3", "latitude", "longitude", "kind", "precision", "admin1"]
    codes = {c.iso3 for c in countries()}
    for row in rows:
        assert row["kind"] in {"town", "city", "region", "base", "valley", "sea", "strait", "crossing"}, row
        assert row["precision"] in {"exact", "region"}, row
        assert row["iso3"] == "" or row["iso3"] in codes, row
        lat, lon = float(row["latitude"]), float(row["longitude"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180, row
        assert len(row["latitude"].split(".")[1]) >= 2, row
    assert len({r["name"] for r in rows}) == len(rows)


def test_supplement_names_do_not_collide_across_rows() -> None:
    owner: dict[str, str] = {}
    for row in _supplement_rows():
        for name in [row["name"], *filter(None, row["variants"].split("|"))]:
            key = place_key(name)
            assert owner.setdefault(key, row["name"]) == row["name"], (name, owner[key], row["name"])


def test_supplement_towns_agree_with_geonames() -> None:
    """A supplement town that GeoNames also has (same country) is within 25 km of it.

    The nearest same-country GeoNames place sharing one of the row's names is compared, since a
    transliteration can also be an old name of another town (Nikopol was once "Slavyansk").
    """
    from pipelines import places

    checked = 0
    for row in _supplement_rows():
        if row["kind"] not in ("town", "city"):
            continue
        distances = [
            _km(float(row["latitude"]), float(row["longitude"]), c.place.latitude, c.place.longitude)  # type: ignore[arg-type]
            for name in [row["name"], *filter(None, row["variants"].split("|"))]
            for c in places._geonames_candidates(place_key(name), 0)
            if c.place.iso3 == row["iso3"]
        ]
        if distances:
            assert min(distances) < 25, (row["name"], min(distances))
            checked += 1
    assert checked > 50


@pytest.mark.parametrize(
    "name",
    ["Hmeimim", "Al Udeid", "Ain al-Asad", "Incirlik", "Shayrat", "Nevatim", "Engels", "Donbas",
     "Donetsk oblast", "Gaza Strip", "West Bank", "Golan Heights", "Idlib province",
     "Deir ez-Zor province", "Nineveh", "Anbar", "Sinai", "Darfur", "Tigray", "Kurdistan Region",
     "Crimea", "Kharkiv region", "Zaporizhzhia region", "Red Sea", "Gulf of Aden",
     "Strait of Hormuz", "Black Sea", "Bab el-Mandeb", "Euphrates valley", "Khan Younis", "Rafah",
     "Jabalia", "Bakhmut", "Artemivsk", "Avdiivka", "Marib", "Hodeidah", "Raqqa", "Manbij",
     "Tal Afar", "Fallujah", "Ramadi", "Kobani", "Ayn al-Arab", "Sirte", "Misrata", "Goma"],
)
def test_required_places_resolve_from_the_supplement(name: str) -> None:
    place = resolve_place(name)
    assert place is not None, name
    assert place.latitude is not None and place.longitude is not None
    assert place.precision in ("exact", "region", "water")


# ---------------------------------------------------------------------------------------------
# resolve_place
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Shirqat", "Sharqat", "Ash Sharqat", "al-Shirqat", "AL-SHIRQAT", "ash-Sharqat"])
def test_shirqat_variants(name: str) -> None:
    place = resolve_place(name)
    assert place is not None
    assert place.iso3 == "IRQ" and place.name == "Shirqat"
    assert _km(place.latitude, place.longitude, 35.5, 43.2) < 10  # type: ignore[arg-type]
    assert place.precision == "exact"


@pytest.mark.parametrize(
    ("name", "iso3", "lat", "lon"),
    [
        ("Mosul", "IRQ", 36.34, 43.12), ("Idlib", "SYR", 35.93, 36.63), ("Kherson", "UKR", 46.64, 32.61),
        ("Kyiv", "UKR", 50.45, 30.52), ("Kiev", "UKR", 50.45, 30.52), ("Odessa", "UKR", 46.48, 30.73),
        ("Kharkov", "UKR", 49.98, 36.25), ("Zaporozhye", "UKR", 47.85, 35.12),
        ("Khan Yunis", "PSE", 31.34, 34.31), ("Jabaliya", "PSE", 31.53, 34.48),
        ("Ayn al-Arab", "SYR", 36.89, 38.35), ("Al-Raqqa", "SYR", 35.95, 39.01),
        ("Deir al-Zor", "SYR", 35.34, 40.14), ("Falluja", "IRQ", 33.35, 43.79),
        ("Irbil", "IRQ", 36.19, 44.01), ("Hudaydah", "YEM", 14.80, 42.95),
        ("Artyomovsk", "UKR", 48.59, 38.00), ("Avdeyevka", "UKR", 48.14, 37.75),
        ("Misurata", "LBY", 32.38, 15.09), ("Khmeimim", "SYR", 35.40, 35.95),
        ("Al Udeid Air Base", "QAT", 25.12, 51.32), ("Incirlik", "TUR", 37.00, 35.43),
        ("Tel Aviv", "ISR", 32.08, 34.78), ("Aleppo", "SYR", 36.20, 37.16),
        ("Moscow", "RUS", 55.75, 37.62), ("Beirut", "LBN", 33.89, 35.50),
        ("Goma", "COD", -1.68, 29.23), ("El Fasher", "SDN", 13.63, 25.35),
        ("Sanaa", "YEM", 15.35, 44.21), ("Sana'a", "YEM", 15.35, 44.21),
    ],
)
def test_places_resolve_near_known_coordinates(name: str, iso3: str, lat: float, lon: float) -> None:
    place = resolve_place(name)
    assert place is not None, name
    assert place.iso3 == iso3
    assert _km(place.latitude, place.longitude, lat, lon) < 15  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["Syria", "Russia", "Ukraine", "Georgia", "Türkiye", "Turkey",
                                  "Burma", "Ivory Coast", "the United States", "DR Congo", "Palestine"])
def test_country_names_have_no_coordinates(name: str) -> None:
    place = resolve_place(name)
    assert place is not None
    assert place.precision == "country" and place.kind == "country"
    assert place.latitude is None and place.longitude is None
    assert place.iso3 is not None


def test_every_country_name_resolves_to_precision_country() -> None:
    for country in countries():
        place = resolve_place(country.name)
        assert place is not None, country.name
        assert (place.iso3, place.precision, place.latitude) == (country.iso3, "country", None), country.name


def test_georgia_the_country_wins_unless_the_hint_is_usa() -> None:
    assert resolve_place("Georgia").iso3 == "GEO"  # type: ignore[union-attr]
    state = resolve_place("Georgia", country_hint="USA")
    assert state is not None and state.iso3 == "USA" and state.precision == "region"
    assert state.latitude is None


def test_washington_with_hint_usa_is_the_capital() -> None:
    place = resolve_place("Washington", country_hint="USA")
    assert place is not None and place.iso3 == "USA" and place.precision == "exact"
    assert _km(place.latitude, place.longitude, 38.9, -77.04) < 10  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "hint", "iso3"),
    [("Tripoli", None, "LBY"), ("Tripoli", "LBN", "LBN"), ("Rafah", None, "PSE"), ("Rafah", "EGY", "EGY"),
     ("Victoria", "SYC", "SYC"), ("Paris", "SYR", "FRA"), ("Kingston", "jam", "JAM"), ("Mosul", "bogus", "IRQ")],
)
def test_country_hint_disambiguates(name: str, hint: str | None, iso3: str) -> None:
    place = resolve_place(name, country_hint=hint)
    assert place is not None and place.iso3 == iso3


@pytest.mark.parametrize(
    ("text", "iso3"),
    [("northern Syria", "SYR"), ("eastern Ukraine", "UKR"), ("southern Lebanon", "LBN"),
     ("north-east Syria", "SYR"), ("Northern Iraq", "IRQ")],
)
def test_direction_and_country_is_a_region_without_coordinates(text: str, iso3: str) -> None:
    place = resolve_place(text)
    assert place is not None
    assert (place.iso3, place.precision, place.latitude, place.longitude) == (iso3, "region", None, None)


@pytest.mark.parametrize(
    ("text", "iso3"),
    [("Donetsk oblast", "UKR"), ("Donetsk Oblast", "UKR"), ("Idlib province", "SYR"),
     ("Kharkiv region", "UKR"), ("Anbar province", "IRQ"), ("Helmand province", "AFG"),
     ("Kandahar province", "AFG"), ("Aleppo countryside", "SYR"), ("northern Gaza", "PSE"),
     ("the Gaza Strip", "PSE"), ("Euphrates valley", "SYR")],
)
def test_regions_have_precision_region(text: str, iso3: str) -> None:
    place = resolve_place(text)
    assert place is not None and place.iso3 == iso3
    assert place.precision == "region"
    assert place.latitude is not None


@pytest.mark.parametrize("text", ["Red Sea", "the Black Sea", "Strait of Hormuz", "Gulf of Aden", "Bab al-Mandab"])
def test_seas_and_straits(text: str) -> None:
    place = resolve_place(text)
    assert place is not None and place.kind in ("sea", "strait") and place.precision == "water"


def test_no_exact_place_without_coordinates_and_no_country_with_coordinates() -> None:
    names = ["Mosul", "Syria", "northern Syria", "Donetsk oblast", "Georgia", "Hmeimim", "Red Sea"]
    for name in names:
        place = resolve_place(name)
        assert place is not None
        if place.precision == "country":
            assert place.latitude is None and place.longitude is None
        if place.precision == "exact":
            assert place.latitude is not None and place.longitude is not None


def test_fuzzy_fallback_for_long_supplement_names() -> None:
    assert resolve_place("Strait of Hormus").name == "Strait of Hormuz"  # type: ignore[union-attr]
    assert resolve_place("Qzx") is None


@pytest.mark.parametrize(
    "junk",
    ["", "   ", "asdkjh qwe", "12345", "!!!", "the", "is", "hit", "xx", "zzzz qqqq wwww",
     "a" * 500, "\x00", "()", "—", "northern", "province", "中华人民共和国"],
)
def test_junk_returns_none(junk: str) -> None:
    assert resolve_place(junk) is None


@pytest.mark.parametrize("bad", [None, 3, 4.5, b"Mosul", ["Mosul"]])
def test_wrong_types_return_none(bad: object) -> None:
    assert resolve_place(bad) is None  # type: ignore[arg-type]
    assert resolve_place("Mosul", country_hint=bad).iso3 == "IRQ"  # type: ignore[arg-type,union-attr]


def test_random_text_never_raises() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.text(max_size=60), st.one_of(st.none(), st.text(max_size=4)))
    def check(text: str, hint: str | None) -> None:
        place = resolve_place(text, country_hint=hint)
        assert place is None or isinstance(place, Place)

    check()


def test_place_key_normalisation() -> None:
    assert place_key("Ash-Sharqāt") == place_key("ash sharqat")
    assert place_key("Khan  Yūnis") == "khan yunis"
    assert place_key("Sana'a") == "sanaa"


# What a fresh interpreter does with the modules: (code run in the child, the JSON report its last
# line must equal). Importing builds no index; the first lookup builds the ones it needs, later
# lookups reuse them and give the same answer; using the lookups of places and actors pulls in
# neither Dagster nor DuckDB (tests/test_purity.py checks every module's imports). Load times and
# memory: the table in the module's docstring, measured outside the tests.
FRESH_PROCESS = {
    "import_builds_no_index": (
        "import json, pipelines.places as p\n"
        "print(json.dumps({'sizes': [f.cache_info().currsize for f in (p._geonames, p._admin1, p._supplement, p._small)]}))\n",
        {"sizes": [0, 0, 0, 0]},
    ),
    "index_loads_on_first_need": (
        "import json, pipelines.places as P\n"
        "caches = [n for n in dir(P) if hasattr(getattr(P, n), 'cache_info')]\n"
        "built = lambda: sorted(n for n in caches if getattr(P, n).cache_info().currsize)\n"
        "at_import = built()\n"
        "mosul = P.resolve_place('Mosul')\n"
        "after_first = built()\n"
        "kherson = {P.resolve_place('Kherson') for _ in range(1000)}\n"
        "print(json.dumps({'caches': '_geonames' in caches and '_supplement' in caches, 'at_import': at_import,\n"
        "                  'geonames_after_first': '_geonames' in after_first, 'mosul': mosul.iso3,\n"
        "                  'kherson': [(k.name, k.iso3) for k in kherson],\n"
        "                  'geonames_misses': P._geonames.cache_info().misses}))\n",
        # 1000 lookups, one answer; the index built once, not once per lookup
        {"caches": True, "at_import": [], "geonames_after_first": True, "mosul": "IRQ",
         "kherson": [["Kherson", "UKR"]], "geonames_misses": 1},
    ),
    "actors_and_places_load_neither_dagster_nor_duckdb": (
        "import json, sys, pipelines.actors, pipelines.places\n"
        "place = pipelines.places.resolve_place('Mosul')\n"
        "found = [(a.canonical, a.iso3) for _, _, a in pipelines.actors.find_actors('Russia')]\n"
        "print(json.dumps({'place': place.iso3, 'found': found,\n"
        "                  'loaded': sorted(m for m in sys.modules if m.split('.')[0] in ('dagster', 'duckdb'))}))\n",
        {"place": "IRQ", "found": [["Russia", "RUS"]], "loaded": []},
    ),
}


@pytest.mark.parametrize(("code", "expected"), list(FRESH_PROCESS.values()), ids=list(FRESH_PROCESS))
def test_in_a_fresh_process(code: str, expected: dict) -> None:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == expected


# ---------------------------------------------------------------------------------------------
# Admin-1 regions (iso3166-2)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [("Sokoto State", "NG-SO"), ("Zamfara", "NG-ZA"), ("Zamfara State", "NG-ZA"),
     ("Nangarhar", "AF-NAN"), ("Nangarhar province", "AF-NAN"), ("Ningrahar", "AF-NAN"),
     ("Ningrahar Province", "AF-NAN"), ("Al Anbar governorate", "IQ-AN"), ("Saada governorate", "YE-SD"),
     ("Kandahar province", "AF-KAN"), ("Province of Nangarhar", "AF-NAN")],
)
def test_admin1_regions_by_name_and_english_alias(text: str, code: str) -> None:
    place = resolve_place(text)
    assert place is not None, text
    assert (place.precision, place.kind, place.admin1) == ("region", "region", code)
    assert place.iso3 == code[:2].replace("NG", "NGA").replace("AF", "AFG").replace("IQ", "IRQ").replace("YE", "YEM")
    assert place.latitude is not None and place.longitude is not None


def test_a_bare_name_is_the_city_and_the_typed_name_the_region() -> None:
    city, region = resolve_place("Sokoto"), resolve_place("Sokoto State")
    assert city is not None and city.precision == "exact" and city.iso3 == "NGA"
    assert region is not None and region.precision == "region" and region.admin1 == "NG-SO"


@pytest.mark.parametrize("text", ["Seat of the Caliphate", "Northern", "Centre", "Waterfalls"])
def test_nicknames_generic_words_and_lower_case_are_not_regions(text: str) -> None:
    place = resolve_place(text)
    assert place is None or place.kind != "region", place


def test_generic_region_name_needs_the_type_word() -> None:
    place = resolve_place("Northern Province", countries={"ZMB"})
    assert place is not None and place.iso3 == "ZMB" and place.precision == "region"


# ---------------------------------------------------------------------------------------------
# countries=, the cities500 tier and resolve_in (a tiny cities500 fixture: real GeoNames rows)
# ---------------------------------------------------------------------------------------------

_FIXTURE_ROWS = [
    # geonameid, name, lat, lon, country, population, admin1, alternate names
    (12189069, "Bermo", 14.70816, 6.61908, "NE", 2702, "04", []),
    (2656311, "Barmouth", 52.72377, -4.05748, "GB", 2522, "WLS", ["Abermaw", "Bermo"]),
    (12324110, "Garden City", 15.6108, 32.5653, "SD", 0, "29", []),
    (1109262, "Datta Khel", 32.90849, 69.74477, "PK", 1037, "03", ["Datakhel"]),
    (699185, "Novoselivka", 49.0701, 37.69517, "UA", 1397, "05", ["Novoselovka"]),
    (709932, "Kostiantynivka", 48.52, 37.71, "UA", 70000, "05", []),
    (699215, "Novoselivka", 46.00243, 29.61461, "UA", 3000, "17", ["Novosselivka"]),
    (698740, "Odesa", 46.48, 30.73, "UA", 1000000, "17", []),
    (699183, "Novoselivka", 49.62698, 34.68612, "UA", 672, "18", []),
    (696643, "Poltava", 49.59, 34.55, "UA", 300000, "18", []),
    (706483, "Kharkiv", 49.98, 36.25, "UA", 1400000, "07", []),
]


@pytest.fixture()
def tiny_cities500(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from pipelines import places

    source = tmp_path / "cities500.json"
    source.write_text(json.dumps({
        str(gid): {"geonameid": gid, "name": name, "latitude": lat, "longitude": lon, "countrycode": cc,
                   "population": pop, "timezone": "", "admin1code": a1, "alternatenames": alts}
        for gid, name, lat, lon, cc, pop, a1, alts in _FIXTURE_ROWS
    }), encoding="utf-8")
    monkeypatch.setattr(places, "_small_source", lambda: source)
    monkeypatch.setenv("DISPATCHES_CACHE", str(tmp_path / "cache"))
    places._reset_caches()
    yield tmp_path / "cache"
    places._reset_caches()


def test_village_only_in_cities500_needs_its_country(tiny_cities500: Path) -> None:
    niger = resolve_place("Bermo", countries={"NER"})
    assert niger is not None and niger.iso3 == "NER" and _km(niger.latitude, niger.longitude, 14.71, 6.62) < 5  # type: ignore[arg-type]
    # Not in the story's countries: the cities500 village is not consulted, and India's Bermo
    # (a first-tier town below 100,000 people) is not accepted abroad either.
    assert resolve_place("Bermo", countries={"MLI"}) is None
    # Without countries the second tier is never read: the first-tier answer is unchanged.
    assert resolve_place("Bermo").iso3 == "IND"  # type: ignore[union-attr]
    wales = resolve_place("Bermo", countries={"GBR"})
    assert wales is not None and wales.name == "Barmouth"


def test_english_town_does_not_take_a_sahel_village(tiny_cities500: Path) -> None:
    # No Malian village shares a name with an English town in cities500/cities15000 (checked);
    # Khartoum's Garden City and Welwyn Garden City (alias "Garden City", 51,505 people) are a
    # real pair from the Sahel belt.
    sudan = resolve_place("Garden City", countries={"SDN"})
    assert sudan is not None and sudan.iso3 == "SDN"
    assert _km(sudan.latitude, sudan.longitude, 15.61, 32.57) < 5  # type: ignore[arg-type]
    england = resolve_place("Garden City", countries={"GBR"})
    assert england is not None and england.name == "Welwyn Garden City"
    # A 51,505-people town is not big enough to be taken abroad (Singapore, a capital whose
    # GeoNames alternate names include "Garden City", is).
    mali = resolve_place("Garden City", countries={"MLI"})
    assert mali is None or mali.iso3 not in ("GBR", "SDN")


def test_big_city_abroad_only_when_nothing_inside(tiny_cities500: Path) -> None:
    paris = resolve_place("Paris", countries={"SYR"})
    assert paris is not None and paris.iso3 == "FRA"  # a capital, no Syrian Paris
    tripoli = resolve_place("Tripoli", countries={"LBN"})
    assert tripoli is not None and tripoli.iso3 == "LBN"
    assert resolve_place("Kidal", countries={"JPN"}) is None  # a supplement town stays home
    sea = resolve_place("Red Sea", countries={"YEM"})
    assert sea is not None and sea.precision == "water"  # no country: never filtered out


def test_fuzzy_match_never_leaves_countries(tiny_cities500: Path) -> None:
    near = resolve_place("Datta Kheil", countries={"PAK"})
    assert near is not None and near.name == "Datta Khel" and near.iso3 == "PAK"
    assert resolve_place("Datta Kheil", countries={"AFG"}) is None
    assert resolve_place("Datta Kheil") is None  # no countries: fuzzy over the supplement only
    far = resolve_place("Welwyn Garden Citty", countries={"PAK"})
    assert far is None or far.iso3 == "PAK"


@pytest.mark.parametrize(
    ("parent", "lat", "lon"),
    [("Donetsk region", 49.07, 37.70), ("Odesa Oblast", 46.00, 29.61), ("Poltava Oblast", 49.63, 34.69)],
)
def test_parent_region_constrains_the_child(tiny_cities500: Path, parent: str, lat: float, lon: float) -> None:
    from pipelines.places import resolve_in

    place = resolve_in("Novoselivka", parent)
    assert place is not None and place.iso3 == "UKR" and place.precision == "exact"
    assert _km(place.latitude, place.longitude, lat, lon) < 5  # type: ignore[arg-type]


def test_resolve_in_country_city_and_unknown(tiny_cities500: Path) -> None:
    from pipelines.places import resolve_in

    assert resolve_in("Bermo", "Niger").iso3 == "NER"  # type: ignore[union-attr]
    assert resolve_in("Kramatorsk", "Donetsk region").name == "Kramatorsk"  # type: ignore[union-attr]
    assert resolve_in("Kramatorsk", "Kharkiv region") is None  # wrong region: fall back to the parent
    assert resolve_in("Dahiyeh", "Beirut").iso3 == "LBN"  # type: ignore[union-attr]
    assert resolve_in("Qzxqq", "Niger") is None
    assert resolve_in("Bermo", "Atlantis") is None
    assert resolve_in("Bermo", "Red Sea") is None
    assert resolve_in("Novoselivka", "Odessa region").iso3 == "UKR"  # type: ignore[union-attr]


def test_cities500_cache_is_built_once_and_shared(tiny_cities500: Path) -> None:
    from pipelines import places

    assert resolve_place("Bermo", countries={"NER"}) is not None
    folders = [p for p in tiny_cities500.iterdir()]
    assert len(folders) == 1 and (folders[0] / "COMPLETE").exists() and (folders[0] / "NER.marshal").exists()
    # A second builder that loses the race leaves the first cache intact and no temporary folder.
    places._write_small_cache(folders[0], places._build_small(places._small_source()))
    assert [p.name for p in tiny_cities500.iterdir()] == [folders[0].name]
    places._reset_caches()
    assert resolve_place("Bermo", countries={"NER"}).iso3 == "NER"  # type: ignore[union-attr]


@pytest.mark.slow
def test_real_cities500_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds the real per-country cache once (about 7 s) into a temporary folder."""
    from pipelines import places

    monkeypatch.setenv("DISPATCHES_CACHE", str(tmp_path))
    places._reset_caches()
    try:
        sudan = resolve_place("Garden City", countries={"SDN"})
        assert sudan is not None and sudan.iso3 == "SDN"
        assert resolve_place("March", countries={"AFG"}).iso3 == "AFG"  # type: ignore[union-attr]
        assert resolve_place("Datta Khel", countries={"PAK"}).iso3 == "PAK"  # type: ignore[union-attr]
        from pipelines.places import resolve_in

        odesa = resolve_in("Novoselivka", "Odesa region")
        assert odesa is not None and _km(odesa.latitude, odesa.longitude, 46.48, 30.73) < 300  # type: ignore[arg-type]
        assert len(list(next(tmp_path.iterdir()).glob("*.marshal"))) > 200
    finally:
        places._reset_caches()


def test_random_text_with_countries_and_parents_never_raises(tiny_cities500: Path) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from pipelines.places import resolve_in

    codes = st.sampled_from(["NER", "SDN", "UKR", "PAK", "mli", "", "XX", "GBR"])

    @settings(max_examples=200, deadline=None)
    @given(st.text(max_size=40), st.one_of(st.none(), st.sets(codes, max_size=3), st.just("NER")),
           st.sampled_from(["Niger", "Donetsk region", "Beirut", "Red Sea", "", "Atlantis"]))
    def check(text: str, story: object, parent: str) -> None:
        place = resolve_place(text, countries=story)  # type: ignore[arg-type]
        assert place is None or isinstance(place, Place)
        child = resolve_in(text, parent, countries=story)  # type: ignore[arg-type]
        assert child is None or isinstance(child, Place)

    check()
