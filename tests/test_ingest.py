"""Ingest: every format valid and malformed, hostile inputs, the records invariant, duplicates."""

from __future__ import annotations

import gzip
import io
import json
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from pipelines.ingest import REJECT_REASONS, Limits, build_article, decode, ingest, iter_input_files, read_records

BODY = (
    "The harbour authority said on Tuesday that two cargo ships had been held outside the port "
    "for inspection. Officials gave no reason for the delay and said the checks would continue "
    "through the weekend.\n\nLocal traders said the backlog was already raising prices."
)
BODY2 = (
    "Farmers in the northern valley began the harvest two weeks early this year after an unusually "
    "warm spring. The regional cooperative said yields looked strong despite the dry summer months."
)
FRENCH = (
    "Le conseil municipal a voté mardi soir la fermeture du pont pour des travaux de réparation. "
    "Les habitants devront emprunter un détour pendant au moins trois mois, selon la mairie."
)
T0 = datetime(2024, 3, 4, 12, 0, tzinfo=timezone.utc)


def run(*paths, **kw):
    return ingest([str(p) for p in paths], "btest", ingested_at=T0, **kw)


def reasons(res) -> list[str]:
    return [r["reason"] for r in res.rejects]


def invariant(res, n_records: int) -> None:
    c = res.counts
    assert c["articles"] + c["duplicates"] + c["rejects"] == n_records, c
    ids = [r["reject_id"] for r in res.rejects] + [d["duplicate_id"] for d in res.duplicates]
    assert len(ids) == len(set(ids)), "reject_id / duplicate_id must be unique (primary keys)"
    assert len({a["article_id"] for a in res.articles}) == len(res.articles)
    for r in res.rejects:
        assert r["reason"] in REJECT_REASONS and r["detail"]


# --- WARC and feed builders -----------------------------------------------------------------

def warc_bytes(pages: list[tuple[str, bytes, str]], gz: bool = True) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=gz)
    w.write_record(w.create_warcinfo_record("crawl.warc", {"software": "test"}))
    for url, payload, ctype in pages:
        hh = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=hh))
    return buf.getvalue()


