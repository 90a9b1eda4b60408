"""The caches that make extraction cheaper on event-dense text give the answers the uncached code
gave, and hand out nothing a caller could change for the next caller."""

from __future__ import annotations

import pytest

from pipelines import actors as A
from pipelines import context as C
from pipelines import hedging as H
from pipelines import numbers as N
from pipelines import places as P

SENTENCES = [
    "Russian Foreign Minister Sergei Lavrov met U.S. Secretary of State Antony Blinken in Geneva on Friday.",
    "Israeli warplanes struck Hezbollah positions near Tyre, the Israeli military said.",
    "The Houthis said they fired missiles at a ship in the Red Sea; the Pentagon denied any damage.",
    "Russia's defence ministry said its forces shot down 12 Ukrainian drones over the Belgorod region.",
    "Iranian-backed militias attacked U.S. troops at Ain al-Asad, according to officials.",
    "THE US ARMY SAID IT WAS A TEST.",
    "Türkiye's President Recep Tayyip Erdoğan hosted the Emir of Qatar, Sheikh Tamim bin Hamad Al Thani.",
    "Pro-Russian separatists and the Islamic State in Iraq and the Levant were named in the report.",
    "",
    "   ",
]


def _reference_candidates(text, tokens, *, running_text):
    """actors._candidates before its prefix pruning: every span from the longest down."""
    limits = A._contiguous_limits(text, tokens)
    max_len = A._index().max_len
    firsts = A._first_words()
    found = []
    for i in range(len(tokens)):
        if tokens[i].lower not in firsts:
            continue
        explicit = None
        for j in range(min(limits[i], i + max_len), i, -1):
            entry = A._lookup(tokens, i, j, running_text=running_text, text=text)
            if entry is not None:
                explicit = A._Match(i, j, entry, None)
                break
        rule = A._rule_at(tokens, i, limits[i], running_text=running_text, text=text)
        if rule is not None and (explicit is None or rule.last > explicit.last):
            found.append(rule)
        elif explicit is not None:
            found.append(explicit)
    return found


@pytest.mark.parametrize("text", [s for s in SENTENCES if s.strip()])
def test_pruned_candidates_equal_the_full_search(text: str) -> None:
    tokens = A._tokens(text)
    for running_text in (True, False):
        assert A._candidates(text, tokens, running_text=running_text) == _reference_candidates(
            text, tokens, running_text=running_text)


def test_alias_keys_search_equal_on_every_alias() -> None:
    """Each alias of the index, written alone and inside a sentence, finds the same candidates."""
    for key in list(A._index().folded)[:400] + list(A._index().exact)[:200]:
        for text in (" ".join(key), f"On Monday {' '.join(key)} said that {' '.join(key)} forces moved."):
            tokens = A._tokens(text)
            assert A._candidates(text, tokens, running_text=True) == _reference_candidates(text, tokens, running_text=True)


def test_find_actors_hands_out_a_new_list_each_time() -> None:
    text = SENTENCES[1]
    first = A.find_actors(text)
    assert first and first == A.find_actors(text)
    first.append((0, 0, None))
    first.clear()
    again = A.find_actors(text)
    assert again and again is not first
    assert A.find_actors(None) == [] and A.find_actors("  ") == []  # type: ignore[arg-type]


def test_fold_ascii_fast_path_matches_the_slow_path() -> None:
    import unicodedata

    for word in ("Kharkiv", "U.S.", "al-Asad", "Türkiye", "Chișinău", "Erdoğan", "straße", "Œuvre"):
        slow = word.translate(A._SPECIAL_LETTERS)
        slow = unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFKD", slow)
                                                   if not unicodedata.combining(c)))
        assert A._fold(word) == slow


def test_resolve_actor_and_country_by_name_are_stable() -> None:
    for name in ("the Kremlin", "Hamas", "Georgia", "Moscow", "IDF", "nonsense words here", ""):
        assert A.resolve_actor(name) == A.resolve_actor(name)
        assert A.country_by_name(name) == A.country_by_name(name)
    assert A.resolve_actor(None) is None and A.country_by_name(None) is None  # type: ignore[arg-type]


