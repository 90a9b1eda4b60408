"""What every fact extractor sees of a sentence: its text and offsets, its parse (when the
sentence was parsed), the actors, places, dates and people in it, and the article around it.

Offsets in this module are relative to the sentence unless a name says `article_`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from collections.abc import Iterator
from functools import cached_property, lru_cache

from pipelines import actors as A
from pipelines import dates as D
from pipelines import places as P
from pipelines import text as T
from pipelines.text import Sentence

_REPORT_DATE = re.compile(r"\b(?:said|says|announced|reported|confirmed|told\s+\w+|added|stated)\s+(?:(?:late|early)\s+)?(?:on\s+)?$", re.I)
_RELATIVE = re.compile(r"\b(?:who|whom|whose)\b", re.I)
_AGENCY_ONLY_DATELINE = re.compile(r"^\((?P<agency>[^()\n]{1,40})\)\s*[-–—]+\s+")

# Titles of officials, longest first. Used for visitors, speakers and victims.
TITLE_WORDS = (
    r"(?:Deputy\s+|Vice\s+|Acting\s+|Former\s+|Interim\s+|Senior\s+|Top\s+|Chief\s+|First\s+)*"
    r"(?:Prime\s+Minister|Foreign\s+Minister|Defen[cs]e\s+Minister|Interior\s+Minister|Finance\s+Minister|Minister(?:\s+of\s+[A-Z][a-z]+(?:\s+Affairs)?)?"
    r"|Secretary\s+of\s+State|Secretary\s+of\s+Defen[cs]e|Defen[cs]e\s+Secretary|Foreign\s+Secretary|Secretary[- ]General|Secretary"
    r"|President|Vice\s+President|Chancellor|Premier|King|Queen|Crown\s+Prince|Emir|Sheikh|Sultan|Ambassador|Envoy|Special\s+Envoy"
    r"|National\s+Security\s+Adviser|Chief\s+of\s+Staff|Spokes(?:man|woman|person)|Lt\.?\s+Gen\.?|Maj\.?\s+Gen\.?|Brig\.?\s+Gen\.?|Gen\.|General"
    r"|Lt\.?\s+Col\.?|Col\.|Colonel|Admiral|Adm\.|Commander|Lieutenant|Captain|Major|Senator|Sen\.|Rep\.|Governor|Mayor|Director|Chairman|Leader"
    r"|Foreign\s+Ministry\s+spokes(?:man|woman|person)|Defen[cs]e\s+Ministry\s+spokes(?:man|woman|person))"
)
NAME = r"(?:[A-Z][a-zA-Z'’-]+\.?\s+){0,3}(?:(?:al|el|bin|ibn|de|van|von|abu|Abu)[- ]){0,2}[A-Z][a-zA-Z'’-]+(?:-[A-Z][a-zA-Z'’-]+)?"
# "U.S. Secretary of State John Kerry", "Russian Foreign Minister Sergei Lavrov", "Iran's foreign minister, Abbas Araghchi"
_TITLE_GROUP = r"(?:(?:regional|deputy|chief|military|senior)\s+)?(?i:" + TITLE_WORDS + r")"
TITLED_NAME = re.compile(
    r"(?P<org>(?:[A-Z][\w.'’-]*\s+){0,3}?(?:[A-Z][\w.'’-]*(?:'s|’s)?)\s+)?(?P<title>" + _TITLE_GROUP
    + r")\s*,?\s+(?P<name>" + NAME + r")\b"
)


def _title_first_words() -> tuple[str, ...]:
    """Lower-cased words one of which begins every match of TITLED_NAME's title group: the first
    word of every alternative that can begin it, read off the pattern's text (groups,
    alternatives, optional groups and their quantifiers). Raises ValueError if such an
    alternative does not begin with a letter."""
    words: set[str] = set()
    pattern, i = _TITLE_GROUP, 0
    begins: list[bool] = []  # per open group: do its alternatives begin a title?
    at_start = True
    while i < len(pattern):
        if pattern.startswith(("(?:", "(?i:"), i):
            begins.append(at_start)
            i = pattern.index(":", i) + 1
            continue
        c = pattern[i]
        if c == "|":
            at_start = begins[-1] if begins else True
            i += 1
        elif c == ")":
            opened_at_start = begins.pop()
            i += 1
            optional = i < len(pattern) and (pattern[i] in "?*" or pattern.startswith("{0", i))
            at_start = opened_at_start and optional  # what follows an optional first group begins one too
            if i < len(pattern) and pattern[i] == "{":
                i = pattern.index("}", i) + 1
            elif i < len(pattern) and pattern[i] in "?*+":
                i += 1
        elif at_start:
            first = re.compile(r"[A-Za-z]+").match(pattern, i)
            if first is None:
                raise ValueError(f"a title alternative that does not begin with a letter: {pattern[i:i + 30]!r}")
            words.add(first.group().lower())
            at_start = False
            i = first.end()
        elif c == "\\":
            i += 2
        elif c == "[":
            i = pattern.index("]", i) + 1
        else:
            i += 1
    return tuple(sorted(words))


_TITLE_FIRST_WORDS = _title_first_words()
# What TITLED_NAME's org part is made of: words of these characters, each followed by whitespace
_ORG_WORD_CHAR = re.compile(r"[\w.'’-]")
_SPACE = re.compile(r"\s")
# The only non-ASCII characters that re.IGNORECASE matches to ASCII letters (İ ı ſ and the Kelvin
# sign): a text holding one is searched with the plain pattern.
_CASE_ODD = re.compile("[\u0130\u0131\u017f\u212a]")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ASCII_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _match_starts(text: str, q: int) -> list[int]:
    """Where a TITLED_NAME match whose title begins at q can begin: at q, or at the start of an
    org part of one to four words before it ("Russian", "U.S. Defense", "Iran's"). Each word of
    the org part is a capital and word characters (letters, digits, . ' ’ -), followed by
    whitespace, so each is a whole run of word characters but the first, which may begin at any
    capital inside its run."""
    out = [q]
    i = q
    for _ in range(4):
        j = i
        while j > 0 and _SPACE.match(text, j - 1):
            j -= 1
        if j == i:
            break  # no whitespace before: no word of an org part ends here
        k = j
        while k > 0 and _ORG_WORD_CHAR.match(text, k - 1):
            k -= 1
        out.extend(p for p in range(k, j) if text[p] in _ASCII_UPPER)  # this word first
        if k == j or text[k] not in _ASCII_UPPER:
            break  # no word, or one that can only be the first
        i = k
    return out


def titled_names(text: str) -> Iterator[re.Match]:
    """The matches of TITLED_NAME.finditer(text), the same ones, found faster.

    Scanning a whole article with the pattern costs about 2 ms: at every character the engine
    tries some sixty case-insensitive title alternatives. Every match holds a title, which
    begins with a word of _TITLE_FIRST_WORDS (found with str.find), and begins at it or at the
    start of an org part just before it (_match_starts). So the pattern is tried, anchored, at
    those positions only, from left to right: the first that matches at or after the previous
    match's end is the match finditer gives (it takes the leftmost match each time)."""
    if _CASE_ODD.search(text):
        yield from TITLED_NAME.finditer(text)
        return
    low = text.translate(_ASCII_LOWER)  # the same length: every position stays where it was
    starts: set[int] = set()
    for word in _TITLE_FIRST_WORDS:
        at = low.find(word)
        while at >= 0:
            starts.update(_match_starts(text, at))
            at = low.find(word, at + 1)
    pos = 0
    for s in sorted(starts):
        if s < pos:
            continue
        m = TITLED_NAME.match(text, s)
        if m is not None:
            yield m
            pos = m.end()


PRONOUN = re.compile(r"\b(?:he|she|He|She)\b")
LOWER_TITLE = re.compile(
    r"\b(?:the|The)\s+(?P<title>secretary|minister|president|prime\s+minister|envoy|chancellor|premier|ambassador|diplomat|general|commander|spokes(?:man|woman))\b"
)

# US-only titles: the country of "Secretary of State John Kerry" is the United States.
_US_TITLES = re.compile(r"^(?:Secretary\s+of\s+State|Secretary\s+of\s+Defen[cs]e|Defen[cs]e\s+Secretary)$", re.I)


@dataclass
class Person:
    name: str
    title: str | None
    iso3: str | None
    org: str | None


@dataclass
class ArticleView:
    article_id: str
    batch_id: str
    text: str
    published_at: datetime | None
    dateline: str | None
    people: list[Person] = field(default_factory=list)  # officials named so far, most recent last
    last_subject: Person | None = None  # the last person who did something (visited, spoke)
    notes: dict = field(default_factory=dict)  # per-article facts an extractor works out once

    @cached_property
    def directory(self) -> dict[str, Person]:
        """Surname -> official, over the whole article (built on first use: most articles never need it)."""
        out: dict[str, Person] = {}
        for m in titled_names(self.text):
            person = _person_from_match(m)
            if person is not None:
                out.setdefault(person.name.split()[-1], person)
        return out

    def remember(self, person: Person) -> None:
        for known in self.people:
            if known.name == person.name or known.name.split()[-1] == person.name.split()[-1]:
                known.title = known.title or person.title
                known.iso3 = known.iso3 or person.iso3
                known.org = known.org or person.org
                self.people.remove(known)
                self.people.append(known)
                return
        self.people.append(person)

    def find_person(self, name: str) -> Person | None:
        last = name.split()[-1]
        for p in reversed(self.people):
            if p.name == name or p.name.split()[-1] == last:
                return p
        return self.directory.get(last)

    def last_person(self, title_word: str | None = None) -> Person | None:
        for p in reversed(self.people):
            if title_word is None or (p.title and title_word.lower() in p.title.lower()):
                return p
        return None

    @property
    def year(self) -> int | None:
        return self.published_at.year if self.published_at else None


@dataclass
class SentenceView:
    article: ArticleView
    sentence: Sentence
    doc: object | None = None  # spaCy Doc of this sentence, when it was parsed

    @property
    def text(self) -> str:
        return self.sentence.text

    @property
    def start(self) -> int:
        return self.sentence.start

    @property
    def index(self) -> int:
        return self.sentence.index

    @cached_property
    def dateline_end(self) -> int:
        """Where a dateline opening the sentence ends ("KYIV (Wire) - ", "(Wire) - "), else 0.
        Its place and agency are neither actors nor people: "KYIV" there is not Ukraine acting."""
        m = T.DATELINE.match(self.text) or _AGENCY_ONLY_DATELINE.match(self.text)
        return m.end() if m else 0

    @cached_property
    def all_actors(self) -> list[tuple[int, int, A.Actor]]:
        """Every actor named in the sentence, the dateline's place included (for `mentions`)."""
        return A.find_actors(self.text)

    @cached_property
    def actors(self) -> list[tuple[int, int, A.Actor]]:
        """Actors that can act in the sentence: not the dateline's place or agency."""
        cut = self.dateline_end
        return [(s, e, a) for s, e, a in self.all_actors if s >= cut]

    @cached_property
    def dates(self) -> list[D.DateMention]:
        """Date phrases of the sentence, except a dateline's date ("BEIRUT, Aug. 23, 2024 (Wire) -"
        dates the report, not the event)."""
        cut = self.dateline_end
        return [d for d in D.find_dates(self.text, self.article.published_at) if d.start >= cut]

    @cached_property
    def persons(self) -> list[tuple[int, int, str]]:
        """PERSON entities from the parse (empty when the sentence was not parsed)."""
        if self.doc is None:
            return []
        out: list[tuple[int, int, str]] = []
        for e in self.doc.ents:
            if e.label_ != "PERSON" or e.start_char < self.dateline_end:
                continue
            if out and self.text[out[-1][1]:e.start_char] == " ":  # "Mahmoud Salem" + "Abu Hasira"
                out[-1] = (out[-1][0], e.end_char, self.text[out[-1][0]:e.end_char])
            else:
                out.append((e.start_char, e.end_char, e.text))
        return out

    @cached_property
    def place_mentions(self) -> list:
        """Place phrases of the parse with their level, role and parent (pipelines/locations.py)."""
        from pipelines import locations

        return locations.mentions(self)

    @cached_property
    def places(self) -> list[tuple[int, int, P.Place]]:
        """Places named in the sentence: GPE/LOC/FAC entities of the parse, and capitals or
        countries found by the gazetteer, resolved to coordinates where known."""
        found: dict[tuple[int, int], P.Place] = {}
        not_places = [(s, e) for s, e, a in self.actors if a.kind not in ("country", "government")]
        if self.doc is not None:
            for ent in self.doc.ents:
                if any(s < ent.end_char and ent.start_char < e for s, e in not_places):
                    continue  # "Hamas" is an armed group, not a town
                if ent.label_ in ("GPE", "LOC", "FAC"):
                    name = re.sub(r"^(?:the|The)\s+", "", ent.text)
                    place = P.resolve_place(name, self._country_hint(ent.end_char - len(name), ent.end_char))
                    if place is not None:
                        found[(ent.end_char - len(name), ent.end_char)] = place
        date_spans = [(d.start, d.end) for d in self.dates]
        for m in _CAPITALISED_AFTER_PREP.finditer(self.text):
            span = (m.start("place"), m.end("place"))
            if any(s <= span[0] < e for s, e in found) or any(s < span[1] and span[0] < e for s, e in not_places + date_spans):
                continue
            if m.group("place").split()[0].lower() in _CALENDAR_WORDS:
                continue
            place = P.resolve_place(m.group("place"), self._country_hint(*span))
            if place is not None:
                found[span] = place
        return sorted(((s, e, p) for (s, e), p in found.items()), key=lambda t: t[0])

    def _country_hint(self, start: int, end: int) -> str | None:
        """The country a place name is tied to in the text: the capital itself ("Moscow" is
        Russia's), a country just before it ("the Syrian town of X", "Syria's X") or just
        after it ("X, Syria"). Another country elsewhere in the sentence is no hint."""
        for s, e, actor in self.actors:
            if actor.kind == "country" and actor.iso3:
                if s <= start and end <= e:
                    return actor.iso3
                if e <= start and start - e <= 30 and not re.search(r"[,;.]", self.text[e:start]):
                    return actor.iso3
                if s >= end and s - end <= 3 and self.text[end:s].strip() == ",":
                    return actor.iso3
        return None

    def first_date(self) -> D.DateMention | None:
        """The first date phrase that dates the sentence's event: not one inside a relative
        clause about a person ("an activist who had led protests in 2019")."""
        for i, d in enumerate(self.dates):
            clause = self.text[:d.start]
            if _REPORT_DATE.search(clause) and i + 1 < len(self.dates):
                continue  # "said on Tuesday that it had killed ... on Monday": Monday
            clause = clause[max(clause.rfind(","), clause.rfind(";")) + 1:]
            if not _RELATIVE.search(clause):
                return d
        return None

    def titled_people(self) -> list[tuple[int, int, Person]]:
        """Officials named with a title in this sentence ("Foreign Minister Sergei Lavrov")."""
        # new Person objects on every call, as before: ArticleView.remember keeps and updates them
        return [(s, e, Person(name, title, iso3, org)) for s, e, name, title, iso3, org in _titled(self.text)]


@lru_cache(maxsize=1 << 13)
def _titled(text: str) -> tuple[tuple[int, int, str, str | None, str | None, str | None], ...]:
    """(start, end, name, title, iso3, org) of the officials named with a title in a text; a
    pure function of it, asked for several times per sentence (visits, people, extract)."""
    out = []
    for m in titled_names(text):
        person = _person_from_match(m)
        if person is not None:
            out.append((m.start("name"), m.end("name"), person.name, person.title, person.iso3, person.org))
    return tuple(out)


def _person_from_match(m: re.Match) -> Person | None:
    name = re.sub(r"(?:'s|’s)$", "", m.group("name").strip())
    if A.resolve_actor(name) is not None or name.lower() in _NOT_NAMES:
        return None
    title = " ".join(m.group("title").split())
    org_text = (m.group("org") or "").strip()
    iso3 = org = None
    if org_text:
        actor = _actor_in(org_text)
        if actor is not None:
            iso3, org = actor.iso3, actor.canonical
    if iso3 is None and _US_TITLES.match(title):
        iso3, org = "USA", org or "United States"
    return Person(name, title, iso3, org)


_CALENDAR_WORDS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "christmas", "easter", "ramadan", "eid",
}
_NOT_NAMES = {"said", "says", "told", "on", "in", "the", "a"}
_CAPITALISED_AFTER_PREP = re.compile(
    r"\b(?:[Ii]n|near|outside|around|at|on|to|into|from|of|across|over|targeting|hit|struck|toward|towards)\s+(?:the\s+)?"
    r"(?:(?:central|downtown|northern|southern|eastern|western|north-?eastern|north-?western|south-?eastern|south-?western)\s+)?"
    r"(?P<place>[A-Z][\w'’-]*?(?:[ -](?:al-|el-|ez-|ad-|as-|an-)?[A-Z][\w'’-]*?){0,3})(?=['’]s\b|[^\w'’-]|$)"
)


def _actor_in(text: str) -> A.Actor | None:
    found = A.find_actors(text)
    return found[0][2] if found else None


def resolve_date_fields(view: SentenceView) -> dict:
    """date_text, event_date, date_precision from the first date phrase of the sentence."""
    d = view.first_date()
    if d is None:
        return {"date_text": None, "event_date": None, "date_precision": None}
    return {"date_text": d.text, "event_date": d.date, "date_precision": d.precision if d.date else None}


