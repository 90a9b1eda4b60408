"""Extraction entry point: English articles in, rows for the six fact tables out.

Cost control: every sentence goes through cheap regular-expression triggers first; only the
sentences that may hold a strike, killing, visit or arms sale are parsed by spaCy (in batches,
across articles). Quotes and gazetteer mentions need no parse. The output rows carry every
common column (fact_id, evidence and its offsets, certainty, attribution, dates, confidence,
extractor_version) and are ready for the DuckDB tables.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import re
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence

from pipelines import arms_sales, hedging, killings, quotes, strikes, visits
from pipelines.actors import find_actors
from pipelines.context import ArticleView, SentenceView, resolve_date_fields
from pipelines.text import Sentence, split_sentences, stable_id

EXTRACTOR_VERSION = "0.4.1"
FACT_TABLES = ("strikes", "visits", "arms_sales", "killings", "quotes", "mentions")
_TITLE_HINT = re.compile(r"\b(?:Minister|Secretary|President|Prime|Chancellor|King|Emir|Envoy|Ambassador|Spokes|General|Gen\.|Commander|Premier|Sheikh|Crown|Adviser|Leader|Director|Senator|Governor)\b")
_MENTION_KIND = {"country": "country", "armed_group": "armed_group", "coalition": "armed_group", "government": "organisation",
                 "organisation": "organisation", "military": "organisation"}
_FICTION = re.compile(
    r"\b(?:film|films|movie|documentary|director|screenplay|cinema|cinemas|premiere[ds]?|box\s+office|novel|novelist|actor|actress"
    r"|festival|episode|sequel|trailer|video\s+game|memoir|the\s+book)\b",
    re.I,
)
_KEY_FIELDS = {
    "strikes": ("attacker", "location", "country", "weapon", "target"),
    "visits": ("visitor", "destination", "status"),
    "arms_sales": ("seller", "buyer", "items", "value"),
    "killings": ("victim", "perpetrator", "location", "killed"),
    "quotes": ("quote_start",),
    "mentions": ("mention_start", "mention_end", "kind"),
}


def needs_parse(text: str) -> bool:
    """Cheap filter: may this sentence hold a strike, killing, visit or arms sale?"""
    if strikes.TRIGGER.search(text) and strikes.is_strike_sentence(text):
        return True
    if killings.is_candidate(text):
        return True
    return arms_sales.is_candidate(text) or visits.is_candidate(text)


def _article_view(a: dict) -> ArticleView:
    return ArticleView(article_id=a["article_id"], batch_id=a.get("batch_id") or "", text=a["text"],
                       published_at=a.get("published_at"), dateline=a.get("dateline"))


def _parse(texts: list[str], nlp) -> Iterable:
    if not texts:
        return []
    if nlp is None:
        from pipelines.nlp import get_nlp

        nlp = get_nlp()
    return nlp.pipe(texts, batch_size=256)


# Articles whose candidate sentences are parsed together, and the unit of work handed to a worker
# process. Fixed, whatever the number of workers: every worker count parses the same sentences in
# the same nlp.pipe batches, so rows and ids cannot depend on it.
CHUNK_ARTICLES = 50
# Fewer chunks than this: extracted in this process; a pool's start-up (a Python process, the
# imports, the model) would cost more than it saves.
MIN_PARALLEL_CHUNKS = 3


def default_workers() -> int:
    """The CPUs this process may run on (its affinity mask, else the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def can_have_children() -> bool:
    """False in a daemonic process (a Dask worker under its nanny, a multiprocessing pool
    worker), which may not start processes: extraction then stays in process."""
    return not multiprocessing.current_process().daemon


def extract_articles(
    articles: Sequence[dict],
    on_article: Callable[[int], None] | None = None,
    nlp=None,
    workers: int = 1,
) -> dict[str, list[dict]]:
    """Facts of many articles. Each article needs article_id, text; batch_id, published_at
    (aware datetime or None) and dateline are used when present.

    `workers` > 1 spreads the articles over that many processes (see extract_chunks). The rows are
    the same, in the same order, whatever the number of workers."""
    by_chunk = dict(extract_chunks(articles, on_article, nlp, workers))
    out: dict[str, list[dict]] = {t: [] for t in FACT_TABLES}
    for i in sorted(by_chunk):
        for t in FACT_TABLES:
            out[t].extend(by_chunk[i][t])
    return out


def extract_chunks(
    articles: Sequence[dict],
    on_article: Callable[[int], None] | None = None,
    nlp=None,
    workers: int = 1,
) -> Iterator[tuple[int, dict[str, list[dict]]]]:
    """The facts of the articles, chunk by chunk (CHUNK_ARTICLES articles each), as each chunk is
    done: (chunk index, facts per table). A caller that writes each chunk away and drops it holds
    one chunk's rows, not the batch's (a 5,000-article dense batch: about 400,000 rows, a gigabyte
    as Python dicts). In chunk order with one process; in the order they finish with several.

    `workers` > 1 spreads the chunks over that many processes: this one and workers - 1 pool
    processes, each loading the model once (pipelines.nlp.get_nlp). A chunk's facts are the same
    whichever process extracts it. With an explicit `nlp`, fewer than MIN_PARALLEL_CHUNKS chunks,
    or in a daemonic process, everything runs here."""
    chunks = [articles[lo:lo + CHUNK_ARTICLES] for lo in range(0, len(articles), CHUNK_ARTICLES)]
    if workers > 1 and can_have_children() and nlp is None and len(chunks) >= MIN_PARALLEL_CHUNKS:
        for i, _, facts in _parallel_chunks(chunks, min(workers, len(chunks)), on_article):
            yield i, facts
    else:
        done = 0
        for i, chunk in enumerate(chunks):
            yield i, _extract_chunk(chunk, nlp, on_article, done)
            done += len(chunk)


def _extract_chunk(part: Sequence[dict], nlp=None, on_article: Callable[[int], None] | None = None,
                   done: int = 0) -> dict[str, list[dict]]:
    """Facts of a few articles, their candidate sentences parsed in one nlp.pipe call."""
    out: dict[str, list[dict]] = {t: [] for t in FACT_TABLES}
    sentences = [split_sentences(a["text"]) for a in part]
    wanted = [[needs_parse(s.text) for s in sents] for sents in sentences]
    docs = iter(_parse([s.text for sents, w in zip(sentences, wanted) for s, keep in zip(sents, w) if keep], nlp))
    for article, sents, w in zip(part, sentences, wanted):
        parsed = [next(docs) if keep else None for keep in w]
        facts = extract_article(article, sents, parsed)
        for t in FACT_TABLES:
            out[t].extend(facts[t])
        done += 1
        if on_article:
            on_article(done)
    return out


def _init_worker() -> None:
    """Pool initializer: take SIGTERM's default action back (see _start_pool), then load (and
    verify) the model once in each worker process."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from pipelines.nlp import get_nlp

    get_nlp()


def _start_pool(ctx, processes: int):
    """A pool whose processes take SIGTERM's default action from their first instruction.

    Pool.terminate() stops its workers with SIGTERM only, while it holds the lock of their task
    queue: a worker that ignores SIGTERM never exits and terminate() waits for it forever. Ignored
    signals survive fork and exec, and Dagster maps SIGTERM to SIGINT's handler, which is "ignore"
    in a process a shell started in the background (or a pytest-xdist worker). So while the pool
    processes (and the forkserver, if this starts it) are created, SIGTERM is set back to its
    default here, and the initializer sets it again in case the forkserver was started by others."""
    ignored = threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_IGN
    if ignored:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        if ctx.get_start_method() == "forkserver":
            from multiprocessing import forkserver

            forkserver.ensure_running()
        return ctx.Pool(processes, initializer=_init_worker)
    finally:
        if ignored:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _worker_ready() -> int:
    return os.getpid()


def _pool_chunk(part: Sequence[dict]) -> tuple[int, dict[str, list[dict]]]:
    return os.getpid(), _extract_chunk(part)


def _parallel_chunks(chunks: list[Sequence[dict]], workers: int, on_article: Callable[[int], None] | None
                    ) -> Iterator[tuple[int, int, dict[str, list[dict]]]]:
    """Chunks over this process and workers - 1 pool processes: (chunk index, id of the process
    that extracted it, facts) for every chunk, as each is done.

    The pool takes chunks from the front, this process from the back, until they meet. A pool
    process is handed a chunk only once it has started and loaded the model (it has answered a
    probe), so a small batch is never left waiting for a process that is still starting: this
    process does all of it and the pool is terminated unused."""
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn")
    lock = threading.Lock()
    bounds = [0, len(chunks)]  # [next chunk for the pool, one past the next chunk for this process]
    events: queue.SimpleQueue = queue.SimpleQueue()  # ("done", i, facts) | ("error", exc)
    handed = [0]  # chunks handed to the pool
    completed = [0]  # chunks the pool has finished
    stopper: list[threading.Thread] = []

    pool = _start_pool(ctx, workers - 1)
    try:
        def hand_out(_=None) -> None:
            with lock:
                if bounds[0] >= bounds[1]:
                    return
                i = bounds[0]
                bounds[0] += 1
                handed[0] += 1
            try:
                pool.apply_async(_pool_chunk, (chunks[i],), callback=lambda got, i=i: finished(i, got),
                                 error_callback=lambda exc: events.put(("error", exc)))
            except ValueError as exc:  # the pool is being terminated (this process failed): nothing to hand out
                events.put(("error", exc))

        def finished(i: int, got: tuple[int, dict]) -> None:
            events.put(("done", i, got))
            hand_out()
            with lock:
                completed[0] += 1
                idle = bounds[0] >= bounds[1] and completed[0] == handed[0] and not stopper
                if idle:  # nothing left for the pool: free its processes' memory (a model each) now,
                    # not when this process finishes its own last chunk (this runs in the pool's
                    # result thread, which terminate() joins: so another thread does it)
                    stopper.append(threading.Thread(target=pool.terminate, name="pool-stop", daemon=True))
            if idle:
                stopper[0].start()

        for _ in range(workers - 1):
            pool.apply_async(_worker_ready, callback=hand_out, error_callback=lambda exc: events.put(("error", exc)))

        done, received = 0, 0

        def take(event) -> tuple[int, int, dict]:
            nonlocal done, received
            if event[0] == "error":
                raise event[1]
            _, i, (pid, facts) = event
            received += 1
            done += len(chunks[i])
            if on_article:
                on_article(done)
            return i, pid, facts

        while True:
            with lock:
                if bounds[0] >= bounds[1]:
                    break
                bounds[1] -= 1
                i = bounds[1]
            facts = _extract_chunk(chunks[i])
            done += len(chunks[i])
            if on_article:
                on_article(done)
            yield i, os.getpid(), facts
            del facts
            while True:  # what the pool finished meanwhile
                try:
                    event = events.get_nowait()
                except queue.Empty:
                    break
                yield take(event)
        while received < handed[0]:
            yield take(events.get())
    finally:
        if stopper and stopper[0].is_alive():
            stopper[0].join()
        pool.terminate()
        pool.join()


def extract_article(article: dict, sentences: list[Sentence] | None = None, docs: list | None = None, nlp=None) -> dict[str, list[dict]]:
    """Facts of one article. Without `docs`, candidate sentences are parsed here."""
    sentences = sentences if sentences is not None else split_sentences(article["text"])
    if docs is None:
        wanted = [needs_parse(s.text) for s in sentences]
        parsed = iter(_parse([s.text for s, k in zip(sentences, wanted) if k], nlp))
        docs = [next(parsed) if k else None for k in wanted]
    view_a = _article_view(article)
    found: dict[str, list[dict]] = {t: [] for t in FACT_TABLES}
    quote_rows = quotes_by_sentence(view_a, sentences)
    # every sentence's actors, found once: the mentions table needs them all, and the article's
    # countries (locations.story_countries) are counted from them
    sentence_actors = [find_actors(sent.text) for sent in sentences]
    view_a.notes["sentence_actors"] = [(sent.start, acts) for sent, acts in zip(sentences, sentence_actors)]
    for sent, doc, acts in zip(sentences, docs, sentence_actors):
        view = SentenceView(view_a, sent, doc)
        view.__dict__["all_actors"] = acts  # SentenceView.all_actors, already worked out
        if _TITLE_HINT.search(sent.text):
            for _, _, person in view.titled_people():
                view_a.remember(person)
        for row in quote_rows.get(sent.index, []):
            found["quotes"].append(row)
        found["mentions"].extend(_mentions(view))
        if doc is None:
            continue
        s_rows = [_finish("strikes", r, view) for r in strikes.extract(view)]
        found["strikes"].extend(s_rows)
        found["killings"].extend(_finish("killings", r, view) for r in killings.extract(view, s_rows))
        found["visits"].extend(_finish("visits", r, view) for r in visits.extract(view))
        a_rows = arms_sales.extract(view)
        found["arms_sales"].extend(_finish("arms_sales", r, view) for r in a_rows)
    for table in ("strikes", "killings", "visits"):
        found[table] = [r for r in found[table] if not _historical(r, view_a)]
    if len(_FICTION.findall(article["text"])) >= 3:  # a film, book or game review: its battles are not events
        found["strikes"], found["killings"] = [], []
    strike_mentions = list(found["strikes"])
    found["strikes"] = strikes.assemble(found["strikes"], view_a, sentences, docs)
    found["visits"] = visits.assemble(found["visits"], view_a, sentences, docs)
    found["arms_sales"] = arms_sales.assemble(found["arms_sales"], view_a, sentences, docs)
    found["killings"] = killings.assemble(found["killings"], strike_mentions, view_a, sentences, docs)
    for table, rows in found.items():
        for row in rows:
            for k in [k for k in row if k.startswith("_")]:
                del row[k]  # the extractors' working notes
            key = tuple(row.get(k) for k in _KEY_FIELDS[table])
            row["fact_id"] = stable_id(table[0], article["article_id"], row["sentence_index"], *key)
        # Two rows with the same key fields from one sentence are one fact told twice (two frames
        # of "is in talks to purchase ..."): the first stays, so ids stay unique.
        seen: set[str] = set()
        found[table] = [r for r in rows if not (r["fact_id"] in seen or seen.add(r["fact_id"]))]
    return found


def quotes_by_sentence(view_a: ArticleView, sentences: list[Sentence]) -> dict[int, list[dict]]:
    """Quote rows keyed by the index of the sentence where each quote starts."""
    out: dict[int, list[dict]] = {}
    if not sentences:
        return out
    starts = [s.start for s in sentences]
    import bisect

    for row in quotes.extract_quotes(view_a):
        i = max(0, bisect.bisect_right(starts, row["quote_start"]) - 1)
        j = max(0, bisect.bisect_right(starts, row["quote_end"] - 1) - 1)
        first, last = sentences[i], sentences[j]
        row.update({
            "sentence_index": first.index,
            "evidence_start": first.start,
            "evidence_end": max(last.end, row["quote_end"]),
        })
        row["evidence"] = view_a.text[row["evidence_start"]:row["evidence_end"]]
        att = hedging.Attribution("confirmed", None)
        row.update(_common(view_a, att, {"date_text": None, "event_date": None, "date_precision": None}, row.pop("_confidence")))
        out.setdefault(first.index, []).append(row)
    return out


def _common(view_a: ArticleView, att: hedging.Attribution, dates: dict, confidence: float) -> dict:
    return {
        "article_id": view_a.article_id,
        "batch_id": view_a.batch_id,
        "certainty": att.certainty,
        "attributed_to": att.attributed_to,
        **dates,
        "confidence": confidence,
        "extractor_version": EXTRACTOR_VERSION,
    }


def _finish(table: str, row: dict, view: SentenceView) -> dict:
    """Add the common columns to a family's row (evidence = the whole sentence)."""
    actor_names = row.pop("_actor_names", ())
    event_tokens = row.pop("_event_tokens", None)
    if event_tokens and view.doc is not None:
        att = hedging.assess_event(view.doc, event_tokens, actor_names, view.text)
    else:
        att = hedging.assess(view.text, actor_names)
    confidence = row.pop("_confidence", 0.5)
    row.update({
        "sentence_index": view.index,
        "evidence": view.text,
        "evidence_start": view.start,
        "evidence_end": view.start + len(view.text),
        **_common(view.article, att, resolve_date_fields(view), confidence),
    })
    return row


def _mentions(view: SentenceView) -> list[dict]:
    rows = []
    seen: set[tuple[int, int]] = set()
    for s, e, actor in view.all_actors:
        seen.add((s, e))
        rows.append(_mention_row(view, s, e, _MENTION_KIND.get(actor.kind, "organisation"), actor.canonical, actor.iso3, None, None))
    if view.doc is not None:
        for s, e, place in view.places:
            if (s, e) in seen or place.kind == "country":
                continue
            seen.add((s, e))
            rows.append(_mention_row(view, s, e, "place", place.name, place.iso3, place.latitude, place.longitude))
        for s, e, name in view.persons:
            if (s, e) not in seen:
                seen.add((s, e))
                rows.append(_mention_row(view, s, e, "person", name, None, None, None))
    return rows


def _mention_row(view: SentenceView, s: int, e: int, kind: str, canonical, iso3, lat, lon) -> dict:
    row = {
        "mention": view.text[s:e], "mention_start": view.start + s, "mention_end": view.start + e,
        "kind": kind, "canonical": canonical, "iso3": iso3, "latitude": lat, "longitude": lon,
        "sentence_index": view.index, "evidence": view.text, "evidence_start": view.start,
        "evidence_end": view.start + len(view.text),
    }
    row.update(_common(view.article, hedging.Attribution("confirmed", None),
                       {"date_text": None, "event_date": None, "date_precision": None}, 0.9))
    return row


def _historical(row: dict, view_a: ArticleView) -> bool:
    """An event dated more than a year before publication is background, not news."""
    if row.get("event_date") is None or view_a.published_at is None:
        return False
    return (view_a.published_at.date() - row["event_date"]).days > 366
