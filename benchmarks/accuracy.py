"""Accuracy benchmark: run the extractor on gold sets and score it (benchmarks/scoring.py).

    python -m benchmarks.accuracy --gold tests/golden/articles [--shared ../shared/benchmarks]
                                  [--json OUT] [--errors FILE] [--limit N]
    python -m benchmarks.accuracy --dev ../shared/benchmarks/real_news_dev.jsonl [--json OUT] [--errors FILE]

--gold   a folder of golden article JSON files (tests/golden/README.md), a JSONL file of such
         objects, or the sample corpus's EXPECTED.json (its texts are ingested from the sibling
         `articles/` folder with pipelines.ingest).
--shared a folder of third-party gold sets (real_news_dev.jsonl, plover_gsr.jsonl,
         dsca_arms_sales.jsonl, event_location.jsonl, histstate_travels_kb.csv); each set is scored
         on its own, the real-news development set first. Missing folder or files are skipped
         quietly. Their texts are read from that path only and never written anywhere by this
         script (the JSON report holds ids and numbers, not text).
--dev    score only this file, a set in the real-news form (one `expected` list of typed facts
         with evidence spans), with the reference scorer's rules (scoring.score_realnews);
         replaces --gold and --shared.
--errors write the real-news set's missed gold facts and false predictions here (JSON lines
         with id, type, key fields and an evidence excerpt; this file does hold text).

Exit status 0 (a report, whatever the scores), 2 on a --gold or --dev path that does not exist
or cannot be read, or an unwritable --json or --errors.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import re
import tempfile
import time
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from benchmarks import scoring as S

REAL_NEWS_FILE = "real_news_dev.jsonl"
_GOLD_FILES = (REAL_NEWS_FILE, "plover_gsr.jsonl", "dsca_arms_sales.jsonl", "event_location.jsonl", "histstate_travels_kb.csv")


# ---------------------------------------------------------------------------------------------
# loading
# ---------------------------------------------------------------------------------------------

class BadPath(Exception):
    pass


def parse_published(value: Any) -> datetime | None:
    """ISO timestamp (or date) -> aware UTC datetime; naive values are taken as UTC."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        dt = value
    else:
        s = str(value).strip()
        try:
            dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
        except ValueError:
            try:
                d = date.fromisoformat(s[:10])
                dt = datetime(d.year, d.month, d.day)
            except ValueError:
                return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


def _dateline(text: str) -> str | None:
    try:
        from pipelines.text import find_dateline

        d = find_dateline(text)
        return d.place if d else None
    except Exception:
        return None


def _read_jsonl(path: Path) -> list[dict]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                print(f"  warning: {path.name} line {n} is not JSON; skipped", file=sys.stderr)
                continue
            if isinstance(obj, dict):
                out.append(obj)
    return out


def _is_expected_index(obj: Any) -> bool:
    """The sample corpus's EXPECTED.json: {key: {"file", "record", "disposition", "expected", ...}}."""
    return isinstance(obj, dict) and bool(obj) and all(
        isinstance(v, dict) and "file" in v and "expected" in v for v in obj.values())


def load_gold(path: Path, limit: int | None = None) -> tuple[list[dict], list[dict] | None]:
    """Gold records [{id, text, title, published_at, category, expected, annotated_types?}] and,
    for the sample corpus index, the ingested article dicts to use as input (else None)."""
    if not path.exists():
        raise BadPath(f"no such file or folder: {path}")
    try:
        if path.is_dir():
            records = []
            for f in sorted(path.glob("*.json")):
                obj = json.loads(f.read_text(encoding="utf-8"))
                if isinstance(obj, dict) and "text" in obj and "expected" in obj:
                    obj.setdefault("id", f.stem)
                    records.append(obj)
            for f in sorted(path.glob("*.jsonl")):
                records.extend(r for r in _read_jsonl(f) if "text" in r and "expected" in r)
            if not records:
                raise BadPath(f"no gold article files (*.json with text and expected) in {path}")
            return records[:limit] if limit else records, None
        if path.suffix == ".jsonl":
            records = [r for r in _read_jsonl(path) if "text" in r and "expected" in r]
            return records[:limit] if limit else records, None
        obj = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadPath(f"cannot read {path}: {exc}") from exc
    if _is_expected_index(obj):
        return _load_expected_index(path, obj, limit)
    if isinstance(obj, dict) and "text" in obj:
        obj = [obj]
    if isinstance(obj, list):
        records = [r for r in obj if isinstance(r, dict) and "text" in r and "expected" in r]
        return records[:limit] if limit else records, None
    raise BadPath(f"{path}: not a gold file this script understands")


