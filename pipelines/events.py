"""Events: reports of the same real-world event, across articles, grouped into one row.

Rules (a report joins an event when every rule holds; otherwise it founds a new event):
- same type (strike, visit, arms sale, killing);
- actors agree: attacker, visitor (surname), seller, buyer, perpetrator are equal where both
  reports give them;
- countries agree where both give them (country, destination_country, buyer/seller_country);
- place: both with coordinates within 25 km, or the same place name, or one report without a
  place (a report that only names the country joins an event in that country);
- date window: strikes and killings 1 day apart (2 days when one side's date is taken from its
  publication date because the report gives none), visits 10 days (a planned visit and its
  occurrence are one event), arms sales 365 days (approval and signature months apart);
- splitters: two named victims with different surnames; two strikes on the same town the same
  day with different target types, disjoint targets or different weapon classes; two arms sales
  to the same buyer of different item families.
Different casualty numbers never split an event: they are claims (see casualty_claims).

Ids: an event's id is a hash of its founding report's fact_id, so re-running a batch or adding a
new one attaches reports to existing events without renumbering them.

Order: grouping is greedy, so the order of reports decides which report founds an event. The
order is fixed by the input, never by scheduling: batches in registration order (when their
manifest was written, then batch id), and within a batch publication time, article, fact id.
A batch whose grouping finishes after a later-registered batch's (parallel runs) does not join
the events as they happen to stand: the later batches' reports are taken out (`before_batches`),
the batch is grouped, and the later batches are grouped again after it (`group_batches`), so the
events equal those of running the batches one by one in registration order.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from pipelines import lexicon as L
from pipelines.text import stable_id

FACT_TYPES = {"strikes": "strike", "visits": "visit", "arms_sales": "arms_sale", "killings": "killing"}
DATE_WINDOW_DAYS = {"strike": 1, "killing": 1, "visit": 10, "arms_sale": 365}
MAX_KM = 25.0
TOLL_GAP = 6  # people: the smallest gap between a toll and an event's claims that can split (far_toll)
_CERTAINTY_RANK = {"reported": 0, "confirmed": 1, "possible": 2, "claimed": 3, "denied": 4}
_STATUS_RANK = {
    "visit": {"planned": 0, "ongoing": 1, "occurred": 2, "cancelled": 3},
    "arms_sale": {"reported": 0, "requested": 1, "proposed": 2, "approved": 3, "signed": 4, "delivered": 5, "cancelled": 6},
}
_ACTOR_FIELDS = {
    "strike": ("attacker_country", "country"),
    "killing": ("perpetrator_country", "country"),
    "visit": ("visitor_country", "destination_country"),
    "arms_sale": ("seller_country", "buyer_country"),
}
_ITEM_FAMILIES = {
    "aircraft": r"jet|aircraft|fighter|F-\d+|Su-\d+|MiG|Rafale|Typhoon|Gripen|J-\d+|FA-50|warplane",
    "helicopter": r"helicopter|Apache|Black\s*Hawk|Chinook",
    "air_defence": r"air[- ]defen[cs]e|Patriot|NASAMS|IRIS-T|S-\d00|THAAD|interceptor|Iron\s+Dome",
    "missile": r"missile|Hellfire|Javelin|Harpoon|AMRAAM|Tomahawk|Brimstone|Spike|ATACMS",
    "armour": r"tank|armou?red|howitzer|artillery|K2|K9|Leopard|Abrams|HIMARS|launcher",
    "naval": r"frigate|submarine|warship|corvette|vessel|boat",
    "drone": r"drone|UAV|Bayraktar|Reaper|MQ-\d",
    "munitions": r"munition|ammunition|shell|bomb|rifle|small\s+arms",
}


@dataclass
class Report:
    """One fact row seen as a report of an event."""

    fact_id: str
    table: str
    article_id: str
    batch_id: str
    published_at: datetime | None
    source: str | None
    row: dict

    @property
    def type(self) -> str:
        return FACT_TYPES[self.table]

    @property
    def day(self) -> tuple[date | None, bool]:
        """The event date, or the publication date as a stand-in (second item True)."""
        d = self.row.get("event_date")
        if d is not None and self.row.get("date_precision") in (None, "day"):
            return d, False
        if d is not None:
            return d, True
        return (self.published_at.date() if self.published_at else None), True


@dataclass
class Event:
    event_id: str
    type: str
    reports: list[Report] = field(default_factory=list)
    similarity: dict[str, float] = field(default_factory=dict)


@lru_cache(maxsize=1 << 14)
def _surname(name: str | None) -> str | None:
    if not name:
        return None
    words = re.findall(r"[A-Za-z][\w'’-]+", name)
    return words[-1].lower() if words else None


def _km(a: dict, b: dict) -> float | None:
    if None in (a.get("latitude"), a.get("longitude"), b.get("latitude"), b.get("longitude")):
        return None
    la1, lo1, la2, lo2 = map(math.radians, (a["latitude"], a["longitude"], b["latitude"], b["longitude"]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))


@lru_cache(maxsize=1 << 14)
def _families(items: str | None) -> frozenset[str]:
    """Item families named in an item description (a pure function of it: cached, as grouping
    asks for it at every comparison of two arms sales)."""
    if not items:
        return frozenset()
    items = re.sub(r"\banti-?\w+", " ", items, flags=re.I)  # an "anti-tank missile" is a missile, not a tank
    return frozenset(f for f, p in _ITEM_FAMILIES.items() if re.search(p, items, re.I))


# Weapon classes two reports of one strike may give: a glide bomb dropped by a jet is "air" in one
# report and "bomb" in another; a missile and a rocket are often confused.
_COMPATIBLE_WEAPONS = {frozenset(p) for p in (("air", "bomb"), ("air", "drone"), ("missile", "rocket"),
                                               ("artillery", "rocket"), ("missile", "drone"), ("air", "missile"))}
_TARGET_NOUNS = re.compile(
    r"\b(?:market|hospital|clinic|school|mosque|church|depot|base|airfield|port|bridge|refinery|power\s+(?:plant|station)"
    r"|substation|apartment|building|house|home|block|camp|convoy|checkpoint|station|factory|warehouse|office|headquarters|post|bakery|shelter)s?\b",
    re.I,
)


# Words reporters use for the same kind of target: "an apartment block" and "a residential
# building" are one target, "a hospital" and "a clinic" too.
_TARGET_CLASSES = {
    "apartment": "dwelling", "building": "dwelling", "house": "dwelling", "home": "dwelling", "block": "dwelling",
    "clinic": "hospital", "power plant": "energy", "power station": "energy", "substation": "energy",
    "refinery": "energy", "depot": "storage", "warehouse": "storage", "airfield": "base", "post": "base",
    "checkpoint": "base", "headquarters": "base",
}


_OTHER_EVENT = re.compile(r"\b(?:" + "|".join(sorted(L.words("other_event_words"))) + r")\b", re.I)


@lru_cache(maxsize=1 << 14)
def _target_classes(text: str | None) -> frozenset[str]:
    """Target classes named in a text (pure: cached, asked for at every comparison of two strikes)."""
    found = set()
    for m in _TARGET_NOUNS.findall(text or ""):
        noun = " ".join(m.lower().split()).removesuffix("s") if not m.lower().endswith("ss") else m.lower()
        found.add(_TARGET_CLASSES.get(noun, noun))
    return frozenset(found)


@lru_cache(maxsize=1 << 14)
def _own_words(evidence: str | None) -> str:
    """A report's sentence up to the first word that opens another event's phrase ("..., hours
    after a glide bomb struck a market"; data/lexicon/other_event_words.csv): what it says of its
    own strike."""
    m = _OTHER_EVENT.search(evidence or "")
    return (evidence or "")[:m.start()] if m else (evidence or "")


def _different_targets(a: dict, b: dict) -> bool:
    """Two strikes on one town are two events when each report's target (what its extraction
    found for that fact) is of a kind the other report's own words never mention: "a Hamas command
    post inside the school" and "a school" are one target told two ways; "a hospital" and "a market"
    are two, even when the hospital report adds "hours after a glide bomb struck a market"."""
    if not _target_kinds_differ(a, b):
        return False
    ta, tb = _target_classes(a.get("target")), _target_classes(b.get("target"))
    return not (ta & _target_classes(_own_words(b.get("evidence")))) and not (tb & _target_classes(_own_words(a.get("evidence"))))


def _target_kinds_differ(a: dict, b: dict) -> bool:
    """Both reports name a target and no kind is common to the two."""
    ta, tb = _target_classes(a.get("target")), _target_classes(b.get("target"))
    return bool(ta and tb and not ta & tb)


def _weapons_differ(a: dict, b: dict) -> bool:
    """Both reports name a weapon class and the classes are not the same (compatible ones such as
    a drone and an air strike included)."""
    wa, wb = a.get("weapon"), b.get("weapon")
    return wa not in (None, "unspecified") and wb not in (None, "unspecified") and wa != wb


def _explicit_days_differ(report: Report, other: Report) -> bool:
    """Both reports date the strike to a day in their own words, and the days differ."""
    (da, proxy_a), (db, proxy_b) = report.day, other.day
    return not proxy_a and not proxy_b and da is not None and db is not None and da != db


def _claims(e: Event) -> tuple[int, int] | None:
    lows = [r.row["killed"] for r in e.reports if r.row.get("killed") is not None]
    highs = [r.row.get("killed_max") if r.row.get("killed_max") is not None else r.row["killed"]
             for r in e.reports if r.row.get("killed") is not None]
    return (min(lows), max(highs)) if lows else None


def far_toll(killed: int | None, claims: tuple[int, int] | None) -> bool:
    """A toll far outside an event's other claims: at most a third of the lowest, or at least three
    times the highest, and at least TOLL_GAP people away ("2 killed" against claims of 10-12)."""
    if killed is None or claims is None:
        return False
    lo, hi = claims
    return (lo - killed >= TOLL_GAP and lo >= 3 * killed) or (killed - hi >= TOLL_GAP and killed >= 3 * hi)


def _toll_splits(r: Report, e: Event) -> bool:
    """A strike report whose toll is far outside the event's claims founds its own event when it
    also differs from the event's reports in another field (weapon class or target): two strikes,
    not competing tolls of one. A far toll alone never splits (an early toll that later rose)."""
    if r.type != "strike" or not far_toll(r.row.get("killed"), _claims(e)):
        return False
    return any(_weapons_differ(r.row, o.row) or _target_kinds_differ(r.row, o.row) for o in e.reports)


@lru_cache(maxsize=1 << 14)
def _models(items: str | None) -> frozenset[str]:
    """Model designators in an item description ("AIM-120D", "F-16", "K2"); cached like _families."""
    return frozenset(m.upper() for m in re.findall(r"\b[A-Za-z]{1,4}-?\d{1,3}[A-Za-z]?(?:-\d)?\b", items or ""))


def compare(report: Report, other: Report) -> float | None:
    """None when the two reports cannot be the same event; otherwise the share of compared
    fields on which they agree (0..1)."""
    if report.type != other.type:
        return None
    a, b = report.row, other.row
    t = report.type
    agree = compared = 0

    def check(x, y) -> bool | None:
        nonlocal agree, compared
        if x is None or y is None:
            return None
        compared += 1
        agree += int(x == y)
        return x == y

    for f in _ACTOR_FIELDS[t]:
        if check(a.get(f), b.get(f)) is False:
            return None
    if t == "strike":
        if check(a.get("attacker"), b.get("attacker")) is False:
            return None
        wa, wb = a.get("weapon"), b.get("weapon")
        if wa not in (None, "unspecified") and wb not in (None, "unspecified") and wa != wb and frozenset((wa, wb)) not in _COMPATIBLE_WEAPONS:
            return None
        if _different_targets(a, b):
            return None
        if _explicit_days_differ(report, other) and _weapons_differ(a, b):
            return None  # two days, two weapons: two strikes (one day apart is kept for overnight strikes told twice)
    if t == "killing":
        va, vb = _surname(a.get("victim")), _surname(b.get("victim"))
        named_a = bool(a.get("victim")) and a["victim"][:1].isupper()
        named_b = bool(b.get("victim")) and b["victim"][:1].isupper()
        if named_a and named_b and check(va, vb) is False:
            return None
        if named_a != named_b:
            return None
    if t == "visit":
        if check(_surname(a.get("visitor")), _surname(b.get("visitor"))) is False:
            return None
    if t == "arms_sale":
        fa, fb = _families(a.get("items")), _families(b.get("items"))
        if fa and fb and not fa & fb:
            return None
        ma, mb = _models(a.get("items")), _models(b.get("items"))
        if ma and mb and not ma & mb:
            return None  # AIM-120D missiles and JASSM-ER missiles are two sales
        if check(a.get("seller"), b.get("seller")) is False and a.get("seller_country") is None:
            return None
    if t in ("strike", "killing"):
        km = _km(a, b)
        if km is not None:
            compared += 1
            if km > MAX_KM:
                return None
            agree += 1
        elif a.get("location") and b.get("location"):
            same = a["location"].lower() == b["location"].lower()
            precise = {"exact", "near"}
            if not same and a.get("geo_precision") in precise and b.get("geo_precision") in precise:
                return None
            compared += 1
            agree += int(same)
    (da, proxy_a), (db, proxy_b) = report.day, other.day
    if da is not None and db is not None:
        window = DATE_WINDOW_DAYS[t] + (1 if (proxy_a or proxy_b) and t in ("strike", "killing") else 0)
        compared += 1
        if abs((da - db).days) > window:
            return None
        agree += 1
    return agree / compared if compared else 0.5


def _sort_key(r: Report):
    when = r.published_at.timestamp() if r.published_at else float("inf")  # undated reports last
    return (when, r.article_id, r.fact_id)


def _blocking_keys(t: str) -> tuple:
    """(name, value of a row) pairs on which compare() rejects any two reports whose values are
    both given and differ, whatever else they say: the actor countries of the type, the attacker
    of a strike, the visitor's surname."""
    keys = [(f, lambda row, f=f: row.get(f)) for f in _ACTOR_FIELDS[t]]
    if t == "strike":
        keys.append(("attacker", lambda row: row.get("attacker")))
    if t == "visit":
        keys.append(("visitor", lambda row: _surname(row.get("visitor"))))
    return tuple(keys)


