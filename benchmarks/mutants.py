"""Mutation score per module, from the last `mutmut run` (make mutants).

mutmut (pinned in pyproject's `mutants` extra) rewrites each function of the modules listed under
[tool.mutmut] only_mutate, one small change at a time (a constant, a comparison, an operator, a
returned value), and runs the unit tests that cover that function against each change. A mutant
is *killed* when a test fails, *survived* when every test still passes (a regression the suite
would let through), *no tests* when no selected test even calls the function.

    .venv/bin/python -m benchmarks.mutants            # the table, from mutants/ in the project root
    .venv/bin/python -m benchmarks.mutants --survivors pipelines.events   # the surviving mutants' names

Score = killed / (killed + survived + no tests + timeout): a mutant no test reaches counts as a
survivor. `mutmut show <name>` prints a mutant's diff. This is a report, not a test: it is not
run in CI (a full run takes tens of minutes on two cores).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

_STATUSES = ("killed", "survived", "no tests", "timeout", "suspicious", "skipped", "not checked")


def parse_results(text: str) -> dict[str, Counter]:
    """{module: Counter(status)} from `mutmut results --all true` output (pure)."""
    out: dict[str, Counter] = defaultdict(Counter)
    for line in text.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if not sep or "__mutmut_" not in name:
            continue
        module = name.rsplit(".", 1)[0]
        out[module][status.strip()] += 1
    return dict(out)


def survivors(text: str, module: str) -> list[str]:
    return [line.strip().rpartition(": ")[0] for line in text.splitlines()
            if line.strip().startswith(module + ".") and line.strip().endswith(("survived", "no tests"))]


def score(counts: Counter) -> float | None:
    judged = counts["killed"] + counts["survived"] + counts["no tests"] + counts["timeout"]
    return counts["killed"] / judged if judged else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=".", help="project root holding mutants/ (default: .)")
    ap.add_argument("--survivors", metavar="MODULE", help="list the surviving mutants of MODULE")
    args = ap.parse_args(argv)
    mutmut = Path(sys.executable).with_name("mutmut")
    res = subprocess.run([str(mutmut), "results", "--all", "true"], cwd=args.root, capture_output=True, text=True)
    if res.returncode != 0:
        print(res.stderr or res.stdout, file=sys.stderr)
        return res.returncode
    if args.survivors:
        print("\n".join(survivors(res.stdout, args.survivors)))
        return 0
    table = parse_results(res.stdout)
    print(f"  {'module':24s} {'mutants':>7s} {'killed':>7s} {'survived':>8s} {'no tests':>8s} {'unchecked':>9s} {'score':>6s}")
    for module in sorted(table):
        c = table[module]
        s = score(c)
        print(f"  {module:24s} {sum(c.values()):7d} {c['killed']:7d} {c['survived']:8d} {c['no tests']:8d} "
              f"{c['not checked']:9d} {'' if s is None else f'{s:.2f}':>6s}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
