"""Killings: named people killed (with or without a strike), and tolls not carried by a strike.

Ordinary crime is out of scope: a killing is kept only in a conflict context (an armed party,
soldiers, militants, an attack, a strike...) or when the victim holds a political or military
role. "Declined to declare him dead", "likely killed" and "believed killed" are kept with
certainty `possible`.
"""

from __future__ import annotations

import re

from pipelines import locations, strikes
from pipelines import numbers as N
from pipelines.context import SentenceView
from pipelines.strikes import _NOT_AN_EVENT, actor_name

TRIGGER = re.compile(
    r"\b(?:killed|killing|kills|slain|assassinat\w+|executed|shot\s+dead|died|dead|death|murdered|beheaded|eliminated|lost\s+(?:his|her|their)\s+lives)\b",
    re.I,
)
_KILL_VERB = re.compile(r"\b(?:killed|killing|slain|assassinated|executed|shot\s+dead|murdered|beheaded|eliminated|died|dead|death\s+of)\b", re.I)
_CONFLICT = re.compile(
    r"\b(?:militants?|insurgents?|jihadists?|rebels?|fighters|soldiers|troops|forces|army|military|militia\w*|gunmen|ambush\w*|attack\w*"
    r"|air\s?strikes?|strikes?|drone|missile|rocket|shelling|shell(?:s|ed)|bomb\w*|combat|battle\w*|clash\w*|fighting|war|offensive|commander|operation"
    r"|extremists?|terror\w*|coalition|occupation|front\s?line|IED|sniper|special\s+forces|raid)\b",
    re.I,
)
_ROLES = re.compile(
    r"\b(?P<role>(?:senior\s+|top\s+|military\s+|field\s+|deputy\s+|former\s+|local\s+|prominent\s+)?"
    r"(?:commander|leader|chief|minister|general|colonel|officer|journalist|reporter|photographer|cameraman|spokes(?:man|woman)"
    r"|official|activist|cleric|scientist|judge|governor|mayor|politician|lawmaker|diplomat|ambassador|militant|fighter|operative"
    r"|emir|adviser|advisor|aid\s+worker|doctor|soldier|pilot|negotiator|strategist|financier|bomb[- ]?maker|minister\s+of\s+war))\b",
    re.I,
)
_FAILED = re.compile(r"\b(?:attempt(?:ed|s|ing)?\s+to|tried\s+to|trying\s+to|failed\s+to|plot(?:ted|ting)?\s+to|survived|escaped|foiled)\b", re.I)
# Running totals are statistics, not events: "at least 10 journalists have been killed since the war began".
_CUMULATIVE = re.compile(r"\b(?:since\s+the\s+(?:war|conflict|fighting|start|beginning|outbreak|invasion)|since\s+(?:19|20)\d\d|so\s+far\s+this|to\s+date|in\s+total|death\s+toll\s+(?:in|of)\s+the\s+war)\b", re.I)
_RANK_AND_FILE = re.compile(r"\b(?:soldiers?|fighters?|militants?|troops|civilians?|people|servicem[ae]n|police(?:men)?|guards?)\b", re.I)
_NATURAL = re.compile(r"\b(?:lightning|storms?|floods?|flooding|earthquakes?|landslides?|cyclones?|hurricanes?|typhoons?|heat\s?waves?|accidents?|crash\w*|collision|disease|outbreak|cholera|famine|drown\w*|fire\s+broke)\b", re.I)
_NOT_A_VICTIM = re.compile(r"^(?:He|She|They|It|The|A|An|Police|Officials?)$")
_LOCATIVE = re.compile(r"\b(?:in|near|outside|inside|at)\s+(?:the\s+)?(?:(?:northern|southern|eastern|western|central|north|south|east|west|occupied)\s+)?(?:(?:city|town|village|province|region|district)\s+of\s+)?$", re.I)
# "Hezbollah's elite Radwan force": a unit named like a person, not a victim
_UNIT_AFTER = re.compile(r"\s+(?:force|forces|unit|units|brigade|brigades|battalion|division|corps|regiment|front|squadron)\b", re.I)


_KILL_LEMMAS = {"kill", "assassinate", "execute", "slay", "die", "murder", "eliminate", "behead"}


def _is_kill_token(tok) -> bool:
    if tok.lemma_ in _KILL_LEMMAS or _KILL_VERB.match(tok.text):
        return True
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return tok.lemma_ == "shoot" and nxt is not None and nxt.lower_ == "dead"


def _kill_tokens(view: SentenceView) -> list[int]:
    return [t.i for t in view.doc if _is_kill_token(t)] if view.doc is not None else []


