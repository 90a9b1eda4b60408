"""Strikes: air and drone strikes, missile and rocket attacks, shelling, naval fire, bombings.

Three steps, each with its words kept as data in pipelines/data/lexicon/:

1. **Candidates** (before any parse). A sentence is parsed when TRIGGER matches; it can hold a
   strike when it names a strike act (_STRIKE_ACT) in a military context, and none of the other
   senses of the words (not_strike_senses.txt: labour and hunger strikes, "strikes down",
   lightning, missile tests...) nor a context that is not a new event (not_event_contexts.txt:
   history, trials, fiction, threats, drills).
2. **Mentions** (on the parse). The strike words of the sentence (strike_words.csv: "struck",
   "an air strike", "shelled"; munitions that "hit" or "landed"; "fired rockets") are grouped into
   mentions: one per clause, and a separate one for a strike named inside "after/following/in
   retaliation for ..." (an earlier event). A word under a modal, a threat, a plan or a condition
   ("would strike", "vowed to hit", "if ... attacks") is no strike. Each mention takes its roles
   from the tree: the attacker is the subject of the strike verb, the agent of a passive ("by a
   U.S. drone"), the modifier of the strike noun ("an Israeli strike", "Russia's missiles") or the
   subject of a light verb ("carried out air strikes"); the target is the object or the
   "on/against/at" phrase; the weapon comes from the strike's own words first (weapons.csv); the
   place is the most specific place attached to the strike (pipelines/locations.py); the toll is
   read off the words of killing linked to it (pipelines/tolls.py).
3. **Assembly** (per article, `assemble`). A mention without a toll takes the toll stated in the
   next sentence when that sentence reports no strike of its own ("At least three soldiers
   died"); a mention without an attacker that goes on from the previous strike ("a second air
   strike") takes its attacker; mentions of one strike (headline, lead, a later sentence with the
   place) become one row whose evidence is the most complete mention; "another strike", a
   different attacker, day, place or weapon keeps strikes apart.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from pipelines import actors as A
from pipelines import lexicon as L
from pipelines import locations
from pipelines import numbers as N
from pipelines import parties as PT
from pipelines import syntax as X
from pipelines import tolls as T
from pipelines.context import SentenceView

TRIGGER = re.compile(
    r"\b(?:air[- ]?strikes?|air[- ]?raids?|strikes?|struck|striking|bomb(?:s|ed|ing|ings|ers?)?|shell(?:s|ed|ing)"
    r"|bombard(?:ed|ment|ments|ing)?|barrages?|missiles?|rockets?|drones?|warplanes?|jets|mortars?|artillery"
    r"|IEDs?|explosives?|blasts?|explosions?|detonat\w+|pounded|airstrikes?|salvos?|UAVs?|Shaheds?"
    r"|aircraft|helicopters?|gunships?|warships?)\b",
    re.I,
)

def _verb_forms(role: str) -> str:
    """A regular expression for the inflected forms of the lexicon's verbs of one role ("drop":
    drop, drops, dropped, dropping), so a verb added to strike_words.csv reaches this cheap test too."""
    forms = []
    for row in L.rows("strike_words"):
        w = row["word"].lower()
        if row["role"] != role or row["pos"] != "VERB" or not w.isalpha():
            continue
        forms.append(w[:-1] + "(?:e|es|ed|ing)" if w.endswith("e") else w + f"(?:{w[-1]})?(?:s|es|ed|ing)?")
    return "|".join(sorted(forms))


_STRIKE_ACT = re.compile(
    r"\b(?:air[- ]?strikes?|airstrikes?|air[- ]?raids?|drone\s+(?:strikes?|attacks?)|missile\s+(?:strikes?|attacks?)|rocket\s+(?:attacks?|fire)"
    r"|(?:strikes?|struck|hit|hits|pounded|targeted|bombed|bombing|bombings|shelled|shelling|bombard\w*|barrages?|salvos?"
    r"|car\s+bomb\w*|suicide\s+(?:bomb\w*|attack\w*)|roadside\s+bomb\w*|IEDs?|improvised\s+explosive|explosions?|blasts?|detonat\w+)"
    r"|(?:" + _verb_forms("launch") + r")\s+(?:[\w-]+\s+){0,3}(?:missiles?|rockets?|drones?|shells?|mortars?|bombs?|rounds|grenades)"
    r"|(?:exploded|detonated|set\s+off|planted)\s+(?:\w+\s+){0,4}(?:bombs?|explosives?|devices?)"
    r"|(?:bomb|grenade|mortar|rocket|missile|drone|Predator|air|artillery|suicide)\s+(?:attacks?|explosions?|blasts?)"
    r"|(?:aircraft|warplanes?|jets|helicopters?|gunships?|drones?|Predators?|bombers?|tanks|artillery|gunboats?|warships?)\s+(?:[\w,-]+\s+){0,5}?(?:killed|attacked|hit|bombed|fired|struck|destroyed|pounded|shelled|raked)"
    r"|attack(?:ed|s|ing)?\s+[^.;]{0,80}?\bwith\s+(?:\w+\s+){0,3}(?:drones?|missiles?|rockets?|mortars?|shells|explosives?|bombs?)"
    r"|(?:bombs?|explosive\s+devices?|IEDs?|mines?)\s+(?:[\w-]+\s+){0,6}(?:exploded|detonated|went\s+off|blew\s+up)"
    r"|(?:missiles?|rockets?|drones?|shells|mortars?)\s+(?:\w+\s+){0,2}(?:hit|struck|fell|" + _verb_forms("impact") + r"))\b",
    re.I,
)
_MILITARY_CONTEXT = re.compile(
    r"\b(?:air|drones?|missiles?|rockets?|warplanes?|jets|aircraft|military|army|forces|troops|coalition|militants?|artillery|shell\w*"
    r"|mortars?|bomb\w*|explosive\w*|killed|killing|dead|wounded|injured|casualt\w+|civilians|soldiers|fighters|insurgents|rebels"
    r"|positions|targets?|base|convoy|IEDs?|navy|naval|warships?|attack\w*|retaliat\w+|offensive|ceasefire|war)\b",
    re.I,
)
_DISTRACTOR = L.regex("not_strike_senses")
_NOT_AN_EVENT = L.regex("not_event_contexts")


@lru_cache(maxsize=1 << 14)  # asked before the parse (needs_parse) and again by extract
def is_strike_sentence(text: str) -> bool:
    """A strike act in a military context, and not one of the distractor senses (the cheap test
    before parsing; contexts that are not new events are judged on each strike's own clause)."""
    return bool(_STRIKE_ACT.search(text)) and bool(_MILITARY_CONTEXT.search(text)) and not _DISTRACTOR.search(text)


_WEAPONS = (
    ("bomb", re.compile(r"\b(?:car\s+bomb\w*|suicide\s+(?:bomb\w*|attack\w*|vest)|IEDs?|improvised\s+explosive|roadside\s+bomb\w*|booby[- ]trap\w*)\b", re.I)),
    ("drone", re.compile(r"\b(?:drones?|UAVs?|unmanned|Shaheds?|kamikaze|loitering)\b", re.I)),
    ("naval", re.compile(r"\b(?:warships?|naval|navy|destroyers?|frigates?|gunboats?|submarines?)\b", re.I)),
    ("missile", re.compile(r"\b(?:missiles?|cruise|ballistic|Tomahawks?|Iskanders?|Kalibrs?|ATACMS)\b", re.I)),
    ("air", re.compile(r"\b(?:air[- ]?strikes?|airstrikes?|air[- ]?raids?|warplanes?|jets|aircraft|bombers?|helicopters?|gunships?|air\s+force|aerial)\b", re.I)),
    ("rocket", re.compile(r"\b(?:rockets?|Katyushas?|Grads?|HIMARS|MLRS)\b", re.I)),
    ("artillery", re.compile(r"\b(?:artillery|shell(?:s|ed|ing)|mortars?|howitzers?|bombard\w*|tank\s+fire)\b", re.I)),
    ("bomb", re.compile(r"\b(?:car\s+bomb\w*|suicide|IEDs?|improvised\s+explosive|roadside\s+bomb\w*|explosives?|bomb(?:s|ing|ings|ers?)?|blasts?|explosions?|detonat\w+)\b", re.I)),
)

_TARGET_TYPES = (
    ("infrastructure", re.compile(r"\b(?:power\s+(?:plant|station|grid|lines?)|energy|grid|substations?|bridges?|ports?|airports?|refiner\w+|dams?|rail\w*|pipelines?|oil|gas|fuel|depots?|infrastructure|water\s+(?:plant|station|supply)|telecom\w*|factor(?:y|ies)|warehouses?)\b", re.I)),
    ("civilian", re.compile(r"\b(?:markets?|hospitals?|clinics?|schools?|residential|homes?|houses?|civilians?|mosques?|churches?|camps?|apartments?|neighbou?rhoods?|shelters?|wedding|funeral|bakery|buses?|cars?|villages?|families|children|residents|aid\s+(?:workers|convoy))\b", re.I)),
    ("armed_group", re.compile(r"\b(?:militants?|fighters|rebels?|insurgents?|jihadists?|hideouts?|(?:Houthi|Hezbollah|Hamas|ISIS|ISIL|Islamic\s+State|Taliban|al-Shabaab|Shabaab)\b\s*(?:targets?|positions?|sites?|fighters|commanders?)?)\b", re.I)),
    ("military", re.compile(r"\b(?:military|army|troops|soldiers|bases?|air\s?base|airfields?|barracks|positions?|convoys?|checkpoints?|garrisons?|command\s+(?:post|centre|center)|ammunition|arms\s+depot|warships?|tanks?|radar|air\s+defen[cs]e)\b", re.I)),
    ("person", re.compile(r"\b(?:commander|leader|chief|official|operative|spokesman)\b", re.I)),
)

_KILL = re.compile(r"\b(?:killed|killing|kills|dead|died|deaths?|death\s+toll|lives|bodies|fatalities|slain|perished)\b", re.I)
_WOUND = re.compile(r"\b(?:wounded|wounding|injured|injuring|injuries|hurt)\b", re.I)
_NO_DEATHS = re.compile(
    r"\b(?:no\s+(?:one|casualties|deaths|fatalities|injuries)|nobody\s+was\s+(?:killed|hurt)|without\s+casualties"
    r"|did\s+not\s+(?:injure\s+or\s+)?kill|(?:killed|hurt|injured)\s+no\s+one|no\s+(?:immediate\s+)?reports?\s+of\s+casualties)\b",
    re.I,
)
_TARGET_PREP = re.compile(
    r"\b(?:on|against|targeting|targeted|hit|hitting|struck|striking|pounded|bombed|shelled)\s+(?P<target>(?:an?\s+|the\s+)?(?:[\w'’-]+\s+){0,5}?"
    r"(?:[\w'’-]+))(?=\s+(?:in|near|outside|on|at|overnight|early|late|last|this|yesterday|today|killing|wounding|and|,|\.|$)|[,.]|$)",
    re.I,
)
_NEAR = re.compile(r"\b(?:near|outside|north\s+of|south\s+of|east\s+of|west\s+of|on\s+the\s+outskirts\s+of|close\s+to|kilometres?\s+from|miles?\s+from)\s+$", re.I)


_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")


def _old_year(text: str, year: int | None, article_text: str = "") -> bool:
    """The sentence names a year two or more years before publication (or, with no
    publication date, before the latest year the article mentions): background."""
    if year is None:
        years = [int(y) for y in _YEAR.findall(article_text)]
        year = max(years) if years else None
    if year is None:
        return False
    return any(int(y) <= year - 2 for y in _YEAR.findall(text))


def weapon_of(text: str) -> str:
    for name, pattern in _WEAPONS:
        if pattern.search(text):
            return name
    return "unspecified"


def target_type_of(target: str | None, sentence: str) -> str:
    for name, pattern in _TARGET_TYPES:
        if target and pattern.search(target):
            return name
    return "unknown"


_AGENT_AFTER_COUNT = re.compile(
    r"\s+(?:[\w-]+\s+){0,2}?(?:bombers?|gunmen|attackers?|assailants?|militants?\s+(?:who|fired|attacked|launched)|drones?|missiles?|rockets?"
    r"|shells|warplanes?|jets|aircraft|helicopters?|cars?|vehicles?|car\s+bombs?|explosions?|blasts?|strikes?|air\s?strikes?)\b",
    re.I,
)


_AGE = re.compile(r"\b[A-Z][\w'’-]+,\s*$")


def casualties(text: str) -> dict:
    """killed, killed_max, wounded and the raw phrase, from the counts next to kill/wound words."""
    out = {"killed": None, "killed_max": None, "wounded": None, "killed_text": None}
    if _NO_DEATHS.search(text):
        out.update(killed=0, killed_max=0, killed_text=_NO_DEATHS.search(text).group())
    for c in N.find_counts(text):
        after = text[c.end:c.end + 60]
        before = text[max(0, c.start - 40):c.start]
        if _AGENT_AFTER_COUNT.match(after):
            continue  # "Two suicide bombers killed 23 people": the two are the attackers
        if _AGE.search(before) and after.startswith(","):
            continue  # "Abdallah, 37, was killed": an age, not a toll
        window_after = re.split(r"[;]|\band\b(?=\s+\w+ing\b)", after, maxsplit=1)[0]
        is_kill = bool(_KILL.search(window_after)) or bool(re.search(r"(?:killing|killed|kills|death\s+toll\s+(?:rose|climbed|stood|reached)\s+(?:to|at)?|dead\s+numbered)\s*$", before, re.I))
        is_wound = bool(_WOUND.search(window_after)) or bool(re.search(r"(?:wounding|wounded|injuring|injured)\s*$", before, re.I))
        if is_kill and (not is_wound or _KILL.search(window_after[:25] or "") or re.search(r"(?:killing|killed)\s*$", before, re.I)) and out["killed"] in (None, 0):
            out["killed"] = c.low
            out["killed_max"] = c.high
            out["killed_text"] = c.text
        elif is_wound and out["wounded"] is None:
            out["wounded"] = c.low
    return out


_FORCE_NOUN = re.compile(r"\s*(?:-led\s+)?(?:\w+\s+)?(?:war\s?planes?|jets|aircraft|forces|troops|army|military|navy|drones?|missiles?|artillery|air\s+force|strikes?|air\s?strikes?|bombers?|helicopters?|warships?|rockets?|shelling|gunners|soldiers)\b", re.I)


def actor_name(actor) -> str:
    """Governments and militaries are reported as their country ("Russian warplanes" = Russia)."""
    from pipelines.actors import country_name

    if actor.kind in ("country", "government", "military") and actor.iso3:
        return country_name(actor.iso3) or actor.canonical
    return actor.canonical


def _place_like(text: str, start: int) -> bool:
    return bool(re.search(r"\b(?:in|into|inside|across)\s+(?:the\s+)?$", text[max(0, start - 12):start], re.I))


def _attacker_fallback(view: SentenceView, trigger_start: int):
    """The acting party: subject or modifier of the strike act, or the agent of a passive."""
    text = view.text
    candidates = [(s, e, a) for s, e, a in view.actors if a.kind in ("country", "government", "armed_group", "coalition", "military")]
    if not candidates:
        return None
    m = re.search(r"\bby\s+(?:an?\s+|the\s+)?(?P<agent>[^,.;]{2,60})", text)
    if m:
        for s, e, a in candidates:
            if m.start("agent") <= s < m.end("agent"):
                return a
    if view.doc is not None:
        for tok in view.doc:
            if tok.idx < trigger_start - 1 or not _STRIKE_ACT.match(text[tok.idx:tok.idx + 40]):
                continue
            head = tok if tok.pos_ == "VERB" else tok.head
            for child in head.children:
                if child.dep_ in ("nsubj", "agent"):
                    span = (child.left_edge.idx, child.right_edge.idx + len(child.right_edge.text))
                    for s, e, a in candidates:
                        if span[0] <= s < span[1]:
                            return a
            for child in tok.children:  # "Russian warplanes", "an Israeli strike", "U.S.-led coalition strikes"
                if child.dep_ in ("amod", "compound", "poss", "nmod"):
                    for s, e, a in candidates:
                        if child.idx <= s < child.idx + len(child.text) + 1 or s <= child.idx < e:
                            return a
            break
    # No structural match: a non-country actor (a group, a military) or a demonym on a weapon
    # or force noun, named before the act and not as the place it happened in.
    for s, e, a in candidates:
        if s >= trigger_start or re.search(r"\b(?:in|on|at|near|against|targeting|of|from|into)\s+(?:the\s+)?$", text[max(0, s - 15):s], re.I):
            continue
        if text[e:e + 2] in ("'s", "’s"):
            continue  # "Syria's Idlib province"
        if _is_object(view, s):
            continue  # "wounded two British soldiers": the British are the target
        if a.kind != "country" or _FORCE_NOUN.match(text[e:e + 40]):
            return a
    return None


def _is_object(view: SentenceView, start: int) -> bool:
    """The word at `start` sits in an object or a passive subject of the sentence's parse."""
    if view.doc is None:
        return False
    tok = next((t for t in view.doc if t.idx <= start < t.idx + len(t.text)), None)
    while tok is not None and tok.dep_ != "ROOT":
        if tok.dep_ in ("dobj", "pobj", "nsubjpass", "attr", "iobj"):
            return True
        if tok.dep_ in ("nsubj", "agent"):
            return False
        tok = tok.head
    return False


_TIME_WORDS = re.compile(
    r"^(?:(?:the|this|that|last|next|early|late)\s+)*(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|May"
    r"|June|July|August|September|October|November|December|\d{1,4}|morning|afternoon|evening|night|day|weekend|week|month|year)\b",
    re.I,
)


def _target(text: str, attacker_surface: str | None) -> str | None:
    for m in _TARGET_PREP.finditer(text):
        target = m.group("target").strip(" ,.")
        if _TIME_WORDS.match(target):
            continue  # "on Thursday" is when, not what
        if attacker_surface and attacker_surface in target:
            return None
        return target if 2 <= len(target) <= 80 else None
    return None


_EVENT_LEMMAS = frozenset({"kill", "die", "wound", "injure", "attack", "strike", "airstrike", "raid", "bombing",
                           "shelling", "explosion", "blast", "bombardment", "hit", "shell", "bomb", "pound", "target"})


def event_tokens(view: SentenceView) -> list[int]:
    """Token indices of the strike's words: every strike act in the sentence and the kill words."""
    if view.doc is None:
        return []
    spans = [m.span() for m in _STRIKE_ACT.finditer(view.text)]
    out = []
    for tok in view.doc:
        if tok.lemma_.lower() in _EVENT_LEMMAS or any(s <= tok.idx < e for s, e in spans):
            out.append(tok.i)
    return out




# ---------------------------------------------------------------------------------------------
# strike words in the parse
# ---------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _strike_words() -> dict[tuple[str, str], dict[str, str]]:
    return {(r["word"].lower(), r["pos"].upper()): r for r in L.rows("strike_words")}


@lru_cache(maxsize=1)
def _weapon_table() -> dict[str, dict[str, str]]:
    return L.table("weapons")


def weapon_word(tok, munition: bool = False) -> str | None:
    """The weapon class of one word ("drone", "warplanes", "Katyusha"; "car bomb" on two tokens)."""
    table = _weapon_table()
    doc = tok.doc
    if tok.i + 1 < len(doc):
        two = table.get(f"{tok.lemma_.lower()} {doc[tok.i + 1].lemma_.lower()}")
        if two is not None and (not munition or two["munition"] == "yes"):
            return two["class"]
    row = table.get(tok.lemma_.lower()) or table.get(tok.lower_)
    if row is None or (munition and row["munition"] != "yes"):
        return None
    return row["class"]


def _np_weapon(tok, munition: bool = False) -> str | None:
    """The weapon a noun phrase names: its head ("missiles", "the drone"), else a modifier
    ("a U.S. drone strike" -> drone, "suicide bomber" -> bomb)."""
    mods = [c for c in tok.children if c.dep_ in ("compound", "amod", "nmod")]
    if any(c.lower_ == "suicide" for c in mods):
        return "bomb"
    head = weapon_word(tok, munition)
    if head is not None:
        return head
    if munition:
        return None
    for c in mods:
        w = weapon_word(c)
        if w is not None:
            return w
    return None


@dataclass
class _Trigger:
    tok: object
    role: str  # act | impact | launch
    weapon: str | None
    strength: int = 0  # how directly the weapon is named: 3 by the strike's own words, 2 by its noun, 0 none


# Prepositions that put a strike word in another, earlier or later event: "after an earlier strike
# on X", "in retaliation for a strike on Y", "days before the attack".
_OTHER_EVENT_PREPS = L.words("other_event_words", where=(("kind", "prep"),))
_OTHER_EVENT_NOUNS = {"retaliation", "response", "revenge", "reprisal", "wake"}
# Words on a strike noun that make it another strike than the one just told ("a second air strike").
_DISTINCT = L.words("other_event_words", where=(("kind", "distinct"),))
_HABITUAL = {"frequently", "often", "regularly", "routinely", "repeatedly", "usually", "sometimes", "occasionally",
             "rare", "rarely", "common", "frequent", "commonplace"}
_LIGHT_VERBS = {"carry", "conduct", "launch", "stage", "mount", "execute", "order", "perform", "claim", "unleash",
                "begin", "continue", "intensify", "step", "resume", "make"}


def _clause_text(tok) -> str:
    verb = X.clause_verb(tok)
    lo, hi = verb.left_edge.idx, verb.right_edge.idx + len(verb.right_edge.text)
    return X.doc_text(tok.doc)[lo:hi]


def _triggers(view: SentenceView) -> list[_Trigger]:
    doc = view.doc
    out = []
    for tok in doc:
        pos = "VERB" if tok.pos_ == "VERB" else "NOUN" if tok.pos_ in ("NOUN", "PROPN") else None
        if pos is None:
            continue
        entry = _strike_words().get((tok.lemma_.lower(), pos)) or _strike_words().get((tok.lower_, pos))
        if entry is None:
            continue
        if pos == "VERB" and tok.dep_ in ("amod", "compound"):
            continue  # "a targeted killing"
        if entry.get("needs") and not any(c.dep_ == "prep" and c.lower_ in entry["needs"].split("|") for c in tok.children):
            continue  # "crashed in a field": no "into" a target
        if pos == "NOUN" and tok.dep_ == "compound" and tok.head.pos_ in ("NOUN", "PROPN") and tok.head.lemma_.lower() not in (
                "attack", "strike", "raid", "bombing", "shelling"):
            continue  # "air raid sirens", "strike aircraft": the word names something else
        role, weapon = entry["role"], entry["weapon"] or None
        strength = 2 if weapon else 0
        if role == "impact":  # "rockets landed", "a car bomb that exploded"; transitive: "exploded a series of bombs"
            nps = _subjects_or_head(tok) + [_through_of(o) for o in X.objects(tok)]
            weapon = next((w for s in nps if (w := _np_weapon(s, munition=True))), None)
            if weapon is None:
                continue
            strength = 3
        elif role == "launch":
            weapon = next((w for o in X.objects(tok) if (w := _np_weapon(_through_of(o), munition=True))), None)
            if weapon is None:
                continue
            strength = 3
        else:
            for c in tok.children:
                if c.dep_ in ("compound", "amod", "nmod"):
                    w = weapon_word(c)
                    if w is not None:
                        weapon, strength = w, 3  # "a drone strike", "missile attacks"
                        break
        if entry["ambiguous"] == "yes" and strength < 3 and not _armed_context(view, tok):
            continue
        if X.hypothetical(tok) in ("modal", "intent", "condition"):
            continue  # "would start firing missiles", "vowed to strike", "if ... attacks"
        if _NOT_AN_EVENT.search(X.context_text(tok)):
            continue  # history, trials, fiction, threats, drills: judged on the strike's clause and those above it
        verb = X.clause_verb(tok)
        if any(c.lower_ in _HABITUAL for c in verb.children) or any(c.lower_ in _HABITUAL for c in tok.children):
            continue  # "rocket attacks have frequently targeted ...": a pattern, not an event
        if pos == "NOUN" and _generic(tok):
            continue  # "accused of abuses including indiscriminate bombardment": a kind of act, not one
        out.append(_Trigger(tok, role, weapon, strength))
    seen = {t.tok.i for t in out}
    for tok in doc:  # "a suicide bomber killed six people", "warplanes killed nine": the weapon is the act
        if T.kind_of(tok) is None or tok.pos_ != "VERB":
            continue
        for subj in X.subjects(tok) + X.agents(tok):  # "... were killed by an improvised explosive device"
            if subj.i in seen or subj.dep_ == "nsubjpass":
                continue
            w = _np_weapon(subj)
            if w is not None and X.hypothetical(tok) is None:
                out.append(_Trigger(subj, "impact", w, 3))
                seen.add(subj.i)
    if out:
        view.article.notes["strike_context"] = True
    return sorted(out, key=lambda t: t.tok.i)


def _through_of(np):
    """The noun a quantity stands for: "dozens of rockets" -> rockets, "a barrage of missiles" -> missiles."""
    if np.lemma_.lower() in _QUANTITY_NOUNS | {"barrage", "salvo", "volley", "hail", "round", "number", "pair", "couple"}:
        for c in np.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
    return np


def _generic(tok) -> bool:
    """A bare strike noun (no article, number or possessor) under an accusation, a ban or a fear."""
    if any(c.dep_ in ("det", "poss", "nummod") for c in tok.children):
        return False
    return any(a.lemma_.lower() in _GENERIC_FRAMES for a in list(tok.ancestors)[:4])


def _subjects_or_head(verb) -> list:
    """Subjects of a verb; for a relative clause whose subject is "that"/"which", the noun it
    describes ("a car bomb that exploded")."""
    subs = X.subjects(verb)
    if verb.dep_ == "relcl" and (not subs or all(s.lower_ in ("that", "which", "who") for s in subs)):
        return [verb.head]
    return subs


def _armed_context(view: SentenceView, tok) -> bool:
    """An ambiguous strike word ("strike", "hit", "attack") is military when its clause names a
    weapon, an armed party, a casualty or a military target, when it is "come under attack", or
    when the article has already reported a strike."""
    if tok.pos_ == "NOUN" and tok.dep_ == "pobj" and tok.head.lower_ == "under" and tok.head.head.lemma_ == "come":
        return True
    if _MILITARY_CONTEXT.search(_clause_text(tok)):
        return True
    verb = X.clause_verb(tok)
    if any(T.kind_of(t) or weapon_word(t) for t in verb.subtree):
        return True
    if verb.dep_ == "advcl" and T.kind_of(verb.head) == "kill":
        return True  # "fifteen people died after artillery rounds ... struck a market": the deaths' cause
    return bool(view.article.notes.get("strike_context")) and tok.pos_ == "NOUN"


def _other_event_prep(tok) -> object | None:
    """The word that puts a strike word in another event ("after", "in retaliation for", "days
    after X struck"), or None. Its subtree is that other event's phrase."""
    t = tok
    for _ in range(8):
        if t.head.i == t.i:
            return None
        if t.dep_ == "pobj" and t.head.pos_ in ("ADP", "SCONJ"):
            prep = t.head
            if prep.lower_ in _OTHER_EVENT_PREPS:
                return prep
            if prep.lower_ in ("for", "to", "of") and prep.head.lemma_.lower() in _OTHER_EVENT_NOUNS:
                return prep
        if t.pos_ in ("VERB", "AUX") and t.dep_ in ("advcl", "ccomp", "relcl") or t.dep_ == "advcl":
            marks = [c for c in t.children if c.dep_ == "mark" and c.lower_ in _OTHER_EVENT_PREPS]
            if marks:
                return t  # "comes days after a U.S. airstrike killed ..."
            if t.dep_ == "advcl":
                return None
        if t.pos_ == "VERB" and t.dep_ not in ("acl", "amod"):
            return None
        t = t.head
    return None


def _clusters(triggers: list[_Trigger]) -> list[tuple[list[_Trigger], object | None]]:
    """Group the strike words of a sentence into mentions: one for the main event, one for each
    "after/in retaliation for ..." phrase, one for each coordinated clause with its own subject."""
    groups: dict[int, list[_Trigger]] = {}
    separators: dict[int, object] = {}
    for t in triggers:
        prep = _other_event_prep(t.tok)
        if prep is not None:
            key = -1000 - prep.i
            separators[key] = prep
        else:
            verb = X.clause_verb(t.tok)
            top = verb
            while top.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in top.children) and top.head.i != top.i:
                top = top.head  # "intercepted and destroyed": one clause
            key = top.i
            while top.dep_ in ("advcl", "xcomp", "ccomp", "acl", "relcl", "conj") and top.head.i != top.i:
                # a clause inside another strike clause ("struck a house, killing nine", "the strike that hit")
                parent = top.head
                if parent.dep_ == "conj" or top.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in top.children):
                    break
                top = X.clause_verb(parent)
                key = top.i
        groups.setdefault(key, []).append(t)
    return [(g, separators.get(k)) for k, g in sorted(groups.items(), key=lambda kv: min(t.tok.i for t in kv[1]))]


