"""Where an event happened: place phrases found in the parse, attached to the event's words.

A news sentence names places in many ways the gazetteer alone cannot see: "the village of X",
"X district of Y province", "Baghdad's southern district of X", "near X, 30 km south of Y". This
module reads them off the dependency parse of a sentence:

1. **Place mentions** (`mentions`). A name (a named entity of any label the model gives, or a run
   of proper nouns) is a place when the gazetteer knows it, or when the sentence frames it as one:
   the object of a locative preposition ("in X", "near X", data/lexicon/locative_prepositions.csv),
   the name of a place noun ("the town of X", "X district", data/lexicon/place_nouns.csv), or
   listed with such a place ("X and Y villages"). Names of armed groups, organisations, people the
   article introduced, dates and the dateline are not places. Each mention keeps the text as
   written, its level (site or neighbourhood, town, district, province, country, water), the role
   of its preposition (at, near, target, exclude) and its parent: the larger place named with it
   ("X, Y", "X in Y", "Y's X", "the X district of Y").
2. **Resolution.** The name is looked up in the gazetteer (pipelines/places.py) with a country
   hint taken, in order, from its parent, from a demonym in its phrase ("the Syrian town of X"),
   and from the countries the article itself names. A name the gazetteer does not know is kept as
   written with `geo_precision` "unresolved"; its country (and coordinates, at the parent's lower
   precision) come from its parent, or from the article's places when they point to one country.
3. **Attachment** (`event_location`). Among the mentions, the event's place is the most specific
   one in the event's own clause: the path in the parse from the event's words (trigger verbs and
   nouns, the kill verb) to the place must not pass through a verb of another kind of clause
   (speaking, meeting, travelling: data/lexicon/clause_verbs.csv), and "from X" is never the
   place. Ties go to the place nearest the event's words in the tree, then to the first named.
   A country named as the attacker is not the place.

Offsets are relative to the sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from pipelines import actors as A
from pipelines import lexicon as L
from pipelines import places as P

LEVEL_SITE, LEVEL_TOWN, LEVEL_DISTRICT, LEVEL_REGION, LEVEL_COUNTRY, LEVEL_WATER = 1, 2, 3, 4, 5, 6
_NON_PLACE_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "LANGUAGE"}
_DIRECTIONS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
               "north-east", "north-west", "south-east", "south-west"}
_DIRECTION_ADJ = re.compile(
    r"^(?:(?:north|south)[- ]?(?:east|west)?|east|west|central|upper|lower|far)(?:ern)?$|^(?:north|south)(?:east|west)ern$", re.I)
_DISTANCE_NOUNS = {"kilometre", "kilometer", "km", "mile", "kilometres", "kilometers", "miles", "kms"}
_PARTICLES = {"al", "el", "ad", "as", "ash", "an", "ar", "az", "at", "bin", "ibn", "de", "da", "del", "di", "du",
              "la", "le", "van", "von", "der", "des", "ul", "e", "i"}
_CALENDAR = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "christmas", "easter", "ramadan", "eid", "today", "tonight", "gmt", "utc", "est", "edt", "pst", "cet", "local",
    "a.m.", "p.m.", "a.m", "p.m", "am", "pm",
}
# Nouns of a campaign or an attack: a name compounded with one is where it happens ("the Mosul
# operation", "the Manbij campaign", "the Kharkiv offensive").
_EVENT_NOUNS = {"campaign", "operation", "offensive", "battle", "siege", "attack", "attacks", "strike", "strikes",
                "raid", "raids", "bombing", "clashes", "fighting", "assault", "front", "frontline", "shelling"}
_STRIKE_VERBS = {"bomb", "shell", "strike", "hit", "pound", "target", "attack", "raid", "storm", "bombard", "blast",
                 "rocket", "overrun", "besiege", "capture", "seize"}
# Ranking of levels when choosing an event's place: a named locality (town, village, neighbourhood)
# first, a site (a market, a base, a road) only when no locality is named with it, then districts...
_RANK = {1: 2.5}
_KIND_LEVEL = {"country": LEVEL_COUNTRY, "region": LEVEL_REGION, "valley": LEVEL_DISTRICT, "sea": LEVEL_WATER,
               "strait": LEVEL_WATER, "water": LEVEL_WATER, "base": LEVEL_SITE, "crossing": LEVEL_SITE,
               "city": LEVEL_TOWN, "town": LEVEL_TOWN}


@dataclass
class PlaceMention:
    start: int  # sentence offsets of the name as written
    end: int
    text: str  # the name as written, without a leading "the"
    key: str  # the name to look up ("Sokoto" for "Sokoto state")
    head: int  # token index of the noun heading the place phrase
    anchor: int  # token index where the phrase attaches (its preposition, or the phrase's head)
    role: str  # at | near | target | exclude | object | subject | possessor | other
    level: int
    place: P.Place | None = None
    parent: PlaceMention | None = None
    demonym_iso3: str | None = None
    context_iso3: str | None = None  # a demonym on the noun the phrase attaches to: a weaker hint
    part: bool = False
    noun_level: bool = False  # the level comes from a place noun ("X area", "the town of X"), not the gazetteer  # "the outskirts of X": around X, not X itself
    border: bool = False  # "near the Afghan border": a border, placed by the story's other places first

    @property
    def iso3(self) -> str | None:
        if self.place is not None and self.place.iso3:
            return self.place.iso3
        if self.parent is not None and self.parent.iso3:
            return self.parent.iso3
        return self.demonym_iso3


@dataclass
class Located:
    """The place of one event: what the text says, what the gazetteer made of it."""
    text: str  # as written ("Khanasir", "the Silame area" -> "Silame area")
    place: P.Place | None  # the gazetteer's place, None when unresolved
    iso3: str | None
    latitude: float | None
    longitude: float | None
    precision: str  # exact | near | region | country | water | unresolved
    level: int
    mention: PlaceMention | None = field(default=None, repr=False)


@lru_cache(maxsize=1)
def _place_nouns() -> dict[str, dict[str, str]]:
    return L.table("place_nouns")


@lru_cache(maxsize=1)
def _prep_roles() -> dict[str, str]:
    return {k: v["role"] for k, v in L.table("locative_prepositions", "prep").items()}


@lru_cache(maxsize=1)
def _clause_verbs() -> dict[str, str]:
    return {k: v["class"] for k, v in L.table("clause_verbs", "lemma").items()}


@lru_cache(maxsize=1)
def _not_place_words() -> frozenset[str]:
    return L.words("not_place_words")


def _place_noun(tok) -> dict[str, str] | None:
    return _place_nouns().get(tok.lemma_.lower()) or _place_nouns().get(tok.lower_)


# ---------------------------------------------------------------------------------------------
# names
# ---------------------------------------------------------------------------------------------

def _language_as_place(ent, countries) -> bool:
    """A name the model tags LANGUAGE that is a place: the object of a locative preposition of an
    event ("outside his home in Tlapa"), not of speaking ("said in Pashto"), and a place the
    gazetteer knows in the story's countries."""
    root = ent.root
    if root.dep_ != "pobj" or root.head.lower_ not in _prep_roles() or root.head.lower_ == "from":
        return False
    gov = root.head.head
    if _clause_verbs().get(gov.lemma_.lower()) == "report" or gov.lemma_.lower() in _SPEECH_NOUNS:
        return False
    place = _resolve(_lookup_key(ent.text), None, countries=countries) if countries else None
    return place is not None and place.kind != "country"


