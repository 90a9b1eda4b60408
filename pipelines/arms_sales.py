"""Arms sales: seller, buyer, items, quantity, value (as stated and in USD) and stage.

Roles come from the dependency parse of each candidate sentence, typed with the gazetteer and
word lists kept as data (pipelines/data/lexicon/arms_*.csv):

- arms_triggers.csv: transfer verbs and nouns with the stage each implies and who its subject
  is. "Russia delivered S-400 systems to India": deliver, subject = seller, "to X" = buyer.
  "India ordered 36 Rafale jets from France": order, subject = buyer, "from X" = seller. "Greece
  signed a contract with Naval Group for three frigates": sign, subject = a party, "with X" =
  the other party; which of them sells is told by the words around (a maker sells; "to buy",
  "for the purchase of" make the subject the buyer; a model's maker country, Rafale = France).
  "Paris has cleared Athens to buy": clear, subject = seller, its object the buyer.
- arms_items.csv, arms_modifiers.csv, arms_models.csv: the military item is a noun phrase whose
  head is a military noun (tank, frigate, missile), or a weak one (aircraft, systems, vessels)
  with a model name (F-16, K9, Su-35, Gripen), a maker or a military modifier. Items are the
  phrase as written; the quantity is its number.
- arms_makers.csv: companies and state agencies and their countries (Hanwha = South Korea).
- arms_not_sales.csv: senses that are not arms sales (cars, airliners, shares, tickets).

Parties keep the words of the text ("Seoul's arms procurement agency", "Moscow") with the
country they stand for (a capital or ministry for its state, a maker for its country). A list
of buyers ("sales to A, B and C") gives one row per buyer; a value stated once for several
buyers or packages ("worth a combined $4.1 billion") is no single row's value. A value with a
USD equivalent in brackets ("2 trillion won ($1.65 billion)") keeps the stated amount and takes
the bracketed one as value_usd. US Foreign Military Sale notices are approved sales by the
United States. `assemble` works on an article's rows: a later "The estimated cost is ..."
sentence gives a row its value, and the mentions of one deal (headline, lead, body) become one
row whose evidence is the sentence that states most of it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipelines import actors as A
from pipelines import lexicon as L
from pipelines import money as M
from pipelines import numbers as N
from pipelines import syntax as X
from pipelines.context import SentenceView

# ---------------------------------------------------------------------------------------------
# Word lists (data) and the cheap sentence filter built from them
# ---------------------------------------------------------------------------------------------

_IRREGULAR = {
    "sell": ("sold",), "buy": ("bought",), "seek": ("sought",), "win": ("won",), "send": ("sent",),
    "build": ("built",), "choose": ("chose", "chosen"), "freeze": ("froze", "frozen"), "ink": ("inked",),
    "ship": ("shipped", "shipping"), "bag": ("bagged",), "scrap": ("scrapped",),
}


@lru_cache(maxsize=1)
def _triggers() -> dict[tuple[str, str], dict[str, str]]:
    return {(r["word"].lower(), r["pos"].lower()): r for r in L.rows("arms_triggers")}


@lru_cache(maxsize=1)
def _items() -> dict[str, dict[str, str]]:
    return L.table("arms_items")


@lru_cache(maxsize=1)
def _modifiers() -> frozenset[str]:
    return L.words("arms_modifiers")


@lru_cache(maxsize=1)
def _models() -> tuple[dict[str, str | None], dict[str, str | None]]:
    """(whole names -> country, designator prefixes -> country); keys lower case."""
    names: dict[str, str | None] = {}
    prefixes: dict[str, str | None] = {}
    for r in L.rows("arms_models"):
        target = prefixes if r.get("prefix", "").lower() == "yes" else names
        target[r["name"].lower()] = r.get("country") or None
    return names, prefixes


@lru_cache(maxsize=1)
def _makers() -> tuple[tuple[str, str | None], ...]:
    """(name, country) longest first."""
    rows = [(r["name"], r.get("country") or None) for r in L.rows("arms_makers")]
    return tuple(sorted(rows, key=lambda x: -len(x[0])))


@lru_cache(maxsize=1)
def _agencies() -> frozenset[str]:
    return frozenset(r["name"] for r in L.rows("arms_makers") if r.get("kind", "").lower() == "agency")


@lru_cache(maxsize=1)
def _maker_re() -> re.Pattern:
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n, _ in _makers()) + r")(?![\w-])")


@lru_cache(maxsize=1)
def _not_sales() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for r in L.rows("arms_not_sales"):
        out.setdefault(r["kind"].lower(), set()).add(r["word"].lower())
    return {k: frozenset(v) for k, v in out.items()}


def _forms(word: str) -> str:
    """A regex for the inflected forms of a lexicon word ("supply" -> supply|supplies|supplied...)."""
    parts = word.split()
    head = parts[0]
    stem = re.escape(head[:-1]) + r"(?:y|ie[sd]|ying)" if head.endswith("y") and head[-2:-1] not in "aeiou" else (
        re.escape(head[:-1]) + r"(?:e|es|ed|ing)" if head.endswith("e") else re.escape(head) + r"(?:s|es|ed|ing)?")
    alts = [stem] + [re.escape(f) for f in _IRREGULAR.get(head, ())]
    rx = "(?:" + "|".join(alts) + ")"
    if len(parts) > 1:
        rx += r"\s+(?:\w+\s+){0,3}?" + re.escape(parts[1])
    return rx


_DESIGNATOR = r"[A-Z][A-Za-z]{0,3}-?\d{1,4}[A-Z]{0,5}(?:-\d+)?|Type\s+\d{2,4}[A-Z]{0,3}"
_FMS = re.compile(r"\bForeign\s+Military\s+Sales?\b|\bState\s+Department\b.{0,80}\b(?:approv\w+|authori[sz]\w+)\b.{0,80}\bsales?\b", re.I)
_FMS_NOTICE = re.compile(r"\bForeign\s+Military\s+Sales?\b|\bDefense\s+Security\s+Cooperation\s+Agency\b|\bnotifying\s+Congress\b", re.I)


@lru_cache(maxsize=1)
def _candidate_res() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    words = sorted({w for (w, _pos) in _triggers()}, key=len, reverse=True)
    trig = re.compile(r"\b(?:" + "|".join(_forms(w) for w in words) + r")\b", re.I)
    names, _ = _models()
    plural = r"(?:s|es)?"
    strong = sorted((w for w, r in _items().items() if r.get("strength") == "strong"), key=len, reverse=True)
    weak = sorted((w for w, r in _items().items() if r.get("strength") != "strong"), key=len, reverse=True)
    item = re.compile(
        r"\b(?:" + "|".join(re.escape(w) + plural for w in strong) + r")\b"
        r"|\b(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b"
        r"|(?<![\w-])(?:" + _DESIGNATOR + r")(?![\w])",
        re.I)
    weak_item = re.compile(r"\b(?:" + "|".join(re.escape(w) + plural for w in weak) + r")\b", re.I)
    military = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in sorted(_modifiers(), key=len, reverse=True)) + r")(?![\w-])", re.I)
    return trig, item, weak_item, military


_WORD = re.compile(r"[a-z0-9]+")


def _word_forms(word: str) -> set[str]:
    """The inflected forms _forms() matches, as words (for the set lookup in front of the regexes)."""
    out = set(_IRREGULAR.get(word, ()))
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        out |= {word, word[:-1] + "ies", word[:-1] + "ied", word[:-1] + "ying"}
    elif word.endswith("e"):
        out |= {word, word + "s", word + "d", word[:-1] + "ing"}
    else:
        out |= {word, word + "s", word + "es", word + "ed", word + "ing"}
    return out


@lru_cache(maxsize=1)
def _prefilter() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Word sets that every match of the candidate regexes contains: a trigger's first word in one
    of its forms; a strong item word (or a model name's first word); a weak item word."""
    heads = set()
    for w, _pos in _triggers():
        heads |= _word_forms(w.split()[0])
    names, _ = _models()
    strong = {w for w, r in _items().items() if r.get("strength") == "strong"}
    items = {f for w in strong for f in (w, w + "s", w + "es")}
    items |= {m[0] for m in (_WORD.findall(n.lower()) for n in names) if m}
    weak = {f for w, r in _items().items() if r.get("strength") != "strong" for f in (w, w + "s", w + "es")}
    return frozenset(heads), frozenset(items), frozenset(weak)


def is_candidate(text: str) -> bool:
    """Cheap filter before parsing: may this sentence report an arms sale? A transfer word and
    a military item word (or a model name, a designator), a weak item word ("systems", "vessels")
    with a military modifier or an arms maker, or a US Foreign Military Sale formula. Word-set
    lookups go first; the regexes run only on the sentences they let through."""
    heads, items, weak = _prefilter()
    words = set(_WORD.findall(text.lower()))
    if not words & heads:
        return False
    trig, item, weak_item, military = _candidate_res()
    if not trig.search(text):
        return False
    if (words & items or any(c.isdigit() for c in text)) and item.search(text):
        return True
    if ("sale" in words or "sales" in words) and _FMS.search(text):
        return True
    return bool(words & weak) and bool(weak_item.search(text)) and bool(military.search(text) or _maker_re().search(text))


is_arms_sentence = is_candidate


def fms_notice(view: SentenceView) -> bool:
    notes = view.article.notes
    if "fms" not in notes:
        notes["fms"] = bool(_FMS_NOTICE.search(view.article.text))
    return notes["fms"]


