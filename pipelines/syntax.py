"""Small helpers over spaCy's dependency parse, shared by the fact extractors.

They read roles off the tree the way the extractors need them: the subject of a verb (also when
a coordinated verb shares it: "arrived and met"), the agent of a passive ("by X"), the objects
of a preposition attached to a word, the conjuncts of a list ("A, B and C"), the text of a noun
phrase without its relative clauses, and the modality of a verb (will, would, could, vowed to,
threatened to). Token arguments are spaCy tokens; offsets are character offsets into the
sentence (the Doc is one sentence).
"""

from __future__ import annotations

import weakref

_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_MODALS = {"will", "would", "could", "may", "might", "shall", "should", "can", "must", "'ll", "wo"}
# Verbs that put what follows in the future or the hypothetical: "vowed to strike", "plans to visit".
_PLAN_VERBS = {"plan", "plot", "threaten", "intend", "prepare", "consider", "propose", "contemplate", "rehearse", "simulate"}
_INTENT_LEMMAS = {"threaten", "vow", "warn", "pledge", "promise", "plan", "intend", "prepare", "want", "seek",
                  "aim", "hope", "expect", "consider", "propose", "offer", "decide", "agree", "try", "attempt",
                  "ready", "able", "prepared", "set", "due", "schedule", "likely"}


def conjuncts(tok) -> list:
    """The token and the words coordinated with it ("Qatar and Iraq", "A, B and C"), in order."""
    out = [tok]
    stack = [tok]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.dep_ == "conj" and c not in out:
                out.append(c)
                stack.append(c)
    return sorted(out, key=lambda t: t.i)


def subjects(verb) -> list:
    """Subjects of a verb; a verb coordinated with another ("arrived and met") shares its subject,
    and an xcomp/advcl without one takes its governor's ("is due to visit")."""
    found = [c for c in verb.children if c.dep_ in _SUBJECTS]
    if not found and verb.dep_ in ("conj", "xcomp", "advcl", "ccomp") and verb.head.i != verb.i:
        if verb.dep_ in ("conj", "xcomp") or not any(c.dep_ == "mark" for c in verb.children):
            return subjects(verb.head)
    out = []
    for s in found:
        out.extend(conjuncts(s))
    return out


def agents(verb) -> list:
    """The objects of a passive's "by" ("was received by X and Y")."""
    out = []
    for c in verb.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            for g in c.children:
                if g.dep_ == "pobj":
                    out.extend(conjuncts(g))
    return out


def objects(verb) -> list:
    """Direct objects (and their conjuncts)."""
    out = []
    for c in verb.children:
        if c.dep_ in ("dobj", "attr", "oprd"):
            out.extend(conjuncts(c))
    return out


def prep_objects(tok, preps: set[str] | frozenset[str] | None = None) -> list[tuple[str, object]]:
    """(preposition, object) pairs of the prepositional phrases attached to a word, conjuncts
    included: "talks with A and B in C" -> [("with", A), ("with", B), ("in", C)]."""
    out = []
    for c in tok.children:
        if c.dep_ not in ("prep", "agent", "dative") or (preps is not None and c.lower_ not in preps):
            continue
        for g in c.children:
            if g.dep_ == "pobj":
                out.extend((c.lower_, x) for x in conjuncts(g))
            elif g.dep_ == "pcomp":  # "close to", "ahead of"
                for h in g.children:
                    if h.dep_ == "pobj":
                        out.extend((f"{c.lower_} {g.lower_}", x) for x in conjuncts(h))
    return out


def span_of(tok, drop=("relcl", "acl", "appos", "punct", "cc", "conj", "advcl")) -> tuple[int, int]:
    """Character span of a noun phrase headed by `tok`, without relative clauses, appositions,
    conjuncts and trailing punctuation."""
    lo = tok.idx
    hi = tok.idx + len(tok.text)
    stack = [c for c in tok.children if c.dep_ not in drop]
    while stack:
        t = stack.pop()
        lo = min(lo, t.idx)
        hi = max(hi, t.idx + len(t.text))
        stack.extend(c for c in t.children if c.dep_ not in ("relcl", "acl", "advcl"))
    return lo, hi


# Answers worked out once per parsed sentence (a Doc is not changed after the parse), dropped
# with the Doc: key -> value for each live Doc.
_DOC_MEMOS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def doc_memo(doc) -> dict | None:
    """The memo of a Doc (None for an object that is no Doc: nothing is kept for it)."""
    try:
        memo = _DOC_MEMOS.get(doc)
    except TypeError:  # no weak reference to it
        return None
    if memo is None:
        memo = _DOC_MEMOS[doc] = {}
    return memo


def doc_text(doc) -> str:
    """`doc.text`, joined once per Doc: spaCy joins the tokens' texts again on every read, and
    the rules slice a sentence's text many times."""
    memo = doc_memo(doc)
    if memo is None:
        return doc.text
    text = memo.get("text")
    if text is None:
        text = memo["text"] = doc.text
    return text


