"""Construction-class cases: hand-written test sentences with the facts a careful coder records.

    python -m benchmarks.cases [--class NAME] [--show-failures] [--dir tests/cases]

Loads every tests/cases/*.jsonl (format: tests/cases/README.md), runs `extract_articles` once on
all of them and prints, per class, the number of cases and how many passed, then the pass rate
over all cases. Exit status 0 whatever the scores.

This module also holds the comparison code used by tests/test_cases.py (one implementation for
the test and the benchmark):

  * ISO codes, weapon and certainty (and other enums): exact, case-insensitive;
  * numbers: within 2 % (0 only matches 0);
  * text fields (location, attacker, target, victim, perpetrator, visitor, host, seller, buyer,
    items): the lower-cased alphanumeric token sets, minus STOP_WORDS, overlap by >= 0.5 of the
    smaller set; an actor field (attacker, perpetrator, visitor, seller, buyer) also agrees when
    the predicted row's country field (attacker_country, ...) equals the expected one;
  * a field the case lists with null: the prediction must be null; a field left out: not checked;
  * an expected fact is found when some not-yet-used predicted row of its type agrees on all its
    listed fields (greedy, best pairs first);
  * exact_count: for each scored type, the number of predicted rows must equal the number of
    expected facts.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CASES_DIR = REPO / "tests" / "cases"

# fact type (singular, as in the case files) -> table returned by extract_articles
TABLES = {"strike": "strikes", "killing": "killings", "visit": "visits", "arms_sale": "arms_sales"}

STOP_WORDS = frozenset({"the", "a", "an", "of", "and", "in", "on", "to", "s"})

TEXT_FIELDS = {"location", "attacker", "target", "victim", "perpetrator", "visitor", "destination", "host",
               "seller", "buyer", "items", "destination_or_host"}
ACTOR_COUNTRY = {"attacker": "attacker_country", "perpetrator": "perpetrator_country",
                 "visitor": "visitor_country", "seller": "seller_country", "buyer": "buyer_country"}
ISO_FIELDS = {"country", "attacker_country", "perpetrator_country", "visitor_country", "destination_country",
              "seller_country", "buyer_country"}
NUMBER_FIELDS = {"killed", "wounded", "killed_max", "quantity", "value", "value_usd"}
ENUM_FIELDS = {"weapon", "certainty", "status", "currency", "visitor_role", "target_type"}
NUMBER_TOLERANCE = 0.02

# fields a case may list, per type (the validator rejects others)
KNOWN_FIELDS = {
    "strike": {"attacker", "attacker_country", "target", "location", "country", "weapon", "killed", "wounded",
               "certainty"},
    "killing": {"victim", "killed", "location", "country", "perpetrator", "perpetrator_country", "certainty"},
    "visit": {"visitor", "visitor_role", "visitor_country", "destination", "destination_country", "host",
              "destination_or_host", "status"},
    "arms_sale": {"seller", "seller_country", "buyer", "buyer_country", "items", "quantity", "value", "currency",
                  "value_usd", "status"},
}
ENUM_VALUES = {
    "weapon": {"air", "drone", "missile", "rocket", "artillery", "naval", "bomb", "unspecified"},
    "certainty": {"confirmed", "reported", "claimed", "denied", "possible"},
    "status": {"occurred", "ongoing", "planned", "cancelled", "requested", "proposed", "approved", "signed",
               "delivered", "reported"},
}
# text fields whose value must be written in the case's text (case-insensitive)
AS_WRITTEN = {"location", "victim", "attacker", "perpetrator", "target", "visitor", "host", "destination", "seller",
              "buyer"}
# columns shown for a predicted row in failure messages
SHOW = {
    "strikes": ("attacker", "attacker_country", "target", "location", "country", "weapon", "killed", "wounded",
                "certainty"),
    "killings": ("victim", "killed", "location", "country", "perpetrator", "perpetrator_country", "certainty"),
    "visits": ("visitor", "visitor_country", "destination", "destination_country", "host", "status"),
    "arms_sales": ("seller", "seller_country", "buyer", "buyer_country", "items", "quantity", "value", "currency",
                   "value_usd", "status"),
}
RECORD_KEYS = {"id", "class", "text", "published", "types", "expect", "exact_count", "note"}


# ---------------------------------------------------------------------------------------------
# loading and validation
# ---------------------------------------------------------------------------------------------

def case_files(folder: Path = CASES_DIR) -> list[Path]:
    return sorted(Path(folder).glob("*.jsonl"))


GAPS_FILE = CASES_DIR / "known_gaps.txt"


def load_gaps(path: Path = GAPS_FILE) -> dict[str, str]:
    """Case id -> why it fails today, from known_gaps.txt ("<id> <class>: <reason>" per line)."""
    out: dict[str, str] = {}
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            case_id, _, reason = line.partition(" ")
            out[case_id] = reason.strip() or "known gap"
    return out


def write_gaps(failing, records: Mapping[str, Mapping], path: Path = GAPS_FILE) -> None:
    lines = ["# Cases the extractor does not pass yet, one per line: <id> <class>: what is missed.",
             "# tests/test_cases.py marks each as a strict xfail: a case that starts passing fails the",
             "# suite until its line is removed (python -m benchmarks.cases --write-gaps rewrites this file)."]
    for res in sorted(failing, key=lambda r: r.id):
        lines.append(f"{res.id} {res.cls}: {res.short_reason()}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def load_cases(folder: Path = CASES_DIR) -> list[dict]:
    """Every record of every *.jsonl in `folder`, each with `_file` and `_line` added."""
    out = []
    for path in case_files(folder):
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                rec = json.loads(line)
                rec["_file"], rec["_line"] = path.name, n
                out.append(rec)
    return out


def _squash(s: str) -> str:
    return " ".join(str(s).lower().replace("’", "'").split())


def _alternatives(v: Any) -> list:
    return [x for x in v if x is not None] if isinstance(v, (list, tuple)) else ([] if v is None else [v])


def validate(records: Sequence[Mapping]) -> list[str]:
    """Problems with the case records (an empty list when all is well)."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    for r in records:
        where = f"{r.get('_file', '?')}:{r.get('_line', '?')}"
        rid = r.get("id")
        if not isinstance(rid, str) or not rid:
            problems.append(f"{where}: missing id")
            continue
        where = f"{where} ({rid})"
        if rid in seen:
            problems.append(f"{where}: duplicate id (also {seen[rid]})")
        seen[rid] = where
        extra = set(r) - RECORD_KEYS - {"_file", "_line"}
        if extra:
            problems.append(f"{where}: unknown keys {sorted(extra)}")
        for k in ("class", "text", "types", "expect", "exact_count"):
            if k not in r:
                problems.append(f"{where}: missing {k}")
        if not isinstance(r.get("text"), str) or not r.get("text", "").strip():
            problems.append(f"{where}: empty text")
            continue
        if not isinstance(r.get("exact_count"), bool):
            problems.append(f"{where}: exact_count must be true or false")
        pub = r.get("published")
        if pub is not None:
            try:
                parse_published(pub)
            except ValueError:
                problems.append(f"{where}: bad published {pub!r}")
        types = r.get("types") or []
        if not types:
            problems.append(f"{where}: no types")
        for t in types:
            if t not in TABLES:
                problems.append(f"{where}: unknown type {t!r}")
        text = _squash(r["text"])
        for i, fact in enumerate(r.get("expect") or []):
            t = fact.get("type")
            if t not in types:
                problems.append(f"{where}: expect[{i}] type {t!r} is not in types {types}")
                continue
            for k, v in fact.items():
                if k == "type":
                    continue
                if k not in KNOWN_FIELDS[t]:
                    problems.append(f"{where}: expect[{i}] unknown field {k!r} for {t}")
                    continue
                for alt in _alternatives(v):
                    if k in ISO_FIELDS and not (isinstance(alt, str) and re.fullmatch(r"[A-Z]{3}", alt)):
                        problems.append(f"{where}: expect[{i}].{k} {alt!r} is not an ISO3 code")
                    if k in NUMBER_FIELDS and not isinstance(alt, (int, float)):
                        problems.append(f"{where}: expect[{i}].{k} {alt!r} is not a number")
                    if k in ENUM_VALUES and alt not in ENUM_VALUES[k]:
                        problems.append(f"{where}: expect[{i}].{k} {alt!r} not in {sorted(ENUM_VALUES[k])}")
                    if k in AS_WRITTEN and isinstance(alt, str) and _squash(alt) not in text:
                        problems.append(f"{where}: expect[{i}].{k} {alt!r} is not written in the text")
    return problems


