"""Certainty and attribution of a stated fact: who says so, and how sure they are.

certainty, from strongest to weakest evidence of doubt (the first rule that applies wins):
- denied:    the sentence denies the act ("denied carrying out", "rejected claims", "did not carry out");
- possible:  hedged ("likely", "probably", "believed to", "suspected", "unconfirmed", "may have",
             "declined to confirm", "could not be independently verified", "it was not clear");
- claimed:   a party claims it ("claimed responsibility", "claims to have", "said it had shot down");
- reported:  attributed to a third party ("said", "according to", "reported", "told reporters");
- confirmed: stated by the reporter as fact, or confirmed by the actor about its own act.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipelines.syntax import doc_text

_DENIED = re.compile(
    r"\b(?:denie[sd]|deny(?:ing)?|rejected\s+(?:the\s+)?(?:claims?|reports?|accusations?)|dismissed\s+(?:the\s+)?(?:claims?|reports?)"
    r"|did\s+not\s+(?:carry\s+out|conduct|launch|strike|attack|target)|was\s+not\s+(?:involved|responsible))\b",
    re.I,
)
_POSSIBLE = re.compile(
    r"\b(?:likely|probably|possibly|apparently|believed\s+to|thought\s+to|suspected|presumed|unconfirmed"
    r"|may\s+have|might\s+have|could\s+have|appears?\s+to|appeared\s+to|reportedly"
    r"|declined\s+to\s+(?:confirm|declare|say|comment)|would\s+not\s+confirm|could\s+not\s+(?:be\s+)?(?:independently\s+)?(?:confirm|verif)\w*"
    r"|not\s+(?:been\s+)?(?:independently\s+)?(?:confirmed|verified)|it\s+was\s+(?:not|unclear)|unclear\s+whether|no\s+confirmation"
    r"|if\s+confirmed|is\s+said\s+to|are\s+said\s+to|was\s+said\s+to|rumou?red)\b",
    re.I,
)
_CLAIMED = re.compile(
    r"\b(?:claim(?:ed|s|ing)?\s+(?:responsibility|credit|to\s+have|it|that|the)|took\s+responsibility|took\s+credit"
    r"|said\s+it\s+had|says\s+it\s+has|said\s+its\s+(?:fighters|forces|militants))\b",
    re.I,
)
_CONFIRMED_BY = re.compile(r"\b(?:confirmed|acknowledged|announced|admitted)\b", re.I)

# "..., the Pentagon said." / "..., said Lt. Col. Smith" / "according to local officials" /
# "Moscow said on Thursday that ..."
_SAY = r"(?:said|says|say|reported|reports|told\s+\w+(?:\s+\w+)?|announced|claimed|confirmed|added|stated|wrote|alleged|insisted|tweeted|posted)"
_TAIL = r"(?:\s+(?:on|late\s+on|early\s+on)\s+\w+|\s+in\s+a\s+(?:statement|post|briefing)(?:\s+on\s+\w+)?|\s+(?:yesterday|today|later|earlier))*\s*[.!]?[\"”’]?$"
_SAID_AFTER = re.compile(r"[,;]\s*(?P<src>[^,;\"“”]{2,90}?)\s+" + _SAY + _TAIL)
_SAID_INVERTED = re.compile(r"[,;]\s*(?:said|says|reported|according\s+to|told)\s+(?!that\b)(?P<src>[^,;\"“”]{2,90}?)(?:,|\s*[.!]?$)")
_ACCORDING = re.compile(r"\baccording\s+to\s+(?P<src>[^,;\"“”.]{2,90}?)(?:,|\s*[.!]?$|\s+(?:which|who)\b)")
_SAID_BEFORE = re.compile(r"^(?:[A-Z]+(?:[ ,][A-Za-z]+)?\s*\([^)]*\)\s*[-–—]+\s*)?(?P<src>[A-Z][^,;\"“”]{1,70}?)\s+" + _SAY + r"\b(?:\s+(?:on|late\s+on)\s+\w+)?(?:\s+that)?\b")
_PRONOUNS = {"he", "she", "they", "it"}
# A subject that ends in an auxiliary, an adverb or a lower-case past tense is no speaker: the
# saying word is passive ("is said to") or a noun ("dismissed reports of").
_NOT_A_SPEAKER_END = re.compile(r"\b(?:is|are|was|were|be|been|being|has|have|had|not|[a-z]+ly|[a-z]+ed)$")


@dataclass(frozen=True)
class Attribution:
    certainty: str
    attributed_to: str | None


def attribution_source(sentence: str) -> str | None:
    """Who the sentence attributes its content to, as written ("the Pentagon", "local officials")."""
    for pattern in (_ACCORDING, _SAID_AFTER, _SAID_INVERTED, _SAID_BEFORE):
        m = pattern.search(sentence)
        if m:
            src = m.group("src").strip()
            if pattern is _SAID_BEFORE and _NOT_A_SPEAKER_END.search(src):
                return None  # "The commander is said to", "has not been independently confirmed", "dismissed reports"
            return src if len(src) <= 80 else None
    return None


@lru_cache(maxsize=1 << 14)
def _sentence_hedge(sentence: str) -> tuple[str | None, str | None]:
    """(attribution_source, "denied" | "possible" | "claimed" | None) of a sentence: what
    `assess` reads off the sentence alone, a pure function of it, asked once per fact."""
    source = attribution_source(sentence)
    if _DENIED.search(sentence):
        return source, "denied"
    if _POSSIBLE.search(sentence):
        return source, "possible"
    if _CLAIMED.search(sentence):
        return source, "claimed"
    return source, None


def assess(sentence: str, actor_names: tuple[str, ...] = ()) -> Attribution:
    """Certainty and source of the fact stated in `sentence`.

    `actor_names` are the surface forms of the acting party (attacker, seller...): an actor that
    confirms or announces its own act makes the fact confirmed rather than reported."""
    source, hedge = _sentence_hedge(sentence)
    if hedge is not None:
        return Attribution(hedge, source)
    if source is None:
        return Attribution("confirmed", None)
    own = source.lower().removeprefix("the ").strip()
    if any(own and (own in a.lower() or a.lower() in own) for a in actor_names):
        return Attribution("confirmed", source)  # the actor about its own act
    if own in _PRONOUNS:
        return Attribution("reported", None)
    return Attribution("reported", source)


# ---------------------------------------------------------------------------------------------
# With the parse: the hedge must bear on the event, and the source is who speaks of it
# ---------------------------------------------------------------------------------------------

# Words that hedge the event they modify ("a suspected drone strike", "allegedly shelled"); on
# another word ("suspected militants were killed") they describe that word, not the event.
_HEDGE_WORDS = {"suspected", "alleged", "apparent", "possible", "probable", "likely", "reportedly", "allegedly",
                "apparently", "probably", "possibly", "presumably", "purportedly", "supposedly", "seemingly"}
_HEDGE_VERBS = {"believe", "think", "suspect", "presume", "appear", "seem", "say", "report", "understand", "fear"}
_REPORT_LEMMAS = {"say", "report", "tell", "announce", "state", "add", "write", "tweet", "post", "confirm", "acknowledge", "admit", "note",
                  "quote", "cite", "claim", "accuse", "allege", "blame", "describe", "insist", "indicate", "show"}
_CLAIM_LEMMAS = {"claim", "accuse", "allege", "blame"}
_CASUALTY_LEMMAS = {"kill", "die", "wound", "injure", "eliminate", "slay"}
# Sentence-wide hedges whatever word they stand by.
_POSSIBLE_ANYWHERE = re.compile(
    r"\b(?:unconfirmed|could\s+not\s+(?:be\s+)?(?:independently\s+)?(?:confirm|verif)\w*|not\s+(?:been\s+)?(?:independently\s+)?(?:confirmed|verified)"
    r"|it\s+was\s+(?:not\s+clear|unclear)|unclear\s+whether|no\s+confirmation|if\s+confirmed|declined\s+to\s+(?:confirm|declare)|would\s+not\s+confirm"
    r"|may\s+have|might\s+have|could\s+have|rumou?red)\b", re.I)


def _speaker(verb) -> str | None:
    # the passive subject of a reporting verb is what is reported ("the commander is said to have
    # died", "four people were reported killed"), except for a quoted speaker ("officials were quoted")
    passive_speaker = verb.lemma_.lower() in ("quote", "cite")
    for c in verb.children:
        if (c.dep_ == "nsubj" or c.dep_ == "nsubjpass" and passive_speaker) and c.lower_ not in ("it", "this", "that", "which"):
            lo, hi = c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text)
            return doc_text(c.doc)[lo:hi].strip(" ,")
    for c in verb.children:  # "..., according to local officials"
        if c.dep_ == "prep" and c.lower_ == "according":
            for g in c.subtree:
                if g.dep_ == "pobj":
                    return doc_text(g.doc)[g.left_edge.idx:g.right_edge.idx + len(g.right_edge.text)]
    return None


def assess_event(doc, event_tokens, actor_names: tuple[str, ...] = (), sentence: str | None = None) -> Attribution:
    """Certainty and source of the event whose words are `event_tokens` (token indices of a
    parsed sentence): a hedge counts when it bears on those words or the clauses above them;
    the source is the speaker of the reporting verb above the event ("Gaza's health ministry
    said that ...", "..., witnesses said, killing seven", "according to officials"), else the
    sentence's attribution as `assess` reads it; a quotation is its speaker's report."""
    text = sentence if sentence is not None else doc.text
    base = assess(text, actor_names)
    if base.certainty == "denied":
        return base
    toks = [doc[i] for i in event_tokens if 0 <= i < len(doc)]
    if not toks:
        return base
    hedged = bool(_POSSIBLE_ANYWHERE.search(text))
    source = None
    confirming = False  # the speaker confirms it ("the group confirmed his death")
    claimed = bool(_CLAIMED.search(text))
    for tok in toks:
        for c in tok.children:
            if c.lower_ in _HEDGE_WORDS and c.dep_ in ("amod", "advmod"):
                hedged = True
        t = tok
        for _ in range(8):  # up the tree: "believed to have been killed", "said that planes bombed"
            if t.head.i == t.i:
                break
            parent = t.head
            if t.dep_ in ("xcomp",) and parent.lemma_.lower() in _HEDGE_VERBS and (parent.lemma_.lower() in ("appear", "seem") or any(
                    c.dep_ in ("auxpass", "nsubjpass") for c in parent.children)):
                hedged = True  # "were believed to have been killed", "is said to have died", "appeared to shell"
            if not (parent.lemma_.lower() in _CASUALTY_LEMMAS and t.dep_ in ("nsubj", "nsubjpass")) and any(
                    c.lower_ in ("reportedly", "allegedly", "apparently", "probably", "likely") for c in parent.children if c.dep_ == "advmod"):
                hedged = True  # "likely been killed in a U.S. air strike"; not "the strike had likely killed a commander"
            if parent.pos_ == "VERB" and parent.lemma_.lower() in _REPORT_LEMMAS and t.dep_ in ("ccomp", "parataxis", "advcl", "xcomp", "dobj", "conj", "pcomp", "prep"):
                src = _speaker(parent)
                if src and source is None:
                    source = src
                    confirming = parent.lemma_.lower() in ("confirm", "acknowledge", "admit")
                if parent.lemma_.lower() in _CLAIM_LEMMAS:
                    claimed = True
            t = parent
    if source is None:
        root = next((t for t in doc if t.head.i == t.i), None)  # "..., police said, killing ..." as a parenthetical
        for t in doc:
            if t.pos_ == "VERB" and t.lemma_.lower() in _REPORT_LEMMAS and t.dep_ in ("parataxis", "ROOT") and t.i != root.i or (
                    t.dep_ == "parataxis" and t.lemma_.lower() in _REPORT_LEMMAS):
                source = _speaker(t)
                if source:
                    break
    source = source or base.attributed_to
    if source is None and re.match(r'^\s*["“]', text):
        source = None  # a quotation without its speaker in the sentence: reported all the same
        return Attribution("possible" if hedged else ("claimed" if claimed else "reported"), None)
    if hedged:
        return Attribution("possible", source)
    if claimed:
        return Attribution("claimed", source)
    if source is None:
        # "..., it said": a report by someone named earlier, whom the sentence does not name
        return Attribution("reported" if base.certainty == "reported" else "confirmed", None)
    own = source.lower().removeprefix("the ").strip()
    if own in _PRONOUNS:
        return Attribution("reported", None)
    if confirming:
        return Attribution("confirmed", source)
    kind = _own_act(source, actor_names)
    if kind is not None:
        # the actor about its own act: a state's forces confirm it, an armed group claims it
        return Attribution("claimed" if kind in ("armed_group", "coalition") else "confirmed", source)
    return Attribution("reported", source)


def _own_act(source: str, actor_names: tuple[str, ...]) -> str | None:
    """The actor's kind when the source is the acting party itself ("the U.S. military's Central
    Command" for "U.S. forces"), else None."""
    from pipelines.actors import find_actors

    own = source.lower().removeprefix("the ").strip()
    actors = [a for name in actor_names if name for _, _, a in find_actors(name)]
    for a_name in actor_names:
        if a_name and own and (own in a_name.lower() or a_name.lower() in own):
            return actors[0].kind if actors else "country"
    spoken = [a for _, _, a in find_actors(source)]
    for a in actors:
        for b in spoken:
            if a.canonical == b.canonical or (a.iso3 and a.iso3 == b.iso3 and a.kind != "armed_group" and b.kind != "armed_group"):
                return a.kind
    return None
