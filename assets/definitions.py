"""The dispatches code location: the one Definitions object the UI, the daemon and the CLI load."""

from __future__ import annotations

import os
from pathlib import Path

from dagster import AssetSelection, Definitions, EnvVar, define_asset_job

from assets.events import group_events
from assets.executors import dispatches_executor
from assets.facts import extract_facts
from assets.ingest import ingest_batch
from assets.publish import research_db
from assets.resources import DispatchesHome
from assets.sensors import inbox_sensor

# DISPATCHES_HOME defaults to ./data, made absolute so every process agrees on it.
os.environ.setdefault("DISPATCHES_HOME", str(Path("data").absolute()))
# DISPATCHES_STAGING: where extraction reads articles and writes facts (a folder, s3:// or gs://);
# empty means DISPATCHES_HOME/staging. See docs/SCALE.md.
os.environ.setdefault("DISPATCHES_STAGING", "")

process_batch = define_asset_job(
    "process_batch",
    selection=AssetSelection.all(),
    description="Ingest one batch, extract its facts, publish Parquet and research.duckdb.",
    # Multiprocess by default; in_process; or dask (run config, or DISPATCHES_DASK_SCHEDULER where
    # the code location loads). See assets/executors.py and docs/SCALE.md.
    executor_def=dispatches_executor,
)

defs = Definitions(
    assets=[ingest_batch, extract_facts, group_events, research_db],
    jobs=[process_batch],
    sensors=[inbox_sensor],
    # The same executor for the UI's "Materialize" and asset backfills (the implicit asset job).
    executor=dispatches_executor,
    resources={"dispatches": DispatchesHome(home=EnvVar("DISPATCHES_HOME"), staging_uri=EnvVar("DISPATCHES_STAGING"))},
)


def process_batch_job():
    """The resolved process_batch job, for `dagster.reconstructable` (multiprocess execution)."""
    return defs.resolve_job_def("process_batch")
