"""Text normalisation, boilerplate removal, datelines, language identification and sentences.

Everything downstream points into the text this module produces (`articles.text`), so the
normalisation is done once, at ingest, and never again: evidence offsets are offsets into it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

# Lines a scraper keeps that are not part of the report: share/subscribe/comment prompts,
# advertising labels, bylines and credits. Matched against a whole (stripped) line only.
_BOILERPLATE = re.compile(
    r"""^(?:
        (?:share|tweet|email|print|save)(?:\s+(?:this|the)\s+(?:article|story|page))?(?:\s+on\s+\w+)?
      | share\s+(?:on|via)\s+[\w ,]+
      | (?:subscribe|sign\s+up|register|log\s*in)(?:\s+(?:now|today|here|for|to|and|or)\b.{0,80})?[.!]?
      | (?:follow\s+us|like\s+us)\b.{0,60}
      | (?:view\s+)?comments?(?:\s*\(\d+\))?
      | \d+\s+comments?
      | (?:leave|post|add)\s+a\s+comment.{0,40}
      | advertisement | sponsored(?:\s+content)? | promoted | ad
      | (?:read|see)\s+(?:more|also)\b.{0,120}
      | related(?:\s+(?:articles?|stories|coverage|content|news|links?|topics?|reading))?\s*(?::.{0,120})?
      | click\s+here\b.{0,100}
      | (?:copyright\s*(?:©|\(c\))?\s*(?:\d{4}|©|\(c\))|©|\(c\)\s).{0,120}
      | .{0,120}all\s+rights\s+reserved\.?
      | \(?(?:reporting|writing|editing|additional\s+reporting)\s+by\s+(?-i:[A-Z]).{0,200}
      | (?:photo(?:graph)?s?|image|picture)(?:\s+credit)?\s*:\s*[^.]{0,160}\.?
      | (?:photo(?:graph)?|image|picture)\s+(?:by|courtesy\s+of)\s+(?-i:[A-Z])[^.]{0,120}
      | (?:updated|published|posted|last\s+modified)(?:\s+on)?:?\s[^.]{0,40}\d[^.]{0,40}
      | (?:\d+\s+)?min(?:ute)?s?\s+read
      | listen\s+to\s+(?:this\s+)?(?:article|story).{0,40}
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# "MOSCOW (Reuters) -", "KYIV, Ukraine (AP) —", "WASHINGTON, March 3, 2024 (Wirewire) -",
# "BEIRUT -", "GENEVA, March 3 —". The place is upper case; the date and agency are optional.
DATELINE = re.compile(
    r"""^(?P<place>[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ .'’-]{1,40}?)
        (?:,\s*(?P<region>[A-Z][A-Za-z .'’-]{1,40}?))?
        (?:,\s*(?P<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,\s*\d{4})?))?
        \s*(?:\((?P<agency>[^()\n]{1,40})\))?
        \s*[-–—]+\s+""",
    re.VERBOSE,
)

# "By Jane Doe", "By Jane Doe and John Roe, Staff Reporters", "By JANE DOE | Wirewire":
# a line of its own that does not end like a sentence.
# Case matters: a name is capitalised ("By Thursday the talks..." is not a byline: see _NOT_NAMES).
_BYLINE = re.compile(
    r"^(?:By|BY|by)\s+[A-Z][\w.'’-]*"
    r"(?:\s+(?:[A-Z][\w.'’-]*|de|da|del|der|van|von|la|le|al|el|bin|ibn)){1,3}"
    r"(?:\s*(?:,|and|&|\||-|—|/)\s*[A-Z][\w .'’&/-]{0,50})*$",
)
_NOT_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july"
    " august september october november december then now noon midnight dawn dusk nightfall early late"
    " mid the this that these those tonight today tomorrow yesterday christmas easter ramadan".split()
)

# Control characters (C0 and C1), zero-width and bidi-override characters, soft hyphens, lone
# surrogates (JSON "\ud800", undecodable file names) and noncharacters: never part of the text.
_CONTROL = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069"
    "\ufeff\ufffe\uffff\ud800-\udfff]"
)
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")


