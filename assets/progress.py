"""A progress hook the command line sets while it runs a job in its own process.

Assets call `report(stage, done, total)`; in the UI or the daemon nobody listens and it is free."""

from __future__ import annotations

from collections.abc import Callable

_listener: Callable[[str, int, int], None] | None = None


def set_listener(fn: Callable[[str, int, int], None] | None) -> None:
    global _listener
    _listener = fn


def report(stage: str, done: int, total: int) -> None:
    if _listener is not None:
        _listener(stage, done, total)