def _load_expected_index(path: Path, index: dict, limit: int | None) -> tuple[list[dict], list[dict]]:
    """Pair EXPECTED.json entries with the articles pipelines.ingest reads from articles/."""
    from pipelines.ingest import ingest

    folder = path.parent / "articles"
    if not folder.is_dir():
        raise BadPath(f"{path}: no sibling articles/ folder holding the texts")
    res = ingest([str(folder)], batch_id="bench-accuracy")
    by_file: dict[str, list[dict]] = defaultdict(list)
    for a in res.articles:
        by_file[Path(a["input_path"]).name].append(a)
    records, articles = [], []
    taken: set[int] = set()
    for key, e in index.items():
        if e.get("disposition", "article") != "article":
            continue
        cands = by_file.get(e["file"], [])
        rec = "" if e.get("record") is None else str(e["record"])
        art = next((a for a in cands if a["input_record"] == rec and id(a) not in taken), None)
        if art is None:  # WARC record ids are not the index numbers: take the next unused in order
            art = next((a for a in cands if id(a) not in taken), None)
        if art is None:
            print(f"  warning: {key}: no ingested article; skipped", file=sys.stderr)
            continue
        taken.add(id(art))
        art = dict(art, article_id=key)
        articles.append(art)
        records.append({"id": key, "text": art["text"], "title": e.get("title"), "category": e.get("category"),
                        "published_at": art.get("published_at"), "expected": e.get("expected") or {}})
    if limit:
        records, articles = records[:limit], articles[:limit]
    return records, articles


def article_dicts(records: list[dict], batch_id: str = "bench-accuracy") -> list[dict]:
    out, seen = [], set()
    for i, r in enumerate(records):
        aid = str(r.get("id") or f"doc{i}")
        if aid in seen:
            aid = f"{aid}#{i}"
        seen.add(aid)
        r["_aid"] = aid
        text = r.get("text") or ""
        out.append({"article_id": aid, "batch_id": batch_id, "text": text, "title": r.get("title"),
                    "published_at": parse_published(r.get("published_at")), "is_english": True,
                    "dateline": _dateline(text)})
    return out


# ---------------------------------------------------------------------------------------------
# extraction
# ---------------------------------------------------------------------------------------------

_MODEL_SECONDS: list[float] = []


def load_model() -> float:
    """Load the spaCy model once (timed, so that extraction times exclude it)."""
    if _MODEL_SECONDS:
        return 0.0
    t = time.perf_counter()
    try:
        from pipelines.nlp import get_nlp

        get_nlp()
    except Exception as exc:  # the extractor will report it properly
        print(f"  warning: model load failed: {exc}", file=sys.stderr)
    _MODEL_SECONDS.append(time.perf_counter() - t)
    return _MODEL_SECONDS[0]


def run_extraction(articles: list[dict]) -> tuple[dict[str, dict[str, list[dict]]], float, str | None]:
    """Facts per article id and table; wall seconds; error text if extract_articles raised."""
    from pipelines.extract import extract_articles

    load_model()
    t = time.perf_counter()
    err = None
    try:
        out = extract_articles(articles)
    except Exception as exc:  # a report, not a test: say so and score nothing predicted
        err = f"{type(exc).__name__}: {exc}"
        out = {}
    secs = time.perf_counter() - t
    by_doc: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for table, rows in (out or {}).items():
        for row in rows or []:
            by_doc[str(row.get("article_id"))][table].append(row)
    return by_doc, secs, err