# ---------------------------------------------------------------------------------------------
# Token tests
# ---------------------------------------------------------------------------------------------

_DESIGNATOR_TOKEN = re.compile(r"^(?:[A-Z][A-Za-z]{0,3}-?\d{1,4}[A-Z]{0,5}(?:-\d+)?|\d{1,4}[A-Z]{1,4})$")
_DEAL_NOUNS = {"contract", "deal", "agreement", "order", "tender", "sale", "purchase", "package", "accord"}
_SUPPORT = {"equipment", "support", "spare", "part", "kit", "upgrade", "training", "service", "hardware"}
_GENERIC_ITEMS = {"arm", "arms", "weapon", "equipment", "system", "hardware", "unit", "package", "munition", "ammunition"}
_FAMILY = {
    "jet": "air", "fighter": "air", "aircraft": "air", "plane": "air", "warplane": "air", "bomber": "air", "trainer": "air",
    "helicopter": "heli", "gunship": "heli", "chopper": "heli",
    "frigate": "ship", "corvette": "ship", "destroyer": "ship", "warship": "ship", "ship": "ship", "vessel": "ship", "boat": "ship",
    "submarine": "sub", "sub": "sub",
    "missile": "missile", "interceptor": "missile", "rocket": "missile",
    "tank": "tank", "howitzer": "artillery", "artillery": "artillery", "gun": "artillery",
    "drone": "drone", "uav": "drone", "ucav": "drone",
}
_QUANTITY_DEPS = ("nummod",)
_EARLIER_VALUE = re.compile(r"\b(?:original(?:ly)?|previous(?:ly)?|earlier|prior|initial)\b.{0,60}$|\bcase\s+[A-Z]{2}-[A-Z]-[A-Z]{3}\b", re.I)
_NOT_DEAL_VALUE = re.compile(r"\b(?:aid|assistance|budget|spend(?:ing)?|annual(?:ly)?|a\s+year|per\s+year|revenue|volume|loans?|credit\s+line|grant)\b", re.I)
_TOTAL = re.compile(r"\b(?:combined|in\s+total|total(?:ling)?|altogether|together)\b", re.I)
_RESPECTIVELY = re.compile(r"\brespectively\b", re.I)
# Breadcrumbs and section labels that open a page's first lines ("Home Africa ...", "News » Defence »").
_FURNITURE = re.compile(
    r"^(?:(?:Home|News|Latest\s+News(?:\s+for\s+[\w ]+?)?|Features?|World|Europe|Africa|Asia(?:-Pacific)?|Americas|Middle\s+East|Defen[cs]e|Army|Navy|Air(?:\s+Force)?"
    r"|Land|Sea|Industry|Business|Politics|Conflict|Military|Security|Global|International|Naval|Aerospace|EN|TR)\b[\s»›>|/:-]*)+")
# Heads of a party phrase named only by a demonym or possessive ("the Danish defence ministry",
# "Seoul's arms procurement agency", "two South Korean firms"); "a Polish variant" is no party.
_AGENT_NOUNS = {"government", "ministry", "department", "agency", "administration", "office", "army", "navy", "force", "forces",
                "military", "firm", "company", "companies", "firms", "maker", "manufacturer", "group", "shipbuilder", "contractor",
                "official", "officials", "minister", "counterpart", "authorities", "authority", "state", "kingdom", "republic",
                "regime", "junta", "parliament", "coast", "guard", "guards", "corps", "command", "consortium", "side", "buyer",
                "customer", "exporter", "supplier", "planemaker", "manufacturers", "navies", "armies", "producer", "president",
                "leader", "inspectorate", "administration", "council", "service", "services", "cabinet", "secretary", "chief",
                "commander", "staff", "unit", "units", "battalion", "brigade", "ally", "allies", "partner", "partners", "country",
                "nation", "bureau", "division", "industries", "industry", "corporation", "holding", "conglomerate", "yard",
                "shipyard", "giant", "fleet", "squadron", "wing", "use", "benefit", "defense", "defence"}
_REPORT_VERBS = {"say", "tell", "announce", "report", "confirm", "reveal", "disclose", "welcome", "criticize", "criticise", "oppose",
                 "condemn", "discuss", "hope", "deny", "question", "praise", "note", "describe", "call", "see", "want", "plan", "consider"}
_ANAPHORIC_HEADS = {"country": "state", "nation": "state", "kingdom": "state", "state": "state", "government": "state",
                    "company": "maker", "firm": "maker", "maker": "maker", "manufacturer": "maker", "group": "maker",
                    "shipbuilder": "maker", "planemaker": "maker", "contractor": "maker", "shipyard": "maker", "it": "any"}
_STAGE_RANK = {"cancelled": 6, "delivered": 5, "signed": 4, "approved": 3, "requested": 2, "proposed": 1, "reported": 0}


def _lemma(tok) -> str:
    return tok.lemma_.lower()


def _trigger_of(tok) -> dict[str, str] | None:
    pos = "verb" if tok.pos_ in ("VERB", "AUX") else "noun" if tok.pos_ in ("NOUN", "PROPN") else None
    if pos is None:
        return None
    trig = _triggers()
    lem = _lemma(tok)
    if pos == "verb":
        for c in tok.children:  # particle verbs and "take delivery"
            if c.dep_ == "prt" and (f"{lem} {c.lower_}", "verb") in trig:
                return trig[(f"{lem} {c.lower_}", "verb")]
            if lem == "take" and c.dep_ == "dobj" and c.lower_ == "delivery":
                return trig[("take delivery", "verb")]
        if lem in ("hand", "take"):
            return None if lem == "take" else trig.get(("hand over", "verb"))
        if lem in ("send", "provide", "offer", "supply", "transfer", "ship") and not any(
                _descend_item(o, True) is not None for o in tok.children if o.dep_ in ("dobj", "nsubjpass")) and not any(
                c.dep_ == "prep" and c.lower_ == "with" for c in tok.children):
            return None  # "sent a letter", "provided assistance": no weapon sent
    if pos == "noun" and tok.dep_ == "compound" and (_lemma(tok.head), "noun") not in trig:
        return None  # "Seoul's arms procurement agency", "the sales team"
    if any(c.dep_ in ("advmod", "neg") and c.lower_ in ("rarely", "never", "seldom") for c in tok.children):
        return None  # "lawmakers have rarely blocked arms transfers": no event
    if lem == "buy" and pos == "noun" and tok.i > 0 and tok.doc[tok.i - 1].lower_ in ("to",):
        return None
    return trig.get((lem, pos)) or (trig.get((tok.lower_, pos)) if pos == "noun" else None)


@lru_cache(maxsize=1)
def _models_longest_first() -> tuple[tuple[re.Pattern, str | None], ...]:
    """The whole model names of _models() as patterns, longest name first (the order
    _model_country tries them in)."""
    names, _ = _models()
    return tuple((re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])"), country)
                 for name, country in sorted(names.items(), key=lambda kv: -len(kv[0])))


@lru_cache(maxsize=1 << 14)  # a pure function of the phrase, asked of the same item phrases many times
def _model_country(text: str) -> tuple[bool, str | None]:
    """(names a model, the maker country of the first model) for a phrase."""
    _, prefixes = _models()
    low = text.lower()
    for pattern, country in _models_longest_first():
        if pattern.search(low):
            return True, country
    for m in re.finditer(r"(?<![\w-])(" + _DESIGNATOR + r")(?![\w])", text):
        pre = re.match(r"[A-Za-z]+", m.group(1))
        pre_l = pre.group().lower() if pre else ""
        return True, prefixes.get(pre_l)
    return False, None


_MONEY_PREFIX = re.compile(r"^(?:USD|US|EUR|GBP|INR|Rs|SEK|KRW|AUD|CAD|JPY|CNY|RUB|NOK|DKK|PLN|CHF|TRY|SAR|AED|ILS|P|A|C|S|NZ|HK)\d", re.I)


def _has_model(tok) -> bool:
    if _MONEY_PREFIX.match(tok.text) and any(n.lower_ in ("million", "billion", "bn", "mn", "trillion", "crore", "m", "b") for n in tok.doc[tok.i + 1:tok.i + 3]):
        return False  # "USD99 million", "P4.96-billion"
    if _DESIGNATOR_TOKEN.match(tok.text) and not re.fullmatch(r"\d+[A-Z]?", tok.text):
        return True
    return tok.lower_ in _models()[0]


def _item_words(head) -> list:
    """The tokens of an item phrase's modifiers (compounds, adjectives, hyphen parts)."""
    return [t for t in head.subtree if t.i != head.i and t.dep_ not in ("relcl", "acl", "prep", "pobj", "cc", "conj", "punct", "det", "appos")
            and t.head.i not in {x.i for x in head.children if x.dep_ in ("relcl", "acl", "prep", "conj", "appos")}]


@lru_cache(maxsize=1 << 12)
def _maker_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of the arms makers' names in a sentence (asked for every token _is_item tests)."""
    return tuple(m.span() for m in _maker_re().finditer(text))