_CALENDAR_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                   "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                   "ramadan", "eid", "christmas", "easter", "new", "year"}
_SPEECH_NOUNS = {"statement", "message", "broadcast", "video", "speech", "interview", "post", "letter", "text",
                 "word", "words", "sermon", "address", "recording", "leaflet", "sign", "banner"}


def _name_spans(doc, skip: list[tuple[int, int]], countries=None) -> list[tuple[int, int]]:
    """Token spans [i, j) that may name a place: entities of the model (any label but numbers,
    dates and the like) and runs of proper nouns outside them."""
    spans: list[tuple[int, int]] = []
    taken = [False] * len(doc)
    for ent in doc.ents:
        if ent.label_ in _NON_PLACE_LABELS and not (ent.label_ == "LANGUAGE" and _language_as_place(ent, countries)):
            for t in ent:
                # "Zarkot district" tagged DATE: a capitalised name framed by a place noun stays open
                if not (t.pos_ == "PROPN" and t.text[:1].isupper() and t.lower_ not in _CALENDAR_WORDS
                        and t.dep_ == "compound" and _place_noun(t.head) is not None and t.head.i > t.i
                        and _place_noun(t.head)["relation"] == "name"):
                    taken[t.i] = True
            continue
        i, j = ent.start, ent.end
        while i < j and doc[i].lower_ in ("the", "a", "an"):
            i += 1
        while i > 0 and doc[i - 1].pos_ == "PROPN" and doc[i - 1].text[:1].isupper() and not doc[i - 1].ent_type_ \
                and doc[i - 1].dep_ == "compound" and doc[i - 1].head.i in range(i, j):
            i -= 1  # "Sheikh" + "Najjar" 
        if i < j:
            spans.append((i, j))
            for k in range(ent.start, ent.end):
                taken[k] = True
    i = 0
    n = len(doc)
    while i < n:
        if taken[i] or doc[i].pos_ != "PROPN" or not doc[i].text[:1].isupper():
            i += 1
            continue
        j = i + 1
        while j < n and not taken[j] and (
                doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper()
                or doc[j].text in ("-", "‐") and j + 1 < n and doc[j + 1].pos_ == "PROPN"
                or doc[j].lower_ in _PARTICLES and j + 1 < n and doc[j + 1].pos_ == "PROPN"):
            j += 1
        spans.append((i, j))
        i = j
    for tok in doc:  # "Mbuta village" (tagged an adjective), "the localities of Mardes"
        if taken[tok.i] or not tok.text[:1].isupper() or tok.pos_ in ("PRON", "DET", "ADP", "CCONJ", "AUX", "PUNCT", "NUM"):
            continue
        if any(a <= tok.i < b for a, b in spans):
            continue
        head = tok.head
        framed = (tok.dep_ in ("compound", "amod", "nmod") and _place_noun(head) is not None and head.i > tok.i) or (
            tok.dep_ == "pobj" and head.lower_ == "of" and _place_noun(head.head) is not None) or (
            tok.dep_ == "conj" and any(a <= head.i < b for a, b in spans))
        if framed:
            spans.append((tok.i, tok.i + 1))
    out = []
    for i, j in sorted(spans):
        s, e = doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)
        if any(a < e and s < b for a, b in skip):
            continue
        if doc[i].lower_ in _CALENDAR or all(not t.text[:1].isupper() for t in doc[i:j]):
            continue
        if doc[j - 1].text.endswith(("-", "‐")) or doc[j - 1].lower_ in _CALENDAR:
            continue  # "Shiite-dominated" split badly, "0830 GMT"
        out.append((i, j))
    return out


