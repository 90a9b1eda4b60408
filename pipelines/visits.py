"""Diplomatic and official visits: who visited where, whom they met, why, and whether it
happened, is happening, is planned or was cancelled.

Roles come from the dependency parse of the sentence, around the words that report a visit
(data/lexicon/visit_triggers.csv, each with its frame):

- travel / arrive: the visitor is the subject ("X travelled to Y", "X arrived in Y", "X visited
  Y"; a shared subject of coordinated verbs and of "is due to / set to / expected to" counts),
  the destination the object or the "to/in/into/at" phrase;
- meet: "X met / held talks with H in Y": the host is the one met; a visit only when Y is
  abroad for X (when the host is the foreigner, the roles are the other way round);
- host: "H hosted / welcomed / received X (in Y)": the subject is the host, never a visitor; in
  the passive ("X was received by H") the subject is the visitor;
- stay: "X is in Y for talks", "X is due in Y";
- noun: "X's visit to Y", "a visit to Y by X", "the visit here of X", "the Tokyo trip"; without
  a visitor of its own, the subject of the verb it depends on ("X paid a visit to", "X is on a
  trip to"), or, for "the trip" / "his tour", the article's last visitor;
- attend: "X attended / will attend the summit in Y".

Several visitors (conjoined subjects, "the leaders of A, B and C") and several destinations
("a tour of A, B and C", "visits to A and B", "travels to A, followed by B") give one row per
(visitor, destination). The destination is the most specific place named for the visit: a
city in the destination country named in the same sentence ("arrived in Japan ... in Tokyo")
replaces the country. The visitor must be an official (pipelines/people.py resolves titles,
names met earlier in the article, "the minister", "he"); the visitor's own country is never the
destination. The host is the official met ("met H", "talks with H", "his counterpart H",
"hosted by H", "at the invitation of H"); a host named in a later sentence ("In Tokyo he will
meet H") is given to the visit in `assemble`.

Status: "called off / cancelled / postponed" a visit -> cancelled; will / is due / plans / is
set to / is expected to / a planned visit -> planned; "arrived", "landed", "is in Y", "is on a
visit", "is visiting", present tense -> ongoing; past -> occurred; a date after publication
makes a plan (`assemble`). Senses that are not visits (data/lexicon/visit_not_senses.csv):
tourists and fans, a website, a virtual summit, a phone call, a leader touring the flood areas
of his own country; "a possible visit" is speculation, not a fact.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipelines import actors as A
from pipelines import lexicon as L
from pipelines import people as PP
from pipelines import places as P
from pipelines import syntax as X
from pipelines.context import Person, SentenceView

# ---------------------------------------------------------------------------------------------
# lexicons
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _triggers() -> dict[tuple[str, str], tuple[str, str]]:
    """(lemma, pos) -> (frame, status)."""
    return {(r["lemma"].lower(), r["pos"].lower()): (r["frame"], r["status"]) for r in L.rows("visit_triggers")}


@lru_cache(maxsize=1)
def _status_words() -> dict[tuple[str, str], str]:
    return {(r["word"].lower(), r["where"].lower()): r["status"] for r in L.rows("visit_status_words")}


@lru_cache(maxsize=1)
def _not_senses() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for r in L.rows("visit_not_senses"):
        out.setdefault(r["where"].lower(), set()).add(r["word"].lower())
    return {k: frozenset(v) for k, v in out.items()}


# The cheap filter run on every sentence: a visit word, and an official or a name to do it.
_WHO = r"(?:by\s+)?(?:the\s+|his\s+|her\s+|their\s+)?(?:(?-i:[A-Z])|visiting\b|(?:[\w-]+\s+)?(?:counterpart|president|minister|emir|king|leader|delegation|premier|chancellor|sultan|prince|envoy|secretary))"
TRIGGER = re.compile(
    r"\b(?:(?:visit(?:s|ed|ing)?|arriv(?:ed|es|ing|al)|land(?:ed|s|ing)\s+(?:in|at)|travel(?:l?ed|l?ing|s)?|flew|flies|fly(?:ing)?"
    r"|head(?:s|ed|ing)?\s+(?:to|for)|went\s+to|goes\s+to|trips?|tours?|toured|touring|stops?\s+in|stopover|due\s+(?:in|to\s+(?:meet|hold|sign|visit|travel|attend|arrive|fly))|talks\s+(?:with|in)"
    r"|attend(?:s|ed|ing)?|left\s+for|leaves\s+for|journey|reached|pull(?:s|ed|ing)?\s+out|withdr[ae]w\w*|skip(?:s|ped|ping)?"
    r"|leav(?:e|es|ing)\s+(?:for|on)|(?:lead|leads|leading|led|head(?:s|ed|ing)?)\s+(?:an?\s+|the\s+|his\s+|her\s+|their\s+)?(?:[\w-]+\s+){0,3}(?:delegation|mission)"
    r"|tak(?:e|es|ing)\s+(?:him|her|them)\s+to|took\s+(?:an?\s+)?(?:[\w-]+\s+)?(?:train|flight|plane|helicopter))\b"
    r"|going\s+to\s+(?-i:[A-Z])|(?:is|are|was|were|be)\s+(?:due\s+)?in\s+(?-i:[A-Z])|(?:met|meets?|meeting)\s+(?:\w+ly\s+)?(?:with\s+)?" + _WHO +
    r"|(?:was|were|is|are|been|being)\s+(?:\w+ly\s+)?(?:hosted|welcomed|received|greeted)\b"
    r"|(?:hosted|hosts|hosting|welcomed|welcomes|received|receives|greeted|greets)\s+" + _WHO + r")",
    re.I,
)
_OFFICIAL_HINT = re.compile(
    r"\b(?:[Mm]inister|[Ss]ecretary|[Pp]resident|[Pp]remier|[Cc]hancellor|[Kk]ing|[Qq]ueen|[Ee]mir|[Ss]ultan|[Pp]rince|Sheikh|[Ee]nvoy"
    r"|[Aa]mbassador|[Dd]iplomat|[Gg]eneral|Gen\.|[Cc]hief|[Hh]ead|[Ll]eaders?|[Cc]ommissioner|[Dd]elegation|[Ss]enator"
    r"|[Ss]peaker|PM|He|he|She|she|They|they|[A-Z][a-z]+['’]s\s+(?:visit|trip|tour|arrival)"
    r"|(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir)\s+(?:[\w-]+\s+)?(?:trip|tour|visit|journey))(?!\w)"
)
_NAME_ACT = re.compile(
    r"\b[A-Z][\w'’-]+\s+(?:(?:will|is\s+to|is\s+set\s+to|is\s+expected\s+to|plans\s+to|has|had|also|then|later|is|was)\s+)?(?:arriv\w*|land\w*|visit\w*|travel\w*|fl(?:ew|y|ies|ying)"
    r"|met|meet\w*|head\w*|went|goes|go|toured|tours?|due|hosted|hosts?|welcom\w*|receiv\w*|held\s+talks|attend\w*|left\s+for)\b")


def is_candidate(text: str) -> bool:
    """Cheap filter before parsing: may this sentence report a visit?"""
    return bool(_NAME_ACT.search(text) or _OFFICIAL_HINT.search(text)) and bool(TRIGGER.search(text))  # cheapest first


# ---------------------------------------------------------------------------------------------
# the parse
# ---------------------------------------------------------------------------------------------

_POS = {"VERB": "verb", "AUX": "verb", "NOUN": "noun", "PROPN": "noun", "ADJ": "adj"}
_PLACE_PREPS = {"to", "in", "into", "at", "for", "toward", "towards", "inside"}
_MEETING_NOUNS = {"summit", "meeting", "talks", "conference", "forum", "ceremony", "celebration", "celebrations",
                  "parade", "session", "gathering", "talk", "commemoration", "funeral", "inauguration", "meetings", "discussions",
                  "consultations", "negotiations", "dialogue", "signing"}
_INTENT_NOUNS = {"invitation", "plan", "decision", "offer", "bid", "intention", "promise", "pledge", "proposal", "request"}
_DELEGATIONS = {"delegation", "mission", "team"}
_VEHICLES = {"train", "flight", "plane", "helicopter", "boat", "ship", "jet", "ferry", "car", "motorcade"}
_HOST_NOUNS = {"talks", "talk", "meeting", "meetings", "discussions", "consultations", "negotiations", "summit", "dialogue", "audience", "call"}
_RELATIVE = {"who", "that", "which"}
_HOST_VERBS = {"host", "welcome", "receive", "greet", "invite"}
_VISIT_NOUNS = {"visit", "trip", "tour", "stop", "leg", "journey", "stopover"}
_CONTROL_VERBS = {"invite", "ask", "urge", "allow", "encourage", "persuade"}
_TRAVEL_PRESENT_PLANNED = {"travel", "fly", "head", "go", "leave", "depart", "include"}
_LEVEL_RANK = {2: 0, 3: 1, 1: 2, 4: 3, 5: 4, 6: 5}


def _trigger_of(tok) -> tuple[str, str] | None:
    pos = _POS.get(tok.pos_)
    if pos is None:
        return None
    lemma = tok.lemma_.lower()
    hit = _triggers().get((lemma, pos))
    if hit is None and pos == "noun":
        hit = _triggers().get((tok.lower_, pos))
    if hit is None and pos == "verb" and tok.lower_ in ("visit", "visits", "visited", "visiting"):
        hit = _triggers().get(("visit", "verb"))
    if hit is None:
        return None
    frame = hit[0]
    if frame == "meet" and lemma == "hold":
        if not any(c.dep_ == "dobj" and c.lemma_.lower() in _HOST_NOUNS for c in tok.children):
            return None  # "held a news conference", "held the city"
    if frame == "stay" and lemma == "be":
        if not any(c.dep_ == "prep" and c.lower_ == "in" for c in tok.children):
            return None
        if any(c.dep_ in ("acomp", "attr") for c in tok.children):
            return None  # "is in charge", "was in talks"
    return hit


def _subjects(tok) -> list:
    """Subjects of a verb or adjective: its own, a governor's for "is due to visit", "due" as
    the complement of "is", a participle's head noun ("Macron arriving in ..."), a relative
    clause's antecedent ("X, who is on a visit to")."""
    if tok.dep_ == "acomp" and not any(c.dep_.startswith("nsubj") for c in tok.children):
        tok = tok.head
    if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in _CONTROL_VERBS and not any(c.dep_.startswith("nsubj") for c in tok.children):
        objs = X.objects(tok.head)
        if objs:  # "invited X to visit": X visits
            return objs
    subs = X.subjects(tok)
    if not subs and tok.dep_ in ("xcomp", "acomp") and tok.head.i != tok.i:
        return _subjects(tok.head)  # "is due to hold talks", "is expected to travel"
    out = []
    for s in subs:
        if s.lower_ in _RELATIVE and s.head.dep_ == "relcl":
            out.append(s.head.head)
        else:
            out.append(s)
    if not out and tok.dep_ == "acl" and tok.head.lemma_.lower() in _INTENT_NOUNS and tok.head.head.i != tok.head.i:
        gov = tok.head.head  # "accepted an invitation to make a visit", "announced plans to visit"
        if gov.pos_ == "ADP":
            gov = gov.head
        if gov.lemma_.lower() in _HOST_VERBS and not _is_passive(gov):
            return X.objects(gov)
        return _subjects(gov) if gov.pos_ in ("VERB", "AUX") else []
    if not out and tok.dep_ in ("acl", "relcl") and tok.head.pos_ == "PROPN":
        out = X.conjuncts(tok.head)
    if not out and tok.dep_ == "advcl" and tok.tag_ == "VBG":  # "..., arriving in X on Monday"
        out = X.subjects(tok.head)
    if not out and tok.dep_ == "pcomp" and tok.head.head.pos_ in ("VERB", "AUX"):  # "..., before travelling to X"
        out = _subjects(tok.head.head)
    return out


