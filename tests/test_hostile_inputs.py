"""Hostile and broken inputs (benchmarks/hostile.py writes them): binary, empty, NUL bytes,
invalid UTF-8, truncated gzip and WARC, entity-expansion and external-entity XML, HTML and JSON
nested 100,000 deep, a 20 MB single line, a 1 GiB sparse file, symlink loops. The good articles
mixed with them land; every bad file is a reject with its reason; nothing raises.

The fast test calls the pure ingest functions; the slow one runs the CLI on the same corpus.
The --big variant (200 MB line, 10 GiB sparse file) is `python -m benchmarks.hostile --big`."""

from __future__ import annotations

import os
import subprocess
import tracemalloc
from pathlib import Path

import pytest

from benchmarks.hostile import GOOD, check, write_corpus
from pipelines import batches
from pipelines.ingest import Reject, ingest


def _traced(fn):
    """fn()'s result and the peak growth of the Python heap while it ran, in MB: the delta of
    this one call (tracemalloc), not the process's lifetime peak (ru_maxrss), which an earlier
    test may already have raised above anything this call does. Reading a file whole would show:
    its bytes and str live on that heap."""
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        result = fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return result, (peak - base) / 2**20


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("hostile") / "corpus"
    return root, write_corpus(root)


def test_every_bad_file_is_rejected_with_its_reason_and_the_good_land(corpus):
    root, expected = corpus
    manifest = batches.make_manifest([root], origin="test")
    result, grew_mb = _traced(lambda: ingest(manifest.files, "bhostile",
                                             listing_rejects=[Reject(p, "", r, d) for p, r, d in manifest.unreadable]))
    for rel, reason in expected.items():
        target = str(root / rel)
        found = {r["reason"] for r in result.rejects if r["input_path"] == target or r["input_path"].startswith(target + os.sep)}
        assert reason in found, f"{rel}: expected {reason}, got {found or 'no reject'}"
    titles = {a["title"] for a in result.articles}
    assert {t for t, _ in GOOD.values()} <= titles
    assert len(result.articles) == len(GOOD)  # nothing from a bad file became an article
    assert grew_mb < 400, f"ingest's heap peaked {grew_mb:.0f} MB above its start"  # the 20 MB line and 1 GiB file are never held


def test_the_sparse_file_and_the_huge_line_are_never_read_whole(corpus):
    root, _ = corpus
    assert (root / "bad" / "sparse.txt").stat().st_size == 1024 ** 3
    manifest = batches.make_manifest([root / "bad" / "sparse.txt", root / "bad" / "huge_line.jsonl"], origin="test")
    result, grew_mb = _traced(lambda: ingest(manifest.files, "bbig"))
    assert sorted(r["reason"] for r in result.rejects) == ["oversized", "oversized"]
    # today about 10 MB; reading the 20 MB line whole (bytes, then str) peaks at 40 MB, the 1 GiB file at 1 GiB
    assert grew_mb < 30, f"ingest's heap peaked {grew_mb:.0f} MB above its start"


def test_urls_in_inputs_are_never_fetched(corpus):
    """The WARC targets (file:///etc/passwd, http://127.0.0.1:9/x), the feed link and the XML
    external entities point at a closed local port and a local file: ingest stores URLs as text,
    refuses entities, and never opens either."""
    import socket

    root, _ = corpus
    real_connect = socket.socket.connect
    calls = []

    def spy(self, address):
        calls.append(address)
        return real_connect(self, address)

    socket.socket.connect = spy
    try:
        manifest = batches.make_manifest([root], origin="test")
        result = ingest(manifest.files, "bnet")
    finally:
        socket.socket.connect = real_connect
    assert calls == []
    assert not any("root:" in a["text"] for a in result.articles)  # /etc/passwd never read


@pytest.mark.slow
def test_the_cli_survives_the_hostile_corpus(corpus, tmp_path: Path):
    from tests.conftest import subprocess_env
    from tests.test_cli import DISPATCHES

    root, expected = corpus
    home = tmp_path / "home"
    out = subprocess.run([DISPATCHES, "run", "--quiet", str(root)], env=subprocess_env(home),
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    bad_rows, good_rows = check(home, root, expected)
    assert [r for r in bad_rows if not r[3]] == []
    assert all(landed for _, landed in good_rows)
