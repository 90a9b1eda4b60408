"""Diplomatic and official visits: who visited where, whom they met, why, and whether it
happened, is happening, is planned or was cancelled.

A visit needs an official visitor (a person with a title such as minister, president, secretary,
envoy, or a person the article introduced with one) and a destination that resolves to a place
or country. Tourists, celebrities, sports teams and "visited the website" have neither.
"""

from __future__ import annotations

import re

from pipelines import actors as A
from pipelines import places as P
from pipelines.context import LOWER_TITLE, PRONOUN, Person, SentenceView

TRIGGER = re.compile(
    r"\b(?:visit(?:s|ed|ing)?|arriv(?:ed|es|ing|al)|landed\s+in|(?:travel(?:l?ed|l?ing|s)?|flew|flies|fly|heads?|headed|heading|went|goes|go)\s+(?:on\s+)?to"
    r"|trip\s+to|tour\s+of|(?:is|are|was|were)\s+due\s+in|met\s+(?:with\s+)?|meets\s+|hosted|hosts|welcomed|received|talks\s+in|in\s+\w+\s+for\s+talks)\b",
    re.I,
)
_VISIT_ACT = re.compile(
    r"\b(?P<verb>visit(?:s|ed|ing)?|arriv(?:ed|es|ing|al)|landed|travel(?:l?ed|l?ing|s)?|flew|flies|fly|heads?|headed|heading|trip|tour|due|went|goes|go"
    r"|(?:is|are|was|were)(?=\s+in\s+[A-Z][^.]{0,80}\b(?:visit|trip|talks|tour)\b)"
    r"|(?:met|meets|meeting)(?=\s[^.]{0,90}?\bin\s+[A-Z]))\b"
    r"(?:\s+(?:in|to|at|of|on))?\s+(?:the\s+)?(?:[\w'’-]+\s+){0,8}?(?:(?:in|to)\s+)?(?P<dest>[A-Z][\w'’.-]+(?:[ -][A-Z][\w'’-]+){0,3})",
)
_VISIT_BY = re.compile(r"\bvisit\s+to\s+(?P<dest>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})\s+by\s+")
_COUNTERPART = re.compile(r"\b(?:and|with)\s+(?:his|her|their)\s+(?P<dem>[A-Z][\w'’-]+)\s+counterpart,?\s+(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})")
_STATUS = (
    ("cancelled", re.compile(r"\b(?:cancel(?:l?ed|s|ling)?|call(?:ed)?\s+off|postpon\w+|scrapped|shelved|delayed|put\s+off|pulled\s+out\s+of)\b", re.I)),
    ("planned", re.compile(r"\b(?:(?:flies|travels|heads|goes|leaves)\s+(?:on\s+)?(?:to|for)|will|is\s+to|are\s+to|plans?\s+to|planned|planning|is\s+due|are\s+due|was\s+due|expected\s+to|scheduled|is\s+set\s+to|upcoming|next\s+(?:week|month)|later\s+this|intends?\s+to|is\s+(?:heading|travelling|traveling|flying)|invited)\b", re.I)),
    ("ongoing", re.compile(r"\b(?:is\s+visiting|are\s+visiting|is\s+in\s+[A-Z]\w+\s+(?:for|on)|on\s+a\s+(?:\w+[- ])?(?:day\s+)?visit\s+to|arrives?\b|arriving|currently)\b", re.I)),
)
_HOST = re.compile(
    r"\b(?:met(?:\s+with)?|meets(?:\s+with)?|meeting(?:\s+with)?|talks\s+with|hosted\s+by|received\s+by|welcomed\s+by|sat\s+down\s+with|held\s+talks\s+with|to\s+meet(?:\s+with)?)\s+"
    r"(?P<host>(?:[A-Z][\w.'’-]*\s+){0,5}?[A-Z][\w'’-]+|(?:his|her|their)\s+\w+\s+counterpart(?:,\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})?)"
)
_PURPOSE = re.compile(
    r"\b(?:to\s+(?:discuss|seek|press|push|secure|negotiate|sign|review|strengthen|boost|shore\s+up|bolster|reassure|mediate|rally|coordinate|talk\s+about|hold\s+talks\s+on)|for\s+talks\s+on|aimed\s+at|on\s+a\s+mission\s+to)\s+(?P<purpose>[^.;]{3,120}?)(?=[,.;]|\s+(?:on|after|before|amid|as|in\s+a)\b|$)",
    re.I,
)
_SUBJECT_PERSON = re.compile(r"^(?:[A-Z][\w.'’-]*\s+){1,6}")


def _visitor(view: SentenceView, act_start: int) -> Person | None:
    """The official doing the visiting: a titled name before the act, a known person's name,
    or a pronoun / "the secretary" pointing back to the last official of the article."""
    text = view.text
    before = text[:act_start]
    titled = [(s, e, p) for s, e, p in view.titled_people() if s < act_start]
    if titled:
        person = titled[0][2]  # the subject: the first official named before the act
        view.article.remember(person)
        return view.article.find_person(person.name) or person
    for s, e, name in reversed(view.persons):
        if s < act_start:
            known = view.article.find_person(name)
            if known is not None:
                return known
    m = LOWER_TITLE.search(before)
    if m:
        return view.article.last_person(m.group("title").split()[-1])
    if PRONOUN.search(before[-60:] if len(before) > 60 else before):
        return view.article.last_subject or view.article.last_person()
    # A named person without a title, in a diplomatic context ("John Kerry arrives Moscow
    # today to seek closer cooperation"): an official whose title the article may not give.
    if _DIPLOMATIC.search(view.text):
        for s, e, name in reversed(view.persons):
            if s < act_start:
                return Person(name, "official", None, None)
    return None