def _is_passive(tok) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass", "agent") for c in tok.children) or (tok.tag_ == "VBN" and tok.dep_ == "acl")


_PLACE_HEADS = {"capital", "city", "town", "port", "palace", "house", "airport", "residence", "headquarters", "base",
                "village", "province", "region", "state", "island", "islands", "country", "nation"}


def _np_core(tok, is_place=lambda t: t.pos_ == "PROPN") -> list:
    """The tokens of a place noun phrase: the head, its appositions and "of X" / "in X" ("the
    Egyptian capital Cairo", "the presidential palace in Cairo"); its compounds and modifiers
    only when the head is a name or a place noun ("the India-Brazil summit" names no place)."""
    out = [tok]
    stack = [tok]
    while stack:
        t = stack.pop()
        placeish = is_place(t) or t.lemma_.lower() in _PLACE_HEADS
        for c in t.children:
            if (c.dep_ in ("compound", "amod", "nmod", "poss", "npadvmod") and placeish) or c.dep_ == "appos" \
                    or (c.dep_ == "pobj" and t.lower_ in ("of", "in")) \
                    or (c.dep_ == "prep" and c.lower_ in ("of", "in") and t.pos_ in ("NOUN", "PROPN")):
                out.append(c)
                stack.append(c)
    return out