def normalise_text(raw: str) -> str:
    """NFC, unified line endings, no control characters, boilerplate lines dropped.

    Paragraphs are kept as lines separated by one blank line; spaces inside a line are folded.
    """
    text = _LINE_BREAKS.sub("\n", _CONTROL.sub("", raw))
    # NFC after the removals: dropping a control character can bring a letter and its combining
    # mark together, and the result must be NFC whatever the input.
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\t", " ")
    paragraphs: list[str] = []
    for line in text.split("\n"):
        line = " ".join(line.split())
        if not line or is_boilerplate(line):
            continue
        paragraphs.append(line)
    return "\n\n".join(paragraphs)


def clean_line(s: str, keep_newlines: bool = False) -> str:
    """`s` without control characters, lone surrogates and the like (see _CONTROL); line breaks
    unified to "\n", or to spaces unless keep_newlines. For metadata, details and HTML parsers."""
    s = _LINE_BREAKS.sub("\n", _CONTROL.sub("", s))
    return s if keep_newlines else s.replace("\n", " ")


def is_boilerplate(line: str) -> bool:
    """True for a whole line that is a share/subscribe/comment prompt, an ad label or a byline."""
    line = line.strip()
    if len(line) > 240:
        return False
    if _BOILERPLATE.match(line) is not None:
        return True
    if line.endswith((".", "!", "?", '"', "”", ":", ";")):
        return False
    m = _BYLINE.match(line)
    if m is None:
        return False
    first = line.split(None, 2)[1].strip(",").casefold()
    return first not in _NOT_NAMES


def split_title(text: str) -> tuple[str | None, str]:
    """First non-empty line as the title (markdown '#' removed), the rest as the body."""
    lines = text.strip().split("\n", 1)
    title = re.sub(r"^#{1,6}(?:\s+|$)", "", lines[0].strip()).strip() or None
    body = lines[1].strip() if len(lines) > 1 else ""
    return title, body


def article_id(text: str) -> str:
    """Stable id of an article: sha256 of its text with white space folded and case folded.

    The same report scraped as HTML and as a feed item gets the same id, so it is one article.
    """
    key = " ".join(text.split()).casefold()
    return "a" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def stable_id(prefix: str, *parts: object) -> str:
    """A short, stable hash id for a record made of the given parts."""
    blob = "\x1f".join("" if p is None else str(p) for p in parts)
    # surrogatepass: a file name that is not UTF-8 reaches us with lone surrogates in it
    return prefix + hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def count_words(text: str) -> int:
    return len(text.split())


@dataclass(frozen=True)
class Dateline:
    place: str
    agency: str | None
    date_text: str | None
    end: int  # offset where the report proper starts


def find_dateline(text: str) -> Dateline | None:
    """The dateline at the start of the body ("MOSCOW (Reuters) -"), if any."""
    m = DATELINE.match(text)
    if m is None:
        return None
    place = m.group("place").strip()
    if len(place) < 3 or not any(c.isalpha() for c in place):
        return None
    return Dateline(place=place.title(), agency=(m.group("agency") or None), date_text=m.group("date"), end=m.end())


