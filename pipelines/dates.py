"""Date expressions in news sentences: find them, and resolve them against the publication date.

`find_dates` locates date phrases with one compiled regular expression and resolves each with
the rules below; `resolve_date` resolves a single phrase, and only falls back to dateparser
(English, past-preferring, relative to the publication date) for phrases the grammar here does
not cover. dateparser is not used for the common forms because it resolves "on Thursday" to the
previous week in a Thursday article and turns month phrases ("in February 2022") into a day.

Conventions (see docs/CONTRACTS.md):
- `date` is the first day of the period: week -> its Monday, month -> the 1st, year -> 1 January.
- Only the date of `published_at` is used (its time zone as given; no conversion).
- The mention text never includes a leading preposition ("on", "in", "since", "during", "of",
  "back in"): "on Thursday" -> "Thursday", "back in March" -> "March", "in 2014" -> "2014".
  Words that change the meaning are kept: "last Thursday", "earlier this week", "two days ago",
  "over the weekend", "early 2014", "mid-March".
- A bare year ("1986") or a bare month name ("March") is only a date when a preposition
  (in/since/during/of, and for months also by/until/from/before/after/through) or a modifier
  (early/mid/late) introduces it, so "May" the modal verb or "2000 troops" are not dates.

Resolution rules, relative to the publication date P:
- weekday ("Thursday", "on Thursday", "Thursday night"): the most recent such day on or before P
  (P itself when P is a Thursday), or, after a future verb in the same clause ("will travel ...
  on Thursday", "is due to", "plans to"), the first such day on or after P; "last Thursday": strictly before P; "this Thursday": that day
  of P's Monday-to-Sunday week; "next Thursday": strictly after P.
- today, tonight, this morning/afternoon/evening, earlier/later today: P.
- overnight: P. The night that ends on the publication day is the one reported; choosing the
  day before for early-morning articles would rest on publication times whose time zone is often
  wrong, so P is used and the precision stays "day".
- yesterday, last night: P - 1; the day before yesterday: P - 2; tomorrow: P + 1.
- this/earlier this/later this week: week of P; last week: the week before; next week: the week
  after; over/at the weekend, last weekend: the week holding the most recent Saturday before P
  (or P's own weekend when P is a Saturday or Sunday).
- this/last/next month, earlier this month: month; this/last/next year, earlier this year: year.
- "March" after a preposition or modifier: the most recent March not after P (month);
  "last March": the most recent March strictly before P's month.
- "March 3" / "3 March" without a year: the most recent 3 March not after P (day).
- "N days/weeks/months/years ago": P minus N units, with the unit as precision (day, week,
  month, year); vague N ("a few", "several") lowers the precision one step.
- Absolute forms ("March 3, 2024", "3 March 2024", "2024-03-03", "February 2022", "in 2014")
  resolve without P. With P unknown every relative phrase resolves to (None, None) but is still
  reported by `find_dates`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateparser.date import DateDataParser


@dataclass(frozen=True)
class DateMention:
    """A date phrase found in a sentence and its resolution.

    Attributes:
        text: the phrase as it appears in the sentence (``sentence[start:end]``).
        start: offset of the first character in the sentence.
        end: offset one past the last character.
        date: the first day of the period meant, or None when it cannot be resolved.
        precision: "day", "week", "month" or "year"; None when ``date`` is None.
    """

    text: str
    start: int
    end: int
    date: date | None
    precision: str | None


_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "a couple of": 2, "couple of": 2,
}  # fmt: skip
_VAGUE_NUMBERS = {"a few": 3, "few": 3, "several": 3}
_COARSER = {"day": "week", "week": "month", "month": "year", "year": "year"}

# Month names: capitalised only ("may" is a verb, "march" a noun). Full names for the forms
# without a day number; abbreviations ("Sept.", "Dec") only next to a day number.
_MONTH_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MONTH_ANY = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?"
    r"|Aug(?:ust|\.)?|Sep(?:t(?:ember|\.)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PART_OF_DAY = r"(?:\s+(?i:morning|afternoon|evening|night))?"
_YEAR = r"(?:19|20)\d{2}"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_DAY_RANGE = r"(?:\s*[-–]\s*(?:3[01]|[12]\d|0?[1-9])(?!\d))?"
_AGO_NUMBER = (
    r"(?:\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|(?:a\s+)?couple\s+of|a\s+few|few|several)"
)
_YEAR_NOT_COUNT = (
    r"(?!\s+(?:people|persons|troops|soldiers|civilians|fighters|militants|men|women|children"
    r"|refugees|residents|rockets|missiles|drones|shells|rounds|tanks|vehicles|units|jobs)\b)"
)

# One alternative per phrase form; each outer group name is the form, inner names are prefixed
# with it. Alternatives that can start at the same position are ordered longest first.
_DATE_RE = re.compile(
    rf"""
    (?<!\w)(?=\w)  # every form starts a word; checked once per position before the alternatives
    (?:
    (?P<iso>(?<![\d-])(?P<iso_y>{_YEAR})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>0[1-9]|[12]\d|3[01])(?![\d-]))
  | (?P<mdy>(?<!\w)(?:{_WEEKDAY},?\s+)?(?P<mdy_m>{_MONTH_ANY})\s+(?P<mdy_d>{_DAY})(?!\d){_DAY_RANGE}
        (?!\w)(?:,?\s+(?P<mdy_y>{_YEAR})(?![\d,]?\d))?)
  | (?P<dmy>(?<!\w)(?:{_WEEKDAY},?\s+)?(?:the\s+)?(?P<dmy_d>{_DAY}){_DAY_RANGE}\s+(?:of\s+)?
        (?P<dmy_m>{_MONTH_ANY})(?!\w)(?:,?\s+(?P<dmy_y>{_YEAR})(?![\d,]?\d))?)
  | (?P<my>(?<!\w)(?:(?i:early|mid|late)[-\s])?(?P<my_m>{_MONTH_FULL}),?\s+(?:of\s+)?
        (?P<my_y>{_YEAR})(?![\d,]?\d))
  | (?P<ago>(?<!\w)(?P<ago_n>(?i:{_AGO_NUMBER}))\s+(?P<ago_u>(?i:hour|day|week|month|year))s?\s+(?i:ago)\b)
  | (?P<rel>(?<!\w)(?P<rel_mod>(?i:(?:earlier|later|late|early)\s+)?(?i:this|last|next))\s+
        (?P<rel_u>(?i:weekend|week|month|year))\b)
  | (?P<wkend>(?<!\w)(?i:over|at|during)\s+the\s+(?i:weekend)\b)
  | (?P<word>(?<!\w)(?P<word_w>(?i:the\s+day\s+before\s+yesterday|yesterday|today|tonight|tomorrow
        |overnight|last\s+night|(?:earlier|later)\s+today|this\s+(?:morning|afternoon|evening)))
        {_PART_OF_DAY}\b)
  | (?P<wd>(?<!\w)(?:(?P<wd_mod>(?i:last|this|next))\s+|(?i:late|early)\s+)?
        (?P<wd_d>{_WEEKDAY}){_PART_OF_DAY}\b)
  | (?P<lastmon>(?<!\w)(?i:last)\s+(?P<lastmon_m>{_MONTH_FULL})\b(?!\s*\d))
  | (?P<mon>(?<!\w)(?:(?P<mon_prep>(?i:back\s+in|in|since|during|of|by|until|till|from|before|after|through)\s+)
        (?P<mon_mod>(?i:early|mid|late)[-\s]+|(?i:the\s+(?:end|beginning|start|middle)\s+of)\s+)?
        |(?P<mon_mod2>(?i:early|mid|late)[-\s]+))(?P<mon_m>{_MONTH_FULL})\b(?!\s*\d))
  | (?P<yr>(?<!\w)(?P<yr_prep>(?i:in|since|during|of)\s+)(?:(?i:early|mid|late)[-\s]+)?
        (?P<yr_y>{_YEAR})(?![\d,.]?\d)(?!s\b|-\d|\s*%|\s*per\s*cent)(?![\w'’-]){_YEAR_NOT_COUNT})
    )
    """,
    re.VERBOSE,
)

# Cheap test run before the big expression: every form contains a digit, a capitalised month
# abbreviation or one of these words (weekday names and "today"/"yesterday" contain "day").
_DIGIT = re.compile(r"\d")
_TRIGGER_WORDS = ("day", "night", "week", "month", "year", "ago", "morning", "afternoon", "evening", "tomorrow")
_TRIGGER_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LEADING_PREP = re.compile(r"^\s*(?i:back\s+in|in|on|since|during|of)\s+(?=\S)")
_FALLBACK_MAX_CHARS = 60
# Two unrelated reference dates: a phrase that dateparser resolves identically against both is
# absolute, so it can be resolved without a publication date.
_ABSOLUTE_PROBES = (datetime(2001, 6, 15, 12), datetime(2013, 11, 20, 12))


def _pub_date(published_at: datetime | date | None) -> date | None:
    """The calendar date of the publication timestamp (or date), None for anything else."""
    if isinstance(published_at, datetime):
        return published_at.date()
    if isinstance(published_at, date):
        return published_at
    return None


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _add_months(d: date, months: int) -> date:
    """First day of the month `months` after (negative: before) the month of `d`."""
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _month_number(name: str) -> int:
    return _MONTHS[name[:3].lower()]


def _day_number(text: str) -> int:
    return int(text.rstrip("stndrh"))


def _recent_day(month: int, day: int, pub: date) -> date | None:
    """The most recent `day` of `month` on or before `pub` (29 February: within four years)."""
    for year in range(pub.year, pub.year - 5, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= pub:
            return candidate
    return None


def _weekday(m: re.Match[str], pub: date, future: bool = False) -> date:
    target = _WEEKDAYS.index(m["wd_d"].lower())
    modifier = (m["wd_mod"] or "").lower()
    back = (pub.weekday() - target) % 7
    if future and not modifier:  # "will travel to Riyadh on Tuesday": the coming Tuesday
        return pub + timedelta(days=(target - pub.weekday()) % 7)
    if modifier == "last":
        return pub - timedelta(days=back or 7)
    if modifier == "next":
        return pub + timedelta(days=(target - pub.weekday()) % 7 or 7)
    if modifier == "this":
        return _monday(pub) + timedelta(days=target)
    return pub - timedelta(days=back)


def _ago(m: re.Match[str], pub_dt: datetime | date, pub: date) -> tuple[date, str]:
    count_text = " ".join(m["ago_n"].lower().split())
    unit = m["ago_u"].lower()
    vague = count_text in _VAGUE_NUMBERS
    n = _VAGUE_NUMBERS[count_text] if vague else _SMALL_NUMBERS.get(count_text) or int(count_text)
    if unit == "hour":
        # with a date-only publication the time of day is unknown: whole days only, so "30 hours
        # ago" is the day before, never the publication day itself
        moment = pub_dt - timedelta(hours=n) if isinstance(pub_dt, datetime) else pub - timedelta(days=n // 24)
        result, precision = _pub_date(moment) or pub, "day"
    elif unit == "day":
        result, precision = pub - timedelta(days=n), "day"
    elif unit == "week":
        result, precision = _monday(pub - timedelta(weeks=n)), "week"
    elif unit == "month":
        result, precision = _add_months(pub, -n), "month"
    else:
        result, precision = date(pub.year - n, 1, 1), "year"
    if vague:
        precision = _COARSER[precision]
    return _normalise(result, precision), precision


def _normalise(d: date, precision: str) -> date:
    """Move `d` to the first day of its period."""
    if precision == "week":
        return _monday(d)
    if precision == "month":
        return d.replace(day=1)
    if precision == "year":
        return date(d.year, 1, 1)
    return d


def _relative(m: re.Match[str], pub: date) -> tuple[date, str]:
    modifier = m["rel_mod"].lower().split()[-1]
    unit = m["rel_u"].lower()
    step = {"this": 0, "last": -1, "next": 1}[modifier]
    if unit == "weekend":
        return _weekend(pub, step), "week"
    if unit == "week":
        return _monday(pub) + timedelta(weeks=step), "week"
    if unit == "month":
        return _add_months(pub, step), "month"
    return date(pub.year + step, 1, 1), "year"


def _weekend(pub: date, step: int) -> date:
    """Monday of the week holding the weekend meant: the latest one unless `step` is 1."""
    if step == 1:
        return _monday(pub) + timedelta(weeks=1)
    if pub.weekday() >= 5 and step == 0:
        return _monday(pub)
    return _monday(pub) - timedelta(weeks=1)


def _word(m: re.Match[str], pub: date) -> date:
    word = " ".join(m["word_w"].lower().split())
    if word == "the day before yesterday":
        return pub - timedelta(days=2)
    if word in ("yesterday", "last night"):
        return pub - timedelta(days=1)
    if word == "tomorrow":
        return pub + timedelta(days=1)
    return pub


def _resolve_match(m: re.Match[str], published_at: datetime | date | None, future: bool = False) -> tuple[date | None, str | None, bool]:
    """Resolve a match of `_DATE_RE`: (date, precision, valid).

    `valid` is False when the phrase names an impossible date ("February 30, 2024").
    """
    pub = _pub_date(published_at)
    form = m.lastgroup
    try:
        if form == "iso":
            return date(int(m["iso_y"]), int(m["iso_m"]), int(m["iso_d"])), "day", True
        if form in ("mdy", "dmy"):
            month, day = _month_number(m[f"{form}_m"]), _day_number(m[f"{form}_d"])
            if m[f"{form}_y"]:
                return date(int(m[f"{form}_y"]), month, day), "day", True
            date(2000, month, day)  # validates the day in a leap year
            if pub is None:
                return None, None, True
            found = _recent_day(month, day, pub)
            return found, "day" if found else None, True
        if form == "my":
            return date(int(m["my_y"]), _month_number(m["my_m"]), 1), "month", True
        if form == "yr":
            return date(int(m["yr_y"]), 1, 1), "year", True
    except ValueError:
        return None, None, False
    if pub is None or published_at is None:
        return None, None, True
    if form == "ago":
        found, precision = _ago(m, published_at, pub)
        return found, precision, True
    if form == "rel":
        found, precision = _relative(m, pub)
        return found, precision, True
    if form == "wkend":
        return _weekend(pub, 0), "week", True
    if form == "word":
        return _word(m, pub), "day", True
    if form == "wd":
        return _weekday(m, pub, future), "day", True
    if form in ("mon", "lastmon"):
        month = _month_number(m[f"{form}_m"])
        strictly_before = form == "lastmon"
        year = pub.year if month < pub.month or (month == pub.month and not strictly_before) else pub.year - 1
        return date(year, month, 1), "month", True
    return None, None, False


def _may_contain_date(text: str) -> bool:
    """False when `text` cannot hold any date phrase of the grammar (the common case)."""
    if _DIGIT.search(text) or any(month in text for month in _TRIGGER_MONTHS):
        return True
    lowered = text.lower()
    return any(word in lowered for word in _TRIGGER_WORDS)


def _mention_start(m: re.Match[str]) -> int:
    """Start of the mention text: after a leading preposition captured by the match."""
    for group in ("mon_prep", "yr_prep"):
        if m[group]:
            return m.end(group)
    return m.start()


# A future verb in the clause before a bare weekday: the weekday is the coming one ("will travel
# to Riyadh on Tuesday", "is due to arrive on Friday"), not the one before publication.
_FUTURE = re.compile(
    r"\b(?:will|shall|(?:is|are)\s+(?:due|expected|scheduled|set|going)\s+to|plans?\s+to|planned\s+to)\b",
    re.IGNORECASE,
)


def _future_clause(sentence: str, start: int) -> bool:
    """A future verb between the start of the weekday's clause (the last comma or semicolon
    before it, at most 90 characters back) and the weekday."""
    window = sentence[max(0, start - 90):start]
    cut = max(window.rfind(","), window.rfind(";"))
    return bool(_FUTURE.search(window[cut + 1:]))


def find_dates(sentence: str, published_at: datetime | None) -> list[DateMention]:
    """All date phrases in `sentence`, in order, resolved against `published_at`.

    Relative phrases are kept with date None when `published_at` is None; impossible dates
    ("31 June 2020") are dropped. Never raises.
    """
    if not isinstance(sentence, str) or not _may_contain_date(sentence):
        return []
    mentions: list[DateMention] = []
    for m in _DATE_RE.finditer(sentence):
        future = m.lastgroup == "wd" and _future_clause(sentence, m.start())
        resolved, precision, valid = _resolve_match(m, published_at, future)
        if not valid:
            continue
        start = _mention_start(m)
        mentions.append(DateMention(sentence[start : m.end()], start, m.end(), resolved, precision))
    return mentions


def resolve_date(phrase: str, published_at: datetime | None) -> tuple[date | None, str | None]:
    """Resolve one date phrase ("last Thursday", "in February 2022") to (date, precision).

    A leading preposition is ignored. Phrases outside the grammar of this module go to dateparser
    (English, PREFER_DATES_FROM past, RELATIVE_BASE the publication time); without a publication
    date only phrases dateparser reads as absolute are resolved. Returns (None, None) when
    nothing can be resolved. Never raises.
    """
    if not isinstance(phrase, str):
        return None, None
    text = _LEADING_PREP.sub("", phrase.strip(" \t\n,.;:()"))
    if not text:
        return None, None
    stripped = phrase.strip(" \t\n,.;:()")
    m = _DATE_RE.fullmatch(stripped) or _DATE_RE.fullmatch(text)
    if m is not None:
        resolved, precision, _ = _resolve_match(m, published_at)
        return resolved, precision
    return _dateparser_fallback(text, published_at)


def _dateparser_fallback(text: str, published_at: datetime | None) -> tuple[date | None, str | None]:
    if len(text) > _FALLBACK_MAX_CHARS or not _may_contain_date(text):
        return None, None
    pub = _pub_date(published_at)
    if pub is not None:
        base = published_at if isinstance(published_at, datetime) else datetime(pub.year, pub.month, pub.day)
        return _dateparser(text, base.replace(tzinfo=None))
    first, second = (_dateparser(text, probe) for probe in _ABSOLUTE_PROBES)
    return first if first == second else (None, None)


def _dateparser(text: str, base: datetime) -> tuple[date | None, str | None]:
    settings = {"PREFER_DATES_FROM": "past", "RELATIVE_BASE": base}
    try:
        data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    except Exception:  # dateparser raises assorted errors on odd input; the contract forbids raising
        return None, None
    if data is None or data.date_obj is None:
        return None, None
    precision = data.period if data.period in ("day", "week", "month", "year") else "day"
    return _normalise(data.date_obj.date(), precision), precision