# ---------------------------------------------------------------------------------------------
# comparison
# ---------------------------------------------------------------------------------------------

def tokens(s: Any) -> set[str]:
    s = str(s).lower().replace("’", "'")
    return {t for t in re.findall(r"[^\W_]+", s) if t not in STOP_WORDS}


def is_null(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, (list, tuple)) and not v)


def text_agrees(pred: Any, gold: Any) -> bool:
    p = tokens(pred) if not is_null(pred) else set()
    if not p:
        return False
    for g in _alternatives(gold):
        g = tokens(g)
        if g and len(p & g) >= 0.5 * min(len(p), len(g)):
            return True
    return False


def number_agrees(pred: Any, gold: Any) -> bool:
    try:
        p = float(pred)
    except (TypeError, ValueError):
        return False
    for g in _alternatives(gold):
        g = float(g)
        if abs(p - g) <= NUMBER_TOLERANCE * abs(g):
            return True
    return False


def exact_agrees(pred: Any, gold: Any) -> bool:
    if is_null(pred):
        return False
    return any(str(pred).strip().lower() == str(g).strip().lower() for g in _alternatives(gold))


def field_agrees(name: str, pred_row: Mapping, gold_fact: Mapping) -> bool:
    gold = gold_fact[name]
    pred = pred_row.get(name)
    if is_null(gold):
        return is_null(pred)
    if name in TEXT_FIELDS:
        if text_agrees(pred, gold):
            return True
        cname = ACTOR_COUNTRY.get(name)
        if cname and name in ("attacker", "perpetrator") and not is_null(gold_fact.get(cname)):
            return exact_agrees(pred_row.get(cname), gold_fact[cname])
        return False
    if name in NUMBER_FIELDS:
        return number_agrees(pred, gold)
    return exact_agrees(pred, gold)