def _is_item(tok, strong_context: bool = False) -> bool:
    """Is this token the head of a military item phrase?"""
    if tok.pos_ not in ("NOUN", "PROPN", "NUM"):
        return False
    lem = _lemma(tok)
    row = _items().get(lem) or _items().get(tok.lower_) or (_items().get(tok.lower_[:-1]) if tok.lower_.endswith("s") else None)
    mods = [t for t in tok.children if t.dep_ in ("compound", "amod", "nmod", "nummod")]
    mod_words = {w for t in mods for w in re.split(r"[-\s]", t.lower_)} | {t.lower_ for t in mods}
    if mod_words & _not_sales().get("modifier", frozenset()):
        return False
    if any(s <= tok.idx < e for s, e in _maker_spans(X.doc_text(tok.doc))):
        return False  # "thyssenkrupp Marine Systems", "BAE Systems": a maker's name
    if lem in _not_sales().get("item", frozenset()):
        return False
    if row is None:
        # a model name as head: "36 Rafale", "25 J-10Cs", "the S-400", "Su-35s"; or the model of a
        # deal ("the S-400 deal")
        if _has_model(tok) or re.match(r"^[A-Z][A-Za-z]{0,3}-?\d{1,4}[A-Z]{0,5}s$", tok.text):
            if tok.dep_ in ("compound", "amod", "nmod") and _lemma(tok.head) in _DEAL_NOUNS:
                return True
            return tok.pos_ in ("PROPN", "NOUN", "NUM") and tok.dep_ not in ("compound", "nummod", "amod")
        # "MQ-9 Communications Intelligence Sensor Pod Suites": a model among its compounds
        if strong_context and tok.pos_ in ("NOUN", "PROPN") and any(_has_model(t) for t in tok.subtree if t.i < tok.i and t.dep_ in ("compound", "amod", "nmod")):
            return tok.dep_ not in ("compound", "amod")
        return False
    if row.get("strength") == "strong":
        if lem in ("fighter",) and tok.dep_ == "compound":
            return False
        return True
    if strong_context:
        return True
    if mod_words & _modifiers():
        return True
    if any(_has_model(t) for t in mods) or any(_maker_re().fullmatch(t.text) for t in mods):
        return True
    if any(c.dep_ == "appos" and (_has_model(c) or _lemma(c) in _items()) for c in tok.children):
        return True  # "eight jets, Sukhoi Su-30 MKA fighters"
    sub = " ".join(t.text for t in tok.subtree if t.dep_ in ("compound", "amod", "nmod") or t.head.dep_ in ("compound",))
    if sub and (_model_country(sub)[0] or _maker_re().search(sub)):
        return True
    return False


def _descend_item(tok, strong: bool):
    """A container noun ("the final batch of X", "two of the aircraft", "a total of 25 J-10Cs",
    "the first installment of X") stands for the item in its "of" phrase."""
    if _is_item(tok, strong):
        return tok
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("of", "comprising"):
            for g in c.children:
                if g.dep_ == "pobj":
                    hit = _descend_item(g, strong)
                    if hit is not None:
                        return hit
        if c.dep_ == "acl" and c.lower_ in ("comprising", "including", "consisting"):
            for g in c.children:
                if g.dep_ == "dobj" and _is_item(g, strong):
                    return g
    return None


def _item_text(head) -> str:
    """The item phrase as written: the head with its compounds and adjectives (and their
    own modifiers), no determiner, number or relative clause; conjoined heads share modifiers.
    A weak head whose apposition names the model ("eight jets, Sukhoi Su-30 fighters") is
    written as the apposition."""
    for c in head.children:
        if c.dep_ == "appos" and not _has_model(head) and (_has_model(c) or any(_has_model(t) for t in c.subtree if t.i < c.i)):
            head = c
            break
    keep = {head.i}
    stack = [c for c in head.children if c.dep_ in ("compound", "amod", "nmod", "npadvmod", "poss", "case", "punct", "nummod", "quantmod", "advmod")]
    while stack:
        t = stack.pop()
        if t.dep_ == "punct" and t.text not in ("-", "/"):
            continue
        if t.like_num and t.dep_ in ("nummod",) and not _has_model(t):
            continue
        if t.dep_ in ("advmod", "quantmod") or t.lower_ in ("more", "additional", "further", "its", "their", "his", "her", "worth", "valued", "costing"):
            continue
        if t.dep_ == "poss" and (_party_iso(t) is not None or t.pos_ == "PRON"):
            continue
        keep.add(t.i)
        stack.extend(c for c in t.children if c.dep_ not in ("relcl", "acl", "prep", "cc", "conj", "appos", "det"))
    keep = {i for i in keep if i <= head.i}
    lo, hi = min(keep), max(keep)
    toks = [t for t in head.doc[lo:hi + 1]]
    while toks and (toks[0].dep_ in ("det", "case", "punct") or toks[0].like_num and not _has_model(toks[0]) or toks[0].lower_ in ("more", "new", "'s", "’s")):
        if toks[0].lower_ == "new" and len(toks) > 2:
            break
        toks = toks[1:]
    if not toks:
        return head.text
    return X.doc_text(head.doc)[toks[0].idx:toks[-1].idx + len(toks[-1].text)].strip(" ,;:-")


def _quantity(head) -> int | None:
    for t in (head, head.head if head.head.dep_ != "ROOT" else None):
        if t is None:
            continue
        for c in t.children:
            if c.dep_ in _QUANTITY_DEPS and not _has_model(c):
                count = N.parse_count(c.text if not any(x.dep_ == "compound" for x in c.children) else " ".join(x.text for x in c.subtree))
                if count is not None and count.low is not None and count.low < 100000:
                    return int(count.low)
        if t is not head and t.lower_ not in ("batch", "total", "tranche", "installment", "instalment", "fleet", "squadron"):
            if not (t.lemma_.lower() in _items() or t.like_num):
                break
        if t is not head and t.like_num:
            count = N.parse_count(t.text)
            if count is not None and count.low:
                return int(count.low)
    return None


# ---------------------------------------------------------------------------------------------
# Parties
# ---------------------------------------------------------------------------------------------

def _party_iso(tok) -> str | None:
    text = X.doc_text(tok.doc)[X.span_of(tok)[0]:X.span_of(tok)[1]]
    p = _party(text)
    return p[1] if p else None


def _party(text: str):
    """(name as written, country, is_maker) for a party phrase, or None when it names no state,
    government body or maker."""
    text = text.strip(" ,;:.")
    if not text:
        return None
    maker = _maker_re().search(text)
    actors = [a for _, _, a in A.find_actors(text) if a.kind in ("country", "government", "organisation", "military", "armed_group", "coalition")]
    if maker is not None:
        country = dict(_makers()).get(maker.group())
        named = [a for a in actors if a.kind == "country" and a.iso3 and a.matched.lower() == a.canonical.lower() or
                 a.kind == "country" and a.iso3 and len(a.matched) <= 3 and a.matched.isupper()]
        rest = A.resolve_actor(text[maker.end():].strip(" ,")) if text[maker.end():].strip(" ,") else None
        if rest is not None and rest.kind == "country" and rest.iso3:
            named = [rest]
        if named:
            country = named[0].iso3  # "MBDA UK" is the British arm
        if maker.group() in _agencies():
            return text, country, False
        if country is None:
            states = [a for a in actors if a.iso3 and a.kind in ("country", "government")]
            country = states[0].iso3 if states else None
        return text, country, True
    for a in actors:
        if a.kind in ("country", "government", "military") and a.iso3:
            return text, a.iso3, False
    for a in actors:
        if a.iso3:
            return text, a.iso3, False
    return None


def _party_text(tok, cut: int) -> str:
    """A party phrase as written: the token's noun phrase without relative clauses, appositions
    and a "the"; never reaching into page furniture before `cut`."""
    doc = tok.doc
    keep = {tok.i}
    stack = [c for c in tok.children if c.dep_ in ("compound", "amod", "poss", "nmod", "case", "det", "punct") and c.i < tok.i
             or c.dep_ == "punct" and c.i == tok.i + 1 and c.text == "." or c.dep_ in ("compound", "flat") and c.i == tok.i + 1]
    while stack:
        t = stack.pop()
        keep.add(t.i)
        stack.extend(c for c in t.children if c.dep_ not in ("relcl", "acl", "appos", "cc", "conj", "advcl", "prep") and c.i < tok.i)
    lo = doc[min(keep)].idx
    hi = doc[max(keep)].idx + len(doc[max(keep)].text)
    for c in tok.children:  # "the Government of Jordan", "the Ministry of Defence"
        if c.dep_ == "prep" and c.lower_ == "of" and c.i == tok.i + 1 and _lemma(tok) in _AGENT_NOUNS:
            s, e = X.span_of(c, drop=("relcl", "acl", "appos", "punct", "cc", "conj", "advcl"))
            hi = max(hi, e)
    lo = max(lo, cut)
    if lo >= hi:
        lo, hi = tok.idx, tok.idx + len(tok.text)
    text = X.doc_text(doc)[lo:hi].strip(" ,;:")
    text = re.sub(r"^(?:the|The|a|A)\s+", "", text)
    return text


