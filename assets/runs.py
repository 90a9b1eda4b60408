"""Launching `process_batch` runs from the command line, in the Dagster instance the UI reads.

- One batch: `execute_in_process`, so the command line can show a progress bar.
- Several batches: up to `workers` runs at a time, each in its own worker process and each
  executed by Dagster's multiprocess executor (its extraction step with `extract_workers`
  processes, so that the runs at once use the cores without oversubscribing them) (every step in a child process, as a Kubernetes or
  Celery executor would run it in a pod or a worker). Extraction steps of different batches run
  side by side; the steps that write warehouse.duckdb (ingest, events, publish) are in the
  "warehouse" pool, whose limit of 1 (dagster.yaml) makes Dagster queue them: one writer.

A run whose process was killed (kill -9, a power cut) stays STARTED in the instance and keeps
its pool slot, which would block every later run; `fail_dead_runs` marks such runs failed and
frees their slots. It only touches runs this host started from the command line whose process
is gone, so runs launched by the UI or the daemon are left to Dagster's run monitoring.
"""

from __future__ import annotations

import multiprocessing
import os
import socket
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

PID_TAG = "dispatches/pid"
HOST_TAG = "dispatches/host"
ORIGIN_TAG = "dispatches/origin"


def run_tags(origin: str = "cli") -> dict[str, str]:
    return {ORIGIN_TAG: origin, PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (killed, not yet reaped by its parent) is gone for our purposes
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def fail_dead_runs(instance) -> list[str]:
    """Mark failed the runs this host started from the command line whose process is gone, and
    free the pool slots they held. Returns their run ids."""
    from dagster import DagsterRunStatus, RunsFilter

    runs = instance.get_runs(filters=RunsFilter(
        statuses=[DagsterRunStatus.STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.NOT_STARTED],
        tags={HOST_TAG: socket.gethostname()},
    ))
    failed = []
    for run in runs:
        pid = run.tags.get(PID_TAG, "")
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            if run.status != DagsterRunStatus.NOT_STARTED:
                instance.report_run_failed(run, f"its process ({pid}) is gone: killed or crashed; marked failed by dispatches")
            else:
                instance.report_run_canceled(run, f"its process ({pid}) is gone before it started")
            if instance.event_log_storage.supports_global_concurrency_limits:
                instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
            failed.append(run.run_id)
    return failed


@dataclass(frozen=True)
class BatchRun:
    batch_id: str
    run_id: str
    success: bool
    error: str


def execute_batch(batch_id: str, log_level: str = "WARNING", extract_workers: int = 1,
                  execution: dict | None = None) -> BatchRun:
    """Run process_batch for one partition (in a worker process) with the multiprocess executor,
    or the executor `execution` configures (assets/executors.py), its extraction step with
    `extract_workers` processes (0: as the step's process decides)."""
    from dagster import DagsterInstance, execute_job, reconstructable

    from assets.definitions import process_batch_job
    from assets.facts import extraction_run_config

    with DagsterInstance.get() as instance:
        result = execute_job(
            reconstructable(process_batch_job), instance=instance,
            tags={**run_tags(), "dagster/partition": batch_id},
            run_config={"execution": execution or {"config": {"multiprocess": {}}},
                        "loggers": {"console": {"config": {"log_level": log_level}}},
                        **extraction_run_config(extract_workers)},
        )
        errors = [str(e.step_failure_data.error.message if e.step_failure_data else e.message)
                  for e in result.all_events if e.is_step_failure]
        if not result.success and not errors:  # the run failed outside any step (its executor)
            errors = [str(e.message) for e in result.all_events if e.is_run_failure]
        return BatchRun(batch_id, result.run_id, result.success, "; ".join(errors))


def execute_batches(batch_ids: Sequence[str], workers: int, log_level: str = "WARNING",
                    on_done: Callable[[BatchRun], None] | None = None, extract_workers: int = 1,
                    execution: dict | None = None) -> list[BatchRun]:
    """Run every batch, at most `workers` at a time, each extracting with `extract_workers`
    processes (keep workers * extract_workers at the CPU count); returns the runs in batch order."""
    done: dict[str, BatchRun] = {}
    ctx = multiprocessing.get_context("spawn")  # no fork of a process holding DuckDB and Dagster state
    with ProcessPoolExecutor(max_workers=max(1, workers), mp_context=ctx) as pool:
        futures = {pool.submit(execute_batch, b, log_level, extract_workers, execution): b for b in batch_ids}
        for fut in as_completed(futures):
            try:
                run = fut.result()
            except Exception as exc:  # the worker itself died: report it, go on with the rest
                run = BatchRun(futures[fut], "", False, f"{type(exc).__name__}: {exc}")
            done[run.batch_id] = run
            if on_done:
                on_done(run)
    return [done[b] for b in batch_ids]
