"""The indexed attribute_ruler (pipelines.attribute_match) annotates exactly as spaCy's Matcher does."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
import spacy

from benchmarks.dense_corpus import generate_dense
from pipelines import attribute_match, nlp as nlp_mod
from pipelines.text import split_sentences

HERE = Path(__file__).resolve().parent

# Sentences written for this test: each exercises patterns of the ruler that the tag map alone
# does not (two-token lemma fixes, DEP tests, NOT_IN tests, whitespace tokens, pronoun case).
SPECIAL = [
    "They're gonna strike the depot again, a militia commander said, and we gotta be ready.",
    "\"Let's go,\" the sergeant told them, \"c'mon, y'all, there is no time left.\"",
    "I told him it ain't over; you know it and I know it.",
    "There were three drones over the port and there are more coming, officials said.",
    "He did it because he had to, but he has not said whether he does regret it.",
    "The minister, who had been briefed, said the talks were to be resumed.",
    "Which of them was hit is unclear; that is what the inquiry must find out.",
    "The convoy was  attacked near Kherson.\n\nTwo trucks burned.",
    "She gets the reports at dawn and got the last one at 6 a.m.",
    "Ya'll hear that?  Y'all stay inside, the mayor said, but it was too late.",
    "Do you have the figures?  Did they give it to you, or to me?",
    "It was struck twice, and it is not clear who fired at it.",
]


@lru_cache(maxsize=1)
def _stock():
    """The model with spaCy's own Matcher in its attribute_ruler."""
    return spacy.load(nlp_mod.verify_model(), disable=["senter"])


def _sentences() -> list[str]:
    texts = list(SPECIAL)
    for path in sorted((HERE / "golden" / "articles").glob("*.json")):
        texts += [s.text for s in split_sentences(json.loads(path.read_text(encoding="utf-8"))["text"])]
    for path in sorted((HERE / "stories").glob("s*.json")):
        for article in json.loads(path.read_text(encoding="utf-8"))["articles"]:
            texts += [s.text for s in split_sentences(article["text"])]
    for a in generate_dense(15):
        texts += [s.text for s in split_sentences(a.text)]
    return texts


def _annotations(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_) for t in doc]


def test_the_pipeline_uses_the_indexed_matcher():
    ruler = nlp_mod.get_nlp().get_pipe("attribute_ruler")
    assert getattr(ruler.match, "__self__", None).__class__ is attribute_match.IndexedAttributeMatcher


def test_same_annotations_as_the_stock_ruler_on_1500_sentences():
    texts = _sentences()
    assert len(texts) > 1400
    stock = [_annotations(d) for d in _stock().pipe(texts, batch_size=256)]
    ours = [_annotations(d) for d in nlp_mod.get_nlp().pipe(texts, batch_size=256)]
    diffs = [t for t, a, b in zip(texts, stock, ours) if a != b]
    assert diffs == []


def test_same_matches_including_the_longer_patterns_and_dep_tests():
    stock = _stock()
    ruler = stock.get_pipe("attribute_ruler")
    indexed = attribute_match.IndexedAttributeMatcher(ruler)
    hit = set()
    for doc in stock.pipe(SPECIAL + _sentences()[:600], disable=["attribute_ruler", "lemmatizer", "ner"]):
        expected = ruler.match(doc)
        assert indexed.match(doc) == expected, doc.text
        hit.update(attr_id for attr_id, _, start, end in expected if end - start > 1)
        hit.update(attr_id for attr_id, _, start, end in expected
                   if any(k in ("DEP", "IS_SPACE") for p in ruler.patterns[attr_id]["patterns"] for tok in p for k in tok))
    longer = {i for i, p in enumerate(ruler.patterns) if any(len(alt) > 1 for alt in p["patterns"])}
    with_dep = {i for i, p in enumerate(ruler.patterns) if any("DEP" in tok for alt in p["patterns"] for tok in alt)}
    # the test sentences reach most two-token and DEP patterns, so a wrong test of them shows
    assert len(hit & longer) >= 5
    assert len(hit & with_dep) >= 8


def test_a_small_memo_is_emptied_and_changes_nothing(monkeypatch):
    stock = _stock()
    ruler = stock.get_pipe("attribute_ruler")
    indexed = attribute_match.IndexedAttributeMatcher(ruler)
    monkeypatch.setattr(indexed, "MEMO_SIZE", 7)
    for doc in stock.pipe(SPECIAL, disable=["attribute_ruler", "lemmatizer", "ner"]):
        assert indexed.match(doc) == ruler.match(doc)
        assert len(indexed._memo) <= 7


def test_a_ruler_with_an_operator_keeps_spacys_matcher():
    blank = spacy.blank("en")
    ruler = blank.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "very", "OP": "+"}]], {"POS": "ADV"})
    original = ruler.match
    assert attribute_match.install(blank) is False
    assert ruler.match == original
    with pytest.raises(attribute_match.UnsupportedPattern):
        attribute_match.IndexedAttributeMatcher(ruler)


def test_a_pipeline_without_a_ruler_is_left_alone():
    assert attribute_match.install(spacy.blank("en")) is False
