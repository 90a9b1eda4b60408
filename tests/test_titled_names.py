"""context.titled_names: the matches of TITLED_NAME.finditer, the same ones, found faster.

It tries the pattern only where a title word begins or where an org part before one can begin,
so each test below compares it with the plain finditer (spans and every group) on a kind of
text where a shortcut could miss a match or find a different one."""

from __future__ import annotations

import glob
import json

import pytest

from pipelines import context as C


def _plain(text: str) -> list[tuple]:
    return [(m.span(), m.groupdict()) for m in C.TITLED_NAME.finditer(text)]


def _fast(text: str) -> list[tuple]:
    return [(m.span(), m.groupdict()) for m in C.titled_names(text)]


CASES = [
    # org parts of one to four words, a possessive, initials
    "Russian Foreign Minister Sergei Lavrov met his Chinese counterpart Wang Yi in Beijing.",
    "Iran's foreign minister, Abbas Araghchi, said talks would resume.",
    "U.S. Secretary of State Marco Rubio arrived in Riyadh on Monday.",
    "Papua New Guinea Prime Minister James Marape flew to Canberra.",
    "Saint Kitts And Nevis Prime Minister Terrance Drew spoke first.",  # four capitalised words
    "Yesterday The Saint Kitts And Nevis Prime Minister Terrance Drew spoke.",  # five: the match starts at the second
    # the lower-case prefixes before a title, and titles stacked
    "The strike was ordered by regional commander Ahmed Hassan, the army said.",
    "Former Deputy Prime Minister Ali Babacan and Acting President Jane Doe were there.",
    "Lt. Gen. Oleksandr Syrskyi and Maj. Gen. Kyrylo Budanov briefed reporters.",
    # a title or an org part that begins inside a word
    "theRussian Foreign Minister Sergei Lavrov was quoted.",
    "His ex-President Donald Trump remark drew criticism.",
    "A McDonald Ambassador John Smith story ran on page two.",
    # whitespace of other kinds between the parts
    "Russian\u00a0Foreign Minister Sergei Lavrov said.",
    "Russian\nForeign Minister\tSergei Lavrov said.",
    "Turkish   President ,  Recep Tayyip Erdogan said.",
    # several matches close together, and none
    "President Emmanuel Macron and Chancellor Olaf Scholz met King Charles III and Queen Camilla.",
    "Prices rose in the general market as the president of the club resigned.",
    "",
    # characters that IGNORECASE matches to ASCII letters (the plain pattern is used for them)
    "Britain's \u212aing Charles III opened the session.",
    "Prıme Minister Recep Erdogan spoke in Ankara.",
    "Senator Yıldırım Akbulut and the ſenator Jane Doe spoke.",
]


@pytest.mark.parametrize("text", CASES)
def test_the_same_matches_as_finditer_on_each_kind_of_text(text: str) -> None:
    assert _fast(text) == _plain(text)


def test_the_cases_do_find_titled_people() -> None:
    found = sum(1 for text in CASES if _plain(text))
    assert found >= len(CASES) - 3
    starts = [m.start() for m in C.TITLED_NAME.finditer(CASES[5])]
    assert starts == [CASES[5].index("Saint")]  # an org part holds at most four words


def test_the_same_matches_on_generated_articles_and_the_golden_set() -> None:
    from benchmarks.corpus import generate
    from benchmarks.dense_corpus import generate_dense

    texts = [a.text for a in generate_dense(120, seed=3)] + [a.text for a in generate(120, seed=4)]
    texts += [json.loads(open(p, encoding="utf-8").read())["text"] for p in sorted(glob.glob("tests/golden/articles/*.json"))]
    total = 0
    for text in texts:
        plain = _plain(text)
        assert _fast(text) == plain, text[:200]
        total += len(plain)
    assert total > 500


def test_title_first_words_are_read_off_the_pattern(monkeypatch) -> None:
    """Every alternative that can begin the title group gives its first word, through nested and
    optional groups and their quantifiers; a word after a literal does not."""
    monkeypatch.setattr(C, "_TITLE_GROUP", r"(?:(?:p|q)\s+)?(?i:(?:Alpha\s+|Beta\s+)*(?:Gamma|Delta(?:\s+Eps)?|Ze[tz]a|Eta(?:a|b){0,2}))")
    assert set(C._title_first_words()) == {"p", "q", "alpha", "beta", "gamma", "delta", "ze", "eta"}
    monkeypatch.setattr(C, "_TITLE_GROUP", r"(?i:Gamma|\w+ster)")
    with pytest.raises(ValueError):
        C._title_first_words()


def test_the_real_title_first_words() -> None:
    words = set(C._TITLE_FIRST_WORDS)
    assert {"regional", "deputy", "prime", "foreign", "defen", "president", "spokes", "lt", "gen", "mayor"} <= words
    assert "minister" in words and "of" not in words and "affairs" not in words
