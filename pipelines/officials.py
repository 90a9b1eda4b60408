"""Gazetteer of officials: the country of a person named without a nationality.

"Prime Minister Narendra Modi arrived in Tokyo" says nothing about India; this module knows that
Narendra Modi has been India's head of government since 2014. The data is
pipelines/data/officials.csv: heads of state and government, foreign and defence ministers and
heads of a few international bodies (UN, NATO, EU, ...), 2005-2025, one row per person, office
and term. The file is curated by hand from general public knowledge and is incomplete: a miss
returns None, and nothing here ever guesses.

Matching rules (`lookup`):

- Names are compared after folding: Unicode NFKD with combining marks removed plus a few letters
  NFKD leaves alone (ł, ø, đ, ı, ß, æ, œ, ...), lower case, hyphens as spaces, apostrophes and
  full stops removed, whitespace collapsed; a trailing possessive "'s" is dropped.
  "Recep Tayyip Erdoğan", "recep tayyip erdogan" and "Recep Tayyip Erdogan's" are one key.
- Exact match of the full name or of an alias. If that fails, leading title words are removed
  one at a time ("President", "Prime Minister", "PM", "Foreign Minister", "Defence Minister",
  "Secretary of State", "Chancellor", "King", "Emir", "Sheikh", "Crown Prince", "Gen." ...:
  see TITLES) and the exact match is tried again after each. The title is not checked against
  the office: it only gets out of the way of the name.
- Several rows for one name: with `year`, the row whose term covers the year (from_year <=
  year <= to_year, an empty to_year meaning still in office; if several rows cover it, head of
  state before head of government before any other office, then the later term: Netanyahu in
  2016 is prime minister, not foreign minister); without a covering row, or without `year`, the
  person's latest row (still in office or ended last). Rows belong to one
  person when they have the same `name`. If the key names more than one person (the alias
  "King Abdullah" is both Saudi Arabia's king and Jordan's), the one in office in `year` wins;
  with none or several in office, or without `year`, the answer is None.
- A bare surname ("Modi", or "Macron" after "President" is removed) matches only when exactly
  one person with that surname holds a row covering `year` (without `year`: exactly one person
  among all rows); otherwise None. Surnames are derived from names, not listed: the last word
  ("Emmanuel Macron" -> macron; with particles, "Ursula von der Leyen" -> "von der leyen" and
  "leyen"; "Abdel Fattah el-Sisi" -> "sisi", "el sisi", "al sisi"), the first word for names
  written family name first (China, North and South Korea, Cambodia; Taiwan and Singapore when
  the name has three words or a hyphenated given name and does not start with an initial) and
  for countries whose news uses the first name (Ethiopia, Eritrea, Thailand, Malaysia; both
  words for Indonesia). Patronymic names ("Mohammed bin Salman") give only "bin salman" or their
  family name ("Al Thani" -> "al thani", "thani"); regnal names ("Abdullah II", "Muhammad V of
  Kelantan") and Burmese names (which have no surname) give none. Aliases that are a title plus
  one name ("King Salman", "Emir Tamim") give that name. A surname that is a country's name
  ("Nepal") is never used.
- Nothing else: no fuzzy matching, no first names, no initials.

`by_surname` returns the candidates for a surname so that callers can disambiguate themselves.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
OFFICIALS_CSV = DATA_DIR / "officials.csv"
COUNTRIES_CSV = DATA_DIR / "countries.csv"

# Leading words removed from a query before the exact match is retried, longest first: the usual
# titles, their spelling variants and a few honorifics news puts before a name. Not "Amir", which
# is also a first name ("Amir Khan" must not become the surname "Khan").
TITLES = (
    "prime minister", "pm", "deputy prime minister", "president", "vice president", "chairman",
    "foreign minister", "foreign secretary",
    "defence minister", "defense minister", "defence secretary", "defense secretary",
    "secretary of state", "secretary of defense", "secretary of war", "war secretary",
    "secretary general", "secretary", "chancellor", "premier", "king", "queen", "emperor",
    "emir", "sheikh", "shaikh", "sheik", "crown prince", "prince", "sultan",
    "supreme leader", "ayatollah", "minister", "general", "gen", "field marshal", "marshal",
    "tuanku", "sir", "lord", "mr", "mrs", "ms", "dr",
)
_TITLE_TOKENS = sorted((t.split() for t in TITLES), key=len, reverse=True)
_MAX_TITLES = 3  # "Emir Sheikh Tamim ..."; a nationality ("Saudi Crown Prince") is the caller's to drop

# Countries whose officials' names are written family name first, or whose news calls officials
# by their first name: the first word is the surname key.
_FIRST_WORD = frozenset({"CHN", "PRK", "KOR", "KHM", "ETH", "ERI", "THA", "MYS"})
_FIRST_WORD_IF_LONG = frozenset({"TWN", "SGP"})  # "Tsai Ing-wen", "Lee Hsien Loong"; not "Frank Hsieh"
_BOTH_WORDS = frozenset({"IDN"})  # "Prabowo Subianto" is "Prabowo", "Joko Widodo" is "Widodo"
_NO_SURNAME = frozenset({"MMR"})  # Burmese names have no surname: "Min Aung Hlaing" is never "Hlaing"
_PARTICLES = frozenset({
    "de", "da", "do", "dos", "das", "di", "du", "del", "della", "van", "von", "der", "den", "zu",
    "le", "la", "al", "el", "ul", "ben", "abu", "ter", "ten",
})
_PATRONYMIC = frozenset({"bin", "bint", "ibn", "binti"})
_SUFFIXES = frozenset({"jr", "sr"})
_ROMAN = re.compile(r"^(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)$")
_FOLD_EXTRA = str.maketrans({
    "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ı": "i",
    "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th", "ə": "a", "Ə": "a",
})
_APOSTROPHES = "'’‘`ʼʻ"


@dataclass(frozen=True)
class Official:
    name: str
    iso3: str | None
    office: str
    from_year: int | None
    to_year: int | None

    def in_office(self, year: int) -> bool:
        return (self.from_year is None or self.from_year <= year) and (
            self.to_year is None or year <= self.to_year
        )


def fold(text: str) -> str:
    """The comparison key of a name: no diacritics, lower case, hyphens as spaces, no dots."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD_EXTRA))
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_FOLD_EXTRA)
    text = text.lower().strip()
    text = re.sub(r"[" + _APOSTROPHES + r"]s$", "", text)  # possessive
    text = re.sub(r"[" + _APOSTROPHES + r".]", "", text)
    text = re.sub(r"[-‐‑–—,]", " ", text)
    return " ".join(text.split())


