"""Past one machine, run for real: the process_batch job on a Dask cluster (a scheduler and two
workers, each its own process), its Dagster instance on PostgreSQL and its staging area on an S3
API (moto's server), all started on this machine by benchmarks/cluster.py and stopped after.

The fast tests need no model: the S3 staging round trip (endpoint from AWS_ENDPOINT_URL, or
from the URI itself), the executor's resource rules and the dagster.yaml the CLI writes. The
slow ones run `dispatches run --executor dask` on 2,000 articles in 4 batches and compare every
row and id with a local run of the same input; kill a Dask worker in the middle of a batch; and
check that a cluster with no warehouse worker is refused at once."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pyarrow as pa
import pytest

from assets import executors, staging
from benchmarks import cluster as C
from tests.conftest import REGISTRATION_COLUMNS, subprocess_env, table_ids, table_rows
from tests.test_cli import DISPATCHES, ok

# 2,000 articles of about 200 words (the throughput generator's prose, a quarter of them relevant),
# one JSON-lines file cut into 4 batches by record ranges.
N_ARTICLES, N_BATCHES, WORDS = 2000, 4, 200
needs_postgres = pytest.mark.skipif(not shutil.which("initdb"), reason="PostgreSQL's initdb is not installed (apt install postgresql)")


# ---------------------------------------------------------------------------------------------
# Without the model
# ---------------------------------------------------------------------------------------------

def test_staging_on_an_s3_server_with_the_endpoint_from_the_environment_or_the_uri(monkeypatch):
    cluster = C.Cluster()
    with C.s3(cluster):
        tbl = pa.table({"fact_id": ["a", "b"], "n": [1, 2]})
        for k, v in C.S3_ENV.items():
            monkeypatch.setenv(k, v)
        monkeypatch.setenv("AWS_ENDPOINT_URL", cluster.s3_endpoint)
        uri = f"s3://{cluster.bucket}/by-env"
        staging.write(uri, "b01", "strikes", tbl)
        assert staging.read(uri, "b01", "strikes").equals(tbl)
        assert staging.exists(uri, "b01", "strikes") and not staging.exists(uri, "b01", "visits")
        assert C.s3_keys(cluster, "by-env") == ["by-env/batch_id=b01/strikes.parquet"]  # no temporary left
        # the explicit form: the endpoint in the URI, whatever the environment says
        monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens there
        host = cluster.s3_endpoint.removeprefix("http://")
        explicit = f"s3://{cluster.bucket}/by-uri?endpoint_override={host}&scheme=http"
        staging.write(explicit, "b02", "visits", tbl)
        assert staging.read(explicit, "b02", "visits").equals(tbl)
        assert C.s3_keys(cluster, "by-uri") == ["by-uri/batch_id=b02/visits.parquet"]
    assert cluster.processes() == []


def test_pool_steps_need_the_dask_resource_of_their_pool():
    assert executors.step_resources("warehouse", {}) == {"warehouse": 1.0}
    assert executors.step_resources(None, {}) == {}
    assert executors.step_resources(None, {executors.DASK_RESOURCES_TAG: '{"GPU": 2}'}) == {"GPU": 2.0}
    workers = {"tcp://a": {"resources": {}}, "tcp://b": {"resources": {"warehouse": 1}}}
    assert executors.missing_resources([{"warehouse": 1.0}, {}], workers) == []
    assert executors.missing_resources([{"warehouse": 1.0}], {"tcp://a": {"resources": {}}}) == ["warehouse"]
    assert executors.missing_resources([{"GPU": 2.0}], {"tcp://a": {"resources": {"GPU": 1}}}) == ["GPU"]


def test_the_job_steps_that_open_the_warehouse_are_exactly_the_pool_steps():
    from dagster._core.execution.api import create_execution_plan

    from assets.definitions import defs

    job = defs.resolve_job_def("process_batch")
    plan = create_execution_plan(job, run_config={"execution": {"config": {"in_process": {}}}})
    needs = {s.key: executors.step_resources(s.pool, s.tags) for s in plan.steps}
    assert needs == {"ingest_batch": {"warehouse": 1.0}, "extract_facts": {}, "group_events": {"warehouse": 1.0},
                     "research_db": {"warehouse": 1.0}}


def test_a_step_whose_upstream_failed_does_not_run_on_the_worker():
    from types import SimpleNamespace

    def events(*types: str):  # stand-ins with the one attribute read (the real events: the pool-slot test)
        return [SimpleNamespace(event_type_value=t) for t in types]

    ok_events, failed = events("STEP_START", "STEP_SUCCESS"), events("STEP_START", "STEP_FAILURE")
    assert executors.upstream_succeeded([]) and executors.upstream_succeeded([ok_events, ok_events])
    assert not executors.upstream_succeeded([ok_events, failed]) and not executors.upstream_succeeded([[]])
    # the payload is not even opened: nothing runs
    assert executors.run_step_on_worker([failed], b"not a pickle") == []


def test_the_default_executor_is_dask_where_a_scheduler_is_named(monkeypatch):
    monkeypatch.delenv(executors.SCHEDULER_ENV, raising=False)
    assert executors._default_mode() == {"multiprocess": {}}
    monkeypatch.setenv(executors.SCHEDULER_ENV, "tcp://10.0.0.5:8786")
    assert executors._default_mode() == {"dask": {"cluster": {"existing": {"address": {"env": executors.SCHEDULER_ENV}}}}}


def test_the_instance_the_cli_writes(tmp_path: Path):
    import yaml
    from dagster import DagsterInstance

    from assets import cli

    plain = yaml.safe_load(cli.instance_yaml())
    assert plain["telemetry"] == {"enabled": False} and plain["nux"] == {"enabled": False}
    assert plain["concurrency"] == {"pools": {"default_limit": 1}} and "storage" not in plain
    pg = yaml.safe_load(cli.instance_yaml(postgres=True))
    assert pg["storage"] == {"postgres": {"postgres_url": {"env": cli.POSTGRES_ENV}}}
    (tmp_path / "dagster.yaml").write_text(cli.instance_yaml(), encoding="utf-8")
    with DagsterInstance.from_config(str(tmp_path)) as instance:  # a valid instance, nux off
        assert instance.get_settings("nux") == {"enabled": False}


def _daemon_answer(q) -> None:
    from pipelines.extract import can_have_children

    q.put(can_have_children())


def test_a_daemonic_process_such_as_a_dask_worker_extracts_in_process(monkeypatch):
    import multiprocessing

    from pipelines import extract

    ctx = multiprocessing.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_daemon_answer, args=(q,), daemon=True)
    p.start()
    assert q.get(timeout=60) is False
    p.join(timeout=60)
    assert extract.can_have_children() is True  # this (non-daemonic) process may start a pool
    # in a daemonic process, workers > 1 never starts the pool (it would fail to start children)
    monkeypatch.setattr(extract, "can_have_children", lambda: False)
    monkeypatch.setattr(extract, "_parallel_chunks", lambda *a, **k: pytest.fail("started a pool"))
    monkeypatch.setattr(extract, "_extract_chunk", lambda part, *a, **k: {t: [] for t in extract.FACT_TABLES})
    arts = [{"article_id": f"a{i}", "text": "x"} for i in range(extract.CHUNK_ARTICLES * extract.MIN_PARALLEL_CHUNKS)]
    assert extract.extract_articles(arts, workers=2) == {t: [] for t in extract.FACT_TABLES}


def test_a_step_on_a_dask_worker_waits_for_its_pool_slot(tmp_path: Path, monkeypatch):
    """run_step_on_worker (what a Dask task runs) claims the warehouse slot in the instance: while
    another run holds it, ingest does not start; once freed, it runs."""
    import pickle
    import threading

    from dagster import DagsterEventType, DagsterInstance, reconstructable

    from assets import cli
    from assets.definitions import process_batch_job
    from assets.resources import DispatchesHome
    from tests.conftest import STRIKE_TXT, register_batch

    monkeypatch.setenv("DISPATCHES_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DISPATCHES_STAGING", "")
    (tmp_path / "dagster").mkdir()
    (tmp_path / "dagster" / "dagster.yaml").write_text(cli.instance_yaml(), encoding="utf-8")
    (tmp_path / "in.txt").write_text(STRIKE_TXT, encoding="utf-8")
    with DagsterInstance.from_config(str(tmp_path / "dagster")) as instance:
        batch_id = register_batch(DispatchesHome(home=str(tmp_path / "home")), [tmp_path / "in.txt"], instance)
        run_config = {"execution": {"config": {"in_process": {}}}}
        job = process_batch_job()
        run = instance.create_run_for_job(job, run_config=run_config, tags={"dagster/partition": batch_id})
        instance.event_log_storage.initialize_concurrency_limit_to_default("warehouse")  # 1, from dagster.yaml
        holder = instance.event_log_storage.claim_concurrency_slot("warehouse", "another-run", "ingest_batch")
        assert holder.is_claimed
        payload = pickle.dumps((reconstructable(process_batch_job), run, run_config, ["ingest_batch"], instance.get_ref(), None))
        got: list = []
        worker = threading.Thread(target=lambda: got.extend(executors.run_step_on_worker(None, payload)), daemon=True)
        worker.start()
        time.sleep(4)
        started = instance.all_logs(run.run_id, of_type=DagsterEventType.STEP_START)
        assert worker.is_alive() and started == [], "the step started while another run held the warehouse slot"
        instance.event_log_storage.free_concurrency_slot_for_step("another-run", "ingest_batch")
        worker.join(timeout=120)
        assert not worker.is_alive()
        assert any(e.event_type == DagsterEventType.STEP_SUCCESS for e in got)
        assert executors.upstream_succeeded([got])  # what its dependents are handed


# ---------------------------------------------------------------------------------------------
# On the cluster
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    from benchmarks.corpus import write_corpus

    folder = tmp_path_factory.mktemp("cluster-corpus")
    write_corpus(folder, N_ARTICLES, n_files=1, words=WORDS)
    return folder


def _local(corpus: Path, home: Path, n_batches: int) -> Path:
    """The same input run locally, in this process: cut into batches as `dispatches run
    --batches N` cuts it, each batch run in order by execute_in_process (what `dispatches run`
    does with one batch), extracting in process; no step processes to start, the model loaded
    once."""
    from dagster import DagsterInstance, Definitions

    from assets.definitions import defs
    from assets.facts import extraction_run_config
    from assets.resources import DispatchesHome
    from pipelines import batches

    resource = DispatchesHome(home=str(home))
    parts = batches.split_manifest(batches.make_manifest([corpus], origin="cli"), n_batches)
    job = Definitions(assets=defs.assets, jobs=defs.jobs, resources={"dispatches": resource}).resolve_job_def("process_batch")
    with DagsterInstance.ephemeral() as instance:
        for manifest in parts:
            batches.write_manifest(resource.root, manifest)
        instance.add_dynamic_partitions("batches", [m.batch_id for m in parts])
        for manifest in parts:
            result = job.execute_in_process(partition_key=manifest.batch_id, instance=instance, run_config={**extraction_run_config(1), "loggers": {"console": {"config": {"log_level": "WARNING"}}}})
            assert result.success
    return home


@pytest.fixture(scope="module")
def local_run(corpus, tmp_path_factory) -> Path:
    return _local(corpus, tmp_path_factory.mktemp("local") / "home", N_BATCHES)


# The killed-worker test: a smaller input, so that its two runs (the killed one and the re-run)
# and its local run take about a minute together.
N_SMALL, N_SMALL_BATCHES = 400, 2


class OnCluster:
    """A cluster of its own for one test, and the environment of the CLI that uses it."""

    def __init__(self, cluster: C.Cluster, home: Path, prefix: str):
        self.cluster, self.home, self.prefix = cluster, home, prefix
        self.env = subprocess_env(home, DAGSTER_HOME=str(home / "dagster"), **cluster.env(),
                                  DISPATCHES_STAGING=f"s3://{cluster.bucket}/{prefix}", DISPATCHES_EXTRACT_WORKERS="1")

    def run(self, corpus: Path, batches: int = N_BATCHES) -> subprocess.Popen:
        return subprocess.Popen([DISPATCHES, "run", "--quiet", str(corpus), "--batches", str(batches), "--executor", "dask",
                                 "--scheduler", self.cluster.scheduler], env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)


@pytest.fixture
def on_cluster(tmp_path: Path):
    home = tmp_path / "home"
    cluster = C.Cluster()
    with C.postgres(cluster), C.s3(cluster):
        oc = OnCluster(cluster, home, "staging")
        worker_env = {k: v for k, v in oc.env.items() if k.startswith(("DISPATCHES_", "DAGSTER_", "AWS_")) or k == "PATH"}
        with C.dask(cluster, 2, worker_env):
            yield oc
    # every server and worker is gone, in bounded time (C._stop waits at most 20 s each)
    assert cluster.processes() == []


def _finish(proc: subprocess.Popen, timeout: float = 900) -> tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        raise AssertionError(f"dispatches run did not finish in {timeout:.0f} s\n{err[-3000:]}")
    return proc.returncode, out, err


def _same_rows(home: Path, local: Path) -> None:
    got, expected = table_rows(home / "research.duckdb", REGISTRATION_COLUMNS), table_rows(local / "research.duckdb", REGISTRATION_COLUMNS)
    assert got.keys() == expected.keys()
    for table in expected:
        assert got[table] == expected[table], table
    assert table_ids(home / "research.duckdb") == table_ids(local / "research.duckdb")


@pytest.mark.slow
@pytest.mark.cluster
@needs_postgres
def test_2000_articles_in_4_batches_on_dask_postgres_and_s3_match_a_local_run(on_cluster, corpus, local_run):
    from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus

    started = time.monotonic()
    code, out, err = _finish(on_cluster.run(corpus))
    assert code == 0, f"stdout:\n{out}\nstderr:\n{err[-5000:]}"
    assert f"{N_BATCHES} batches" in out and "lock" not in (out + err).lower()
    print(f"{N_ARTICLES} articles in {N_BATCHES} batches on 2 Dask workers: {time.monotonic() - started:.0f} s")
    _same_rows(on_cluster.home, local_run)
    # every staged file is on the S3 server, none in the home
    keys = C.s3_keys(on_cluster.cluster, on_cluster.prefix)
    assert len(keys) == N_BATCHES * 7 and all(k.endswith(".parquet") for k in keys)
    assert not (on_cluster.home / "staging").exists()
    # the runs are in the PostgreSQL instance; the warehouse steps ran on the warehouse worker
    # only, every step on a Dask worker (not in the CLI's processes)
    pids = C.worker_pids(on_cluster.cluster)
    os.environ.update({"DISPATCHES_POSTGRES_URL": on_cluster.cluster.postgres_url})
    try:
        with DagsterInstance.from_config(str(on_cluster.home / "dagster")) as instance:
            assert type(instance.run_storage).__name__ == "PostgresRunStorage"
            runs = instance.get_runs()
            assert len(runs) == N_BATCHES and all(r.status == DagsterRunStatus.SUCCESS for r in runs)
            done = [e for r in runs for e in instance.all_logs(r.run_id, of_type=DagsterEventType.STEP_SUCCESS)]
            where = {(e.step_key, e.dagster_event.pid) for e in done}
    finally:
        os.environ.pop("DISPATCHES_POSTGRES_URL", None)
    assert len(where) >= 4 and {step for step, _ in where} == {"ingest_batch", "extract_facts", "group_events", "research_db"}
    assert {pid for step, pid in where if step != "extract_facts"} == {pids["w0"]}
    assert {pid for step, pid in where} <= set(pids.values())


@pytest.mark.slow
@pytest.mark.cluster
@needs_postgres
def test_a_dask_worker_killed_in_the_middle_of_a_batch_loses_and_doubles_nothing(on_cluster, tmp_path: Path):
    from benchmarks.corpus import write_corpus

    corpus = tmp_path / "small"
    write_corpus(corpus, N_SMALL, n_files=1, words=WORDS)
    t0 = time.monotonic()
    local = _local(corpus, tmp_path / "local", N_SMALL_BATCHES)
    t1 = time.monotonic()
    proc = on_cluster.run(corpus, N_SMALL_BATCHES)
    killed = None
    deadline = time.monotonic() + 600
    while killed is None and time.monotonic() < deadline and proc.poll() is None:
        busy = [name for name, keys in C.tasks_processing(on_cluster.cluster).items() if any(k.endswith(".extract_facts") for k in keys)]
        if busy:
            time.sleep(3)  # well into the batch
            pids = C.worker_pids(on_cluster.cluster)
            still = [name for name, keys in C.tasks_processing(on_cluster.cluster).items() if any(k.endswith(".extract_facts") for k in keys)]
            if still:
                killed = still[0]
                os.kill(pids[killed], signal.SIGKILL)
        time.sleep(0.5)
    assert killed, "no extraction task was seen running"
    code, out, err = _finish(proc)
    # the run either went on (Dask ran the task again on a worker) or failed cleanly
    assert code in (0, 1), err[-3000:]
    t2 = time.monotonic()
    print(f"worker {killed} killed during extraction: the run {'went on' if code == 0 else 'failed'}")
    if code == 0:
        _same_rows(on_cluster.home, local)
    C.wait_for_workers(on_cluster.cluster, 2)  # the nanny has restarted the killed worker
    t3 = time.monotonic()
    code, out, err = _finish(on_cluster.run(corpus, N_SMALL_BATCHES))
    assert code == 0, f"stdout:\n{out}\nstderr:\n{err[-5000:]}"
    print(f"local {t1 - t0:.0f} s, killed run {t2 - t1:.0f} s, workers back {t3 - t2:.0f} s, re-run {time.monotonic() - t3:.0f} s")
    _same_rows(on_cluster.home, local)
    assert len(C.s3_keys(on_cluster.cluster, on_cluster.prefix)) == N_SMALL_BATCHES * 7


@pytest.mark.slow
@pytest.mark.cluster
@needs_postgres
def test_a_cluster_without_a_warehouse_worker_is_refused_at_once(tmp_path: Path):
    from tests.conftest import STRIKE_TXT

    (tmp_path / "in.txt").write_text(STRIKE_TXT, encoding="utf-8")
    cluster = C.Cluster()
    with C.postgres(cluster), C.s3(cluster):
        oc = OnCluster(cluster, tmp_path / "home", "staging")
        with C.dask(cluster, 1, {k: v for k, v in oc.env.items() if k.startswith(("DISPATCHES_", "DAGSTER_", "AWS_"))},
                    warehouse_worker=False):
            out = subprocess.run([DISPATCHES, "run", "--quiet", str(tmp_path / "in.txt"), "--executor", "dask",
                                  "--scheduler", cluster.scheduler], env=oc.env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 1
    assert "offers the resource(s) warehouse" in out.stdout + out.stderr and "--resources warehouse=1" in out.stdout + out.stderr
    assert cluster.processes() == []


def test_the_cli_needs_a_scheduler_for_dask(tmp_path: Path):
    env = subprocess_env(tmp_path / "home")
    env.pop(executors.SCHEDULER_ENV, None)
    out = subprocess.run([DISPATCHES, "run", "--executor", "dask"], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "--scheduler" in out.stderr
    # a scheduler nobody answers at: an OSError, which the CLI prints as "no Dask scheduler at ..."
    with pytest.raises(OSError):
        executors.dask_workers(f"tcp://127.0.0.1:{C.free_port()}", timeout="1s")


LAUNCH_BACKFILL = """
mutation($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
    ... on InvalidSubsetError { message }
  }
}"""


def _graphql(port: int, query: str, variables: dict | None = None) -> dict:
    import json
    import urllib.request

    req = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query, "variables": variables or {}}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


@pytest.mark.slow
@pytest.mark.cluster
@needs_postgres
def test_a_backfill_launched_from_the_ui_runs_on_the_dask_cluster(tmp_path: Path):
    """`dagster dev` (the UI and the daemon, as `dispatches ui` starts them) with
    DISPATCHES_DASK_SCHEDULER set: a backfill of one batch, launched through the UI's GraphQL
    API, runs its steps on the cluster and writes the rows a local run writes."""
    from dagster import DagsterInstance, DagsterRunStatus

    from assets import cli
    from assets.resources import DispatchesHome
    from tests.conftest import register_batch

    corpus = Path(cli.sample_corpus())
    local = _local(corpus, tmp_path / "local", 1)
    cluster = C.Cluster()
    with C.postgres(cluster), C.s3(cluster):
        oc = OnCluster(cluster, tmp_path / "home", "staging")
        with C.dask(cluster, 2, {k: v for k, v in oc.env.items() if k.startswith(("DISPATCHES_", "DAGSTER_", "AWS_"))}):
            ui_env = {**oc.env, "DISPATCHES_DASK_SCHEDULER": cluster.scheduler}  # where the code location loads
            (oc.home / "dagster").mkdir(parents=True)
            (oc.home / "dagster" / "dagster.yaml").write_text(cli.instance_yaml(postgres=True), encoding="utf-8")
            os.environ["DISPATCHES_POSTGRES_URL"] = cluster.postgres_url
            try:
                with DagsterInstance.from_config(str(oc.home / "dagster")) as instance:
                    batch_id = register_batch(DispatchesHome(home=str(oc.home)), [corpus], instance, origin="cli")
                port = C.free_port()
                ui = subprocess.Popen([str(Path(DISPATCHES).with_name("dagster")), "dev", "-m", "assets.definitions",
                                       "-h", "127.0.0.1", "-p", str(port)], env=ui_env, cwd=tmp_path,
                                      stdout=open(tmp_path / "ui.log", "wb"), stderr=subprocess.STDOUT, start_new_session=True)
                try:
                    C._wait(lambda: "data" in _graphql(port, "{ version }"), "the Dagster UI", timeout=180, proc=ui)
                    got = _graphql(port, LAUNCH_BACKFILL, {"params": {
                        "selector": {"partitionSetName": "process_batch_partition_set",
                                     "repositorySelector": {"repositoryLocationName": "assets.definitions",
                                                            "repositoryName": "__repository__"}},
                        "partitionNames": [batch_id]}})
                    assert got["data"]["launchPartitionBackfill"]["__typename"] == "LaunchBackfillSuccess", got
                    with DagsterInstance.from_config(str(oc.home / "dagster")) as instance:
                        deadline = time.monotonic() + 600
                        while time.monotonic() < deadline:
                            runs = instance.get_runs()
                            if runs and all(r.status in (DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED) for r in runs):
                                break
                            time.sleep(2)
                        assert len(runs) == 1 and runs[0].status == DagsterRunStatus.SUCCESS, (runs, (tmp_path / "ui.log").read_text()[-4000:])
                        assert runs[0].tags.get("dagster/backfill") and runs[0].tags.get("dagster/partition") == batch_id
                        logs = [e.message or "" for e in instance.all_logs(runs[0].run_id)]
                        assert any("to the Dask cluster at " + cluster.scheduler in m for m in logs)
                finally:
                    C._stop(ui)
            finally:
                os.environ.pop("DISPATCHES_POSTGRES_URL", None)
    assert cluster.processes() == []
    _same_rows(oc.home, local)