class _Sentence:
    """Per-sentence caches: place mentions by token."""

    def __init__(self, view: SentenceView):
        self.view = view
        self.doc = view.doc
        self.mentions = [m for m in view.place_mentions if m.iso3 or m.place is not None]
        self.by_token: dict[int, list] = {}
        for m in self.mentions:
            for t in self.doc:
                if m.start <= t.idx < m.end or t.i == m.head:
                    self.by_token.setdefault(t.i, []).append(m)

    def places_of(self, tok) -> list:
        """Place mentions of the noun phrase headed by `tok`, most specific first: a town before
        a district, a site ("the palace in Cairo": Cairo first), a region or a country; the
        name of "the port city of X" before the words around it; no continents or regions."""
        found = []
        core = _np_core(tok, lambda t: t.i in self.by_token)
        for t in core:
            for m in self.by_token.get(t.i, []):
                if m in found or _is_region(m.text) or _is_region(m.key):
                    continue
                if m.place is None or m.place.kind != "country":
                    iso3 = A.country_iso3(m.key)
                    if iso3 is not None and A.country_by_name(m.key) is None and P.resolve_place(m.key) is None or \
                            iso3 is not None and m.text.split()[-1].lower() == "capital":
                        cap = _capital_of(iso3)  # "the Egyptian capital", "Ukraine's capital"
                        if cap is not None and not any(x.level <= 2 and x.text != m.text for x in self.by_token.get(t.i, [])):
                            found.append(cap)
                        continue
                found.append(m)
        if not found:
            for t in core:
                m = self._gazetteer_only(t)
                if m is not None:
                    found.append(m)
                    break
        named = {id(m) for m in found if m.head >= 0 and self.doc[m.head].dep_ == "pobj" and self.doc[m.head].head.lower_ == "of"}

        def rank(m):
            water = m.place is not None and m.place.kind in ("sea", "strait", "water")
            unresolved = m.place is None and not isinstance(m, _Capital)
            return (water, _LEVEL_RANK.get(m.level, 9), unresolved, id(m) not in named, m.start)

        out = sorted(found, key=rank)
        capital = self._demonym_capital(tok)
        if capital is not None and (not out or out[0].level >= 5):
            return [capital]
        return out

    def _gazetteer_only(self, tok):
        """A proper noun the place mentions left out ("visited Budapest" parsed as a modifier):
        a country, a capital or a place the gazetteer knows, unless the model calls it a person."""
        if tok.pos_ != "PROPN" or tok.ent_type_ in ("PERSON", "ORG", "NORP"):
            return None
        lo = min(t.idx for t in tok.subtree if t.dep_ == "compound" or t.i == tok.i)
        text = self.doc.text[lo:tok.idx + len(tok.text)]
        if _is_region(text):
            return None
        actor = A.resolve_actor(text)
        if actor is not None and actor.kind == "country" and actor.iso3:
            place = P.resolve_place(text)
            level = 5 if A.country_by_name(text) is not None else 2
            return _Capital(text, actor.iso3, level)
        if tok.ent_type_ in ("GPE", "LOC", "FAC"):
            place = P.resolve_place(text)
            if place is not None and place.iso3:
                return _Capital(text, place.iso3, 5 if place.kind == "country" else 2)
        return None

    def _demonym_capital(self, tok):
        """"the Iranian capital", "the Egyptian capital" with no name: that country's capital."""
        if tok.lemma_.lower() != "capital" or any(c.dep_ == "appos" or (c.dep_ == "compound" and c.pos_ == "PROPN")
                                                   for c in tok.children):
            return None
        for c in tok.children:
            if c.dep_ in ("amod", "poss", "compound"):
                iso3 = A.country_iso3(c.text)
                country = _country_row(iso3) if iso3 else None
                if country is not None and country.capital:
                    return _Capital(country.capital, iso3)
        return None


class _LazySentence:
    """_Sentence built on first use."""

    def __init__(self, view: SentenceView):
        self._view = view
        self._sent = None

    def __getattr__(self, name):
        if self._sent is None:
            self._sent = _Sentence(self._view)
        return getattr(self._sent, name)


class _Capital:
    """A place the parse's mentions do not give: a capital named only by its country's
    adjective ("the Iranian capital"), or a name found by the gazetteer alone."""
    place = None
    parent = None
    role = "at"

    def __init__(self, name: str, iso3: str, level: int = 2):
        self.text = name
        self.key = name
        self.iso3 = iso3
        self.level = level
        self.start = -1
        self.head = -1


def _capital_of(iso3: str):
    country = _country_row(iso3)
    if country is None or not country.capital:
        return None
    return _Capital(country.capital, iso3)


@lru_cache(maxsize=None)
def _country_row(iso3: str):
    for c in A.countries():
        if c.iso3 == iso3:
            return c
    return None


@lru_cache(maxsize=4096)
def _is_region(text: str) -> bool:
    words = [w for w in re.sub(r"^(?:the|The)\s+", "", text).lower().split()
             if not re.fullmatch(r"(?:north|south|east|west|central|far|upper|lower)(?:ern|-?east(?:ern)?|-?west(?:ern)?)?", w)]
    return " ".join(words) in _not_senses().get("region", frozenset())


# ---------------------------------------------------------------------------------------------
# roles
# ---------------------------------------------------------------------------------------------

def _destination_heads(tok, frame: str) -> list:
    """Noun-phrase heads that may name where the visit goes, with conjuncts."""
    heads = []
    lemma = tok.lemma_.lower()
    preps = set(_PLACE_PREPS)
    if frame in ("travel", "arrive") and lemma not in ("leave", "depart", "head"):
        preps.discard("for")
    if frame == "noun":
        preps = {"to", "in", "of", "at", "into"}
    for prep, obj in X.prep_objects(tok):
        word = prep.split()[-1]
        if word in preps or prep in ("on to", "onward to", "out to"):
            heads.append(obj)
    for c in tok.children:  # "to Saudi Arabia on Tuesday and to Qatar on Wednesday"
        if c.dep_ == "prep":
            for cc in c.children:
                if cc.dep_ == "conj" and cc.pos_ == "ADP" and cc.lower_ in preps:
                    heads.extend(x for g in cc.children if g.dep_ == "pobj" for x in X.conjuncts(g))
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("on", "onward", "onwards") and not any(g.dep_ == "pobj" for g in c.children):
            for g in c.children:  # "travel on to X" parsed as on -> to
                if g.dep_ == "prep" and g.lower_ == "to":
                    heads.extend(x for x in X.conjuncts(next((h for h in g.children if h.dep_ == "pobj"), g)) if x.i != g.i)
        if c.dep_ == "advmod" and c.lower_ == "on":
            for g in c.children:
                if g.dep_ == "prep" and g.lower_ == "to":
                    heads.extend(X.conjuncts(next((h for h in g.children if h.dep_ == "pobj"), g)))
    if frame in ("travel", "arrive") and lemma in ("visit", "tour", "reach", "stop"):
        heads.extend(X.objects(tok))
        heads.extend(x for c in tok.children if c.dep_ == "npadvmod" and c.pos_ == "PROPN" for x in X.conjuncts(c))
    if frame == "noun":
        for c in tok.children:
            if c.dep_ in ("compound", "nmod", "amod") and c.pos_ == "PROPN":
                heads.append(c)  # "the Tokyo trip", "his Morocco visit"
            if c.dep_ == "poss" and c.pos_ == "PROPN":
                heads.append(c)  # "Moscow's visit" is a place only when the gazetteer says so
    return heads


def _here(view: SentenceView, tok) -> bool:
    return any(c.lower_ == "here" and c.dep_ in ("advmod", "npadvmod") for c in tok.children)


