"""The dispatches code location: the one Definitions object the UI, the daemon and the CLI load."""

from __future__ import annotations

import os
from pathlib import Path

from dagster import AssetSelection, Definitions, EnvVar, define_asset_job

from assets.events import group_events
from assets.facts import extract_facts
from assets.ingest import ingest_batch
from assets.publish import research_db
from assets.resources import DispatchesHome
from assets.sensors import inbox_sensor

# DISPATCHES_HOME defaults to ./data, made absolute so every process agrees on it.
os.environ.setdefault("DISPATCHES_HOME", str(Path("data").absolute()))

process_batch = define_asset_job(
    "process_batch",
    selection=AssetSelection.all(),
    description="Ingest one batch, extract its facts, publish Parquet and research.duckdb.",
)

defs = Definitions(
    assets=[ingest_batch, extract_facts, group_events, research_db],
    jobs=[process_batch],
    sensors=[inbox_sensor],
    resources={"dispatches": DispatchesHome(home=EnvVar("DISPATCHES_HOME"))},
)