def _resolve(tok, cut: int, notes: dict | None = None):
    """(name, country, is_maker) of a party token, or None. "The country", "the company" stand
    for the article's last state or maker named as a party (`notes`); other pronouns and bare
    nouns are no party."""
    if tok.idx < cut:
        # "WARSAW (Wire) - Poland signed ...": the parse may hang the subject on the dateline
        for c in tok.subtree:
            if c.idx >= cut and c.pos_ == "PROPN" and c.dep_ in ("appos", "compound", "nsubj", "npadvmod", "conj"):
                return _resolve(c, cut, notes)
        return None
    if notes is not None and tok.lower_ not in ("it", "they") and _lemma(tok) in _ANAPHORIC_HEADS and any(
            c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.children) and _party(_party_text(tok, cut)) is None:
        kind = _ANAPHORIC_HEADS[_lemma(tok)]
        return notes.get("arms_last_" + kind)
    if tok.pos_ == "PRON":
        speaker = X.self_reference(tok, cut)  # "the ministry said it had signed for ..."
        return _resolve(speaker, cut, notes) if speaker is not None else None
    text = _party_text(tok, cut)
    p = _party(text)
    if p is None:
        return None
    if not p[2] and _lemma(tok) not in _AGENT_NOUNS and tok.lower_ not in _AGENT_NOUNS and _party(tok.text) is None and not (
            tok.pos_ == "PROPN" and tok.text[:1].isupper()):
        return None  # "a Polish variant", "Russian transport aircraft": a thing, not a party
    return p


# ---------------------------------------------------------------------------------------------
# Frames: the trigger words of one clause and the roles attached to them
# ---------------------------------------------------------------------------------------------

_LINK_DEPS = {"amod", "dobj", "pobj", "prep", "xcomp", "acl", "relcl", "compound", "nsubjpass", "attr", "advcl", "pcomp", "oprd", "ccomp", "conj", "appos", "npadvmod"}


def _frames(doc, triggers: dict[int, dict]) -> list[list[int]]:
    """Trigger tokens grouped by clause: a trigger reached from another through objects,
    prepositions, xcomp or relative clauses belongs to its frame ("signed a contract ... for
    the purchase of", "cleared X to buy", "entered an agreement under which X will buy")."""
    parent = {i: i for i in triggers}

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in triggers:
        t = doc[i]
        steps = 0
        while t.head.i != t.i and steps < 5:
            if t.dep_ not in _LINK_DEPS:
                break
            if t.dep_ == "conj" and t.pos_ in ("VERB",) and (any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children) or _lemma(t) in ("provide",)
                                                            or X.objects(t) and X.objects(t.head)):
                break  # "builds frigates ... and provides assistance": two clauses
            if t.dep_ == "ccomp" and _lemma(t.head) in ("say", "tell", "announce", "report", "add", "state", "confirm"):
                break
            t = t.head
            steps += 1
            if t.i in triggers:
                parent[find(i)] = find(t.i)
                break
    groups: dict[int, list[int]] = {}
    for i in triggers:
        groups.setdefault(find(i), []).append(i)
    return [sorted(g) for g in groups.values()]


class _Roles:
    def __init__(self):
        self.seller: list = []  # tokens
        self.buyer: list = []
        self.party: list = []  # sides whose role the words do not tell
        self.items: list = []
        self.direction: str | None = None  # "buy" when a party is the buyer, "sell" when the seller
        self.stage: str = "reported"
        self.stage_rank = -1
        self.modal: str | None = None
        self.top = None
        self.background = False  # "..., selling drones to Ethiopia and Nigeria": a habit, not a deal
        self.more = False  # "and has requested 12 more": the same items, another package


def _add(lst, toks):
    for t in toks:
        if all(t.i != x.i for x in lst):
            lst.append(t)


def _pobjs(tok, preps):
    return [(p, o) for p, o in X.prep_objects(tok) if p in preps]


def _is_actor_tok(tok, cut, doc=None) -> bool:
    return _resolve(tok, cut) is not None


_ARRIVAL_VERBS = {"arrive", "reach", "land", "dock"}