# ---------------------------------------------------------------------------------------------
# roles
# ---------------------------------------------------------------------------------------------



_CONFLICT_VERBS = {"kill", "attack", "strike", "storm", "fire", "ambush", "detonate", "claim", "shell", "bomb", "launch",
                   "raid", "target", "hit", "seize", "capture", "overrun", "execute", "behead", "abduct", "kidnap"}


def _note_actors(view: SentenceView) -> None:
    """Remember, per article, the armed parties that act in each sentence ("al-Shabaab militants
    killed 12 soldiers") and the country of the forces it names ("Nigeria's military"): a later
    strike told without its attacker ("A suicide bomber detonated at the base", "the air force
    targeted ...") is theirs."""
    notes = view.article.notes
    for s, e, a in view.actors:
        if a.kind in ("government", "military") and a.iso3 and re.search(
                r"\b(?:military|army|armed\s+forces|air\s+force|forces|navy|troops|defen[cs]e)\b", a.matched + view.text[e:e + 25], re.I):
            notes["force_country"] = a.iso3
    for tok in view.doc:
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in _CONFLICT_VERBS or X.hypothetical(tok):
            continue
        for subj in X.subjects(tok):
            if subj.dep_ == "nsubjpass":
                continue
            found = PT.actor_in_np(view, subj)
            if found is not None and found[0].kind in ("armed_group", "coalition"):
                notes.setdefault("acting", []).append((view.index, found[0]))