def _span_head(doc, i: int, j: int):
    heads = [t for t in doc[i:j] if not (i <= t.head.i < j) or t.head.i == t.i]
    return heads[-1] if heads else doc[j - 1]


# ---------------------------------------------------------------------------------------------
# mentions
# ---------------------------------------------------------------------------------------------

def _prep_of(np_head):
    """The preposition governing a noun phrase and its role: ("in", "at"), ("north of", "near")."""
    if np_head.dep_ != "pobj" or np_head.head.pos_ not in ("ADP", "SCONJ", "VERB", "ADV", "ADJ"):
        return None, None
    prep = np_head.head
    word = prep.lower_
    gov = prep.head
    if word == "of" and gov.lower_ in _DIRECTIONS:
        word = f"{gov.lower_} of"
    elif word == "to" and gov.lower_ in ("close", "next"):
        word = "close to"
    elif word in ("of", "from") and (gov.lemma_.lower() in _DISTANCE_NOUNS or any(
            c.lemma_.lower() in _DISTANCE_NOUNS for c in gov.children)) and gov.lower_ in _DIRECTIONS | _DISTANCE_NOUNS:
        word = "north of"  # "30 km south of X", "5 miles from X": near X
    role = _prep_roles().get(word)
    if role is None and word in ("of", "from") and gov.lemma_.lower() in _DISTANCE_NOUNS:
        role = "near"
    if word == "including" and not (_place_noun(gov) is not None or gov.lemma_.lower() in ("region", "area", "place", "location", "site")):
        role = "other"  # "regions ..., including the Qandil mountains" lists places; "fighters, including X" lists people
    return prep, role or "other"


