"""The real-news development set against the figures README.md states.

The slow test runs ../shared/benchmarks/real_news_dev.jsonl (or the file in $DISPATCHES_SHARED)
through benchmarks.accuracy.bench_realnews, the way `dispatches run` would see it, and fails when
any fact type's F1 is more than F1_SLACK below the README's `### Real news: development set`
table (read with benchmarks.readme_figures, never copied here). The third-party set is read from
its path only; it is skipped when absent. The fast tests check the README parser on literal text.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from benchmarks.readme_figures import REALNEWS_TYPES, ReadmeFiguresError, realnews_figures

REPO = Path(__file__).resolve().parent.parent
F1_SLACK = 0.03
DEV_FILE = "real_news_dev.jsonl"


def dev_set_path() -> Path:
    """$DISPATCHES_SHARED (the folder holding the set, or its parent with benchmarks/ inside),
    else ../shared/benchmarks beside the repository."""
    env = os.environ.get("DISPATCHES_SHARED")
    if env:
        folder = Path(env)
        return folder / DEV_FILE if (folder / DEV_FILE).is_file() else folder / "benchmarks" / DEV_FILE
    return REPO.parent / "shared" / "benchmarks" / DEV_FILE


@pytest.mark.slow
def test_real_news_dev_set_keeps_the_readme_figures():
    figures = realnews_figures((REPO / "README.md").read_text(encoding="utf-8"))  # fails without the table
    path = dev_set_path()
    if not path.is_file():
        pytest.skip(f"real-news development set not found at {path} "
                    "(set DISPATCHES_SHARED to the folder holding real_news_dev.jsonl)")
    from benchmarks.accuracy import bench_realnews

    result, _ = bench_realnews(path)
    scores = result["scores"]
    assert result["timing"]["error"] is None, result["timing"]["error"]
    drops = []
    for t in REALNEWS_TYPES:
        stated, now = figures[t]["f1"], scores[t]["f1"]
        if round(stated - now, 6) > F1_SLACK:
            drops.append(f"{t}: F1 {now:.3f} (P {scores[t]['precision']:.3f}, R {scores[t]['recall']:.3f}; "
                         f"tp={scores[t]['tp']} fp={scores[t]['fp']} fn={scores[t]['fn']}), README says {stated:.3f}")
    assert not drops, (f"real-news F1 more than {F1_SLACK} below README.md:\n  " + "\n  ".join(drops)
                       + "\n(see the misses with: .venv/bin/python -m benchmarks.accuracy --dev "
                       f"{path} --errors /tmp/realnews_errors.jsonl)")


# --- the README parser (fast, literal text) -------------------------------------------------

README = """# project

## Accuracy

### Real news: development set

Some words.

| type | precision | recall | F1 | fields on matched facts |
|---|---|---|---|---|
| strike | 0.641 | 0.610 | **0.625** | attacker 0.636, location 0.520 |
| visit | 0.659 | 0.500 | 0.568 | visitor 0.926 |
| arms_sale | 0.833 | 0.426 | 0.563 | buyer 0.900 |
| killing | 0.500 | 0.632 | 0.558 | victim 0.917 |

    .venv/bin/python -m benchmarks.accuracy --dev ../shared/benchmarks/real_news_dev.jsonl

| type | precision | recall | F1 | fields on matched facts |
|---|---|---|---|---|
| strike | 0.1 | 0.1 | 0.1 | a later table is not read |

### Golden set

| type | precision | recall | F1 | fields on matched facts |
|---|---|---|---|---|
"""


def test_readme_figures_parsed():
    f = realnews_figures(README)
    assert set(f) == {"strike", "visit", "arms_sale", "killing"}
    assert f["strike"] == {"precision": 0.641, "recall": 0.61, "f1": 0.625, "fields": "attacker 0.636, location 0.520"}
    assert f["killing"]["f1"] == 0.558


def test_readme_figures_header_is_case_insensitive_and_rows_may_lack_edge_pipes():
    text = README.replace("| type | precision | recall | F1 |", "| Type | Precision | Recall | f1 |", 1)
    text = text.replace("| visit | 0.659 | 0.500 | 0.568 | visitor 0.926 |", "visit | 0.659 | 0.500 | 0.568 | visitor 0.926")
    # a row without its leading pipe ends the table: visit is then missing
    with pytest.raises(ReadmeFiguresError, match="no row for visit, arms_sale, killing"):
        realnews_figures(text)
    text = README.replace("| visit | 0.659 | 0.500 | 0.568 | visitor 0.926 |", "| visit | 0.659 | 0.500 | 0.568 | visitor 0.926")
    assert realnews_figures(text)["visit"]["f1"] == 0.568


@pytest.mark.parametrize("mutate, message", [
    (lambda s: s.replace("### Real news: development set", "### Real news"), "no '### Real news: development set'"),
    (lambda s: s.replace("| type | precision | recall | F1 | fields on matched facts |\n|---|---|---|---|---|\n| strike | 0.641",
                         "| type | P | R | F1 | fields |\n|---|---|---|---|---|\n| strike | 0.641", 1),
     r"the first table's header is '\| type \| P \| R \| F1 \| fields \|', expected"),
    (lambda s: s.replace("|---|---|---|---|---|\n| strike | 0.641", "| strike | 0.641", 1), "separator"),
    (lambda s: s.replace("| 0.610 | **0.625** |", "| 0.610 |", 1), "has 4 cells, expected 5"),
    (lambda s: s.replace("| 0.833 | 0.426 | 0.563 |", "| 0.833 | 0.426 | n/a |", 1), "arms_sale F1: 'n/a' is not a number"),
    (lambda s: s.replace("| killing | 0.500", "| visit | 0.500", 1), "type 'visit' has two rows"),
    (lambda s: s.replace("| killing | 0.500 | 0.632 | 0.558 | victim 0.917 |\n", "", 1), "no row for killing"),
])
def test_readme_figures_malformed(mutate, message):
    text = mutate(README)
    assert text != README
    with pytest.raises(ReadmeFiguresError, match=message):
        realnews_figures(text)


def test_readme_figures_section_ends_at_the_next_heading():
    text = README.replace("Some words.\n\n| type", "## Other\n\n| type", 1)
    with pytest.raises(ReadmeFiguresError, match="has no table"):
        realnews_figures(text)
