"""Pure scoring of extracted facts against gold facts (no model, no I/O).

One document at a time: the predicted facts of each type are matched one-to-one, greedily, to the
expected facts of the same type, then per-type counts (gold, predicted, matched) and per-field
agreement over the matched pairs are accumulated in a `Totals`.

A predicted fact *can* match an expected one when
  1. their evidence overlaps: the expected `evidence` sentence is located in the text with
     `text.find` (whitespace-tolerant fallback) and compared with the predicted
     `evidence_start`/`evidence_end` offsets; or
  2. their key fields agree (see `key_match`).
Among the candidate pairs, the greedy matcher takes first the pairs that satisfy both criteria,
then those with more agreeing fields (ties: location/target/destination, then status and
quantity), then document order.

Gold facts may come in either of two shapes:
  * the golden set's `{"strikes": [...], "visits": [...], ...}` with scalar fields; or
  * the shared sets' list of facts with a singular `type` ("strike", "arms_sale", ...), whose
    text fields may be lists of acceptable strings (any one may match) and whose visits may have
    `destination_or_host` instead of destination/host.

Sets in the real-news form (real_news_dev.jsonl and its kind) are scored by `score_realnews`, at
the end of this module, with other rules: those of the set's reference scorer.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

TYPES = ("strikes", "visits", "arms_sales", "killings", "quotes")
EVENT_TYPES = ("strikes", "visits", "arms_sales", "killings")
_SINGULAR = {"strike": "strikes", "visit": "visits", "arms_sale": "arms_sales", "killing": "killings",
             "quote": "quotes"}

VALUE_USD_TOLERANCE = 0.10
QUOTE_OVERLAP = 0.8

# Field kinds: iso (exact ISO3, upper case), int (exact), float (exact up to rounding),
# usd (within VALUE_USD_TOLERANCE), text (case-insensitive, containment either way), enum (exact),
# weapon (exact, or coarse gold classes), date (exact ISO date), quote (overlap >= QUOTE_OVERLAP),
# dest_or_host (gold against our destination or host).
# Free-text fields meant for reading (target, purpose, items, roles, attributed_to, date_text)
# are not scored, following tests/golden/README.md.
_COMMON = {"certainty": "enum", "event_date": "date", "date_precision": "enum"}
FIELDS: dict[str, dict[str, str]] = {
    "strikes": {"attacker": "text", "attacker_country": "iso", "location": "text", "country": "iso",
                "target_type": "enum", "weapon": "weapon", "killed": "int", "killed_max": "int",
                "wounded": "int", **_COMMON},
    "visits": {"visitor": "text", "visitor_country": "iso", "destination": "text",
               "destination_country": "iso", "host": "text", "destination_or_host": "dest_or_host",
               "status": "enum", **_COMMON},
    "arms_sales": {"seller": "text", "seller_country": "iso", "buyer": "text", "buyer_country": "iso",
                   "quantity": "int", "value": "float", "currency": "enum", "value_usd": "usd",
                   "value_qualifier": "enum", "status": "enum", **_COMMON},
    "killings": {"victim": "text", "perpetrator": "text", "perpetrator_country": "iso", "killed": "int",
                 "location": "text", "country": "iso", **_COMMON},
    "quotes": {"speaker": "text", "speaker_org": "text", "quote": "quote"},
}

# Coarse gold weapon classes (PLOVER mappings) and the project's classes each one covers.
COARSE_WEAPONS = {
    "air_or_drone": {"air", "drone"},
    "artillery_or_missile": {"artillery", "missile", "rocket"},
    "explosive_ied": {"bomb"},
    "suicide_bomb": {"bomb"},
}


# ---------------------------------------------------------------------------------------------
# value helpers
# ---------------------------------------------------------------------------------------------

def table_name(name: str | None) -> str | None:
    """'strike' or 'strikes' -> 'strikes'; unknown names (armed_clash, meeting, ...) -> None."""
    if not name:
        return None
    name = name.strip().lower()
    return name if name in TYPES else _SINGULAR.get(name)


def is_null(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, (list, tuple)) and not any(
        not is_null(x) for x in v))


def _alternatives(v: Any) -> list:
    """A gold value as a list of acceptable values (lists in the shared sets mean 'any of')."""
    if isinstance(v, (list, tuple)):
        return [x for x in v if not is_null(x)]
    return [] if is_null(v) else [v]


_PUNCT = re.compile(r"[^\w\s]")


def norm_text(s: Any) -> str:
    s = str(s).lower().replace("’", "'").replace("‘", "'")
    s = re.sub(r"'s\b", "", s)
    s = _PUNCT.sub(" ", s)
    s = " ".join(s.split())
    return s.removeprefix("the ")


def text_match(pred: Any, gold: Any) -> bool:
    """Case-insensitive; equal, or one contains the other as whole words. Gold may be a list."""
    if is_null(pred):
        return False
    p = norm_text(pred)
    if not p:
        return False
    for g in _alternatives(gold):
        g = norm_text(g)
        if g and (p == g or f" {g} " in f" {p} " or f" {p} " in f" {g} "):
            return True
    return False


_HONORIFIC = re.compile(r"^(?:mr|mrs|ms|dr|sir|jr|sr|ii|iii)$")


def surname(name: Any) -> str | None:
    """Last name token of a person's name ("U.S. Secretary of State Antony Blinken" -> "blinken")."""
    if is_null(name):
        return None
    toks = [t for t in norm_text(name).split() if len(t) > 1 and not _HONORIFIC.match(t)]
    return toks[-1] if toks else None


