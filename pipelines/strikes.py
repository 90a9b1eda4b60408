"""Strikes: air and drone strikes, missile and rocket attacks, shelling, naval fire, bombings.

A sentence is a candidate when TRIGGER matches (cheap, before any parsing). It yields a strike
when it names a strike act in a military context and none of the distractor senses of "strike"
and "bomb" (labour and hunger strikes, strike prices, "strikes down", bowling, "bombshell",
missile tests...). Roles come from the dependency parse: the attacker is the subject of the
strike verb, the modifier of the strike noun ("Russian warplanes", "an Israeli strike") or the
agent of a passive ("by a U.S. drone"); the target is the object or the "on/against" phrase.
"""

from __future__ import annotations

import re

from pipelines import locations
from pipelines import numbers as N
from pipelines.context import SentenceView

TRIGGER = re.compile(
    r"\b(?:air[- ]?strikes?|air[- ]?raids?|strikes?|struck|striking|bomb(?:s|ed|ing|ings|ers?)?|shell(?:s|ed|ing)"
    r"|bombard(?:ed|ment|ments|ing)?|barrages?|missiles?|rockets?|drones?|warplanes?|jets|mortars?|artillery"
    r"|IEDs?|explosives?|blasts?|explosions?|detonat\w+|pounded|airstrikes?|salvos?|UAVs?|Shaheds?)\b",
    re.I,
)

_STRIKE_ACT = re.compile(
    r"\b(?:air[- ]?strikes?|airstrikes?|air[- ]?raids?|drone\s+(?:strikes?|attacks?)|missile\s+(?:strikes?|attacks?)|rocket\s+(?:attacks?|fire)"
    r"|(?:strikes?|struck|hit|hits|pounded|targeted|bombed|bombing|bombings|shelled|shelling|bombard\w*|barrages?|salvos?"
    r"|car\s+bomb\w*|suicide\s+(?:bomb\w*|attack\w*)|roadside\s+bomb\w*|IEDs?|improvised\s+explosive|explosions?|blasts?|detonat\w+)"
    r"|(?:fired|launched|lobbed)\s+(?:\w+\s+){0,3}(?:missiles?|rockets?|drones?|shells?|mortars?|bombs?|rounds|grenades)"
    r"|(?:exploded|detonated|set\s+off|planted)\s+(?:\w+\s+){0,4}(?:bombs?|explosives?|devices?)"
    r"|(?:bomb|grenade|mortar|rocket|missile|drone|Predator|air|artillery|suicide)\s+(?:attacks?|explosions?|blasts?)"
    r"|(?:aircraft|warplanes?|jets|helicopters?|gunships?|drones?|Predators?|bombers?|tanks|artillery|gunboats?|warships?)\s+(?:[\w,-]+\s+){0,5}?(?:killed|attacked|hit|bombed|fired|struck|destroyed|pounded|shelled|raked)"
    r"|attack(?:ed|s|ing)?\s+[^.;]{0,80}?\bwith\s+(?:\w+\s+){0,3}(?:drones?|missiles?|rockets?|mortars?|shells|explosives?|bombs?)"
    r"|(?:bombs?|explosive\s+devices?|IEDs?|mines?)\s+(?:[\w-]+\s+){0,6}(?:exploded|detonated|went\s+off|blew\s+up)"
    r"|(?:missiles?|rockets?|drones?|shells|mortars?)\s+(?:\w+\s+){0,2}(?:hit|struck|slammed|landed|exploded|fell|rained))\b",
    re.I,
)
_MILITARY_CONTEXT = re.compile(
    r"\b(?:air|drones?|missiles?|rockets?|warplanes?|jets|aircraft|military|army|forces|troops|coalition|militants?|artillery|shell\w*"
    r"|mortars?|bomb\w*|explosive\w*|killed|killing|dead|wounded|injured|casualt\w+|civilians|soldiers|fighters|insurgents|rebels"
    r"|positions|targets?|base|convoy|IEDs?|navy|naval|warships?|attack\w*|retaliat\w+|offensive|ceasefire|war)\b",
    re.I,
)
_DISTRACTOR = re.compile(
    r"\b(?:hunger\s+strikes?|general\s+strikes?|labou?r\s+strikes?|strike\s+(?:action|ballot|pay|fund|vote|price|prices|zone|rate)"
    r"|strikes?\s+(?:by|at)\s+(?:workers|unions?|teachers|nurses|doctors|drivers|staff|employees|pilots|dockers|miners)"
    r"|(?:workers|unions?|teachers|nurses|doctors|drivers|staff|employees|pilots|dockers|miners|students)\s+(?:\w+\s+){0,3}(?:strikes?|struck|striking|on\s+strike)"
    r"|(?:went|go|goes|going|are|were|is)\s+on\s+strike|walk(?:ed)?[- ]?outs?|picket\w*"
    r"|strikes?\s+down|struck\s+down|strik\w+\s+(?:a|the)\s+(?:deal|balance|chord|note|tone|pose|bargain|match|blow\s+for)"
    r"|struck\s+(?:a|the)\s+(?:deal|balance|chord|note|tone|pose|bargain)|strike\s+out|struck\s+out|strikeouts?"
    r"|lightning|bowl\w*|pins|spare|innings|pitcher|batter|home\s+runs?|goal|striker"
    r"|bombshells?|photobomb\w*|bath\s+bombs?|box[- ]office\s+bomb|f-bombs?|love[- ]bomb\w*|bombed\s+(?:at|in)\s+the\s+box"
    r"|(?:missile|rocket|weapons?|nuclear)\s+tests?|test[- ](?:fired|launch\w*|fire)|tested\s+(?:a|an|its)|test\s+(?:of|flight)"
    r"|(?:missiles?|rockets?)\s+(?:\w+\s+){0,4}into\s+the\s+(?:sea|ocean|waters)|splashed\s+down|fireworks|stock|shares|index|options?\s+contracts?)\b",
    re.I,
)

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