def parse_timestamp(value: object) -> datetime | None:
    """Publication timestamps from metadata (ISO 8601, RFC 822, epoch seconds) as aware UTC."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        parsed: datetime | None = value
        return _utc_in_range(parsed)
    if isinstance(value, (int, float)):
        return _from_epoch(value)
    if not isinstance(value, str):
        return None  # a list or object is not a timestamp
    s = value.strip()
    if not s or len(s) > 64:
        return None
    if re.fullmatch(r"-?\d{9,13}(?:\.\d+)?", s):  # epoch seconds or milliseconds as a string
        return _from_epoch(float(s))
    parsed = None
    try:
        parsed = datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            parsed = parsedate_to_datetime(s)
        except (TypeError, ValueError, IndexError):
            parsed = None
    if parsed is None:
        import dateparser

        try:
            # Absolute dates only, with day, month and year: "2 hours ago" or "March 3" would be
            # resolved against the clock of the run, and the same file would give another value
            # tomorrow.
            parsed = dateparser.parse(
                s, languages=["en"],
                settings={
                    "RETURN_AS_TIMEZONE_AWARE": True, "TO_TIMEZONE": "UTC",
                    "PARSERS": ["custom-formats", "absolute-time"],
                    "REQUIRE_PARTS": ["day", "month", "year"],
                },
            )
        except Exception:  # dateparser raises a variety of errors on odd strings
            parsed = None
    return _utc_in_range(parsed)


def _from_epoch(value: float) -> datetime | None:
    try:
        v = float(value)
        if abs(v) >= 1e11:  # milliseconds (seconds this large are past the year 5000)
            v /= 1000.0
        return _utc_in_range(datetime.fromtimestamp(v, tz=timezone.utc))
    except (OverflowError, OSError, ValueError):
        return None


def _utc_in_range(parsed: datetime | None) -> datetime | None:
    if parsed is None or not (1900 <= parsed.year <= 2100):
        return None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    try:
        return parsed.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        return None


@lru_cache(maxsize=1)
def _langid():
    from py3langid.langid import _load_identifier

    return _load_identifier(norm_probs=True)


def detect_language(text: str) -> tuple[str, float]:
    """ISO 639-1 code and probability, from the first 2,000 characters (py3langid, offline)."""
    sample = text[:2000]
    if len(sample.split()) < 3:
        return "und", 0.0
    lang, prob = _langid().classify(sample)
    return str(lang), float(prob)


# ---------------------------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------------------------

# Abbreviations that end with a period but do not end a sentence in news prose.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "adm", "cmdr",
    "gov", "sen", "rep", "rev", "st", "mt", "ft", "jr", "sr", "no", "vs", "etc", "inc", "corp", "co",
    "ltd", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.k", "u.n", "e.u", "a.m", "p.m", "approx", "est", "dept", "pres", "sec", "amb",
}
# Abbreviations that may also close a sentence ("at 10 p.m. The army...", "Acme Inc. The firm"):
# they end one when the next word is a usual sentence opener.
_AMBIGUOUS = {"a.m", "p.m", "etc", "inc", "corp", "co", "ltd", "jr", "sr", "u.s", "u.k", "u.n", "e.u", "est", "no"}
_OPENERS = frozenset(
    "the a an he she it they we i you his her its their our this that these those there but and"
    " in on at after before when while however meanwhile officials police".split()
)
# The lookbehind makes a run of "....." cost one attempt, not one per character (the run would
# otherwise be rescanned from every position in it: quadratic on hostile input).
_SENT_END = re.compile(r"(?<![.!?])[.!?]++[\"'’”)\]]*+(?=\s+[\"'“‘«(\[]?\w)|\n+")


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with character offsets into `text`; `text[s.start:s.end] == s.text` always.

    Paragraph breaks always end a sentence; a period ends one unless it closes a known
    abbreviation ("Gen.", "U.S.") or a single initial ("John F. Kennedy").
    """
    sentences: list[Sentence] = []
    start = 0
    for m in _SENT_END.finditer(text):
        newline = m.group().startswith("\n")
        cut = m.start() if newline else m.end()
        if not newline:
            after = text[m.end():m.end() + 80].lstrip().lstrip("\"'“‘«([")
            if not after or not (after[0].isupper() or after[0].isdigit()):
                continue  # "he said. and then" or "'Why?' he asked": not a sentence end
            if m.group()[0] == ".":
                # only the last 64 characters: a run of abbreviations must not rescan the text
                before = text[max(start, m.start() - 64):m.start()].rsplit(None, 1)
                last = before[-1].lower().lstrip("\"'“‘«([").rstrip(".") if before else ""
                next_word = after.split(None, 1)[0].strip(",;:").casefold() if after.split() else ""
                if last in _AMBIGUOUS:
                    if last == "no":
                        if next_word[:1].isdigit():  # "No. 10 Downing Street"
                            continue
                    elif next_word not in _OPENERS:
                        continue
                elif last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                    continue
                elif re.fullmatch(r"(?:[a-z]\.)+[a-z]", last):  # "d.c", "j.r.r"
                    continue
        _append(sentences, text, start, cut)
        start = m.end()
    _append(sentences, text, start, len(text))
    return sentences


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(len(sentences), start, end, text[start:end]))