def _attacker_of(view: SentenceView, cluster: list[_Trigger]):
    for trig in sorted(cluster, key=lambda t: (t.tok.pos_ != "VERB", t.tok.i)):
        tok = trig.tok
        nps = []
        if tok.pos_ == "VERB":
            nps += X.agents(tok)
            nps += [s for s in _subjects_or_head(tok) if s.dep_ != "nsubjpass"]
        else:
            nps += [c for c in tok.children if c.dep_ in ("amod", "compound", "poss", "nmod", "npadvmod")]
            nps += [o for _, o in X.prep_objects(tok, {"by"})]
            for c in tok.children:  # "strikes carried out by X", "a strike suspected to have been carried out by X"
                if c.dep_ == "acl":
                    nps += X.agents(c)
                    nps += [a for g in c.children if g.dep_ in ("xcomp", "ccomp") for a in X.agents(g)]
            verb = tok.head if tok.dep_ in ("dobj", "nsubjpass", "pobj") else None
            if verb is not None and tok.dep_ == "pobj":
                # "claimed responsibility for the bombing", "claimed credit for a car bomb"
                verb = verb.head if verb.lower_ == "for" and verb.head.lemma_.lower() in ("responsibility", "credit") else None
                verb = verb.head if verb is not None else None
            if verb is not None and (verb.lemma_.lower() in _LIGHT_VERBS or tok.dep_ == "pobj"):
                nps += X.agents(verb) + [s for s in X.subjects(verb) if s.dep_ != "nsubjpass"]
        nps += [s for np in nps if (s := X.self_reference(np, view.dateline_end)) is not None]  # "the army said its jets struck"
        found = PT.party_of(view, nps)
        if found is not None:
            return found
    return PT.blamed_party(view)