_DIPLOMATIC = re.compile(
    r"\b(?:talks|cooperation|diplomat\w*|summit|negotiat\w+|ceasefire|minister|ministry|president|prime\s+minister|secretary|envoy|bilateral"
    r"|delegation|officials?|counterpart|treaty|sanctions|security|defen[cs]e|foreign\s+policy|peace|war|embassy|state\s+visit|official\s+visit)\b",
    re.I,
)


def _destinations(view: SentenceView, visitor: Person | None) -> list[tuple[str, str | None]]:
    """The places visited: the places after the visit verb that are not the visitor's home
    ("He will travel on to Cairo and Doha" gives two)."""
    m = _VISIT_ACT.search(view.text)
    if not m:
        return []
    out: list[tuple[str, str | None]] = []
    candidates = []
    for s, e, place in view.places:
        if s >= m.start("verb"):
            candidates.append(place)
    if not candidates:
        dest = m.group("dest")
        place = P.resolve_place(dest)
        actor = A.resolve_actor(dest)
        if place is not None:
            candidates.append(place)
        elif actor is not None and actor.kind == "country":
            return [(actor.canonical, actor.iso3)]
    last_end = None
    for s, e, place in [(s, e, p) for s, e, p in view.places if s >= m.start("verb")] or [(m.start("dest"), m.end("dest"), c) for c in candidates]:
        if visitor is not None and visitor.iso3 and place.iso3 == visitor.iso3:
            continue
        if last_end is not None and not _CONJOINED.match(view.text[last_end:s]):
            break  # only the destination and places listed with it ("Cairo and Doha")
        if not (any(place.iso3 == c for _, c in out) and place.kind == "country"):
            out.append((place.name, place.iso3))
        last_end = e
    return out


_CONJOINED = re.compile(r"^\s*(?:(?:on\s+|this\s+|next\s+)?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\s*)?(?:,|and|,\s*and|then|before|after|,\s*then)\s*(?:then\s+)?(?:(?:travel(?:l?ing)?|head(?:ing)?|go(?:ing)?|mov(?:e|ing))\s+)?(?:on\s+)?(?:to\s+|in\s+)?(?:the\s+)?$", re.I)


def _status(text: str) -> str:
    for status, pattern in _STATUS:
        if pattern.search(text):
            return status
    return "occurred"


def extract(view: SentenceView) -> list[dict]:
    text = view.text
    for _, _, person in view.titled_people():
        view.article.remember(person)
    m = _VISIT_ACT.search(text)
    if not m or not TRIGGER.search(text):
        return []
    if re.search(r"\bvisit(?:ed|s|ing)?\s+(?:the\s+)?(?:website|site|page|store|shop|museum|zoo|park|beach|hospital\s+to\s+see)\b", text, re.I):
        return []
    visitor = _visitor(view, m.start())
    by = _VISIT_BY.search(text)
    if by:  # "a two-day visit to Belgrade by French President Emmanuel Macron"
        after = [p for s, e, p in view.titled_people() if s >= by.end()]
        visitor = after[0] if after else visitor
    if visitor is None or visitor.title is None:
        return []
    destinations = _destinations(view, visitor)
    if not destinations:
        return []
    host = None
    hm = _HOST.search(text)
    if hm:
        host = hm.group("host").strip()
        if host.split()[0] in ("the", "The") or A.resolve_actor(host) is not None and len(host.split()) == 1:
            host = host if host.lower().startswith(("his", "her", "their")) else None
    purpose = None
    pm = _PURPOSE.search(text)
    if pm:
        purpose = pm.group(0).strip()
    visitors = [visitor]
    view.article.last_subject = visitor
    cp = _COUNTERPART.search(text)
    if cp and cp.start() < m.start():  # "Safadi and his Egyptian counterpart Badr Abdelatty arrived"
        other = A.resolve_actor(cp.group("dem"))
        visitors.append(Person(cp.group("name"), visitor.title, other.iso3 if other else None, other.canonical if other else None))
    return [{
        "visitor": visitor.name,
        "visitor_role": visitor.title,
        "visitor_country": visitor.iso3,
        "destination": destination,
        "destination_country": dest_country,
        "host": host if i == 0 else None,
        "purpose": purpose,
        "status": _status(text),
        "_actor_names": (visitor.name,),
        "_confidence": 0.85 if visitor.iso3 and dest_country else 0.65,
    } for visitor in visitors for i, (destination, dest_country) in enumerate(destinations)
        if not (visitor.iso3 and visitor.iso3 == dest_country)]


def mergeable(first: dict, later: dict) -> bool:
    """The same visitor (by surname) to the same country, reported twice in one article."""
    same_person = (first["visitor"] or "").split()[-1:] == (later["visitor"] or "").split()[-1:]
    return same_person and first["destination_country"] == later["destination_country"]


def is_candidate(text: str) -> bool:
    """Cheap filter before parsing: may this sentence report a visit?"""
    return bool(TRIGGER.search(text)) and bool(_VISIT_ACT.search(text))


def assemble(rows: list[dict], view_a, sentences, docs) -> list[dict]:
    """An article's visit rows (already finished with evidence, dates and certainty): plans
    recognised by their date, then the mentions of one visit merged."""
    from pipelines.assemble import merge_mentions

    for r in rows:  # "He flies to Israel on Friday", said on Wednesday, is a plan
        if r["status"] == "occurred" and r.get("event_date") and view_a.published_at and r["event_date"] > view_a.published_at.date():
            r["status"] = "planned"
    return merge_mentions(rows, mergeable)