def _where_antecedent(tok):
    """"travelled to Kyiv, where they met ...": the place a relative "where" clause hangs on."""
    t = tok
    for _ in range(3):
        if any(c.lower_ == "where" and c.dep_ == "advmod" for c in t.children) and t.dep_ == "relcl":
            return t.head
        if t.dep_ in ("conj", "xcomp", "aux") and t.head.i != t.i:
            t = t.head
            continue
        break
    return None


def _visitor_tokens(tok, frame: str) -> list:
    if frame == "host":
        return X.subjects(tok) if _is_passive(tok) else X.objects(tok)
    if frame == "noun":
        return []
    return _subjects(tok)


def _with_objects(tok) -> list:
    """Objects of "with" inside the clause of a meeting word, wherever the parse hung the "with"
    ("held talks at the palace with H", "talks with H in Y")."""
    out = []
    stack = list(tok.children)
    while stack:
        t = stack.pop()
        if t.dep_ in ("relcl", "advcl", "ccomp", "xcomp", "conj", "acl", "parataxis") or t.pos_ == "VERB":
            continue
        if t.dep_ == "prep" and t.lower_ == "with":
            for g in t.children:
                if g.dep_ == "pobj":
                    out.extend(X.conjuncts(g))
            continue
        stack.extend(t.children)
    return sorted(out, key=lambda t: t.i)


def _host_tokens(tok, frame: str) -> list:
    out = []
    if frame == "host":
        if _is_passive(tok):
            out.extend(X.agents(tok))
        else:
            out.extend(_subjects(tok))
    elif frame == "meet":
        for o in X.objects(tok):
            if o.lemma_.lower() not in _HOST_NOUNS:
                out.append(o)
        out.extend(w for w in _with_objects(tok) if w not in out)
    return out


def _sentence_host_tokens(doc, trig) -> list:
    """Host cues anywhere in the sentence: "to meet H", "talks with H", "counterpart H", "hosted
    by H", "at the invitation of H", "was received by H"."""
    out = []
    for t in doc:
        lemma = t.lemma_.lower()
        if t.pos_ in ("VERB", "AUX") and t.i != trig.i and (lemma == "meet" or lemma == "hold" and any(
                o.lemma_.lower() in _HOST_NOUNS for o in X.objects(t))):
            for o in X.objects(t):
                if o.lemma_.lower() not in _HOST_NOUNS:
                    out.append(o)
            out.extend(_with_objects(t))
        elif t.pos_ in ("NOUN", "PROPN") and lemma in _HOST_NOUNS:
            out.extend(_with_objects(t))
        elif lemma == "invitation":
            out.extend(obj for _, obj in X.prep_objects(t, {"of", "from"}))
        elif t.pos_ == "VERB" and lemma in ("host", "receive", "welcome", "greet", "invite") and _is_passive(t) and t.i != trig.i:
            out.extend(X.agents(t))
        elif t.pos_ == "VERB" and lemma in ("host", "welcome", "receive", "greet") and not _is_passive(t) and t.i != trig.i:
            out.extend(X.subjects(t))
        elif lemma == "counterpart":
            if t.head.pos_ == "PROPN" and t.dep_ in ("compound", "appos"):
                out.append(t.head)
            out.extend(c for c in t.children if c.dep_ == "appos")
            if t.dep_ in ("pobj", "dobj") and not any(c.dep_ == "appos" for c in t.children):
                out.append(t)
    return out


def _visitor_of_noun(view: SentenceView, tok, depth: int = 0) -> tuple[list[Person], bool]:
    """The visitor of a visit noun: its possessor ("X's visit"), "by X", "of X" (a person), else
    the subject of the verb it depends on ("X paid a visit", "X is on a trip to"), the object
    of a host verb ("welcomed X for a state visit"). The flag says whether a definite noun
    ("the trip", "his tour") may stand for the article's last visitor when nobody is named."""
    toks = []
    definite = any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "his", "her", "their") for c in tok.children)
    for c in tok.children:
        if c.dep_ == "poss":
            toks.extend(X.conjuncts(c))
    for prep, obj in X.prep_objects(tok, {"by", "of"}):
        if prep == "by" or (obj.pos_ == "PROPN" and A.resolve_actor(obj.text) is None and obj.ent_type_ not in ("GPE", "LOC", "FAC")):
            toks.append(obj)
    found = _persons(view, toks)
    if found or depth > 2:
        return found, definite and not toks
    t = tok
    for _ in range(4):
        if t.dep_ in ("dobj", "pobj", "attr", "nsubjpass", "appos", "npadvmod", "oprd", "conj", "compound", "prep"):
            t = t.head
            if t.pos_ == "ADP":
                t = t.head
            if t.pos_ in ("VERB", "AUX", "ADJ"):
                if t.lemma_.lower() in _HOST_VERBS and not _is_passive(t):
                    return _persons(view, X.objects(t)), False  # "welcomed X for a state visit"
                subs = [s for s in _subjects(t) if s.i != tok.i]
                inner = [s for s in subs if s.lemma_.lower() in _VISIT_NOUNS]
                if inner:  # "The trip will include visits to ...": the trip's visitor
                    return _visitor_of_noun(view, inner[0], depth + 1)
                if subs and not any(s.lower_ in ("it", "this", "that", "which") for s in subs):
                    return _persons(view, subs), definite
                return [], definite
            if t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() in _VISIT_NOUNS:
                return _visitor_of_noun(view, t, depth + 1)
            continue
        break
    return [], definite


def _persons(view: SentenceView, toks: list, exclude_names: set[str] = frozenset(), describe: bool = False) -> list[Person]:
    out = []
    fixed = []
    for t in toks:  # "FASANO, Italy (Wire) - X, Y and Z arrived": the parse took the dateline for the subject
        if t.idx < view.dateline_end:
            spans = sorted([(s, e) for s, e, _ in view.persons] + [(s, e) for s, e, _ in view.titled_people()])
            spans = [(s, e) for s, e in spans if s >= view.dateline_end]
            if spans:
                s0, e0 = spans[0]
                heads = [x for x in t.doc if s0 <= x.idx < e0 and not (s0 <= x.head.idx < e0 and x.head.i != x.i)]
                if heads and all(heads[0].i != f.i for f in fixed):
                    fixed.extend(X.conjuncts(heads[0]) if heads[0].dep_ != "conj" else [heads[0]])
        else:
            fixed.append(t)
    toks = fixed
    for t in toks:
        if t.idx < view.dateline_end:
            # "HANOI (Wire) - German Chancellor X arrived": the parse takes the dateline for the subject
            spans = sorted([(s, e) for s, e, _ in view.persons] + [(s, e) for s, e, _ in view.titled_people()])
            spans = [(s, e) for s, e in spans if s >= view.dateline_end]
            if not spans:
                continue
            s, e = spans[0]
            heads = [x for x in t.doc if s <= x.idx < e and not (s <= x.head.idx < e and x.head.i != x.i)]
            if not heads:
                continue
            t = heads[0]
        group = PP.leaders_of(view, t) if t.tag_ in ("NNS", "NNPS") else []
        if group:
            out.extend(group)
            continue
        if t.lower_ in ("they", "their", "them"):
            out.extend(q for q in view.article.notes.get("visit_last_visitors", []) if all(q.name != x.name for x in out))
            continue
        p = PP.person_at(view, t)
        if p is None and t.lower_ in ("he", "she", "his", "her", "him"):
            p = _pronoun_person(view)
        if p is None and describe and not any(c.dep_ == "det" and c.lower_ in ("a", "an", "another", "any") for c in t.children):
            p = PP.described(view, t)  # "the Saudi crown prince", "Taiwan's Vice Foreign Minister"
        if p is None and t.pos_ == "NOUN" and PP.title_kind(t.text) not in (None, "other") \
                and any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in t.children):
            p = view.article.notes.get("visit_last_visitor")  # "the commissioner met ...": the visit's official
        if p is not None and p.name not in exclude_names and all(p.name != q.name for q in out):
            if p.title and not PP.is_described(p):
                view.article.remember(p)
            out.append(p)
    return out