def mentions(view) -> list[PlaceMention]:
    """The place mentions of a parsed sentence (see the module docstring), in text order."""
    doc = view.doc
    if doc is None:
        return []
    text = view.text
    skip = [(0, view.dateline_end)] if view.dateline_end else []
    for s, e, actor in view.actors:
        if actor.kind != "country":
            skip.append((s, e))  # "Hamas", "the Pentagon", "Islamic State": actors, not places
    people = {p.name.split()[-1] for p in view.article.people}
    found: list[PlaceMention] = []
    by_head: dict[int, PlaceMention] = {}
    for i, j in _name_spans(doc, skip, story_countries(view) or None):
        name_head = _span_head(doc, i, j)
        s, e = doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)
        name = text[s:e]
        ent_label = name_head.ent_type_
        if _is_demonym(view, s, e, name):
            continue  # "the Lebanese city of Tyre", "Ukrainian": an adjective, not a place name
        np_head = name_head
        role = None
        level = None
        part = False
        key = name
        start, end = s, e
        # the phrase around the name
        noun = _compound_noun(name_head, j)
        if noun is not None and _place_noun(noun)["relation"] == "name" and not _of_names(doc, noun):
            np_head = noun  # "Khanasir town", "Makhmur district", "the Balata refugee camp"
            level = int(_place_noun(noun)["level"])
            end = noun.idx + len(noun.text)
        elif noun is not None and _place_noun(noun)["relation"] == "name":
            np_head = name_head  # "the south Baghdad neighbourhood of Al-Bayaa": Baghdad is its parent
            role = "possessor"
        elif name_head.dep_ == "pobj" and name_head.head.lower_ == "of" and _place_noun(name_head.head.head) is not None:
            noun = name_head.head.head  # "the district of Saiydiah", "the outskirts of Aleppo"
            info = _place_noun(noun)
            if info["relation"] == "name" and _of_names(doc, noun) is False:
                role = "possessor"  # "the Sayidda Zaynab district of Damascus": Damascus is its parent
            else:
                np_head = noun
                if info["relation"] == "name":
                    level = int(info["level"])
                else:
                    part = True
        elif name_head.dep_ == "compound" and name_head.head.lemma_.lower() in _EVENT_NOUNS and not (
                A.country_by_name(name) or _is_capital(name) or name.lower() in _demonyms()):
            role = "at"  # "killed in the Manbij campaign" (not "a US air strike": the attacker)
        elif name_head.dep_ == "poss" and name_head.head.lemma_.lower() in _EVENT_NOUNS | {"liberation", "capture", "fall"}:
            role = "at"  # "during Kafr Saghir's liberation"
        if level is None and j - i > 1 and _place_noun(doc[j - 1]) is not None and _place_noun(doc[j - 1])["relation"] == "name":
            level = int(_place_noun(doc[j - 1])["level"])  # "the Hama province" as one entity
        # climb "of" chains: "the eastern countryside of Aleppo province", "the slum of Sadr City"
        for _ in range(3):
            if role is not None or np_head.dep_ != "pobj" or np_head.head.lower_ != "of" or np_head.head.head.pos_ not in ("NOUN", "PROPN"):
                break
            gov = np_head.head.head
            info = _place_noun(gov)
            if info is None:
                break
            if info is not None and info["relation"] == "part":
                part = True
            np_head = gov
        if role is not None:
            anchor_tok = np_head
        elif np_head.dep_ in ("appos", "conj"):  # "Jumla and Diwan villages", "Saada, a heartland"
            top = np_head
            while top.dep_ in ("appos", "conj") and top.head.i != top.i:
                top = top.head
            base = by_head.get(top.i)
            if np_head.dep_ == "conj" and base is not None:
                role = base.role
                if level is None and _place_noun(top) is not None and _place_noun(top)["relation"] == "name":
                    level = int(_place_noun(top)["level"])
            anchor_tok = top
        else:
            anchor_tok = np_head
        prep, prep_role = _prep_of(anchor_tok)
        if role is None:
            if prep is not None:
                role = prep_role
                anchor = prep.i
            elif anchor_tok.dep_ in ("dobj", "attr"):
                role, anchor = "object", anchor_tok.i
            elif anchor_tok.dep_ in ("nsubj", "nsubjpass"):
                role, anchor = "subject", anchor_tok.i
            elif anchor_tok.dep_ == "poss":
                role, anchor = "possessor", anchor_tok.i
            elif anchor_tok.dep_ in ("compound", "amod", "npadvmod", "nmod") and anchor_tok is name_head:
                continue  # "the Gaza health ministry", "a US convoy", "Saudi-led": a modifier
            else:
                role, anchor = "other", anchor_tok.i
        else:
            anchor = prep.i if prep is not None else anchor_tok.i
        if role == "object" and anchor_tok.head.lemma_.lower() in _STRIKE_VERBS and (
                ent_label != "PERSON" or name.split()[-1] not in people and not any(c.dep_ == "appos" for c in anchor_tok.children)):
            role = "target"  # "shelled Arbin", "bombed Waku-Congo", "hit the Jumla and Diwan villages"
        key = _lookup_key(name)
        place = _resolve(key, None)
        if ent_label == "NORP" and place is None and role in ("at", "near"):
            place = _resolve(key, None, countries=story_countries(view) or None)  # "outside his home in Chilapa" (tagged NORP)
        known_name = False
        if ent_label == "NORP" and name.lower() not in _demonyms():
            anywhere = place or P.resolve_place(key)  # "Shopian district" (tagged NORP): a place name somewhere,
            known_name = anywhere is not None and anywhere.kind != "country"  # not a nationality; resolved later
        if ent_label == "NORP" and (place is None or place.kind == "country") and not (
                level is not None and np_head is not name_head and (name_head.pos_ == "PROPN" and not re.search(r"(?:ish|ian|ese|ite)$", name)
                                                                   or known_name)):
            continue  # a nationality or group ("Shiite", "Kurdish"), not a place name (but "the Waaberi district" is one)
        framed = role in ("at", "near", "target", "exclude") or level is not None or part or np_head is not name_head
        if place is None and not framed:
            continue
        if place is None and level is None and not part and role not in ("at", "near", "target") and name.split()[-1] in people:
            continue  # an official the article introduced, not a place
        if place is None and level is None and any(t.lemma_.lower() in _not_place_words() for t in doc[i:j]):
            continue  # "the Army", "the Health Ministry", "the Government of X": institutions, not places
        if place is not None and place.kind == "country" and role == "possessor" and not _place_noun(np_head.head):
            continue  # "Iran's consulate", "Israel's army": the owner, not a place
        owner_of = name_head.head if name_head.dep_ in ("poss", "compound", "nmod", "amod") else None
        if owner_of is not None and _place_noun(owner_of) is not None and int(_place_noun(owner_of)["level"]) == LEVEL_SITE \
                and (A.country_by_name(name) or _is_capital(name)):
            continue  # "Tehran's consulate", "a US military base": the owner of the site, not its place
        noun_level = level is not None
        if place is not None and place.kind == "country" and np_head.lemma_.lower() == "capital" and np_head.i < name_head.i:
            capital = _capital_place(place.iso3)  # "the capital of Somalia": Mogadishu
            if capital is not None:
                place, level, start = capital, LEVEL_TOWN, np_head.idx
        if level is None:
            level = _KIND_LEVEL.get(place.kind, LEVEL_TOWN) if place is not None else LEVEL_TOWN
        m = PlaceMention(start, end, text[start:end], key, np_head.i, anchor, role, level, place, part=part,
                         noun_level=noun_level)
        m.demonym_iso3 = _demonym_in(view, np_head)
        if m.demonym_iso3 is None and prep is not None and prep.head.pos_ in ("NOUN", "PROPN"):
            m.context_iso3 = _demonym_in(view, prep.head)  # "an Israeli military position in the Upper Galilee"
        found.append(m)
        by_head.setdefault(np_head.i, m)
        by_head.setdefault(name_head.i, m)
    for tok in doc:  # "the Afghan capital", "Ukraine's capital": the capital city of that country
        if tok.lemma_.lower() != "capital" or tok.pos_ != "NOUN" or tok.i in by_head:
            continue
        for child in tok.children:
            if child.dep_ not in ("amod", "compound", "poss", "nmod"):
                continue
            iso3 = _demonyms().get(child.lower_) or A.country_by_name(child.text)
            capital = _capital_place(iso3) if iso3 else None
            if capital is None:
                continue
            prep, prep_role = _prep_of(tok)
            role = prep_role if prep is not None else ("object" if tok.dep_ in ("dobj", "attr") else "other")
            m = PlaceMention(child.idx, tok.idx + len(tok.text), text[child.idx:tok.idx + len(tok.text)], capital.name,
                             tok.i, prep.i if prep is not None else tok.i, role, LEVEL_TOWN, capital)
            found.append(m)
            by_head[tok.i] = m
            break
    for tok in doc:  # "near the Iraqi-Syrian border", "the Lebanese-Israeli frontier": a border as a place
        if tok.lemma_.lower() not in ("border", "frontier", "boundary") or tok.pos_ != "NOUN" or tok.i in by_head:
            continue
        mods = [c for c in tok.children if c.dep_ in ("amod", "compound") and c.i < tok.i]
        names = [c for c in mods if c.lower_ in _demonyms() or A.country_by_name(c.text)]
        if not names:
            continue
        lo = min(c.left_edge.i for c in mods)
        prep, prep_role = _prep_of(tok)
        role = prep_role if prep is not None else "other"
        start, end = doc[lo].idx, tok.idx + len(tok.text)
        # no demonym_iso3: "the Afghan border" is as often seen from the other side ("X district, near
        # the Afghan border" is in Pakistan); the demonym says whose border, not on which side the event was
        m = PlaceMention(start, end, text[start:end], text[start:end], tok.i, prep.i if prep is not None else tok.i,
                         role, LEVEL_DISTRICT, None, noun_level=True, border=True)
        found.append(m)
        by_head[tok.i] = m
    found.sort(key=lambda m: m.start)
    _link_parents(doc, text, found, by_head)
    _resolve_all(view, found)
    return found


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, str]:
    out = {}
    for c in A.countries():
        for d in c.demonyms:
            out.setdefault(d.lower(), c.iso3)
            out.setdefault(d.lower() + "s", c.iso3)
    return out


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    """Capital name (lower case) -> ISO3, and ISO3 -> capital name."""
    out = {}
    for c in A.countries():
        if c.capital:
            out[c.capital.lower()] = c.iso3
            out[c.iso3] = c.capital
    return out


