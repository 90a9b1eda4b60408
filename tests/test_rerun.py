"""Running the same input twice: `dispatches run` of six articles with strikes, killings, arms
sales, a visit, quotes, mentions, one duplicate and one reject (tests/conftest.py:
write_facts_corpus), then `dispatches run` of the same files again in the same home.

The second run re-executes every step of the batch (ingest, extraction, fact load, events,
publish) over the first run's data; every table must come out exactly as the first run left it:
the same rows, every column, the same ids, events and event_reports included. Both runs are
`dispatches run` in this process (assets.cli.main); the first is shared with the crash test."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import assert_same_state, home_state, query, run_cli, table_ids

FACT_KINDS = ("strikes", "visits", "arms_sales", "killings", "quotes", "mentions")


def test_running_the_same_input_twice_changes_no_row_and_no_id(facts_corpus: Path, clean_facts_home: Path, fast_tmp: Path) -> None:
    home = fast_tmp / "home"
    shutil.copytree(clean_facts_home, home, symlinks=True)
    first = home_state(home)  # every column: a re-run in the same home keeps even the registration time
    research = home / "research.duckdb"
    ids = table_ids(research)
    # the input has what a re-run could get wrong: facts of every kind, an event with two reports
    # (from two articles), a duplicate and a reject
    assert all(ids[t] for t in (*FACT_KINDS, "events", "event_reports", "duplicates", "rejects")), {t: len(v) for t, v in ids.items()}
    assert query(research, "SELECT max(n_reports) >= 2, max(n_sources) >= 2 FROM events") == [(True, True)], \
        "no event with two reports any more: the second Kharkiv report (tests/conftest.py) should join 01's strike"
    assert all(len(v) == len(set(v)) for v in ids.values())

    again = run_cli(home, "run", "--quiet", str(facts_corpus))
    assert again.returncode == 0, again.stderr[-3000:]
    assert "marked failed" not in again.stderr

    assert_same_state(home_state(home), first)
    # the batch ran twice, as one partition, in the home's Dagster instance
    from dagster import DagsterInstance, DagsterRunStatus
    from dagster._core.instance.ref import InstanceRef

    batch_id = query(research, "SELECT batch_id FROM batches")[0][0]
    with DagsterInstance.from_ref(InstanceRef.from_dir(str(home / "dagster"))) as instance:
        runs = [r for r in instance.get_runs() if r.tags.get("dagster/partition") == batch_id]
        assert [r.status for r in runs] == [DagsterRunStatus.SUCCESS] * 2