def _pronoun_person(view: SentenceView) -> Person | None:
    """"He", "she": the official who was the subject of the last parsed sentence, else the
    article's last visitor, else its last official named before this sentence."""
    for key in ("people_last_actor", "visit_last_visitor"):
        last = view.article.notes.get(key)
        if last is not None:
            return last
    for p in reversed(view.article.people):
        if PP.is_official(p) and p.name.split()[-1] not in view.text:
            return p
    return None


# ---------------------------------------------------------------------------------------------
# status
# ---------------------------------------------------------------------------------------------

def _governor_status(tok) -> str | None:
    """Status set by the words a visit word depends on ("called off his trip", "plans to visit",
    "is scheduled to include visits", "scrapped planned stops": cancelled wins over the plan),
    or by its modifiers ("a planned visit", "a possible trip": hedge)."""
    words = _status_words()
    found: list[str] = []
    t = tok
    for _ in range(6):
        for c in t.children:
            if c.dep_ in ("amod", "advmod", "compound", "npadvmod") and (c.lower_, "modifier") in words:
                if t.i == tok.i or t.pos_ in ("NOUN", "PROPN"):
                    found.append(words[(c.lower_, "modifier")])
            if c.dep_ == "aux" and c.lower_ in ("will", "'ll", "shall", "wo"):
                found.append("planned")
            if c.dep_ == "neg" and t.pos_ in ("VERB", "AUX"):
                found.append("negated")
        if t.i != tok.i:
            lemma = t.lemma_.lower()
            status = words.get((lemma, "governor"))
            if status == "cancelled" and lemma in ("call", "put", "pull", "cut"):
                prt = {c.lower_ for c in t.children if c.dep_ in ("prt", "advmod", "prep")}
                status = "cancelled" if prt & {"off", "out", "short"} else None
            if status == "planned" and lemma == "announce":
                status = None
            if status:
                found.append(status)
            if t.pos_ == "ADP" and t.lower_ in ("ahead", "before", "prior"):
                found.append("planned")
            elif t.pos_ == "ADP" and t.lower_ == "after" and t.head.i != tok.i:
                found.append("occurred")  # "arrived in Amman after a stop in Cairo"
        if t.lower_ == "ahead" or any(c.lower_ == "ahead" and c.dep_ in ("advmod", "prep") for c in t.children if t.i != tok.i):
            found.append("planned")
        if t.dep_ in ("xcomp", "dobj", "pobj", "prep", "acomp", "ccomp", "conj", "nsubjpass", "nsubj", "attr", "compound", "pcomp", "acl") \
                and t.head.i != t.i or (t.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)):
            if t.dep_ == "nsubj" and t.head.pos_ in ("VERB", "AUX") and t.head.lemma_.lower() not in ("be", "include"):
                # "Shoigu's trip to Pyongyang comes as ...": the trip is under way now
                found.append(_tense_status(t.head, default=None) or "")
                break
            t = t.head
            continue
        break
    for status in ("negated", "hedge", "cancelled", "planned"):
        if status in found:
            return status
    return next((f for f in found if f), None)


def _tense_status(verb, default: str | None) -> str | None:
    tag = verb.tag_
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    aux_words = {a.lower_ for a in auxes}
    if aux_words & {"will", "'ll", "shall"}:
        return "planned"
    if tag == "VBG":
        if aux_words & {"is", "are", "'s", "'re", "am", "was", "were"}:
            return "ongoing"  # "is visiting", "were visiting"
        return "ongoing" if not aux_words else default
    if tag in ("VBZ", "VBP"):
        return "planned" if verb.lemma_.lower() in _TRAVEL_PRESENT_PLANNED else "ongoing"
    if tag in ("VBD", "VBN"):
        return "occurred"
    if tag == "VB" and aux_words & {"to"}:
        return default
    return default


def _status(view: SentenceView, tok, frame: str, word_status: str) -> str | None:
    """The status of the visit reported by trigger `tok`; None when the visit did not happen
    and is not planned ("did not travel") or is only speculated about ("a possible visit")."""
    gov = _governor_status(tok)
    if gov == "negated" or gov == "hedge" or X.hypothetical(tok) == "condition":
        return None  # "a possible visit", "did not travel", "unclear whether the trip will include a stop in X"
    year = view.article.year
    if year and any(c.like_num and len(c.text) == 4 and c.text.isdigit() and int(c.text) < year for c in tok.children):
        return None  # "the 2011 state visit": history, not news
    if gov in ("cancelled", "planned"):
        return gov
    hyp = X.hypothetical(tok)
    if hyp == "condition":
        return None
    if hyp in ("modal", "intent"):
        return "planned"
    if gov in ("ongoing", "occurred"):
        return gov
    if frame == "noun":
        verb = X.clause_verb(tok)
        if verb.i == tok.i:
            return "occurred"
        vframe = _trigger_of(verb)
        if vframe is not None and vframe[1] in ("ongoing", "planned") and verb.lemma_.lower() != "be":
            base = _tense_status(verb, None)
            return "planned" if base == "planned" else vframe[1]
        if verb.lemma_.lower() == "be" and any(c.dep_ == "prep" and c.lower_ == "on" for c in verb.children):
            return _tense_status(verb, "ongoing") if verb.tag_ not in ("VBD",) else "ongoing"
        return _tense_status(verb, "occurred") or "occurred"
    if word_status in ("planned", "cancelled"):
        return word_status
    base = _tense_status(tok, None)
    if word_status == "ongoing":
        return "planned" if base == "planned" else "ongoing"
    if frame == "stay":
        return "planned" if base == "planned" else "ongoing"
    return base or "occurred"


# ---------------------------------------------------------------------------------------------
# extraction
# ---------------------------------------------------------------------------------------------

_PURPOSE = re.compile(
    r"\b(?:to\s+(?:discuss|seek|press|push|secure|negotiate|sign|review|strengthen|boost|shore\s+up|bolster|reassure|mediate|rally|coordinate|talk\s+about|hold\s+talks\s+on|attend)|for\s+talks\s+on|aimed\s+at|on\s+a\s+mission\s+to)\s+(?P<purpose>[^.;]{3,120}?)(?=[,.;]|\s+(?:on|after|before|amid|as|in\s+a)\b|$)",
    re.I,
)