# Not a new event: history, trials, statistics, fiction, threats and unexploded ordnance.
_NOT_AN_EVENT = re.compile(
    r"\b(?:World\s+War|anniversary|commemorat\w+|memorial|years?\s+(?:ago|after|since)|decades?\s+ago|retrospective|in\s+(?:19\d\d|200\d|201[0-5])\b"
    r"|trial|sentenc\w+|convicted|verdict|prosecutors?|annual|statistics|(?:report|data|figures)\s+(?:found|showed|shows|published)|tally"
    r"|film|movie|documentary|novel|TV\\s+series|television\\s+series|episode|scene|characters?|director|historians?|history\s+of|invasion\s+of\s+\w+\s+in|cyber\w*|hack\w*|threat\w*|vow\w*|warn\w*|would\s+(?:strike|attack|respond|hit)"
    r"|could\s+(?:strike|attack|hit)|abilit(?:y|ies)\s+to|capabilit\w+|prepar\w+\s+to|threaten\w*\s+to|ready\s+to|plans?\s+to|planning\s+to|(?:help\w*|allow\w*|enabl\w*|permit\w*|authori[sz]\w*|capab\w+|abilit\w+)\s+(?:\w+\s+){0,3}(?:to\s+)?(?:strike|hit|attack)|if\s+\w+\s+(?:strikes?|attacks?)|unexploded|defus\w+|disposal|drill|exercises?|simulat\w+)\b",
    re.I,
)


def is_strike_sentence(text: str) -> bool:
    """A strike act in a military context, and not one of the distractor senses or a past,
    hypothetical or fictional one."""
    return (bool(_STRIKE_ACT.search(text)) and bool(_MILITARY_CONTEXT.search(text))
            and not _DISTRACTOR.search(text) and not _NOT_AN_EVENT.search(text))


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


def _attacker(view: SentenceView, trigger_start: int):
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


_FORCE_NOUN = re.compile(r"\s*(?:-led\s+)?(?:\w+\s+)?(?:war\s?planes?|jets|aircraft|forces|troops|army|military|navy|drones?|missiles?|artillery|air\s+force|strikes?|air\s?strikes?|bombers?|helicopters?|warships?|rockets?|shelling|gunners|soldiers)\b", re.I)


def actor_name(actor) -> str:
    """Governments and militaries are reported as their country ("Russian warplanes" = Russia)."""
    from pipelines.actors import country_name

    if actor.kind in ("country", "government", "military") and actor.iso3:
        return country_name(actor.iso3) or actor.canonical
    return actor.canonical


def _place_like(text: str, start: int) -> bool:
    return bool(re.search(r"\b(?:in|into|inside|across)\s+(?:the\s+)?$", text[max(0, start - 12):start], re.I))


