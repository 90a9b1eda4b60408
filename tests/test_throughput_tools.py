"""The measuring tools of benchmarks/throughput.py. No timings here.

- benchmarks/parse_floor.py measures the parse that extraction does, and only that: the floor
  that `throughput.py --floor` prints is worth something only if it parses exactly the sentences
  extraction parses, in the same nlp.pipe calls.
- throughput.step_seconds reads each Dagster step's time off a run's own instance."""

from __future__ import annotations

from benchmarks import parse_floor
from benchmarks.throughput import step_seconds
from pipelines import extract

WORDS = 120


def _texts(n: int) -> list[str]:
    from benchmarks.dense_corpus import generate_dense

    return [a.text for a in generate_dense(n, seed=5, words=WORDS)]


def _record_parses(monkeypatch) -> list[list[str]]:
    """Every _parse call's sentences, in order (the real parse still runs)."""
    calls: list[list[str]] = []
    real = extract._parse

    def recording(texts, nlp):
        calls.append(list(texts))
        return real(texts, nlp)

    monkeypatch.setattr(extract, "_parse", recording)
    return calls


def test_the_floor_parses_the_sentences_extraction_parses_in_the_same_calls(monkeypatch) -> None:
    texts = _texts(6)
    calls = _record_parses(monkeypatch)
    extract._extract_chunk([{"article_id": f"f{i}", "text": t, "published_at": None} for i, t in enumerate(texts)])
    by_extraction = list(calls)
    calls.clear()
    sentences, candidates = parse_floor.parse_chunk(texts)
    assert calls == by_extraction
    assert len(by_extraction) == 1 and candidates == len(by_extraction[0]) > 0
    # a dense corpus: most sentences are candidates, not all
    assert 0 < candidates < sentences


def test_parse_only_counts_every_chunk_once(monkeypatch) -> None:
    """Over a pool, every chunk of CHUNK_ARTICLES articles is parsed once: the counts equal the
    sum of parse_chunk over the chunks."""
    monkeypatch.setattr(extract, "CHUNK_ARTICLES", 2)  # read in this process, where the chunks are cut
    texts = _texts(5)
    expected = [parse_floor.parse_chunk(texts[lo:lo + 2]) for lo in range(0, 5, 2)]
    got = parse_floor.parse_only(texts, 2)
    assert (got["sentences"], got["candidates"]) == (sum(s for s, _ in expected), sum(c for _, c in expected))
    assert got["wall_s"] > 0 and got["workers"] == 2


def test_step_seconds_reads_every_step_of_the_run_off_its_instance(clean_facts_home) -> None:
    steps = step_seconds(clean_facts_home)
    assert steps["runs"] == 1
    assert {"ingest_batch", "extract_facts", "group_events", "research_db"} <= set(steps)
    inside = [v for k, v in steps.items() if k not in ("run", "runs")]
    assert all(v > 0 for v in inside)
    assert sum(inside) <= steps["run"]  # the steps run one after another, within the run
