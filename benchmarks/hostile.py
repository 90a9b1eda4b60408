"""Hostile inputs: a generated corpus of broken and malicious files mixed with good articles.

    python -m benchmarks.hostile [--out DIR] [--big] [--keep]

Writes the corpus (`write_corpus`), runs `dispatches run DIR --quiet` on it in a subprocess with a
fresh DISPATCHES_HOME, samples the memory of the whole process tree, then reads research.duckdb
and prints, for every bad file, the reject reason it got, and for the good articles whether they
landed. Exit status 1 when the run crashes, a good article is missing, or a bad file has no
reject with the expected reason.

Without --big the two huge files are smaller (a 20 MB single line, a 1 GiB sparse file), so the
corpus builds in seconds; with --big they are a 200 MB single line and a 10 GiB sparse file (the
sparse file takes no disk space; the 200 MB line does, briefly).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from benchmarks.throughput import tree_rss_kb as _tree_rss_kb
from benchmarks.throughput import _dispatches_exe, _fmt_table

# Good articles, written for this benchmark (wire style, invented outlets).
GOOD = {
    "good_strike.txt": (
        "Drone strike hits fuel depot in Kharkiv",
        "KHARKIV, Ukraine (Steppe Wire) - A Russian drone struck a fuel depot on the eastern edge of Kharkiv "
        "on Tuesday, wounding two workers, the regional governor said.\n\nFirefighters put out the blaze by "
        "the evening. The depot supplied petrol stations across the region.",
    ),
    "good_visit.jsonl": (
        "Indian minister arrives in Canberra",
        "CANBERRA (Southern Cross Post) - India's External Affairs Minister Subrahmanyam Jaishankar arrived in "
        "Canberra on Monday for talks with Australian Foreign Minister Penny Wong on maritime security and "
        "trade.\n\nThe two ministers are expected to sign an agreement on critical minerals, officials said.",
    ),
    "good_sale.html": (
        "Norway orders air defence systems",
        "OSLO (Fjord Herald) - Norway signed a contract worth 2.5 billion crowns for additional NASAMS air "
        "defence launchers from Kongsberg, the defence ministry said on Wednesday.\n\nDeliveries are due to "
        "begin in 2026, the ministry said.",
    ),
    "good_feed.xml": (
        "Talks on grain corridor resume in Istanbul",
        "ISTANBUL (Bosphorus Daily) - Delegations from Turkey and the United Nations resumed talks in Istanbul "
        "on Thursday on reopening a shipping corridor for grain exports, a Turkish official said.\n\nNo "
        "agreement was reached on the first day, the official said.",
    ),
}

# bad file (relative path) -> the reject reason it must get
EXPECTED_REASONS = {
    "bad/binary.txt": "binary",
    "bad/empty.txt": "empty",
    "bad/nul_bytes.txt": "binary",
    "bad/invalid_utf8.txt": "undecodable",
    "bad/truncated.warc.gz": "malformed_warc",
    "bad/truncated.warc": "malformed_warc",
    "bad/not_gzip.warc.gz": "malformed_warc",
    "bad/billion_laughs.xml": "malformed_feed",
    "bad/external_entity.xml": "malformed_feed",
    "bad/deep.html": "no_text",
    "bad/deep.json": "malformed_json",
    "bad/deep.jsonl": "malformed_json",
    "bad/huge_line.jsonl": "oversized",
    "bad/sparse.txt": "oversized",
    "bad/self_loop.txt": "unreadable",
    "bad/dir_loop": "unreadable",
    "bad/unknown.docx": "unsupported_format",
}


def _warc_record(url: str, html: bytes) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + str(len(html)).encode() + b"\r\n\r\n" + html
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\n"
            f"WARC-Record-ID: <urn:uuid:{hashlib.sha256(url.encode()).hexdigest()[:12]}-0000-0000-0000-000000000000>\r\n"
            f"WARC-Date: 2024-05-01T10:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http)}\r\n\r\n").encode()
    return head + http + b"\r\n\r\n"


def write_corpus(out: Path, big: bool = False) -> dict[str, str]:
    """Write the good and bad files under `out`; returns EXPECTED_REASONS (paths relative to out)."""
    out.mkdir(parents=True, exist_ok=True)
    good, bad = out / "good", out / "bad"
    good.mkdir(exist_ok=True)
    bad.mkdir(exist_ok=True)
    # --- good articles in four formats
    title, body = GOOD["good_strike.txt"]
    (good / "good_strike.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    title, body = GOOD["good_visit.jsonl"]
    (good / "good_visit.jsonl").write_text(json.dumps({"title": title, "text": body, "published": "2024-05-06T08:00:00Z"}) + "\n", encoding="utf-8")
    title, body = GOOD["good_sale.html"]
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    (good / "good_sale.html").write_text(
        f"<html><head><title>{title}</title><meta property='article:published_time' content='2024-05-08'></head>"
        f"<body><article><h1>{title}</h1>{paras}</article></body></html>", encoding="utf-8")
    title, body = GOOD["good_feed.xml"]
    (good / "good_feed.xml").write_text(
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Bosphorus Daily</title>"
        f"<item><title>{title}</title><link>http://127.0.0.1:9/never-fetched</link>"
        f"<pubDate>Thu, 09 May 2024 10:00:00 GMT</pubDate><description>{body}</description></item></channel></rss>",
        encoding="utf-8")

    # --- bad files
    rnd = random.Random(7)
    (bad / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(rnd.randrange(256) for _ in range(4096)))
    (bad / "empty.txt").write_bytes(b"")
    (bad / "nul_bytes.txt").write_bytes(b"Officials said the talks\x00 ended without\x00 agreement.\n" * 50)
    (bad / "invalid_utf8.txt").write_bytes(bytes(rnd.randrange(128, 256) for _ in range(8192)))
    html = f"<html><head><title>{GOOD['good_strike.txt'][0]}</title></head><body><p>{GOOD['good_strike.txt'][1]}</p></body></html>".encode()
    warc = _warc_record("file:///etc/passwd", html) + _warc_record("http://127.0.0.1:9/x", html)
    whole = gzip.compress(warc)
    (bad / "truncated.warc.gz").write_bytes(whole[: len(whole) // 3])  # cut inside the first record
    (bad / "truncated.warc").write_bytes(warc[: len(warc) // 3])
    (bad / "not_gzip.warc.gz").write_bytes(b"\x1f\x8b" + bytes(rnd.randrange(256) for _ in range(2048)))
    (bad / "billion_laughs.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
        + ']><rss><channel><item><description>&lol9;</description></item></channel></rss>', encoding="utf-8")
    (bad / "external_entity.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY web SYSTEM "http://127.0.0.1:9/x">]>'
        "<rss><channel><item><title>t</title><description>&xxe; &web;</description></item></channel></rss>", encoding="utf-8")
    (bad / "deep.html").write_text("<html><body>" + "<div>" * 100_000 + "deep" + "</div>" * 100_000 + "</body></html>", encoding="utf-8")
    (bad / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (bad / "deep.jsonl").write_text('{"text": ' + "[" * 100_000 + "]" * 100_000 + "}\n", encoding="utf-8")
    line_mb = 200 if big else 20
    with (bad / "huge_line.jsonl").open("wb") as fh:
        fh.write(b'{"title": "huge", "text": "')
        chunk = b"word " * (1 << 18)  # 1.25 MiB
        for _ in range(line_mb * 1024 * 1024 // len(chunk)):
            fh.write(chunk)
        fh.write(b'"}\n')
    with (bad / "sparse.txt").open("wb") as fh:
        fh.truncate((10 if big else 1) * 1024 ** 3)  # holes: no disk space used
    loop = bad / "self_loop.txt"
    if not loop.is_symlink():
        os.symlink(loop.name, loop)  # points at itself
    dir_loop = bad / "dir_loop"
    if not dir_loop.exists():
        dir_loop.mkdir()
        os.symlink("..", dir_loop / "up")  # bad/dir_loop/up -> bad: a directory cycle
    (bad / "unknown.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    return dict(EXPECTED_REASONS)


def check(home: Path, corpus: Path, expected: dict[str, str]) -> tuple[list[tuple[str, str, str, bool]], list[tuple[str, bool]]]:
    """(bad file, expected reason, reasons found, ok) rows and (good title, landed) rows."""
    with duckdb.connect(str(home / "research.duckdb"), read_only=True) as con:
        rejects = con.execute("SELECT input_path, reason FROM rejects").fetchall()
        titles = {r[0] for r in con.execute("SELECT title FROM articles").fetchall()}
    bad_rows = []
    for rel, reason in expected.items():
        target = str(corpus / rel)
        found = sorted({r for p, r in rejects if p == target or p.startswith(target + os.sep)})
        bad_rows.append((rel, reason, ", ".join(found) or "-", reason in found))
    good_rows = [(t, t in titles) for t, _ in GOOD.values()]
    return bad_rows, good_rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.hostile", description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", help="write the corpus here (kept)")
    ap.add_argument("--big", action="store_true", help="a 200 MB line and a 10 GiB sparse file")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="dispatches-hostile-"))
    corpus = Path(args.out) if args.out else tmp / "corpus"
    home = tmp / "home"
    try:
        t = time.perf_counter()
        expected = write_corpus(corpus, big=args.big)
        print(f"corpus: {len(GOOD)} good files, {len(expected)} bad ones at {corpus} ({time.perf_counter() - t:.1f} s)", flush=True)
        env = dict(os.environ, DISPATCHES_HOME=str(home), COLUMNS="120")
        env.pop("DAGSTER_HOME", None)
        peak = 0
        t = time.perf_counter()
        proc = subprocess.Popen([_dispatches_exe(), "run", str(corpus), "--quiet"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        while proc.poll() is None:
            peak = max(peak, _tree_rss_kb(proc.pid)[0])
            time.sleep(0.1)
        out, err = proc.communicate()
        wall = time.perf_counter() - t
        if proc.returncode != 0:
            print(f"dispatches run failed (exit {proc.returncode}):\n{err[-3000:]}", file=sys.stderr)
            return 1
        bad_rows, good_rows = check(home, corpus, expected)
        print()
        print(_fmt_table([("bad file", "expected reason", "rejects found", "ok")]
                         + [(a, b, c, "yes" if d else "NO") for a, b, c, d in bad_rows]))
        print()
        print(_fmt_table([("good article", "landed")] + [(a, "yes" if b else "NO") for a, b in good_rows]))
        print(f"\n  run: {wall:.1f} s, exit 0; peak RSS of the whole process tree {peak / 1024:.0f} MB"
              f"{' (--big: 200 MB line, 10 GiB sparse file)' if args.big else ' (20 MB line, 1 GiB sparse file; --big for 200 MB and 10 GiB)'}")
        ok = all(r[3] for r in bad_rows) and all(g[1] for g in good_rows)
        print(f"  every bad file rejected with its reason and every good article landed: {'yes' if ok else 'NO'}")
        if args.keep:
            print(f"  kept: {tmp}")
        return 0 if ok else 1
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