def _capital_place(iso3: str | None):
    name = _capitals().get(iso3) if iso3 else None
    return P.resolve_place(name, iso3) if name else None


def _is_capital(name: str) -> bool:
    return name.lower() in _capitals()


def _is_demonym(view, start: int, end: int, name: str) -> bool:
    """The words name a country's people or adjective ("Syrian", "Lebanese"), not a place."""
    return name.lower() in _demonyms() and A.country_by_name(name) is None


def _compound_noun(name_head, j: int):
    """The place noun a name is compounded with, across modifiers ("Balata refugee camp")."""
    tok = name_head
    for _ in range(3):
        if tok.dep_ not in ("compound", "amod", "nmod") or tok.head.i <= tok.i or tok.head.i > j + 4:
            return None
        tok = tok.head
        if _place_noun(tok) is not None:
            return tok
    return None


def _names_of(noun):
    """The proper name a place noun introduces with "of" ("the neighbourhood of Al-Bayaa"), or None."""
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for g in child.children:
                if g.dep_ == "pobj" and g.text[:1].isupper():
                    return g
    return None


def _of_names(doc, noun) -> bool | None:
    """For a place noun with both a name before it and "of Y" after it, which one names it:
    True when "of Y" does ("the Baghdad neighbourhood of Al-Bayaa": Baghdad is the larger place),
    False when the name before it does ("the Sayidda Zaynab district of Damascus"); None when
    the noun has no "of Y" (or no name before it)."""
    of_name = _names_of(noun)
    before = [c for c in noun.children if c.i < noun.i and c.dep_ in ("compound", "amod", "nmod") and c.text[:1].isupper()
              and (c.ent_type_ != "NORP" or c.lower_ not in _demonyms() and P.resolve_place(c.text) is not None)
              and A.country_by_name(c.text) is None and A.resolve_actor(c.text) is None]
    if of_name is None or not before:
        return None
    lo = min(c.left_edge.i for c in before)
    hi = max(c.i for c in before) + 1
    first = doc[lo:hi].text
    first_place = P.resolve_place(_lookup_key(first))
    of_place = P.resolve_place(_lookup_key(doc[of_name.left_edge.i:of_name.i + 1].text))
    if first_place is None:
        return False  # "the Sayidda Zaynab district of Damascus": the unknown name is the district's
    if first_place.kind in ("region", "country") or of_place is None:
        return True  # "the West Bank city of Jenin", "the Baghdad neighbourhood of Al-Bayaa"
    return first_place.kind == "city" and of_place.kind != "city"


