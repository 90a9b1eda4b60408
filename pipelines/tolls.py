"""Casualty tolls read off the parse: who was killed or wounded, and how many.

"killing nine residents including four children" is 9 (the children are among them); "killed six
children and their mother" is 7; "killing a man and two children" is 3; "Al-Qaderi was killed" is
1; "left one person dead and six wounded" is 1 killed, 6 wounded; "the death toll rose to 12" is
12; "no one was hurt" is 0. A count is the number modifying the noun (pipelines/numbers.py reads
"at least 12", "dozens", "between 10 and 15"), or 1 for a singular person ("a child", "the
commander", a name), summed over a coordinated list. Words of killing and wounding are data
(data/lexicon/casualty_words.csv).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from pipelines import lexicon as L
from pipelines import numbers as N
from pipelines import syntax as X

_SINGULAR_DETS = {"a", "an", "the", "his", "her", "their", "its", "one", "another", "this", "that", "our", "my"}
_PRONOUN_ONE = {"him", "her", "he", "she", "himself", "herself"}
_NOT_PEOPLE = {"donkey", "cattle", "head", "livestock", "animal", "sheep", "goat", "cow", "horse", "dog", "camel",
               "vehicle", "car", "truck", "building", "house", "home", "tank"}


@dataclass
class Toll:
    killed: int | None = None
    killed_max: int | None = None
    wounded: int | None = None
    killed_text: str | None = None
    kill_tokens: tuple[int, ...] = ()  # token indices of the words of killing that gave the toll

    @property
    def empty(self) -> bool:
        return self.killed is None and self.wounded is None


@lru_cache(maxsize=1)
def _words() -> dict[str, str]:
    return {k: v["kind"] for k, v in L.table("casualty_words").items()}


def kind_of(tok) -> str | None:
    """kill | wound | None for a word ("killed", "died", "dead", "wounding", "injuries")."""
    words = _words()  # called for every token of a sentence, several times: each attribute read once
    lemma = tok.lemma_.lower()
    kind = words.get(lemma) or words.get(tok.lower_)
    if kind is None and lemma == "lose" and any(c.lemma_.lower() == "life" for c in tok.children):
        return "kill"  # "lost their lives"
    if kind is None and lemma == "shoot" and any(c.lower_ == "dead" for c in tok.children):
        return "kill"
    return kind


def _count_np(head) -> tuple[int | None, int | None, str | None]:
    """(low, high, text) for the people a noun phrase names, summed over its conjuncts."""
    low_sum, high_sum, texts = 0, 0, []
    open_high = False
    for n, tok in enumerate(X.conjuncts(head)):
        if tok.lemma_.lower() in _NOT_PEOPLE:
            continue
        if n > 0 and tok.tag_ == "NN" and not any(c.dep_ in ("det", "poss", "nummod") for c in tok.children) and texts:
            continue  # "a former government advisor and political analyst": one person
        c = _count_one(tok)
        if c is None:
            return None, None, None
        low, high, text = c
        low_sum += low
        if high is None:
            open_high = True
        else:
            high_sum += high
        texts.append(text)
    if not texts:
        return None, None, None
    return low_sum, (None if open_high else high_sum), " and ".join(texts)


def _count_one(tok) -> tuple[int, int | None, str] | None:
    nums = [c for c in tok.children if c.dep_ in ("nummod", "quantmod") or (c.dep_ == "amod" and c.like_num)]
    if nums:
        lo = min(t.left_edge.i for t in nums)
        hi = max(t.right_edge.i for t in nums)
        phrase = tok.doc[lo:hi + 1].text
        count = N.parse_count(phrase)
        if count is None:
            for t in nums:
                count = N.parse_count(t.text)
                if count is not None:
                    break
        if count is not None and count.low is not None:
            return count.low, count.high, phrase
        if count is not None and count.high is not None:
            return count.high, count.high, phrase
        if any(t.lower_ == "one" for t in nums):
            return 1, 1, phrase  # "one person"
        return None
    if tok.like_num:  # "killing 23", "23 were killed"
        count = N.parse_count(tok.doc[tok.left_edge.i:tok.i + 1].text)
        if count is not None and count.low is not None:
            return count.low, count.high, count.text
    if tok.lower_ in _PRONOUN_ONE:
        return 1, 1, tok.text
    if tok.pos_ == "PROPN" or tok.ent_type_ == "PERSON":
        return 1, 1, tok.text
    if tok.tag_ in ("NN",) and (any(c.lower_ in _SINGULAR_DETS or c.dep_ == "poss" for c in tok.children)):
        return 1, 1, tok.text  # "a child", "their mother", "the commander"
    if tok.tag_ in ("NN",) and any(c.dep_ in ("appos", "compound") and (c.pos_ == "PROPN" or c.ent_type_ == "PERSON")
                                   for c in tok.children):
        return 1, 1, tok.text  # "al-Shabaab leader, Ahmed Godane"
    if tok.lower_ in ("one", "nobody", "none"):
        return (0, 0, tok.text) if tok.lower_ in ("nobody", "none") else (1, 1, tok.text)
    return None


def _patients(tok) -> list:
    """The people a word of killing or wounding is about."""
    lemma = tok.lemma_.lower()
    deps = {c.dep_: c for c in tok.children}
    out = []
    if tok.pos_ in ("VERB", "AUX"):
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children) or tok.tag_ == "VBN" and tok.dep_ in ("acl", "relcl") \
            and not any(c.dep_ == "dobj" for c in tok.children)  # "An explosion ..., killed 15 soldiers" misparsed as a participle
        if lemma in ("die", "perish") or (lemma == "lose"):
            out += [c for c in tok.children if c.dep_ in ("nsubj",)]
        elif passive:
            out += [c for c in tok.children if c.dep_ == "nsubjpass"]
            if not out and tok.dep_ == "xcomp":  # "were believed to have been killed"
                out += [c for c in tok.head.children if c.dep_ in ("nsubjpass", "nsubj")]
            if not out and tok.dep_ in ("acl", "relcl") and tok.head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
                out.append(tok.head)  # "the 12 soldiers killed in the attack"
        else:
            out += [c for c in tok.children if c.dep_ == "dobj"]
            if not out:  # "... and six wounded" parsed with the number as subject
                out += [c for c in tok.children if c.dep_ == "nsubj" and c.like_num]
    elif tok.lower_ == "dead" or lemma == "dead":
        if tok.dep_ in ("oprd", "acomp", "ccomp", "xcomp") and tok.head.lemma_.lower() == "leave":
            out += [c for c in tok.head.children if c.dep_ == "dobj"]
        elif tok.dep_ == "amod" and tok.head.pos_ in ("NOUN", "PROPN", "NUM"):
            out.append(tok.head)  # "12 dead civilians"
        elif tok.dep_ == "conj" or tok.dep_ == "ROOT":
            out += [c for c in tok.children if c.like_num or c.dep_ == "nummod"]
        if not out and tok.head.like_num:
            out.append(tok.head)  # "at least 12 dead"
        for c in tok.children:
            if c.dep_ in ("nummod", "npadvmod") and c.like_num:
                out.append(c)
    elif lemma in ("death", "fatality", "casualty", "victim"):
        nums = [c for c in tok.children if c.dep_ == "nummod" or c.like_num]
        if nums:
            out.append(tok)
    _ = deps
    return out


@lru_cache(maxsize=1)
def _failed_words() -> frozenset[str]:
    return L.words("failed_attempt_words")


# Links through which a killing word hangs on what governs it inside one event phrase ("tried
# to kill", "an attempt to assassinate", "an assassination attempt", "escaped being killed").
_ATTEMPT_LINKS = ("xcomp", "acl", "pcomp", "prep", "pobj", "compound", "auxpass")


def failed_attempt(tok) -> bool:
    """A killing word under a word of failure (failed_attempt_words.csv): "gunmen tried to kill the
    mayor", "survived an assassination attempt". A relative clause ends the climb: "survived an
    attack that killed his driver" reports the driver's death."""
    cur = tok
    for _ in range(6):
        infinitive = cur.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children)
        if (cur.dep_ not in _ATTEMPT_LINKS and not infinitive) or cur.head is cur:
            return False  # ("foiled a plot to assassinate": the parser may hang the infinitive on the verb)
        cur = cur.head
        if cur.lemma_.lower() in _failed_words():
            return True
    return False