def _attacker_phrase(view: SentenceView, cluster: list[_Trigger]) -> str | None:
    """An attacker the gazetteer cannot name, as written: "A suicide bomber", "gunmen"."""
    for trig in cluster:
        tok = trig.tok
        cands = []
        if tok.pos_ == "VERB":
            cands = [s for s in _subjects_or_head(tok) if s.dep_ != "nsubjpass"] + X.agents(tok)
        elif trig.role == "impact":
            cands = [tok]
        for np in cands:
            phrase = PT.phrase_party(np)
            if phrase:
                return phrase
    return None


_TARGET_PREPS = {"on", "against", "at", "targeting", "into", "onto", "upon"}
_CLOCK = re.compile(r"\b(?:\d{1,2}(?:[.:]\d\d)?\s*(?:a\.?m\.?|p\.?m\.?)|midnight|noon|dawn|dusk|o'clock|local\s+time|GMT|hours?)\b", re.I)


def _munition_np(np) -> bool:
    """A phrase that names the munition itself: a munition head ("his explosives", "a car bomb"), or
    a charge, device, vest or belt a weapon word qualifies ("a dynamite charge", "an explosive vest")."""
    if weapon_word(np, True):
        return True
    return np.lemma_.lower() in ("charge", "device", "vest", "belt") and any(weapon_word(c) for c in np.children if c.dep_ in ("compound", "amod", "nmod"))