def _collect(doc, frame: list[int], triggers: dict[int, dict], cut: int, strong: bool) -> _Roles:
    r = _Roles()
    toks = [doc[i] for i in frame]
    # the top of the frame: the trigger nearest the root
    def depth(t):
        d = 0
        while t.head.i != t.i and d < 50:
            t = t.head
            d += 1
        return d
    top = min(toks, key=depth)
    r.top = top
    if top.tag_ == "VBG" and top.dep_ == "advcl" and triggers[top.i]["stage"] != "approved" and not any(
            c.dep_ in ("aux", "nsubj", "mark") for c in top.children):
        r.background = True
    for t in toks:
        trig = triggers[t.i]
        subj_role = trig["subject"]
        stage = trig["stage"]
        is_verb = t.pos_ in ("VERB", "AUX")
        deal_obj = [o for o in X.objects(t) if _lemma(o) in _DEAL_NOUNS] if is_verb else []
        if subj_role == "seller" and stage == "approved" and is_verb:
            themes = [c for c in t.children if c.dep_ in ("nsubjpass", "dobj")]
            if t.dep_ == "relcl" and _lemma(t.head) in _DEAL_NOUNS - {"sale", "package"}:
                themes.append(t.head)
            if any(_lemma(c) in _DEAL_NOUNS - {"sale", "package"} for c in themes):
                subj_role = "party"  # "the deal, approved by the Greek parliament": not the seller
        if subj_role == "winner":
            subj_role = "seller" if deal_obj or any(_lemma(c) in _DEAL_NOUNS for c in t.children if c.dep_ == "nsubjpass") else "buyer"
            if subj_role == "seller":
                r.direction = r.direction or "sell"
                for o in deal_obj:
                    for p, x in _pobjs(o, {"from", "by"}):
                        _add(r.buyer, [x])
        # the stage: the top word's, a cancellation anywhere, a delivery over a contract
        rank = _STAGE_RANK[stage]
        if r.stage == "cancelled":
            pass
        elif t is top or stage == "cancelled" or (r.stage_rank < 0) or (stage == "delivered" and is_verb and r.stage in ("signed", "reported")):
            if t is top or rank > r.stage_rank or r.stage_rank < 0:
                r.stage, r.stage_rank = stage, rank
        if stage == "cancelled":
            r.stage, r.stage_rank = "cancelled", 99
        if is_verb:
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in t.children)
            subs = [s for s in X.subjects(t) if s.dep_ != "nsubjpass" or not passive] if not passive else []
            if not subs and t.dep_ in ("acl", "relcl") and not passive:
                # "Poland's plan to acquire", "the deal under which Hungary will purchase" has its own subject
                head = t.head
                subs = [c for c in head.children if c.dep_ == "poss"]
                if not subs and t.dep_ == "acl" and _lemma(head) not in _DEAL_NOUNS and _is_actor_tok(head, cut):
                    subs = [head]
            if t.dep_ in ("xcomp", "advcl") and any(c.lower_ == "to" and c.dep_ == "aux" for c in t.children):
                # object control: "cleared Athens to buy", "contracted Boeing to manufacture"
                ctrl = [o for o in X.objects(t.head) if _is_actor_tok(o, cut)]
                if ctrl:
                    subs = ctrl
            with_subj = [x for x in subs if any(c.dep_ == "mark" and c.lower_ == "with" for c in x.head.children)]
            if with_subj:  # "signed contracts with Poland to implement ...": Poland is the other side
                _add(r.party, with_subj)
                subs = [x for x in subs if all(x.i != w.i for w in with_subj)]
            agents = X.agents(t)
            objs = X.objects(t)
            if passive:
                themes = [c for c in t.children if c.dep_ == "nsubjpass"]
                _add(r.items, themes)
                subs = agents
            else:
                _add(r.items, objs)
            if subj_role == "seller":
                _add(r.seller, subs)
                actor_objs = [o for o in objs if _is_actor_tok(o, cut) and not _is_item(o, strong)]
                if actor_objs and not passive:
                    _add(r.buyer, actor_objs)  # "supplied Ukraine with tanks", "cleared Athens to buy"
                for p, x in X.prep_objects(t):
                    if p in ("to", "for") and _is_actor_tok(x, cut):
                        _add(r.buyer, [x])
                    elif p == "with" and not _is_actor_tok(x, cut):
                        _add(r.items, [x])
                for c in t.children:
                    if c.dep_ in ("dative", "iobj") and c.pos_ != "ADP":
                        _add(r.buyer, [c])
                r.direction = r.direction or ("sell" if stage != "approved" else None)
            elif subj_role == "buyer":
                if _lemma(t) == "award":
                    _add(r.buyer, subs)
                    for p, x in X.prep_objects(t):
                        if p == "to":
                            _add(r.seller, [x])
                    for c in t.children:
                        if c.dep_ in ("dative", "iobj"):
                            _add(r.seller, [c])
                else:
                    _add(r.buyer, subs)
                    for p, x in X.prep_objects(t):
                        if p in ("from", "with") and _is_actor_tok(x, cut):
                            _add(r.seller, [x])
                        elif p == "for" and _is_actor_tok(x, cut):
                            _add(r.buyer, [x])
                    r.direction = r.direction or "buy"
            elif subj_role in ("party", "cancel"):
                _add(r.party, subs)
                for p, x in X.prep_objects(t):
                    if p == "with" and _is_actor_tok(x, cut):
                        _add(r.party, [x])
                    elif p == "for" and _is_actor_tok(x, cut):
                        _add(r.buyer, [x])
                    elif p == "from" and _is_actor_tok(x, cut):
                        _add(r.seller, [x])
                    elif p == "between":
                        _add(r.party, [x])
            for p, x in X.prep_objects(t):
                if p in ("for", "of", "on") and not _is_actor_tok(x, cut):
                    _add(r.items, [x])
            m = X.hypothetical(t)
            if m and t is top:
                r.modal = m
            elif m and r.modal is None and t.dep_ in ("xcomp", "relcl", "acl") and top.pos_ not in ("VERB", "AUX"):
                r.modal = m
        else:  # a noun: sale, purchase, deal, contract, order, delivery
            if any(c.dep_ in ("det", "neg") and c.lower_ in ("no",) for c in t.children):
                r.modal = "negated"
            poss = [c for c in t.children if c.dep_ == "poss"]
            if subj_role == "seller":
                _add(r.seller, [p for p in poss if _is_actor_tok(p, cut)])
            elif subj_role == "buyer":
                _add(r.buyer, [p for p in poss if _is_actor_tok(p, cut)])
            else:
                _add(r.party, [p for p in poss if _is_actor_tok(p, cut)])
            for c in t.children:
                if c.dep_ in ("compound", "amod", "nmod") and (_has_model(c) or _is_item(c, strong)):
                    _add(r.items, [c])  # "the S-400 deal", "a Rafale contract"
            for p, x in X.prep_objects(t):
                actor = _is_actor_tok(x, cut)
                if p == "to" and actor:
                    _add(r.buyer, [x])
                elif p == "from" and actor:
                    if r.direction == "sell" and subj_role == "buyer":
                        _add(r.buyer, [x])  # "received an order from the Netherlands"
                    else:
                        _add(r.seller, [x])
                elif p == "with" and actor and any(c.lower_ in ("joint", "common", "shared") for c in t.children):
                    pass  # "a joint procurement with Latvia": a fellow buyer
                elif p == "with" and actor:
                    _add(r.party, [x])
                elif p == "between" and actor:
                    _add(r.party, [x])
                elif p == "by" and actor:
                    _add(r.buyer if subj_role == "buyer" else r.seller, [x])
                elif p == "for" and actor:
                    _add(r.buyer, [x])
                elif p in ("of", "for", "on", "worth") and not actor:
                    _add(r.items, [x])
            # "Russia started the delivery of ...", "Poland completed the purchase": the verb's
            # subject is the noun's subject
            gov, hops = t, 0
            while gov.dep_ in ("pobj", "prep", "dobj", "nsubjpass", "attr") and gov.head.i != gov.i and hops < 4 and gov.head.pos_ not in ("VERB", "AUX"):
                gov, hops = gov.head, hops + 1
            gov = gov.head if gov.dep_ in ("pobj", "prep", "dobj", "nsubjpass", "attr") else None
            if gov is not None and gov.pos_ in ("VERB", "AUX") and gov.i not in triggers and _lemma(gov) not in _REPORT_VERBS:
                subs = [x for x in X.subjects(gov) if _is_actor_tok(x, cut, doc)]
                if subj_role == "buyer" and stage == "requested":  # "sent Washington a letter of request"
                    _add(r.seller, [c for c in gov.children if c.dep_ in ("dative", "iobj") and _is_actor_tok(c, cut)])
                    _add(r.seller, [x for p, x in X.prep_objects(gov, {"to"}) if _is_actor_tok(x, cut)])
                _add(r.seller if subj_role == "seller" else r.buyer if subj_role == "buyer" else r.party, subs)
            # "the first shipment of Javelins has arrived in Estonia": where a delivery arrives is its buyer
            if stage == "delivered" and t.dep_ == "nsubj" and _lemma(t.head) in _ARRIVAL_VERBS:
                _add(r.buyer, [x for p, x in X.prep_objects(t.head, {"in", "at"}) if _is_actor_tok(x, cut)])
                _add(r.buyer, [o for o in X.objects(t.head) if _is_actor_tok(o, cut)])  # "reached Poland"
            # "a French submarine purchase", "a Russian arms deal": the seller's country
            if subj_role == "seller":  # "U.S. arms sales", "Russian arms exports"
                for c in t.children:
                    if c.dep_ in ("amod", "compound", "nmod") and c.pos_ in ("ADJ", "PROPN") and _is_actor_tok(c, cut):
                        _add(r.seller, [c])
            if subj_role in ("buyer", "party"):
                for c in t.children:
                    if c.dep_ in ("amod", "compound") and c.pos_ in ("ADJ", "PROPN") and _is_actor_tok(c, cut):
                        _add(r.seller, [c])
            if subj_role == "buyer" and t is not top and r.direction is None:
                r.direction = "buy"
            elif subj_role == "seller" and t is not top and r.direction is None and stage != "approved":
                r.direction = "sell"
    # "from Hyundai Rotem and Apache helicopters from Boeing": an item the parse put among the
    # parties is a package of its own, with its own seller
    for side in (r.seller, r.buyer):
        for t in list(side):
            for c in X.conjuncts(t):
                if c.i != t.i and _is_item(c, strong) and not _is_actor_tok(c, cut):
                    _add(r.items, [c])
                    for p, x in X.prep_objects(c, {"from", "by"}):
                        _add(r.seller, [x])
    # "to X" / "for X" / "from X" attached to the items ("frigates for the Vietnamese Navy")
    for it in list(r.items):
        for p, x in X.prep_objects(it):
            if not _is_actor_tok(x, cut):
                continue
            if p in ("to", "for") and all(x.i != b.i for b in r.buyer + r.seller + r.party):
                _add(r.buyer, [x])
            elif p == "from" and all(x.i != b.i for b in r.buyer + r.seller + r.party):
                _add(r.seller, [x])
    # a seller-side noun with its buyer further down ("sale of F-16 jets ... worth $23 bln to Turkey")
    if not r.buyer:
        for t in toks:
            if triggers[t.i]["subject"] == "seller" or triggers[t.i]["stage"] == "approved":
                for d in t.subtree:
                    if d.dep_ == "pobj" and d.head.lower_ == "to" and d.i > t.i and _is_actor_tok(d, cut) and not any(
                            a.i in triggers and a.i != t.i for a in d.ancestors if a.i > t.i):
                        _add(r.buyer, [d])
                        break
    # passive participles that modify an item: "jets procured from Pakistan", "frigates built by X"
    for it in list(r.items) + [h for h in (_descend_item(x, strong) for x in r.items) if h is not None]:
        for c in it.children:
            if c.dep_ == "acl" and c.pos_ == "VERB":
                trig = triggers.get(c.i) or _triggers().get((_lemma(c), "verb"))
                for p, x in X.prep_objects(c):
                    if p == "by" and _is_actor_tok(x, cut):
                        _add(r.buyer if trig and trig["subject"] == "buyer" else r.seller, [x])  # "ordered by Poland", "built by X"
                    elif p == "from" and _is_actor_tok(x, cut) and trig and trig["subject"] == "buyer":
                        _add(r.seller, [x])
                    elif p == "for" and _is_actor_tok(x, cut):
                        _add(r.buyer, [x])
                    elif p == "to" and _is_actor_tok(x, cut) and trig and trig["subject"] == "seller":
                        _add(r.buyer, [x])
    return r


def _expand(toks) -> list:
    """Conjoined parties are several parties: "to Poland, Romania and Norway"; "the navies of
    Norway and Germany" names two."""
    out = []
    for t in toks:
        conj = X.conjuncts(t)
        if len(conj) == 1 and _lemma(t) in ("navy", "army", "force", "government", "ministry", "military", "use", "benefit"):
            for p, x in X.prep_objects(t, {"of"}):
                if len(X.conjuncts(x)) > 1 or _lemma(t) in ("use", "benefit"):
                    conj = X.conjuncts(x) if len(X.conjuncts(x)) > 1 else [x]
                break
        for c in conj:
            if all(c.i != o.i for o in out):
                out.append(c)
    return out


# ---------------------------------------------------------------------------------------------
# Items, values, status
# ---------------------------------------------------------------------------------------------

def _frame_items(r: _Roles, strong: bool) -> list:
    heads = []
    for t in r.items:
        if t.lower_ == "more" or t.like_num and any(c.lower_ == "more" for c in t.children):
            r.more = True
            r.more_tok = t
    for t in r.items:
        h = _descend_item(t, strong)
        if h is None:
            for c in t.children:  # "contract for the construction of six submarines"
                if c.dep_ == "prep" and c.lower_ in ("of", "for"):
                    for g in c.children:
                        if g.dep_ == "pobj":
                            h = _descend_item(g, strong)
                            if h is None:
                                for cc in g.children:
                                    if cc.dep_ == "prep" and cc.lower_ in ("of", "for"):
                                        for gg in cc.children:
                                            if gg.dep_ == "pobj":
                                                h = h or _descend_item(gg, strong)
                        if h is not None:
                            break
                if h is not None:
                    break
        if h is not None and all(h.i != x.i for x in heads):
            heads.append(h)
    # a list is one head (split later); support items give way to the platform they support
    heads = [h for h in heads if not any(h.i != o.i and h.i in {c.i for c in X.conjuncts(o)} and o.i < h.i for o in heads)]
    if len(heads) > 1:
        main = [h for h in heads if _lemma(h) not in _SUPPORT]
        heads = main or heads
    return heads