# ---------------------------------------------------------------------------------------------
# reports
# ---------------------------------------------------------------------------------------------

def _f(x: float | None) -> str:
    return "   -  " if x is None else f"{x:6.3f}"


def print_totals(totals: S.Totals, show_distractors: bool = True) -> None:
    print(f"  {'type':<12}{'gold':>6}{'pred':>6}{'match':>7}{'P':>8}{'R':>8}{'F1':>8}")
    for t in S.TYPES:
        if t not in totals.scored:
            continue
        c = totals.counts[t]
        print(f"  {t:<12}{c.n_gold:>6}{c.n_pred:>6}{c.matched:>7}  {_f(c.precision)}  {_f(c.recall)}  {_f(c.f1)}")
    ev = [t for t in S.EVENT_TYPES if t in totals.scored]
    if len(ev) > 1:
        c = totals.micro(ev)
        print(f"  {'events':<12}{c.n_gold:>6}{c.n_pred:>6}{c.matched:>7}  {_f(c.precision)}  {_f(c.recall)}  {_f(c.f1)}"
              "   (micro over " + ", ".join(ev) + ")")
    if totals.fields:
        print("  per-field accuracy over matched pairs (fields the gold gives non-null):")
        for (t, f), (ok, n) in sorted(totals.fields.items(), key=lambda kv: S._field_order(kv[0])):
            print(f"    {t + '.' + f:<34}{ok:>4}/{n:<4} {ok / n:6.3f}")
    if totals.country[1]:
        print(f"  country fields (ISO3, pooled): {totals.country[0]}/{totals.country[1]} = "
              f"{totals.country[0] / totals.country[1]:.3f}")
    if show_distractors:
        print(f"  distractor facts: {totals.distractor_facts} event facts predicted in "
              f"{totals.distractor_docs} distractor documents")


def print_timing(n: int, secs: float, n_chars: int, err: str | None) -> dict:
    rate = n / secs if secs > 0 else None
    model = _MODEL_SECONDS[0] if _MODEL_SECONDS else None
    print(f"  timing: extract_articles on {n} documents ({n_chars / 1000:.0f}k chars) in {secs:.2f} s"
          + (f" = {rate:.1f} documents/s" if rate else "")
          + (f"; model load {model:.1f} s (once, not included)" if model is not None else ""))
    if err:
        print(f"  EXTRACTION FAILED: {err}")
    return {"documents": n, "seconds": round(secs, 3), "documents_per_s": rate, "model_load_s": model, "error": err}


def score_records(records: list[dict], by_doc, whole_text_evidence: bool = False,
                  use_annotated: bool = True) -> tuple[S.Totals, list[dict]]:
    totals = S.Totals()
    per_doc = []
    for r in records:
        preds = by_doc.get(r["_aid"], {})
        ann = r.get("annotated_types") if use_annotated and isinstance(r.get("annotated_types"), list) else None
        d = S.score_document(r.get("text") or "", preds, r.get("expected"), doc_id=r["_aid"],
                             category=r.get("category"), annotated_types=ann,
                             whole_text_evidence=whole_text_evidence)
        totals.add(d, r.get("category"))
        per_doc.append({"id": r["_aid"], "category": r.get("category"),
                        **{t: {"gold": c.n_gold, "pred": c.n_pred, "matched": c.matched,
                               "missed_gold": d.misses.get(t, []), "unmatched_pred": d.false_pos.get(t, [])}
                           for t, c in d.counts.items() if c.n_gold or c.n_pred},
                        "distractor_facts": d.distractor_facts})
    return totals, per_doc