_DAY_SCAN_MAX = 31  # widest window (days each side) for which the day buckets are scanned one by one


class _EventIndex:
    """The events of one type by the days of their reports and by their blocking keys.

    By day: a report is compared only with events that have a report within its date window (or
    no dated report at all); any other event has a report it cannot agree with, so skipping it
    changes no result, only the time.

    By blocking key (`_blocking_keys`): for each key, the events
    none of whose reports gives it, and the events whose reports all give the same value. A
    report that gives value v is compared only with events of those two kinds for v: an event
    with another value (or two) has a report compare() rejects. Both filters are set operations,
    so most non-candidates cost no Python-level comparison at all."""

    def __init__(self, t: str):
        self.window = DATE_WINDOW_DAYS[t] + 1  # the widest window compare() allows (a publication-date stand-in)
        self.keys = _blocking_keys(t)
        self.events: list[Event] = []
        self.by_day: dict[date, set[int]] = {}
        self.undated: set[int] = set()
        self.days: list[set] = []
        self.values: list[dict[str, set]] = []  # per event: key -> the values its reports give
        self.without: dict[str, set[int]] = {k: set() for k, _ in self.keys}  # key -> events giving no value
        self.only: dict[str, dict[object, set[int]]] = {k: {} for k, _ in self.keys}  # key -> value -> events giving just it

    def add(self, e: Event) -> None:
        self.events.append(e)
        self.days.append(set())
        self.values.append({k: set() for k, _ in self.keys})
        pos = len(self.events) - 1
        self.undated.add(pos)
        for k, _ in self.keys:
            self.without[k].add(pos)
        for r in e.reports:
            self.note(pos, r)

    def note(self, pos: int, r: Report) -> None:
        for k, value_of in self.keys:
            v = value_of(r.row)
            held = self.values[pos][k]
            if v is None or v in held:
                continue
            if not held:
                self.without[k].discard(pos)
                self.only[k].setdefault(v, set()).add(pos)
            elif len(held) == 1:
                self.only[k][next(iter(held))].discard(pos)  # two values: no report with a value can join
            held.add(v)
        d = r.day[0]
        if d is None or d in self.days[pos]:
            return
        if not self.days[pos]:
            self.undated.discard(pos)
        self.days[pos].add(d)
        self.by_day.setdefault(d, set()).add(pos)

    def candidates(self, r: Report) -> list[tuple[int, Event]]:
        """A superset of the events `r` may join (every event it may join, perhaps some it may
        not), in founding order: compare() decides, so the result is that of comparing with all."""
        d = r.day[0]
        given = [(k, v) for k, v in ((k, value_of(r.row)) for k, value_of in self.keys) if v is not None]
        if d is not None and self.window <= _DAY_SCAN_MAX:
            hits = set(self.undated)
            for k in range(-self.window, self.window + 1):
                hits.update(self.by_day.get(d + timedelta(days=k), ()))
        elif given:
            # a year's window (arms sales) or no date: start from the narrowest key instead of the days
            k, v = min(given, key=lambda kv: len(self.without[kv[0]]) + len(self.only[kv[0]].get(kv[1], ())))
            hits = self.without[k] | self.only[k].get(v, set())
        else:
            hits = set(range(len(self.events)))
        for k, v in given:
            if not hits:
                break
            hits = (hits & self.without[k]) | (hits & self.only[k].get(v, set()))
        return [(pos, self.events[pos]) for pos in sorted(hits)]


