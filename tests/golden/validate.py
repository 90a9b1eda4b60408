"""Check the golden evaluation set in tests/golden/articles/.

Usage: python tests/golden/validate.py [--quiet]

Exits 1 and lists every problem if a file breaks a rule in tests/golden/README.md; otherwise prints
the per-category, per-hard-case and per-fact-type counts. Standard library only.
"""
from __future__ import annotations

import collections
import datetime as dt
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARTICLES = HERE / "articles"

CATEGORIES = {"strike", "visit", "arms_sale", "killing", "quote", "mixed", "distractor"}
TABLES = ("strikes", "visits", "arms_sales", "killings", "quotes")
EVENT_TABLES = ("strikes", "visits", "arms_sales", "killings")
CATEGORY_TABLE = {"strike": "strikes", "visit": "visits", "arms_sale": "arms_sales",
                  "killing": "killings", "quote": "quotes"}

COMMON = ("certainty", "attributed_to", "date_text", "event_date", "date_precision")
FIELDS = {
    "strikes": ("attacker", "attacker_country", "target", "target_type", "location", "country",
                "weapon", "killed", "killed_max", "wounded") + COMMON,
    "visits": ("visitor", "visitor_role", "visitor_country", "destination", "destination_country",
               "host", "purpose", "status") + COMMON,
    "arms_sales": ("seller", "seller_country", "buyer", "buyer_country", "items", "quantity", "value",
                   "currency", "value_usd", "value_qualifier", "status") + COMMON,
    "killings": ("victim", "victim_role", "killed", "perpetrator", "perpetrator_country", "location",
                 "country") + COMMON,
    "quotes": ("speaker", "speaker_role", "speaker_org", "quote"),
}
ENUMS = {
    "certainty": {"confirmed", "reported", "claimed", "denied", "possible"},
    "date_precision": {"day", "week", "month", "year", None},
    "target_type": {"military", "armed_group", "civilian", "infrastructure", "person", "unknown", None},
    "weapon": {"air", "drone", "missile", "rocket", "artillery", "naval", "bomb", "unspecified", None},
    ("visits", "status"): {"occurred", "ongoing", "planned", "cancelled"},
    ("arms_sales", "status"): {"requested", "approved", "proposed", "signed", "delivered", "cancelled",
                               "reported"},
    "value_qualifier": {"about", "nearly", "up to", "more than", "exact", None},
}
ISO3_FIELDS = {"attacker_country", "country", "visitor_country", "destination_country",
               "seller_country", "buyer_country", "perpetrator_country"}
INT_FIELDS = {"killed", "killed_max", "wounded", "quantity"}
NUM_FIELDS = {"value", "value_usd"}
REQUIRED_NON_NULL = {
    "strikes": ("certainty",),
    "visits": ("visitor", "destination", "status", "certainty"),
    "arms_sales": ("buyer", "status", "certainty"),
    "killings": ("victim", "killed", "certainty"),
    "quotes": ("speaker", "quote"),
}
HARD_CASES = {
    # positive-side difficulties
    "hedged", "denial", "negation", "relative_date", "published_null", "two_facts_one_sentence",
    "pronoun", "dateline", "capital_as_actor", "alias", "money_format", "casualty_format",
    "planned_visit", "cancelled_visit", "arms_stage", "quote_speaker_before", "quote_speaker_after",
    "quote_twice", "named_killing", "claimed", "repeated_mention", "aid_not_sale", "money_not_sale",
    # distractor kinds
    "word_sense_strike", "word_sense_bomb", "word_sense_visit", "word_sense_drone", "missile_test",
    "exercise_not_strike", "threat_not_event", "attack_not_strike", "sales_not_arms", "sales_forecast",
    "ordinary_crime", "named_victim_crime", "historical_event", "fiction_or_film", "conflict_context",
    "casualty_like_numbers", "aggregate_statistics",
}
TOP_KEYS = {"id", "title", "source", "published_at", "text", "category", "hard_cases", "expected"}
ID_RE = re.compile(r"^g\d{3}_[a-z0-9_]+$")
ISO3_RE = re.compile(r"^[A-Z]{3}$")
ISO4217_RE = re.compile(r"^[A-Z]{3}$")
# "BEIRUT (Wirewire) - " or "KIRKUK, Iraq (Tigris Times) - " at the very start of the text
DATELINE_RE = re.compile(r"^[A-Z][A-Z .'-]+(, [A-Z][A-Za-z ]+)? \([^)]+\) - ")