def bench_gold(path: Path, limit: int | None) -> tuple[dict, dict]:
    records, ingested = load_gold(path, limit)
    arts = article_dicts(records)
    if ingested is not None:  # sample corpus: use the ingested dicts (published_at, dateline from ingest)
        arts = [dict(a, article_id=r["_aid"]) for a, r in zip(ingested, records)]
    print(f"\n== gold: {path} ({len(records)} documents)")
    by_doc, secs, err = run_extraction(arts)
    totals, per_doc = score_records(records, by_doc)
    print_totals(totals)
    timing = print_timing(len(arts), secs, sum(len(a["text"]) for a in arts), err)
    return {"path": str(path), **totals.as_dict(), "timing": timing, "per_document": per_doc}, by_doc


# --- shared sets ------------------------------------------------------------------------------

def _shared_records(path: Path, limit: int | None) -> list[dict]:
    recs = _read_jsonl(path)
    return recs[:limit] if limit else recs


def bench_plover(path: Path, limit: int | None) -> dict:
    records = _shared_records(path, limit)
    arts = article_dicts(records, "bench-plover")
    print(f"\n== shared: {path.name} ({len(records)} records; scored types per record's annotated_types; "
          "record text = evidence)")
    by_doc, secs, err = run_extraction(arts)
    totals, _ = score_records(records, by_doc, whole_text_evidence=True)
    print_totals(totals, show_distractors=False)
    negatives = sum(1 for r in records if not any(S.group_expected(r.get("expected")).values()))
    fp_neg = sum(sum(len(by_doc.get(r["_aid"], {}).get(t, [])) for t in S.EVENT_TYPES)
                 for r in records if not any(S.group_expected(r.get("expected")).values()))
    print(f"  negatives: {fp_neg} event facts predicted in {negatives} records with no strike/visit/killing gold")
    timing = print_timing(len(arts), secs, sum(len(a["text"]) for a in arts), err)
    return {"path": str(path), **totals.as_dict(), "negative_records": negatives,
            "facts_on_negative_records": fp_neg, "timing": timing}


def _country_of(name: str) -> str | None:
    try:
        from pipelines.actors import country_iso3

        return country_iso3(name)
    except Exception:
        return None


def bench_dsca(path: Path, limit: int | None) -> dict:
    records = _shared_records(path, limit)
    arts = article_dicts(records, "bench-dsca")
    print(f"\n== shared: {path.name} ({len(records)} notices; record text = evidence)")
    by_doc, secs, err = run_extraction(arts)
    totals, _ = score_records(records, by_doc, whole_text_evidence=True)
    print_totals(totals, show_distractors=False)
    right = []
    for r in records:
        golds = S.group_expected(r.get("expected"))["arms_sales"]
        preds = by_doc.get(r["_aid"], {}).get("arms_sales", [])
        if golds and S.buyer_and_value_right(preds, golds[0], _country_of):
            right.append(r["_aid"])
    print(f"  buyer and value_usd (within 1%) right in {len(right)} of {len(records)} notices")
    timing = print_timing(len(arts), secs, sum(len(a["text"]) for a in arts), err)
    return {"path": str(path), **totals.as_dict(), "buyer_and_value_right": len(right),
            "notices": len(records), "right_ids": right, "timing": timing}


def well_formed_span(text: str, span: str) -> bool:
    """A gold location span that is a place name as written: whole words of the sentence, at least
    three characters, not a bare number (the set holds cut spans such as ' s', 'kil' or '200')."""
    x = span.strip()
    if len(x) < 3 or x.isdigit():
        return False
    return re.search(r"(?<!\w)" + re.escape(x) + r"(?!\w)", text) is not None


