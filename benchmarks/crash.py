"""Crash safety: kill -9 a run during ingest, during extraction and during publish, then run again.

    python -m benchmarks.crash [--articles 3000] [--keep]

1. writes two corpora (A and B, disjoint; benchmarks/corpus.py) and runs A then B on a reference home;
2. runs A on a fresh home (the last complete state), and copies that home once per stage;
3. for each stage (ingest_batch, extract_facts, research_db): starts `dispatches run B` on the copy,
   watches the Dagster instance for the step to start, waits a moment into it, and kills the
   whole process group with SIGKILL; then checks that research.duckdb opens and still holds
   exactly A's rows (or, when the kill came after the atomic rename, exactly A+B's);
4. runs `dispatches run B` again and checks: exit 0, every table's ids distinct (no duplicates),
   the same row counts and ids as the reference (nothing lost), no temporary files left.

Prints one row per stage. Exit status 1 on any violation.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from benchmarks.corpus import write_corpus
from benchmarks.throughput import _dispatches_exe, _fmt_table

KEYS = {"articles": "article_id", "strikes": "fact_id", "visits": "fact_id", "arms_sales": "fact_id",
        "killings": "fact_id", "quotes": "fact_id", "mentions": "fact_id", "events": "event_id",
        "event_reports": "fact_id", "rejects": "reject_id", "duplicates": "duplicate_id"}
STAGES = ("ingest_batch", "extract_facts", "research_db")


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ, DISPATCHES_HOME=str(home), COLUMNS="120")
    env.pop("DAGSTER_HOME", None)
    env.pop("DISPATCHES_STAGING", None)
    return env


def _run(home: Path, corpus: Path) -> subprocess.CompletedProcess:
    return subprocess.run([_dispatches_exe(), "run", "--quiet", str(corpus)], env=_env(home),
                          capture_output=True, text=True)


def state(home: Path) -> dict[str, tuple[int, int, str]]:
    """table -> (rows, distinct ids, digest of the sorted ids) in research.duckdb."""
    out = {}
    with duckdb.connect(str(home / "research.duckdb"), read_only=True) as con:
        for t, k in KEYS.items():
            ids = [r[0] for r in con.execute(f"SELECT {k} FROM {t} ORDER BY 1").fetchall()]  # constants above
            out[t] = (len(ids), len(set(ids)), hashlib.sha256("\n".join(ids).encode()).hexdigest()[:12])
    return out


def _step_started(home: Path, step: str, run_ids_before: set[str]) -> bool:
    from dagster import DagsterEventType, DagsterInstance

    with DagsterInstance.from_config(str(home / "dagster")) as instance:
        for run in instance.get_runs(limit=3):
            if run.run_id in run_ids_before:
                continue
            for rec in instance.get_records_for_run(run.run_id, of_type=DagsterEventType.STEP_START).records:
                if rec.event_log_entry.step_key == step:
                    return True
    return False


def _run_ids(home: Path) -> set[str]:
    from dagster import DagsterInstance

    with DagsterInstance.from_config(str(home / "dagster")) as instance:
        return {r.run_id for r in instance.get_runs()}


def _leftovers(home: Path) -> list[str]:
    return sorted(str(p.relative_to(home)) for p in home.rglob("*") if p.name.endswith((".tmp", ".tmp.wal")))


def crash_at(stage: str, home: Path, corpus_b: Path, into_s: float) -> dict:
    before = _run_ids(home)
    proc = subprocess.Popen([_dispatches_exe(), "run", "--quiet", str(corpus_b)], env=_env(home),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    t0 = time.perf_counter()
    while not _step_started(home, stage, before):
        if proc.poll() is not None:
            return {"stage": stage, "error": "the run ended before the stage started"}
        time.sleep(0.05)
    time.sleep(into_s)
    if proc.poll() is not None:
        return {"stage": stage, "error": f"the run ended within {into_s} s of the stage starting"}
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return {"stage": stage, "killed_after_s": time.perf_counter() - t0}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.crash", description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=3000, help="articles in each of the two corpora")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="dispatches-crash-"))
    try:
        corpus_a, corpus_b = tmp / "A", tmp / "B"
        write_corpus(corpus_a, args.articles, 2, seed=1)
        write_corpus(corpus_b, args.articles, 2, seed=2)
        print(f"corpora: A and B, {args.articles} articles each", flush=True)
        ref = tmp / "reference"
        for c in (corpus_a, corpus_b):
            if _run(ref, c).returncode:
                print("reference run failed", file=sys.stderr)
                return 1
        reference = state(ref)
        base = tmp / "base"
        t = time.perf_counter()
        if _run(base, corpus_a).returncode:
            print("run of A failed", file=sys.stderr)
            return 1
        print(f"A alone: {time.perf_counter() - t:.1f} s", flush=True)
        after_a = state(base)
        rows, ok = [], True
        into = {"ingest_batch": 0.3, "extract_facts": 2.0, "research_db": 0.3}
        for stage in STAGES:
            home = tmp / f"home-{stage}"
            shutil.copytree(base, home, symlinks=True)
            k = crash_at(stage, home, corpus_b, into[stage])
            if "error" in k:
                print(f"{stage}: {k['error']}", file=sys.stderr)
                ok = False
                continue
            killed = state(home)
            last_complete = "A" if killed == after_a else ("A+B" if killed == reference else "PARTIAL")
            left_after_kill = len(_leftovers(home))
            t = time.perf_counter()
            again = _run(home, corpus_b)
            recovery = time.perf_counter() - t
            final = state(home) if again.returncode == 0 else {}
            dupes = sum(n - d for n, d, _ in final.values()) if final else -1
            same = final == reference
            left = _leftovers(home)
            good = again.returncode == 0 and last_complete != "PARTIAL" and dupes == 0 and same and not left
            ok &= good
            rows.append((stage, f"{k['killed_after_s']:.1f}", last_complete, str(left_after_kill), str(again.returncode),
                         f"{recovery:.1f}", str(dupes), "yes" if same else "NO", str(len(left)), "ok" if good else "FAIL"))
        print()
        print(_fmt_table([("killed during", "s after run start", "research.duckdb after kill", "temp files after kill",
                           "re-run exit", "re-run s", "duplicate ids", "rows = reference", "temp files after", "")] + rows))
        print(f"  reference (A then B, no kill): " + ", ".join(f"{t} {n}" for t, (n, _, _) in reference.items()))
        if args.keep:
            print(f"  kept: {tmp}")
        return 0 if ok else 1
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
