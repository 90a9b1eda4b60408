"""Extraction over several processes: the same rows and ids whatever the number of workers.

pipelines.extract cuts a batch's articles into chunks of CHUNK_ARTICLES, extracts them in this
process and in a pool of workers - 1 processes, and puts the results back in chunk order. These
tests shrink the chunks (the cutting is done by the calling process, so the patch reaches it) so
that a few short articles make enough chunks for the pool, check that the pool really extracted
some of them, and that nothing of the output depends on it: in the core, and through the real
`dispatches run` job, table by table and id by id. No timings here: benchmarks/throughput.py
measures speed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipelines import extract
from tests.conftest import REGISTRATION_COLUMNS, run_cli, table_ids, table_rows

DENSE_WORDS = 90  # short articles: a few event sentences each


def _articles(n: int, seed: int = 11) -> list[dict]:
    from benchmarks.dense_corpus import generate_dense

    return [{"article_id": f"w{i:03d}", "batch_id": "bw", "text": a.text, "published_at": None}
            for i, a in enumerate(generate_dense(n, seed=seed, words=DENSE_WORDS))]


def _in_order(stream) -> tuple[list[dict], list[int]]:
    """(facts, process id) of every chunk of a _parallel_chunks stream, in chunk order."""
    got = {i: (facts, pid) for i, pid, facts in stream}
    assert sorted(got) == list(range(len(got))), "a chunk missing or given twice"
    return [got[i][0] for i in sorted(got)], [got[i][1] for i in sorted(got)]


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(extract, "CHUNK_ARTICLES", 3)
    monkeypatch.setattr(extract, "MIN_PARALLEL_CHUNKS", 2)


def test_chunks_go_to_the_pool_and_come_back_in_order(small_chunks) -> None:
    """The pool extracts chunks (other process ids), this process extracts others, and every
    chunk's facts equal a one-process extraction of that chunk, in place."""
    import time

    arts = _articles(30)
    chunks = [arts[lo:lo + 3] for lo in range(0, len(arts), 3)]
    # this process pauses after each of its chunks, the first time for long enough that the pool
    # process (which first has to start and load the model, slower on a busy machine) gets work
    paused: list[int] = []

    def pause(n: int) -> None:
        time.sleep(0.3 if paused else 25)
        paused.append(n)

    results, owners = _in_order(extract._parallel_chunks(chunks, 2, on_article=pause))
    assert len(results) == len(chunks)
    assert os.getpid() in owners, "this process extracts too"
    assert set(owners) - {os.getpid()}, "no chunk was extracted by the pool"
    for chunk, got in zip(chunks, results):
        assert got == extract._extract_chunk(chunk)


def test_the_pool_stops_as_soon_as_it_has_nothing_left_to_do(small_chunks) -> None:
    """Once every chunk is handed out and the pool has finished its own, its processes (a model
    each, about half a gigabyte) are stopped at once, not when this process finishes its last
    chunk: at the end of a large batch that is the run's peak of memory."""
    import multiprocessing
    import time

    arts = _articles(30)
    chunks = [arts[lo:lo + 3] for lo in range(0, len(arts), 3)]
    seen: list[tuple[int, int]] = []  # (pool processes alive when this process first paused, after)

    def pool_alive() -> int:
        return sum(1 for p in multiprocessing.active_children() if "PoolWorker" in p.name)

    def pause(n: int) -> None:
        if seen:
            return
        before = pool_alive()
        deadline = time.monotonic() + 90  # the pool starts, loads the model, takes the other 9 chunks
        while pool_alive() and time.monotonic() < deadline:
            time.sleep(0.2)
        seen.append((before, pool_alive()))

    results, owners = _in_order(extract._parallel_chunks(chunks, 2, on_article=pause))
    assert seen == [(1, 0)], "the idle pool was still running while this process worked on its chunk"
    assert owners.count(os.getpid()) == 1 and len(set(owners)) == 2  # the pool did all the rest
    for chunk, got in zip(chunks, results):
        assert got == extract._extract_chunk(chunk)


def test_rows_and_ids_do_not_depend_on_the_number_of_workers(small_chunks) -> None:
    arts = _articles(24)
    one = extract.extract_articles(arts, workers=1)
    assert sum(len(v) for k, v in one.items() if k not in ("mentions", "quotes")) > 20, "the articles must hold events"
    progress: list[int] = []
    for workers in (2, 3):
        got = extract.extract_articles(arts, workers=workers, on_article=progress.append)
        for table in extract.FACT_TABLES:
            assert got[table] == one[table], f"{table} with {workers} workers"
        assert progress[-1] == len(arts) and progress == sorted(progress)
        progress.clear()


