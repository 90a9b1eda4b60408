"""Killings: people killed in a conflict or a political context, named, or as a toll of an
attack that is not a strike ("Gunmen killed 12 villagers", "militants killed five soldiers").

Read off the parse: every word of killing (data/lexicon/casualty_words.csv: killed, shot dead,
executed, died, "the killing of X") gives its victims (its object, the subject of a passive or of
"died", "X of the killing of X"); a victim is named when a person's name stands in or beside the
phrase ("al-Shabaab leader, Ahmed Godane"), otherwise it is a role ("the police chief") or a
count ("three farmers"). The perpetrator is the subject of the active verb, the agent of the
passive ("killed by gunmen"), the attacker of a strike in the same sentence, or the party
"accused of killing", kept as written ("a gunman", "Russian forces") with its country when the
gazetteer knows it. The place is the most specific place attached to the killing
(pipelines/locations.py).

Out of scope: ordinary crime (a killing is kept in a conflict context or when the victim holds a
political, military or public role: data/lexicon/victim_roles.csv), attempts and survivals,
natural disasters and accidents, running totals ("86 journalists killed since 1992") and
history. "likely killed", "believed killed" are kept with certainty `possible` (pipelines/hedging.py).

Per article (`assemble`): one row per victim ("Abu Omar al-Shishani" = "Shishani"); a victim
named only by a role ("the refugee minister") is the person the article names for it, when it
names one; a toll a strike of the same sentence already carries is not repeated here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipelines import lexicon as L
from pipelines import locations
from pipelines import parties as PT
from pipelines import syntax as X
from pipelines import tolls as T
from pipelines.context import SentenceView
from pipelines.strikes import _AGGREGATE, _NOT_AN_EVENT, _other_event_prep, actor_name

TRIGGER = re.compile(
    r"\b(?:killed|killing|kills|slain|assassinat\w+|executed|shot\s+dead|shot\s+\w+\s+(?:dead|to\s+death)|died|dead|death"
    r"|murdered|beheaded|eliminated|lost\s+(?:his|her|their)\s+lives|massacred?)\b",
    re.I,
)
_CONFLICT = re.compile(
    r"\b(?:militants?|insurgents?|jihadists?|rebels?|fighters|soldiers|troops|forces|army|military|militia\w*|gunm[ae]n|ambush\w*|attack\w*"
    r"|air\s?strikes?|strikes?|drone|missile|rocket|shelling|shell(?:s|ed)|bomb\w*|combat|battle\w*|clash\w*|fighting|war|offensive|commander|operation"
    r"|extremists?|terror\w*|coalition|occupation|front\s?line|IED|sniper|special\s+forces|raid|executed|massacre\w*|assassinat\w+"
    r"|journalists?|activists?|candidates?|mayors?|politicians?|prisoners?\s+of\s+war|servicem[ae]n)\b",
    re.I,
)
# Running totals are statistics, not events: "at least 10 journalists have been killed since the war began".
_CUMULATIVE = re.compile(
    r"\b(?:since\s+the\s+(?:war|conflict|fighting|start|beginning|outbreak|invasion)|since\s+(?:19|20)\d\d|so\s+far\s+this|to\s+date"
    r"|in\s+total|death\s+toll\s+(?:in|of)\s+the\s+war|(?:is|was|became)\s+(?:at\s+least\s+)?the\s+\w+(?:th|st|nd|rd)\s+\w+\s+to\s+be)\b", re.I)
_NATURAL = re.compile(r"\b(?:lightning|storms?|floods?|flooding|earthquakes?|landslides?|cyclones?|hurricanes?|typhoons?|heat\s?waves?|accidents?|crash\w*|collision|disease|outbreak|cholera|famine|drown\w*|fire\s+broke|overdose)\b", re.I)
# "Hezbollah's elite Radwan force": a unit named like a person, not a victim
_UNIT_AFTER = re.compile(r"\s+(?:force|forces|unit|units|brigade|brigades|battalion|division|corps|regiment|front|squadron)\b", re.I)
_NOT_A_VICTIM = {"he", "she", "they", "it", "the", "a", "an", "police", "official", "officials", "him", "her", "them", "who", "that", "which"}
_KILL_NOUNS = {"killing", "death", "assassination", "murder", "execution", "beheading", "massacre"}
_EVENT_WORDS = {"strike", "airstrike", "attack", "bombing", "blast", "explosion", "shelling", "raid", "drone", "missile",
                "rocket", "bomb", "war", "conflict", "fighting", "violence", "clash", "clashes"}
_CUMULATIVE_SUBJECTS = {"war", "conflict", "fighting", "violence", "campaign", "offensive", "invasion", "insurgency", "crisis"}


@lru_cache(maxsize=1)
def _roles() -> frozenset[str]:
    return L.words("victim_roles")


def is_candidate(text: str) -> bool:
    """Cheap filter before parsing: may this sentence report a killing?"""
    return bool(TRIGGER.search(text)) and bool(_CONFLICT.search(text))


def _kill_words(doc) -> list:
    out = []
    for tok in doc:
        if T.kind_of(tok) == "kill" or (tok.pos_ == "NOUN" and tok.lemma_.lower() in _KILL_NOUNS):
            out.append(tok)
        elif tok.lemma_.lower() == "shoot" and any(c.lower_ in ("dead", "death", "fatally") for c in tok.subtree):
            out.append(tok)  # "shot him dead", "shot Morales to death", "was fatally shot"
    return out


def _victim_heads(tok) -> list:
    """The people a word of killing is about (conjuncts included)."""
    heads = []
    if tok.pos_ == "NOUN" and tok.lemma_.lower() in _KILL_NOUNS:  # "the killing of Hisham al-Hashemi"
        heads = [o for p, o in X.prep_objects(tok, {"of"})]
    elif tok.lemma_.lower() == "shoot":
        heads = X.objects(tok) + [c for c in tok.children if c.dep_ == "nsubjpass"]
    else:
        heads = T._patients(tok)
    out = []
    for h in heads:
        if h.pos_ in ("ADJ", "ADV") or h.dep_ == "oprd":
            continue  # "was shot dead": the predicate, not a person
        out.extend(X.conjuncts(h))
    return out


def _name_for(view: SentenceView, head) -> tuple[int, int, str] | None:
    """The person named by a victim phrase: a PERSON entity in it or in apposition to it, or a
    proper-noun head with a role beside it ("shot dead Issouf Sawadogo, the mayor of Djibo")."""
    toks = [head] + [c for c in head.children if c.dep_ in ("appos", "compound", "nmod")]
    toks += [g for c in head.children if c.dep_ == "appos" for g in c.children if g.dep_ in ("compound",)]
    # "a commander of the Levant Front, Abu Khaled": the name the parser hangs on the organisation
    toks += [a for p in head.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children if o.dep_ == "pobj"
             for a in o.children if a.dep_ == "appos" and a.ent_type_ == "PERSON"]
    spans = [(t.idx, t.idx + len(t.text)) for t in toks]
    for s, e, name in view.persons:
        if any(a0 <= s < a1 or s <= a0 < e for a0, a1 in spans) and name.lower() not in _NOT_A_VICTIM \
                and not _UNIT_AFTER.match(view.text, e):
            return s, e, name
    if head.pos_ == "PROPN" and head.lower_ not in _NOT_A_VICTIM and not head.ent_type_ in ("GPE", "LOC", "NORP", "ORG", "FAC"):
        lo = min([c.i for c in head.children if c.dep_ == "compound" and c.pos_ == "PROPN"] + [head.i])
        s, e = view.doc[lo].idx, head.idx + len(head.text)
        if any(a.kind != "country" and s <= a0 < e for a0, a1, a in view.actors):
            return None
        return s, e, view.text[s:e]
    return None


def _not_a_place(view: SentenceView, head):
    """A place is never the victim: "Gaziantep, Turkey A senior commander ... was killed" (a dateline
    run into the sentence) parses the town as the subject; the person is its apposition."""
    if view.dateline_end and head.idx < view.dateline_end:
        # "MEXICO CITY (AP) — A candidate was killed": the dateline is no victim; the parser may hang
        # the real subject on it as an apposition ("JENIN, West Bank (AP) - Ahmad X, a commander, was killed")
        app = [c for c in head.subtree if c.dep_ == "appos" and c.idx >= view.dateline_end and c.ent_type_ not in ("GPE", "LOC", "ORG")]
        return app[0] if app else None
    if head.ent_type_ not in ("GPE", "LOC") and not any(m.start <= head.idx < m.end and m.role != "exclude" and m.place is not None
                                                        for m in view.place_mentions):
        return head
    if head.ent_type_ == "PERSON":
        return head
    app = [c for c in head.children if c.dep_ == "appos" and c.ent_type_ not in ("GPE", "LOC")]
    return app[0] if app else None


def _title_case(text: str) -> bool:
    """A headline in Title Case ("Ukraine Accuses Russia Of Killing Two Prisoners Of War"): its
    parse is unreliable and the body says the same."""
    words = re.findall(r"[A-Za-z][\w'’-]*", text)
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.8 * len(words) and not text.rstrip().endswith(".")


def _cumulative_subject(tok) -> bool:
    """"The war has killed 40,000", "the ensuing war has left 40,000 dead": a running total."""
    verb = tok if tok.pos_ == "VERB" else (tok.head if tok.head.pos_ == "VERB" else None)
    return verb is not None and any(s.lemma_.lower() in _CUMULATIVE_SUBJECTS for s in X.subjects(verb))


def _victim_groups(view: SentenceView, heads: list) -> list[tuple[object, list]]:
    """Victims by person: each named conjunct on its own, the unnamed ones of one list together
    ("an Afghan district governor and three of his guards" is one toll of 4)."""
    out, unnamed = [], []
    for h in heads:
        if _name_for(view, h) is not None or h.lower_ in ("him", "her"):
            out.append((h, [h]))
        else:
            unnamed.append(h)
    if unnamed:
        first = unnamed[0]
        top = first if first.dep_ != "conj" else next((a for a in first.ancestors if a.dep_ != "conj"), first)
        out.append((first, [top]))
    return out


def _pronoun_victim(view: SentenceView, tok) -> tuple[int, int, str] | None:
    """The person a "him"/"her" victim stands for: the sentence's named subject."""
    for s, e, name in view.persons:
        t = next((t for t in view.doc if t.idx == s), None)
        if t is not None and any(a.dep_ in ("nsubj", "nsubjpass") or t.dep_ in ("nsubj", "nsubjpass") for a in [t] + list(t.ancestors)[:2]):
            return s, e, name
    return None


