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
      | (?:subscribe|sign\s+up|register)\b.{0,80}
      | (?:follow\s+us|like\s+us)\b.{0,60}
      | (?:view\s+)?comments?(?:\s*\(\d+\))?
      | \d+\s+comments?
      | (?:leave|post|add)\s+a\s+comment.{0,40}
      | advertisement | sponsored(?:\s+content)? | promoted | ad
      | (?:read|see)\s+(?:more|also)\b.{0,120}
      | related(?:\s+(?:articles?|stories|coverage))?:?.{0,120}
      | click\s+here\b.{0,100}
      | (?:copyright|\(c\)|©).{0,120}
      | all\s+rights\s+reserved\.?
      | (?:reporting|writing|editing|additional\s+reporting)\s+by\b.{0,200}
      | photo(?:graph)?:?\s.{0,120}(?:getty|afp|reuters|ap|images|photo).{0,40}
      | (?:updated|published|posted|last\s+modified)(?:\s+on)?:?\s[^.]{0,40}\d[^.]{0,40}
      | (?:\d+\s+)?min(?:ute)?s?\s+read
      | listen\s+to\s+(?:this\s+)?(?:article|story).{0,40}
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# "MOSCOW (Reuters) -", "KYIV, Ukraine (AP) —", "WASHINGTON, March 3, 2024 (Wirewire) -",
# "BEIRUT -", "GENEVA, March 3 —". The place is upper case; the date and agency are optional.
DATELINE = re.compile(
    r"""^(?P<place>[A-Z][A-Z .'’-]{1,40}?)
        (?:,\s*(?P<region>[A-Z][A-Za-z .'’-]{1,40}?))?
        (?:,\s*(?P<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,\s*\d{4})?))?
        \s*(?:\((?P<agency>[^()\n]{1,40})\))?
        \s*[-–—]+\s+""",
    re.VERBOSE,
)

# "By Jane Doe", "By Jane Doe and John Roe, Staff Reporters", "By JANE DOE | Wirewire":
# a line of its own that does not end like a sentence.
_BYLINE = re.compile(
    r"^by\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,3}"
    r"(?:\s*(?:,|and|&|\||-|—)\s*[A-Z][\w .'’&-]{0,50})*$",
    re.IGNORECASE,
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\ufeff]")


def normalise_text(raw: str) -> str:
    """NFC, unified line endings, no control characters, boilerplate lines dropped.

    Paragraphs are kept as lines separated by one blank line; spaces inside a line are folded.
    """
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text).replace("\u00a0", " ").replace("\t", " ")
    paragraphs: list[str] = []
    for line in text.split("\n"):
        line = " ".join(line.split())
        if not line or is_boilerplate(line):
            continue
        paragraphs.append(line)
    return "\n\n".join(paragraphs)


def is_boilerplate(line: str) -> bool:
    """True for a whole line that is a share/subscribe/comment prompt, an ad label or a byline."""
    line = line.strip()
    if len(line) > 240:
        return False
    if _BOILERPLATE.match(line) is not None:
        return True
    return not line.endswith(".") and _BYLINE.match(line) is not None


def split_title(text: str) -> tuple[str | None, str]:
    """First non-empty line as the title (markdown '#' removed), the rest as the body."""
    lines = text.strip().split("\n", 1)
    title = lines[0].strip().lstrip("#").strip() or None
    body = lines[1].strip() if len(lines) > 1 else ""
    return title, body


def article_id(text: str) -> str:
    """Stable id of an article: sha256 of its text with white space folded and case folded.

    The same report scraped as HTML and as a feed item gets the same id, so it is one article.
    """
    key = " ".join(text.split()).casefold()
    return "a" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def stable_id(prefix: str, *parts: object) -> str:
    """A short, stable hash id for a record made of the given parts."""
    blob = "\x1f".join("" if p is None else str(p) for p in parts)
    return prefix + hashlib.sha256(blob.encode("utf-8")).hexdigest()[:20]


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
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(float(value), tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    s = str(value).strip()
    if not s or len(s) > 64:
        return None
    parsed: datetime | None = None
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
            parsed = dateparser.parse(
                s, languages=["en"], settings={"RETURN_AS_TIMEZONE_AWARE": True, "TO_TIMEZONE": "UTC"}
            )
        except Exception:  # dateparser raises a variety of errors on odd strings
            parsed = None
    if parsed is None or not (1900 <= parsed.year <= 2100):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


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
_SENT_END = re.compile(r"[.!?]+[\"'’”)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|\n+")


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
        cut = m.end() if not m.group().startswith("\n") else m.start()
        if not m.group().startswith("\n"):
            before = text[start:m.start()].rsplit(None, 1)
            last = before[-1].lower().rstrip(".") if before else ""
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
            if re.fullmatch(r"(?:[a-z]\.)+[a-z]", last):  # "u.s", "d.c"
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