def _not_sense(doc, toks, where: str) -> bool:
    words = _not_senses().get(where, frozenset())
    for t in toks:
        for x in t.subtree:
            if x.lower_ in words or x.lemma_.lower() in words:
                return True
    return False


def _meeting_not_in_person(doc) -> bool:
    words = _not_senses().get("meeting", frozenset())
    return any(t.lower_ in words for t in doc)


def _place_row(m) -> tuple[str, str | None]:
    text = re.sub(r"^(?:the|The)\s+", "", m.text)
    return text, m.iso3


def _refine(sent: _Sentence, m, used: list):
    """A country destination made specific by a city of that country named in the sentence."""
    if m.level < 5:
        return m
    cities = [c for c in sent.mentions if c.level <= 3 and c.iso3 == m.iso3 and c.role not in ("exclude",) and c not in used
              and not (c.place is not None and c.place.kind == "country") and not _is_region(c.text) and not _is_region(c.key)
              and not _is_region(c.text.split()[0])]
    if not cities:
        return m
    return min(cities, key=lambda c: (c.level, c.place is None, abs(c.start - m.start)))


def _dateline_place(view: SentenceView):
    place = P.resolve_place(view.article.dateline) if view.article.dateline else None
    return place


def _frames(view: SentenceView) -> list[dict]:
    doc = view.doc
    found = []
    for tok in doc:
        hit = _trigger_of(tok)
        if hit is None:
            continue
        frame, word_status = hit
        lemma = tok.lemma_.lower()
        visitors_t, hosts_t, dest_heads = [], [], []
        noun_visitors, use_last = [], False
        if frame == "take":  # "took an overnight train to X", "a tour that will take him to X"
            objs = X.objects(tok)
            if any(o.lemma_.lower() in _VEHICLES for o in objs):
                visitors_t = _subjects(tok)
            elif objs and objs[0].pos_ in ("PRON", "PROPN"):
                visitors_t = objs[:1]
            else:
                continue
            dest_heads = [obj for prep, obj in X.prep_objects(tok) if prep.split()[-1] in ("to", "into")]
            found.append({"tok": tok, "frame": "travel", "word_status": word_status, "visitors_t": visitors_t,
                          "noun_visitors": [], "use_last": False, "hosts_t": [], "dest_heads": dest_heads, "here": False})
            continue
        if frame == "travel" and any(c.dep_ == "prep" and c.lower_ == "into" for c in tok.children):
            frame, word_status = "arrive", "ongoing"  # "flew into X on Monday"
        if frame == "lead" or lemma == "head" and any(o.lemma_.lower() in _DELEGATIONS for o in X.objects(tok)):
            objs = [o for o in X.objects(tok) if o.lemma_.lower() in _DELEGATIONS]
            if not objs:
                continue
            heads = [obj for prep, obj in X.prep_objects(tok) + [p for o in objs for p in X.prep_objects(o)] if prep in ("to", "in")]
            found.append({"tok": tok, "frame": "travel", "word_status": word_status, "visitors_t": _subjects(tok),
                          "noun_visitors": [], "use_last": False, "hosts_t": [], "dest_heads": heads, "here": False})
            continue
        if frame in ("noun", "talks"):
            noun_visitors, use_last = _visitor_of_noun(view, tok)
        else:
            visitors_t = _visitor_tokens(tok, frame)
        hosts_t = _host_tokens(tok, frame)
        if frame == "talks":
            hosts_t = _with_objects(tok)
            if not hosts_t:
                continue  # "a day after talks in X" without the one met: a mention of the trip, not a visit report
            dest_heads = [obj for _, obj in X.prep_objects(tok, {"in", "at"})]
            if tok.dep_ == "dobj" and tok.head.lemma_.lower() == "hold":
                continue  # "held talks with H in Y" is the verb's frame
        elif frame == "attend":
            objects = X.objects(tok)
            if lemma in ("pull", "withdraw"):  # "pulled out of the summit in X", "withdrew from the summit"
                objects = [obj for prep, obj in X.prep_objects(tok, {"of", "from"})]
                if lemma == "pull":
                    if not any(c.lower_ == "out" for c in tok.children):
                        continue
                    objects += [obj for c in tok.children if c.lower_ == "out" for _, obj in X.prep_objects(c, {"of"})]
            for o in objects + [obj for _, obj in X.prep_objects(tok, {"at", "in"})]:
                if o.lemma_.lower() in _MEETING_NOUNS or any(t.lemma_.lower() in _MEETING_NOUNS for t in o.subtree):
                    dest_heads.extend(obj for _, obj in X.prep_objects(o, {"in", "at"}))
                    dest_heads.append(o)
        elif frame in ("meet", "host"):
            dest_heads.extend(obj for _, obj in X.prep_objects(tok, {"in", "at"}))
            for _, obj in X.prep_objects(tok, {"on", "at", "during"}):
                dest_heads.extend(o2 for _, o2 in X.prep_objects(obj, {"in", "at"}))
            for a in X.agents(tok):
                dest_heads.extend(obj for _, obj in X.prep_objects(a, {"in", "at"}))
            for o in X.objects(tok):
                dest_heads.extend(obj for _, obj in X.prep_objects(o, {"in", "at"}))
                for _, w in X.prep_objects(o, {"with"}):
                    dest_heads.extend(obj for _, obj in X.prep_objects(w, {"in", "at"}))
            for _, w in X.prep_objects(tok, {"with"}):
                dest_heads.extend(obj for _, obj in X.prep_objects(w, {"in", "at"}))
        elif frame == "stay":
            base = tok.head if tok.dep_ == "acomp" else tok
            dest_heads.extend(obj for _, obj in X.prep_objects(tok, {"in", "at"}))
            if base.i != tok.i:
                dest_heads.extend(obj for _, obj in X.prep_objects(base, {"in", "at"}))
        else:
            dest_heads = _destination_heads(tok, frame)
        if frame != "noun":  # "welcomed X for a state visit to Y", "arrived on a visit to Y"
            for _, obj in X.prep_objects(tok, {"for", "on", "during"}):
                if obj.lemma_.lower() in _VISIT_NOUNS:
                    dest_heads.extend(_destination_heads(obj, "noun"))
        expanded = []
        for h in dest_heads:  # "visits to US allies Japan, South Korea and Malaysia"
            expanded.append(h)
            for a in h.children:
                if a.dep_ == "appos":
                    expanded.extend(X.conjuncts(a))
        dest_heads = expanded
        # "travels to Benin, followed by Guinea-Bissau"
        for h in list(dest_heads):
            for c in h.children:
                if c.dep_ == "acl" and c.lemma_.lower() == "follow":
                    dest_heads.extend(X.agents(c))
        for c in tok.children:
            if c.dep_ == "advcl" and c.lemma_.lower() == "follow":
                dest_heads.extend(X.agents(c))
        where = _where_antecedent(tok)
        if where is not None:
            dest_heads.append(where)
        found.append({"tok": tok, "frame": frame, "word_status": word_status, "visitors_t": visitors_t,
                      "noun_visitors": noun_visitors, "use_last": use_last,
                      "hosts_t": hosts_t, "dest_heads": dest_heads, "here": _here(view, tok)})
    return found