def _target_of(view: SentenceView, cluster: list[_Trigger], attacker_span, place_heads: set[int]) -> str | None:
    for trig in sorted(cluster, key=lambda t: t.tok.i):
        tok = trig.tok
        nps = []
        if tok.pos_ == "VERB":
            if trig.role == "act":
                nps += [c for c in tok.children if c.dep_ == "nsubjpass"] + X.objects(tok)
            nps += [o for _, o in X.prep_objects(tok, _TARGET_PREPS)]
        else:
            nps += [o for _, o in X.prep_objects(tok, _TARGET_PREPS)]
            for c in tok.children:
                if c.dep_ == "acl" and c.lemma_.lower() in ("target", "hit", "strike"):
                    nps += X.objects(c)
            if tok.dep_ == "pobj" and tok.head.lower_ == "under" and tok.head.head.lemma_ == "come":
                nps += [s for s in X.subjects(tok.head.head)]  # "Kyiv came under missile attack"
        for np in nps:
            if np.i in place_heads or np.pos_ == "PRON" or np.ent_type_ in ("DATE", "TIME"):
                continue
            if trig.tok.pos_ == "VERB" and np.dep_ in ("dobj", "obj", "nsubjpass") and _munition_np(np):
                continue  # "detonated his explosives", "a charge was detonated": the munition, not the target
            if attacker_span and attacker_span[0] <= np.idx < attacker_span[1]:
                continue
            text = X.phrase(np)
            if not text or _TIME_WORDS.match(text) or len(text) > 100 or _CLOCK.search(text):
                continue
            return text
    return None