def _listed(fact: Mapping) -> list[str]:
    return [k for k in fact if k != "type"]


@dataclass
class CaseResult:
    id: str
    cls: str
    passed: bool
    missing: list[dict] = field(default_factory=list)  # expected facts not found
    count_errors: list[str] = field(default_factory=list)  # "strike: expected 1, predicted 2"
    predicted: dict[str, list[dict]] = field(default_factory=dict)  # table -> rows of the scored types

    def short_reason(self) -> str:
        """One line: the counts that differ and the fields of the first fact not found."""
        parts = list(self.count_errors)
        if self.missing:
            first = {k: v for k, v in self.missing[0].items() if k != "type"}
            parts.append(f"{len(self.missing)} not found, first {self.missing[0].get('type')} "
                         + ", ".join(f"{k}={v}" for k, v in first.items()))
        return "; ".join(parts)[:300]

    def message(self) -> str:
        lines = [f"case {self.id} ({self.cls}) failed"]
        for c in self.count_errors:
            lines.append(f"  count: {c}")
        for m in self.missing:
            lines.append(f"  not found: {json.dumps(m, ensure_ascii=False)}")
        for table, rows in self.predicted.items():
            if not rows:
                lines.append(f"  predicted {table}: none")
            for row in rows:
                shown = {k: row.get(k) for k in SHOW.get(table, ()) if row.get(k) is not None}
                lines.append(f"  predicted {table[:-1]}: {json.dumps(shown, ensure_ascii=False, default=str)}")
        return "\n".join(lines)


def match_facts(expected: Sequence[Mapping], predicted: Sequence[Mapping]) -> tuple[list[int], dict[int, int]]:
    """Greedy one-to-one matching of expected facts to predicted rows of one type.
    Returns (indices of expected facts not found, {expected index: predicted index})."""
    pairs = []
    for i, g in enumerate(expected):
        listed = _listed(g)
        for j, p in enumerate(predicted):
            if all(field_agrees(k, p, g) for k in listed):
                pairs.append((i, j))
    # best first: expected facts with the fewest candidate rows, then the most specific ones
    # (most listed fields), then document order
    n_cand: dict[int, int] = defaultdict(int)
    for i, _ in pairs:
        n_cand[i] += 1
    pairs = [(n_cand[i], -len(_listed(expected[i])), i, j) for i, j in pairs]
    pairs.sort()
    used_g: dict[int, int] = {}
    used_p: set[int] = set()
    for _, _, i, j in pairs:
        if i in used_g or j in used_p:
            continue
        used_g[i] = j
        used_p.add(j)
    missing = [i for i in range(len(expected)) if i not in used_g]
    return missing, used_g


