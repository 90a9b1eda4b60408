"""Assembling an article's facts: the mentions of one fact in several sentences become one row.

A fact is often stated more than once in an article: a headline, the lead, a later sentence that
adds the place or the toll. Each extractor says when two of its mentions are the same fact
(`mergeable`); this module folds them together.
"""

from __future__ import annotations

# When mentions merge, the stronger qualification wins: a denial or a claim anywhere in the
# report is what a researcher needs to see first.
CERTAINTY_RANK = {"reported": 0, "confirmed": 1, "possible": 2, "claimed": 3, "denied": 4}


_MISSING = (None, "unspecified", "unknown")


def _fill(target: dict, row: dict) -> None:
    for k, v in row.items():
        if target.get(k) in _MISSING and v not in _MISSING and not k.startswith("evidence") and k not in ("sentence_index", "fact_id"):
            target[k] = v


def merge_mentions(rows: list[dict], mergeable, completeness=None, refine=None) -> list[dict]:
    """Mentions of the same fact in one article become one row.

    Mentions are taken in text order; each joins the first group it is `mergeable` with (judged
    on the group's fields so far), or starts a new one. A group's row is its most complete
    mention (`completeness(row) -> number`; without it, the first mention), with the fields it
    lacks filled from the others in text order ("unspecified" and "unknown" count as lacking);
    its evidence, sentence and offsets stay those of that mention. A denial, claim or hedge in
    any mention qualifies the whole report. `refine(result, group)`, when given, may then adjust
    the merged row from all the group's mentions (a strike's most specific place)."""
    groups: list[list[dict]] = []
    summaries: list[dict] = []
    for row in rows:
        for group, summary in zip(groups, summaries):
            if mergeable(summary, row):
                group.append(row)
                _fill(summary, row)
                break
        else:
            groups.append([row])
            summaries.append(dict(row))
    out = []
    for group in groups:
        base = max(group, key=completeness) if completeness else group[0]
        result = dict(base)
        for other in group:
            if other is not base:
                _fill(result, other)
        for other in group:
            if CERTAINTY_RANK[other["certainty"]] > CERTAINTY_RANK[result["certainty"]] and (
                    other.get("attacker") in (None, result.get("attacker"))):
                # a later denial, claim or hedge about the same act qualifies the whole report
                result["certainty"], result["attributed_to"] = other["certainty"], other["attributed_to"]
        if refine is not None:
            refine(result, group)
        out.append(result)
    return out