def _weapon_of_cluster(view: SentenceView, cluster: list[_Trigger], single: bool) -> tuple[str, int]:
    """(weapon class, strength): the strike's own words first ("a drone strike" 3, "shelling" 2),
    then its subject or instrument ("Russian warplanes struck" 3, "with rockets" 2), then the
    nearest weapon word of its clause (1), then the sentence's words (0)."""
    if any(t.weapon == "bomb" for t in cluster):  # "the bomber detonated his vest": a person, not an aircraft
        cluster = [t for t in cluster if not (t.weapon == "air" and t.tok.lemma_.lower() == "bomber")] or cluster
    best = max((t for t in cluster if t.weapon), key=lambda t: t.strength, default=None)
    if best is not None and best.strength >= 3:
        return best.weapon, best.strength
    for trig in cluster:
        tok = trig.tok
        for np in (X.subjects(tok) if tok.pos_ == "VERB" else []) + X.agents(tok):
            w = _np_weapon(np)
            if w == "air" and best is not None and best.weapon == "bomb":
                continue  # "the bomber detonated his vest": a person, since aircraft do not detonate
            if w:
                return w, 3
        for prep, o in X.prep_objects(tok, {"with", "by"}):
            w = _np_weapon(o)
            if w:
                return w, 2
    if best is not None:
        return best.weapon, best.strength
    near = None
    for trig in cluster:  # the nearest weapon word in the strike's own clause
        verb = X.clause_verb(trig.tok)
        for t in verb.subtree:
            w = weapon_word(t)
            if w is None:
                continue
            d = abs(t.i - trig.tok.i)
            if near is None or d < near[0]:
                near = (d, w)
    if near is not None:
        return near[1], 1
    return (weapon_of(view.text), 0) if single else ("unspecified", 0)  # the sentence's only strike


def _aggregate(cluster: list[_Trigger], text: str) -> bool:
    """A summary of several strikes ("Nineteen people have been killed in drone strikes over the
    past two days", "a wave of strikes"): a tally, not one event."""
    for trig in cluster:
        tok = trig.tok
        if tok.pos_ != "VERB" and tok.tag_ in ("NNS", "NNPS"):
            if any(c.lemma_.lower() in ("series", "wave", "string", "spate", "campaign") for c in tok.ancestors):
                return True
            for c in tok.children:  # "two airstrikes", "a dozen strikes"
                if c.dep_ == "nummod":
                    n = N.parse_count(c.text)
                    if n is not None and (n.low or 0) >= 2:
                        return True
        if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in _QUANTITY_NOUNS:
            return True
        if tok.pos_ != "VERB" and tok.dep_ == "dobj" and tok.head.lemma_.lower() in _CAMPAIGN_VERBS:
            return True  # "Moscow kept up its bombardment of cities": a campaign, not one strike
    return bool(_AGGREGATE.search(text))


_CAMPAIGN_VERBS = {"keep", "continue", "intensify", "escalate", "step", "expand", "sustain", "pursue", "maintain", "wage"}
_GENERIC_FRAMES = {"accuse", "accusation", "allegation", "abuse", "crime", "violation", "atrocity", "condemn", "ban",
                   "prohibit", "outlaw", "use", "practice", "policy", "tactic", "risk", "threat", "fear"}
_QUANTITY_NOUNS = {"dozen", "dozens", "hundreds", "scores", "some", "series", "wave", "string", "spate", "number", "hundred",
                   "thousands", "many", "several", "most", "all"}
_AGGREGATE = re.compile(
    r"\bover\s+the\s+(?:past|last)\s+(?:\w+\s+)?(?:days|weeks|months|years|24\s+hours)\b"
    r"|\bsince\s+(?:the\s+(?:start|beginning|outbreak)|(?:early\s+|late\s+)?(?:January|February|March|April|May|June|July|August|September|October|November|December|(?:19|20)\d\d)\b|the\s+[\w\s-]{1,30}?\s+(?:began|started|erupted))"
    r"|\bin\s+recent\s+(?:days|weeks|months|years)\b|\bso\s+far\s+this\s+(?:year|month|week)\b", re.I)


def _distinct(cluster: list[_Trigger]) -> bool:
    """"another strike", "a second air strike", "one of the missiles hit ...": not the strike just told."""
    for trig in cluster:
        tok = trig.tok
        if any(c.lower_ in _DISTINCT for c in tok.children if c.dep_ in ("amod", "det", "advmod")):
            return True
        for np in ([tok] if tok.pos_ != "VERB" else X.subjects(tok)):
            if np.lower_ == "one" and any(c.dep_ == "prep" and c.lower_ == "of" for c in np.children):
                return True  # a part of a larger attack, told on its own
            if np.dep_ == "pobj" and np.head.lower_ == "of" and np.head.head.lower_ == "one":
                return True
    return False


def extract(view: SentenceView) -> list[dict]:
    """The strike mentions of a candidate sentence: one row per mention (see the module docstring)."""
    text = view.text
    if view.doc is not None:
        _note_actors(view)
    if not is_strike_sentence(text) or _old_year(text, view.article.year, view.article.text):
        return []
    if view.doc is None:
        return []
    triggers = _triggers(view)
    if not triggers:
        return []
    clusters = _clusters(triggers)
    rows = []
    place_heads = {m.head for m in view.place_mentions if m.level >= locations.LEVEL_TOWN} | {
        m.head for m in view.place_mentions if m.place is not None}
    spans = {id(c): _subtree_span(sep) for c, sep in clusters if sep is not None}
    for cluster, sep in clusters:
        within = spans.get(id(cluster))
        others = [sp for c, sp in ((c, spans.get(id(c))) for c, _ in clusters) if sp is not None and c is not cluster
                  and not (within and sp[0] <= within[0] and within[1] <= sp[1])]
        row = _mention_row(view, cluster, place_heads, len(clusters) == 1, within, others)
        if row is not None:
            rows.append(row)
    return rows


def _subtree_span(tok) -> tuple[int, int]:
    lo, hi = tok.left_edge, tok.right_edge
    return lo.idx, hi.idx + len(hi.text)


