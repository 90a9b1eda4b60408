"""People named in a parsed sentence: which official a noun phrase of the parse stands for.

A role of an event (the visitor, the host, a speaker, a victim) is a token of the parse; this
module says which person it names, and with what title and country:

- a titled name ("Russian Foreign Minister Sergei Lavrov", found by context.TITLED_NAME) or a
  PERSON entity covering the token, its title also from a title word compounded with it
  ("Prince Khalid bin Salman") or from an apposition ("Kaja Kallas, the European Union's
  foreign policy chief"; "the Sultan of Oman, Haitham bin Tarik");
- a name the article introduced earlier with a title (by surname: "Lavrov" after "Russian
  Foreign Minister Sergei Lavrov");
- a pronoun ("he", "she") or a title alone ("the minister", "the general", "the secretary"):
  the article's last official with that title (for pronouns: the last one who acted);
- "the leaders of France, Germany and Italy": one leader per country named.

The country of a person comes from the demonym or possessive in the title ("Egyptian
President", "Qatar's emir", "Saudi Arabia's Minister of Defence"), from the article's earlier
mention, or from pipelines/officials.py when it is installed (heads of state and government,
foreign and defence ministers by name and year). Titles are data:
data/lexicon/people_titles.csv.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipelines import actors as A
from pipelines import lexicon as L
from pipelines import syntax as X
from pipelines.context import Person

_PRONOUNS = {"he", "she", "him", "her", "his"}
_GROUP_PRONOUNS = {"they", "them", "their"}


@lru_cache(maxsize=1)
def titles() -> dict[str, str]:
    """Title (lower case) -> kind."""
    return {k: v["kind"] for k, v in L.table("people_titles", "title").items()}


@lru_cache(maxsize=1)
def _title_pattern() -> re.Pattern:
    words = sorted(titles(), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")\b", re.I)


def title_kind(title: str | None) -> str | None:
    """The kind of a title ("Foreign Minister" -> minister), from its longest known part."""
    if not title:
        return None
    t = " ".join(title.lower().split())
    if t in titles():
        return titles()[t]
    found = [m.group(0).lower() for m in _title_pattern().finditer(t)]
    if not found:
        return None
    best = max(found, key=len)
    return titles().get(" ".join(best.split()))


def is_official(person: Person | None) -> bool:
    """A person with a title of an official who makes visits (not a spokesman)."""
    if person is None or not person.title:
        return False
    kind = title_kind(person.title)
    return kind is not None and kind != "other"


def lookup_official(name: str, year: int | None):
    """pipelines.officials.lookup when that module is installed, else None."""
    try:
        from pipelines import officials  # written by another helper; optional
    except ImportError:
        return None
    try:
        return officials.lookup(name, year)
    except Exception:  # a lookup must never break extraction
        return None


def country_before_name(text: str, name: str) -> tuple[str | None, str | None]:
    """The country of a title the article wrote before the person's name, in a mention the
    title regex could not read ("Kenya's Prime Cabinet Secretary and Foreign Minister X")."""
    for m in re.finditer(re.escape(name), text):
        before = text[max(0, m.start() - 120):m.start()]
        parts = re.split(r"[.;:!?\n]|,\s(?!\s*(?:and)\b)", before)
        before = parts[-1]
        if len(parts) > 1 and _title_in(before) and not re.sub(_title_pattern(), "", before).strip():
            before = parts[-2] + " " + before  # "Pakistan's Chairman of the Joint Chiefs (CJCSC), General X"
        if not _title_in(before):
            continue
        rest = _title_pattern().sub(" ", before)
        actors = [a for a in A.find_actors(before) if a[2].kind in ("country", "government") and a[2].iso3]
        for s0, e0, _ in reversed(A.find_actors(rest)):
            rest = rest[:s0] + " " + rest[e0:]
        words = [w for w in re.findall(r"[\w'’-]+", rest) if w.lower() not in ("and", "of", "the", "for", "s", "'s", "’s")]
        if actors and all(w[:1].isupper() for w in words):
            return actors[-1][2].iso3, actors[-1][2].canonical
    return None, None


def with_country(person: Person, year: int | None, article_text: str | None = None, full_name: str | None = None) -> Person:
    """The person, with the country filled from the article's own earlier mention, else from the
    officials table, when the text at hand gives none."""
    search = full_name if full_name and len(full_name) > len(person.name) else person.name
    if person.iso3 is None and article_text and len(search.split()) > 1:
        person.iso3, org = country_before_name(article_text, search)
        person.org = person.org or org
    if person.iso3 is None:
        off = lookup_official(person.name, year)
        if off is None and re.search(r"\b[A-Z]\.?\s", person.name):  # "Narendra D Modi"
            off = lookup_official(re.sub(r"\b[A-Z]\.?\s+", "", person.name), year)
        if off is not None and getattr(off, "iso3", None):
            person.iso3 = off.iso3
            person.org = person.org or A.country_name(off.iso3)
            if not person.title and getattr(off, "office", None):
                person.title = off.office
    return person


def _span(tok) -> tuple[int, int]:
    """Character span of the noun phrase of a token, appositions and conjuncts left out."""
    lo, hi = tok.idx, tok.idx + len(tok.text)
    stack = [c for c in tok.children if c.dep_ not in ("appos", "conj", "cc", "punct", "relcl", "acl", "prep", "advcl")]
    while stack:
        t = stack.pop()
        lo, hi = min(lo, t.idx), max(hi, t.idx + len(t.text))
        stack.extend(c for c in t.children if c.dep_ not in ("relcl", "acl", "advcl", "appos", "conj", "cc"))
    return lo, hi


def _country_in(text: str) -> tuple[str | None, str | None]:
    """The country named in a title phrase, the one nearest its end ("Kenya's ... Minister")."""
    for _, _, actor in reversed(A.find_actors(text)):
        if actor.kind in ("country", "government") and actor.iso3:
            return actor.iso3, actor.canonical
    return None, None


def _title_in(text: str) -> str | None:
    found = [m.group(0) for m in _title_pattern().finditer(text)]
    if not found:
        return None
    return " ".join(max(found, key=len).split())


def _np_text(tok) -> str:
    lo, hi = _span(tok)
    lo = min(lo, min((t.idx for t in tok.subtree if t.dep_ == "prep" and t.head.i == tok.i and t.lower_ == "of"), default=lo))
    hi2 = hi
    for c in tok.children:  # "the head of Turkey's defence agency", "Crown Prince of Abu Dhabi"
        if c.dep_ == "prep" and c.lower_ == "of":
            hi2 = max(hi2, max(t.idx + len(t.text) for t in c.subtree))
    return X.doc_text(tok.doc)[lo:hi2]


def _appos_person(view, tok, appos: list, year: int | None) -> Person | None:
    """The person named in apposition to a title phrase ("Qatar's Emir, Sheikh Tamim"), with the
    title and country the phrase gives when the person has none."""
    for a in appos:
        if a.pos_ == "PROPN":
            p = person_at(view, a)
            if p is not None:
                text = _np_text(tok)
                p.title = p.title or _title_in(text)
                if p.iso3 is None:
                    p.iso3, p.org = _country_in(text)
                return with_country(p, year)
    return None


def person_at(view, tok, *, prefer_previous: bool = True) -> Person | None:
    """The official the noun phrase headed by `tok` names, or None (see the module docstring)."""
    doc = view.doc
    article = view.article
    lo, hi = _span(tok)
    lo = max(lo, view.dateline_end) if tok.idx >= view.dateline_end else lo
    year = article.year
    appos = [c for c in tok.children if c.dep_ == "appos"]
    if not appos and title_kind(tok.text) is not None:  # "the head of X's agency, NAME,"
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for g in c.children:
                    if g.dep_ == "pobj":
                        appos.extend(a for a in g.children if a.dep_ == "appos" and a.pos_ == "PROPN")
    if title_kind(tok.text) is not None or tok.lemma_.lower() in ("delegation", "counterpart"):
        # "Qatar's Emir, Sheikh Tamim", "the Sultan of Oman, Haitham bin Tarik": the name in apposition
        p = _appos_person(view, tok, appos, year)
        if p is not None:
            return p
        if not appos and view.text[hi:hi + 2] == ", ":  # "Qatar's emir, Sheikh Tamim ..." parsed apart
            for s, e, name in view.persons:
                if s == hi + 2:
                    text = _np_text(tok)
                    iso3, org = _country_in(text)
                    known = article.find_person(name)
                    return with_country(Person(name, _title_in(text) or tok.text, iso3 or (known.iso3 if known else None), org), year)
        if tok.lemma_.lower() == "delegation":  # "a Chinese delegation, including X"; "a delegation led by X"
            for c in tok.subtree:
                if c.dep_ == "pobj" and c.head.lower_ in ("including", "by") and c.pos_ == "PROPN":
                    p = person_at(view, c)
                    if p is not None:
                        if p.iso3 is None:
                            p.iso3, p.org = _country_in(_np_text(tok))
                        return p
    # 1. a titled name of the sentence inside the phrase
    for s, e, p in view.titled_people():
        if s < hi and lo < e:
            name = p.name
            if (p.title or "").lower() in _HONORIFICS:
                name = f"{p.title} {name}"  # "Sheikh Nasser Al Fahad": the honorific is part of the name
            for ps, pe, pname in view.persons:  # "Luiz Inácio Lula da Silva" cut at a letter the regex lacks
                if ps == s and pe > e:
                    name = pname
            known = article.find_person(name)
            iso3, org = p.iso3 or (known.iso3 if known else None), p.org or (known.org if known else None)
            if iso3 is None:  # "Kenya's Prime Cabinet Secretary and Foreign Minister X"
                left = min(t.idx for t in tok.subtree if t.idx <= s) if any(t.idx <= s for t in tok.subtree) else s
                iso3, org = _country_in(view.text[max(left, view.dateline_end):s])
            return with_country(Person(name, p.title, iso3, org), year, article.text, known.name if known else None)
    # 2. an apposition that gives the name or the title
    if tok.dep_ == "appos":
        appos.append(tok.head)
    if tok.pos_ == "PROPN" or tok.text[:1].isupper() and tok.pos_ == "NOUN" and article.find_person(tok.text) is not None:
        name = _name_text(view, tok, lo, hi)
        if name:
            title, iso3, org = _title_from_name_phrase(doc, tok, lo)
            for a in appos:  # "Kaja Kallas, the EU's foreign policy chief"
                text = _np_text(a)
                t = _title_in(text)
                if t and not title:
                    title = t
                if t and iso3 is None:
                    iso3, org = _country_in(text)
            if iso3 is None:  # "Sheikh Khaled bin Mohamed, Crown Prince of Abu Dhabi, ..."
                m = re.match(r",\s+(?:the\s+)?([^,;()]{3,80}?)(?:,|$)", view.text[hi:])
                if m and _title_in(m.group(1)) and not re.match(
                        r"(?:who|which|that|whose|where|when|while|after|before|as|and|but|said|says|told)\b", m.group(1), re.I) \
                        and not re.search(r"\b(?:is|are|was|were|has|have|had|said|says|will|would)\b", m.group(1)):
                    title = title or _title_in(m.group(1))
                    iso3, org = _country_in(m.group(1))
            known = article.find_person(name)
            if known is not None:
                title = title or known.title
                iso3 = iso3 or known.iso3
                org = org or known.org
                name = known.name if len(known.name) > len(name) and known.name.endswith(name.split()[-1]) else name
            if title is None:
                off = lookup_official(name, year)
                if off is not None:
                    title = getattr(off, "office", None) or "official"
            return with_country(Person(name, title, iso3, org), year, article.text)
    if tok.pos_ in ("NOUN", "PROPN") and _title_in(_np_text(tok)):
        p = _appos_person(view, tok, appos, year)  # "the Sultan of Oman, Haitham bin Tarik", "the head of X, Rafael Grossi"
        if p is not None:
            return p
    # 3. a pronoun: the article's last official who acted
    if tok.lower_ in _PRONOUNS:
        return article.notes.get("people_last_actor") or article.last_subject or _last_official(article, None, exclude=view.text)
    # 4. a title alone: "the minister", "the secretary", "the general", "the commissioner"
    if tok.pos_ in ("NOUN", "PROPN") and tok.lower_ in titles() or tok.lemma_.lower() in titles():
        text = _np_text(tok)
        definite = any((c.dep_ == "det" and c.lower_ in ("the", "this", "that")) or (c.dep_ == "poss" and c.pos_ == "PRON")
                       for c in tok.children)
        generic = tok.lemma_.lower() in _GENERIC
        modified = any(c.dep_ == "amod" and c.lower_ in ("first", "highest", "highest-level", "senior", "new", "former", "only", "top")
                       or c.dep_ == "amod" and c.tag_ in ("JJS",) for c in tok.children)
        if definite and not modified and not any(c.dep_ == "poss" and c.pos_ == "PROPN" for c in tok.children):
            iso3, org = _country_in(text)
            if not generic or iso3 is not None:
                person = _last_official(article, tok.lemma_.lower(), iso3)
                if person is not None:
                    return person
    return None


def described(view, tok) -> Person | None:
    """An official named only by a description ("the Saudi crown prince", "Poland's deputy
    defence minister"): the description as the name, its country from the demonym."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return None
    text = _np_text(tok)
    title = _title_in(text)
    if title is None or title_kind(title) in (None, "other"):
        return None
    iso3, org = _country_in(text)
    if iso3 is None:
        return None
    name = re.sub(r"^(?:the|The|a|an|A|An|his|her|their|His|Her|Their)\s+", "", text).strip()
    return mark_described(Person(name, title, iso3, org))


def mark_described(person: Person) -> Person:
    """Flag a person named only by a description ("Turkish President", "leader of France"): a
    later mention by name ("Recep Tayyip Erdogan") of the same country is the same person."""
    person.described = True
    return person


def is_described(person: Person) -> bool:
    """Named only by a description: flagged so, or a name made of title and country words only
    ("Turkish President", "Qatar's emir")."""
    if getattr(person, "described", False):
        return True
    rest = _title_pattern().sub(" ", person.name)
    for s, e, _ in reversed(A.find_actors(rest)):
        rest = rest[:s] + " " + rest[e:]
    return not re.sub(r"(?:['’]s\b|\b(?:the|of|and|leader|new|former|deputy|vice)\b|[^\w])", " ", rest, flags=re.I).strip()


def leaders_of(view, tok) -> list[Person]:
    """"the leaders of France, Germany and Italy": one official per country named, the
    article's own mention of that country's leader where it has one."""
    if tok.lemma_.lower() not in ("leader", "head", "president", "minister", "chief"):
        return []
    out = []
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for g in c.children:
                if g.dep_ != "pobj":
                    continue
                for x in [g] + [t for t in g.subtree if t.dep_ == "conj"]:
                    iso3, org = _country_in(x.text if x.pos_ == "PROPN" and len(list(x.subtree)) == 1 else x.doc.text[x.left_edge.idx:x.idx + len(x.text)])
                    if iso3 is None:
                        continue
                    known = next((p for p in reversed(view.article.people) if p.iso3 == iso3 and title_kind(p.title) == "leader"), None)
                    out.append(known or mark_described(Person(f"leader of {org}", tok.lemma_.lower(), iso3, org)))
    return out


def _name_text(view, tok, lo: int, hi: int) -> str | None:
    """The personal name inside a proper-noun phrase: a PERSON entity, else the proper nouns
    of the phrase without title words and country names."""
    for s, e, name in view.persons:
        if s < hi and lo < e:
            return _strip_titles(name)
    words = [t for t in tok.doc if lo <= t.idx < hi and (t.pos_ == "PROPN" or t.i == tok.i)]
    text = " ".join(t.text for t in words)
    text = _strip_titles(text)
    if not text or A.resolve_actor(text) is not None:
        return None
    if view.article.find_person(text) is not None:
        return text
    return None


_HONORIFICS = {"sheikh", "sheikha"}  # part of the name as news writes it ("Sheikh Tamim bin Hamad")


def _strip_titles(name: str) -> str:
    name = re.sub(r"(?:'s|’s)$", "", name.strip())
    out = name
    for _ in range(3):
        m = _title_pattern().match(out)
        if not m or m.group(0).lower() in _HONORIFICS:
            break
        out = out[m.end():].strip()
    return out or name


def _title_from_name_phrase(doc, tok, lo: int) -> tuple[str | None, str | None, str | None]:
    """A title compounded with a name ("Prince Khalid", "Sheikh Mohamed") and a country word
    before it ("Saudi Prince Khalid")."""
    text = X.doc_text(doc)[lo:tok.idx + len(tok.text)]
    text = re.split(r",\s|\s+and\s+|\s+with\s+", text)[-1]  # "The emir and wife Sheikha X": X's own words only
    title = _title_in(text)
    iso3, org = _country_in(text) if title else (None, None)
    return title, iso3, org


_GENERIC = {"head", "chief", "official", "leader", "delegation", "diplomat"}
_ABBREVIATED = {"general": ("gen.", "gen "), "secretary": ("sec.",), "minister": ("premier",)}


def _last_official(article, word: str | None, iso3: str | None = None, exclude: str = "") -> Person | None:
    """The article's last official whose title has `word` ("the minister"), of country `iso3`
    when given (one of that country first, then one whose country the text does not give)."""
    def title_fits(p: Person) -> bool:
        if word is None or word in _GENERIC:
            return True
        title = (p.title or "").lower() + " "
        return word in title or any(a in title for a in _ABBREVIATED.get(word, ()))

    fits = [p for p in reversed(article.people) if is_official(p) and title_fits(p) and not (exclude and p.name.split()[-1] in exclude)]
    if iso3 is not None:
        same = [p for p in fits if p.iso3 == iso3]
        if same:
            return same[0]
        fits = [p for p in fits if p.iso3 is None]
    return fits[0] if fits else None