def _split_items(head, strong: bool) -> list:
    """A list of items is one package unless its parts are distinct platforms, each with its own
    model or military head noun ("K2 tanks and K9 howitzers", "Rafale fighters and KF-21 jets");
    support items ("and related equipment", "spare parts") stay with the package."""
    conj = [c for c in X.conjuncts(head) if c.i != head.i]
    if not conj:
        return [head]
    parts = [head]
    for c in conj:
        if _lemma(c) in _SUPPORT or any(t.lower_ in ("related", "associated", "other", "support", "resupply", "spare") for t in c.subtree):
            continue
        if not _is_item(c, strong):
            continue
        parts.append(c)
    if len(parts) == 1:
        return parts
    fams = [_FAMILY.get(_lemma(p), _lemma(p)) for p in parts]
    models = [_model_country(_item_text(p))[0] for p in parts]
    if len(set(fams)) == len(parts) or all(models):
        return parts
    return [head]


def _value_groups(view: SentenceView, text: str) -> list[tuple[M.Money, float | None]]:
    """Deal values of a sentence: (amount as stated, USD value). An amount followed by its USD
    equivalent in brackets is one value; aid, budgets, yearly figures and earlier values are not
    a deal's value."""
    found = M.find_money(text, view.article.year)
    out = []
    skip = set()
    for i, m in enumerate(found):
        if i in skip:
            continue
        before = text[max(0, m.start - 60):m.start]
        after = text[m.end:m.end + 25]
        if _EARLIER_VALUE.search(text[max(0, m.start - 80):m.start]) or _NOT_DEAL_VALUE.search(before[-30:]) or _NOT_DEAL_VALUE.search(after[:14]):
            continue
        usd = m.value_usd
        if i + 1 < len(found):
            nxt = found[i + 1]
            gap = text[m.end:nxt.start]
            if re.fullmatch(r"\s*[\(\[]\s*(?:(?:approx\.?|about|around|roughly|some|or|nearly|almost|~)\s*)?", gap):
                skip.add(i + 1)
                if nxt.currency == "USD" and m.currency != "USD":
                    usd = nxt.value
        out.append((m, usd))
    return out


def _status(r: _Roles, fms: bool, sentence: str) -> str:
    stage = r.stage
    if r.modal in ("modal", "intent", "condition"):
        if stage == "delivered" and r.modal == "modal":
            stage = "signed"
        elif stage in ("signed", "reported", "delivered"):
            stage = "proposed"
        if r.top is not None and _lemma(r.top) in ("seek", "request"):
            stage = "requested"
    if r.modal == "negated" and stage not in ("cancelled",):
        return "negated"
    if r.top is not None and r.top.pos_ in ("NOUN", "PROPN"):
        for c in r.top.children:
            if c.dep_ == "amod" and c.lower_ in ("signed",):
                stage = "signed"
            if c.dep_ == "amod" and c.lower_ in ("possible", "potential", "proposed", "planned"):
                stage = "proposed" if not fms else "approved"
    if r.top is not None and r.top.tag_ == "VBG" and stage == "delivered" and any(c.dep_ == "aux" and c.lower_ in ("is", "are") for c in r.top.children):
        stage = "signed"  # "is receiving" describes a deal under way
    if re.search(r"\bletter\s+of\s+request\b", sentence, re.I):
        stage = "requested"
    if fms and stage in ("reported", "requested", "proposed") and not re.search(r"\bcancel\w*\b", sentence, re.I):
        stage = "approved"  # a DSCA notice: the State Department approved the possible sale
    return stage


# ---------------------------------------------------------------------------------------------
# Sentence extraction
# ---------------------------------------------------------------------------------------------

_GOV_OF = re.compile(r"\b(?:Government|Kingdom|Republic|State|Sultanate|Emirate)\s+of\s+(?P<c>(?:the\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})")
_FMS_ITEMS = re.compile(r"\bGovernment\s+of\s+(?:the\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}\s+of\s+(?P<items>[^.;]{3,160}?)\s+for\s+an\s+estimated", re.I)
_STATE_DEPT = re.compile(r"\b(?:State\s+Department|Department\s+of\s+State|Defense\s+Security\s+Cooperation\s+Agency|DSCA|Pentagon)\b")


def _sentence_not_sale(doc) -> bool:
    ns = _not_sales().get("sentence", frozenset())
    low = doc.text.lower()
    for w in ns:
        if " " in w:
            if w in low:
                return True
    return any(t.lower_ in ns or _lemma(t) in ns for t in doc)


_MILITARY = re.compile(r"\b(?:arms|military|defen[cs]e|weapons?|air\s+force|navy|army|armed\s+forces|fighters?|warships?|missiles?)\b", re.I)


def _military_article(view: SentenceView) -> bool:
    """An article about armed forces and weapons: there "the three aircraft" and "the vessels"
    are military items without a modifier of their own."""
    notes = view.article.notes
    if "arms_military" not in notes:
        notes["arms_military"] = len(_MILITARY.findall(view.article.text[:20000])) >= 3
    return notes["arms_military"]


def extract(view: SentenceView) -> list[dict]:
    text = view.text
    doc = view.doc
    if doc is None or not is_candidate(text):
        return []
    fms = fms_notice(view)
    if _sentence_not_sale(doc):
        return []
    furniture = _FURNITURE.match(text)
    cut = max(view.dateline_end, furniture.end() if furniture and furniture.end() < len(text) - 20 else 0)
    strong = fms or bool(_MILITARY.search(text)) or _military_article(view)
    triggers = {}
    for t in doc:
        if t.idx < cut:
            continue
        trig = _trigger_of(t)
        if trig is not None:
            triggers[t.i] = trig
    if not triggers:
        return []
    rows: list[dict] = []
    values = _value_groups(view, text)
    roles = [_collect(doc, frame, triggers, cut, strong) for frame in _frames(doc, triggers)]
    roles = _join_frames(roles, strong)
    last_items: list = []
    for r in roles:
        found = _frame_items(r, strong)
        if r.more and not found and last_items:
            r.items = list(last_items)
        elif found:
            last_items = found
        if r.background:
            continue
        rows.extend(_frame_rows(view, doc, r, cut, strong, fms, values))
    rows = _dedupe_sentence(rows)
    if fms and _GOV_OF.search(text):  # a notice states one package per buyer, however many items its sentence lists
        seen: set = set()
        rows = [r for r in rows if not (r.get("buyer_country") in seen or seen.add(r.get("buyer_country")))]
    for row in rows:
        notes = view.article.notes
        if row.get("buyer_country"):
            notes["arms_last_state"] = (row["buyer"], row["buyer_country"], False)
        if row.get("seller") and _maker_re().search(row["seller"]):
            notes["arms_last_maker"] = (row["seller"], row["seller_country"], True)
    _assign_values(rows, values, text)
    for row in rows:
        row.pop("_pos", None)
        row.pop("_more", None)
    return rows


def _join_frames(roles: list[_Roles], strong: bool) -> list[_Roles]:
    """A frame that names no item ("Pakistan is in talks with China") joins the frame of the
    same clause that does ("... to buy 40 J-35 jets"): its parties and its stage hold for it."""
    with_items = [r for r in roles if _frame_items(r, strong)]
    out = []
    for r in roles:
        if r in with_items or r.top is None:
            out.append(r)
            continue
        top = r.top
        anchors = {top.i}
        if top.dep_ == "pobj" and top.head.lower_ in ("in", "into") and top.head.head.pos_ in ("AUX", "VERB"):
            anchors.add(top.head.head.i)  # "is in talks with China to buy"
        elif top.dep_ == "dobj" and _lemma(top.head) in ("hold", "begin", "start", "open", "resume", "conduct"):
            anchors.add(top.head.i)  # "held talks with France on buying"
        target = None
        for o in with_items:
            if o.top.head.i in anchors or any(a.i == top.i for a in o.top.ancestors):
                target = o
                break
        if target is None:
            out.append(r)
            continue
        for name in ("seller", "buyer", "party"):
            _add(getattr(target, name), getattr(r, name))
        if r.stage == "cancelled" or r.stage in ("proposed", "requested") and target.stage in ("signed", "reported"):
            target.stage, target.top = r.stage, r.top
        if r.modal and not target.modal:
            target.modal = r.modal
    return out


def _first_resolved(toks, cut):
    for t in toks:
        p = _resolve(t, cut)
        if p is not None:
            return t, p
    return None, None