def parse_published(value):
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("published_at must be a string or null")
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def check_fact(aid, table, i, fact, text, published, problems):
    where = f"{aid}: {table}[{i}]"
    expected_keys = set(FIELDS[table]) | {"evidence"}
    missing = expected_keys - set(fact)
    extra = set(fact) - expected_keys
    if missing:
        problems.append(f"{where}: missing keys {sorted(missing)}")
    if extra:
        problems.append(f"{where}: unexpected keys {sorted(extra)}")
    ev = fact.get("evidence")
    if not isinstance(ev, str) or not ev.strip():
        problems.append(f"{where}: evidence must be a non-empty string")
    elif ev not in text:
        problems.append(f"{where}: evidence is not a verbatim substring of text: {ev[:80]!r}")
    for key in REQUIRED_NON_NULL[table]:
        if fact.get(key) in (None, ""):
            problems.append(f"{where}: {key} must not be null")
    for key, value in fact.items():
        if key in ISO3_FIELDS and value is not None and not (isinstance(value, str) and ISO3_RE.match(value)):
            problems.append(f"{where}: {key}={value!r} is not an upper-case ISO3 code")
        if key in INT_FIELDS and value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            problems.append(f"{where}: {key}={value!r} must be a non-negative int or null")
        if key in NUM_FIELDS and value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0):
            problems.append(f"{where}: {key}={value!r} must be a non-negative number or null")
        enum = ENUMS.get((table, key), ENUMS.get(key)) if key != "status" else ENUMS.get((table, key))
        if enum is not None and value not in enum:
            problems.append(f"{where}: {key}={value!r} not in {sorted(e for e in enum if e)}")
    if table == "quotes":
        q = fact.get("quote")
        if isinstance(q, str) and isinstance(ev, str):
            if q not in ev:
                problems.append(f"{where}: quote text is not inside its evidence")
            if q.endswith(","):
                problems.append(f"{where}: strip the trailing comma of the quote")
        return
    # dates
    ed = fact.get("event_date")
    if ed is not None:
        try:
            dt.date.fromisoformat(ed)
        except (TypeError, ValueError):
            problems.append(f"{where}: event_date {ed!r} is not YYYY-MM-DD")
        if published is None:
            problems.append(f"{where}: event_date must be null when published_at is null")
        if fact.get("date_precision") is None:
            problems.append(f"{where}: event_date set but date_precision is null")
    if fact.get("date_text") is None and fact.get("date_precision") is not None and ed is None:
        problems.append(f"{where}: date_precision without date_text or event_date")
    # table-specific coherence
    if table == "strikes":
        k, km = fact.get("killed"), fact.get("killed_max")
        if isinstance(k, int) and isinstance(km, int) and km < k:
            problems.append(f"{where}: killed_max < killed")
    if table == "arms_sales":
        cur = fact.get("currency")
        if cur is not None and not (isinstance(cur, str) and ISO4217_RE.match(cur)):
            problems.append(f"{where}: currency {cur!r} is not ISO 4217")
        if (fact.get("value") is None) != (cur is None):
            problems.append(f"{where}: value and currency must be both set or both null")
        if cur == "USD" and fact.get("value") != fact.get("value_usd"):
            problems.append(f"{where}: USD value and value_usd differ")
        if fact.get("value") is not None and fact.get("value_usd") is None:
            problems.append(f"{where}: value set but value_usd null")


