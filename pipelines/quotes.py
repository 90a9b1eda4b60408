"""Quotes with speakers. Works on the whole article text (a quote may span sentences).

A quote is text between curly or straight double quotation marks with at least four words (shorter
ones are scare quotes: "minister of war"). The speaker is the name or pronoun attached to a
speech verb right after the quote (", Lavrov said", ", said Ned Price, a spokesman") or right
before it ("Lavrov told reporters: ..."); a pronoun or "the minister" points back to the last
official named. The same words quoted twice in one article are one row.
"""

from __future__ import annotations

import re

from pipelines import actors as A
from pipelines.context import NAME, TITLE_WORDS, TITLED_NAME, ArticleView, Person, titled_names

_QUOTE = re.compile(r"“(?P<c>[^“”]{3,2000}?)”|\"(?P<s>[^\"\n]{3,2000}?)\"")
_VERB = r"(?:said|says|added|told\s+(?:\w+\s*){1,3}?|stated|wrote|warned|insisted|declared|noted|explained|argued|asked|continued|posted|tweeted|remarked)"
# Who speaks: a name with or without a title ("U.N. spokesperson Stephane Dujarric"), a noun
# phrase ("the syndicate's secretary-general", "one of the analysts"), or a pronoun.
_NP = (r"(?:(?:one\s+of\s+the|the|a|an|The|A|An|[A-Z][\w.'’-]*)(?:\s+(?:of\s+|to\s+|for\s+|at\s+|with\s+)?[\w.'’-]+){0,6}?"
       r"|he|she|they|He|She|They)")
_AFTER = re.compile(
    r"^[,.!?]?\s*(?:(?P<v1>" + _VERB + r")\s+(?P<n1>" + _NP + r")(?=\s*[,.;]|\s+(?:in|at|on|during|after|before|from)\b|\s*$)"
    r"|(?P<n2>" + _NP + r")(?P<app>,\s*[^,“”\"]{3,110},)?\s+(?P<v2>" + _VERB + r"))",
)
_BEFORE = re.compile(r"(?P<n>" + _NP + r")(?P<app>,\s*[^,“”\"]{3,110},)?\s+(?:" + _VERB + r")(?:\s+[\w'’-]+){0,5}?\s*[:,]?\s*$")
_APPOSITIVE = re.compile(r"^,\s*(?P<art>the\s+|a\s+|an\s+)?(?P<role>[^,.;“”\"]{3,80}?)\s*(?:[,.;]|$)")
# Fragments and quotes inside a sentence: "X called the talks “constructive”".
_IN_SENTENCE = re.compile(
    r"(?P<n>(?:(?:the|a|an|The|A|An)\s+)?(?:[A-Z][\w.'’-]*\s+){0,4}?(?:[A-Z][\w'’-]+|official|spokes(?:man|woman|person)|minister|ministry|military|army|group|statement))"
    r"(?:,\s*[^,]{3,60},)?\s+(?:said|says|called|described|warned|vowed|threatened|told|urged|denounced|dismissed|accused|promised|pledged|insisted|added|described)\b[^“”\".;]{0,80}$"
)
_FULL_NAME = re.compile(r"\b([A-Z][a-z'’]+(?:[- ](?:al-|bin |de |van )?[A-Z][a-z'’-]+){1,3})\b")
_ROLE_WORDS = re.compile(r"\b(?:minister|secretary|president|spokes(?:man|woman|person)|official|ambassador|envoy|general|commander|chief|director|adviser|advisor|analyst|leader|head|governor|mayor|senator|lawmaker|researcher|professor|fellow|monitor|coordinator|representative|negotiator)\b", re.I)
_PRONOUNS = {"he", "she", "they"}