def _location(view: SentenceView, attacker, trigger_start: int = 0):
    """The most specific place the sentence puts the strike in, with its precision."""
    text = view.text
    best = None
    said = re.search(r"[,;]\s*[^,;]{2,90}?\s+(?:said|says|reported|told|announced|added)\b[^,;]*$", text)
    actor_spans = [(s, e) for s, e, a in view.actors if a.kind in ("government", "country") and a.matched[:1].isupper()]
    for s, e, place in view.places:
        prefix = text[max(0, s - 40):s]
        if said and s >= said.start():
            continue
        if any(a0 <= s < a1 for a0, a1 in actor_spans) and not re.search(r"\b(?:in|near|at|on|outside|into|targeting|of)\s+(?:the\s+)?(?:[\w-]+\s+){0,4}$", prefix, re.I):
            continue
        if attacker is not None and place.kind == "country" and place.iso3 == attacker.iso3 and not re.search(r"\b(?:in|inside)\s+(?:the\s+)?$", prefix, re.I):
            continue
        if place.kind == "country" and not re.search(r"\b(?:in|inside|across|on|into|of|against)\s+(?:\w+\s+)?$", prefix, re.I):
            continue
        rank = ({"exact": 0, "near": 1, "region": 2, "country": 3}.get(place.precision, 4), s < trigger_start)
        near = bool(_NEAR.search(prefix))
        if best is None or rank < best[0]:
            best = (rank, place, near)
    if best is None:
        return None, None
    return best[1], ("near" if best[2] and best[1].precision == "exact" else best[1].precision)


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


def extract(view: SentenceView) -> list[dict]:
    """Zero or one strike from a candidate sentence (several acts in one sentence are one row
    unless they are separate clauses with their own places, which the article merger keeps)."""
    text = view.text
    if not is_strike_sentence(text) or _old_year(text, view.article.year, view.article.text):
        return []
    act = _STRIKE_ACT.search(text)
    attacker = _attacker(view, act.start())
    attacker_spans = [(s, e) for s, e, a in view.actors if attacker is not None and a is attacker]
    loc = locations.event_location(view, event_tokens(view), attacker_spans, attacker.iso3 if attacker else None)
    target = _target(text, attacker.matched if attacker else None)
    if target and loc and loc.text.lower() in target.lower() and len(target) - len(loc.text) < 10:
        target = None
    ttype = target_type_of(target, text)
    if ttype == "unknown":
        ttype = target_type_of(text, text) if re.search(r"\b(?:civilians?|residential|hospital|market|school)\b", text, re.I) else "unknown"
    country = loc.iso3 if loc else None
    if country is None:
        for s, e, a in view.actors:
            if a.kind == "country" and _place_like(text, s) and (attacker is None or a.iso3 != attacker.iso3):
                country = a.iso3
                break
    row = {
        "attacker": actor_name(attacker) if attacker else None,
        "attacker_country": attacker.iso3 if attacker else None,
        "target": target,
        "target_type": ttype,
        "location": loc.text if loc else None,
        "place_name": loc.place.name if loc and loc.place else None,
        "country": country,
        "latitude": loc.latitude if loc else None,
        "longitude": loc.longitude if loc else None,
        "geo_precision": loc.precision if loc else ("country" if country else None),
        "weapon": weapon_of(text),
        **casualties(text),
        "_actor_names": (attacker.matched,) if attacker else (),
    }
    if row["attacker"] is None and row["location"] is None and row["country"] is None and row["killed"] is None and row["wounded"] is None:
        return []  # no actor, no place, no toll: too vague to count as a strike
    confidence = 0.5 + 0.15 * (attacker is not None) + 0.15 * (loc is not None) + 0.1 * (row["weapon"] != "unspecified") + 0.1 * (row["killed"] is not None)
    row["_confidence"] = round(min(confidence, 0.99), 2)
    return [row]


MERGE_KEYS = ("attacker", "location", "country", "event_date")


def mergeable(first: dict, later: dict) -> bool:
    """A later mention in the same article repeats an earlier strike when none of attacker,
    location, country and date disagrees (two strikes on two towns stay two rows). A mention
    with no place at all belongs to the strike before it, unless both its attacker and date differ
    ("Hezbollah said it fired rockets ... on Friday in response" is another strike)."""
    if all(first.get(k) and later.get(k) and first[k] != later[k] for k in ("attacker", "event_date")):
        return False  # another party, another day: a reply, not a repeat
    if later.get("location") is None and later.get("country") is None:
        return True
    if later.get("geo_precision") in ("region", "country") and later.get("country") == first.get("country") and (
            later.get("attacker") in (None, first.get("attacker"))):
        return True  # "the base in Anbar province" after "Ain al-Asad air base": the same strike, less precisely
    for k in MERGE_KEYS:
        if first.get(k) is not None and later.get(k) is not None and first[k] != later[k]:
            return False
    return True
