"""Ingest: files in, article records, duplicates and rejects out.

Formats (by extension): .txt/.md, .html/.htm, .json (one article or a list), .jsonl, RSS/Atom
feeds (.xml/.rss/.atom), WARC (.warc/.warc.gz). Every input record ends in exactly one of three
lists: `articles`, `duplicates` (the same normalised text seen before, in this batch or an
earlier one) or `rejects` (with a reason code and a human-readable detail). Nothing raises on bad
input; nothing here fetches a URL found in an input file.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pipelines import text as T

# Reason codes of the `rejects` table. The detail column says what exactly was wrong.
REJECT_REASONS = {
    "empty": "the file or record holds no text",
    "binary": "the file is binary (NUL bytes or a known binary signature)",
    "undecodable": "the bytes are not text in any encoding we can identify",
    "oversized": "larger than the configured limit",
    "malformed_json": "a JSON document or JSON line that does not parse, or is not an article object",
    "malformed_feed": "an RSS/Atom/XML file that does not parse, or uses DTDs or entities",
    "malformed_warc": "a WARC file or record that cannot be read",
    "unsupported_format": "a file extension or record content type we do not ingest",
    "no_text": "an HTML page or record from which no article text could be extracted",
    "unreadable": "the file cannot be read (permissions, a broken or looping link, not a file)",
}

TEXT_KEYS = ("text", "body", "content")
TITLE_KEYS = ("title", "headline")
URL_KEYS = ("url", "link")
DATE_KEYS = ("published", "published_at", "date", "pubDate")
SOURCE_KEYS = ("source", "publisher", "outlet")
LANGUAGE_KEYS = ("language", "lang")

EXTENSIONS = {
    ".txt": "text", ".md": "text", ".html": "html", ".htm": "html", ".json": "json",
    ".jsonl": "jsonl", ".xml": "feed", ".rss": "feed", ".atom": "feed", ".warc": "warc",
    ".warc.gz": "warc",
}
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"PK\x03\x04", b"\x1f\x8b", b"GIF8", b"\xff\xd8\xff", b"\x7fELF", b"BZh")


@dataclass(frozen=True)
class Limits:
    """Size limits. An article is at most `max_article_bytes`; a container (feed, JSON list,
    JSON lines, WARC) at most `max_container_bytes` on disk (WARC and JSON lines are streamed)."""

    max_article_bytes: int = 5 * 1024 * 1024
    max_container_bytes: int = 2 * 1024 * 1024 * 1024
    max_feed_bytes: int = 64 * 1024 * 1024  # XML feeds are parsed whole
    max_json_bytes: int = 64 * 1024 * 1024  # so are .json documents (use .jsonl for more)


@dataclass
class RawRecord:
    """One article as found in an input file, before normalisation."""

    input_path: str
    input_record: str
    body: str
    is_html: bool = False
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: Any = None
    author: str | None = None
    title_in_body: bool = False  # .txt/.md: the first line of the body is the title


@dataclass
class Reject:
    input_path: str
    input_record: str
    reason: str
    detail: str


@dataclass(frozen=True)
class RecordRange:
    """Part of one file's records, for a batch that holds only that part (pipelines.batches).

    Records are numbered by their position in the file: the line number in JSON lines (blank
    lines count, as in `input_record`), the n-th response or resource record in WARC, the n-th
    item or entry of a feed, the n-th element of a JSON list. The range is first..stop-1; stop
    None: to the end of the file. `offset` is the byte offset of line `first` in a JSON-lines file
    (None: found by reading the lines before it)."""

    first: int
    stop: int | None = None
    offset: int | None = None

    def __contains__(self, n: int) -> bool:
        return n >= self.first and (self.stop is None or n < self.stop)

    def past(self, n: int) -> bool:
        return self.stop is not None and n >= self.stop


def _leads(records: RecordRange | None) -> bool:
    """Does this read report what concerns the whole file (it is empty, too big, unreadable)?
    The whole file's read does, and of a split file the part that starts at record 0."""
    return records is None or records.first == 0


@dataclass
class IngestResult:
    articles: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    rejects: list[dict] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {"articles": len(self.articles), "duplicates": len(self.duplicates), "rejects": len(self.rejects)}


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------

