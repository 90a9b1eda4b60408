"""Scale benchmark: many batches, run with 1 and with 2 worker processes.

    python -m benchmarks.scale [--articles 50000] [--batches 10] [--workers 1 2] [--corpus DIR] [--keep]

1. writes a deterministic corpus of N ~600-word articles as one JSONL file per batch
   (benchmarks/corpus.py; the same generator as the throughput benchmark);
2. for each worker count W, on a fresh DISPATCHES_HOME: `dispatches run CORPUS --batches B
   --workers W --quiet`. Each batch is a Dagster partition run with the multiprocess executor
   (every step in its own process); extraction steps of different batches run side by side,
   the warehouse steps (ingest, events, publish) queue on the "warehouse" pool (limit 1);
3. samples, every 0.2 s, the resident memory of the whole process tree (the CLI, its worker
   processes and every step process: /proc/<pid>/status VmRSS summed) and reports its peak, with
   the largest single process;
4. checks that every W produced the same rows (the same fact ids and event ids), so parallel
   runs change speed, not results.

Prints one row per W: wall time, articles/s, peak memory of the tree and of one process.
Exit status 1 when a run fails or the results differ.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb

from benchmarks.corpus import write_corpus
from benchmarks.throughput import _dispatches_exe, _fmt_table
from benchmarks.throughput import tree_rss_kb as _tree_rss_kb

TABLES = ("articles", "strikes", "visits", "arms_sales", "killings", "quotes", "mentions", "events", "event_reports")
_ID = {"articles": "article_id", "events": "event_id"}


def run_once(corpus: Path, home: Path, batches: int, workers: int) -> dict:
    env = dict(os.environ, DISPATCHES_HOME=str(home), COLUMNS="120")
    env.pop("DAGSTER_HOME", None)
    cmd = [_dispatches_exe(), "run", str(corpus), "--batches", str(batches), "--workers", str(workers), "--quiet"]
    peak = [0, 0]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def sample() -> None:
        while proc.poll() is None:
            total, largest = _tree_rss_kb(proc.pid)
            peak[0], peak[1] = max(peak[0], total), max(peak[1], largest)
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t
    sampler.join()
    return {"workers": workers, "returncode": proc.returncode, "wall_s": wall,
            "peak_tree_mb": peak[0] / 1024,
            "peak_process_mb": peak[1] / 1024,
            "stdout": out, "stderr_tail": err[-3000:]}


def fingerprint(home: Path) -> dict[str, tuple[int, str]]:
    """Rows and a digest of the sorted ids of every table in research.duckdb."""
    out = {}
    with duckdb.connect(str(home / "research.duckdb"), read_only=True) as con:
        for t in TABLES:
            col = _ID.get(t, "fact_id")
            ids = [r[0] for r in con.execute(f"SELECT {col} FROM {t} ORDER BY 1").fetchall()]  # t, col: constants above
            out[t] = (len(ids), hashlib.sha256("\n".join(ids).encode()).hexdigest()[:12])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=50_000)
    ap.add_argument("--batches", type=int, default=10)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--corpus", help="write (or reuse, when it holds the JSONL files) the corpus here")
    ap.add_argument("--keep", action="store_true", help="keep the temporary homes")
    ap.add_argument("--json", dest="json_out", help="write the results as JSON")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="dispatches-scale-"))
    corpus = Path(args.corpus) if args.corpus else tmp / "corpus"
    try:
        if not (corpus.is_dir() and len(list(corpus.glob("*.jsonl"))) == args.batches):
            t = time.perf_counter()
            write_corpus(corpus, args.articles, args.batches, args.seed)
            print(f"corpus: {args.articles} articles in {args.batches} JSONL files at {corpus} "
                  f"(generated in {time.perf_counter() - t:.0f} s)", flush=True)
        n = sum(1 for f in corpus.glob("*.jsonl") for _ in f.open(encoding="utf-8"))
        results, prints = [], {}
        for w in args.workers:
            home = tmp / f"home-w{w}"
            print(f"running: dispatches run --batches {args.batches} --workers {w} ...", flush=True)
            r = run_once(corpus, home, args.batches, w)
            if r["returncode"] != 0:
                print(f"  failed (exit {r['returncode']}):\n{r['stderr_tail']}", file=sys.stderr)
            else:
                prints[w] = fingerprint(home)
            results.append(r)
        rows = [("workers", "batches", "articles", "wall s", "articles/s", "peak RSS, all processes MB", "peak RSS, one process MB")]
        for r in results:
            rows.append((str(r["workers"]), str(args.batches), str(n), f"{r['wall_s']:.0f}", f"{n / r['wall_s']:.1f}",
                         f"{r['peak_tree_mb']:.0f}", f"{r['peak_process_mb']:.0f}"))
        print()
        print(_fmt_table(rows))
        print(f"  machine: {os.cpu_count()} CPUs; each batch a Dagster run with the multiprocess executor")
        same = len({json.dumps(p, sort_keys=True) for p in prints.values()}) <= 1
        if prints:
            first = next(iter(prints.values()))
            print("  rows: " + ", ".join(f"{t} {first[t][0]}" for t in TABLES))
            print(f"  identical rows and ids for every worker count: {'yes' if same else 'NO'}")
        if args.json_out:
            Path(args.json_out).write_text(json.dumps({
                "articles": n, "batches": args.batches, "cpus": os.cpu_count(),
                "runs": [{k: v for k, v in r.items() if k not in ("stdout", "stderr_tail")} for r in results],
                "rows": {str(w): p for w, p in prints.items()}, "identical": same}, indent=2) + "\n", encoding="utf-8")
        if args.keep:
            print(f"  kept: {tmp}")
        return 0 if all(r["returncode"] == 0 for r in results) and same and prints else 1
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