def _norm(q: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", q.lower()).split())


def _speaker_from(name: str, article: ArticleView) -> Person | None:
    name = name.strip()
    low = name.lower()
    if low in _PRONOUNS:
        return article.last_subject or article.last_person()
    if low.startswith(("the ", "a ", "an ")):
        word = low.split()[-1]
        known = article.last_person(word)
        if known:
            return known
        return Person(name, name.split(None, 1)[1], None, None)
    m = TITLED_NAME.search(name)
    if m:
        person = Person(m.group("name"), " ".join(m.group("title").split()), None, None)
        article.remember(person)
        return article.find_person(person.name)
    known = article.find_person(name)
    if known:
        return known
    if A.resolve_actor(name) is not None:  # "Russia said", "the Pentagon said"
        actor = A.resolve_actor(name)
        return Person(name, None, actor.iso3, actor.canonical)
    return Person(name, None, None, None)


def _antecedent(text: str, pos: int, last_speaker: tuple[int, Person] | None) -> Person | None:
    """Whom "he said" refers to: the last official named before the quote, or the previous
    quote's speaker when that came later."""
    window = text[max(0, pos - 1500):pos]
    titled = list(titled_names(window))
    if titled:
        m = titled[-1]
        named_at = max(0, pos - 1500) + m.start()
        if last_speaker is None or named_at > last_speaker[0]:
            return Person(m.group("name"), " ".join(m.group("title").split()), None, None)
    if last_speaker is not None:
        return last_speaker[1]
    names = [n for n in _FULL_NAME.finditer(window) if A.resolve_actor(n.group(1)) is None]
    return Person(names[-1].group(1), None, None, None) if names else None


def _expand(surname: str, before: str) -> Person | None:
    """The person an article introduced earlier under this surname ("Mujahid" ->
    "Zabihullah Mujahid"), with the title it gave them ("Defense Secretary Lloyd Austin")."""
    for m in reversed(list(titled_names(before))):
        if m.group("name").split()[-1] == surname:
            org = A.find_actors(m.group("org") or "") if m.group("org") else []
            return Person(m.group("name"), " ".join(m.group("title").split()),
                          org[0][2].iso3 if org else None, org[0][2].canonical if org else None)
    for m in reversed(list(_FULL_NAME.finditer(before))):
        name = m.group(1)
        if name.split()[-1] == surname and A.resolve_actor(name) is None:
            return Person(name, None, None, None)
    return None


def extract_quotes(article: ArticleView) -> list[dict]:
    """Quote rows (without the common columns) with quote_start/quote_end in the article text."""
    text = article.text
    rows: list[dict] = []
    seen: set[str] = set()
    last_speaker: tuple[int, Person] | None = None
    for m in _QUOTE.finditer(text):
        group = "c" if m.group("c") is not None else "s"
        quote = m.group(group).strip().rstrip(",")
        if not quote or len(quote) > 1500:
            continue
        key = _norm(quote)
        if key in seen:
            continue
        q_start = m.start(group) + (len(m.group(group)) - len(m.group(group).lstrip()))
        q_end = q_start + len(quote)
        after = text[m.end():m.end() + 160]
        before_line = text[max(0, text.rfind("\n", 0, m.start()) + 1, m.start() - 200):m.start()]
        speaker = None
        role_text = None
        am = _AFTER.match(after)
        if am:
            name = am.group("n1") or am.group("n2")
            speaker = _speaker_from(name, article)
            if am.group("app"):
                role_text = am.group("app").strip(" ,")
            tail = after[am.end():]
            ap = _APPOSITIVE.match(tail)
            if ap and (ap.group("art") or _ROLE_WORDS.search(ap.group("role"))) and len(ap.group("role").split()) <= 10:
                role_text = ap.group("role")
        else:
            bm = _BEFORE.search(before_line)
            if bm:
                speaker = _speaker_from(bm.group("n"), article)
                if bm.group("app"):
                    role_text = bm.group("app").strip(" ,")
            else:
                sentence_start = max(text.rfind(". ", 0, m.start()) + 2, text.rfind("\n", 0, m.start()) + 1)
                im = _IN_SENTENCE.search(text[sentence_start:m.start()])
                if im:
                    speaker = _speaker_from(im.group("n"), article)
        if speaker is not None and speaker.name.lower() in _PRONOUNS or speaker is None and am is not None and (am.group("n1") or am.group("n2") or "").lower() in _PRONOUNS:
            speaker = _antecedent(text, m.start(), last_speaker)
        if speaker is None:
            continue  # an unattributed quotation is not a quote with a speaker
        last_speaker = (m.start(), speaker)
        if " " not in speaker.name and speaker.name[:1].isupper():
            full = _expand(speaker.name, text[:m.start()])
            if full:
                speaker = Person(full.name, speaker.title or full.title, speaker.iso3 or full.iso3, speaker.org or full.org)
        seen.add(key)
        role = speaker.title or (role_text.strip() if role_text else None)
        org = speaker.org
        if org is None and role_text:
            actors = A.find_actors(role_text)
            if actors:
                org = actors[0][2].canonical
        if org is None and role:
            actors = A.find_actors(role)
            if actors:
                org = actors[0][2].canonical
        rows.append({
            "speaker": speaker.name,
            "speaker_role": role,
            "speaker_org": org,
            "quote": quote,
            "quote_start": q_start,
            "quote_end": q_end,
            "_confidence": 0.9 if speaker.name.lower() not in _PRONOUNS else 0.6,
        })
    return rows