@lru_cache(maxsize=1)
def _update_words() -> dict[str, str]:
    return {k: v["role"] for k, v in L.table("toll_update_words").items()}


def _is_total(tok) -> bool:
    """"the (death) toll", "the number of dead", "the number of people killed", "the tally of deaths"."""
    if _update_words().get(tok.lemma_.lower()) != "total":
        return False
    if tok.lemma_.lower() == "toll":
        return not any(c.lemma_.lower() in ("wound", "injury", "injure") for c in tok.children)
    return any(kind_of(t) == "kill" for t in tok.subtree if t.i != tok.i)


# A total over many events ("the toll from the day's strikes", "the number killed since the war
# began") is no toll of one strike: words of role "many" (plural) and "span" in toll_update_words.csv.
@lru_cache(maxsize=None)
def _aggregate_words(role: str) -> frozenset[str]:
    return frozenset(w for w, r in _update_words().items() if r == role)


def _aggregate_total(tok) -> bool:
    for t in tok.subtree:
        if t.i == tok.i:
            continue
        if t.lemma_.lower() in _aggregate_words("span") or t.lower_ in _aggregate_words("span"):
            return True
        if t.lemma_.lower() in _aggregate_words("many") and t.tag_ == "NNS":
            return True
    return False


def toll_update(doc, elsewhere: Sequence[tuple[int, int]] = ()) -> tuple[int, int | None, str, int] | None:
    """(low, high, text, token index of the total) for a running total the sentence states ("the
    death toll rose to 12", "raising the toll to six"), or None."""
    for tok in doc:
        if not _is_total(tok) or _aggregate_total(tok) or any(lo <= tok.idx < hi for lo, hi in elsewhere):
            continue
        verb = tok.head
        role = _update_words().get(verb.lemma_.lower())
        if not (role == "rise" and tok.dep_ == "nsubj" or role == "raise" and tok.dep_ == "dobj"):
            continue
        if any(c.dep_ == "prep" and c.lower_ not in ("to", "at") and _aggregate_total(c) for c in verb.children):
            continue  # "bringing the toll from the day's strikes to 30": the parser hangs "from" on the verb
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ in ("to", "at"):
                for num in prep.children:
                    if num.dep_ == "pobj":
                        count = N.parse_count(doc[num.left_edge.i:num.right_edge.i + 1].text)
                        if count is not None and count.low is not None:
                            return count.low, count.high, count.text, tok.i
    return None