def bench_event_location(path: Path, limit: int | None) -> dict:
    records = _shared_records(path, limit)
    arts = article_dicts(records, "bench-evloc")
    print(f"\n== shared: {path.name} ({len(records)} sentences; scores LOCATION ATTACHMENT only)")
    by_doc, secs, err = run_extraction(arts)
    splits: dict[str, dict[str, int]] = {}
    for r in records:
        split = r.get("gold_quality") or "unknown"
        s = splits.setdefault(split, {"records": 0, "with_gold_location": 0, "with_event_fact": 0,
                                      "with_predicted_location": 0, "correct": 0,
                                      "no_gold_location": 0, "spurious_location": 0})
        s["records"] += 1
        facts = [f for t in ("strikes", "killings") for f in by_doc.get(r["_aid"], {}).get(t, [])]
        locs = [f.get("location") for f in facts if not S.is_null(f.get("location"))]
        gold_spans: list[str] = []
        for e in r.get("expected") or []:
            if isinstance(e, dict):
                gold_spans += [x for x in ([e.get("location")] + list(e.get("location_all") or []))
                               if isinstance(x, str) and x.strip()]
        if not gold_spans:
            s["no_gold_location"] += 1
            s["spurious_location"] += int(bool(locs))
            continue
        correct = any(S.location_attached(r.get("text") or "", loc, gold_spans) for loc in locs)
        variants = [s]
        if all(well_formed_span(r.get("text") or "", x) for x in gold_spans):
            variants.append(splits.setdefault(split + "/wf", {"records": 0, "with_gold_location": 0, "with_event_fact": 0,
                                                             "with_predicted_location": 0, "correct": 0,
                                                             "no_gold_location": 0, "spurious_location": 0}))
            variants[-1]["records"] += 1
        for v in variants:
            v["with_gold_location"] += 1
            v["with_event_fact"] += int(bool(facts))
            v["with_predicted_location"] += int(bool(locs))
            v["correct"] += int(correct)
    print(f"  {'split':<11}{'gold loc':>9}{'fact':>7}{'pred loc':>9}{'correct':>8}{'acc':>8}{'prec':>8}{'recall':>8}"
          f"{'no-gold':>9}{'spurious':>9}")
    order = sorted(splits, key=lambda k: (k.split("/")[0] != "gold", k))
    for k in order:
        s = splits[k]
        n, f, p = s["with_gold_location"], s["with_event_fact"], s["with_predicted_location"]
        s["accuracy"] = s["correct"] / f if f else None
        s["precision"] = s["correct"] / p if p else None
        s["recall"] = s["correct"] / n if n else None
        tail = f"{s['no_gold_location']:>9}{s['spurious_location']:>9}" if not k.endswith("/wf") else ""
        print(f"  {k:<11}{n:>9}{f:>7}{p:>9}{s['correct']:>8}  {_f(s['accuracy'])}  "
              f"{_f(s['precision'])}  {_f(s['recall'])}{tail}")
    print("  acc = correct / sentences with a gold location where we extract a strike or killing; prec = correct /"
          "\n  sentences where we gave a location; recall = correct / sentences with a gold location; a location is"
          "\n  correct when a strike/killing fact's location equals or overlaps the gold span; spurious = a location"
          "\n  given where the gold has none. <split>/wf: only sentences whose gold spans are well formed (whole"
          "\n  words of the sentence, at least 3 characters; some gold spans are cut, e.g. ' s' or 'kil').")
    timing = print_timing(len(arts), secs, sum(len(a["text"]) for a in arts), err)
    return {"path": str(path), "splits": splits, "timing": timing}


# --- real-news sets (scored with the reference scorer's rules) -------------------------------

_CLI_ARTICLE_KEYS = ("article_id", "batch_id", "text", "title", "published_at", "is_english", "dateline")


