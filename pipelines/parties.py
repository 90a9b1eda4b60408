"""The parties to an event named in a sentence's parse: who struck, who killed, who speaks.

Shared by the strike and killing extractors. A noun phrase names an actor when the gazetteer
finds one in it (its modifiers, "of" phrases and appositions included: "the Egyptian army",
"Russia's missiles", "the paramilitary Rapid Support Forces"); a demonym on a non-state noun
("Afghan rebels") is not the state. A pronoun or possessive ("it fired", "its fighters") stands
for the clause's own subject or the speaker ("Hezbollah said it fired"); "the air force" for the
country whose forces the article named; and a party the gazetteer cannot name ("a suicide
bomber", "gunmen") is kept as written (data/lexicon/attacker_nouns.csv).
"""

from __future__ import annotations

from functools import lru_cache

from pipelines import actors as A
from pipelines import lexicon as L
from pipelines import syntax as X

ATTACKER_KINDS = ("armed_group", "coalition", "military", "government", "country")
_NON_STATE = {"rebel", "militant", "insurgent", "guerrilla", "jihadist", "fighter", "gunman", "gunmen", "extremist",
              "terrorist", "separatist", "militia", "militiaman", "bomber", "assailant", "attacker"}


def np_tokens(np) -> list:
    """Tokens of a noun phrase that can name its actor: modifiers and "of" phrases, not other
    prepositional phrases, relative clauses or appositions."""
    out = [np]
    stack = [c for c in np.children]
    while stack:
        c = stack.pop()
        if c.dep_ in ("relcl", "acl", "advcl", "punct", "cc"):
            continue
        if c.dep_ == "prep" and c.lower_ not in ("of",):
            continue
        out.append(c)
        stack.extend(c.children)
    return out


def actor_in_np(view: SentenceView, np):
    """(actor, start, end) named inside a noun phrase ("the Egyptian army", "Russia's missiles")."""
    toks = np_tokens(np)
    spans = [(t.idx, t.idx + len(t.text)) for t in toks]
    best = None
    non_state = np.lemma_.lower() in _NON_STATE
    for s, e, a in view.actors:
        if a.kind not in ATTACKER_KINDS:
            continue
        if non_state and a.kind == "country" and A.country_by_name(a.matched) is None:
            continue  # "Afghan rebels", "Palestinian militants": not the state's forces
        if any(a0 <= s < a1 or s <= a0 < e for a0, a1 in spans):
            rank = ATTACKER_KINDS.index(a.kind)
            if best is None or rank < best[0]:
                best = (rank, (a, s, e))
    return best[1] if best else None


def speaker_actor(view: SentenceView):
    """The actor who speaks in the sentence ("The Israeli military said its aircraft struck")."""
    doc = view.doc
    for tok in doc:
        if tok.lemma_.lower() in ("say", "announce", "report", "claim", "confirm", "state", "deny", "admit", "acknowledge") and tok.pos_ == "VERB":
            for s in X.subjects(tok):
                found = actor_in_np(view, s)
                if found:
                    return found
    return None


@lru_cache(maxsize=1)
def attacker_nouns() -> frozenset[str]:
    return L.words("attacker_nouns")


@lru_cache(maxsize=1)
def force_nouns() -> frozenset[str]:
    return L.words("force_nouns")


def party_of(view, nps):
    """(actor, start, end) for the first of these noun phrases that names a party, or None."""
    for np in nps:
        found = actor_in_np(view, np)
        if found is not None:
            return found
        owners = [np] + [g for p, g in X.prep_objects(np, {"of"})]  # "one of its fighters"
        if np.lower_ in ("it", "they", "we", "its", "their", "our") or any(
                c.dep_ == "poss" and c.lower_ in ("its", "their", "our") for o in owners for c in o.children):
            # "Moscow kept up its bombardment": the clause's own subject first, then the speaker
            # ("Hezbollah said it fired", "JNIM said one of its fighters carried out the attack")
            clause = X.clause_verb(np)
            own = next((f for sub in X.subjects(clause) if sub.i != np.i and (f := actor_in_np(view, sub))), None) \
                if np.lower_ in ("its", "their", "our") or np.dep_ != "nsubj" else None
            spoken = own or speaker_actor(view)
            if spoken is not None:
                return spoken
        head = np.lemma_.lower()
        if (head in force_nouns() or " ".join(t.lemma_.lower() for t in np.subtree if t.dep_ != "det") in force_nouns()) \
                and view.article.notes.get("force_country") and np.pos_ == "NOUN":
            iso3 = view.article.notes["force_country"]  # "the air force targeted ..." after "Nigeria's military"
            actor = A.resolve_actor(A.country_name(iso3) or "")
            if actor is not None:
                return actor, np.idx, np.idx + len(np.text)
    return None


def blamed_party(view):
    """The party blamed in the sentence ("... blamed it on Iran-backed militias", "the militia that
    officials blamed for the attack")."""
    for blame in view.doc:
        if blame.lemma_.lower() == "blame" and blame.pos_ == "VERB":
            cands = [o for p, o in X.prep_objects(blame, {"on"})] or [o for o in X.objects(blame) if o.pos_ != "PRON"]
            if not cands and blame.dep_ == "relcl":
                head = blame.head
                cands = [head] + ([head.head] if head.dep_ == "appos" else [])
            for np in cands:
                found = actor_in_np(view, np)
                if found is not None:
                    return found
    return None


def phrase_party(np) -> str | None:
    """A party the gazetteer cannot name, as written: "A suicide bomber", "gunmen", "Afghan rebels"."""
    if np.lemma_.lower() in attacker_nouns() or np.lower_ in attacker_nouns() or (
            np.lemma_.lower() == "bomber" and any(c.lower_ == "suicide" for c in np.children)):
        return X.phrase(np, drop=("relcl", "acl", "appos", "punct", "cc", "conj", "advcl", "prep"))
    return None