def surname_match(pred: Any, gold: Any) -> bool:
    """The gold surname is a token of the predicted name, or the predicted surname one of gold's."""
    if is_null(pred):
        return False
    p_toks = set(norm_text(pred).split())
    p_last = surname(pred)
    for g in _alternatives(gold):
        g_last = surname(g)
        if g_last and (g_last in p_toks or (p_last is not None and p_last in set(norm_text(g).split()))):
            return True
    return False


def iso_match(pred: Any, gold: Any) -> bool:
    if is_null(pred):
        return False
    return any(str(pred).strip().upper() == str(g).strip().upper() for g in _alternatives(gold))


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or v is None:
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def number_match(pred: Any, gold: Any, rel_tol: float = 0.0) -> bool:
    p, g = _num(pred), _num(gold)
    if p is None or g is None:
        return False
    if rel_tol <= 0:
        return abs(p - g) <= 1e-6 * max(1.0, abs(g))
    return abs(p - g) <= rel_tol * abs(g) + 1e-9


def usd_match(pred: Any, gold: Any, rel_tol: float = VALUE_USD_TOLERANCE) -> bool:
    return number_match(pred, gold, rel_tol)


def enum_match(pred: Any, gold: Any) -> bool:
    if is_null(pred):
        return False
    return any(str(pred).strip().lower() == str(g).strip().lower() for g in _alternatives(gold))


def weapon_match(pred: Any, gold: Any) -> bool:
    if is_null(pred):
        return False
    p = str(pred).strip().lower()
    for g in _alternatives(gold):
        g = str(g).strip().lower()
        if p == g or p in COARSE_WEAPONS.get(g, ()):
            return True
    return False


def date_match(pred: Any, gold: Any) -> bool:
    if is_null(pred):
        return False
    p = pred.isoformat() if hasattr(pred, "isoformat") else str(pred)
    return any(p[:10] == (g.isoformat() if hasattr(g, "isoformat") else str(g))[:10] for g in _alternatives(gold))


_QUOTE_CHARS = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})


def norm_quote(s: Any) -> str:
    s = " ".join(str(s).translate(_QUOTE_CHARS).split()).lower()
    return s.strip(" \"'.,;:!?-—…")


def quote_overlap(a: Any, b: Any) -> float:
    """Characters in common (difflib matching blocks) over the length of the longer normalised quote."""
    if is_null(a) or is_null(b):
        return 0.0
    x, y = norm_quote(a), norm_quote(b)
    if not x or not y:
        return 0.0
    if x == y:
        return 1.0
    sm = difflib.SequenceMatcher(None, x, y, autojunk=False)
    common = sum(m.size for m in sm.get_matching_blocks())
    return common / max(len(x), len(y))


def quote_match(pred: Any, gold: Any, threshold: float = QUOTE_OVERLAP) -> bool:
    return any(quote_overlap(pred, g) >= threshold for g in _alternatives(gold))