def group(reports: Iterable[Report], existing: Sequence[Event] = ()) -> list[Event]:
    """Attach each report to the best matching event (existing ones first, by founding order),
    or found a new event. Returns every event touched or created, with its reports."""
    events: list[Event] = list(existing)
    by_type: dict[str, _EventIndex] = {}

    def index(t: str) -> _EventIndex:
        if t not in by_type:
            by_type[t] = _EventIndex(t)
        return by_type[t]

    for e in events:
        index(e.type).add(e)
    for r in sorted(reports, key=_sort_key):
        best: tuple[float, int, Event] | None = None
        idx = index(r.type)
        for pos, e in idx.candidates(r):
            scores = []
            for other in e.reports:
                sc = compare(r, other)
                if sc is None:
                    break  # must agree with every report already in the event
                scores.append(sc)
            else:
                if _toll_splits(r, e):
                    continue
                score = sum(scores) / len(scores)
                if best is None or score > best[0]:
                    best = (score, pos, e)
        if best is None:
            e = Event(event_id=stable_id("e", r.fact_id), type=r.type)
            e.similarity[r.fact_id] = 1.0
            e.reports.append(r)
            events.append(e)
            idx.add(e)
        else:
            _, pos, e = best
            e.similarity[r.fact_id] = round(best[0], 3)
            e.reports.append(r)
            idx.note(pos, r)
    return events