def format_of(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(".warc.gz"):
        return "warc"
    return EXTENSIONS.get(Path(name).suffix)


def iter_input_files(paths: Iterable[str | os.PathLike]) -> Iterator[Path | Reject]:
    """Files under the given paths, recursively, in a stable order; hidden files are skipped.

    Directory links are followed once (a loop is reported, not followed again)."""
    seen_dirs: set[str] = set()
    seen_files: set[str] = set()

    def walk(p: Path) -> Iterator[Path | Reject]:
        try:
            st = p.stat()
        except OSError as exc:
            yield Reject(str(p), "", "unreadable", f"cannot stat: {exc.strerror or exc}")
            return
        if stat.S_ISDIR(st.st_mode):
            real = os.path.realpath(p)
            if real in seen_dirs:
                yield Reject(str(p), "", "unreadable", "directory link loop (already visited)")
                return
            seen_dirs.add(real)
            try:
                children = sorted(os.scandir(p), key=lambda e: e.name)
            except OSError as exc:
                yield Reject(str(p), "", "unreadable", f"cannot list directory: {exc.strerror or exc}")
                return
            for child in children:
                if not child.name.startswith("."):
                    yield from walk(Path(child.path))
        elif stat.S_ISREG(st.st_mode):
            if str(p) not in seen_files:  # a file named twice (a folder and a file in it) is read once
                seen_files.add(str(p))
                yield p
        else:
            yield Reject(str(p), "", "unreadable", "not a regular file")

    for raw in paths:
        yield from walk(Path(raw).absolute())


def read_records(path: Path, limits: Limits = Limits(), records: RecordRange | None = None) -> Iterator[RawRecord | Reject]:
    """The raw article records in one file, or rejects saying why there are none. With
    `records`, only that range of the file's records (and what concerns the whole file only
    when the range starts at record 0)."""
    name = str(path)
    fmt = format_of(path)
    lead = _leads(records)
    if fmt is None:
        if lead:
            yield Reject(name, "", "unsupported_format", f"extension {path.suffix or '(none)'!r} is not ingested")
        return
    try:
        size = path.stat().st_size
    except OSError as exc:
        if lead:
            yield Reject(name, "", "unreadable", str(exc.strerror or exc))
        return
    if size == 0:
        if lead:
            yield Reject(name, "", "empty", "file has 0 bytes")
        return
    limit = {
        "text": limits.max_article_bytes, "html": limits.max_article_bytes,
        "json": min(limits.max_json_bytes, limits.max_container_bytes),
        "feed": min(limits.max_feed_bytes, limits.max_container_bytes),
    }.get(fmt, limits.max_container_bytes)
    if size > limit:
        if lead:
            yield Reject(name, "", "oversized", f"{size} bytes > limit {limit} for {fmt} files")
        return
    if records is not None and fmt in ("text", "html") and not lead:
        return  # one record per file: it belongs to the part that starts at 0
    try:
        if fmt == "jsonl":
            yield from _read_jsonl(path, limits, records)
        elif fmt == "warc":
            yield from _read_warc(path, limits, records)
        else:
            with path.open("rb") as fh:
                data = fh.read(limit + 1)  # the file may have grown since stat()
            if len(data) > limit:
                if lead:
                    yield Reject(name, "", "oversized", f"more than {limit} bytes read, limit for {fmt} files")
                return
            if fmt == "text":
                yield from _read_text(name, data)
            elif fmt == "html":
                yield from _read_html(name, data)
            elif fmt == "json":
                yield from _read_json(name, data, limits, records)
            else:
                yield from _read_feed(name, data, limits, records)
    except OSError as exc:
        yield Reject(name, "", "unreadable", str(exc.strerror or exc))


def count_records(path: Path, limits: Limits = Limits()) -> int | None:
    """How many records `path` holds, numbered as RecordRange numbers them, when the file can be
    split into record ranges: JSON lines with a non-blank line, WARC, feeds and JSON lists that
    read without error. None for a one-record file (text, HTML, a single JSON object) and for a
    file that cannot be read as its format: it stays whole, in one batch, and its rejects are
    reported there."""
    fmt = format_of(path)
    try:
        if fmt == "jsonl":
            return _count_jsonl(path)
        if fmt == "warc":
            return _count_warc(path)
        if fmt in ("json", "feed"):
            n = 0
            for rec in read_records(path, limits):
                if rec.input_record == "":  # a file-level reject, or a single JSON object
                    return None
                n += 1
            return n or None
    except (OSError, ValueError):
        return None
    return None


def _count_jsonl(path: Path) -> int | None:
    with path.open("rb") as fh:
        stream, newline = _jsonl_stream(fh)
        n, any_text = 0, False
        for n_line, line in _iter_lines(stream, 1 << 20, newline):
            n = n_line + 1
            any_text = any_text or line is None or bool(line.strip())
    return n if any_text else None


def _count_warc(path: Path) -> int | None:
    n = 0
    for rec in _read_warc(path, Limits(max_article_bytes=0), count_only=True):
        if isinstance(rec, Reject):
            return None
        n += 1
    return n or None


def jsonl_line_offsets(path: Path, lines: Iterable[int]) -> dict[int, int | None]:
    """The byte offset where each of the given line numbers starts in a JSON-lines file (None
    for all of them in a UTF-16/32 file, whose lines are not found by bytes)."""
    wanted = sorted(set(lines))
    out: dict[int, int | None] = {k: None for k in wanted}
    if not wanted:
        return out
    with path.open("rb") as fh:
        stream, newline = _jsonl_stream(fh)
        if stream is not fh:
            return out
        k, pos = 0, fh.tell()
        for n_line, _ in _iter_lines(fh, 1 << 20, newline):
            while k < len(wanted) and wanted[k] == n_line:
                out[wanted[k]] = pos
                k += 1
            if k == len(wanted):
                break
            pos = fh.tell()
    return out


_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"),
)
_CHARSET = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z][A-Za-z0-9_.:-]{1,38})""", re.IGNORECASE)
# Single-byte codecs charset_normalizer cannot tell apart on short Western text ("café" in
# cp1252 comes back as cp1250 or even UTF-16): for these cp1252, the usual one, is tried first.
_WESTERN = frozenset({
    "ascii", "latin_1", "cp1252", "cp1250", "cp1254", "cp1257", "cp1258", "iso8859_2", "iso8859_3",
    "iso8859_4", "iso8859_9", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16",
    "mac_roman", "mac_latin2", "mac_iceland", "mac_turkish", "cp437", "cp850", "cp858",
})
_COMMON_PUNCT = set("“”‘’–—…€£¥©®°·«»§¶•×÷±½¼¾¿¡ªº²³¹")


def decode(data: bytes, hint: str | None = None) -> tuple[str | None, str | None]:
    """(text, None) or (None, reason code) for bytes that should be text.

    Order: a byte-order mark; binary signatures and NUL bytes; UTF-8; the charset the container
    declares (`hint`, an HTTP header) or the document itself (<meta charset>, <?xml encoding>);
    UTF-8 with a few corrupt bytes; then cp1252 or what charset_normalizer finds."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), None
            except UnicodeDecodeError:
                return None, "undecodable"
    head = data[:8192]
    if head.startswith(_BINARY_MAGIC) or b"\x00" in head:
        return None, "binary"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    declared = [hint] if hint else []
    declared += [m.group(1).decode("ascii", "replace") for m in _CHARSET.finditer(head[:4096])][:3]
    for name in declared:
        codec = _codec(name)
        if codec is None or codec.startswith(("utf_8", "utf_16", "utf_32")):
            continue
        if codec in ("latin_1", "iso8859_1", "ascii"):  # as browsers do: "iso-8859-1" means cp1252
            codec = "cp1252"
        try:
            return data.decode(codec), None
        except UnicodeDecodeError:
            if codec == "cp1252":
                return data.decode("latin-1"), None
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    good = sum(1 for ch in replaced if ch > "\x7f") - bad
    if good >= bad and bad <= max(1, len(replaced) // 100):
        return replaced, None  # UTF-8 (it has valid multi-byte characters) with a stray bad byte
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    guess = best.encoding if best is not None and best.chaos <= 0.3 else None
    if guess is None or guess in _WESTERN or guess.startswith(("utf_16", "utf_32")):
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = None
        if text is not None and _plausible(text):
            return text, None
        if guess is None or guess.startswith(("utf_16", "utf_32")):
            return None, "undecodable"
    try:
        return data.decode(guess), None
    except (UnicodeDecodeError, LookupError):
        return None, "undecodable"


def _codec(name: str) -> str | None:
    import codecs

    try:
        return codecs.lookup(name.strip().lower()).name.replace("-", "_")
    except LookupError:
        return None


def _plausible(text: str) -> bool:
    """Western text in a single-byte codec: few non-ASCII characters, nearly all letters."""
    non_ascii = [ch for ch in text if ch > "\x7f"]
    if len(non_ascii) > max(4, len(text) // 4):
        return False
    odd = sum(1 for ch in non_ascii if not ch.isalpha() and ch not in _COMMON_PUNCT and ch != "\xa0")
    return odd <= max(1, len(non_ascii) // 10)


def _read_text(name: str, data: bytes) -> Iterator[RawRecord | Reject]:
    text, reason = decode(data)
    if text is None:
        yield Reject(name, "", reason or "undecodable", "file content is not text")
        return
    yield RawRecord(name, "", text, title_in_body=True)


def _read_html(
    name: str, data: bytes, record: str = "", url: str | None = None, charset: str | None = None
) -> Iterator[RawRecord | Reject]:
    text, reason = decode(data, charset)
    if text is None:
        yield Reject(name, record, reason or "undecodable", "HTML content is not text")
        return
    yield RawRecord(name, record, text, is_html=True, url=url)


def _first(obj: Mapping, keys: tuple[str, ...]) -> Any:
    for k in keys:
        v = obj.get(k)
        if v not in (None, "", [], {}):
            return v
    return None


def _record_from_object(name: str, record: str, obj: Any) -> RawRecord | Reject:
    if not isinstance(obj, dict):
        return Reject(name, record, "malformed_json", f"expected an article object, got {type(obj).__name__}")
    if not any(k in obj for k in TEXT_KEYS):
        return Reject(name, record, "malformed_json", f"not an article: no text field (one of {', '.join(TEXT_KEYS)})")
    body = _first(obj, TEXT_KEYS)
    if body is None:
        return Reject(name, record, "empty", f"the text field ({', '.join(k for k in TEXT_KEYS if k in obj)}) is empty")
    if isinstance(body, list) and all(isinstance(p, str) for p in body):
        body = "\n\n".join(body)  # a list of paragraphs
    if not isinstance(body, str):
        return Reject(name, record, "malformed_json", f"text field is {type(body).__name__}, not a string")
    source = _first(obj, SOURCE_KEYS)
    if isinstance(source, dict):
        source = source.get("name") or source.get("title")
    author = obj.get("author")
    if isinstance(author, dict):
        author = author.get("name")
    published = _first(obj, DATE_KEYS)
    return RawRecord(
        name, record, body, is_html=_looks_like_html(body),
        title=_str_or_none(_first(obj, TITLE_KEYS)),
        url=_str_or_none(_first(obj, URL_KEYS)), source=_str_or_none(source),
        published=published if isinstance(published, (str, int, float)) else None,
        author=_str_or_none(author),
    )


def _str_or_none(v: Any) -> str | None:
    """A metadata value as a clean one-line string (no control characters or lone surrogates)."""
    if v is None or isinstance(v, (dict, list, bool)):
        return None
    s = " ".join(T.clean_line(str(v)[:2000]).split())
    return s or None


def _too_big(body: str, limit: int) -> bool:
    # cheap bound first: a character is at most 4 bytes in UTF-8
    return len(body) > limit and (len(body) > limit * 4 or len(body.encode("utf-8", "surrogatepass")) > limit)


def _read_json(name: str, data: bytes, limits: Limits, records: RecordRange | None = None) -> Iterator[RawRecord | Reject]:
    lead = _leads(records)
    text, reason = decode(data)
    if text is None:
        if lead:
            yield Reject(name, "", reason or "undecodable", "JSON file is not text")
        return
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:
        if lead:
            yield Reject(name, "", "malformed_json", _short(exc))
        return
    items = doc if isinstance(doc, list) else [doc]
    if not items and lead:
        yield Reject(name, "", "empty", "JSON list has no articles")
    for i, obj in enumerate(items):
        if records is not None and i not in records:
            if records.past(i) or not isinstance(doc, list):
                break
            continue
        rec = _record_from_object(name, str(i) if isinstance(doc, list) else "", obj)
        if isinstance(rec, RawRecord) and _too_big(rec.body, limits.max_article_bytes):
            yield Reject(name, rec.input_record, "oversized", f"article text > {limits.max_article_bytes} bytes")
        else:
            yield rec


def _iter_lines(fh, max_len: int, newline: bytes | str = b"\n", start: int = 0) -> Iterator[tuple[int, Any]]:
    """Lines of a stream (binary or text), numbered from `start`; a line longer than max_len is
    skipped, never held whole, and yielded as None."""
    n = start
    while True:
        line = fh.readline(max_len + 1)
        if not line:
            return
        if len(line) > max_len and not line.endswith(newline):
            while True:  # skip the rest of the oversized line without keeping it
                chunk = fh.readline(1 << 20)
                if not chunk or chunk.endswith(newline):
                    break
            yield n, None
        else:
            yield n, line
        n += 1


def _jsonl_stream(fh) -> tuple[Any, bytes | str]:
    """The stream to read lines from, and its newline: the file itself, or a text wrapper for a
    UTF-16/32 file (its lines cannot be split on the byte b"\n")."""
    head = fh.read(4)
    fh.seek(0)
    for bom, codec in _BOMS:
        if head.startswith(bom):
            fh.seek(len(bom))
            return io.TextIOWrapper(fh, encoding=codec, errors="replace", newline=None), "\n"
    return fh, b"\n"


def _read_jsonl(path: Path, limits: Limits, records: RecordRange | None = None) -> Iterator[RawRecord | Reject]:
    name = str(path)
    with path.open("rb") as fh:
        stream, newline = _jsonl_stream(fh)
        max_len = limits.max_article_bytes
        if stream is not fh:
            codec = stream.encoding
            max_len = limits.max_article_bytes // (2 if "16" in codec else 4)
        start = 0
        if records is not None and records.offset and stream is fh:
            fh.seek(records.offset - 1)
            if fh.read(1) == b"\n":  # the offset still starts a line: go straight there
                start = records.first
            else:
                fh.seek(0)
        any_line = False
        for n, line in _iter_lines(stream, max_len, newline, start):
            if records is not None and n not in records:
                if records.past(n):
                    break
                continue
            record = str(n)
            if line is None:
                any_line = True
                yield Reject(name, record, "oversized", f"JSON line > {limits.max_article_bytes} bytes")
                continue
            if not line.strip():
                continue
            any_line = True
            if isinstance(line, bytes):
                text, reason = decode(line)
                if text is None:
                    yield Reject(name, record, reason or "undecodable", "JSON line is not text")
                    continue
            else:
                text = line
            try:
                obj = json.loads(text)
            except (ValueError, RecursionError) as exc:
                yield Reject(name, record, "malformed_json", _short(exc))
                continue
            yield _record_from_object(name, record, obj)
        if not any_line and records is None:
            yield Reject(name, "", "empty", "JSON lines file has no lines")


def _short(exc: BaseException) -> str:
    msg = f"{type(exc).__name__}: {exc}"
    msg = T.clean_line(msg)
    return msg if len(msg) <= 300 else msg[:297] + "..."


# ---------------------------------------------------------------------------------------------
# Feeds
# ---------------------------------------------------------------------------------------------

_ATOM = "{http://www.w3.org/2005/Atom}"
_RSS1 = "{http://purl.org/rss/1.0/}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_DC = "{http://purl.org/dc/elements/1.1/}"
_FEED_ROOTS = ("rss", "channel", f"{_ATOM}feed", "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF")


def _parse_xml(data: bytes | str):
    import defusedxml.ElementTree as DET

    return DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)


def _read_feed(name: str, data: bytes, limits: Limits, records: RecordRange | None = None) -> Iterator[RawRecord | Reject]:
    """RSS 2.0/1.0 and Atom, parsed with defusedxml: DTDs, entity declarations and external
    entities are refused, so entity-expansion bombs and XXE cannot run."""
    lead = _leads(records)
    from defusedxml import DefusedXmlException
    from xml.etree.ElementTree import ParseError

    errors = (DefusedXmlException, ParseError, ValueError, RecursionError, LookupError)
    try:
        root = _parse_xml(data)
    except errors as exc:
        root, first_error = None, exc
        # A feed in cp1252 or latin-1 that does not say so: decode it ourselves and parse the text
        # (never after a DTD or entity refusal: those stay refused).
        if isinstance(exc, ParseError) and b"<!DOCTYPE" not in data[:4096].upper():
            text, _ = decode(data)
            if text is not None:
                text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)  # its encoding= no longer applies
                try:
                    root = _parse_xml(text)
                except errors:
                    root = None
        if root is None:
            if lead:
                yield Reject(name, "", "malformed_feed", _short(first_error))
            return
    entries = list(root.iter(f"{_ATOM}entry"))
    items = list(root.iter("item")) or list(root.iter(f"{_RSS1}item"))
    if not entries and not items:
        if not lead:
            return
        if root.tag in _FEED_ROOTS:
            yield Reject(name, "", "empty", f"feed <{root.tag}> has no items or entries")
        else:
            yield Reject(name, "", "malformed_feed", f"no RSS items or Atom entries under <{root.tag}>")
        return
    for i, el in enumerate(entries or items):
        if records is not None and i not in records:
            if records.past(i):
                break
            continue
        rec = _atom_entry(name, str(i), el) if entries else _rss_item(name, str(i), el)
        if isinstance(rec, RawRecord) and _too_big(rec.body, limits.max_article_bytes):
            yield Reject(name, str(i), "oversized", f"item text > {limits.max_article_bytes} bytes")
        else:
            yield rec


def _text_of(el, *tags: str) -> str | None:
    for tag in tags:
        child = el.find(tag)
        if child is not None and (child.text or "").strip():
            return child.text.strip()
    return None


def _rss_item(name: str, record: str, el) -> RawRecord | Reject:
    body = _text_of(el, _CONTENT, "description", f"{_RSS1}description")
    if body is None:
        return Reject(name, record, "empty", "feed item has no description or content")
    link = _text_of(el, "link", f"{_RSS1}link")
    if link is None:
        guid = el.find("guid")
        if guid is not None and guid.get("isPermaLink", "true").lower() != "false":
            link = (guid.text or "").strip() or None
    return RawRecord(
        name, record, body, is_html=_looks_like_html(body),
        title=_text_of(el, "title", f"{_RSS1}title"), url=_str_or_none(link),
        source=_str_or_none(_text_of(el, "source", f"{_DC}publisher")),
        published=_text_of(el, "pubDate", f"{_DC}date"),
        author=_str_or_none(_text_of(el, "author", f"{_DC}creator")),
    )


def _atom_entry(name: str, record: str, el) -> RawRecord | Reject:
    from xml.etree.ElementTree import tostring

    body, is_html = "", False
    for tag in (f"{_ATOM}content", f"{_ATOM}summary"):
        content = el.find(tag)
        if content is None:
            continue
        if content.get("type") == "xhtml":
            # the text is markup inside the element (usually one <div>), not escaped HTML
            body = "".join(tostring(child, encoding="unicode") for child in content).strip()
            is_html = True
        else:
            body = (content.text or "").strip()
            is_html = content.get("type") == "html" or _looks_like_html(body)
        if body:
            break
    if not body:
        return Reject(name, record, "empty", "Atom entry has no content or summary")
    link = None
    for ln in el.findall(f"{_ATOM}link"):
        if ln.get("rel", "alternate") == "alternate" and ln.get("href"):
            link = ln.get("href")
            break
    author = el.find(f"{_ATOM}author/{_ATOM}name")
    return RawRecord(
        name, record, body, is_html=is_html,
        title=_text_of(el, f"{_ATOM}title"), url=_str_or_none(link), source=None,
        published=_text_of(el, f"{_ATOM}published", f"{_ATOM}updated"),
        author=_str_or_none(author.text) if author is not None and author.text else None,
    )


# ---------------------------------------------------------------------------------------------
# WARC
# ---------------------------------------------------------------------------------------------

class _TruncatedGzip(Exception):
    """A gzip stream that ends before its end-of-stream marker."""


class _StrictGzip(io.RawIOBase):
    """Decompressed view of a gzip file that raises on truncation: warcio reads compressed WARC
    itself, treats a cut-off member as the end of the file and loses the last records silently."""

    def __init__(self, fh):
        self._gz = gzip.GzipFile(fileobj=fh, mode="rb")

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        try:
            # read1: what one chunk of the file decompresses to, so the records before a
            # truncation reach warcio before the error does
            return self._gz.read1(size if size is not None and size >= 0 else 1 << 16)
        except EOFError as exc:  # warcio takes EOFError for a clean end of file
            raise _TruncatedGzip(f"truncated gzip: {exc}") from None

    def readinto(self, b) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def tell(self) -> int:
        return self._gz.tell()


def _read_warc(path: Path, limits: Limits, records: RecordRange | None = None,
               count_only: bool = False) -> Iterator[RawRecord | Reject]:
    """HTML `response` (and `resource`) records. warcinfo, request and metadata records describe
    the crawl, not articles, and are passed over; a non-HTML response is rejected. Target URIs
    are stored as the article url and never fetched. A truncated file or record is a
    malformed_warc reject (the records before it are kept).

    `records`: only the response and resource records in that range (the others are read past,
    not parsed); a broken file is reported by the part whose range holds the record where it
    breaks. `count_only`: one bare RawRecord per response or resource record, unparsed (for
    count_records)."""
    from warcio.archiveiterator import WARCIterator
    from warcio.exceptions import ArchiveLoadFailed

    name = str(path)
    n = 0
    at = 0  # the number of the response record being read: where an error is reported
    try:
        with path.open("rb") as fh:
            magic = fh.read(2)
            fh.seek(0)
            stream = _StrictGzip(fh) if magic == b"\x1f\x8b" else fh
            # WARCIterator: only WARC records (ArchiveIterator would read arbitrary text as ARC)
            warc = iter(WARCIterator(stream))
            while True:
                at = n
                rec = next(warc, None)
                if rec is None:
                    break
                if rec.format != "warc":
                    raise ArchiveLoadFailed(f"not a WARC record ({rec.format})")
                if rec.rec_type not in ("response", "resource"):
                    continue
                n += 1
                at = n - 1
                if records is not None and (n - 1) not in records:
                    if records.past(n - 1):
                        return
                    continue  # warcio reads past the rest of the record
                if count_only:
                    if _drain(rec):
                        raise ArchiveLoadFailed("record is shorter than its Content-Length (truncated)")
                    yield RawRecord(name, str(n - 1), "")
                    continue
                record = _str_or_none(rec.rec_headers.get_header("WARC-Record-ID")) or str(n - 1)
                ctype = ""
                if rec.http_headers is not None:
                    ctype = rec.http_headers.get_header("Content-Type") or ""
                else:
                    ctype = rec.rec_headers.get_header("Content-Type") or ""
                if "html" not in ctype.lower():
                    if _drain(rec):  # a cut-off record, whatever it held, is a broken WARC
                        yield Reject(name, record, "malformed_warc", "record is shorter than its Content-Length (truncated)")
                    else:
                        yield Reject(name, record, "unsupported_format", f"record content type {ctype[:100] or '(none)'!r}")
                    continue
                payload = rec.content_stream().read(limits.max_article_bytes + 1)
                if _drain(rec):
                    yield Reject(name, record, "malformed_warc", "record is shorter than its Content-Length (truncated)")
                    continue
                if len(payload) > limits.max_article_bytes:
                    yield Reject(name, record, "oversized", f"record payload > {limits.max_article_bytes} bytes")
                    continue
                url = _str_or_none(rec.rec_headers.get_header("WARC-Target-URI"))
                m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]{1,40})", ctype)
                yield from _read_html(name, payload, record=record, url=url, charset=m.group(1) if m else None)
    except (ArchiveLoadFailed, _TruncatedGzip, EOFError, OSError, ValueError, zlib.error, LookupError) as exc:
        if records is None or at in records:  # of a split file, one part reports it
            yield Reject(name, f"after record {n}", "malformed_warc", _short(exc))
        return
    except Exception as exc:  # warcio's header parser raises assorted errors on garbage
        if records is None or at in records:
            yield Reject(name, f"after record {n}", "malformed_warc", _short(exc))
        return
    if n == 0 and records is None:
        yield Reject(name, "", "empty", "WARC file has no response records")


