"""The inbox sensor: settled new files become one batch (manifest, dynamic partition, run)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from dagster import DagsterInstance, RunRequest, SensorResult, SkipReason, build_sensor_context

from assets.resources import DispatchesHome
from assets.sensors import SETTLE_SECONDS, inbox_sensor, new_inbox_files
from pipelines.batches import read_manifest


def settle(*paths: Path, age: float = 10.0) -> None:
    """Make files look written `age` seconds ago (older than the sensor's settle time)."""
    t = time.time() - age
    for p in paths:
        os.utime(p, (t, t))


def evaluate(home: DispatchesHome, instance: DagsterInstance, cursor: str | None = None):
    ctx = build_sensor_context(cursor=cursor, resources={"dispatches": home}, instance=instance)
    return inbox_sensor(ctx)


@pytest.fixture
def instance():
    with DagsterInstance.ephemeral() as inst:
        yield inst


@pytest.fixture
def inbox(home: DispatchesHome) -> Path:
    home.inbox.mkdir(parents=True)
    return home.inbox


def assert_one_batch(result, home: DispatchesHome, files: list[Path]) -> str:
    """One run request whose partition key is a manifest's batch id, plus the partition's add request."""
    assert isinstance(result, SensorResult)
    assert len(result.run_requests) == 1
    request: RunRequest = result.run_requests[0]
    batch_id = request.partition_key
    assert request.run_key == batch_id
    manifest = read_manifest(home.root, batch_id)  # written under home/batches/
    assert manifest.batch_id == batch_id and manifest.origin == "sensor"
    assert manifest.files == sorted(str(f) for f in files)
    (add,) = result.dynamic_partitions_requests
    assert add.partitions_def_name == "batches" and list(add.partition_keys) == [batch_id]
    return batch_id


def test_settled_files_become_one_batch_and_the_cursor_skips_them(home, inbox, instance) -> None:
    a, b = inbox / "a.txt", inbox / "sub" / "b.jsonl"
    b.parent.mkdir()
    a.write_text("Title\n\nA body of text.\n")
    b.write_text('{"text": "Another body."}\n')
    (inbox / ".partial.txt").write_text("hidden files are ignored")
    settle(a, b, inbox / ".partial.txt")

    first = evaluate(home, instance)
    batch_id = assert_one_batch(first, home, [a, b])
    assert batch_id.startswith("b") and batch_id.isalnum()
    assert first.cursor and len(json.loads(first.cursor)) == 2

    second = evaluate(home, instance, cursor=first.cursor)
    assert isinstance(second, SkipReason)
    assert "no new settled files" in second.skip_message


def test_a_changed_file_triggers_a_new_batch(home, inbox, instance) -> None:
    a, b = inbox / "a.txt", inbox / "b.txt"
    a.write_text("Title\n\nFirst version.\n")
    b.write_text("Other\n\nUntouched.\n")
    settle(a, b)
    first = evaluate(home, instance)
    first_id = assert_one_batch(first, home, [a, b])

    a.write_text("Title\n\nSecond version, longer.\n")
    settle(a, age=8.0)
    second = evaluate(home, instance, cursor=first.cursor)
    second_id = assert_one_batch(second, home, [a])  # only the changed file
    assert second_id != first_id
    assert isinstance(evaluate(home, instance, cursor=second.cursor), SkipReason)

    # the same size and content but a new modification time is also a change (cheap to detect)
    settle(b, age=20.0)
    third = evaluate(home, instance, cursor=second.cursor)
    assert_one_batch(third, home, [b])


def test_a_too_fresh_file_waits_for_the_next_tick(home, inbox, instance) -> None:
    old, fresh = inbox / "old.txt", inbox / "fresh.txt"
    old.write_text("Old\n\nSettled text.\n")
    settle(old)
    fresh.write_text("Fresh\n\nStill being written.\n")  # mtime: now

    first = evaluate(home, instance)
    assert_one_batch(first, home, [old])
    assert str(fresh) not in first.cursor

    settle(fresh, age=SETTLE_SECONDS + 1)
    later = evaluate(home, instance, cursor=first.cursor)
    assert_one_batch(later, home, [fresh])


def test_only_fresh_files_means_skip(home, inbox, instance) -> None:
    (inbox / "fresh.txt").write_text("Fresh\n\nJust arrived.\n")
    result = evaluate(home, instance)
    assert isinstance(result, SkipReason)


def test_no_inbox_folder_means_skip(home, instance) -> None:
    assert not home.inbox.exists()
    assert isinstance(evaluate(home, instance), SkipReason)


def test_new_inbox_files_is_a_plain_function(tmp_path: Path) -> None:
    f = tmp_path / "x.txt"
    f.write_text("x")
    now = f.stat().st_mtime
    assert new_inbox_files(tmp_path, set(), now) == ([], set())  # too fresh
    files, sigs = new_inbox_files(tmp_path, set(), now + SETTLE_SECONDS + 1)
    assert files == [f] and len(sigs) == 1
    assert new_inbox_files(tmp_path, sigs, now + 60) == ([], set())  # seen


def test_the_sensor_targets_the_batch_job() -> None:
    from assets.definitions import defs

    sensor = defs.resolve_sensor_def("inbox_sensor")
    assert sensor.job_name == "process_batch"
    assert defs.resolve_job_def("process_batch").partitions_def.name == "batches"


def test_a_large_file_in_the_inbox_becomes_batches_of_record_ranges(tmp_path, instance) -> None:
    """inbox_batch_records cuts a large JSON-lines file into several batches (one run each, the
    runs of the tick sharing the CPUs); the same file on a fresh cursor gives the same batches."""
    from pipelines.extract import default_workers
    from pipelines.ingest import RecordRange

    home = DispatchesHome(home=str(tmp_path / "home"), inbox_batch_records=4)
    home.inbox.mkdir(parents=True)
    big = home.inbox / "export.jsonl"
    big.write_text("".join(json.dumps({"text": f"Article {i} about the harvest in the valley."}) + "\n" for i in range(10)))
    settle(big)
    result = evaluate(home, instance)
    assert isinstance(result, SensorResult) and len(result.run_requests) == 3
    keys = [r.partition_key for r in result.run_requests]
    (add,) = result.dynamic_partitions_requests
    assert list(add.partition_keys) == keys and [r.run_key for r in result.run_requests] == keys
    ranges = [read_manifest(home.root, k).record_ranges()[str(big)] for k in keys]
    assert [(r.first, r.stop) for r in ranges] == [(0, 4), (4, 7), (7, None)]
    assert isinstance(ranges[0], RecordRange)
    workers = max(1, default_workers() // 3)
    assert all(r.run_config == {"ops": {"extract_facts": {"config": {"workers": workers}}}} for r in result.run_requests)
    again = evaluate(home, instance)  # no cursor: the same file again, the same batch ids
    assert [r.partition_key for r in again.run_requests] == keys


def test_inbox_batch_records_zero_keeps_one_batch(tmp_path, instance) -> None:
    home = DispatchesHome(home=str(tmp_path / "home"), inbox_batch_records=0)
    home.inbox.mkdir(parents=True)
    big = home.inbox / "export.jsonl"
    big.write_text("".join(json.dumps({"text": f"Article {i} about the harvest."}) + "\n" for i in range(10)))
    settle(big)
    assert_one_batch(evaluate(home, instance), home, [big])
