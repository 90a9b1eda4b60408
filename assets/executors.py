"""The executor of process_batch: in process, multiprocess (the default), or on a Dask cluster.

One executor with three modes, chosen in the run config (`execution: config: dask: ...`), so the
job stays the same job whichever engine runs it:

- **multiprocess** (Dagster's own; the default): every step in a child process on this machine.
- **in_process** (Dagster's own): every step in the launching process.
- **dask**: every step a task on an existing Dask cluster (`cluster: existing: address:`). The
  default becomes dask when `DISPATCHES_DASK_SCHEDULER` is set where the code location loads
  (the UI, the daemon), so a backfill launched from the UI runs on the cluster too.

On Dask, two things keep the one-writer rule of warehouse.duckdb, which lives on one machine:

1. **Where.** A step in a Dagster pool (ingest, events, publish are in the pool `warehouse`)
   needs the Dask worker resource of the same name: it runs only on a worker started with
   `--resources warehouse=1`, the one beside DISPATCHES_HOME. Extraction steps, in no pool, run
   on any worker. A run fails at once, with that advice, if no worker of the cluster offers the
   resource (rather than waiting for ever).
2. **How many.** Each step runs on its worker through Dagster's in-process step loop, which
   claims the step's pool slot in the instance before the step starts; with a PostgreSQL
   instance shared by every machine, the pool limit of 1 holds across all runs and machines
   (dagster_dask's own executor skips pool claims).

This executor differs from dagster_dask's in that too, and in keying each Dask task by run and
step (dagster_dask keys it by job and step, so two runs of one job on one scheduler would share
one task and one result).
"""

from __future__ import annotations

import json
import os
import pickle
from collections.abc import Mapping, Sequence
from typing import Any

from dagster import Executor, Field, Selector, StringSource, executor
from dagster import _check as check
from dagster._core.definitions.executor_definition import (
    IN_PROC_CONFIG,
    MULTI_PROC_CONFIG,
    _core_in_process_executor_creation,
    _core_multiprocess_executor_creation,
    multiple_process_executor_requirements,
)
from dagster._core.events import DagsterEvent, EngineEventData
from dagster._core.execution.api import ExecuteRunWithPlanIterable, create_execution_plan
from dagster._core.execution.context.system import PlanOrchestrationContext
from dagster._core.execution.context_creation_job import PlanExecutionContextManager
from dagster._core.execution.plan.plan import ExecutionPlan
from dagster._core.execution.retries import RetryMode
from dagster._core.executor.in_process import inprocess_execution_iterator

SCHEDULER_ENV = "DISPATCHES_DASK_SCHEDULER"
# dagster_dask's tag for Dask resources a step needs, honoured too: {"GPU": 1} as JSON.
DASK_RESOURCES_TAG = "dagster-dask/resource_requirements"

DASK_CONFIG = Field(
    {
        "cluster": Field(
            Selector({"existing": Field({"address": StringSource}, description="The scheduler's address, tcp://HOST:8786.")}),
            description="The Dask cluster to run the steps on.",
        ),
    },
    description="Every step a task on a Dask cluster; pool steps only on workers offering the pool as a resource.",
)


def dask_run_config(address: str) -> dict:
    """The run config that sends a process_batch run to the Dask scheduler at `address`."""
    return {"execution": {"config": {"dask": {"cluster": {"existing": {"address": address}}}}}}


def _default_mode() -> dict:
    address = os.environ.get(SCHEDULER_ENV, "").strip()
    if address:
        return {"dask": {"cluster": {"existing": {"address": {"env": SCHEDULER_ENV}}}}}
    return {"multiprocess": {}}


def _requirements(config: Mapping[str, Any]):
    return [] if "in_process" in config else multiple_process_executor_requirements()


@executor(
    name="dispatches",
    config_schema=Field(
        Selector({"multiprocess": MULTI_PROC_CONFIG, "in_process": IN_PROC_CONFIG, "dask": DASK_CONFIG}),
        default_value=_default_mode(),
    ),
    requirements=_requirements,
)
def dispatches_executor(init_context) -> Executor:
    """Multiprocess (default), in process, or on a Dask cluster: see assets/executors.py."""
    ((mode, config),) = init_context.executor_config.items()
    if mode == "in_process":
        return _core_in_process_executor_creation(config)
    if mode == "multiprocess":
        return _core_multiprocess_executor_creation(config)
    return DaskExecutor(config["cluster"]["existing"]["address"])


def step_resources(pool: str | None, tags: Mapping[str, str]) -> dict[str, float]:
    """The Dask worker resources a step needs: its pool, and any it asks for by tag."""
    needs = {str(k): float(v) for k, v in json.loads(tags.get(DASK_RESOURCES_TAG) or "{}").items()}
    if pool:
        needs.setdefault(pool, 1.0)
    return needs