def extract(view: SentenceView) -> list[dict]:
    doc = view.doc
    if doc is None:
        return []
    for _, _, person in view.titled_people():
        view.article.remember(person)
    frames = _frames(view)
    if not frames:  # a sentence parsed for another fact type: no place lookups here
        if view.titled_people():
            _remember_subject(view)
        return []
    sent = _LazySentence(view)  # place mentions: only once a frame has an official visitor
    virtual = _meeting_not_in_person(doc)
    rows: list[dict] = []
    notes: list[dict] = []
    for f in frames:
        tok, frame = f["tok"], f["frame"]
        if virtual and frame in ("meet", "host", "noun", "attend"):
            continue
        words = _not_senses().get("visitor", frozenset())
        f["visitors_t"] = [t for t in f["visitors_t"] if not (t.lower_ in words or t.lemma_.lower() in words or any(
            c.dep_ in ("compound", "amod") and c.lower_ in words for c in t.children))]  # "tourists", "the football team"
        visitors = f["noun_visitors"] if frame in ("noun", "talks") else _persons(view, f["visitors_t"], describe=True)
        if frame in ("noun", "talks") and not visitors and f["use_last"]:
            last = view.article.notes.get("visit_last_visitor")
            visitors = [last] if last is not None else []
        visitors = [v for v in visitors if PP.is_official(v) or view.article.find_person(v.name) is not None and v.title]
        hosts = _persons(view, f["hosts_t"], describe=True)
        extra_hosts = _persons(view, _sentence_host_tokens(doc, tok), describe=True)
        if frame in ("host",) and not visitors:
            continue
        if frame == "meet" and visitors and hosts:
            visitors, hosts = _meet_roles(view, sent, f, visitors, hosts)
        if not visitors:
            continue
        if frame in ("travel", "arrive", "stay", "noun", "attend"):
            view.article.notes["visit_last_visitor"] = visitors[0]
            view.article.notes["visit_last_visitors"] = list(visitors)
        status = _status(view, tok, frame, f["word_status"])
        if status is None:
            continue
        # destinations
        dests = []
        used = []
        for h in f["dest_heads"]:
            if _not_sense(doc, [h], "place"):
                dests = []
                used = ["blocked"]
                break
            ms = sent.places_of(h)
            if ms:
                m = _refine(sent, ms[0], used)
                if m not in used:
                    used.append(m)
                    dests.append(_place_row(m) + (m.level,))
        if used == ["blocked"]:  # "toured flood-hit districts": at home; later visits of this person too
            view.article.notes.setdefault("visit_domestic", set()).update(v.name for v in visitors)
            continue
        if any(v.name in view.article.notes.get("visit_domestic", ()) for v in visitors):
            dests = [d for d in dests if d[2] >= 5]
        if not dests and f["here"]:
            place = _dateline_place(view)
            if place is not None:
                dests.append((place.name, place.iso3, 2))
        if not dests and frame in ("meet", "host") and view.index <= 2 and view.article.dateline:
            # "BENGALURU - The French minister met Prime Minister X": the lead's meeting is at the dateline
            place = _dateline_place(view)
            if place is not None and place.iso3 and all(v.iso3 and v.iso3 != place.iso3 for v in visitors) \
                    and all(h.iso3 in (None, place.iso3) for h in hosts):
                dests.append((view.article.dateline, place.iso3, 2))
        if not dests and frame == "host" and hosts:
            for hp in hosts:
                if hp.iso3:
                    dests.append((A.country_name(hp.iso3) or hp.iso3, hp.iso3, 5))
                    break
        if not dests:
            if frame in ("meet", "host", "noun", "talks", "stay"):
                for v in visitors:
                    for hp in hosts + extra_hosts:
                        if hp.name != v.name:
                            notes.append({"_host_note": True, "visitor": v.name, "host": hp.name, "host_iso3": hp.iso3,
                                          "status": status})
                            break
            continue
        all_hosts = [h for h in hosts + extra_hosts if all(h.name != v.name for v in visitors)]
        for v in visitors:
            own = v.iso3
            for destination, dest_country, _level in dests:
                if own and own == dest_country:
                    continue
                if frame == "meet" and own is None and not _meet_abroad(view, hosts, dest_country):
                    continue
                host_p = _host_for(all_hosts, v, dest_country, len(dests))
                host = host_p.name if host_p is not None else None
                rows.append({
                    "visitor": v.name,
                    "visitor_role": v.title,
                    "visitor_country": own,
                    "destination": destination,
                    "destination_country": dest_country,
                    "host": host,
                    "purpose": None,
                    "status": status,
                    "_frame": frame,
                    "_described": PP.is_described(v),
                    "_host_described": host_p is not None and PP.is_described(host_p),
                    "_relcl": any(t.dep_ == "relcl" for t in [tok] + list(tok.ancestors)),
                    "_moves_on": _moves_on(tok),
                    "_actor_names": (v.name,),
                    "_confidence": 0.85 if own and dest_country else 0.65,
                })
    rows = _dedupe(rows)
    pm = _PURPOSE.search(view.text)
    for r in rows:
        r["purpose"] = pm.group(0).strip() if pm else None
    if rows:
        first = next((v for v in view.article.notes.get("visit_last_visitors", []) if v.name == rows[0]["visitor"]), None)
        if first is not None:
            view.article.notes["visit_last_visitor"] = first
            view.article.last_subject = first
    _remember_subject(view)
    for n in notes:
        n["_actor_names"] = (n["visitor"],)
        n["_confidence"] = 0.0
        n.update({"visitor_role": None, "visitor_country": None, "destination": None, "destination_country": None, "purpose": None})
    return rows + notes


def _moves_on(tok) -> bool:
    """"will travel on to X", "before travelling to X", "then flew to X": the visitor leaves the
    stop reported before."""
    if any(c.lower_ in ("on", "onward", "onwards", "then") and c.dep_ in ("advmod", "prt", "prep") for c in tok.children):
        return True
    return tok.dep_ == "pcomp" and tok.head.lower_ in ("before", "after")


def _remember_subject(view: SentenceView) -> None:
    """The official who is the subject of the sentence's main clause: "he" or "she" in the next
    sentence most often means that person."""
    for t in view.doc:
        if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT" and t.pos_ in ("PROPN", "NOUN"):
            p = PP.person_at(view, t)
            if p is not None and PP.is_official(p):
                view.article.notes["people_last_actor"] = p
            return


def _meet_roles(view, sent, f, visitors, hosts):
    """"H met X in H's capital": when the subject is of the meeting place's country and the
    one met is a foreigner, the one met is the visitor."""
    places = [m for h in f["dest_heads"] for m in sent.places_of(h)]
    if not places:
        return visitors, hosts
    iso = places[0].iso3
    subj_local = all(v.iso3 == iso or v.iso3 is None for v in visitors)
    obj_foreign = any(h.iso3 and h.iso3 != iso for h in hosts)
    if subj_local and obj_foreign and any(v.iso3 == iso for v in visitors) | (not any(v.iso3 for v in visitors)):
        return [h for h in hosts if h.iso3 and h.iso3 != iso], visitors
    return visitors, hosts