def field_match(kind: str, pred_fact: Mapping, fname: str, gold: Any) -> bool:
    """Does the predicted fact get field `fname` (of the given kind) right against gold value?"""
    if kind == "dest_or_host":
        return text_match(pred_fact.get("destination"), gold) or text_match(pred_fact.get("host"), gold)
    pred = pred_fact.get(fname)
    if kind == "iso":
        return iso_match(pred, gold)
    if kind == "int":
        return any(number_match(pred, g) for g in _alternatives(gold))
    if kind == "float":
        return any(number_match(pred, g, 1e-6) for g in _alternatives(gold))
    if kind == "usd":
        return any(usd_match(pred, g) for g in _alternatives(gold))
    if kind == "enum":
        return enum_match(pred, gold)
    if kind == "weapon":
        return weapon_match(pred, gold)
    if kind == "date":
        return date_match(pred, gold)
    if kind == "quote":
        return quote_match(pred, gold)
    if fname in _ACTOR_FIELDS and actor_match(pred_fact, fname, gold):
        return True
    return text_match(pred, gold)


# Our actor fields hold canonical names ("Russia" for "Russian aircraft", "Houthis" for "Ansar
# Allah"); gold sets give surface phrases. An actor field is right when the gold phrase names the
# same actor, or an actor of the same country, by our gazetteer.
_ACTOR_FIELDS = {"attacker": "attacker_country", "perpetrator": "perpetrator_country",
                 "seller": "seller_country", "buyer": "buyer_country"}


def actor_match(pred_fact: Mapping, fname: str, gold: Any) -> bool:
    from pipelines.actors import find_actors

    pred = pred_fact.get(fname)
    if is_null(pred):
        return False
    pred_iso = pred_fact.get(_ACTOR_FIELDS[fname])
    for g in _alternatives(gold):
        for _, _, actor in find_actors(str(g)):
            if norm_text(actor.canonical) == norm_text(pred) or (pred_iso and actor.iso3 == pred_iso):
                return True
    return False


# ---------------------------------------------------------------------------------------------
# evidence spans and key fields
# ---------------------------------------------------------------------------------------------

def locate(text: str, snippet: str | None) -> tuple[int, int] | None:
    """Offsets of `snippet` in `text`: exact `text.find`, else whitespace-tolerant, else None."""
    if not snippet or not text:
        return None
    i = text.find(snippet)
    if i >= 0:
        return i, i + len(snippet)
    words = snippet.split()
    if not words:
        return None
    m = re.search(r"\s+".join(re.escape(w) for w in words), text)
    return (m.start(), m.end()) if m else None


def gold_span(text: str, gold: Mapping, whole_text: bool = False) -> tuple[int, int] | None:
    """Where the expected fact's evidence is. Gold without an `evidence` field (the shared sets,
    whose records are a sentence or a short passage) counts the whole text as its evidence when
    `whole_text` is set."""
    ev = gold.get("evidence")
    if isinstance(ev, str) and ev.strip():
        return locate(text, ev)
    if whole_text and text:
        return 0, len(text)
    return None


def pred_span(text: str, pred: Mapping) -> tuple[int, int] | None:
    s, e = pred.get("evidence_start"), pred.get("evidence_end")
    if isinstance(s, int) and isinstance(e, int) and e > s:
        return s, e
    ev = pred.get("evidence")
    return locate(text, ev) if isinstance(ev, str) else None


def spans_overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def key_match(table: str, pred: Mapping, gold: Mapping) -> bool:
    """The key-field rule of each table (gold fields that are null never agree)."""
    g = gold.get
    if table == "strikes":
        return iso_match(pred.get("country"), g("country")) and (
            text_match(pred.get("location"), g("location")) or text_match(pred.get("target"), g("target"))
            or text_match(pred.get("attacker"), g("attacker")))
    if table == "visits":
        return surname_match(pred.get("visitor"), g("visitor")) and iso_match(
            pred.get("destination_country"), g("destination_country"))
    if table == "arms_sales":
        return iso_match(pred.get("buyer_country"), g("buyer_country")) and (
            iso_match(pred.get("seller_country"), g("seller_country"))
            or any(usd_match(pred.get("value_usd"), v) for v in _alternatives(g("value_usd"))))
    if table == "killings":
        if surname_match(pred.get("victim"), g("victim")):
            return True
        return (not is_null(g("killed")) and any(number_match(pred.get("killed"), v) for v in _alternatives(g("killed")))
                and text_match(pred.get("location"), g("location")))
    if table == "quotes":
        return quote_match(pred.get("quote"), g("quote"))
    return False


def scored_fields(table: str, gold: Mapping) -> list[tuple[str, str]]:
    """(field, kind) pairs that this gold fact gives non-null."""
    return [(f, k) for f, k in FIELDS.get(table, {}).items() if f in gold and not is_null(gold[f])]