def missing_resources(needed: Sequence[Mapping[str, float]], workers: Mapping[str, Mapping]) -> list[str]:
    """Resources some step needs that no worker of the cluster offers (scheduler_info()["workers"])."""
    offered: dict[str, float] = {}
    for info in workers.values():
        for name, amount in (info.get("resources") or {}).items():
            offered[name] = max(offered.get(name, 0.0), float(amount))
    return sorted({name for need in needed for name, amount in need.items() if offered.get(name, 0.0) < amount})


def upstream_succeeded(dependencies: Sequence[Sequence[DagsterEvent]] | None) -> bool:
    """Whether every upstream task (its events, as Dask hands them to the dependent task) ran
    its step to success; a failed or not-run upstream leaves its dependents unrun."""
    return all(any(e.event_type_value == "STEP_SUCCESS" for e in events) for events in dependencies or [])


def run_step_on_worker(dependencies: Any, payload: bytes) -> list[DagsterEvent]:
    """One step on a Dask worker, through the in-process step loop (which claims the step's pool
    slot in the instance and waits for it). `dependencies` only makes Dask order the tasks;
    `payload` pickles (job, run, run config, step keys, instance ref, known state) as one opaque
    value, because Dask walks tuple arguments and Dagster's records refuse to be iterated."""
    from dagster import DagsterInstance

    if not upstream_succeeded(dependencies):
        return []  # as the multiprocess executor does, a step whose upstream failed does not run
    recon_job, dagster_run, run_config, step_keys, instance_ref, known_state = pickle.loads(payload)

    with DagsterInstance.from_ref(instance_ref) as instance:
        job = recon_job.get_subset(op_selection=dagster_run.resolved_op_selection)
        plan = create_execution_plan(job, run_config=run_config, step_keys_to_execute=list(step_keys), known_state=known_state)
        job = job.with_repository_load_data(plan.repository_load_data)
        return list(ExecuteRunWithPlanIterable(
            execution_plan=plan,
            iterator=inprocess_execution_iterator,
            execution_context_manager=PlanExecutionContextManager(
                job=job, retry_mode=RetryMode.DISABLED, execution_plan=plan, run_config=run_config,
                dagster_run=dagster_run, instance=instance,
            ),
        ))


class DaskExecutor(Executor):
    """Steps as tasks on an existing Dask cluster (see the module docstring)."""

    def __init__(self, address: str):
        self.address = check.str_param(address, "address")

    @property
    def retries(self) -> RetryMode:
        return RetryMode.DISABLED

    def execute(self, plan_context: PlanOrchestrationContext, execution_plan: ExecutionPlan):
        import dask.distributed

        check.invariant(plan_context.instance.is_persistent, "Dask execution needs a persistent Dagster instance")
        steps = [step for level in execution_plan.get_steps_to_execute_by_level() for step in level]
        needs = {step.key: step_resources(step.pool, step.tags) for step in steps}
        with dask.distributed.Client(self.address, timeout="30s") as client:
            missing = missing_resources(list(needs.values()), client.scheduler_info(n_workers=-1)["workers"])
            if missing:
                raise RuntimeError(
                    f"no worker of the Dask cluster at {self.address} offers the resource(s) {', '.join(missing)}: "
                    f"start the worker beside DISPATCHES_HOME with `dask worker {self.address} --resources "
                    + ",".join(f"{m}=1" for m in missing) + "`")
            yield DagsterEvent.engine_event(
                plan_context, f"Submitting {len(steps)} steps to the Dask cluster at {self.address}",
                event_specific_data=EngineEventData(),
            )
            futures: dict[str, Any] = {}
            for step in steps:
                dependencies = [futures[key] for step_input in step.step_inputs for key in step_input.dependency_keys]
                payload = pickle.dumps((plan_context.reconstructable_job, plan_context.dagster_run, plan_context.run_config,
                                        [step.key], plan_context.instance.get_ref(), execution_plan.known_state))
                futures[step.key] = client.submit(
                    run_step_on_worker, dependencies, payload,
                    key=f"{plan_context.run_id}.{step.key}", resources=needs[step.key] or None, pure=False,
                )
            for _future, events in dask.distributed.as_completed(list(futures.values()), with_results=True):
                yield from events


def dask_workers(address: str, timeout: str = "20s") -> int:
    """How many workers the Dask scheduler at `address` has; OSError when it cannot be reached."""
    import dask.distributed

    try:
        with dask.distributed.Client(address, timeout=timeout) as client:
            return len(client.scheduler_info(n_workers=-1)["workers"])
    except TimeoutError as exc:
        raise OSError(str(exc)) from exc