def _role_of(head) -> str | None:
    """The victim's role: the head noun or its apposition ("the mayor of Djibo", "commander")."""
    for t in [head] + [c for c in head.children if c.dep_ == "appos"]:
        if t.lemma_.lower() in _roles() or t.lower_ in _roles():
            mods = [c for c in t.children if c.dep_ in ("amod", "compound") and c.pos_ in ("ADJ", "NOUN") and c.i < t.i]
            lo = min([c.i for c in mods] + [t.i])
            return " ".join(w.lower_ for w in t.doc[lo:t.i + 1])
    return None


def _perpetrator(view: SentenceView, tok, strike: dict | None):
    """(as written, iso3) of who killed: the strike's attacker, the subject of the active verb,
    the agent of the passive, or the party accused of the killing."""
    if strike is not None and strike.get("attacker"):
        return strike.get("_attacker_text") or strike["attacker"], strike.get("attacker_country")
    nps = []
    if tok.pos_ == "VERB":
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)
        victim_subject = tok.lemma_.lower() in L.words("casualty_words", where=(("subject", "victim"),))
        nps = X.agents(tok) + ([] if passive or victim_subject else [s for s in X.subjects(tok) if s.dep_ != "nsubjpass"])
    elif tok.pos_ == "NOUN":
        nps = [o for p, o in X.prep_objects(tok, {"by"})] + [c for c in tok.children if c.dep_ == "poss" and c.pos_ != "PRON"]
    accused = tok.head if tok.dep_ == "pcomp" else None  # "accused Russian forces of killing two servicemen"
    if accused is not None and accused.lower_ == "of" and accused.head.lemma_.lower() in ("accuse", "blame"):
        nps += X.objects(accused.head)
    for np in nps:
        found = PT.actor_in_np(view, np)
        if found is not None:
            actor = found[0]
            return X.phrase(np, drop=("relcl", "acl", "punct", "cc", "conj", "advcl", "prep")) or actor.matched, actor.iso3
        phrase = PT.phrase_party(np)
        if phrase:
            return phrase, None
    for c in tok.children:  # "killed in an attack by militants", "died in a Taliban bomb attack",
        if c.dep_ == "prep" and c.lower_ in ("in", "during"):  # "killed in an encounter with security forces"
            for g in c.children:
                if g.dep_ == "pobj":
                    cands = [o for p, o in X.prep_objects(g, {"by", "with"})] + [m for m in g.children if m.dep_ in ("compound", "amod", "poss")]
                    for np in cands:
                        found = PT.actor_in_np(view, np)
                        if found is not None:
                            return found[0].matched, found[0].iso3
                    for np in [o for p, o in X.prep_objects(g, {"by", "with"})]:
                        if np.lemma_.lower() in ("force", "forces", "troop", "troops", "soldier", "police", "army", "military", "militant", "gunman", "gunmen"):
                            return X.phrase(np, drop=("relcl", "acl", "punct", "cc", "conj", "advcl", "prep")), None
    return None