def test_small_batches_and_a_given_model_stay_in_process(monkeypatch) -> None:
    calls = []
    monkeypatch.setattr(extract, "_parallel_chunks", lambda chunks, *a, **k: calls.append((chunks, *a)) or [
        (i, 0, {t: [] for t in extract.FACT_TABLES}) for i in range(len(chunks))])
    arts = _articles(2)
    extract.extract_articles(arts, workers=4)  # one chunk: below MIN_PARALLEL_CHUNKS
    from pipelines.nlp import get_nlp

    monkeypatch.setattr(extract, "CHUNK_ARTICLES", 1)
    monkeypatch.setattr(extract, "MIN_PARALLEL_CHUNKS", 2)
    extract.extract_articles(arts, workers=4, nlp=get_nlp())  # a model object cannot go to workers
    assert calls == []
    extract.extract_articles(arts, workers=4)
    assert len(calls) == 1 and calls[0][1] == 2, "never more processes than chunks"


def test_default_workers_is_the_cpus_this_process_may_use() -> None:
    assert extract.default_workers() == len(os.sched_getaffinity(0))


def test_the_asset_takes_the_run_setting_then_the_environment_then_the_cpus(monkeypatch) -> None:
    from assets.facts import WORKERS_ENV, ExtractConfig, extraction_run_config, resolve_workers

    monkeypatch.delenv(WORKERS_ENV, raising=False)
    assert ExtractConfig().workers == 0
    assert resolve_workers(0) == extract.default_workers()
    monkeypatch.setenv(WORKERS_ENV, "3")
    assert resolve_workers(0) == 3 and resolve_workers(5) == 5
    monkeypatch.setenv(WORKERS_ENV, "zero")
    assert resolve_workers(0) == extract.default_workers()
    assert extraction_run_config(2) == {"ops": {"extract_facts": {"config": {"workers": 2}}}}


@pytest.mark.parametrize("workers, batches, expected", [
    (2, 1, (1, 2)),    # one batch: all processes extract it
    (2, 10, (2, 1)),   # ten batches on two: two at once, one process each
    (4, 2, (2, 2)),
    (3, 2, (2, 1)),    # never more than W processes in all
    (1, 5, (1, 1)),
    (8, 3, (3, 2)),
])
def test_batches_at_once_share_the_workers(workers, batches, expected) -> None:
    from assets.cli import share_workers

    at_once, each = share_workers(workers, batches)
    assert (at_once, each) == expected
    assert at_once * each <= max(workers, 1)


def test_cli_default_is_the_cpu_count() -> None:
    from assets.cli import build_parser, share_workers

    assert build_parser().parse_args(["run", "x"]).workers is None
    assert share_workers(None, 1) == (1, extract.default_workers())


def _corpus(folder: Path, n: int) -> Path:
    from benchmarks.corpus import write_articles
    from benchmarks.dense_corpus import generate_dense

    (path,) = write_articles(folder, generate_dense(n, seed=5, words=DENSE_WORDS), 1, prefix="dense")
    return path


@pytest.mark.slow
def test_dispatches_run_gives_the_same_tables_with_one_and_two_workers(fast_tmp, small_chunks, monkeypatch) -> None:
    """The whole process_batch job (`dispatches run FILE --workers W`, in this process) on a small
    file: every table of research.duckdb has the same rows and the same ids with 1 and 2 workers,
    and with 2 the extraction did go through the pool."""
    src = _corpus(fast_tmp / "in", 18)
    seen: list[int] = []
    real = extract._parallel_chunks

    def spy(chunks, workers, on_article):
        seen.append(workers)
        return real(chunks, workers, on_article)

    monkeypatch.setattr(extract, "_parallel_chunks", spy)
    homes = {}
    for w in (1, 2):
        homes[w] = fast_tmp / f"home{w}"
        out = run_cli(homes[w], "run", "--quiet", str(src), "--workers", str(w))
        assert out.returncode == 0, out.stderr[-3000:]
    assert seen == [2], "with --workers 2 the batch is extracted by 2 processes, with 1 in process"
    one, two = (table_rows(homes[w] / "research.duckdb", REGISTRATION_COLUMNS) for w in (1, 2))
    assert len(one["strikes"]) > 5 and len(one["visits"]) > 0
    for table in one:
        assert two[table] == one[table], table
    assert table_ids(homes[2] / "research.duckdb") == table_ids(homes[1] / "research.duckdb")


def test_the_pool_stops_when_its_process_ignores_sigterm(tmp_path) -> None:
    """Pool.terminate() stops workers with SIGTERM while it holds their queue's lock. A process
    started in the background by a shell ignores SIGINT, Dagster then maps SIGTERM to "ignore" too,
    and a forkserver started from it passes that on: extraction must still finish, not hang."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent("""
        import signal, sys
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        from pipelines import extract
        from tests.test_workers import _articles
        arts = _articles(9)
        chunks = [arts[lo:lo + 3] for lo in range(0, len(arts), 3)]
        for _ in range(4):  # two pool processes: one may wait for the queue's lock terminate() holds
            results = list(extract._parallel_chunks(chunks, 3, None))
        print("done", len(results))
    """)
    root = Path(__file__).resolve().parents[1]
    try:
        out = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=120,
                             env={**os.environ, "PYTHONPATH": str(root)})
    except subprocess.TimeoutExpired:
        pytest.fail("extraction hung in Pool.terminate(): a pool worker ignored SIGTERM")
    assert out.returncode == 0, out.stderr[-2000:]
    assert "done 3" in out.stdout