def check_article(path, problems):
    try:
        art = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        problems.append(f"{path.name}: invalid JSON: {exc}")
        return None
    if not isinstance(art, dict):
        problems.append(f"{path.name}: top level must be an object")
        return None
    aid = art.get("id", path.stem)
    missing = TOP_KEYS - set(art)
    if missing:
        problems.append(f"{aid}: missing keys {sorted(missing)}")
        return None
    if set(art) - TOP_KEYS:
        problems.append(f"{aid}: unexpected keys {sorted(set(art) - TOP_KEYS)}")
    if not (isinstance(aid, str) and ID_RE.match(aid)):
        problems.append(f"{path.name}: bad id {aid!r}")
    if path.stem != aid:
        problems.append(f"{path.name}: file name does not match id {aid!r}")
    for key in ("title", "source", "text"):
        if not isinstance(art[key], str) or not art[key].strip():
            problems.append(f"{aid}: {key} must be a non-empty string")
    text = art["text"] if isinstance(art["text"], str) else ""
    words = len(text.split())
    if not 80 <= words <= 300:
        problems.append(f"{aid}: text has {words} words (want 80-300)")
    try:
        published = parse_published(art["published_at"])
    except ValueError as exc:
        problems.append(f"{aid}: published_at does not parse: {exc}")
        published = None
    if art["category"] not in CATEGORIES:
        problems.append(f"{aid}: category {art['category']!r} not in {sorted(CATEGORIES)}")
    hard = art["hard_cases"]
    if not isinstance(hard, list) or len(set(hard)) != len(hard):
        problems.append(f"{aid}: hard_cases must be a list without duplicates")
        hard = []
    for h in hard:
        if h not in HARD_CASES:
            problems.append(f"{aid}: unknown hard case {h!r}")
    if ("published_null" in hard) != (art["published_at"] is None):
        problems.append(f"{aid}: hard case published_null must be set exactly when published_at is null")
    if ("dateline" in hard) != bool(DATELINE_RE.match(text)):
        problems.append(f"{aid}: hard case dateline must be set exactly when the text opens with a dateline")
    exp = art["expected"]
    if not isinstance(exp, dict) or set(exp) != set(TABLES):
        problems.append(f"{aid}: expected must have exactly the keys {list(TABLES)}")
        return art
    for table in TABLES:
        facts = exp[table]
        if not isinstance(facts, list):
            problems.append(f"{aid}: expected.{table} must be a list")
            continue
        for i, fact in enumerate(facts):
            if not isinstance(fact, dict):
                problems.append(f"{aid}: {table}[{i}] must be an object")
                continue
            check_fact(aid, table, i, fact, text, published, problems)
        if table == "quotes":
            texts = [f.get("quote") for f in facts if isinstance(f, dict)]
            if len(texts) != len(set(texts)):
                problems.append(f"{aid}: the same quote is listed twice (a repeated quote is ONE fact)")
    n_events = sum(len(exp[t]) for t in EVENT_TABLES)
    cat = art["category"]
    if cat == "distractor" and n_events:
        problems.append(f"{aid}: a distractor must expect no strikes/visits/arms_sales/killings")
    if cat in CATEGORY_TABLE and not exp[CATEGORY_TABLE[cat]]:
        problems.append(f"{aid}: category {cat} but no expected {CATEGORY_TABLE[cat]}")
    if cat == "mixed" and sum(1 for t in EVENT_TABLES if exp[t]) < 2:
        problems.append(f"{aid}: a mixed article needs facts in at least two event tables")
    return art


def main(argv):
    quiet = "--quiet" in argv
    problems: list[str] = []
    paths = sorted(ARTICLES.glob("*.json"))
    if not paths:
        print(f"no articles in {ARTICLES}")
        return 1
    arts = [a for a in (check_article(p, problems) for p in paths) if isinstance(a, dict) and "id" in a]
    ids = collections.Counter(a["id"] for a in arts)
    problems += [f"duplicate id {i!r}" for i, n in ids.items() if n > 1]
    texts = collections.Counter(a.get("text") for a in arts)
    problems += ["two articles share the same text" for t, n in texts.items() if n > 1]

    if problems:
        print(f"{len(problems)} problem(s):")
        for p in problems:
            print("  -", p)
        return 1

    cats = collections.Counter(a["category"] for a in arts)
    hard = collections.Counter(h for a in arts for h in a["hard_cases"])
    facts = collections.Counter(t for a in arts for t in TABLES for _ in a["expected"][t])
    stages = collections.Counter(f["status"] for a in arts for f in a["expected"]["arms_sales"])
    vstat = collections.Counter(f["status"] for a in arts for f in a["expected"]["visits"])
    cert = collections.Counter(f["certainty"] for a in arts for t in EVENT_TABLES for f in a["expected"][t])
    n = len(arts)
    print(f"OK: {n} articles, all checks passed")
    print("\ncategories:")
    for c in sorted(CATEGORIES, key=lambda c: (-cats[c], c)):
        print(f"  {c:<12} {cats[c]:>3}")
    print(f"  distractor share: {cats['distractor'] / n:.0%}")
    print("\nexpected facts:")
    for t in TABLES:
        print(f"  {t:<12} {facts[t]:>3}")
    print("  arms_sales status: " + ", ".join(f"{k}={v}" for k, v in sorted(stages.items())))
    print("  visits status:     " + ", ".join(f"{k}={v}" for k, v in sorted(vstat.items())))
    print("  event certainty:   " + ", ".join(f"{k}={v}" for k, v in sorted(cert.items())))
    if not quiet:
        print("\nhard cases:")
        for h, c in sorted(hard.items(), key=lambda x: (-x[1], x[0])):
            print(f"  {h:<24} {c:>3}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