def _natural(view: SentenceView) -> bool:
    """A natural or accidental cause of death named as a noun ("killed by lightning", "a flood"),
    not the verb "storm" ("militants stormed a police station")."""
    for m in _NATURAL.finditer(view.text):
        tok = next((t for t in view.doc if t.idx <= m.start() < t.idx + len(t.text)), None)
        if tok is None or tok.pos_ != "VERB":
            return True
    return False


def extract(view: SentenceView, strike_rows: list[dict]) -> list[dict]:
    """Killing rows of one sentence. `strike_rows` are the strikes found in the same sentence:
    their attacker is the perpetrator."""
    text = view.text
    if view.doc is None or not TRIGGER.search(text) or _CUMULATIVE.search(text) \
            or _natural(view) or _title_case(text):
        return []
    strike = strike_rows[0] if strike_rows else None
    conflict = bool(_CONFLICT.search(text)) or strike is not None or any(
        a.kind in ("armed_group", "military", "coalition") for _, _, a in view.actors)
    rows = []
    seen: set[str] = set()
    strike_kills = {i for r in strike_rows for i in r.get("_kill_idx", ())}
    strike_tolls = {r.get("killed") for r in strike_rows if r.get("killed") is not None}
    for tok in _kill_words(view.doc):
        if X.hypothetical(tok) in ("modal", "intent", "condition", "negated") or T.failed_attempt(tok):
            continue
        context = X.context_text(tok)
        if _NOT_AN_EVENT.search(context) or _AGGREGATE.search(X.own_clause_text(tok)) or _cumulative_subject(tok):
            continue  # history, trials, threats; "the war has killed 40,000", "since fighting erupted": running totals
        if any(c.dep_ == "conj" and any(g.lower_ == "or" for g in tok.children) for c in tok.children):
            continue  # "killed or missing", "killed or wounded": no toll of the dead
        perp = None
        place = None
        heads = [h for h in (_not_a_place(view, h) for h in _victim_heads(tok)) if h is not None and h.lemma_.lower() not in _EVENT_WORDS]
        groups = _victim_groups(view, heads)
        for head, group in groups:
            if head.lower_ in _NOT_A_VICTIM and head.pos_ == "PRON" and head.lower_ not in ("him", "her"):
                continue
            named = _name_for(view, head)
            if named is None and head.lower_ in ("him", "her"):
                named = _pronoun_victim(view, tok)  # "... was in his studio when a gunman shot him"
            role = _role_of(head)
            if named is not None:
                victim, killed = named[2], 1
            else:
                low, high, count_text = T._count_np(group[0]) if group else (None, None, None)
                if low is None:
                    continue  # "journalists killed in the country": no number, no one in particular
                if strike_rows and (tok.i in strike_kills or low in strike_tolls) and not (role and low == 1):
                    continue  # the strike's toll: it is on the strike's row (a commander killed in it is a killing too)
                victim = X.phrase(head, drop=("relcl", "acl", "appos", "punct", "cc", "advcl", "prep")) \
                    if head.pos_ != "PRON" else None
                if victim is None:
                    continue
                killed = low
            if not conflict and role is None:
                continue  # ordinary crime
            if victim.lower() in seen:
                continue
            seen.add(victim.lower())
            if perp is None:
                perp = _perpetrator(view, tok, strike)
            if place is None:
                verb = X.clause_verb(tok)
                anchors = [tok.i, verb.i] + ([verb.head.i] if verb.dep_ in ("advcl", "xcomp", "conj") else [])
                anchors += [i for r in strike_rows for i in r.get("_kill_idx", ())]
                place = locations.event_location(view, anchors)
                if place is None:  # "the governor of Sherzad district ... was killed": the place of the victim's office
                    place = locations.event_location(view, [t.i for t in head.subtree])
            row = _row(victim, role, killed, perp, place, strike, named is not None)
            row["_other_event"] = _other_event_prep(tok) is not None  # "days after gunmen killed 24 soldiers"
            row["_event_tokens"] = [tok.i]
            row["_actor_names"] = (perp[0],) if perp and perp[0] else ()
            rows.append(row)
    return rows