def realnews_articles(records: list[dict], batch_id: str = "bench-realnews") -> tuple[list[dict], dict[str, str], dict]:
    """The article dicts `dispatches run` would hand to extraction for these records, built the
    way the CLI builds them: each record becomes the JSON line {"url": "gold:<id>", "title": "",
    "text", "published"} of a temporary .jsonl, read back with pipelines.ingest.read_records and
    normalised with build_article; rejects and repeated texts are dropped (ingest keeps the first
    copy), only English articles are kept, ordered by article_id (as the extraction step reads
    them), with the columns that step selects. Returns (articles, article_id -> url, counts)."""
    from pipelines.ingest import Reject, build_article, read_records

    ingested_at = datetime.now(timezone.utc)
    rows: list[dict] = []
    counts = {"rejected": 0, "duplicates": 0, "non_english": 0}
    seen: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="dispatches-realnews-") as tmp:
        path = Path(tmp) / "input.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps({"url": f"gold:{r.get('id')}", "title": "", "text": r.get("text"),
                                     "published": r.get("published")}) + "\n")
        for raw in read_records(path):
            if isinstance(raw, Reject):
                counts["rejected"] += 1
                continue
            try:
                row = build_article(raw, batch_id, ingested_at)
            except Exception:  # ingest turns this into a reject too
                row = None
            if row is None or isinstance(row, Reject):
                counts["rejected"] += 1
                continue
            if row["article_id"] in seen:
                counts["duplicates"] += 1
                continue
            seen.add(row["article_id"])
            rows.append(row)
    urls = {a["article_id"]: a["url"] for a in rows}
    english = [{k: a.get(k) for k in _CLI_ARTICLE_KEYS} for a in sorted(rows, key=lambda a: a["article_id"])
               if a["is_english"]]
    counts["non_english"] = len(rows) - len(english)
    return english, urls, counts


def realnews_predictions(by_doc, urls: dict[str, str]) -> dict[str, dict[str, list[dict]]]:
    """Facts per gold record id ("gold:<id>" urls) and table, each table in fact_id order (the
    order the warehouse holds them in, which decides the scorer's last ties)."""
    out: dict[str, dict[str, list[dict]]] = {}
    for aid, tables in by_doc.items():
        url = urls.get(aid) or ""
        if not url.startswith("gold:"):
            continue
        out[url[len("gold:"):]] = {t: sorted(rows, key=lambda r: str(r.get("fact_id") or "")) for t, rows in tables.items()}
    return out


def print_realnews(report: S.RealNewsReport) -> None:
    print(f"  {'type':<11}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>5}{'fn':>5}{'by fields':>11}")
    for t, c in report.types.items():
        print(f"  {t:<11}{c.precision:7.3f}{c.recall:7.3f}{c.f1:7.3f}{c.tp:>6}{c.fp:>5}{c.fn:>5}{c.by_fields:>11}")
    print("  per-field agreement on matched facts (key fields the gold gives non-null):")
    for t, c in report.types.items():
        cells = [f"{k} {ok / n:.3f} ({ok}/{n})" for k, (ok, n) in c.fields.items() if n]
        print(f"    {t:<10} " + (", ".join(cells) if cells else "(no matched facts)"))
    print(f"  distractor group (D): {report.distractor_facts} facts predicted in "
          f"{report.distractor_records} records")


def bench_realnews(path: Path, limit: int | None = None) -> tuple[dict, S.RealNewsReport]:
    """Run a real-news set through ingest and extraction as the CLI would and score it with
    scoring.score_realnews. Returns (JSON report: figures and ids only, the full report)."""
    if not path.is_file():
        raise BadPath(f"no such file: {path}")
    try:
        records = [r for r in _read_jsonl(path) if "id" in r and "text" in r]
    except (OSError, UnicodeDecodeError) as exc:
        raise BadPath(f"cannot read {path}: {exc}") from exc
    if limit:
        records = records[:limit]
    print(f"\n== real news: {path.name} ({len(records)} records; pairing by evidence sentence or identifying "
          "fields, the rules of ../shared/tools/score.py)")
    arts, urls, counts = realnews_articles(records)
    if any(counts.values()):
        print(f"  input: {counts['rejected']} records rejected by ingest, {counts['duplicates']} repeated texts, "
              f"{counts['non_english']} not English (none of these is extracted, as in `dispatches run`)")
    by_doc, secs, err = run_extraction(arts)
    report = S.score_realnews(records, realnews_predictions(by_doc, urls))
    print_realnews(report)
    timing = print_timing(len(arts), secs, sum(len(a["text"]) for a in arts), err)
    out = {"path": str(path), "records": report.records, "articles_extracted": len(arts), **counts,
           "scores": report.summary(),
           "field_counts": {t: {k: {"right": ok, "scored": n} for k, (ok, n) in c.fields.items() if n}
                            for t, c in report.types.items()},
           "distractor_records": report.distractor_records, "distractor_facts": report.distractor_facts,
           "errors": [{"id": e["id"], "type": e["type"], "error": e["error"]} for e in report.errors],
           "timing": timing}
    return out, report