def toll_of(doc, tokens: set[int] | None = None, elsewhere: Sequence[tuple[int, int]] = (), dateline_end: int = 0) -> Toll:
    """The toll stated in a parsed sentence; with `tokens`, only by words of killing linked to
    those tokens (the event's words) in the tree, within three steps. Words of killing inside an
    `elsewhere` span (character offsets of another event's phrase: "a day after a drone attack
    killed four") are that event's toll, not this one's. Nothing before `dateline_end` is a
    victim: "PORT SUDAN (Wire) - At least 15 people were killed" may parse the dateline as a
    second subject."""
    toll = Toll()
    kill_toks = []
    for tok in doc:
        kind = kind_of(tok)
        if kind is None:
            continue
        if any(lo <= tok.idx < hi for lo, hi in elsewhere):
            continue
        if tokens is not None and not _linked(tok, tokens) or failed_attempt(tok):
            continue
        for p in _patients(tok):
            if p.idx < dateline_end:
                continue
            low, high, text = _count_np(p)
            if low is None:
                continue
            if kind == "kill" and toll.killed is None:
                toll.killed, toll.killed_max, toll.killed_text = low, high, text
                kill_toks.append(tok.i)
            elif kind == "wound" and toll.wounded is None:
                toll.wounded = low
    total = toll_update(doc, elsewhere)
    if total is not None and (tokens is None or _linked(doc[total[3]], tokens) or toll.killed is not None):
        # the running total, not the one death that raised it ("rose to four after a wounded worker died")
        toll.killed, toll.killed_max, toll.killed_text = total[0], total[1], total[2]
        kill_toks.append(total[3])
    toll.kill_tokens = tuple(kill_toks)
    return toll


def _linked(tok, tokens: set[int]) -> bool:
    t = tok
    for _ in range(4):
        if t.i in tokens:
            return True
        if t.head.i == t.i:
            break
        t = t.head
    return any(abs(tok.i - i) <= 0 for i in tokens) or any(c.i in tokens for c in tok.subtree if abs(c.i - tok.i) < 12)