def _lookup_key(name: str) -> str:
    """The part of a written name to look up: no "the", no possessive, no trailing place noun."""
    key = re.sub(r"^(?:the|The)\s+", "", name).strip()
    key = re.sub(r"['’]s$", "", key)
    words = key.split()
    if len(words) > 1 and words[-1].lower() in _place_nouns() and _place_nouns()[words[-1].lower()]["relation"] == "name" \
            and words[-1].lower() not in ("city",):
        key = " ".join(words[:-1])
    return key


def _resolve(key: str, hint: str | None, countries=None) -> P.Place | None:
    """The gazetteer's place for a name. Without any country to go by (the article names none),
    only a place that is known on its own counts: a country, a city, a curated conflict place;
    not a small town or a province that shares the name with a place somewhere else."""
    place = P.resolve_place(key, hint, countries=countries) if countries else P.resolve_place(key, hint)
    if place is None and key.endswith(" city") and " " in key:
        return _resolve(key[:-5], hint, countries)  # "Bahawalpur city" (but "Gaza City", "Mexico City" as names)
    if place is not None and not countries and hint is None and (
            place.kind == "town" or place.kind == "region" and "-" in (place.admin1 or "")):
        # a province whose name no other country uses ("Khost province", "Kunar") is known on its
        # own, and so is its namesake capital
        if P.only_country(key) != place.iso3:
            return None
        if place.kind != "region":
            province = P.resolve_place(f"{key} province")
            if province is None or province.kind != "region":
                return None
    return place


def _demonym_in(view, np_head) -> str | None:
    """A country adjective inside the phrase: "the Syrian town of X", "Iraq's X"."""
    for child in np_head.children:
        if child.dep_ in ("amod", "compound", "poss") and child.i != np_head.i:
            s, e = child.idx, child.idx + len(child.text)
            for a0, a1, actor in view.actors:
                if a0 <= s < a1 and actor.kind == "country" and actor.iso3:
                    return actor.iso3
    return None


def _link_parents(doc, text: str, found: list[PlaceMention], by_head: dict[int, PlaceMention]) -> None:
    """The larger place named with each mention: "X in Y", "Y's X", "the X district of Y", "X, Y"."""
    for m in found:
        head = doc[m.head]
        structural = []
        toks = {head} | {t for t in doc if m.start <= t.idx < m.end}
        for tok in toks:
            for child in tok.children:
                if child.dep_ in ("poss", "appos") and child.i in by_head:
                    structural.append(by_head[child.i])
                elif child.dep_ == "compound" and child.i in by_head and by_head[child.i].role == "possessor":
                    structural.append(by_head[child.i])
                elif child.dep_ == "prep" and child.lower_ in ("in", "of", "near", "outside"):
                    for g in child.children:
                        if g.dep_ == "pobj" and g.i in by_head:
                            structural.append(by_head[g.i])
        adjacent = [o for o in found if o is not m and o.start > m.end and o.level > m.level
                    and re.fullmatch(r"\s*(?:,|\(|in)\s*(?:in\s+|the\s+)?", text[m.end:o.start])]
        candidates = [c for c in structural + adjacent if c is not m and c.parent is not m and c.start != m.start]
        if candidates:
            m.parent = min(candidates, key=lambda c: abs(c.start - m.end))


def story_countries(view) -> tuple[str, ...]:
    """Countries the article points to, most named first: countries and places it names (and
    its dateline's place). Worked out once per article."""
    notes = view.article.notes
    if "story_countries" not in notes:
        counts: Counter[str] = Counter()
        text = view.article.text
        if "sentence_actors" in notes:  # the sentences' actors, already found (pipelines/extract.py)
            actors = [(start + s, start + e, a) for start, acts in notes["sentence_actors"] for s, e, a in acts]
        else:
            actors = A.find_actors(text)
        named = P.countries_named(text)
        for s, e, actor in actors:
            if actor.kind in ("country", "government", "military") and actor.iso3:
                counts[actor.iso3] += 1
        for iso3, n in named.items():
            counts[iso3] += n
        if view.article.dateline:
            place = P.resolve_place(view.article.dateline)
            if place is not None and place.iso3:
                counts[place.iso3] += 2
        notes["story_countries"] = tuple(c for c, _ in counts.most_common())
        placed: Counter[str] = Counter()  # countries named as places: "in Lebanon", "across Syria"
        for s, e, actor in actors:
            if actor.kind == "country" and actor.iso3 and _LOCATIVE_BEFORE.search(text[max(0, s - 30):s]):
                placed[actor.iso3] += 1
        for iso3, n in named.items():
            placed[iso3] += n
        notes["story_counts"] = dict(placed)
    return notes["story_countries"]