def test_titled_people_are_new_person_objects_each_call() -> None:
    """ArticleView.remember keeps and updates the Person it is given: a cached Person would carry
    one article's updates into the next."""
    from pipelines.text import split_sentences

    article = C.ArticleView("a1", "b", SENTENCES[0], None, None)
    sent = split_sentences(SENTENCES[0])[0]
    view = C.SentenceView(article, sent, None)
    first = view.titled_people()
    assert [p.name for _, _, p in first] == ["Sergei Lavrov", "Antony Blinken"]
    first[0][2].title = "changed"
    first[0][2].iso3 = "XXX"
    second = C.SentenceView(C.ArticleView("a2", "b", SENTENCES[0], None, None), sent, None).titled_people()
    assert second[0][2] is not first[0][2]
    assert second[0][2].title == "Foreign Minister" and second[0][2].iso3 == "RUS"
    assert [(s, e) for s, e, _ in first] == [(s, e) for s, e, _ in second]


def test_resolve_place_same_answer_for_any_collection_of_countries() -> None:
    for name, hint in (("Kharkiv", None), ("Georgia", "USA"), ("Tyre", "LBN"), ("Paris", None), ("hit", None)):
        plain = P.resolve_place(name, hint)
        assert P.resolve_place(name, hint, countries=None) == plain
        for countries in (["UKR", "SYR"], ("SYR", "UKR"), {"UKR", "SYR"}, frozenset({"SYR", "UKR"})):
            assert P.resolve_place(name, hint, countries=countries) == P.resolve_place(name, hint, countries=("UKR", "SYR"))
    assert P.resolve_place(None) is None  # type: ignore[arg-type]
    assert P.resolve_place("Kharkiv", None, countries="UKR") == P.resolve_place("Kharkiv")  # a string is no collection


def test_reset_caches_forgets_cached_answers() -> None:
    P.resolve_place("Kharkiv", countries=("UKR",))
    assert P._resolve_place.cache_info().currsize > 0
    P._reset_caches()
    assert P._resolve_place.cache_info().currsize == 0
    assert P._fuzzy_one.cache_info().currsize == 0
    assert P.resolve_place("Kharkiv", countries=("UKR",)) is not None


def test_fuzzy_keys_grouping_equals_the_per_country_scan() -> None:
    regions, index = P._admin1()
    for iso3 in (None, "UKR", "SYR", "SDN", "USA", "PSE"):
        for lower in (False, True):
            keys = {k for k, cs in P._supplement().items() if len(k) >= P._FUZZY_MIN_LEN and any(c.place.iso3 == iso3 for c in cs)}
            if iso3 is not None and not lower:
                keys |= {k for k, entries in index.items()
                         if len(k) >= P._FUZZY_MIN_LEN and any(bare_ok and regions[n][1] == iso3 for n, bare_ok in entries)}
                keys |= {k for k in P._small(iso3)[1] if len(k) >= P._FUZZY_MIN_LEN}
            assert P._fuzzy_keys(iso3, lower) == tuple(sorted(keys))


def test_hedges_and_counts_are_stable() -> None:
    for s in SENTENCES[:6]:
        assert H.assess(s) == H.assess(s)
        assert H.assess(s, ("Israeli warplanes",)) == H.assess(s, ["Israeli warplanes"])
    assert N.parse_count("at least 12 people").low == 12
    assert N.parse_count(None) is None and N.parse_count(12) is None  # type: ignore[arg-type]


def test_doc_text_is_the_docs_text() -> None:
    from pipelines.nlp import get_nlp
    from pipelines.syntax import doc_text

    try:
        nlp = get_nlp()
    except Exception as exc:  # the model is checked elsewhere
        pytest.skip(f"no model: {exc}")
    for doc in nlp.pipe([s for s in SENTENCES if s]):
        assert doc_text(doc) == doc.text
        assert doc_text(doc) is doc_text(doc)


def test_per_doc_memos_give_the_uncached_answers() -> None:
    """own_clause_text, kept per Doc, answers as when worked out token by token."""
    from pipelines import syntax as X
    from pipelines.nlp import get_nlp

    try:
        nlp = get_nlp()
    except Exception as exc:  # the model is checked elsewhere
        pytest.skip(f"no model: {exc}")
    texts = [s for s in SENTENCES if s.strip()] + [
        "A drone strike killed three people and wounded six, officials said, underscoring the risk.",
        "They lost their lives when gunmen shot dead two guards at the checkpoint."]
    for doc, again in zip(nlp.pipe(texts), nlp.pipe(texts)):
        assert ("own_clause_text", 0) not in X.doc_memo(doc)
        # the same sentence parsed twice, its clauses asked in opposite orders: the same texts
        forward = [X.own_clause_text(tok) for tok in doc]
        backward = [X.own_clause_text(tok) for tok in reversed(again)][::-1]
        assert forward == backward == [X.own_clause_text(tok) for tok in doc]
    assert X.doc_memo(object.__new__(type("NoWeakref", (), {"__slots__": ()}))) is None