def _frame_rows(view, doc, r: _Roles, cut: int, strong: bool, fms: bool, values) -> list[dict]:
    text = view.text
    item_heads = _frame_items(r, strong)
    if not item_heads:
        # the frame names no item: an item elsewhere in the clause of the top trigger
        clause = X.clause_verb(r.top)
        for t in clause.subtree:
            if t.idx >= cut and _is_item(t, strong) and t.dep_ not in ("compound", "amod", "poss"):
                item_heads = [t]
                break
    # an approval of sales to named buyers with no item ("approved possible sales to A, B and C
    # worth a combined $N"): one row per buyer; the sentences that follow give each its items
    list_of_sales = not item_heads and r.stage == "approved" and any(_lemma(t) in ("sale", "export", "transfer") for t in r.top.subtree)
    if not item_heads and not fms and not list_of_sales:
        return []
    notes = view.article.notes
    sellers = [(t, _resolve(t, cut, notes)) for t in _expand(r.seller) if not _is_item(t, strong)]
    buyers = [(t, _resolve(t, cut, notes)) for t in _expand(r.buyer)]
    parties = [(t, _resolve(t, cut, notes)) for t in _expand(r.party)]
    sellers = [(t, p) for t, p in sellers if p]
    buyers = [(t, p) for t, p in buyers if p]
    parties = [(t, p) for t, p in parties if p and all(t.i != s.i for s, _ in sellers + buyers if s is not None)]
    # sides whose role the words do not tell: the maker sells; "to buy" / "for the purchase" make
    # the subject the buyer; the model's maker country sells
    if parties:
        origin = _origin(item_heads)
        for t, p in parties:
            if p[2] and not sellers:
                sellers.append((t, p))
            elif buyers and not sellers and p[1] not in {b[1][1] for b in buyers}:
                sellers.append((t, p))
            elif sellers and not buyers and p[1] not in {s[1][1] for s in sellers}:
                buyers.append((t, p))
            elif origin and p[1] == origin and not sellers:
                sellers.append((t, p))
            elif not sellers and r.direction == "sell":
                sellers.append((t, p))
            elif not buyers and p[1] not in {s[1][1] for s in sellers}:
                buyers.append((t, p))
            elif not sellers and p[1] not in {b[1][1] for b in buyers}:
                sellers.append((t, p))
    # a maker named in the items phrase sells ("Hanwha Defense K9 howitzers"); an item made in a
    # country other than the buyer's comes from it ("Iranian-made drones", "Sukhoi fighters")
    item_makers = {}
    for h in item_heads:
        for part in X.conjuncts(h):
            m = _maker_re().search(" ".join(t.text for t in part.subtree if t.i <= part.i))
            if m:
                item_makers[part.i] = (m.group(), dict(_makers()).get(m.group()), True)
    if not sellers and item_makers and len(set(item_makers.values())) == 1:
        sellers.append((None, next(iter(item_makers.values()))))
    buyer_isos = {p[1] for _, p in buyers}
    origin = _origin(item_heads)
    if origin and origin not in buyer_isos and (not sellers or {p[1] for _, p in sellers} <= buyer_isos) and not (
            parties and not buyers):
        sellers = [(None, (A.country_name(origin) or origin, origin, False))]
    if fms:
        if not buyers:
            g = _GOV_OF.search(text)
            if g:
                a = A.resolve_actor(g.group("c"))
                if a is not None:
                    buyers = [(None, (g.group("c"), a.iso3, False))]
        if not sellers:
            m = _STATE_DEPT.search(text)
            sellers = [(None, ((m.group() if m else "United States"), "USA", False))]
        if not item_heads:
            fi = _FMS_ITEMS.search(text)
            if fi is None:
                return []
    # drop a buyer that is the seller's own country (a ministry that signs for its state is a
    # buyer only when the seller is foreign)
    if sellers and buyers:
        s_iso = {p[1] for _, p in sellers}
        foreign = [(t, p) for t, p in buyers if p[1] not in s_iso]
        # a home ministry buying from a home maker is a buyer only when no foreign buyer is named
        # ("the USAF has contracted Boeing ... for Qatar": Qatar buys)
        buyers = foreign or [(t, p) for t, p in buyers if p[2] is False and any(sp[2] for _, sp in sellers)]
    seller_sets = sellers or [(None, None)]
    buyer_sets = buyers or [(None, None)]
    if sum(x is not None for x in (buyers or None, sellers or None, values or None)) < 2:
        return []
    if list_of_sales and not (buyers and sellers):
        return []
    status = _status(r, fms, text)
    if status == "negated":
        return []
    # items per row
    packages = []
    for h in item_heads:
        for part in (_split_items(h, strong) if not (fms and _GOV_OF.search(text)) else [h]):  # a notice is one package
            packages.append(part)
    if not packages:
        packages = [None]
    fi = _FMS_ITEMS.search(text) if fms else None
    rows = []
    # as many sellers as packages: each sells its own, in the order written ("K2 tanks from Hyundai
    # Rotem and Apache helicopters from Boeing"; "... K2 tanks and K9 howitzers, respectively")
    respectively = len(seller_sets) == len(packages) > 1 and (_RESPECTIVELY.search(text) or len({p[1] for _, p in seller_sets}) > 1
                                                               or all(p[2] for _, p in seller_sets))
    if respectively:
        seller_sets = sorted(seller_sets, key=lambda sp: sp[0].i if sp[0] is not None else 0)
        packages = sorted(packages, key=lambda t: t.i if t is not None else 0)
    for bi, (bt, bp) in enumerate(buyer_sets):
        for si, (st, sp) in enumerate(seller_sets):
            for pi, pk in enumerate(packages):
                if respectively and si != pi:
                    continue
                if pk is not None and pk.i in item_makers and len(set(item_makers.values())) > 1:
                    sp = item_makers[pk.i]  # "Dassault Rafale and Eurofighter Typhoon fighters"
                if bp and sp and bp[1] == sp[1] and bp[1] is not None and not (sp[2] and not bp[2]):
                    continue
                items = _item_text(pk) if pk is not None else None
                if fi is not None and (items is None or len(items) < len(fi.group("items"))):
                    items = " ".join(fi.group("items").split())
                seller_iso = sp[1] if sp else None
                if sp is None:
                    # no seller named: the maker country of a model (Sukhoi = Russia) when the
                    # buyer is someone else
                    has, c = _model_country(items or "")
                    if has and c and (bp is None or bp[1] != c):
                        seller_iso = c
                rows.append({
                    "seller": sp[0] if sp else (A.country_name(seller_iso) if seller_iso else None),
                    "seller_country": seller_iso,
                    "buyer": bp[0] if bp else None,
                    "buyer_country": bp[1] if bp else None,
                    "items": items,
                    "quantity": (_quantity(r.more_tok) if r.more and getattr(r, "more_tok", None) is not None else None) or (_quantity(pk) if pk is not None else None),
                    "value": None, "currency": None, "value_usd": None, "value_text": None, "value_qualifier": None,
                    "status": status,
                    "_actor_names": tuple(x for x in ((sp[0] if sp else None),) if x),
                    "_confidence": round(0.5 + 0.2 * (bp is not None) + 0.15 * (sp is not None) , 2),
                    "_more": r.more,
                    "_pos": (bt.i if bt is not None else (pk.i if pk is not None else 0), pk.i if pk is not None else 0,
                             len(buyer_sets), len(packages)),
                })
    return rows


_MADE = re.compile(r"\b(?P<c>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)-(?:made|built|designed|manufactured|supplied)\b|\bmade\s+in\s+(?P<c2>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)")


def _origin(item_heads) -> str | None:
    """The country an item comes from by its phrase: "Iranian-made", "made in France", or the
    maker country of its model (Sukhoi, Rafale, K9)."""
    for h in item_heads:
        text = X.doc_text(h.doc)[X.span_of(h)[0]:X.span_of(h)[1]]
        m = _MADE.search(text)
        if m:
            iso = A.country_iso3(m.group("c") or m.group("c2"))
            if iso:
                return iso
    for h in item_heads:
        has, c = _model_country(_item_text(h))
        if has and c:
            return c
    return None


def _dedupe_sentence(rows: list[dict]) -> list[dict]:
    """Two frames of one sentence that give the same deal ("received the first batch ... as it
    has purchased 25 J-10Cs from China") are one row."""
    kept: list[dict] = []
    for row in rows:
        for k in kept:
            if row.get("_more") or k.get("_more") or k.get("status") != row.get("status") and "requested" in (k.get("status"), row.get("status")):
                continue
            if mergeable(k, row) and _items_compatible(k.get("items"), row.get("items")):
                for f, v in row.items():
                    if k.get(f) is None and v is not None:
                        k[f] = v
                if _STAGE_RANK.get(row["status"], 0) > _STAGE_RANK.get(k["status"], 0) and k["status"] != "cancelled":
                    k["status"] = row["status"]
                break
        else:
            kept.append(row)
    return kept


def _assign_values(rows: list[dict], values, text: str) -> None:
    """One value for one row; values in the order of several buyers or packages when there are
    as many; a value for several rows at once belongs to none of them."""
    if not rows or not values:
        return
    def put(row, g):
        m, usd = g
        row.update(value=m.value, currency=m.currency, value_usd=usd, value_text=m.text, value_qualifier=m.qualifier)
        row["_confidence"] = round(min(0.99, row["_confidence"] + 0.14), 2)
    if len(rows) == 1:
        put(rows[0], values[0])
        return
    if len(values) == len(rows):
        for row, g in zip(sorted(rows, key=lambda r: r["_pos"][:2]), sorted(values, key=lambda g: g[0].start)):
            put(row, g)
        return
    # several rows, one value: a total (no row's own value) unless all rows are one deal
    return


# ---------------------------------------------------------------------------------------------
# Article level
# ---------------------------------------------------------------------------------------------

_COST = re.compile(r"\b(?:estimated\s+(?:total\s+)?(?:program\s+)?cost|total\s+(?:estimated\s+)?(?:order\s+)?(?:value|cost)|order\s+value|contract\s+value|valued\s+at|worth|for\s+an\s+estimated|at\s+a\s+(?:cost|price)\s+of|cost\s+of|price\s+tag|estimated\s+to\s+cost|to\s+cost|will\s+cost|costs?|priced\s+at|sold\s+(?:at|for))\b", re.I)
_ANAPHOR = re.compile(r"^(?:\W*)(?:The|This|That|Its|Their)\s+(?:\w+\s+){0,3}?(?:order|deal|contract|sale|purchase|package|agreement|acquisition|proposal|ships|jets|aircraft|submarines|frigates|systems|fighters|helicopters|tanks)\b|\b(?:the|this)\s+(?:order|deal|contract|sale|purchase|package)\s+(?:was|is|would\s+be|will\s+be)\s+(?:worth|valued)", re.I)