_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|inside|across|into|throughout|near|of)\s+(?:the\s+)?(?:(?:north|south|east|west|central)\w*\s+)?$", re.I)


def dominant_country(view) -> str | None:
    """The country the article's events happen in when one stands out among the countries it
    names as places ("in Lebanon", its curated places such as Gaza or Idlib): the only one, or
    one named at least twice as often as any other."""
    notes = view.article.notes
    if "dominant_country" not in notes:
        counts = notes.get("story_counts") or {}
        story = story_countries(view)
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        if len(story) == 1:
            notes["dominant_country"] = story[0]
        elif len(ranked) == 1 or (len(ranked) > 1 and ranked[0][1] >= 2 * ranked[1][1]):
            notes["dominant_country"] = ranked[0][0]
        else:
            notes["dominant_country"] = None
    return notes["dominant_country"]


def _resolve_all(view, found: list[PlaceMention]) -> None:
    """Look names up again with the story's countries and a country hint (parent, demonym). A
    place outside the story's countries stays only when it is big (pipelines/places.py). For
    "X, Y" a city the child names on its own wins over a small namesake in the parent's country
    ("Bahawalpur city, Punjab": Pakistan's Bahawalpur, then Pakistan's Punjab)."""
    story = story_countries(view) or None
    for m in sorted(found, key=lambda x: -x.level):  # parents first
        hint = (m.parent.iso3 if m.parent is not None else None) or m.demonym_iso3
        alone = _resolve(m.key, None, countries=story)
        if m.parent is not None and alone is not None and alone.kind == "city" and alone.iso3 != hint:
            m.place = alone
            parent = _resolve(m.parent.key, alone.iso3, countries=story)
            if parent is not None and parent.iso3 == alone.iso3:
                m.parent.place = parent
            continue
        if hint is not None:
            hinted = _resolve(m.key, hint, countries=story)
            m.place = hinted if hinted is not None and hinted.iso3 == hint else (alone if m.place is None or alone is not None else m.place)
            if m.place is not None and m.place.iso3 != hint and m.parent is not None and m.parent.level == LEVEL_COUNTRY \
                    and m.place.kind not in ("city", "country"):
                m.place = None  # "Beit Lid junction in central Israel": not a namesake village elsewhere; the country is the parent's
        else:
            m.place = alone
        if m.place is not None and not m.noun_level and m.level == LEVEL_TOWN and m.place.kind in _KIND_LEVEL \
                and m.place.kind not in ("city", "town"):
            m.level = _KIND_LEVEL[m.place.kind]


# ---------------------------------------------------------------------------------------------
# attachment
# ---------------------------------------------------------------------------------------------

def _ancestors(tok) -> list:
    out = [tok]
    while out[-1].head.i != out[-1].i:
        out.append(out[-1].head)
        if len(out) > 60:
            break
    return out


# "two kilometres away from X", "10 miles from X": a distance measured from a place, which puts
# the event near it (unlike "a man from X", where someone comes from).
_DISTANCE_UNITS = frozenset({"kilometre", "kilometer", "km", "mile", "metre", "meter", "m", "yard", "foot", "feet", "kms", "mi"})


def _path_cost(doc, a: int, b: int, anchors: set[int]) -> int | None:
    """Edges on the tree path from token a to token b, plus a penalty for every verb crossed;
    None when the path passes through a speaking, meeting or travelling verb."""
    up_a = _ancestors(doc[a])
    up_b = _ancestors(doc[b])
    ids_b = {t.i: n for n, t in enumerate(up_b)}
    for n, t in enumerate(up_a):
        if t.i in ids_b:
            path = up_a[:n + 1] + list(reversed(up_b[:ids_b[t.i]]))
            break
    else:
        return None
    cost = len(path) - 1
    for t in path[1:-1]:
        if t.i in anchors:
            continue
        if t.dep_ == "prep" and t.lower_ == "from" and t.head.pos_ not in ("ADV", "ADJ") \
                and t.head.lemma_.lower() not in _DISTANCE_UNITS:
            return None  # "a man from a village near Nablus": where someone comes from, at any depth
        if t.pos_ in ("VERB", "AUX") or t.dep_ in ("relcl", "advcl", "ccomp", "acl"):
            verb_class = _clause_verbs().get(t.lemma_.lower())
            if verb_class in ("report", "plan"):
                return None  # "said in Brussels", "told reporters in Kyiv", "attacks against X were planned"
            own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)
            cost += 6 if verb_class or own_subject else 2  # another clause: "as the envoy arrived in Israel"
        elif t.pos_ == "NOUN" and t.lemma_.lower() in ("statement", "conference", "briefing", "meeting", "talks", "summit", "interview", "visit", "trip"):
            return None
    return cost