def _strip_title(key: str) -> str | None:
    """`key` without one leading title, or None when it does not start with one."""
    words = key.split()
    for title in _TITLE_TOKENS:
        n = len(title)
        if len(words) > n and words[:n] == title:
            return " ".join(words[n:])
    return None


def _keys_with_titles_removed(key: str) -> list[str]:
    out = [key]
    for _ in range(_MAX_TITLES):
        stripped = _strip_title(out[-1])
        if stripped is None:
            break
        out.append(stripped)
    return out


def _last_word_keys(words: list[str]) -> set[str]:
    """Surname keys from the last (original, unfolded) word and any particles before it."""
    last = fold(words[-1])
    keys = {last}
    if "-" in words[-1]:
        parts = last.split()
        if parts[0] in ("al", "el") and len(parts) > 1:  # "el-Sisi"
            rest = " ".join(parts[1:])
            keys |= {rest, "al " + rest, "el " + rest}
        else:  # "Ramos-Horta" -> "ramos horta", "horta"
            keys.add(parts[-1])
    i = len(words) - 1
    particles: list[str] = []
    while i > 0 and fold(words[i - 1]) in _PARTICLES:
        particles.insert(0, fold(words[i - 1]))
        i -= 1
    if particles:
        keys.add(" ".join(particles + [last]))
        if particles == ["al"] or particles == ["el"]:
            keys |= {"al " + last, "el " + last}
    return keys


def surname_keys(name: str, iso3: str | None) -> set[str]:
    """The folded surnames by which news may refer to `name` alone (see the module docstring)."""
    words = name.split()
    if any(fold(w) == "of" for w in words):
        return set()  # "Abdullah of Pahang"
    had_numeral = False
    while words and (fold(words[-1]) in _SUFFIXES or _ROMAN.match(fold(words[-1]))):
        had_numeral = had_numeral or bool(_ROMAN.match(fold(words[-1])))
        words = words[:-1]
    if len(words) < 2 or iso3 in _NO_SURNAME:
        return set()  # a single name ("Akihito"), a regnal name ("Mohammed VI"), Myanmar
    folded = [fold(w) for w in words]
    if any(w in _PATRONYMIC for w in folded):
        j = max(k for k, w in enumerate(folded) if w in _PATRONYMIC)
        tail = words[j + 1:]
        if len(tail) >= 2 and fold(tail[-2]) in ("al", "el"):  # "... Al Thani"
            return _last_word_keys(tail)
        if len(tail) == 1 and fold(tail[0]).startswith(("al ", "el ")):  # "... Al-Khalifa"
            return _last_word_keys(tail)
        if len(tail) == 1 and j == len(words) - 2:  # "Mohammed bin Salman"
            return {folded[j] + " " + fold(tail[0])}
        return set()
    long_form = len(words) >= 3 or "-" in words[-1]
    if iso3 in _FIRST_WORD or (iso3 in _FIRST_WORD_IF_LONG and long_form and len(folded[0]) > 1):
        return {folded[0]}  # not an initial: "S. R. Nathan" is "Nathan"
    keys = _last_word_keys(words)
    if iso3 in _BOTH_WORDS:
        keys.add(folded[0])
    return keys


def _alias_surname_keys(alias: str, iso3: str | None) -> set[str]:
    stripped = _keys_with_titles_removed(fold(alias))
    if len(stripped) > 1 and len(stripped[-1].split()) == 1:  # "King Salman", "Emir Tamim"
        return {stripped[-1]}
    if len(stripped) > 1:
        return set()  # "Sheikh Mohamed bin Zayed": the name's own keys cover it
    return surname_keys(alias, iso3) if len(alias.split()) >= 2 else set()


