"""A progress hook the command line sets while it runs a job in its own process.

Assets call `report(stage, done, total)`; in the UI or the daemon nobody listens and it is free.

`pause_point(stage)` is a test hook: tests/test_crash_safety.py sets DISPATCHES_TEST_PAUSE_AT to
one of PAUSE_STAGES, waits for the marker line on the process's stderr, and kills the process with
SIGKILL there, so each kill lands at a known point of its stage. Unset, it does nothing.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

PAUSE_ENV = "DISPATCHES_TEST_PAUSE_AT"
PAUSE_MARKER = "dispatches test pause:"
# Where each stage pauses (nothing is undone by the pause; the process is killed there):
#   ingest:  the batch's articles, duplicates and rejects written to warehouse.duckdb (connection
#            still open), its articles not yet staged for extraction (assets/ingest.py)
#   extract: facts extracted, the first of the six fact tables staged, the other five not (assets/facts.py)
#   load:    the staged facts loaded into warehouse.duckdb (connection open), events not yet grouped (assets/events.py)
#   publish: the new research.duckdb written under its temporary name, not yet renamed into place (assets/warehouse.py)
PAUSE_STAGES = ("ingest", "extract", "load", "publish")
PAUSE_LIMIT_S = 600.0

_listener: Callable[[str, int, int], None] | None = None


def set_listener(fn: Callable[[str, int, int], None] | None) -> None:
    global _listener
    _listener = fn


def report(stage: str, done: int, total: int) -> None:
    if _listener is not None:
        _listener(stage, done, total)


def pause_point(stage: str) -> None:
    """When DISPATCHES_TEST_PAUSE_AT names `stage`: print the marker line to stderr and wait to be
    killed (a run left paused fails after PAUSE_LIMIT_S rather than hang for ever)."""
    if os.environ.get(PAUSE_ENV) != stage:
        return
    print(f"{PAUSE_MARKER} {stage} reached (pid {os.getpid()})", file=sys.__stderr__, flush=True)
    time.sleep(PAUSE_LIMIT_S)
    raise RuntimeError(f"{PAUSE_ENV}={stage}: paused for {PAUSE_LIMIT_S:.0f} s and was not killed")