def _meet_abroad(view, hosts, dest_country) -> bool:
    """A meeting of someone whose country the text does not give: a visit when the one met is
    of the meeting place's country (or the text says nothing about either)."""
    return not hosts or any(h.iso3 in (None, dest_country) for h in hosts)


def _host_for(hosts: list[Person], visitor: Person, dest_country: str | None, n_dests: int) -> Person | None:
    for h in hosts:
        if visitor.iso3 and h.iso3 == visitor.iso3:
            continue  # a compatriot travelling along is no host
        if h.iso3 and dest_country and h.iso3 != dest_country:
            continue
        if not h.iso3 and n_dests > 1:
            continue
        return h
    return None


def _dedupe(rows: list[dict]) -> list[dict]:
    kept: list[dict] = []
    for r in rows:
        for k in kept:
            if k["visitor"] == r["visitor"] and (k["destination_country"] == r["destination_country"]):
                for f in ("host", "visitor_country", "visitor_role"):
                    if k.get(f) is None and r.get(f) is not None:
                        k[f] = r[f]
                if len(r["destination"]) and k["destination"] != r["destination"] and _more_specific(r, k):
                    k["destination"] = r["destination"]
                if k.get("_relcl") and not r.get("_relcl"):
                    k["status"], k["_relcl"] = r["status"], False  # "who last month postponed a trip, will now travel"
                elif k["status"] == "occurred" and r["status"] in ("ongoing", "planned", "cancelled") and not (r.get("_relcl") and not k.get("_relcl")):
                    k["status"] = r["status"]
                break
        else:
            kept.append(r)
    return kept


def _more_specific(a: dict, b: dict) -> bool:
    """Destination of a names a city where b names the country."""
    return (A.country_name(b["destination_country"] or "") or "").lower() == b["destination"].lower() or \
        A.country_by_name(b["destination"]) is not None and A.country_by_name(a["destination"]) is None


# ---------------------------------------------------------------------------------------------
# the article
# ---------------------------------------------------------------------------------------------

_NAME_PARTICLES = {"al", "el", "bin", "ibn", "bint", "de", "da", "van", "von", "der", "mr", "mrs", "ms", "dr", "the", "of",
                   "sheikh", "prince", "king", "president", "minister", "leader"}


def _name_tokens(name: str | None) -> set[str]:
    return {w for w in re.findall(r"[^\W\d_]+", (name or "").lower()) if w not in _NAME_PARTICLES and len(w) > 1}


def same_visitor(a: dict, b: dict) -> bool:
    """One person: names sharing a name word ("Xi" and "Xi Jinping", "Blinken" and "Antony J
    Blinken"), or "the leader of France" and a French visitor."""
    if _name_tokens(a.get("visitor")) & _name_tokens(b.get("visitor")):
        return True
    generic = [r for r in (a, b) if r.get("_described") or (r.get("visitor") or "").startswith("leader of ")]
    return len(generic) >= 1 and a.get("visitor_country") is not None and a.get("visitor_country") == b.get("visitor_country")


def mergeable(first: dict, later: dict) -> bool:
    """The same visitor to the same country, reported twice in one article."""
    return same_visitor(first, later) and first["destination_country"] == later["destination_country"]


_KEY = ("visitor_country", "host", "destination_country")


def assemble(rows: list[dict], view_a, sentences, docs) -> list[dict]:
    """An article's visit rows (already finished with evidence, dates and certainty): plans
    recognised by their date, the mentions of one visit merged (a city named later makes the
    destination specific; the body sentence that states most fields is the evidence), and the
    host named in a later sentence ("In Tokyo he will meet H") given to its visit."""
    notes = [r for r in rows if r.get("_host_note")]
    rows = [r for r in rows if not r.get("_host_note")]
    for r in rows:  # "He flies to Israel on Friday", said on Wednesday, is a plan
        if r["status"] in ("occurred", "ongoing") and r.get("event_date") and view_a.published_at and r["event_date"] > view_a.published_at.date():
            r["status"] = "planned"
    kept: list[dict] = []
    for row in rows:
        for first in kept:
            if mergeable(first, row):
                _merge(first, row)
                break
        else:
            kept.append(row)
    for r in kept:
        if r.get("_moves_on"):
            for q in kept:
                if q is not r and same_visitor(q, r) and q["status"] == "ongoing" and q["destination_country"] != r["destination_country"] \
                        and q.get("sentence_index", 0) <= r.get("sentence_index", 0):
                    q["status"] = "occurred"  # "landed in Moscow ... He will travel on to Paris"
    for n in notes:
        mine = [r for r in kept if same_visitor(r, n)]
        cands = [r for r in mine if r.get("host") is None]
        if n.get("status") in ("planned", "ongoing") and any(r["status"] != "occurred" for r in cands):
            cands = [r for r in cands if r["status"] != "occurred"]
        if n.get("host_iso3"):
            cands = [r for r in cands if r["destination_country"] in (None, n["host_iso3"])]
        elif len({r["destination_country"] for r in cands}) > 1:
            cands = []
        if cands:
            cands[0]["host"] = n["host"]
    for r in kept:
        for k in [k for k in r if k.startswith("_")]:
            del r[k]
    return kept


def _filled(r: dict) -> int:
    return sum(1 for k in _KEY if r.get(k)) + (0 if A.country_by_name(r.get("destination") or "") else 1)


def _merge(first: dict, later: dict) -> None:
    from pipelines.assemble import CERTAINTY_RANK

    if first.get("_described") and not later.get("_described"):  # "the Turkish President" -> "Recep Tayyip Erdogan"
        first["visitor"], first["visitor_role"] = later["visitor"], later.get("visitor_role") or first.get("visitor_role")
        first["_described"] = False
    if first.get("_host_described") and later.get("host") and not later.get("_host_described"):
        first["host"], first["_host_described"] = later["host"], False  # "Egypt's president" -> "Abdel Fattah al-Sisi"
    if first.get("destination") and later.get("destination") and _more_specific(later, first):
        first["destination"] = later["destination"]
    if _filled(later) > _filled(first) and first.get("sentence_index", 0) == 0 and later.get("sentence_index", 0) > 0 \
            and not re.search(r"[.!?\"”’]\s*$", first.get("evidence") or ""):
        # a headline's visit: the body sentence stating more of it is the evidence
        for k in ("evidence", "evidence_start", "evidence_end", "sentence_index", "status"):
            if k in later:
                first[k] = later[k]
    for k, v in later.items():
        if first.get(k) is None and v is not None and not k.startswith("evidence") and k not in ("sentence_index", "fact_id"):
            first[k] = v
    if CERTAINTY_RANK.get(later.get("certainty"), 0) > CERTAINTY_RANK.get(first.get("certainty"), 0):
        first["certainty"], first["attributed_to"] = later["certainty"], later.get("attributed_to")
