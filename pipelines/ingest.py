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
            yield p
        else:
            yield Reject(str(p), "", "unreadable", "not a regular file")

    for raw in paths:
        yield from walk(Path(raw).absolute())


def read_records(path: Path, limits: Limits = Limits()) -> Iterator[RawRecord | Reject]:
    """The raw article records in one file, or rejects saying why there are none."""
    name = str(path)
    fmt = format_of(path)
    if fmt is None:
        yield Reject(name, "", "unsupported_format", f"extension {path.suffix or '(none)'!r} is not ingested")
        return
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield Reject(name, "", "unreadable", str(exc.strerror or exc))
        return
    if size == 0:
        yield Reject(name, "", "empty", "file has 0 bytes")
        return
    limit = {
        "text": limits.max_article_bytes, "html": limits.max_article_bytes,
        "json": limits.max_container_bytes, "feed": limits.max_feed_bytes,
    }.get(fmt, limits.max_container_bytes)
    if size > limit:
        yield Reject(name, "", "oversized", f"{size} bytes > limit {limit} for {fmt} files")
        return
    try:
        if fmt == "jsonl":
            yield from _read_jsonl(path, limits)
        elif fmt == "warc":
            yield from _read_warc(path, limits)
        else:
            data = path.read_bytes()
            if fmt == "text":
                yield from _read_text(name, data)
            elif fmt == "html":
                yield from _read_html(name, data)
            elif fmt == "json":
                yield from _read_json(name, data, limits)
            else:
                yield from _read_feed(name, data, limits)
    except OSError as exc:
        yield Reject(name, "", "unreadable", str(exc.strerror or exc))