def _row(victim, role, killed, perp, place, strike, named: bool) -> dict:
    return {
        "victim": victim,
        "victim_role": role,
        "killed": killed,
        "perpetrator": perp[0] if perp else None,
        "perpetrator_country": perp[1] if perp else None,
        "_perp_actor": bool(perp and perp[1]),
        "location": place.text if place else (strike.get("location") if strike else None),
        "place_name": place.place.name if place and place.place else (strike.get("place_name") if strike else None),
        "country": place.iso3 if place else (strike.get("country") if strike else None),
        "latitude": place.latitude if place else (strike.get("latitude") if strike else None),
        "longitude": place.longitude if place else (strike.get("longitude") if strike else None),
        "_level": place.level if place else 9,
        "_named": named,
        "_actor_names": (),
        "_confidence": 0.8 if victim and (role or named) else 0.6,
    }


def _name_tokens(victim: str | None) -> set[str]:
    return {t.lower().removeprefix("al-") for t in re.findall(r"[A-Z][\w'’-]{3,}", victim or "")}


def _full_name(surname: str, text: str) -> str | None:
    """"Al-Qaderi" -> "Nabegh Al-Qaderi" when the article names the person in full."""
    m = re.search(r"\b((?:[A-Z][\w'’-]+\s+){1,3})" + re.escape(surname) + r"\b", text)
    if m and not any(w.lower() in ("the", "a", "president", "minister", "said") for w in m.group(1).split()):
        return (m.group(1) + surname).strip()
    return None