def _mention_row(view: SentenceView, cluster: list[_Trigger], place_heads: set[int], single: bool,
                 within: tuple[int, int] | None = None, others: list[tuple[int, int]] = ()) -> dict | None:
    text = view.text
    doc = view.doc
    found = _attacker_of(view, cluster)
    attacker, a_start, a_end = found if found else (None, None, None)
    tokens = {t.tok.i for t in cluster} | {X.clause_verb(t.tok).i for t in cluster}
    toll = T.toll_of(doc, None if single else tokens, others, view.dateline_end)
    if toll.empty and single:
        legacy = casualties(text)
        toll = T.Toll(legacy["killed"], legacy["killed_max"], legacy["wounded"], legacy["killed_text"])
    elif single and toll.killed is None and _NO_DEATHS.search(text):
        toll.killed, toll.killed_max, toll.killed_text = 0, 0, _NO_DEATHS.search(text).group()
    kill_words = {t.i for t in doc if T.kind_of(t) == "kill"} if single else set(toll.kill_tokens)
    anchors = sorted(tokens | kill_words)
    exclude = ([(a_start, a_end)] if attacker else []) + list(others)
    loc = locations.event_location(view, anchors, exclude, attacker.iso3 if attacker else None, within)
    target = _target_of(view, cluster, (a_start, a_end) if attacker else None, place_heads)
    if target and loc and loc.text.lower() in target.lower() and len(target) - len(loc.text) < 10:
        target = None
    ttype = target_type_of(target, text)
    if ttype == "unknown":
        ttype = target_type_of(text, text) if re.search(r"\b(?:civilians?|residential|hospital|market|school)\b", text, re.I) else "unknown"
    country = loc.iso3 if loc else None
    if country is None and single:
        for s, e, a in view.actors:
            if a.kind == "country" and _place_like(text, s) and (attacker is None or a.iso3 != attacker.iso3):
                country = a.iso3
                break
    weapon, weapon_strength = _weapon_of_cluster(view, cluster, single)
    phrase = None if attacker else _attacker_phrase(view, cluster)
    other_party = attacker is None and any(a.kind in ("armed_group", "coalition", "military") for _, _, a in view.actors)
    row = {
        "attacker": actor_name(attacker) if attacker else phrase,
        "attacker_country": attacker.iso3 if attacker else None,
        "target": target,
        "target_type": ttype,
        "location": loc.text if loc else None,
        "place_name": loc.place.name if loc and loc.place else None,
        "country": country,
        "latitude": loc.latitude if loc else None,
        "longitude": loc.longitude if loc else None,
        "geo_precision": loc.precision if loc else ("country" if country else None),
        "weapon": weapon,
        "killed": toll.killed,
        "killed_max": toll.killed_max,
        "wounded": toll.wounded,
        "killed_text": toll.killed_text,
        "_actor_names": (attacker.matched,) if attacker else (),
        "_event_tokens": sorted({t.tok.i for t in cluster}),
        "_attacker_text": attacker.matched if attacker else phrase,
        "_kill_idx": tuple(sorted(set(toll.kill_tokens) | (kill_words if single else set()))),
        "_distinct": _distinct(cluster),
        "_other_phrase": within is not None,  # told in an "after ..." phrase of the sentence: another strike
        "_aggregate": _aggregate(cluster, text),
        "_level": loc.level if loc else 9,
        "_weapon_strength": weapon_strength,
        "_other_party": other_party,
        "_phrase_attacker": phrase is not None,
        "_launch_only": all(t.role == "launch" for t in cluster) and toll.empty,
        "_trigger": min(t.tok.idx for t in cluster),
    }
    if row["attacker"] is None and row["location"] is None and row["country"] is None and row["killed"] is None and row["wounded"] is None:
        return None  # no actor, no place, no toll: too vague to count as a strike
    confidence = 0.5 + 0.15 * (attacker is not None) + 0.15 * (loc is not None) + 0.1 * (weapon != "unspecified") + 0.1 * (row["killed"] is not None)
    row["_confidence"] = round(min(confidence, 0.99), 2)
    return row


# ---------------------------------------------------------------------------------------------
# assembly
# ---------------------------------------------------------------------------------------------

# Weapon classes two reports of one strike may give ("a drone strike" / "an air strike").
_COMPATIBLE = [{"air", "drone", "missile"}, {"missile", "rocket", "artillery"}, {"naval", "missile"}, {"bomb", "air"}]


def _weapons_agree(a: str | None, b: str | None) -> bool:
    if a in (None, "unspecified") or b in (None, "unspecified") or a == b:
        return True
    return any(a in g and b in g for g in _COMPATIBLE)