def _drain(rec) -> bool:
    """Read the rest of a record's block; True when it ends before its declared length."""
    raw = rec.raw_stream
    while raw.read(1 << 16):
        pass
    return getattr(raw, "limit", 0) > 0


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------

_HTML_TAG = re.compile(
    r"<(?:/?(?:p|div|br|article|section|span|a|b|i|em|strong|ul|ol|li|h[1-6]|blockquote|figure|img|table|tr|td)\b[^<>]{0,500}>|html\b|body\b|!--)",
    re.IGNORECASE,
)


def _looks_like_html(s: str) -> bool:
    return _HTML_TAG.search(s[:5000]) is not None


def html_fragment_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed item's content), one line per block element."""
    import lxml.html
    from lxml.etree import ParserError, XMLSyntaxError

    fragment = T.clean_line(fragment, keep_newlines=True)  # lxml refuses NUL and control chars
    if not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, XMLSyntaxError, ValueError):
        return ""
    for junk in root.xpath("//script|//style|//noscript|//template"):
        junk.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in root.iter("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "figcaption"):
        block.tail = "\n" + (block.tail or "")
    return root.text_content()


def html_page(html: str) -> dict[str, Any]:
    """Main text and metadata of a whole HTML page, with trafilatura."""
    import trafilatura

    html = T.clean_line(html, keep_newlines=True)
    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura/lxml raise many kinds on hostile markup
        return {"error": _short(exc)}
    if doc is None:
        return {}
    d = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    return {
        "text": d.get("text") or "", "title": d.get("title"), "author": d.get("author"),
        # trafilatura keeps the day only; the page's own timestamp keeps the time of day
        "date": _meta_timestamp(html) or d.get("date"),
        "url": d.get("url"), "site": d.get("sitename") or d.get("hostname"),
    }


_META_DATE_NAMES = r"(?:article:published_time|og:published_time|datePublished|date[-_]?published|pubdate|publishdate|publish[-_]date|dc\.date(?:\.issued)?|sailthru\.date)"
_META_DATE = re.compile(
    r"<meta\b(?=[^>]*\b(?:property|name|itemprop)\s*=\s*[\"']" + _META_DATE_NAMES + r"[\"'])[^>]*\bcontent\s*=\s*[\"']([^\"']{8,40})[\"']",
    re.IGNORECASE,
)
_TIME_TAG = re.compile(r"<time\b[^>]*\bdatetime\s*=\s*[\"']([^\"']{8,40})[\"']", re.IGNORECASE)


def _meta_timestamp(html: str) -> str | None:
    """The publication timestamp a page declares (meta tags, then the first <time datetime>),
    when it carries a time of day; None otherwise (trafilatura's date is used then)."""
    head = html[:200_000]
    for pattern in (_META_DATE, _TIME_TAG):
        m = pattern.search(head)
        if m and "T" in m.group(1) and T.parse_timestamp(m.group(1)) is not None:
            return m.group(1)
    return None


# ---------------------------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------------------------

_YEAR_AT_END = re.compile(r"\b\d{4}$")


def build_article(raw: RawRecord, batch_id: str, ingested_at: datetime) -> dict | Reject:
    """Normalise one raw record into an `articles` row (or a reject)."""
    title, url, source, author, published = raw.title, raw.url, raw.source, raw.author, raw.published
    body = raw.body
    if raw.is_html:
        if re.search(r"<(?:html|body|head)\b", body[:5000], re.IGNORECASE):
            page = html_page(body)
            if "error" in page:
                return Reject(raw.input_path, raw.input_record, "no_text", f"HTML extraction failed: {page['error']}")
            body = page.get("text") or ""
            title = title or page.get("title")
            author = author or page.get("author")
            url = url or page.get("url")
            source = source or page.get("site")
            published = published or page.get("date")
        else:
            body = html_fragment_text(body)
        if not body.strip():
            return Reject(raw.input_path, raw.input_record, "no_text", "no article text found in the HTML")
    if raw.title_in_body:
        # The first non-empty line is the title whatever it says (boilerplate removal must not
        # drop it and promote the first paragraph); the rest is the body.
        first, rest = T.split_title(T.clean_line(body, keep_newlines=True))
        title = first
        text = T.normalise_text(rest)
    else:
        text = T.normalise_text(body)
        if title:
            head = T.normalise_text(title)
            if head and (text == head or text.startswith(head + "\n")):
                text = text[len(head):].lstrip()  # HTML pages repeat the headline as a line
    if not text.strip():
        return Reject(raw.input_path, raw.input_record, "empty", "no text after normalisation" + (" (title only)" if title else ""))
    published_at = T.parse_timestamp(published)
    published_source = "metadata" if published_at else "none"
    dateline = T.find_dateline(text)
    if published_at is None and dateline and dateline.date_text and _YEAR_AT_END.search(dateline.date_text):
        # only a dateline with a year: "March 3" alone would be guessed against today's date
        published_at = T.parse_timestamp(dateline.date_text)
        if published_at is not None:
            published_source = "dateline"
    lang, lang_score = T.detect_language(text)
    title = " ".join(T.normalise_text(title).split()) if title else None
    return {
        "article_id": T.article_id(text),
        "batch_id": batch_id,
        "url": _str_or_none(url),
        "source": _str_or_none(source) or (dateline.agency if dateline else None),
        "title": title or None,
        "author": _str_or_none(author),
        "published_at": published_at,
        "published_at_source": published_source,
        "language": lang,
        "language_score": round(lang_score, 4),
        "is_english": lang == "en",
        "dateline": dateline.place if dateline else None,
        "text": text,
        "n_words": T.count_words(text),
        "input_path": raw.input_path,
        "input_record": raw.input_record,
        "ingested_at": ingested_at,
    }


# The reject code for an unexpected error while reading a file of each format.
_FAILURE_REASON = {
    "json": "malformed_json", "jsonl": "malformed_json", "feed": "malformed_feed", "warc": "malformed_warc",
    "html": "no_text", "text": "undecodable",
}


def reject_row(r: Reject, batch_id: str) -> dict:
    return {
        "reject_id": T.stable_id("r", batch_id, r.input_path, r.input_record, r.reason),
        "batch_id": batch_id, "input_path": r.input_path, "input_record": r.input_record,
        "reason": r.reason, "detail": r.detail,
    }


def ingest(
    paths: Iterable[str | os.PathLike],
    batch_id: str,
    ingested_at: datetime | None = None,
    known_article_ids: Mapping[str, str] | set[str] = frozenset(),
    limits: Limits = Limits(),
    on_record=None,
    listing_rejects: Iterable[Reject] = (),
    records: Mapping[str, RecordRange] | None = None,
) -> IngestResult:
    """Ingest files and folders into articles, duplicates and rejects for one batch.

    `records` (file path -> RecordRange): of these files, only that range of records (a batch
    that is part of a split file, pipelines.batches.split_manifest); the other files whole.

    `listing_rejects` are inputs already found unreadable when the batch was listed (a broken
    link, a directory loop): they go to rejects with the rest.

    `known_article_ids` are the ids already stored by other batches: those texts become
    duplicates here. `on_record(n)` is called after each input record (for progress bars).
    An unexpected error in one file becomes a reject for the rest of that file; the batch goes on.
    """
    ingested_at = ingested_at or datetime.now(timezone.utc)
    out = IngestResult()
    seen: dict[str, str] = {}
    used_ids: set[str] = set()
    n = 0

    def unique(row: dict, key: str) -> dict:
        # reject_id and duplicate_id are primary keys: a WARC that repeats a record id (or any
        # other repeat of file, record and reason) must not produce the same id twice
        base, k = row[key], 1
        while row[key] in used_ids:
            row[key] = T.stable_id(base[0], base, k)
            k += 1
        used_ids.add(row[key])
        return row

    def handle(raw: RawRecord | Reject) -> None:
        nonlocal n
        n += 1
        if isinstance(raw, Reject):
            row: dict | Reject = raw
        else:
            try:
                row = build_article(raw, batch_id, ingested_at)
            except Exception as exc:  # a bug or a library failure on one record: reject it, go on
                row = Reject(raw.input_path, raw.input_record, "no_text" if raw.is_html else "undecodable",
                             f"could not build the article: {_short(exc)}")
        if isinstance(row, Reject):
            out.rejects.append(unique(reject_row(row, batch_id), "reject_id"))
        elif row["article_id"] in seen or row["article_id"] in known_article_ids:
            out.duplicates.append(unique({
                "duplicate_id": T.stable_id("d", batch_id, row["input_path"], row["input_record"]),
                "article_id": row["article_id"], "batch_id": batch_id, "url": row["url"],
                "source": row["source"], "title": row["title"], "published_at": row["published_at"],
                "input_path": row["input_path"], "input_record": row["input_record"],
            }, "duplicate_id"))
        else:
            seen[row["article_id"]] = row["input_path"]
            out.articles.append(row)
        if on_record is not None:
            on_record(n)

    for rej in listing_rejects:
        handle(rej)
    for item in iter_input_files(paths):
        if isinstance(item, Reject):
            handle(item)
            continue
        last = ""
        try:
            for raw in read_records(item, limits, (records or {}).get(str(item))):
                last = raw.input_record
                handle(raw)
        except Exception as exc:
            handle(Reject(str(item), f"after record {last}" if last else "",
                          _FAILURE_REASON.get(format_of(item) or "", "unreadable"),
                          f"reading stopped: {_short(exc)}"))
    return out