def page(title: str, body: str, extra_head: str = "") -> str:
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (f"<html><head><title>{title}</title>{extra_head}</head><body><nav>Home | World</nav>"
            f"<article><h1>{title}</h1>{paras}</article><footer>Share this article</footer></body></html>")


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Test feed</title>
<item><title>Ships held</title><link>https://news.example/ships</link>
<pubDate>Sun, 03 Mar 2024 10:00:00 GMT</pubDate><description>{b1}</description></item>
<item><title>Harvest</title><link>https://news.example/harvest</link>
<description><![CDATA[<p>{b2}</p>]]></description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom test</title>
<entry><title>Ships held</title><link rel="alternate" href="https://news.example/a1"/>
<published>2024-03-03T10:00:00Z</published><author><name>Jane Roe</name></author>
<content type="html">&lt;p&gt;{b1}&lt;/p&gt;</content></entry>
<entry><title>Harvest</title><link href="https://news.example/a2"/>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>{b2}</p></div></content></entry>
</feed>"""


def esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;")


# --- valid inputs, one per format -------------------------------------------------------------

VALID = {
    "a.txt": lambda: ("Ships held at port\n\n" + BODY).encode(),
    "a.md": lambda: ("# Ships held at port\n\n" + BODY).encode(),
    "a.html": lambda: page("Ships held at port", BODY,
                           '<meta name="author" content="Jane Roe"><link rel="canonical" href="https://news.example/s">'
                           '<meta property="og:site_name" content="Example News">'
                           '<meta property="article:published_time" content="2024-03-03T10:00:00Z">').encode(),
    "a.htm": lambda: page("Ships held at port", BODY).encode(),
    "a.json": lambda: json.dumps({"headline": "Ships held", "body": BODY, "link": "https://news.example/s",
                                  "pubDate": "Sun, 03 Mar 2024 10:00:00 GMT", "publisher": "Example"}).encode(),
    "list.json": lambda: json.dumps([{"title": "Ships", "text": BODY}, {"title": "Harvest", "content": BODY2}]).encode(),
    "a.jsonl": lambda: (json.dumps({"title": "Ships", "text": BODY, "published_at": 1709460000}) + "\n\n"
                        + json.dumps({"title": "Harvest", "text": BODY2, "lang": "en"}) + "\n").encode(),
    "a.rss": lambda: RSS.format(b1=esc(BODY), b2=BODY2).encode(),
    "a.xml": lambda: RSS.format(b1=esc(BODY), b2=BODY2).encode(),
    "a.atom": lambda: ATOM.format(b1=esc(BODY), b2=BODY2).encode(),
    "a.warc.gz": lambda: warc_bytes([("https://news.example/1", page("Ships", BODY).encode(), "text/html; charset=utf-8"),
                                     ("https://news.example/2", page("Harvest", BODY2).encode(), "text/html")]),
    "a.warc": lambda: warc_bytes([("https://news.example/1", page("Ships", BODY).encode(), "text/html")], gz=False),
}
N_ARTICLES = {"list.json": 2, "a.jsonl": 2, "a.rss": 2, "a.xml": 2, "a.atom": 2, "a.warc.gz": 2}


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_formats(tmp_path: Path, name: str) -> None:
    f = tmp_path / name
    f.write_bytes(VALID[name]())
    res = run(f)
    n = N_ARTICLES.get(name, 1)
    assert res.counts == {"articles": n, "duplicates": 0, "rejects": 0}, res.rejects
    for a in res.articles:
        assert a["input_path"] == str(f) and a["batch_id"] == "btest" and a["ingested_at"] == T0
        assert a["is_english"] and a["language"] == "en"
        assert a["n_words"] == len(a["text"].split()) > 10
        assert a["published_at_source"] in ("metadata", "dateline", "none")
        assert (a["published_at"] is None) == (a["published_at_source"] == "none")
        assert a["article_id"].startswith("a")
        assert "Share this article" not in a["text"] and "<p>" not in a["text"]
    assert res.articles[0]["text"].startswith(("The harbour authority", "Farmers"))


def test_metadata_per_format(tmp_path: Path) -> None:
    for i, name in enumerate(("a.html", "a.json", "a.rss", "a.atom", "a.warc.gz", "a.jsonl", "a.txt")):
        data = VALID[name]()
        if not name.endswith(".gz"):  # a distinct text per file, or they are duplicates of each other
            data = data.replace(b"weekend", f"weekend at gate {i}".encode()).replace(b"months", f"months {i}".encode())
        (tmp_path / name).write_bytes(data)
    by = {Path(a["input_path"]).name + a["input_record"]: a for a in run(tmp_path).articles}
    html = by["a.html"]
    assert html["title"] == "Ships held at port" and html["author"] == "Jane Roe"
    assert html["url"] == "https://news.example/s" and html["source"] == "Example News"
    assert html["published_at"].date().isoformat() == "2024-03-03" and html["published_at_source"] == "metadata"
    assert not html["text"].startswith("Ships held")  # repeated headline dropped
    js = by["a.json"]
    assert (js["title"], js["url"], js["source"]) == ("Ships held", "https://news.example/s", "Example")
    assert js["published_at"] == datetime(2024, 3, 3, 10, tzinfo=timezone.utc)
    assert by["a.jsonl0"]["published_at"] == datetime(2024, 3, 3, 10, tzinfo=timezone.utc)  # epoch
    assert by["a.jsonl2"]["published_at"] is None and by["a.jsonl2"]["published_at_source"] == "none"
    assert by["a.txt"]["title"] == "Ships held at port"
    atom0 = [a for k, a in by.items() if k.startswith("a.atom")]
    assert {a["url"] for a in atom0} == {"https://news.example/a1", "https://news.example/a2"}
    assert any(a["author"] == "Jane Roe" for a in atom0)
    warc = [a for k, a in by.items() if k.startswith("a.warc")]
    assert {a["url"] for a in warc} == {"https://news.example/1", "https://news.example/2"}
    assert all(a["input_record"].startswith("<urn:uuid:") for a in warc)


# --- malformed and hostile inputs ------------------------------------------------------------

BOMB = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
        + ']><rss><channel><item><title>&lol9;</title><description>x y z</description></item></channel></rss>')
XXE = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       '<rss><channel><item><title>t</title><description>&xxe;</description></item></channel></rss>')
XXE_PARAM = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>'
             '<rss><channel><item><description>x</description></item></channel></rss>')

MALFORMED = {
    # name: (bytes, expected reasons in order)
    "empty.txt": (b"", ["empty"]),
    "blank.txt": (b"  \n\n \t\n", ["empty"]),
    "title_only.txt": (b"Just a headline\n\n\n", ["empty"]),
    "nul.txt": (b"Some text\x00\x00\x00 with NUL bytes" * 10, ["binary"]),
    "pdf.txt": (b"%PDF-1.7\n" + bytes(range(256)) * 4, ["binary"]),
    "png.html": (b"\x89PNG\r\n\x1a\n" + b"\x01" * 100, ["binary"]),
    "random.txt": (bytes((i * 97 + 31) % 127 + 129 for i in range(4000)), ["undecodable"]),
    "unknown.pdfx": (b"whatever", ["unsupported_format"]),
    "noext": (b"whatever", ["unsupported_format"]),
    "bad.json": (b'{"text": "unterminated', ["malformed_json"]),
    "scalar.json": (b"42", ["malformed_json"]),
    "notext.json": (b'{"title": "no body here"}', ["malformed_json"]),
    "emptytext.json": (b'{"title": "t", "text": ""}', ["empty"]),
    "nontext.json": (b'{"text": {"a": 1}}', ["malformed_json"]),
    "emptylist.json": (b"[]", ["empty"]),
    "deep.json": (b"[" * 100_000 + b"]" * 100_000, ["malformed_json"]),
    "deep.jsonl": (b'{"text": "a b c d", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n", ["malformed_json"]),
    "mixed.jsonl": (json.dumps({"text": BODY}).encode() + b"\n{broken\n[1, 2]\n\"str\"\n{\"text\": \"\"}\n",
                    [ "malformed_json", "malformed_json", "malformed_json", "empty"]),
    "blank.jsonl": (b"\n\n  \n", ["empty"]),
    "bad.rss": (b"<rss><channel><item><description>oops</item></channel>", ["malformed_feed"]),
    "notfeed.xml": (b"<?xml version='1.0'?><catalog><book>x</book></catalog>", ["malformed_feed"]),
    "emptyfeed.rss": (b"<rss version='2.0'><channel><title>t</title></channel></rss>", ["empty"]),
    "noitemtext.rss": (b"<rss><channel><item><title>t</title></item></channel></rss>", ["empty"]),
    "bomb.xml": (BOMB.encode(), ["malformed_feed"]),
    "xxe.rss": (XXE.encode(), ["malformed_feed"]),
    "xxe_param.atom": (XXE_PARAM.encode(), ["malformed_feed"]),
    "garbage.warc": (b"this is not a warc file\n" * 20, ["malformed_warc"]),
    "garbage.warc.gz": (gzip.compress(b"this is not a warc file\n" * 20), ["malformed_warc"]),
    "plain.warc.gz": (b"not gzip at all, just text\n", ["malformed_warc"]),
    "nohtml.warc.gz": (warc_bytes([("https://x.example/a.pdf", b"%PDF-1.4 ...", "application/pdf")]), ["unsupported_format"]),
    "onlyinfo.warc.gz": (warc_bytes([]), ["empty"]),
    "script_only.html": (b"<html><body><script>var a = 1;</script></body></html>", ["no_text"]),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_inputs(tmp_path: Path, name: str) -> None:
    data, expected = MALFORMED[name]
    f = tmp_path / name
    f.write_bytes(data)
    res = run(f)
    got = reasons(res)
    if name == "mixed.jsonl":
        assert res.counts["articles"] == 1
    assert got == expected, res.rejects
    assert all(r["input_path"] == str(f) for r in res.rejects)


def test_feed_entities_never_expanded_or_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRETVALUE")
    f = tmp_path / "xxe_local.rss"
    f.write_text(XXE.replace("file:///etc/passwd", secret.as_uri()))
    res = run(f)
    assert reasons(res) == ["malformed_feed"] and "TOPSECRETVALUE" not in repr(res)


def test_truncated_warc_keeps_earlier_records(tmp_path: Path) -> None:
    pages = [(f"https://news.example/{i}", page(f"T{i}", f"{BODY} Item number {i}.").encode(), "text/html")
             for i in range(4)]
    data = warc_bytes(pages)
    for cut in (len(data) * 3 // 4, len(data) - 10):
        f = tmp_path / f"cut{cut}.warc.gz"
        f.write_bytes(data[:cut])
        res = run(f)
        assert reasons(res) == ["malformed_warc"], res.rejects
        assert 1 <= res.counts["articles"] <= 4
    plain = warc_bytes(pages, gz=False)
    f = tmp_path / "cut.warc"
    f.write_bytes(plain[: len(plain) - 200])  # inside the last record's payload
    res = run(f)
    assert res.counts["articles"] == 3 and reasons(res) == ["malformed_warc"], res.rejects


def test_warc_repeated_record_ids_give_unique_row_ids(tmp_path: Path) -> None:
    data = warc_bytes([("https://news.example/1", page("A", BODY).encode(), "text/html")], gz=False)
    f = tmp_path / "twice.warc"
    f.write_bytes(data + data + warc_bytes([("https://x/p", b"%PDF", "application/pdf")], gz=False) * 2)
    res = run(f)
    invariant(res, 4)
    assert res.counts == {"articles": 1, "duplicates": 1, "rejects": 2}


def test_encodings(tmp_path: Path) -> None:
    text = "Café crème\n\nThe café near the station reopened on Monday, the owner said, after a long renovation."
    (tmp_path / "cp1252.txt").write_bytes(text.replace("said,", "said “finally”,").encode("cp1252"))
    (tmp_path / "latin1.txt").write_bytes(text.replace("Monday", "Tuesday").encode("latin-1"))
    (tmp_path / "utf16.txt").write_bytes(text.replace("Monday", "Friday").encode("utf-16"))
    (tmp_path / "utf16be.txt").write_bytes(b"\xfe\xff" + text.replace("Monday", "Sunday").encode("utf-16-be"))
    (tmp_path / "utf8bom.txt").write_bytes(b"\xef\xbb\xbf" + text.replace("Monday", "Saturday").encode())
    (tmp_path / "meta.html").write_bytes(
        page("Café", "The café near the station reopened on Wednesday after a long renovation, the owner said.",
             '<meta charset="windows-1252">').encode("cp1252"))
    (tmp_path / "u16.jsonl").write_bytes(
        (json.dumps({"text": "Le café est fermé depuis lundi, a déclaré la propriétaire du lieu."}, ensure_ascii=False)
         + "\n").encode("utf-16"))
    (tmp_path / "latin.rss").write_bytes(RSS.format(b1="Le café est fermé depuis lundi, a déclaré la propriétaire.",
                                                   b2="x").replace('encoding="utf-8"', "").encode("cp1252"))
    res = run(tmp_path)
    assert not res.rejects, res.rejects
    texts = {Path(a["input_path"]).name: a for a in res.articles}
    for name in ("cp1252.txt", "latin1.txt", "utf16.txt", "utf16be.txt", "utf8bom.txt"):
        assert texts[name]["title"] == "Café crème", name
        assert "The café near" in texts[name]["text"] and "\ufffd" not in texts[name]["text"]
    assert "“finally”" in texts["cp1252.txt"]["text"]
    assert "café near" in texts["meta.html"]["text"]
    assert "café est fermé" in texts["u16.jsonl"]["text"]
    assert any("café est fermé" in a["text"] for a in res.articles if a["input_path"].endswith("latin.rss"))


def test_decode_utf8_with_a_stray_byte() -> None:
    data = ("Ünïcödé text in UTF-8 " * 20).encode() + b"\xff" + b" and more text"
    text, reason = decode(data)
    assert reason is None and "Ünïcödé" in text


def test_invalid_utf8_and_nul_in_json(tmp_path: Path) -> None:
    f = tmp_path / "x.jsonl"
    lines = [
        b'{"text": "caf\xe9 au lait was served in the square on Monday, witnesses said."}',
        b'{"text": "A line with \\u0000 an escaped NUL and \\ud800 a lone surrogate in it, they said."}',
        b'{"text": "raw NUL \x00 inside"}',
    ]
    f.write_bytes(b"\n".join(lines) + b"\n")
    res = run(f)
    invariant(res, 3)
    assert res.counts["articles"] == 2
    assert "café au lait" in res.articles[0]["text"]
    assert "\x00" not in res.articles[1]["text"] and "\ud800" not in res.articles[1]["text"]
    assert reasons(res) == ["binary"]


def test_json_line_over_limit_is_skipped_not_loaded(tmp_path: Path) -> None:
    f = tmp_path / "big.jsonl"
    big = json.dumps({"text": "word " * 5000})
    f.write_text(json.dumps({"text": BODY}) + "\n" + big + "\n" + json.dumps({"text": BODY2}) + "\n")
    res = run(f, limits=Limits(max_article_bytes=2000))
    invariant(res, 3)
    assert res.counts["articles"] == 2 and reasons(res) == ["oversized"]
    assert res.rejects[0]["input_record"] == "1"


def test_oversized_single_files_and_items(tmp_path: Path) -> None:
    lim = Limits(max_article_bytes=1000)
    (tmp_path / "big.txt").write_text("Title\n\n" + "word " * 400)
    (tmp_path / "big.json").write_text(json.dumps([{"text": "word " * 400}, {"text": BODY[:300]}]))
    (tmp_path / "big.rss").write_text(RSS.format(b1="word " * 400, b2=BODY2))
    res = run(tmp_path, limits=lim)
    invariant(res, 5)
    assert sorted(reasons(res)) == ["oversized"] * 3


def test_sparse_file_is_oversized_without_reading(tmp_path: Path) -> None:
    for name in ("huge.txt", "huge.jsonl", "huge.json", "huge.warc.gz", "huge.rss"):
        f = tmp_path / name
        with f.open("wb") as fh:
            fh.truncate(10 * 1024**3)  # 10 GB, costs nothing on disk
    res = run(tmp_path)
    assert reasons(res) == ["oversized"] * 5


def test_links_and_special_files(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("Title\n\n" + BODY)
    (tmp_path / "broken.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "loop1.txt").symlink_to(tmp_path / "loop2.txt")
    (tmp_path / "loop2.txt").symlink_to(tmp_path / "loop1.txt")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "back").symlink_to(tmp_path)  # directory loop
    os.mkfifo(tmp_path / "fifo.txt")
    (tmp_path / ".hidden.txt").write_text("Hidden\n\n" + BODY2)
    res = run(tmp_path, tmp_path / "ok.txt", tmp_path / "nonexistent")
    assert res.counts["articles"] == 1
    assert sorted(reasons(res)) == ["unreadable"] * 6  # broken, loop1, loop2, dir loop, fifo, missing


def test_hostile_html(tmp_path: Path) -> None:
    deep = "<html><body>" + "<div>" * 100_000 + f"<p>{BODY}</p>" + "</div>" * 100_000 + "</body></html>"
    (tmp_path / "deep.html").write_text(deep)
    (tmp_path / "deepfrag.htm").write_text("<span>" * 100_000 + BODY)
    (tmp_path / "nul.html").write_bytes(page("T", BODY).encode().replace(b"<p>", b"<p>\x01\x0b", 1))
    (tmp_path / "unclosed.html").write_text("<html><body><p>" + BODY2 + "<div><table><tr><td>")
    res = run(tmp_path)
    invariant(res, 4)
    assert set(reasons(res)) <= {"no_text"}
    assert res.counts["articles"] >= 2


def test_html_in_feeds_and_json(tmp_path: Path) -> None:
    f = tmp_path / "a.json"
    f.write_text(json.dumps({"text": "<b>Officials</b> said on <a href='x'>Monday</a> that the bridge would reopen soon."}))
    res = run(f)
    assert res.articles[0]["text"] == "Officials said on Monday that the bridge would reopen soon."


def test_non_english_kept_and_flagged(tmp_path: Path) -> None:
    (tmp_path / "fr.txt").write_text("Fermeture du pont\n\n" + FRENCH)
    res = run(tmp_path)
    (a,) = res.articles
    assert a["language"] == "fr" and a["is_english"] is False


def test_dateline_supplies_published_at(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Talks\n\nWASHINGTON, March 3, 2024 (Wirewire) - " + BODY)
    (tmp_path / "b.json").write_text(json.dumps({"text": "MOSCOW (Reuters) - " + BODY2, "date": "2024-03-01T08:00:00Z"}))
    (tmp_path / "c.txt").write_text("Talks\n\nGENEVA, March 3 — " + BODY)  # no year: no guess
    by = {Path(a["input_path"]).name: a for a in run(tmp_path).articles}
    a, b, c = by["a.txt"], by["b.json"], by["c.txt"]
    assert a["published_at"] == datetime(2024, 3, 3, tzinfo=timezone.utc) and a["published_at_source"] == "dateline"
    assert a["dateline"] == "Washington" and a["source"] == "Wirewire"
    assert b["published_at_source"] == "metadata" and b["dateline"] == "Moscow" and b["source"] == "Reuters"
    assert c["published_at"] is None and c["published_at_source"] == "none" and c["dateline"] == "Geneva"


# --- the invariant, duplicates, stability ----------------------------------------------------

def test_mixed_folder_invariant(tmp_path: Path) -> None:
    n = 0
    for name, make in VALID.items():
        (tmp_path / name).write_bytes(make())
        n += N_ARTICLES.get(name, 1)
    for name, (data, expected) in MALFORMED.items():
        (tmp_path / f"bad_{name}").write_bytes(data)
        n += len(expected) + (1 if name == "mixed.jsonl" else 0)
    (tmp_path / "broken.txt").symlink_to(tmp_path / "nowhere")
    n += 1
    counted = []
    res = run(tmp_path, on_record=counted.append)
    invariant(res, n)
    assert counted == list(range(1, n + 1))
    assert res.counts["duplicates"] > 0  # the same BODY arrives in many formats
    assert len({a["text"] for a in res.articles}) == res.counts["articles"]


def test_duplicates_across_formats_and_calls(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Ships held\n\n" + BODY)
    (tmp_path / "b.jsonl").write_text(json.dumps({"title": "Other title", "text": "  " + BODY.upper() + "  "}) + "\n")
    res = run(tmp_path)
    invariant(res, 2)
    assert res.counts == {"articles": 1, "duplicates": 1, "rejects": 0}
    dup = res.duplicates[0]
    assert dup["article_id"] == res.articles[0]["article_id"] and dup["input_record"] == "0"
    assert dup["title"] == "Other title"
    again = run(tmp_path, known_article_ids={res.articles[0]["article_id"]: "bold"})
    assert again.counts == {"articles": 0, "duplicates": 2, "rejects": 0}
    again2 = run(tmp_path, known_article_ids={res.articles[0]["article_id"]})
    assert again2.counts["duplicates"] == 2


def test_same_path_twice_is_read_once(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("T\n\n" + BODY)
    res = run(tmp_path, f, f)
    assert res.counts == {"articles": 1, "duplicates": 0, "rejects": 0}


def test_ingest_is_deterministic(tmp_path: Path) -> None:
    for name in ("a.txt", "a.jsonl", "a.rss", "a.warc.gz"):
        (tmp_path / name).write_bytes(VALID[name]())
    (tmp_path / "bad.json").write_bytes(b"{")
    r1, r2 = run(tmp_path), run(tmp_path)
    assert r1.articles == r2.articles and r1.rejects == r2.rejects and r1.duplicates == r2.duplicates


def test_iter_input_files_order_and_rejects(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "c/z.txt", "c/a.json", ".git/x.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    got = [p for p in iter_input_files([tmp_path]) if isinstance(p, Path)]
    assert [p.relative_to(tmp_path).as_posix() for p in got] == ["a.txt", "b.txt", "c/a.json", "c/z.txt"]


def test_non_utf8_file_name(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9.txt"
    with open(raw, "wb") as fh:
        fh.write(("Title\n\n" + BODY).encode())
    with open(os.fsencode(tmp_path) + b"/caf\xe9.json", "wb") as fh:
        fh.write(b"{")
    res = run(tmp_path)
    invariant(res, 2)
    assert res.counts["articles"] == 1 and reasons(res) == ["malformed_json"]


def test_read_records_never_raises_on_directory_or_missing(tmp_path: Path) -> None:
    d = tmp_path / "dir.txt"
    d.mkdir()
    assert [r.reason for r in read_records(d)] == ["unreadable"]
    assert [r.reason for r in read_records(tmp_path / "gone.json")] == ["unreadable"]


def test_build_article_direct() -> None:
    from pipelines.ingest import RawRecord

    row = build_article(RawRecord("p", "", "Headline\n\nShare\nBy Jane Doe\n" + BODY, title_in_body=True), "b", T0)
    assert row["title"] == "Headline" and row["text"].startswith("The harbour authority")
    rej = build_article(RawRecord("p", "3", "Share this article\nSubscribe"), "b", T0)
    assert rej.reason == "empty"
