"""The model's attribute_ruler, matched through an index instead of spaCy's Matcher.

en_core_web_sm's attribute_ruler holds 179 patterns (the tag map, morphology exceptions, a few
lemma fixes) and runs spaCy's Matcher over every token with all of them: on news sentences that is
about a fifth of the whole parse. None of its patterns uses an operator, so a match is a fixed run
of tokens, each meeting equality, IN, NOT_IN or REGEX tests on LOWER, TAG, DEP or IS_SPACE. This
module compiles those patterns once, indexes them by their first token's LOWER or TAG value, and
finds exactly the matches the Matcher would (every pattern at every start), on the annotations as
they stand before any is applied. The matches are sorted as AttributeRuler.match sorts them and
handed to the ruler's own set_annotations, so the attributes are set by spaCy's code, in spaCy's
order. `install` refuses a ruler whose patterns use anything else (the Matcher stays in place).

tests/test_attribute_match.py compares every token's tag, POS, morphology, lemma, dependency and
entity with the stock component over about 1,500 sentences (golden articles, stories, dense generator, test sentences).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

_ATTRS = {"LOWER": LOWER, "TAG": TAG, "DEP": DEP, "IS_SPACE": IS_SPACE}
_COLUMN = {"LOWER": 0, "TAG": 1, "DEP": 2, "IS_SPACE": 3}


class UnsupportedPattern(ValueError):
    """A pattern this matcher does not reproduce exactly (an operator, another attribute)."""


def _test(attr: str, value, strings) -> tuple[int, Callable[[int], bool]]:
    """(column, test on that column's hash or flag) for one attribute of one token pattern."""
    if attr not in _COLUMN:
        raise UnsupportedPattern(f"attribute {attr!r}")
    col = _COLUMN[attr]
    if attr == "IS_SPACE":
        if not isinstance(value, bool):
            raise UnsupportedPattern(f"IS_SPACE value {value!r}")
        flag = int(value)
        return col, lambda v: v == flag
    if isinstance(value, str):
        h = strings.add(value)
        return col, lambda v: v == h
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
            hashes = frozenset(strings.add(a) for a in arg)
            return (col, (lambda v: v in hashes)) if op == "IN" else (col, (lambda v: v not in hashes))
        if op == "REGEX" and isinstance(arg, str):
            rx = re.compile(arg)
            memo: dict[int, bool] = {}

            def regex(v: int) -> bool:
                got = memo.get(v)
                if got is None:
                    got = memo[v] = bool(rx.search(strings[v]))
                return got

            return col, regex
    raise UnsupportedPattern(f"{attr} value {value!r}")


class IndexedAttributeMatcher:
    """AttributeRuler.match, by index. Built from the ruler's patterns (in attribute order).

    A one-token pattern depends only on that token's (LOWER, TAG, DEP, IS_SPACE), so the one-token
    patterns a token meets, and the longer patterns whose first token it meets, are computed once
    per distinct 4-tuple and memoised (the memo is emptied past MEMO_SIZE entries); a longer
    pattern's other tokens are then tested in place."""

    MEMO_SIZE = 200_000

    def __init__(self, ruler) -> None:
        strings = ruler.vocab.strings
        # (attr_id, match_id, [tests of each token]), in attribute order
        self._patterns: list[tuple[int, int, list]] = []
        self._memo: dict[tuple, tuple] = {}
        for attr_id, entry in enumerate(ruler.patterns):
            match_id = strings[str(attr_id)]
            for pattern in entry["patterns"]:
                if not pattern:
                    raise UnsupportedPattern("empty pattern")
                tests = []
                for token in pattern:
                    if not isinstance(token, dict) or "OP" in token:
                        raise UnsupportedPattern(f"token pattern {token!r}")
                    tests.append([_test(a, v, strings) for a, v in token.items()])
                self._patterns.append((attr_id, match_id, tests))

    def _starting_at(self, row: tuple) -> tuple[tuple, tuple]:
        """(one-token patterns this token meets as (attr_id, match_id), longer patterns whose
        first token it meets as (attr_id, match_id, tests))."""
        singles, longer = [], []
        for attr_id, match_id, tests in self._patterns:
            if all(test(row[col]) for col, test in tests[0]):
                if len(tests) == 1:
                    if (attr_id, match_id) not in singles:
                        singles.append((attr_id, match_id))
                else:
                    longer.append((attr_id, match_id, tests))
        return tuple(singles), tuple(longer)

    def match(self, doc) -> list[tuple[int, int, int, int]]:
        rows = [tuple(r) for r in doc.to_array([LOWER, TAG, DEP, IS_SPACE]).tolist()]
        memo = self._memo
        n = len(rows)
        found: list[tuple[int, int, int, int]] = []
        longer_found = set()
        for start, row in enumerate(rows):
            hits = memo.get(row)
            if hits is None:
                if len(memo) >= self.MEMO_SIZE:
                    memo.clear()
                hits = memo[row] = self._starting_at(row)
            singles, longer = hits
            for attr_id, match_id in singles:
                found.append((attr_id, match_id, start, start + 1))
            for attr_id, match_id, tests in longer:
                end = start + len(tests)
                if end > n:
                    continue
                for offset in range(1, len(tests)):
                    r = rows[start + offset]
                    if not all(test(r[col]) for col, test in tests[offset]):
                        break
                else:
                    longer_found.add((attr_id, match_id, start, end))
        found.extend(longer_found)
        found.sort()
        return found


def install(nlp) -> bool:
    """Route the pipeline's attribute_ruler matching through IndexedAttributeMatcher. Returns
    False (and leaves spaCy's Matcher in place) if there is no ruler or a pattern is unsupported."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    try:
        matcher = IndexedAttributeMatcher(ruler)
    except UnsupportedPattern:
        return False
    ruler.match = matcher.match
    return True
