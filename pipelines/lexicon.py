"""Word lists kept as data: pipelines/data/lexicon/*.csv (and *.txt for lists of patterns), one
file per list, read once per process.

Every file starts with comment lines ("# ...") that say what the list is for and what each column
means, then a CSV header and one row per entry. A researcher extends a list by adding a row; no
code changes. Blank lines and comment lines anywhere are ignored; cells are stripped; words are
compared in lower case.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

LEXICON_DIR = Path(__file__).parent / "data" / "lexicon"


@lru_cache(maxsize=None)
def rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of data/lexicon/<name>.csv as dicts (header from the first non-comment line)."""
    path = LEXICON_DIR / f"{name}.csv"
    with open(path, encoding="utf-8", newline="") as f:
        lines = [line for line in f if line.strip() and not line.lstrip().startswith("#")]
    out = []
    for row in csv.DictReader(lines):
        out.append({k.strip(): (v or "").strip() for k, v in row.items() if k is not None})
    return tuple(out)


@lru_cache(maxsize=None)
def words(name: str, column: str = "word", where: tuple[tuple[str, str], ...] = ()) -> frozenset[str]:
    """The lower-cased values of `column`, for rows whose other columns equal `where`'s values."""
    out = set()
    for row in rows(name):
        if all(row.get(k, "").lower() == v.lower() for k, v in where):
            value = row.get(column, "").lower()
            if value:
                out.add(value)
    return frozenset(out)


@lru_cache(maxsize=None)
def table(name: str, key: str = "word") -> dict[str, dict[str, str]]:
    """Rows keyed by the lower-cased `key` column (the first row wins for a repeated key)."""
    out: dict[str, dict[str, str]] = {}
    for row in rows(name):
        k = row.get(key, "").lower()
        if k and k not in out:
            out[k] = row
    return out


@lru_cache(maxsize=None)
def patterns(name: str) -> tuple[str, ...]:
    """The regular expressions of data/lexicon/<name>.txt: one per non-comment, non-blank line."""
    path = LEXICON_DIR / f"{name}.txt"
    with open(path, encoding="utf-8") as f:
        return tuple(line.strip() for line in f if line.strip() and not line.lstrip().startswith("#"))


@lru_cache(maxsize=None)
def regex(name: str):
    """data/lexicon/<name>.txt compiled into one case-insensitive alternation between word boundaries."""
    import re

    return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in patterns(name)) + r")\b", re.I)