def decode(data: bytes) -> tuple[str | None, str | None]:
    """(text, None) or (None, reason code) for bytes that should be text."""
    head = data[:8192]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            return None, "undecodable"
    if b"\x00" in head or head.startswith(_BINARY_MAGIC):
        return None, "binary"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    replaced = data.decode("utf-8", errors="replace")
    if replaced.count("\ufffd") <= max(1, len(replaced) // 1000):
        return replaced, None  # UTF-8 with a stray bad byte or two
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.chaos > 0.3:
        return None, "undecodable"
    try:
        return data.decode(best.encoding), None
    except (UnicodeDecodeError, LookupError):
        return None, "undecodable"


def _read_text(name: str, data: bytes) -> Iterator[RawRecord | Reject]:
    text, reason = decode(data)
    if text is None:
        yield Reject(name, "", reason or "undecodable", "file content is not text")
        return
    yield RawRecord(name, "", text, title_in_body=True)


def _read_html(name: str, data: bytes, record: str = "", url: str | None = None) -> Iterator[RawRecord | Reject]:
    text, reason = decode(data)
    if text is None:
        yield Reject(name, record, reason or "undecodable", "HTML content is not text")
        return
    yield RawRecord(name, record, text, is_html=True, url=url)


def _first(obj: Mapping, keys: tuple[str, ...]) -> Any:
    for k in keys:
        v = obj.get(k)
        if v not in (None, ""):
            return v
    return None


def _record_from_object(name: str, record: str, obj: Any) -> RawRecord | Reject:
    if not isinstance(obj, dict):
        return Reject(name, record, "malformed_json", f"expected an article object, got {type(obj).__name__}")
    body = _first(obj, TEXT_KEYS)
    if body is None:
        return Reject(name, record, "empty", f"no text field (one of {', '.join(TEXT_KEYS)})")
    if not isinstance(body, str):
        return Reject(name, record, "malformed_json", f"text field is {type(body).__name__}, not a string")
    source = _first(obj, SOURCE_KEYS)
    if isinstance(source, dict):
        source = source.get("name") or source.get("title")
    title = _first(obj, TITLE_KEYS)
    return RawRecord(
        name, record, body, is_html=_looks_like_html(body),
        title=str(title) if title is not None else None,
        url=_str_or_none(_first(obj, URL_KEYS)), source=_str_or_none(source),
        published=_first(obj, DATE_KEYS), author=_str_or_none(obj.get("author")),
    )


def _str_or_none(v: Any) -> str | None:
    return None if v is None else str(v)[:2000]


def _read_json(name: str, data: bytes, limits: Limits) -> Iterator[RawRecord | Reject]:
    text, reason = decode(data)
    if text is None:
        yield Reject(name, "", reason or "undecodable", "JSON file is not text")
        return
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:
        yield Reject(name, "", "malformed_json", _short(exc))
        return
    items = doc if isinstance(doc, list) else [doc]
    if not items:
        yield Reject(name, "", "empty", "JSON list has no articles")
    for i, obj in enumerate(items):
        rec = _record_from_object(name, str(i) if isinstance(doc, list) else "", obj)
        if isinstance(rec, RawRecord) and len(rec.body.encode("utf-8", "ignore")) > limits.max_article_bytes:
            yield Reject(name, rec.input_record, "oversized", f"article text > {limits.max_article_bytes} bytes")
        else:
            yield rec


def _iter_lines(fh: io.BufferedReader, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """Lines of a binary stream; a line longer than max_bytes is skipped and yielded as None."""
    n = 0
    while True:
        line = fh.readline(max_bytes + 1)
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while True:  # skip the rest of the oversized line without keeping it
                chunk = fh.readline(1 << 20)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield n, None
        else:
            yield n, line
        n += 1


def _read_jsonl(path: Path, limits: Limits) -> Iterator[RawRecord | Reject]:
    name = str(path)
    with path.open("rb") as fh:
        any_line = False
        for n, line in _iter_lines(fh, limits.max_article_bytes):
            record = str(n)
            if line is None:
                any_line = True
                yield Reject(name, record, "oversized", f"JSON line > {limits.max_article_bytes} bytes")
                continue
            if not line.strip():
                continue
            any_line = True
            text, reason = decode(line)
            if text is None:
                yield Reject(name, record, reason or "undecodable", "JSON line is not text")
                continue
            try:
                obj = json.loads(text)
            except (ValueError, RecursionError) as exc:
                yield Reject(name, record, "malformed_json", _short(exc))
                continue
            yield _record_from_object(name, record, obj)
        if not any_line:
            yield Reject(name, "", "empty", "JSON lines file has no lines")


def _short(exc: BaseException) -> str:
    msg = f"{type(exc).__name__}: {exc}"
    return msg if len(msg) <= 300 else msg[:297] + "..."


# ---------------------------------------------------------------------------------------------
# Feeds
# ---------------------------------------------------------------------------------------------

_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_DC = "{http://purl.org/dc/elements/1.1/}"


def _read_feed(name: str, data: bytes, limits: Limits) -> Iterator[RawRecord | Reject]:
    """RSS 2.0/1.0 and Atom, parsed with defusedxml: DTDs, entity declarations and external
    entities are refused, so entity-expansion bombs and XXE cannot run."""
    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException
    from xml.etree.ElementTree import ParseError

    try:
        root = DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, ParseError, ValueError, RecursionError) as exc:
        yield Reject(name, "", "malformed_feed", _short(exc))
        return
    entries = list(root.iter(f"{_ATOM}entry"))
    items = list(root.iter("item")) or list(root.iter("{http://purl.org/rss/1.0/}item"))
    if not entries and not items:
        yield Reject(name, "", "malformed_feed", f"no RSS items or Atom entries under <{root.tag}>")
        return
    for i, el in enumerate(entries or items):
        rec = _atom_entry(name, str(i), el) if entries else _rss_item(name, str(i), el)
        if isinstance(rec, RawRecord) and len(rec.body.encode("utf-8", "ignore")) > limits.max_article_bytes:
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
    body = _text_of(el, _CONTENT, "description", "{http://purl.org/rss/1.0/}description")
    if body is None:
        return Reject(name, record, "empty", "feed item has no description or content")
    return RawRecord(
        name, record, body, is_html=_looks_like_html(body),
        title=_text_of(el, "title", "{http://purl.org/rss/1.0/}title"),
        url=_text_of(el, "link", "guid", "{http://purl.org/rss/1.0/}link"),
        source=_text_of(el, "source", f"{_DC}publisher"),
        published=_text_of(el, "pubDate", f"{_DC}date"),
        author=_text_of(el, "author", f"{_DC}creator"),
    )


def _atom_entry(name: str, record: str, el) -> RawRecord | Reject:
    content = el.find(f"{_ATOM}content")
    if content is None or not (content.text or "").strip():
        content = el.find(f"{_ATOM}summary")
    body = (content.text or "").strip() if content is not None else ""
    if not body:
        return Reject(name, record, "empty", "Atom entry has no content or summary")
    link = None
    for ln in el.findall(f"{_ATOM}link"):
        if ln.get("rel", "alternate") == "alternate" and ln.get("href"):
            link = ln.get("href")
            break
    author = el.find(f"{_ATOM}author/{_ATOM}name")
    return RawRecord(
        name, record, body,
        is_html=(content.get("type") in ("html", "xhtml")) or _looks_like_html(body),
        title=_text_of(el, f"{_ATOM}title"), url=link, source=None,
        published=_text_of(el, f"{_ATOM}published", f"{_ATOM}updated"),
        author=author.text.strip() if author is not None and author.text else None,
    )


# ---------------------------------------------------------------------------------------------
# WARC
# ---------------------------------------------------------------------------------------------

def _read_warc(path: Path, limits: Limits) -> Iterator[RawRecord | Reject]:
    """HTML `response` (and `resource`) records. warcinfo, request and metadata records describe
    the crawl, not articles, and are passed over; a non-HTML response is rejected. Target URIs
    are stored as the article url and never fetched."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    name = str(path)
    n = 0
    try:
        with path.open("rb") as fh:
            for rec in ArchiveIterator(fh):
                if rec.rec_type not in ("response", "resource"):
                    continue
                record = rec.rec_headers.get_header("WARC-Record-ID") or str(n)
                n += 1
                ctype = ""
                if rec.http_headers is not None:
                    ctype = rec.http_headers.get_header("Content-Type") or ""
                else:
                    ctype = rec.rec_headers.get_header("Content-Type") or ""
                if "html" not in ctype.lower() and "xhtml" not in ctype.lower():
                    yield Reject(name, record, "unsupported_format", f"record content type {ctype or '(none)'!r}")
                    continue
                payload = rec.content_stream().read(limits.max_article_bytes + 1)
                if len(payload) > limits.max_article_bytes:
                    yield Reject(name, record, "oversized", f"record payload > {limits.max_article_bytes} bytes")
                    continue
                url = rec.rec_headers.get_header("WARC-Target-URI")
                yield from _read_html(name, payload, record=record, url=url)
    except (ArchiveLoadFailed, EOFError, OSError, gzip.BadGzipFile, ValueError, zlib.error) as exc:
        yield Reject(name, f"after record {n}", "malformed_warc", _short(exc))
        return
    if n == 0:
        yield Reject(name, "", "empty", "WARC file has no response records")


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------

def _looks_like_html(s: str) -> bool:
    head = s[:2000].lower()
    return "<p" in head or "<html" in head or "<div" in head or "<br" in head or "<article" in head


def html_fragment_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed item's content), one line per block element."""
    import lxml.html
    from lxml.etree import ParserError, XMLSyntaxError

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, XMLSyntaxError, ValueError):
        return ""
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in root.iter("p", "div", "li", "h1", "h2", "h3", "h4", "blockquote", "tr"):
        block.tail = "\n" + (block.tail or "")
    for junk in root.xpath("//script|//style|//noscript"):
        junk.drop_tree()
    return root.text_content()