def _km(a: dict, b: dict) -> float | None:
    if None in (a.get("latitude"), a.get("longitude"), b.get("latitude"), b.get("longitude")):
        return None
    la1, lo1, la2, lo2 = map(math.radians, (a["latitude"], a["longitude"], b["latitude"], b["longitude"]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(min(1.0, h)))


def _same_place(a: dict, b: dict) -> bool | None:
    """True when two mentions' places can be one strike's, False when they cannot, None unknown."""
    if a.get("country") and b.get("country") and a["country"] != b["country"]:
        return False
    la, lb = (a.get("location") or "").lower(), (b.get("location") or "").lower()
    if not la or not lb:
        return True
    if la == lb or la in lb or lb in la:
        return True
    if (a.get("place_name") or "~a").lower() == (b.get("place_name") or "~b").lower():
        return True
    fine, coarse = (a, b) if _GEO_RANK.get(a.get("geo_precision"), 9) <= _GEO_RANK.get(b.get("geo_precision"), 9) else (b, a)
    if coarse.get("geo_precision") in ("country", "water"):
        return True  # "in Syria" and "in Idlib": the country holds the town
    km = _km(a, b)
    if coarse.get("geo_precision") == "region":
        # "Ukraine's Odesa region" and "the Izmail district": one strike when the town lies in the region
        return km is None or km <= _REGION_KM
    if km is not None:
        return km <= _TOWN_KM  # two towns: the same place under two spellings, not two neighbours
    return None


_GEO_RANK = {"exact": 0, "near": 1, "unresolved": 2, "region": 3, "water": 4, "country": 5}
_REGION_KM = 150  # from a province's recorded point to a town in it
_TOWN_KM = 5


def mergeable(first: dict, later: dict) -> bool:
    """A later mention in the same article repeats an earlier strike (see the module docstring)."""
    if later.get("_distinct") or first.get("_distinct") and later.get("sentence_index") == first.get("sentence_index"):
        return False
    if later.get("sentence_index") == first.get("sentence_index") and bool(later.get("_other_phrase")) != bool(first.get("_other_phrase")):
        return False  # "a missile hit a terminal, a day after a drone attack on the port killed four": two strikes
    if first.get("attacker") and later.get("attacker") and first["attacker"] != later["attacker"] and not (
            first.get("_phrase_attacker") or later.get("_phrase_attacker")):
        return False  # ("gunmen" is no rival to "Islamic State": it may be the same party unnamed)
    if first.get("event_date") and later.get("event_date") and abs((first["event_date"] - later["event_date"]).days) > 1:
        return False
    if not _weapons_agree(first.get("weapon"), later.get("weapon")):
        return False
    same = _same_place(first, later)
    if same is False:
        return False
    if same is None:
        # two places the gazetteer cannot compare: one strike only when nothing else differs
        return first.get("weapon") == later.get("weapon") or later.get("weapon") == "unspecified"
    return True


def completeness(row: dict) -> float:
    """How fully a mention states its strike: the most complete one is the merged row's evidence."""
    score = {"exact": 3, "near": 3, "unresolved": 2.5, "region": 2, "water": 1.5, "country": 1}.get(row.get("geo_precision"), 0)
    score += sum(bool(row.get(k)) for k in ("attacker", "target")) + (row.get("killed") is not None)
    score += 0.5 * (row.get("weapon") not in (None, "unspecified")) + 0.5 * (row.get("event_date") is not None)
    evidence = (row.get("evidence") or "").rstrip()
    if evidence and evidence[-1] not in ".!?\"”'’)":
        score -= 3  # a headline or a caption: the body says it in full
    return score


def assemble(rows: list[dict], view_a, sentences, docs) -> list[dict]:
    """An article's strike rows (finished with evidence, dates and certainty) -> its strikes."""
    from pipelines.assemble import merge_mentions

    by_sentence: dict[int, list[dict]] = {}
    for r in rows:
        by_sentence.setdefault(r["sentence_index"], []).append(r)
    if _INTERCEPTED.search(view_a.text):  # "fired two rockets ..., one was intercepted": no strike hit
        rows = [r for r in rows if not r.get("_launch_only")]
    for r in rows:
        if r["killed"] is None and r["wounded"] is None:
            _toll_from_next(r, sentences, docs, by_sentence, view_a.text)
    _inherit_attackers(rows, view_a)
    for r in rows:
        _place_from_next(r, sentences, docs, by_sentence, view_a)
    merged = merge_mentions(rows, mergeable, completeness, refine)
    singles = [r for r in merged if not r.get("_aggregate")]
    if singles:  # a tally beside the strikes it sums is not one more strike
        merged = singles
    return merged


_INTERCEPTED = re.compile(r"\b(?:intercept(?:ed|ion|s)?|shot\s+down|downed|fell\s+(?:short|into\s+the\s+sea)|splashed\s+down)\b", re.I)


def _inherit_attackers(rows: list[dict], view_a) -> None:
    """A strike told without its attacker takes the attacker of the strike just before it when it
    goes on from it ("A second air strike hit a car"; the same weapon, one or two sentences
    later, no other party named), or the armed party that acted in the last two sentences
    ("al-Shabaab militants killed 12 soldiers." + "A suicide bomber detonated at the base")."""
    acting = view_a.notes.get("acting", [])
    previous = None
    for r in sorted(rows, key=lambda x: (x["sentence_index"], x.get("_trigger", 0))):
        if r["attacker"] is None or r.get("attacker_country") is None and r.get("_phrase_attacker"):
            own = r["attacker"]
            if previous is not None and r["sentence_index"] - previous["sentence_index"] <= 2 and (
                    r.get("_distinct") or (not r.get("_other_party") and _weapons_agree(r.get("weapon"), previous.get("weapon")))):
                r["attacker"], r["attacker_country"] = previous["attacker"], previous["attacker_country"]
                if r.get("_distinct") and r.get("weapon") == "unspecified":
                    r["weapon"] = previous.get("weapon")  # "a similar strike", "a second air strike"
            else:
                recent = [a for i, a in acting if r["sentence_index"] - 2 <= i <= r["sentence_index"]]
                if recent and not r.get("_other_party"):
                    a = recent[-1]
                    r["attacker"], r["attacker_country"] = actor_name(a), a.iso3
            if r["attacker"] is None:
                r["attacker"] = own
        if r["attacker"] is not None and r.get("attacker_country") is not None:
            previous = r


def _specificity(row: dict) -> float:
    """How specific a mention's place is, for choosing among one strike's mentions: a district,
    area or neighbourhood the gazetteer does not know is taken as part of the town the other
    mentions name ("in Mogadishu" ... "in the Waaberi district"), before the town itself."""
    level = row.get("_level", 9)
    if row.get("geo_precision") in ("unresolved", "near") and level == locations.LEVEL_DISTRICT:
        return 1.5
    return level


def refine(result: dict, group: list[dict]) -> None:
    """The merged strike's place is its most specific mention's (when that mention is in the
    same country), its weapon the most directly named one."""
    placed = [g for g in group if g.get("location") and (not result.get("country") or g.get("country") in (None, result["country"]))]
    if placed:
        best = min(placed, key=lambda g: (_specificity(g), _GEO_RANK.get(g.get("geo_precision"), 9)))
        if _specificity(best) < _specificity(result) or not result.get("location"):
            for k in ("location", "place_name", "latitude", "longitude", "geo_precision", "_level"):
                result[k] = best.get(k)
            result["country"] = best.get("country") or result.get("country")
    if result.get("_phrase_attacker"):  # "Al Qaeda-linked militants" ... "JNIM said one of its fighters"
        named = [g for g in group if g.get("attacker") and not g.get("_phrase_attacker")]
        if named:
            result["attacker"], result["attacker_country"] = named[0]["attacker"], named[0]["attacker_country"]
            result["_phrase_attacker"] = False
    weapons = [g for g in group if g.get("weapon") not in (None, "unspecified")]
    if weapons:
        strongest = max(weapons, key=lambda g: g.get("_weapon_strength", 0))
        if strongest.get("_weapon_strength", 0) > result.get("_weapon_strength", 0) or result.get("weapon") in (None, "unspecified"):
            result["weapon"], result["_weapon_strength"] = strongest["weapon"], strongest.get("_weapon_strength", 0)


_PLACED_AFTER = re.compile(r"\b(?:happened|occurred|took\s+place|unfolded)\b", re.I)


def _place_from_next(row: dict, sentences, docs, by_sentence: dict[int, list[dict]], view_a) -> None:
    """"A car bomb at a market in northern Baghdad killed 37." + "It happened at the district of
    Sadr City.": a following sentence that says where the event just reported happened (its
    subject refers back to it, data/lexicon/event_anaphors.csv) gives the strike its place, when
    it reports no strike of its own and the place is no less specific than a district and in the
    strike's country."""
    i = row["sentence_index"]
    for j in range(i + 1, min(i + 3, len(sentences))):
        if by_sentence.get(j):
            return  # another strike's sentence
        if not _PLACED_AFTER.search(sentences[j].text):
            continue
        doc = docs[j] if docs is not None and j < len(docs) and docs[j] is not None else None
        if doc is None:
            from pipelines.nlp import get_nlp

            doc = get_nlp()(sentences[j].text)
        anaphors = L.words("event_anaphors", where=(("role", "subject"),))
        verbs = L.words("event_anaphors", where=(("role", "verb"),))
        for verb in doc:
            if verb.lemma_.lower() not in verbs or verb.pos_ not in ("VERB", "AUX"):
                continue
            if verb.lemma_.lower() == "take" and not any(c.lemma_.lower() == "place" for c in verb.children):
                continue
            subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
            if not subj or subj[0].lemma_.lower() not in anaphors:
                continue
            if subj[0].pos_ == "NOUN" and not any(d.dep_ == "det" and d.lower_ in ("the", "this", "that") for d in subj[0].children):
                continue  # "an attack occurred in X" is another event
            view = SentenceView(view_a, sentences[j], doc)
            loc = locations.event_location(view, [verb.i])
            if loc is None or loc.level > locations.LEVEL_DISTRICT:
                return
            if row.get("country") and loc.iso3 and loc.iso3 != row["country"]:
                return
            lat, lon, precision = loc.latitude, loc.longitude, loc.precision
            if lat is None and row.get("latitude") is not None and row.get("geo_precision") in ("exact", "near"):
                lat, lon, precision = row["latitude"], row["longitude"], "near"  # a neighbourhood of the town named before
            row.update(location=loc.text, place_name=loc.place.name if loc.place else None, country=loc.iso3 or row.get("country"),
                       latitude=lat, longitude=lon, geo_precision=precision, _level=loc.level)
            return


def _toll_from_next(row: dict, sentences, docs, by_sentence: dict[int, list[dict]], text: str) -> None:
    """"The strike hit a market." + "At least three people died.": the next sentence's toll,
    when that sentence reports no strike of its own and is in the same or the next paragraph."""
    i = row["sentence_index"]
    paragraphs = 0
    for j in range(i + 1, min(i + 3, len(sentences))):
        gap = text[sentences[j - 1].end:sentences[j].start]
        paragraphs += gap.count("\n\n")
        if paragraphs > 1:
            return
        if by_sentence.get(j):
            return
        s = sentences[j].text
        if _NOT_AN_EVENT.search(s):
            return
        doc = docs[j] if docs is not None and j < len(docs) else None
        toll = T.toll_of(doc) if doc is not None else T.Toll()
        if toll.empty:
            legacy = casualties(s)
            toll = T.Toll(legacy["killed"], legacy["killed_max"], legacy["wounded"], legacy["killed_text"])
        if not toll.empty:
            row.update(killed=toll.killed, killed_max=toll.killed_max, wounded=toll.wounded, killed_text=toll.killed_text,
                       _toll_sentence=j)
            return
