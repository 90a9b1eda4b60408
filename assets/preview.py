"""Markdown previews for the Dagster UI's metadata panel."""

from __future__ import annotations

from collections.abc import Sequence


def _cell(v: object, width: int = 60) -> str:
    s = "" if v is None else str(v)
    s = " ".join(s.split()).replace("|", "\\|")
    return s if len(s) <= width else s[: width - 1] + "…"


def markdown_preview(rows: Sequence[dict], columns: Sequence[str], limit: int = 10, total: int | None = None) -> str:
    """The first `limit` rows as a markdown table, with the total count underneath (`total`: the
    count when `rows` holds only the first rows)."""
    total = len(rows) if total is None else total
    if not rows:
        return "_no rows in this batch_"
    head = "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns) + "\n"
    body = "".join("| " + " | ".join(_cell(r.get(c)) for c in columns) + " |\n" for r in rows[:limit])
    more = f"\n_{total} rows; first {min(limit, len(rows))} shown_" if total > limit else ""
    return head + body + more


def markdown_bars(counts: dict[str, int], title: str, width: int = 30) -> str:
    """A text bar chart (the UI renders markdown, not images): one bar per key."""
    if not counts:
        return f"**{title}**\n\n_nothing to chart_"
    top = max(counts.values()) or 1
    lines = [f"**{title}**", "", "```"]
    key_w = max(len(k) for k in counts)
    for k, v in counts.items():
        lines.append(f"{k.ljust(key_w)} {'█' * max(1, round(width * v / top)) if v else ''} {v}")
    lines.append("```")
    return "\n".join(lines)