def _victims(view: SentenceView) -> list[tuple[int, int, str, bool]]:
    """Patients of a kill verb: PERSON entities (named=True), or a noun phrase headed by a role
    ("a senior Islamic State official") when no name is given (named=False)."""
    if view.doc is None:
        return []
    victims: list[tuple[int, int, str, bool]] = []
    for tok in view.doc:
        if not _is_kill_token(tok):
            continue
        patients = []
        for child in tok.children:
            if child.dep_ in ("nsubjpass", "dobj") or (child.dep_ == "nsubj" and tok.lemma_ == "die"):
                patients.append(child)
        if not patients and tok.dep_ == "xcomp":  # "were believed to have been killed"
            patients.extend(c for c in tok.head.children if c.dep_ in ("nsubjpass", "nsubj"))
        if tok.dep_ in ("acl", "relcl", "amod") and tok.head is not None:
            patients.append(tok.head)  # "a commander killed in the strike"
        if tok.lemma_ == "death":
            patients.extend(g for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj")
        for p in patients:
            lo, hi = p.left_edge.idx, p.right_edge.idx + len(p.right_edge.text)
            named = [(s, e, name) for s, e, name in view.persons if lo <= s < hi and not _NOT_A_VICTIM.match(name)
                     and not _UNIT_AFTER.match(view.text, e)]
            if not named and p.pos_ == "PROPN" and any(c.dep_ == "appos" and _ROLES.search(c.text) for c in p.children):
                # "shot dead Issouf Sawadogo, the mayor of Djibo": a name the NER missed, with a role
                first = min([c for c in p.children if c.dep_ == "compound"] + [p], key=lambda t: t.i)
                named = [(first.idx, p.idx + len(p.text), view.text[first.idx:p.idx + len(p.text)])]
            if named:
                victims.extend((s, e, name, True) for s, e, name in named)
            elif _ROLES.fullmatch(p.lemma_) or _ROLES.fullmatch(p.text.lower()):
                hi = p.idx + len(p.text)  # "the deputy chief", not the whole "of ..." phrase
                phrase = view.text[lo:hi]
                if len(phrase.split()) <= 8:
                    victims.append((lo, hi, phrase, False))
    seen, out = set(), []
    for v in victims:
        if v[2] not in seen:
            seen.add(v[2])
            out.append(v)
    return out


def _role_near(text: str, start: int, end: int) -> str | None:
    window = text[max(0, start - 50):start] + " " + text[end:end + 80]
    m = _ROLES.search(window)
    return " ".join(m.group("role").lower().split()) if m else None


def _perpetrator(view: SentenceView, victims: list[tuple[int, int, str]], strike_attacker: tuple | None):
    if strike_attacker is not None:
        return strike_attacker
    text = view.text
    for s, e, a in view.actors:
        if a.kind in ("country", "government", "armed_group", "coalition", "military"):
            before = text[max(0, s - 25):s]
            after = text[e:e + 40]
            if re.search(r"\bby\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,2}$", before, re.I):
                return (actor_name(a), a.iso3)
            if re.match(r"(?:\s+\w+){0,3}\s+(?:killed|assassinated|executed|shot)\b", after, re.I):
                return (actor_name(a), a.iso3)
            if re.search(r"\b(?:in|during)\s+(?:an?\s+)?$", before, re.I) and re.match(r"\s*(?:-led\s+)?(?:air\s?strike|strike|drone|raid|attack|operation|missile)", after, re.I):
                return (actor_name(a), a.iso3)
    return None


def extract(view: SentenceView, strike_rows: list[dict]) -> list[dict]:
    """Killing rows of one sentence. `strike_rows` are the strikes found in the same sentence:
    their tolls are not repeated here, but their attacker becomes the perpetrator."""
    text = view.text
    if not TRIGGER.search(text) or _FAILED.search(text) or _NOT_AN_EVENT.search(text) or _CUMULATIVE.search(text):
        return []
    strike = strike_rows[0] if strike_rows else None
    conflict = bool(_CONFLICT.search(text)) or strike is not None or any(
        a.kind in ("armed_group", "military", "coalition") for _, _, a in view.actors)
    victims = _victims(view)
    place = locations.event_location(view, _kill_tokens(view) or strikes.event_tokens(view))
    strike_attacker = (strike["attacker"], strike["attacker_country"]) if strike and strike.get("attacker") else None
    rows = []
    for s, e, name, named in victims:
        if strike is not None and not named and (N.find_counts(name) or _RANK_AND_FILE.search(name)):
            continue  # "four soldiers were killed when a bomb struck": the strike's toll
        role = _role_near(text, s, e) if named else _role_near(name, 0, 0)
        if not conflict and role is None:
            continue
        perp = _perpetrator(view, victims, strike_attacker)
        counts = N.find_counts(name) if not named else []
        rows.append(_row(name, role, counts[0].low if counts else 1, perp, place, strike, view))
    if rows or strike is not None or not conflict:
        return rows
    # A toll without a strike: "Gunmen killed 12 villagers in ...". Not natural disasters,
    # accidents, history or statistics.
    if _NOT_AN_EVENT.search(text) or _NATURAL.search(text):
        return rows
    for c in N.find_counts(text):
        after = text[c.end:c.end + 50]
        before = text[max(0, c.start - 30):c.start]
        if re.search(r"\b(?:killed|killing|kills|slain|dead|died|executed)\b", after[:45], re.I) or re.search(r"\b(?:killed|killing|kills|executed)\s*$", before, re.I):
            victim = re.match(r"\s*((?:[\w-]+\s+){0,2}?(?:people|civilians|soldiers|troops|villagers|fighters|militants|policemen|police\s+officers|officers|children|women|men|workers|members|worshippers|farmers|students|residents|migrants|refugees|personnel|guards|insurgents|rebels|miners))\b", after, re.I)
            perp = _perpetrator(view, [], None)
            rows.append(_row(victim.group(1).strip() if victim else None, None, c.low, perp, place, None, view, killed_text=c.text))
            break
    return rows


def _row(victim, role, killed, perp, place, strike, view, killed_text=None) -> dict:
    return {
        "victim": victim,
        "victim_role": role,
        "killed": killed,
        "perpetrator": perp[0] if perp else None,
        "perpetrator_country": perp[1] if perp else None,
        "location": place.text if place else (strike.get("location") if strike else None),
        "place_name": place.place.name if place and place.place else (strike.get("place_name") if strike else None),
        "country": place.iso3 if place else (strike.get("country") if strike else None),
        "latitude": place.latitude if place else (strike.get("latitude") if strike else None),
        "longitude": place.longitude if place else (strike.get("longitude") if strike else None),
        "_actor_names": (),
        "_confidence": 0.8 if victim and role else 0.6,
    }
