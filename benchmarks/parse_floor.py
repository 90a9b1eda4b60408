"""The floor under extraction: the parse alone, as `dispatches run` does it, with no rules.

Extraction is two costs per article: the spaCy parse of its candidate sentences and the rules
that read facts off the parses. No work on the rules can make a run faster than the parse alone,
so benchmarks/throughput.py --floor measures it: the same sentence split, the same candidate
filter (pipelines.extract.needs_parse), the same chunks of CHUNK_ARTICLES articles parsed in one
nlp.pipe call each (pipelines.extract._parse, the model as pipelines.nlp.get_nlp loads it), spread
over the same number of processes, each loading the model once; and nothing done with the parses.

The functions live in their own module so that a pool process can import them by name.
"""

from __future__ import annotations

import multiprocessing
import time
from typing import Sequence


def parse_chunk(texts: Sequence[str]) -> tuple[int, int]:
    """Parse the candidate sentences of some articles as extraction does; (sentences, candidates)."""
    from pipelines.extract import _parse, needs_parse
    from pipelines.text import split_sentences

    sentences = [s.text for t in texts for s in split_sentences(t)]
    candidates = [s for s in sentences if needs_parse(s)]
    for _ in _parse(candidates, None):
        pass
    return len(sentences), len(candidates)


def parse_only(texts: Sequence[str], workers: int) -> dict:
    """Wall time of the parse alone over `workers` processes (model loads included), with the
    sentence and candidate counts."""
    from pipelines.extract import CHUNK_ARTICLES, _start_pool

    chunks = [list(texts[lo:lo + CHUNK_ARTICLES]) for lo in range(0, len(texts), CHUNK_ARTICLES)]
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    n_sent = n_cand = 0
    t = time.perf_counter()
    # extraction's own pool: the model loaded in each process, SIGTERM's default action restored
    with _start_pool(ctx, max(1, min(workers, len(chunks)))) as pool:
        for s, c in pool.imap_unordered(parse_chunk, chunks):
            n_sent += s
            n_cand += c
    return {"wall_s": time.perf_counter() - t, "workers": workers, "sentences": n_sent, "candidates": n_cand}
