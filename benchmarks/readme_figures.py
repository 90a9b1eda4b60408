"""Read the real-news development figures from README.md (pure: a string in, figures out).

The figures live once, in README.md's `### Real news: development set` subsection, as a markdown
table with the header `| type | precision | recall | F1 | fields on matched facts |` and one row
per fact type. tests/test_realnews_dev.py compares a fresh run with them.
"""

from __future__ import annotations

import re

REALNEWS_HEADING = "### Real news: development set"
REALNEWS_COLUMNS = ("type", "precision", "recall", "F1", "fields on matched facts")
REALNEWS_TYPES = ("strike", "visit", "arms_sale", "killing")


class ReadmeFiguresError(ValueError):
    """The README lacks the subsection or its table, or the table is not in the expected form."""


def _cells(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in s.split("|")]


def _number(cell: str, what: str) -> float:
    s = cell.strip().strip("*_`").strip()
    try:
        return float(s)
    except ValueError:
        raise ReadmeFiguresError(f"{what}: {cell!r} is not a number") from None


def realnews_figures(readme: str, types: tuple[str, ...] = REALNEWS_TYPES) -> dict[str, dict]:
    """{type: {"precision", "recall", "f1": float, "fields": str}} from the README text.

    The first table under the heading (up to the next heading of level 1 to 3) is read, up to
    its first line that does not start with `|`. Raises ReadmeFiguresError, saying what is
    wrong, when the heading is missing, its section holds no table or the first table has
    another header, the separator line is missing, a row has the wrong number of cells or a figure
    that is not a number, a type appears twice, or one of `types` has no row."""
    lines = readme.splitlines()
    try:
        start = next(i for i, ln in enumerate(lines) if ln.strip() == REALNEWS_HEADING)
    except StopIteration:
        raise ReadmeFiguresError(f"README has no {REALNEWS_HEADING!r} subsection") from None
    section = []
    for ln in lines[start + 1:]:
        if re.match(r"#{1,3}\s", ln):  # the next heading of the same or a higher level ends it
            break
        section.append(ln)
    want = f"| {' | '.join(REALNEWS_COLUMNS)} |"
    try:  # the first table under the heading is the one
        h = next(i for i, ln in enumerate(section) if ln.strip().startswith("|"))
    except StopIteration:
        raise ReadmeFiguresError(f"{REALNEWS_HEADING!r} has no table (expected the header {want})") from None
    if [c.lower() for c in _cells(section[h])] != [c.lower() for c in REALNEWS_COLUMNS]:
        raise ReadmeFiguresError(f"{REALNEWS_HEADING!r}: the first table's header is {section[h].strip()!r}, "
                                 f"expected {want}")
    body = section[h + 1:]
    if not body or not all(re.fullmatch(r":?-{3,}:?", c) for c in _cells(body[0])):
        raise ReadmeFiguresError(f"{REALNEWS_HEADING!r}: the table header is not followed by a |---| separator line")
    out: dict[str, dict] = {}
    for ln in body[1:]:
        if not ln.strip().startswith("|"):
            break  # the table ends at the first line that is not a row
        cells = _cells(ln)
        if len(cells) != len(REALNEWS_COLUMNS):
            raise ReadmeFiguresError(f"{REALNEWS_HEADING!r}: row {ln.strip()!r} has {len(cells)} cells, "
                                     f"expected {len(REALNEWS_COLUMNS)}")
        t = cells[0].strip("*_` ")
        if t in out:
            raise ReadmeFiguresError(f"{REALNEWS_HEADING!r}: type {t!r} has two rows")
        out[t] = {"precision": _number(cells[1], f"{t} precision"), "recall": _number(cells[2], f"{t} recall"),
                  "f1": _number(cells[3], f"{t} F1"), "fields": cells[4]}
    missing = [t for t in types if t not in out]
    if missing:
        raise ReadmeFiguresError(f"{REALNEWS_HEADING!r}: no row for {', '.join(missing)}")
    return out