def phrase(tok, drop=("relcl", "acl", "appos", "punct", "cc", "conj", "advcl")) -> str:
    """The text of the noun phrase headed by `tok` (see span_of), without a leading article."""
    doc = tok.doc
    lo, hi = span_of(tok, drop)
    text = doc_text(doc)[lo:hi].strip(" ,;:")
    for art in ("the ", "The "):
        if text.startswith(art):
            text = text[len(art):]
    return text


def clause_verb(tok):
    """The verb of the clause a word belongs to (the word itself when it is a verb)."""
    t = tok
    for _ in range(40):
        if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound"):
            return t
        if t.head.i == t.i:
            return t
        t = t.head
    return t


_CLAUSAL = ("advcl", "ccomp", "relcl", "acl", "parataxis", "csubj")


def own_clause_text(tok) -> str:
    """The words of the clause a token belongs to, without the other clauses hung on it
    ("X killed 12 soldiers, officials said, underscoring their ability to launch attacks": the
    "underscoring ..." clause is not the killing's)."""
    memo = doc_memo(tok.doc)
    key = ("own_clause_text", tok.i)
    if memo is not None and key in memo:
        return memo[key]
    verb = clause_verb(tok)
    keep = []
    stack = [verb]
    inside = {t.i for t in tok.ancestors} | {tok.i}
    while stack:
        t = stack.pop()
        keep.append(t)
        for c in t.children:
            if c.i not in inside and (c.dep_ in _CLAUSAL or (c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"))):
                continue
            stack.append(c)
    text = " ".join(t.text for t in sorted(keep, key=lambda t: t.i))
    if memo is not None:
        memo[key] = text
    return text


def context_text(tok) -> str:
    """The words of a token's own clause and of every clause above it, not of the clauses
    beside it: what says whether the event happened ("a court sentenced three men for the
    bombings that killed 269": the sentencing is above the killing)."""
    parts = [own_clause_text(tok)]
    verb = clause_verb(tok)
    seen = {verb.i}
    t = verb
    for _ in range(8):
        if t.head.i == t.i:
            break
        t = clause_verb(t.head)
        if t.i in seen:
            break
        seen.add(t.i)
        parts.append(own_clause_text(t))
    return " ".join(parts)


def is_negated(tok) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


def hypothetical(tok) -> str | None:
    """Why the event of this word (a verb, or a noun whose clause verb is checked) has not
    happened: "modal" (will, would, could...), "intent" (vowed to, threatened to, plans to, is
    due to), "condition" (if ...), "negated", or None when nothing says so."""
    verb = clause_verb(tok)
    if tok.pos_ in ("NOUN", "PROPN") and verb.lemma_.lower() in _PLAN_VERBS and tok in verb.subtree:
        return "intent"  # "attacks ... have been planned", "plotted a bombing", "threatened strikes"
    t = verb
    for _ in range(6):
        if is_negated(t):
            return "negated"
        for c in t.children:
            if c.dep_ == "aux" and c.lower_ in _MODALS:
                return "modal"
            if c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether"):
                return "condition"
        if t.dep_ == "xcomp" and (t.head.lemma_.lower() in _INTENT_LEMMAS or t.head.lower_ in _INTENT_LEMMAS):
            return "intent"
        if t.dep_ in ("xcomp", "conj") and t.head.i != t.i:
            t = t.head
            continue
        break
    return None


_SELF_PRONOUNS = {"it", "they", "we"}
_SELF_POSSESSIVES = {"its", "their", "our"}


def self_reference(np, cut: int = 0):
    """The speaker a pronoun stands for when a party reports its own act: "The army said it had
    targeted ...", "Israel's military said its aircraft struck ...", "the ministry said it had
    signed for ...". `np` is "it"/"they"/"we" or a noun with "its"/"their"/"our" as possessor,
    the subject of a clause that a report verb (data/lexicon/clause_verbs.csv, class report)
    governs; the answer is that verb's subject (not a pronoun, not before `cut`: a dateline), or
    None."""
    from pipelines import lexicon as L

    if np.lower_ in _SELF_PRONOUNS:
        pass
    elif not any(c.dep_ == "poss" and c.lower_ in _SELF_POSSESSIVES for c in np.children):
        return None
    if np.dep_ not in ("nsubj", "nsubjpass", "agent", "pobj"):
        return None
    clause = np.head if np.dep_ != "pobj" else np.head.head
    report = L.table("clause_verbs", key="lemma")
    for _ in range(3):
        if clause.dep_ == "ccomp" and report.get(clause.head.lemma_.lower(), {}).get("class") == "report":
            speakers = [c for c in clause.head.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ != "PRON" and c.idx >= cut]
            return speakers[0] if speakers else None
        if clause.dep_ not in ("conj", "xcomp", "advcl", "agent") or clause.head is clause:
            return None
        clause = clause.head
    return None