def cost_sentence_value(view: SentenceView) -> tuple[M.Money, float | None] | None:
    """A later sentence that states the deal's cost ("The estimated total cost is $2.5 billion.",
    "The total order value is approximately SEK 39.3 billion")."""
    if not _COST.search(view.text):
        return None
    if re.search(r"\b(?:deals|contracts|sales)\b", view.text) and not re.search(r"\b(?:the|this)\s+(?:deal|contract|sale)\b", view.text, re.I):
        return None
    groups = _value_groups(view, view.text)
    return groups[0] if groups else None


_DEFINITE = {"the", "this", "that", "these", "those"}
_VALUE_NOUNS = {"cost", "value", "price", "tag", "bill"}
_OTHER_DEAL = {"separate", "another", "earlier", "previous", "prior", "original", "former", "older"}
_CLIMB_DEPS = {"pobj", "prep", "npadvmod", "dobj", "attr", "acomp", "advmod", "pcomp", "appos", "conj", "cc"}


def _money_root(doc, m: M.Money):
    toks = [t for t in doc if t.idx < m.end and t.idx + len(t) > m.start]
    if not toks:
        return None
    for t in toks:
        if not (m.start <= t.head.idx < m.end) or t.head is t:
            return t
    return toks[-1]


def _named_by(root):
    """The noun phrase a value is stated of: the noun it premodifies ("The $2.3 billion order"), the
    noun a participle hangs from ("That contract, valued at $640 million"), or the subject of the
    clause it completes ("the ships could be sold at a price of $1.3 billion", "The deal is worth")."""
    if root.dep_ in ("nummod", "compound", "amod", "nmod", "quantmod") and root.head.pos_ in ("NOUN", "PROPN"):
        return root.head
    t = root
    for _ in range(6):
        if t.dep_ not in _CLIMB_DEPS or t.head is t:
            break
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            break
    if t.pos_ not in ("VERB", "AUX"):
        return None
    if t.dep_ in ("acl", "relcl") and t.head.pos_ in ("NOUN", "PROPN"):
        return t.head
    for v in (t, t.head if t.dep_ in ("conj", "xcomp", "ccomp") else None):
        if v is None:
            continue
        subj = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            return subj[0]
    return None


def later_value(view: SentenceView, row: dict) -> tuple[M.Money, float | None] | None:
    """The value a later sentence states of the row's deal, named by a definite phrase: the
    deal itself ("The $2.3 billion order ...", "That contract, valued at ..."), its cost ("The total
    cost is ...") or its items ("the frigates could be sold for ..."); a value in a comparison
    ("less than the $21bn deal") or of another deal is not it."""
    groups = _value_groups(view, view.text)
    if not groups:
        return None
    doc = view.doc
    if doc is None:
        from pipelines.nlp import get_nlp

        doc = get_nlp()(view.text)
    if any(t.lower_ in _OTHER_DEAL and t.head.lemma_.lower() in _DEAL_NOUNS for t in doc):
        return None  # "in a separate deal signed in 2016": the value of another deal
    families = {_FAMILY.get(_lemma_word(w), None) for w in re.findall(r"[a-z]+", (row.get("items") or "").lower())} - {None}
    for m, usd in groups:
        root = _money_root(doc, m)
        head = _named_by(root) if root is not None else None
        if head is None:
            continue
        if not any(c.dep_ == "det" and c.lower_ in _DEFINITE or c.dep_ == "poss" and c.pos_ == "PRON" for c in head.children):
            continue
        if any(a.lower_ in ("than", "like", "unlike") for a in head.ancestors):
            continue
        lemma = head.lemma_.lower()
        if lemma in _DEAL_NOUNS or lemma in _VALUE_NOUNS or (families and _FAMILY.get(lemma) in families):
            return m, usd
    return None


def _lemma_word(w: str) -> str:
    return w[:-1] if w.endswith("s") and not w.endswith("ss") else w


def _items_compatible(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    ma = {w.lower() for w in re.findall(_DESIGNATOR + r"|[A-Z][a-z]+", a) if _model_country(w)[0]}
    mb = {w.lower() for w in re.findall(_DESIGNATOR + r"|[A-Z][a-z]+", b) if _model_country(w)[0]}
    if ma and mb:
        if ma & mb:
            return True
        # same designator family ("Su-30 MKA" / "Su-30MKI"; "212CD" / "Type 212CD")
        da = {re.sub(r"[^a-z0-9]", "", x)[:5] for x in ma}
        db = {re.sub(r"[^a-z0-9]", "", x)[:5] for x in mb}
        return bool(da & db)
    wa = {_FAMILY.get(w.rstrip("s"), w.rstrip("s")) for w in re.findall(r"[a-z]+", a.lower())}
    wb = {_FAMILY.get(w.rstrip("s"), w.rstrip("s")) for w in re.findall(r"[a-z]+", b.lower())}
    fa = {w for w in wa if w in _FAMILY.values()}
    fb = {w for w in wb if w in _FAMILY.values()}
    if fa and fb:
        return bool(fa & fb)
    return True


def mergeable(first: dict, later: dict) -> bool:
    for k in ("buyer_country", "seller_country"):
        if first.get(k) and later.get(k) and first[k] != later[k]:
            return False
    if first.get("buyer_country") and first.get("buyer_country") == later.get("buyer_country"):
        return True
    return later.get("buyer_country") is None and first.get("buyer_country") is not None and (
        later.get("seller_country") is not None and later.get("seller_country") == first.get("seller_country"))


def _completeness(row: dict, sentences) -> float:
    score = sum(row.get(k) is not None for k in ("seller", "buyer", "items", "value", "quantity"))
    if row.get("seller") and _maker_re().search(row["seller"] or ""):
        score += 0.5
    ev = row.get("evidence") or ""
    if ev.rstrip().endswith((".", "”", '"', "’")) or len(ev) > 160:
        score += 0.6  # a body sentence, not a headline or a caption
    return score


def _merge_deals(rows: list[dict], sentences, notice: bool = False) -> list[dict]:
    """Mentions of one deal (same buyer, no conflicting seller, compatible items) are one row:
    the most complete mention, with what it lacks filled from the others."""
    groups: list[list[dict]] = []
    for row in rows:
        for g in groups:
            same_notice = notice and all(x.get("buyer_country") and x.get("buyer_country") == row.get("buyer_country") for x in g)
            if all((mergeable(x, row) or mergeable(row, x)) and x["sentence_index"] != row["sentence_index"] for x in g) and (
                    same_notice or all(_items_compatible(x.get("items"), row.get("items")) for x in g)):
                g.append(row)
                break
        else:
            groups.append([row])
    out = []
    from pipelines.assemble import CERTAINTY_RANK

    for g in groups:
        pass
    groups = [g for g in groups]
    for g in groups:
        base = max(g, key=lambda r: (_completeness(r, sentences), -r["sentence_index"]))
        for r in g:
            if r is base:
                continue
            for k, v in r.items():
                if k.startswith("evidence") or k in ("sentence_index", "fact_id", "status", "certainty", "attributed_to"):
                    continue
                if base.get(k) is None and v is not None:
                    if k in ("value", "currency", "value_usd", "value_text", "value_qualifier") and base.get("value") is not None:
                        continue
                    base[k] = v
            if r["status"] == "cancelled" and base["status"] != "cancelled":
                base["status"] = "cancelled"
            if CERTAINTY_RANK.get(r.get("certainty"), 0) > CERTAINTY_RANK.get(base.get("certainty"), 0) and r.get("certainty") == "denied":
                base["certainty"], base["attributed_to"] = r["certainty"], r.get("attributed_to")
        out.append(base)
    out.sort(key=lambda r: r["sentence_index"])
    return out


def assemble(rows: list[dict], view_a, sentences, docs) -> list[dict]:
    """An article's arms-sale rows (finished with evidence, dates and certainty): a sale without
    a value takes the cost stated in one of the next sentences ("The estimated cost is ...",
    "The order was worth ..."), then the mentions of one deal are merged into one row."""
    if not rows:
        return rows
    by_index: dict[int, list[dict]] = {}
    for row in rows:
        by_index.setdefault(row["sentence_index"], []).append(row)
    for idx in sorted(by_index):
        group = by_index[idx]
        if len(group) != 1 or group[0].get("value") is not None:
            continue
        row = group[0]
        for sent in sentences[idx + 1:idx + 7]:
            if sent.index in by_index and any(r.get("buyer_country") not in (None, row.get("buyer_country")) for r in by_index[sent.index]):
                break  # another deal starts
            near = sent.index - idx <= 3
            got = cost_sentence_value(SentenceView(view_a, sent, None)) if near or _ANAPHOR.search(sent.text) else None
            if got is None:
                got = later_value(SentenceView(view_a, sent, docs[sent.index] if docs and sent.index < len(docs) else None), row)
            if got is not None:
                m, usd = got
                row.update(value=m.value, currency=m.currency, value_usd=usd, value_text=m.text, value_qualifier=m.qualifier)
                break
    # a US Foreign Military Sale notice is one package per buyer, whatever each sentence lists
    notice = bool(re.search(r"\bnotif(?:y|ying|ied)\s+(?:the\s+)?Congress\b|\bDefense\s+Security\s+Cooperation\s+Agency\b", view_a.text))
    return _merge_deals(rows, sentences, notice)