def score_case(record: Mapping, facts: Mapping[str, Sequence[Mapping]]) -> CaseResult:
    """Compare one case's expected facts with the rows extracted for its article (by table)."""
    res = CaseResult(id=record["id"], cls=record.get("class", "?"), passed=True)
    for t in record["types"]:
        table = TABLES[t]
        rows = list(facts.get(table) or [])
        res.predicted[table] = rows
        exp = [f for f in record.get("expect") or [] if f.get("type") == t]
        missing, _ = match_facts(exp, rows)
        res.missing.extend({"type": t, **{k: v for k, v in exp[i].items() if k != "type"}} for i in missing)
        if record.get("exact_count") and len(rows) != len(exp):
            res.count_errors.append(f"{t}: expected {len(exp)}, predicted {len(rows)}")
    res.passed = not res.missing and not res.count_errors
    return res


# ---------------------------------------------------------------------------------------------
# running the extractor
# ---------------------------------------------------------------------------------------------

def parse_published(value: Any) -> datetime | None:
    """'2024-03-14' (or an ISO datetime) -> aware UTC datetime; None -> None."""
    if value is None:
        return None
    dt = datetime.fromisoformat(str(value))
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def to_articles(records: Iterable[Mapping]) -> list[dict]:
    return [{"article_id": r["id"], "batch_id": "cases", "text": r["text"],
             "published_at": parse_published(r.get("published"))} for r in records]


def extract_by_case(records: Sequence[Mapping]) -> dict[str, dict[str, list[dict]]]:
    """Run extract_articles once on every record: {record id: {table: rows}}."""
    from pipelines.extract import extract_articles

    out = extract_articles(to_articles(records))
    by: dict[str, dict[str, list[dict]]] = {r["id"]: defaultdict(list) for r in records}
    for table in TABLES.values():
        for row in out.get(table) or []:
            if row.get("article_id") in by:
                by[row["article_id"]][table].append(row)
    return by


def run(records: Sequence[Mapping]) -> list[CaseResult]:
    facts = extract_by_case(records)
    return [score_case(r, facts[r["id"]]) for r in records]


def summary(results: Sequence[CaseResult]) -> str:
    per: dict[str, list[CaseResult]] = defaultdict(list)
    for r in results:
        per[r.cls].append(r)
    width = max([len(c) for c in per] + [5])
    lines = [f"{'class':<{width}}  cases  passed"]
    for cls in sorted(per):
        rs = per[cls]
        lines.append(f"{cls:<{width}}  {len(rs):>5}  {sum(r.passed for r in rs):>6}")
    n, ok = len(results), sum(r.passed for r in results)
    lines.append(f"{'all':<{width}}  {n:>5}  {ok:>6}   pass rate {ok / n:.1%}" if n else "no cases")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.cases", description=__doc__.split("\n\n")[0])
    ap.add_argument("--class", dest="cls", help="only the cases of this class")
    ap.add_argument("--show-failures", action="store_true", help="print each failing case with its rows")
    ap.add_argument("--dir", default=str(CASES_DIR), help="folder of *.jsonl case files (default tests/cases)")
    ap.add_argument("--write-gaps", action="store_true",
                    help=f"rewrite {GAPS_FILE.name} with the cases that fail now (the test suite expects exactly those to fail)")
    args = ap.parse_args(argv)
    records = load_cases(Path(args.dir))
    problems = validate(records)
    if problems:
        print(f"{len(problems)} problem(s) in the case files:", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
    if args.cls:
        records = [r for r in records if r.get("class") == args.cls]
    if not records:
        print("no cases")
        return 0
    results = run(records)
    if args.show_failures:
        for res in results:
            if not res.passed:
                print(res.message())
                print()
    print(summary(results))
    if args.write_gaps:
        failing = [r for r in results if not r.passed]
        write_gaps(failing, {rec["id"]: rec for rec in records})
        print(f"wrote {len(failing)} known gaps to {GAPS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
