"""Assembling an article's facts: the mentions of one fact in several sentences become one row.

A fact is often stated more than once in an article: a headline, the lead, a later sentence that
adds the place or the toll. Each extractor says when two of its mentions are the same fact
(`mergeable`); this module folds them together.
"""

from __future__ import annotations

# When mentions merge, the stronger qualification wins: a denial or a claim anywhere in the
# report is what a researcher needs to see first.
CERTAINTY_RANK = {"reported": 0, "confirmed": 1, "possible": 2, "claimed": 3, "denied": 4}


def merge_mentions(rows: list[dict], mergeable) -> list[dict]:
    """Mentions of the same fact in one article become one row: the first mention, with the
    fields it lacks filled from the later ones."""
    kept: list[dict] = []
    for row in rows:
        for first in kept:
            if mergeable(first, row):
                for k, v in row.items():
                    if first.get(k) is None and v is not None and not k.startswith("evidence") and k not in ("sentence_index", "fact_id"):
                        first[k] = v
                if CERTAINTY_RANK[row["certainty"]] > CERTAINTY_RANK[first["certainty"]] and (
                        row.get("attacker") in (None, first.get("attacker"))):
                    # a later denial, claim or hedge about the same act qualifies the whole report
                    first["certainty"], first["attributed_to"] = row["certainty"], row["attributed_to"]
                break
        else:
            kept.append(row)
    return kept
