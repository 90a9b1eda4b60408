"""The inbox sensor: files dropped into DISPATCHES_HOME/inbox/ become a new batch and a run."""


import json
import time
from pathlib import Path

from dagster import DefaultSensorStatus, RunRequest, SensorEvaluationContext, SensorResult, SkipReason, sensor

from assets.facts import extraction_run_config
from assets.partitions import batches_partitions
from assets.resources import DispatchesHome
from pipelines import batches
from pipelines.extract import default_workers
from pipelines.ingest import iter_input_files

SETTLE_SECONDS = 5.0  # a file younger than this may still be being written; wait for the next tick


def _signature(path: Path) -> str | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return f"{path}|{st.st_size}|{st.st_mtime_ns}"


def new_inbox_files(inbox: Path, seen: set[str], now: float) -> tuple[list[Path], set[str]]:
    """Settled files in the inbox not seen before, and their signatures (path, size, mtime)."""
    fresh: list[Path] = []
    signatures: set[str] = set()
    if not inbox.is_dir():
        return fresh, signatures
    for item in iter_input_files([inbox]):
        if not isinstance(item, Path):
            continue
        sig = _signature(item)
        if sig is None or sig in seen:
            continue
        if now - item.stat().st_mtime < SETTLE_SECONDS:
            continue
        fresh.append(item)
        signatures.add(sig)
    return fresh, signatures


@sensor(job_name="process_batch", minimum_interval_seconds=30, default_status=DefaultSensorStatus.RUNNING)
def inbox_sensor(context: SensorEvaluationContext, dispatches: DispatchesHome):
    """Every 30 s: new files in the inbox (a file counts as new when its path, size or modification
    time changed) become batches of at most `inbox_batch_records` records (a large JSON-lines
    file, WARC or feed is cut by record ranges, pipelines.batches.split_manifest): for each a
    manifest, a dynamic partition and a run of process_batch. The runs of one tick share the CPUs:
    each extracts with max(1, CPUs // runs) processes."""
    seen = set(json.loads(context.cursor)) if context.cursor else set()
    fresh, signatures = new_inbox_files(dispatches.inbox, seen, time.time())
    if not fresh:
        return SkipReason(f"no new settled files in {dispatches.inbox}")
    manifest = batches.make_manifest([str(p) for p in fresh], origin="sensor")
    parts = batches.split_manifest(manifest, 1, max_records=dispatches.inbox_batch_records)
    for part in parts:
        batches.write_manifest(dispatches.root, part)
    run_config = extraction_run_config(max(1, default_workers() // len(parts)))
    return SensorResult(
        run_requests=[RunRequest(partition_key=p.batch_id, run_key=p.batch_id, run_config=run_config) for p in parts],
        dynamic_partitions_requests=[batches_partitions.build_add_request([p.batch_id for p in parts])],
        cursor=json.dumps(sorted(seen | signatures)),
    )