def _founding_key(e: Event, batch_rank: dict[str, int]):
    return min((batch_rank.get(r.batch_id, len(batch_rank)),) + _sort_key(r) for r in e.reports)


def before_batches(events: Iterable[Event], earlier: set[str], batch_rank: dict[str, int]) -> list[Event]:
    """The events as they stood before any batch outside `earlier` was grouped: reports of other
    batches taken out, events left without reports dropped, in founding order. Since every event
    is founded by its first report in batch order, an event that keeps a report keeps its id."""
    out = []
    for e in events:
        kept = [r for r in e.reports if r.batch_id in earlier]
        if kept:
            out.append(Event(e.event_id, e.type, kept, {r.fact_id: e.similarity.get(r.fact_id, 1.0) for r in kept}))
    return sorted(out, key=lambda e: _founding_key(e, batch_rank))


def group_batches(batches: Sequence[Sequence[Report]], existing: Sequence[Event] = ()) -> list[Event]:
    """Group several batches' reports one batch after the other, in the order given."""
    events = list(existing)
    for reports in batches:
        events = group(reports, events)
    return events


def _mode(values: Iterable, prefer_last: bool = False):
    vals = [v for v in values if v is not None]
    if not vals:
        return None
    counts = Counter(vals)
    top = max(counts.values())
    ordered = reversed(vals) if prefer_last else vals
    return next(v for v in ordered if counts[v] == top)


