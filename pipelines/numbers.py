"""Counts of people and things in news sentences: "at least 12", "dozens", "between 10 and 15".

`find_counts` finds numbers that count something (casualties, launchers, aircraft) and reads
their bounds and qualifier; `parse_count` reads one such phrase.

Bounds and qualifiers (`low`, `high`, `qualifier`):
- "12", "twelve", "one hundred (100)", "a dozen" -> n, n, exact.
- at least: "at least", "more than", "over", "in excess of", "upwards of", "no fewer than",
  "just over", "n or more" -> n, None. "more than 20" gives low 20, a valid (not tight) lower
  bound that matches the stated figure.
- up to: "up to", "as many as", "no more than", "fewer than", "less than", "under" -> None, n.
- about: "about", "around", "approximately", "roughly", "some", "an estimated", "nearly",
  "almost", "close to", "just under", "n or so" -> n, n. "nearly 50" is reported as about 50:
  the figure is close to 50, and a missing low bound would drop it from totals.
- range: "between 10 and 15", "10 to 15", "10-15", "two or three" -> low, high.
- vague: several 3/None, a handful 3/5, dozens 24/None, scores 40/None ("scores of" or "scores"
  before a verb), hundreds 200/None, thousands 2,000/None, tens of thousands 20,000/None,
  hundreds of thousands 200,000/None, millions 2,000,000/None, several/a few dozen, hundred,
  thousand -> 3x / 2x the unit, None.

Not counts (skipped): years ("1986", "in 2014"), times ("10 p.m.", "10:30"), dates and date
phrases ("March 3", "two days ago"), ordinals ("3rd"), money ("$5 million"), percentages, ages
("12-year-old", "aged 12", "12 years old"), measurements and durations ("10 km", "three days",
"five times"), compound adjectives ("2,000-pound bomb", "three-day visit"), model numbers and
identifiers ("F-16", "Su-35", "S-400", "G7", "Resolution 2334", "No. 3"), bare decimals ("2.5"),
and the pronoun "one" ("one of the", "no one", "one another").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from pipelines.dates import find_dates
from pipelines.money import find_money


@dataclass(frozen=True)
class Count:
    """A count found in a sentence.

    Attributes:
        text: the phrase as it appears in the sentence, qualifier words included.
        start: offset of the first character in the sentence.
        end: offset one past the last character.
        low: lower bound, None when only an upper bound is given.
        high: upper bound, None when open-ended.
        qualifier: exact | at least | about | up to | range | vague.
    """

    text: str
    start: int
    end: int
    low: int | None
    high: int | None
    qualifier: str


_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_MULTIPLIERS = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_QUALIFIERS = {
    "at least": "at least", "more than": "at least", "over": "at least",
    "in excess of": "at least", "upwards of": "at least", "no fewer than": "at least",
    "no less than": "at least", "a minimum of": "at least", "just over": "at least",
    "or more": "at least",
    "up to": "up to", "as many as": "up to", "as much as": "up to", "as high as": "up to",
    "no more than": "up to", "fewer than": "up to", "less than": "up to", "under": "up to",
    "a maximum of": "up to",
    "about": "about", "around": "about", "approximately": "about", "roughly": "about",
    "some": "about", "an estimated": "about", "estimated": "about", "nearly": "about",
    "almost": "about", "close to": "about", "just under": "about", "circa": "about",
    "or so": "about",
}  # fmt: skip
_VAGUE = {
    "handful": (3, 5), "a handful": (3, 5), "several": (3, None), "dozens": (24, None),
    "scores": (40, None), "hundreds": (200, None), "thousands": (2_000, None),
    "tens of thousands": (20_000, None), "hundreds of thousands": (200_000, None),
    "millions": (2_000_000, None),
    "several dozen": (36, None), "several hundred": (300, None), "several thousand": (3_000, None),
    "a few dozen": (24, None), "a few hundred": (200, None), "a few thousand": (2_000, None),
}  # fmt: skip

_UNIT_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_SMALL = (
    rf"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s]{_UNIT_WORD}\b)?"
    rf"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|{_UNIT_WORD})\b"
)
_HUNDREDS = rf"(?:(?:{_SMALL}|a)\s+hundred\b(?:\s+(?:and\s+)?{_SMALL})?|{_SMALL})"
_WORD_NUMBER = (
    rf"(?i:(?:{_HUNDREDS}|a)\s+(?:thousand|million)\b(?:,?\s+(?:and\s+)?{_HUNDREDS})?"
    rf"|half\s+a\s+dozen|(?:a|{_UNIT_WORD})\s+dozen|{_HUNDREDS})\b"
)
_DIGIT_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[\s-](?i:thousand|million|billion)\b)?(?![\w%]|[.,]\d|:\d)"
_NUMBER = rf"(?:{_DIGIT_NUMBER}|{_WORD_NUMBER})"
_QUALIFIER = (
    r"(?i:at\s+least|more\s+than|over|in\s+excess\s+of|upwards\s+of|no\s+fewer\s+than"
    r"|no\s+less\s+than|a\s+minimum\s+of|just\s+over|up\s+to|as\s+many\s+as|as\s+much\s+as"
    r"|as\s+high\s+as|no\s+more\s+than|fewer\s+than|less\s+than|under|a\s+maximum\s+of|about"
    r"|around|approximately|roughly|some|an\s+estimated|estimated|nearly|almost|close\s+to"
    r"|just\s+under|circa)"
)
_VAGUE_RE = (
    r"(?i:tens\s+of\s+thousands|hundreds\s+of\s+thousands|(?:several|a\s+few)\s+(?:dozen|hundred|thousand)\b"
    r"|a\s+handful|handful|dozens|hundreds|thousands|millions|several"
    r"|scores(?=\s+(?:of|were|are|have|had|more|killed|wounded|injured|dead|died)\b))\b"
)

_COUNT_RE = re.compile(
    rf"""
    (?<![\w$€£¥₹₽₩₪₺₴#/:.,\-–])(?=\w)
    (?:
        (?P<between>(?i:between)\s+(?P<b_low>{_NUMBER})\s+(?i:and)\s+(?P<b_high>{_NUMBER}))
      | (?P<range>(?P<r_low>{_DIGIT_NUMBER})\s*[-–—]\s*(?P<r_high>{_DIGIT_NUMBER})
            |(?P<w_low>{_NUMBER})\s+(?i:to|or)\s+(?P<w_high>{_NUMBER}))
      | (?P<vague>{_VAGUE_RE})
      | (?P<single>(?:(?P<qual>{_QUALIFIER})\s+)?(?P<num>{_NUMBER})
            (?:\s*\((?P<echo>\d{{1,3}}(?:,\d{{3}})+|\d+)\))?(?P<sufq>\s+or\s+(?i:more|so)\b)?)
    )
    """,
    re.VERBOSE,
)

# Context that makes a number something other than a count.
_NOT_COUNT_AFTER = re.compile(
    r"""^(?:
        \s?(?:%|(?i:percent|per\s*cent|percentage)\b)
      | \s?(?:a\.m\.|p\.m\.|(?i:am|pm|gmt|utc|hrs|o'clock)\b|[ap]m\b)
      | [-–](?:[A-Za-z])                                  # 12-year-old, 2,000-pound, three-day
      | \s+(?i:years?\s+old)\b
      | \s+(?i:times|points|seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?
            |centuries|km|kms|kilomet(?:re|er)s?|miles?|met(?:re|er)s?|m|feet|ft|inch(?:es)?|cm|mm
            |kg|kilos?|kilograms?|tonnes?|tons?|pounds?|lbs?|degrees?|knots?|mph|hectares?|acres?
            |lit(?:re|er)s?|gallons?|nautical|sq|square|per)\b
      | \s*/\s*\d
    )""",
    re.VERBOSE,
)
_NOT_COUNT_BEFORE = re.compile(
    r"""(?:
        \b(?i:aged?|ages|no\.|nos\.|number|resolution|article|section|chapter|clause|paragraph|page
            |flight|route|highway|road|room|unit|brigade|division|battalion|regiment|corps|block
            |gate|building|level|phase|platform|sector|zone|district|apartment|hall|channel|line
            |model|version|type|class|series|grade|stage|category|camp|checkpoint|kilometre|km)\.?
    )\s*$""",
    re.VERBOSE,
)
_YEAR_LIKE = re.compile(r"(?:1[89]|20)\d\d")
_YEAR_PREPOSITION = re.compile(r"\b(?i:in|since|during|by|until|till|before|after|from|of|year|early|late|mid)\s*$")
_PLURAL_NOUN_AFTER = re.compile(r"\s+([a-z]+s)\b")
_NOT_PLURAL_NOUNS = frozenset(
    "was has is as this us its his yes less unless always perhaps towards across besides thus plus".split()
)
_PRONOUN_ONE_AFTER = re.compile(
    r"\s+(?i:of|another|day|point|time|way|hand|side|thing|or|and|by|in|on|at|to|who|that|which"
    r"|is|was|has|had|would|will|could|said|says|year|more|last|such)\b|\s*[^\w\s(]|\s*$"
)
_PRONOUN_ONE_BEFORE = re.compile(r"\b(?i:no|any|every|each|some|the|this|that|which|someone|anyone|only)\s+$")
_TRIGGER_WORDS = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "teen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
    "ninety", "hundred", "thousand", "million", "dozen", "several", "handful", "scores",
)  # fmt: skip
_DIGIT = re.compile(r"\d")
_TOKEN = re.compile(r"\w+")
_WORD_START = re.compile(r"(?<!\w)\w")
_LOOKBACK = 32
_ANCHOR_WORDS = frozenset(_UNITS) | {
    "hundred", "thousand", "million", "dozen", "dozens", "several", "handful", "scores",
    "hundreds", "thousands", "millions", "tens",
}  # fmt: skip
_DIGITS_WITH_SCALE = re.compile(r"(?P<amount>[\d,]+(?:\.\d+)?)(?:[\s-](?P<scale>(?i:thousand|million|billion)))?")


def find_counts(sentence: str) -> list[Count]:
    """All counts in `sentence`, in order (see the module docstring for what is skipped).

    Never raises; returns [] for text without counts.
    """
    if not isinstance(sentence, str) or not _may_contain_count(sentence):
        return []
    candidates = [(m, count) for m in _count_matches(sentence) if (count := _count_from_match(m))]
    if not candidates:
        return []
    # Money amounts and date phrases ("$5 million", "3 March", "two days ago") are not counts.
    blocked = [(x.start, x.end) for x in find_money(sentence)]
    blocked += [(x.start, x.end) for x in find_dates(sentence, None)]
    return [
        count
        for m, count in candidates
        if not any(start < m.end() and m.start() < end for start, end in blocked)
        and _is_count_context(m, sentence)
    ]


def parse_count(text: str) -> Count | None:
    """The first count in `text` ("at least 12", "dozens"), or None. Never raises."""
    if not isinstance(text, str):
        return None
    return _parse_count(text)


@lru_cache(maxsize=1 << 14)
def _parse_count(text: str) -> Count | None:
    """parse_count of a string: a pure function of it (Count is frozen), asked of the same short
    phrases ("at least 12 people", "two") again and again."""
    found = find_counts(text)
    return found[0] if found else None


def _count_matches(sentence: str) -> list[re.Match[str]]:
    """Matches of `_COUNT_RE`, left to right, tried only near number tokens.

    Scanning every position with the full expression costs about 0.6 µs a character; instead
    each number token ("12", "twelve", "dozens") is tried from the word starts up to
    `_LOOKBACK` characters before it (where a qualifier such as "no fewer than" or "between"
    may begin), earliest first, and the first match that reaches the token is kept.
    """
    matches: list[re.Match[str]] = []
    done = 0
    for token in _TOKEN.finditer(sentence):
        word = token[0]
        if token.start() < done or not (word[0].isdigit() or word.lower() in _ANCHOR_WORDS):
            continue
        low = max(done, token.start() - _LOOKBACK)
        starts = [w.start() for w in _WORD_START.finditer(sentence, low, token.start())]
        for start in [*starts, token.start()]:
            m = _COUNT_RE.match(sentence, start)
            if m is not None and m.end() > token.start():
                matches.append(m)
                done = m.end()
                break
    return matches


def _may_contain_count(text: str) -> bool:
    if _DIGIT.search(text):
        return True
    lowered = text.lower()
    return any(word in lowered for word in _TRIGGER_WORDS)


def _count_from_match(m: re.Match[str]) -> Count | None:
    """Bounds and qualifier of a match, or None when the numbers do not make a count."""
    text, start, end = m[0], m.start(), m.end()
    if m["vague"]:
        low, high = _VAGUE[" ".join(m["vague"].lower().split())]
        return Count(text, start, end, low, high, "vague")
    if m["between"] or m["range"]:
        prefix = "b" if m["between"] else "r" if m["r_low"] else "w"
        low, high = _number(m[f"{prefix}_low"]), _number(m[f"{prefix}_high"])
        if low is None or high is None or low >= high:
            return None
        return Count(text, start, end, low, high, "range")
    value = _number(m["num"])
    if m["echo"]:
        value = _number(m["echo"])
    if value is None:
        return None
    qualifier_text = m["qual"] or m["sufq"]
    qualifier = _QUALIFIERS[" ".join(qualifier_text.lower().split())] if qualifier_text else "exact"
    if qualifier == "at least":
        return Count(text, start, end, value, None, qualifier)
    if qualifier == "up to":
        return Count(text, start, end, None, value, qualifier)
    return Count(text, start, end, value, value, qualifier)


def _number(text: str) -> int | None:
    """Integer value of a digit or word number; None for bare decimals ("2.5")."""
    digits = _DIGITS_WITH_SCALE.fullmatch(text.strip())
    if digits is None:
        return _words_to_int(text.lower().replace("-", " ").replace(",", " ").split())
    try:
        amount = Decimal(digits["amount"].replace(",", ""))
    except InvalidOperation:
        return None
    value = amount * _MULTIPLIERS.get((digits["scale"] or "").lower(), 1)
    return int(value) if value == value.to_integral_value() else None


def _words_to_int(words: list[str]) -> int | None:
    """Value of a spelled-out number ("two hundred and fifty", "a dozen", "half a dozen")."""
    if words[:1] == ["half"]:
        return 6 if words[-1:] == ["dozen"] else None
    total, current = 0, 0
    for word in words:
        if word in _UNITS:
            current += _UNITS[word]
        elif word == "a":
            current += 1
        elif word == "hundred":
            current = (current or 1) * 100
        elif word == "dozen":
            current = (current or 1) * 12
        elif word in _MULTIPLIERS:
            total += (current or 1) * _MULTIPLIERS[word]
            current = 0
        elif word != "and":
            return None
    return total + current


def _is_count_context(m: re.Match[str], sentence: str) -> bool:
    """False when what surrounds the match makes it a year, age, time, unit, model number, ..."""
    before = sentence[max(0, m.start() - 20) : m.start()]
    after = sentence[m.end() : m.end() + 40]
    if _NOT_COUNT_AFTER.match(after) or _NOT_COUNT_BEFORE.search(before):
        return False
    number = m["num"] or m["r_low"] or m["w_low"] or m["b_low"]
    if number and _YEAR_LIKE.fullmatch(number) and not m["echo"]:
        if _YEAR_PREPOSITION.search(before):
            return False
        noun = _PLURAL_NOUN_AFTER.match(after)
        return noun is not None and noun[1] not in _NOT_PLURAL_NOUNS
    if m["num"] and m["num"].lower() == "one" and not m["qual"]:
        return not (_PRONOUN_ONE_AFTER.match(after) or _PRONOUN_ONE_BEFORE.search(before))
    return True