def html_page(html: str) -> dict[str, Any]:
    """Main text and metadata of a whole HTML page, with trafilatura."""
    import trafilatura

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
        "date": d.get("date"), "url": d.get("url"), "site": d.get("sitename") or d.get("hostname"),
    }


# ---------------------------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------------------------

def build_article(raw: RawRecord, batch_id: str, ingested_at: datetime) -> dict | Reject:
    """Normalise one raw record into an `articles` row (or a reject)."""
    title, url, source, author, published = raw.title, raw.url, raw.source, raw.author, raw.published
    body = raw.body
    if raw.is_html:
        if "<html" in body[:5000].lower() or "<body" in body[:5000].lower():
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
    text = T.normalise_text(body)
    if raw.title_in_body:
        title, text = T.split_title(text)
    elif title and text.startswith(T.normalise_text(title)):
        text = text[len(T.normalise_text(title)):].lstrip()  # HTML pages repeat the headline
    if not text.strip():
        return Reject(raw.input_path, raw.input_record, "empty", "no text after normalisation" + (" (title only)" if title else ""))
    published_at = T.parse_timestamp(published)
    published_source = "metadata" if published_at else "none"
    dateline = T.find_dateline(text)
    if published_at is None and dateline and dateline.date_text:
        published_at = T.parse_timestamp(dateline.date_text) if any(ch.isdigit() for ch in dateline.date_text[-4:]) else None
        if published_at is not None:
            published_source = "dateline"
    lang, lang_score = T.detect_language(text)
    title = " ".join(T.normalise_text(title).split()) if title else None
    return {
        "article_id": T.article_id(text),
        "batch_id": batch_id,
        "url": url,
        "source": source or (dateline.agency if dateline else None),
        "title": title or None,
        "author": author,
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
) -> IngestResult:
    """Ingest files and folders into articles, duplicates and rejects for one batch.

    `known_article_ids` are the ids already stored by other batches: those texts become
    duplicates here. `on_record(n)` is called after each input record (for progress bars).
    """
    ingested_at = ingested_at or datetime.now(timezone.utc)
    out = IngestResult()
    seen: dict[str, str] = {}
    n = 0
    for item in iter_input_files(paths):
        records = [item] if isinstance(item, Reject) else read_records(item, limits)
        for raw in records:
            n += 1
            row = raw if isinstance(raw, Reject) else build_article(raw, batch_id, ingested_at)
            if isinstance(row, Reject):
                out.rejects.append(reject_row(row, batch_id))
            elif row["article_id"] in seen or row["article_id"] in known_article_ids:
                out.duplicates.append({
                    "duplicate_id": T.stable_id("d", batch_id, row["input_path"], row["input_record"]),
                    "article_id": row["article_id"], "batch_id": batch_id, "url": row["url"],
                    "source": row["source"], "title": row["title"], "published_at": row["published_at"],
                    "input_path": row["input_path"], "input_record": row["input_record"],
                })
            else:
                seen[row["article_id"]] = row["input_path"]
                out.articles.append(row)
            if on_record is not None:
                on_record(n)
    return out
