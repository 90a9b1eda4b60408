"""Tests for pipelines.places and data/places_supplement.csv."""

from __future__ import annotations

import csv
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
    assert place.precision in ("exact", "region")


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
    assert place is not None and place.kind in ("sea", "strait") and place.precision == "region"


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


def test_index_loads_in_a_fresh_process() -> None:
    code = (
        "import time\n"
        "start = time.perf_counter()\n"
        "from pipelines.places import resolve_place\n"
        "assert resolve_place('Mosul').iso3 == 'IRQ'\n"
        "first = time.perf_counter() - start\n"
        "start = time.perf_counter()\n"
        "for _ in range(1000): resolve_place('Kherson')\n"
        "repeat = time.perf_counter() - start\n"
        "print(first, repeat)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