def assemble(rows: list[dict], strike_rows: list[dict], view_a, sentences, docs) -> list[dict]:
    """An article's killing rows -> one per victim (see the module docstring). `strike_rows` are
    the article's strike mentions (before they were merged)."""
    if any(not _headline(r) for r in rows) or strike_rows:
        rows = [r for r in rows if not _headline(r) or r.get("_named")]  # a headline repeats the body
    kept: list[dict] = []
    for r in rows:  # the same person named twice: "Abu Omar al-Shishani" and "Shishani"
        tokens = _name_tokens(r.get("victim")) if r.get("_named") else set()
        for k in kept:
            if tokens and k.get("_named") and tokens & _name_tokens(k.get("victim")):
                _more_specific_place(k, r)
                _fill(k, r)
                if len(r["victim"]) > len(k["victim"]):
                    k["victim"] = r["victim"]
                break
        else:
            kept.append(r)
    acting = view_a.notes.get("acting", [])
    for k in kept:  # "Gunmen shot dead ..." + "al-Shabaab claimed responsibility": the group is the perpetrator
        if k.get("perpetrator_country") is None and k.get("perpetrator") and not k.get("_perp_actor"):
            recent = [a for i, a in acting if abs(i - k["sentence_index"]) <= 2]
            if recent:
                k["perpetrator"], k["perpetrator_country"] = recent[-1].canonical, recent[-1].iso3
    named = [k for k in kept if k.get("_named")]
    for k in named:  # "Al-Qaderi" is "Nabegh Al-Qaderi" when the article says so
        if len(k["victim"].split()) == 1:
            full = _full_name(k["victim"], view_a.text)
            if full:
                k["victim"] = full
    for k in kept:  # a killing told in a strike report happened where the strike did
        if not k.get("location"):
            near = [r for r in strike_rows if r.get("location") and abs(r["sentence_index"] - k["sentence_index"]) <= 2]
            if near:
                best = min(near, key=lambda r: (abs(r["sentence_index"] - k["sentence_index"]), r.get("_level", 9)))
                for f in _PLACE_FIELDS:
                    k[f] = best.get(f)
    out = []
    strike_sentences = {s["sentence_index"] for s in strike_rows} | {s.get("_toll_sentence") for s in strike_rows}
    for k in kept:
        if k.get("_named"):
            out.append(k)
            continue
        if k.get("victim_role") and k["killed"] == 1:
            # "the Taliban refugee minister" ... "Khalil Haqqani, the refugee minister": one person
            match = [n for n in named if abs(n["sentence_index"] - k["sentence_index"]) <= 3 and (
                len(named) == 1 or (n.get("victim_role") or "").split()[-1:] == k["victim_role"].split()[-1:])]
            if match:
                _more_specific_place(match[0], k)
                _fill(match[0], k)
                continue
            name = _named_next(k, sentences)
            if name:  # "killed the police chief of Kandahar." + "Khan Mohammad Mujahid, one of ..."
                k["victim"], k["_named"] = name, True
            out.append(k)
            continue
        if k["sentence_index"] in strike_sentences:
            continue  # the toll of a strike in the same sentence: it is on the strike's row
        same = [o for o in out if not o.get("_named") and not k.get("_other_event") and not o.get("_other_event") and (
            o["killed"] == k["killed"] or _victim_kind(o) == _victim_kind(k) and abs(o["sentence_index"] - k["sentence_index"]) <= 4)]
        if same:
            _fill(same[0], k)  # "12 soldiers were killed" ... "attackers killed 15 soldiers": one attack's tolls
            continue
        out.append(k)
    return out


