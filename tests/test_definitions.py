"""The code location loads, in-process and through Dagster's own tools."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from assets import warehouse
from tests.conftest import REPO, VENV_BIN, subprocess_env


@pytest.fixture(scope="module")
def defs():
    from assets.definitions import defs

    return defs


def test_definitions_load_with_the_batch_job(defs) -> None:
    job = defs.resolve_job_def("process_batch")
    assert job is not None
    assert job.partitions_def is not None and job.partitions_def.name == "batches"
    assert defs.resolve_sensor_def("inbox_sensor").job_name == "process_batch"


def test_every_asset_is_a_table_or_the_research_db(defs) -> None:
    keys = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert keys <= set(warehouse.TABLES) | {"research_db"}
    # every table that a batch writes has an asset (batches is the partition registry itself)
    assert keys == set(warehouse.TABLES) - {"batches"} | {"research_db"}


def test_every_asset_states_its_grain(defs) -> None:
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        name = key.to_user_string()
        description = graph.get(key).description or ""
        if name == "research_db":
            # a file, not a table: its grain is "One file"
            assert description.startswith("One file"), description
        else:
            assert description.startswith("One row per "), (name, description)
            # the same grain as the table comment researchers see in DuckDB
            if name in warehouse.FACT_TABLES:
                assert description.lower() == warehouse.table_grain(name)


def test_every_asset_is_partitioned_by_batch(defs) -> None:
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        assert graph.get(key).partitions_def.name == "batches", key


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    dagster_home = tmp_path / "dagster_home"
    dagster_home.mkdir()
    (dagster_home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    env = subprocess_env(tmp_path / "dispatches_home", DAGSTER_HOME=str(dagster_home))
    return subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


def test_dg_check_defs(tmp_path: Path) -> None:
    out = _run([str(VENV_BIN / "dg"), "check", "defs"], tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "All definitions loaded successfully" in out.stdout + out.stderr


def test_dagster_definitions_validate(tmp_path: Path) -> None:
    out = _run([str(VENV_BIN / "dagster"), "definitions", "validate", "-w", "workspace.yaml"], tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "All code locations passed validation" in out.stdout + out.stderr