def write_errors(path: Path, errors: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for e in errors:
            fh.write(json.dumps(e, ensure_ascii=False, default=str) + "\n")


def _kb_people(rows: list[dict]) -> dict[str, list[dict]]:
    people: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        last = S.surname(r.get("name"))
        if last:
            people[last].append(r)
    return people


def bench_kb(path: Path, visits: list[dict]) -> dict | None:
    """Sanity check of OUR visit facts against the HistoryAtState travels KB."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, csv.Error) as exc:
        print(f"\n== shared: {path.name}: unreadable ({exc}); skipped")
        return None
    people = _kb_people(rows)
    checked = []
    for v in visits:
        d = v.get("event_date")
        if S.is_null(v.get("visitor")) or d is None:
            continue
        if v.get("visitor_country") not in (None, "USA"):
            continue
        d = _as_date(d)
        if d is None:
            continue
        toks = S.norm_text(v["visitor"]).split()
        trips = [t for t in people.get(S.surname(v["visitor"]) or "", [])
                 if len(toks) < 2 or S.norm_text(t["name"]).split()[0] == toks[0]]
        if not trips:
            continue  # not a US President or Secretary of State the KB knows
        hits = []
        for t in trips:
            s, e = _as_date(t.get("start")), _as_date(t.get("end")) or _as_date(t.get("start"))
            if s and s - timedelta(days=3) <= d <= (e or s) + timedelta(days=3):
                hits.append(t)
        iso = v.get("destination_country")
        country_hit = [t for t in hits if iso and _country_of(t.get("country") or "") == iso]
        checked.append({"article_id": v.get("article_id"), "visitor": v["visitor"], "event_date": d.isoformat(),
                        "status": v.get("status"), "destination_country": iso,
                        "kb_person": trips[0].get("name"), "found": bool(hits), "country_matches": bool(country_hit),
                        "kb_trip": (country_hit or hits or [{}])[0].get("trip_id")})
    if not checked:
        print(f"\n== shared: {path.name}: no visit facts by a US President or Secretary of State with a date; skipped")
        return {"path": str(path), "checked": 0}
    found = sum(c["found"] for c in checked)
    same = sum(c["country_matches"] for c in checked)
    span = (min(r["start"] for r in rows if r.get("start")), max(r["start"] for r in rows if r.get("start")))
    print(f"\n== shared: {path.name} (knowledge base, {len(rows)} trips {span[0]}..{span[1]}; a sanity check, not a score)")
    print(f"  our visits by a US President / Secretary of State with a date: {len(checked)}; "
          f"a KB trip within +-3 days: {found}; and to the same country: {same}")
    for c in checked:
        mark = "same country" if c["country_matches"] else ("trip, other country" if c["found"] else "not in KB")
        print(f"    {c['visitor']:<24} {c['event_date']}  {str(c['destination_country']):<5} "
              f"{str(c['status']):<10} {mark}")
    print("  (planned or cancelled visits are not expected in the KB; the KB ends at its last trip date)")
    return {"path": str(path), "checked": len(checked), "found": found, "same_country": same, "visits": checked}


def _as_date(v: Any) -> date | None:
    if v is None or v == "":
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v)[:10])
    except ValueError:
        return None


def _sample_corpus_visits() -> list[dict]:
    """Visit facts of the bundled sample corpus (for the KB check)."""
    idx = Path(__file__).resolve().parent.parent / "pipelines" / "sample_corpus" / "EXPECTED.json"
    try:
        records, ingested = load_gold(idx)
    except BadPath:
        return []
    arts = [dict(a, article_id=r["id"]) for a, r in zip(ingested or [], records)]
    by_doc, _, _ = run_extraction(arts)
    return [v for d in by_doc.values() for v in d.get("visits", [])]


def bench_shared(folder: Path, limit: int | None, gold_visits: list[dict], gold_is_sample: bool) -> dict:
    out: dict[str, Any] = {}
    if not folder.is_dir():
        return out
    runners = {"plover_gsr.jsonl": bench_plover, "dsca_arms_sales.jsonl": bench_dsca,
               "event_location.jsonl": bench_event_location}
    for name, fn in runners.items():
        p = folder / name
        if p.is_file():
            out[name] = fn(p, limit)
    kb = folder / "histstate_travels_kb.csv"
    if kb.is_file():
        visits = list(gold_visits) + ([] if gold_is_sample else _sample_corpus_visits())
        res = bench_kb(kb, visits)
        if res is not None:
            out[kb.name] = res
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.accuracy", description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", help="folder of golden article JSON files, a JSONL file, or EXPECTED.json")
    ap.add_argument("--shared", help="folder with the third-party gold sets (skipped when absent)")
    ap.add_argument("--dev", help="score only this real-news-form JSONL file (instead of --gold and --shared)")
    ap.add_argument("--errors", help="write the real-news set's missed and false facts here (JSON lines, with text)")
    ap.add_argument("--json", dest="json_out", help="write the full report (numbers and ids, no text) here")
    ap.add_argument("--limit", type=int, help="score only the first N records of each set")
    args = ap.parse_args(argv)
    if args.dev and (args.gold or args.shared):
        print("error: --dev scores only the given file; leave out --gold and --shared", file=sys.stderr)
        return 2
    if not args.dev and not args.gold:
        print("error: give --gold (with --shared optionally) or --dev", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    result: dict[str, Any] = {}
    realnews = Path(args.dev) if args.dev else (Path(args.shared) / REAL_NEWS_FILE if args.shared else None)
    errors: list[dict] | None = None
    if realnews is not None and (args.dev or realnews.is_file()):
        try:
            result["real_news"], rn_report = bench_realnews(realnews, args.limit)
        except BadPath as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        errors = rn_report.errors
    if args.gold:
        gold = Path(args.gold)
        try:
            report, by_doc = bench_gold(gold, args.limit)
        except BadPath as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        result["gold"] = report
        result["shared"] = {}
        if args.shared:
            gold_visits = [v for d in by_doc.values() for v in d.get("visits", [])]
            result["shared"] = bench_shared(Path(args.shared), args.limit, gold_visits, gold.name == "EXPECTED.json")
    result["total_seconds"] = round(time.perf_counter() - t0, 2)
    print(f"\ntotal {result['total_seconds']} s")
    status = 0
    if args.errors:
        if errors is None:
            print("warning: --errors: no real-news set was scored; nothing written", file=sys.stderr)
        else:
            try:
                write_errors(Path(args.errors), errors)
                print(f"{len(errors)} missed or false facts written to {args.errors}")
            except OSError as exc:
                print(f"error: cannot write {args.errors}: {exc}", file=sys.stderr)
                status = 2
    if args.json_out:
        try:
            Path(args.json_out).write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
        except OSError as exc:
            print(f"error: cannot write {args.json_out}: {exc}", file=sys.stderr)
            return 2
    return status

if __name__ == "__main__":
    sys.exit(main())