def _most_precise(reports: list[Report]) -> dict:
    rank = {"exact": 0, "near": 1, "region": 2, "country": 3, None: 4}
    best = min(reports, key=lambda r: (rank.get(r.row.get("geo_precision"), 4), r.row.get("location") is None))
    return best.row


def _event_status(e: Event) -> str | None:
    """The event's stage. An arms sale's stages only move forward (requested, approved, signed,
    delivered; cancelled ends it), so the furthest stage any report gives is where it stands. A
    visit's status can go back and forth (announced, postponed, held), so it is the status of the
    latest report, except that a visit reported as held stays held (a later "planned" is a preview
    written before it)."""
    rank = _STATUS_RANK.get(e.type, {})
    if e.type != "visit":
        return max((r.row["status"] for r in e.reports if r.row.get("status")), key=lambda s: rank.get(s, 0), default=None)
    told = sorted((r for r in e.reports if r.row.get("status")), key=_sort_key)
    if not told:
        return None
    latest = told[-1].row["status"]
    if latest == "planned" and any(r.row["status"] == "occurred" for r in told):
        return "occurred"
    return latest


def event_row(e: Event) -> dict:
    """The event's canonical fields, chosen from its reports."""
    rows = [r.row for r in e.reports]
    pub = [r.published_at for r in e.reports if r.published_at is not None]
    sources = {r.source or r.article_id for r in e.reports}
    claims_low = [r.get("killed") for r in rows if r.get("killed") is not None]
    claims_high = [r.get("killed_max") if r.get("killed_max") is not None else r.get("killed") for r in rows if r.get("killed") is not None]
    dates = [(r.get("event_date"), r.get("date_precision")) for r in rows if r.get("event_date") is not None]
    best_date = _mode(dates) if dates else (None, None)
    place = _most_precise(e.reports)
    statuses = [r.get("status") for r in rows if r.get("status")]
    out = {
        "event_id": e.event_id,
        "type": e.type,
        "event_date": best_date[0],
        "date_precision": best_date[1],
        "first_reported_at": min(pub) if pub else None,
        "last_reported_at": max(pub) if pub else None,
        "n_reports": len(e.reports),
        "n_sources": len(sources),
        "killed_best": int(statistics.median_low(claims_low)) if claims_low else None,
        "killed_low": min(claims_low) if claims_low else None,
        "killed_high": max(claims_high) if claims_high else None,
        "certainty": max((r.get("certainty") for r in rows if r.get("certainty")), key=lambda c: _CERTAINTY_RANK.get(c, 0), default=None),
        "status": _event_status(e) if statuses else None,
        "location": place.get("location"), "country": place.get("country") or _mode(r.get("country") for r in rows),
        "latitude": place.get("latitude"), "longitude": place.get("longitude"),
    }
    for f in ("attacker", "attacker_country", "target", "weapon", "visitor", "visitor_country", "destination",
              "destination_country", "seller", "seller_country", "buyer", "buyer_country", "items", "victim",
              "perpetrator", "perpetrator_country"):
        out[f] = _mode((r.get(f) for r in rows), prefer_last=False)
    if e.type == "strike" and out["weapon"] == "unspecified":
        out["weapon"] = _mode((r.get("weapon") for r in rows if r.get("weapon") != "unspecified")) or "unspecified"
    vals = [r.get("value_usd") for r in rows]
    out["value_usd"] = _mode(vals, prefer_last=True)
    if e.type != "visit" and e.type != "arms_sale":
        out["status"] = None
    return out


def report_rows(e: Event) -> list[dict]:
    return [{"event_id": e.event_id, "fact_id": r.fact_id, "fact_table": r.table, "article_id": r.article_id,
             "batch_id": r.batch_id, "similarity": e.similarity.get(r.fact_id, 1.0)} for r in e.reports]