_PLACE_FIELDS = ("location", "place_name", "country", "latitude", "longitude", "_level")


def _more_specific_place(target: dict, row: dict) -> None:
    """Two mentions of one killing: keep the more specific of their places, in one country."""
    if row.get("location") and (target.get("country") in (None, row.get("country"))) and (
            not target.get("location") or row.get("_level", 9) < target.get("_level", 9)):
        for k in _PLACE_FIELDS:
            target[k] = row.get(k) if k != "country" else (row.get("country") or target.get("country"))


def _headline(row: dict) -> bool:
    evidence = (row.get("evidence") or "").rstrip()
    return bool(evidence) and evidence[-1] not in ".!?\"”'’)"


def _victim_kind(row: dict) -> str:
    words = re.findall(r"[a-z]+", (row.get("victim") or "").lower())
    return words[-1].rstrip("s") if words else ""


_NEXT_NAME = re.compile(r"^((?:[A-Z][\w'’-]+\s+){1,3}(?:(?:al|el|bin|ibn)[- ])?[A-Z][\w'’-]+)(?=,|\s+(?:was|had|has|is|who|,)\b)")


_IDENTIFIED = re.compile(r"\b(?:identified|named)\s+(?:\w+\s+){0,3}?as\s+((?:[A-Z][\w'’-]+\s+){0,3}(?:(?:al|el|bin|ibn|abu|Abu)[- ])?[A-Z][\w'’-]+)")


def _named_next(row: dict, sentences) -> str | None:
    """The person the next sentences name for a victim its sentence named only by role: the
    name the next sentence opens with ("Khan Mohammad Mujahid, one of ..."), or "identified the
    man as X" within the next two."""
    i = row["sentence_index"] + 1
    if i >= len(sentences):
        return None
    m = _NEXT_NAME.match(sentences[i].text)
    if m and m.group(1).split()[0] not in ("The", "A", "An", "He", "She", "It", "They", "In", "On", "At", "But", "And"):
        return m.group(1)
    for sent in sentences[i:i + 2]:
        m = _IDENTIFIED.search(sent.text)
        if m:
            return m.group(1)
    return None


def _fill(target: dict, row: dict) -> None:
    for field_, v in row.items():
        if target.get(field_) is None and v is not None and not field_.startswith("evidence") and field_ not in ("sentence_index", "fact_id"):
            target[field_] = v