def agreeing_fields(table: str, pred: Mapping, gold: Mapping) -> list[str]:
    return [f for f, k in scored_fields(table, gold) if field_match(k, pred, f, gold[f])]


_TIE_FIELDS = ("location", "target", "destination", "destination_or_host", "status", "quantity")


def match_facts(table: str, text: str, preds: list[Mapping], golds: list[Mapping],
                whole_text_evidence: bool = False) -> list[tuple[int, int, str]]:
    """Greedy one-to-one matching. Returns (pred index, gold index, how) with how in
    {"evidence+key", "evidence", "key"}."""
    p_spans = [pred_span(text, p) for p in preds]
    g_spans = [gold_span(text, g, whole_text_evidence) for g in golds]
    cands = []
    for pi, p in enumerate(preds):
        for gi, gd in enumerate(golds):
            ev = spans_overlap(p_spans[pi], g_spans[gi])
            key = key_match(table, p, gd)
            if not (ev or key):
                continue
            agree = agreeing_fields(table, p, gd)
            tie = sum(1 for f in _TIE_FIELDS if f in agree)
            if table == "strikes" or table == "killings":  # target is not scored, but breaks ties
                tie += int(text_match(p.get("target"), gd.get("target")))
            how = "evidence+key" if ev and key else ("evidence" if ev else "key")
            cands.append(((ev and key), tie, len(agree), -gi, -pi, pi, gi, how))
    cands.sort(reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for *_, pi, gi, how in cands:
        if pi in used_p or gi in used_g:
            continue
        used_p.add(pi)
        used_g.add(gi)
        out.append((pi, gi, how))
    return sorted(out, key=lambda t: t[1])


# ---------------------------------------------------------------------------------------------
# documents and totals
# ---------------------------------------------------------------------------------------------

def group_expected(expected: Mapping | Iterable | None) -> dict[str, list[dict]]:
    """Gold facts per table, from either gold shape. Facts of other kinds (armed_clash, meeting,
    arms_transfer in PLOVER) are dropped."""
    out: dict[str, list[dict]] = {t: [] for t in TYPES}
    if expected is None:
        return out
    if isinstance(expected, Mapping):
        for k, facts in expected.items():
            t = table_name(k)
            if t:
                out[t].extend(f for f in (facts or []) if isinstance(f, Mapping))
        return out
    for f in expected:
        if isinstance(f, Mapping):
            t = table_name(f.get("type"))
            if t:
                out[t].append(dict(f))
    return out


def scored_types(annotated_types: Iterable[str] | None) -> tuple[str, ...]:
    """The tables to score for a record: all, or only those in `annotated_types` when given."""
    if annotated_types is None:
        return TYPES
    wanted = {table_name(t) for t in annotated_types}
    return tuple(t for t in TYPES if t in wanted)


def is_distractor(category: str | None) -> bool:
    return bool(category) and str(category).lower().startswith("distractor")


@dataclass
class TypeCounts:
    n_gold: int = 0
    n_pred: int = 0
    matched: int = 0

    @property
    def precision(self) -> float | None:
        return self.matched / self.n_pred if self.n_pred else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.n_gold if self.n_gold else None

    @property
    def f1(self) -> float | None:
        # 2PR/(P+R) == 2*matched/(n_pred+n_gold); 0 when something was expected or predicted
        # and nothing matched, None when there was nothing at all.
        total = self.n_pred + self.n_gold
        return 2 * self.matched / total if total else None


@dataclass
class DocScore:
    doc_id: str
    counts: dict[str, TypeCounts]
    fields: dict[tuple[str, str], list[int]]  # (table, field) -> [correct, total]
    country: list[int]                        # pooled over all ISO3 fields: [correct, total]
    distractor_facts: int
    pairs: dict[str, list[tuple[int, int, str]]]
    misses: dict[str, list[int]] = field(default_factory=dict)       # unmatched gold indices
    false_pos: dict[str, list[int]] = field(default_factory=dict)    # unmatched pred indices


def score_document(text: str, predicted: Mapping[str, list], expected: Mapping | Iterable | None, *,
                   doc_id: str = "", category: str | None = None,
                   annotated_types: Iterable[str] | None = None,
                   whole_text_evidence: bool = False) -> DocScore:
    """Score one document's predicted facts (per table, as extract_articles returns them) against
    its gold facts (either shape)."""
    gold = group_expected(expected)
    types = scored_types(annotated_types)
    counts: dict[str, TypeCounts] = {}
    fields: dict[tuple[str, str], list[int]] = {}
    country = [0, 0]
    pairs: dict[str, list] = {}
    misses: dict[str, list[int]] = {}
    false_pos: dict[str, list[int]] = {}
    distractor = 0
    for t in types:
        preds = list(predicted.get(t) or [])
        golds = gold[t]
        m = match_facts(t, text, preds, golds, whole_text_evidence)
        counts[t] = TypeCounts(len(golds), len(preds), len(m))
        pairs[t] = m
        misses[t] = sorted(set(range(len(golds))) - {gi for _, gi, _ in m})
        false_pos[t] = sorted(set(range(len(preds))) - {pi for pi, _, _ in m})
        if t in EVENT_TYPES and is_distractor(category):
            distractor += len(preds)
        for pi, gi, _ in m:
            for f, kind in scored_fields(t, golds[gi]):
                ok = field_match(kind, preds[pi], f, golds[gi][f])
                cell = fields.setdefault((t, f), [0, 0])
                cell[0] += ok
                cell[1] += 1
                if kind == "iso":
                    country[0] += ok
                    country[1] += 1
    return DocScore(doc_id, counts, fields, country, distractor, pairs, misses, false_pos)


@dataclass
class Totals:
    counts: dict[str, TypeCounts] = field(default_factory=lambda: {t: TypeCounts() for t in TYPES})
    fields: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    country: list[int] = field(default_factory=lambda: [0, 0])
    distractor_facts: int = 0
    distractor_docs: int = 0
    docs: int = 0
    scored: set = field(default_factory=set)   # tables scored in at least one document

    def add(self, d: DocScore, category: str | None = None) -> None:
        self.docs += 1
        self.distractor_docs += int(is_distractor(category))
        for t, c in d.counts.items():
            self.scored.add(t)
            tc = self.counts[t]
            tc.n_gold += c.n_gold
            tc.n_pred += c.n_pred
            tc.matched += c.matched
        for k, (ok, n) in d.fields.items():
            cell = self.fields.setdefault(k, [0, 0])
            cell[0] += ok
            cell[1] += n
        self.country[0] += d.country[0]
        self.country[1] += d.country[1]
        self.distractor_facts += d.distractor_facts

    def micro(self, types: Iterable[str] = EVENT_TYPES) -> TypeCounts:
        out = TypeCounts()
        for t in types:
            if t in self.scored:
                c = self.counts[t]
                out.n_gold += c.n_gold
                out.n_pred += c.n_pred
                out.matched += c.matched
        return out

    def as_dict(self) -> dict:
        def tc(c: TypeCounts) -> dict:
            return {"n_gold": c.n_gold, "n_pred": c.n_pred, "matched": c.matched,
                    "precision": c.precision, "recall": c.recall, "f1": c.f1}
        return {
            "docs": self.docs,
            "types": {t: tc(self.counts[t]) for t in TYPES if t in self.scored},
            "events_micro": tc(self.micro()),
            "fields": {f"{t}.{f}": {"correct": ok, "total": n, "accuracy": ok / n if n else None}
                       for (t, f), (ok, n) in sorted(self.fields.items(), key=lambda kv: _field_order(kv[0]))},
            "country_fields": {"correct": self.country[0], "total": self.country[1],
                               "accuracy": self.country[0] / self.country[1] if self.country[1] else None},
            "distractor_docs": self.distractor_docs,
            "distractor_facts": self.distractor_facts,
        }


def _field_order(key: tuple[str, str]) -> tuple[int, int]:
    t, f = key
    names = list(FIELDS.get(t, {}))
    return TYPES.index(t) if t in TYPES else 99, names.index(f) if f in names else 99


# ---------------------------------------------------------------------------------------------
# set-specific checks (shared sets)
# ---------------------------------------------------------------------------------------------

def buyer_and_value_right(preds: list[Mapping], gold: Mapping,
                          country_of: Callable[[str], str | None] | None = None,
                          rel_tol: float = 0.01) -> bool:
    """DSCA check: some predicted sale has the buyer (name, or buyer_country equal to the gold
    buyer's country) and value_usd within 1%."""
    buyers = _alternatives(gold.get("buyer"))
    isos = set(_alternatives(gold.get("buyer_country")))
    if country_of is not None:
        isos |= {c for b in buyers if (c := country_of(str(b)))}
    for p in preds:
        buyer_ok = text_match(p.get("buyer"), buyers) or (p.get("buyer_country") in isos and p.get("buyer_country"))
        if buyer_ok and any(usd_match(p.get("value_usd"), v, rel_tol) for v in _alternatives(gold.get("value_usd"))):
            return True
    return False


def location_attached(text: str, pred_location: str | None, gold_spans: Iterable[str]) -> bool:
    """Event-location check: the predicted location equals, contains or is contained in a gold
    location span, or the two occupy overlapping characters of the sentence."""
    if is_null(pred_location):
        return False
    spans = [g for g in gold_spans if not is_null(g)]
    if text_match(pred_location, spans):
        return True
    low = text.lower()
    p = locate(low, str(pred_location).lower())
    return any(spans_overlap(p, locate(low, str(g).lower())) for g in spans)


# ---------------------------------------------------------------------------------------------
# real-news sets (real_news_dev.jsonl and any set of that form)
# ---------------------------------------------------------------------------------------------
#
# These rules are not the ones above. They reproduce, in this project's own code, the rules of
# the reference scorer shipped beside the development set (../shared/tools/score.py), so that the
# figures printed here are the figures that scorer prints for the same predictions:
#
# * Only the types a record lists in `annotated_types` are scored (all four when it lists none).
# * Within one record and one type, every (gold, predicted) pair is a candidate when
#     - the two evidence sentences overlap: the content tokens they share, over the smaller of the
#       two token sets, reach RN_EVIDENCE_OVERLAP; the gold sentence is the slice `evidence_span`
#       of the record text, and a gold fact without a span overlaps any prediction fully; or
#     - failing that, the identifying fields agree: the type's anchor field and at least one of
#       its companion fields (RN_TYPES[type].anchor / .companions).
# * Candidates are ranked: evidence pairs before field pairs; among evidence pairs, by overlap
#   plus the number of agreeing key fields; among field pairs, by agreeing key fields; remaining
#   ties go to the later gold fact, then to the later prediction (the reference sorts its
#   (rank, gold index, prediction index) triples in descending order). Pairs are then taken
#   greedily, each fact at most once. Field pairs are counted apart as `by_fields`.
# * Per-field agreement is counted over matched pairs, on the type's key fields, where the gold
#   value is not null: codes exactly (case-insensitive), numbers within RN_NUMBER_TOLERANCE of
#   the gold (or of 1, whichever is larger), names when their content tokens overlap by
#   RN_NAME_OVERLAP; an actor name (attacker, seller, buyer, visitor) that does not overlap is
#   still right when the prediction names someone and its country code field equals a non-null
#   gold code.
# * P = tp/(tp+fp), R = tp/(tp+fn), F1 their harmonic mean (0.0 when undefined); the reference
#   prints them rounded to 3 decimals.

RN_EVIDENCE_OVERLAP = 0.5
RN_NAME_OVERLAP = 0.5
RN_NUMBER_TOLERANCE = 0.02
RN_EXCERPT = 160  # characters of evidence kept in an error line

# Tokens too common to say that two phrases are about the same thing.
RN_STOPWORDS = frozenset({"a", "an", "the", "of", "in", "on", "to", "and", "s"})
_RN_TOKEN = re.compile(r"[a-z0-9]+")

# Fields compared as codes (exactly, ignoring case and edge spaces) and as numbers.
RN_CODE_FIELDS = frozenset({"attacker_country", "country", "visitor_country", "destination_country",
                            "seller_country", "buyer_country", "weapon", "certainty", "status", "currency"})
RN_NUMBER_FIELDS = frozenset({"killed", "wounded", "value", "value_usd"})
# An actor field, and the code field that may vouch for it.
RN_ACTOR_CODE = {"attacker": "attacker_country", "visitor": "visitor_country",
                 "seller": "seller_country", "buyer": "buyer_country"}


@dataclass(frozen=True)
class RealNewsType:
    table: str                     # the project's table for the type
    key_fields: tuple[str, ...]    # counted for ranking and reported per field
    anchor: str                    # must agree for a pairing by fields ...
    companions: tuple[str, ...]    # ... together with at least one of these


RN_TYPES: dict[str, RealNewsType] = {
    "strike": RealNewsType("strikes", ("attacker", "attacker_country", "target", "location", "country",
                                       "weapon", "killed", "certainty"),
                           "location", ("target", "weapon", "attacker_country", "killed")),
    "visit": RealNewsType("visits", ("visitor", "visitor_country", "destination", "destination_country",
                                     "host", "status"),
                          "visitor", ("destination", "destination_country")),
    "arms_sale": RealNewsType("arms_sales", ("seller", "seller_country", "buyer", "buyer_country", "items",
                                             "value_usd", "status"),
                              "buyer", ("value_usd", "items", "seller")),
    "killing": RealNewsType("killings", ("victim", "killed", "location", "country", "perpetrator", "certainty"),
                            "victim", ("location", "perpetrator", "killed")),
}
RN_TYPE_NAMES = tuple(RN_TYPES)


def content_tokens(s: Any) -> set[str]:
    """Lower-cased ASCII letter/digit runs of a string, minus RN_STOPWORDS (None -> empty)."""
    return set(_RN_TOKEN.findall((s or "").lower())) - RN_STOPWORDS


def token_containment(a: Any, b: Any) -> float:
    """Shared content tokens over the size of the smaller token set; 0.0 when either is empty."""
    x, y = content_tokens(a), content_tokens(b)
    if not x or not y:
        return 0.0
    return len(x & y) / min(len(x), len(y))


def rn_value_agrees(name: str, gold: Any, pred: Any) -> bool | None:
    """One field under the real-news rules: None when the gold is null (not scored), else
    whether the predicted value is right."""
    if gold is None:
        return None
    if pred is None or (isinstance(pred, float) and math.isnan(pred)):
        return False
    if name in RN_NUMBER_FIELDS:
        try:
            g, p = float(gold), float(pred)
        except (TypeError, ValueError):
            return False
        return abs(p - g) <= RN_NUMBER_TOLERANCE * max(abs(g), 1.0)
    if name in RN_CODE_FIELDS:
        return str(pred).strip().upper() == str(gold).strip().upper()
    return token_containment(str(gold), str(pred)) >= RN_NAME_OVERLAP


def rn_field_agrees(name: str, gold_fact: Mapping, pred_fact: Mapping) -> bool | None:
    """rn_value_agrees on field `name`, plus the actor rule: a wrong actor name counts as right
    when the prediction gives a name and the actor's code field agrees with a non-null gold code."""
    ok = rn_value_agrees(name, gold_fact.get(name), pred_fact.get(name))
    code = RN_ACTOR_CODE.get(name)
    if ok is False and code is not None and pred_fact.get(name) and gold_fact.get(code) \
            and rn_value_agrees(code, gold_fact.get(code), pred_fact.get(code)):
        return True
    return ok


def rn_gold_evidence(text: str, gold_fact: Mapping) -> str | None:
    """The gold evidence sentence: the `evidence_span` slice of the record text (None without a
    span, or when the span selects nothing)."""
    span = gold_fact.get("evidence_span")
    if not span:
        return None
    return text[span[0]:span[1]] or None


def rn_pred_evidence(pred_fact: Mapping, article_text: str = "") -> str:
    """A prediction's evidence: its `evidence`, else its offsets into the article text."""
    ev = pred_fact.get("evidence")
    if not ev and pred_fact.get("evidence_start") is not None and pred_fact.get("evidence_end") is not None:
        ev = article_text[int(pred_fact["evidence_start"]):int(pred_fact["evidence_end"])]
    return ev or ""


@dataclass(frozen=True)
class RealNewsPair:
    gold: int          # index in the record's gold facts of the type
    pred: int          # index in the record's predictions of the type
    by_evidence: bool  # False: paired by identifying fields


def rn_match(fact_type: str, golds: list[Mapping], gold_evidence: list[str | None],
             preds: list[Mapping], pred_evidence: list[str]) -> list[RealNewsPair]:
    """Greedy one-to-one pairing of one record's gold and predicted facts of one type (rules at
    the top of this section). Returns the pairs in the order they were taken."""
    spec = RN_TYPES[fact_type]
    ranked = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            ov = token_containment(gold_evidence[gi], pred_evidence[pi]) if gold_evidence[gi] else 1.0
            agree = sum(1 for k in spec.key_fields if rn_field_agrees(k, g, p))
            if ov >= RN_EVIDENCE_OVERLAP:
                ranked.append(((1, ov + agree), gi, pi))
            elif rn_field_agrees(spec.anchor, g, p) and any(rn_field_agrees(k, g, p) for k in spec.companions):
                ranked.append(((0, float(agree)), gi, pi))
    ranked.sort(reverse=True)
    taken_g: set[int] = set()
    taken_p: set[int] = set()
    out = []
    for (tier, _), gi, pi in ranked:
        if gi in taken_g or pi in taken_p:
            continue
        taken_g.add(gi)
        taken_p.add(pi)
        out.append(RealNewsPair(gi, pi, tier == 1))
    return out


@dataclass
class RealNewsCounts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    by_fields: int = 0
    fields: dict[str, list[int]] = field(default_factory=dict)  # key field -> [right, scored]

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def field_rates(self) -> dict[str, float]:
        """Agreement per key field that was scored at least once, in key-field order."""
        return {k: ok / n for k, (ok, n) in self.fields.items() if n}


@dataclass
class RealNewsReport:
    types: dict[str, RealNewsCounts]
    records: int = 0
    distractor_records: int = 0
    distractor_facts: int = 0      # predicted facts (scored types) in records of group "D"
    errors: list[dict] = field(default_factory=list)  # one per missed gold fact or false prediction

    def summary(self) -> dict:
        """Figures as the reference scorer reports them (ratios rounded to 3 decimals)."""
        return {t: {"tp": c.tp, "fp": c.fp, "fn": c.fn, "by_fields": c.by_fields,
                    "precision": round(c.precision, 3), "recall": round(c.recall, 3), "f1": round(c.f1, 3),
                    "fields": {k: round(v, 3) for k, v in c.field_rates().items()}}
                for t, c in self.types.items()}


def _rn_predictions(by_type: Mapping | None, fact_type: str) -> list[Mapping]:
    """A record's predictions of one type, keyed by the type ("strike") or by its table ("strikes")."""
    if not by_type:
        return []
    rows = by_type.get(fact_type)
    if rows is None:
        rows = by_type.get(RN_TYPES[fact_type].table)
    return list(rows or [])


def score_realnews(records: Iterable[Mapping], predictions: Mapping[str, Mapping], *,
                   types: Iterable[str] = RN_TYPE_NAMES,
                   article_texts: Mapping[str, str] | None = None) -> RealNewsReport:
    """Score a real-news set. `records`: gold records {id, text, expected: [{type, ...,
    evidence_span?}], annotated_types?, group?}. `predictions`: record id -> type or table name ->
    predicted fact dicts (with `evidence`, or offsets into `article_texts[id]`), in the order the
    warehouse holds them (the order decides the last ties). Records without predictions predicted
    nothing; predictions for ids that are not records are ignored."""
    types = [t for t in types if t in RN_TYPES]
    report = RealNewsReport({t: RealNewsCounts(fields={k: [0, 0] for k in RN_TYPES[t].key_fields}) for t in types})
    article_texts = article_texts or {}
    for rec in records:
        rid = rec["id"]
        text = rec.get("text") or ""
        annotated = rec.get("annotated_types") or types
        distractor = rec.get("group") == "D"
        report.records += 1
        report.distractor_records += int(distractor)
        for t in types:
            if t not in annotated:
                continue
            spec, counts = RN_TYPES[t], report.types[t]
            golds = [f for f in rec.get("expected") or [] if isinstance(f, Mapping) and f.get("type") == t]
            preds = _rn_predictions(predictions.get(rid), t)
            g_ev = [rn_gold_evidence(text, g) for g in golds]
            p_ev = [rn_pred_evidence(p, article_texts.get(rid, "")) for p in preds]
            pairs = rn_match(t, golds, g_ev, preds, p_ev)
            for pair in pairs:
                counts.by_fields += not pair.by_evidence
                for k in spec.key_fields:
                    ok = rn_field_agrees(k, golds[pair.gold], preds[pair.pred])
                    if ok is not None:
                        counts.fields[k][0] += ok
                        counts.fields[k][1] += 1
            counts.tp += len(pairs)
            counts.fn += len(golds) - len(pairs)
            counts.fp += len(preds) - len(pairs)
            if distractor:
                report.distractor_facts += len(preds)
            paired_g = {p.gold for p in pairs}
            paired_p = {p.pred for p in pairs}
            for gi, g in enumerate(golds):
                if gi not in paired_g:
                    report.errors.append({"id": rid, "type": t, "error": "missed",
                                          "fields": {k: g.get(k) for k in spec.key_fields},
                                          "evidence": (g_ev[gi] or g.get("evidence") or "")[:RN_EXCERPT]})
            for pi, p in enumerate(preds):
                if pi not in paired_p:
                    report.errors.append({"id": rid, "type": t, "error": "false",
                                          "fields": {k: p.get(k) for k in spec.key_fields},
                                          "evidence": p_ev[pi][:RN_EXCERPT]})
    return report