def _int(value: str, what: str, line: int) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise ValueError(f"officials.csv line {line}: {what} {value!r} is not a year")
    return int(value)


@dataclass(frozen=True)
class _Row:
    official: Official
    aliases: tuple[str, ...]


@lru_cache(maxsize=None)
def _rows() -> tuple[_Row, ...]:
    out = []
    with open(OFFICIALS_CSV, encoding="utf-8", newline="") as f:
        numbered = [(i, line) for i, line in enumerate(f, 1)
                    if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader([line for _, line in numbered])
    for (line, _), row in zip(numbered[1:], reader):
        cells = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
        if not cells.get("name") or not cells.get("office"):
            raise ValueError(f"officials.csv line {line}: name and office are required")
        official = Official(
            name=cells["name"],
            iso3=cells.get("iso3") or None,
            office=cells["office"],
            from_year=_int(cells.get("from_year", ""), "from_year", line),
            to_year=_int(cells.get("to_year", ""), "to_year", line),
        )
        aliases = tuple(a.strip() for a in cells.get("aliases", "").split("|") if a.strip())
        out.append(_Row(official, aliases))
    return tuple(out)


@lru_cache(maxsize=None)
def _country_keys() -> frozenset[str]:
    keys = set()
    with open(COUNTRIES_CSV, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(line for line in f if not line.lstrip().startswith("#")):
            keys.add(fold(row.get("name") or ""))
            keys.update(fold(a) for a in (row.get("aliases") or "").split("|"))
    keys.discard("")
    return frozenset(keys)


@lru_cache(maxsize=None)
def _indexes() -> tuple[dict[str, tuple[Official, ...]], dict[str, tuple[Official, ...]]]:
    names: dict[str, list[Official]] = defaultdict(list)
    surnames: dict[str, list[Official]] = defaultdict(list)
    countries = _country_keys()
    for row in _rows():
        o = row.official
        for text in (o.name, *row.aliases):
            key = fold(text)
            if key and o not in names[key]:
                names[key].append(o)
        keys = surname_keys(o.name, o.iso3)
        for alias in row.aliases:
            keys |= _alias_surname_keys(alias, o.iso3)
        for key in keys:
            if key and key not in countries and o not in surnames[key]:
                surnames[key].append(o)
    return ({k: tuple(v) for k, v in names.items()}, {k: tuple(v) for k, v in surnames.items()})


def _latest(rows: list[Official] | tuple[Official, ...]) -> Official:
    """The latest term: the one still running or ended last, then the one begun last."""
    return max(rows, key=lambda o: (o.to_year if o.to_year is not None else 10**6, o.from_year or 0))


_SENIORITY = {"head of state": 2, "head of government": 1}


def _per_person(rows: tuple[Official, ...], year: int | None) -> dict[str, Official]:
    """One row per person (same name): with `year`, the row covering it (if several do, the
    senior office, then the later term), and only people with such a row; without, the latest."""
    by_name: dict[str, list[Official]] = defaultdict(list)
    for o in rows:
        by_name[o.name].append(o)
    out = {}
    for name, own in by_name.items():
        if year is None:
            out[name] = _latest(own)
        else:
            covering = [o for o in own if o.in_office(year)]
            if covering:
                out[name] = max(covering, key=lambda o: (_SENIORITY.get(o.office, 0), o.from_year or 0))
    return out


def _choose(rows: tuple[Official, ...], year: int | None) -> Official | None:
    people = {o.name for o in rows}
    if year is not None:
        in_office = _per_person(rows, year)
        if len(in_office) == 1:
            return next(iter(in_office.values()))
        if in_office:
            return None  # two different people in office that year under one key
    if len(people) == 1:
        return _latest(rows)
    return None


def lookup(name: str, year: int | None = None) -> Official | None:
    """The official called `name` (full name, alias, either after leading titles, or a surname
    that is unambiguous in `year`), or None. See the module docstring for the rules."""
    if not name or not name.strip():
        return None
    names, _ = _indexes()
    candidates = _keys_with_titles_removed(fold(name))
    for key in candidates:
        rows = names.get(key)
        if rows:
            return _choose(rows, year)
    found = by_surname(candidates[-1], year)
    return found[0] if len(found) == 1 else None


def by_surname(surname: str, year: int | None = None) -> list[Official]:
    """Everyone whose derived surname is `surname` (folded; leading titles ignored), one row per
    person: with `year`, only people in office that year (the row covering it); without, each
    person's latest row. Sorted by name. An empty list when nobody matches."""
    if not surname or not surname.strip():
        return []
    _, surnames = _indexes()
    key = _keys_with_titles_removed(fold(surname))[-1]
    rows = surnames.get(key, ())
    return sorted(_per_person(rows, year).values(), key=lambda o: o.name)


def officials() -> tuple[Official, ...]:
    """Every row of the gazetteer, in file order (for validation and reports)."""
    return tuple(r.official for r in _rows())