def event_location(view, anchors: list[int], exclude: list[tuple[int, int]] = (), actor_iso3: str | None = None,
                   within: tuple[int, int] | None = None) -> Located | None:
    """The place of the event whose words are the tokens `anchors` (indices into view.doc);
    `exclude` are sentence spans that name the event's actors (an attacker country), and a
    country named as a place that is `actor_iso3` is not the place unless the event is "in" it
    ("fired at Israel" by Israel is another event's object; "Israeli strikes in Israel" would be).
    With `within` (sentence offsets), only places inside that stretch count (the phrase of an
    earlier strike named in "after a strike on X")."""
    doc = view.doc
    if doc is None or not anchors:
        return None
    anchor_set = set(anchors)
    scored = []
    for m in view.place_mentions:
        if m.role == "exclude" or any(a <= m.start < b for a, b in exclude):
            continue
        if within is not None and not within[0] <= m.start < within[1]:
            continue
        if actor_iso3 and m.level == LEVEL_COUNTRY and m.iso3 == actor_iso3 and doc[m.anchor].lower_ not in ("in", "inside"):
            continue
        if m.role == "possessor" and not (m.parent is None and _place_noun(doc[m.head].head)):
            continue
        if m.role == "subject" and not _subject_is_place(doc, m):
            continue
        if m.role == "object" and not m.noun_level:
            continue  # "suing the United States", "shot Morales": an object is a place as a strike's target, or
            # when a place noun says so ("defending Kawkab army base", "dominated Sadr city")
        costs = [c for c in (_path_cost(doc, a, m.anchor, anchor_set) for a in anchors) if c is not None]
        if not costs:
            continue
        scored.append((min(costs), m))
    if not scored:
        return None
    parents = set()
    for _, m in scored:
        p = m.parent
        while p is not None and id(p) not in parents:
            parents.add(id(p))
            p = p.parent
    scored = [(c, m) for c, m in scored if id(m) not in parents] or scored
    best_cost = min(c for c, m in scored if m.level < LEVEL_COUNTRY) if any(m.level < LEVEL_COUNTRY for _, m in scored) \
        else min(c for c, _ in scored)
    # the most specific place among those about as close to the event as the closest one
    ranked = sorted(scored, key=lambda cm: (cm[1].role == "other", cm[1].level >= LEVEL_COUNTRY, cm[0] > best_cost + 4, cm[1].border,
                                            _RANK.get(cm[1].level, cm[1].level), cm[1].role == "near", cm[0], cm[1].start))
    return _located(view, ranked[0][1], actor_iso3)


def _subject_is_place(doc, m: PlaceMention) -> bool:
    """A place as a subject: "Kyiv came under attack", "the town was shelled"."""
    head = doc[m.anchor]
    verb = head.head
    if head.dep_ == "nsubjpass":
        if verb.lemma_.lower() in L.words("casualty_words"):
            return False  # "Urfa ... was killed": people are killed, a place is struck
        return m.level <= LEVEL_REGION or m.place is not None and m.place.kind == "country"
    return verb.lemma_ in ("come", "be") and any(c.lower_ == "under" for c in verb.children)


def _located(view, m: PlaceMention, actor_iso3: str | None = None) -> Located:
    text = m.text
    if m.level == LEVEL_SITE and m.parent is not None and m.parent.level <= LEVEL_DISTRICT and re.fullmatch(
            r"\s*(?:,|in|in\s+the)\s*(?:(?:north|south|east|west|central|downtown|northern|southern|eastern|western)\w*\s+)?",
            view.text[m.end:m.parent.start]):
        text = view.text[m.start:m.parent.end]  # "the MFO base in Al-Gurah": the site and its town
    place = m.place
    iso3 = m.iso3
    if iso3 is None:
        iso3 = m.context_iso3 or dominant_country(view)
        if iso3 is not None and iso3 == actor_iso3 and m.context_iso3 is None and len(story_countries(view)) > 1:
            iso3 = None  # the attacker's own country is no guess for where it struck (unless it is the only one)
    near = m.role == "near" or m.part
    if place is not None:
        if place.kind == "country":
            precision = "country"
        elif place.kind in ("sea", "strait", "water") or getattr(place, "precision", "") == "water":
            precision = "water"
        elif place.precision == "region" or m.level >= LEVEL_DISTRICT:
            precision = "region"
        else:
            precision = "near" if near else "exact"
        lat, lon = (place.latitude, place.longitude) if precision != "country" else (None, None)
        return Located(text, place, iso3, lat, lon, precision, m.level, m)
    parent = m.parent
    while parent is not None and parent.place is None:
        parent = parent.parent
    if parent is not None and parent.place is not None and parent.place.kind != "country":
        pp = parent.place
        precision = "near" if pp.kind in ("city", "town") and pp.precision == "exact" else "region"
        return Located(text, None, iso3, pp.latitude, pp.longitude, precision, m.level, m)
    return Located(text, None, iso3, None, None, "unresolved", m.level, m)
