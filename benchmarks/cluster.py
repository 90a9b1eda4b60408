"""A throwaway cluster on this machine: PostgreSQL, an S3 API and a Dask scheduler with workers,
each its own process, started the way they would run on separate machines.

Used by tests/test_cluster.py and by `python -m benchmarks.cluster` (the figures in
docs/SCALE.md). Every server binds 127.0.0.1 on a free port, keeps its files in a temporary
folder, and is stopped (its whole process group) and removed on exit; `Cluster.processes()`
lists what is still running, so a caller can check that nothing was left behind.

- PostgreSQL: the Debian binaries (initdb, pg_ctl). PostgreSQL refuses to run as root, so as
  root the cluster belongs to the `postgres` user, in a folder of its own; trust authentication
  on 127.0.0.1 only.
- S3: moto's server mode (`moto_server`), one bucket created through pyarrow's S3 filesystem.
- Dask: `dask scheduler` and `dask worker` command lines, each worker with its nanny (which
  restarts a worker that dies, as in production); the first worker also offers the `warehouse`
  resource, as the machine beside DISPATCHES_HOME would.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent
S3_ENV = {"AWS_ACCESS_KEY_ID": "dispatches", "AWS_SECRET_ACCESS_KEY": "dispatches", "AWS_DEFAULT_REGION": "us-east-1",
          "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"}


def _exe(name: str) -> str:
    """A console script of this environment (the venv's dask, moto_server, dispatches), else PATH's."""
    return str(BIN / name) if (BIN / name).exists() else name


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(check, what: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode} before it was ready")
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{what} not ready after {timeout:.0f} s")


def _stop(proc: subprocess.Popen, timeout: float = 20.0, sig: int = signal.SIGTERM) -> None:
    """Stop a process and everything it started (its own process group): `sig`, then SIGKILL."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=timeout)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pass


def _group_alive(pgid: int) -> bool:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == pgid:
                    state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                    if state != "Z":
                        return True
            except (OSError, IndexError):
                continue
    return False


@dataclass
class Cluster:
    """What is running: addresses, the environment a process of the job needs, the processes."""

    postgres_url: str = ""
    s3_endpoint: str = ""
    bucket: str = ""
    scheduler: str = ""
    workers: list[subprocess.Popen] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)  # process groups started (one per server)

    def env(self) -> dict[str, str]:
        """Settings for any process of the job (CLI, Dask workers): the instance's database and
        the S3 endpoint, as a researcher's machines would have them."""
        out = dict(S3_ENV)
        if self.postgres_url:
            out["DISPATCHES_POSTGRES_URL"] = self.postgres_url
        if self.s3_endpoint:
            out["AWS_ENDPOINT_URL"] = self.s3_endpoint
        if self.scheduler:
            out["DISPATCHES_DASK_SCHEDULER"] = self.scheduler
        return out

    def processes(self) -> list[int]:
        """Process groups of this cluster that still have a live process."""
        return [g for g in self.groups if _group_alive(g)]


def _spawn(cmd: list[str], log: Path, env: dict[str, str] | None = None, user: str | None = None) -> subprocess.Popen:
    if user:
        cmd = ["runuser", "-u", user, "--", *cmd]
    with open(log, "ab") as out:
        return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)


@contextmanager
def postgres(cluster: Cluster):
    """A throwaway PostgreSQL server; sets cluster.postgres_url."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if not initdb or not pg_ctl:
        raise FileNotFoundError("PostgreSQL's initdb and pg_ctl are not on PATH (Debian: apt install postgresql)")
    root = Path(tempfile.mkdtemp(prefix="dispatches-pg-"))
    user = "postgres" if os.geteuid() == 0 else None
    if user:
        shutil.chown(root, user=user)
    port = free_port()
    data = root / "data"
    try:
        run = subprocess.run((["runuser", "-u", user, "--"] if user else []) + [
            initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"],
            capture_output=True, text=True, timeout=120)
        if run.returncode:
            raise RuntimeError(f"initdb failed: {run.stderr[-2000:]}")
        server = _spawn([str(Path(os.path.realpath(pg_ctl)).with_name("postgres")), "-D", str(data),
                         "-p", str(port), "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={root}",
                         "-c", "fsync=off", "-c", "max_connections=200"], root / "postgres.log", user=user)
        cluster.groups.append(server.pid)
        cluster.postgres_url = f"postgresql+psycopg2://postgres@127.0.0.1:{port}/postgres"
        _wait(lambda: _pg_ready(port), "PostgreSQL", proc=server)
        yield cluster
    finally:
        if "server" in locals():
            _stop(server, sig=signal.SIGINT)  # PostgreSQL's fast shutdown
        shutil.rmtree(root, ignore_errors=True)


def _pg_ready(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=1):
        pass
    import psycopg2

    psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres", connect_timeout=2).close()
    return True


@contextmanager
def s3(cluster: Cluster, bucket: str = "dispatches"):
    """moto's S3 server on 127.0.0.1 with one bucket; sets cluster.s3_endpoint and .bucket."""
    root = Path(tempfile.mkdtemp(prefix="dispatches-s3-"))
    port = free_port()
    server = _spawn([_exe("moto_server"), "-H", "127.0.0.1", "-p", str(port)], root / "moto.log")
    cluster.groups.append(server.pid)
    try:
        endpoint = f"http://127.0.0.1:{port}"
        _wait(lambda: urllib.request.urlopen(endpoint + "/", timeout=2).status == 200, "moto S3 server", proc=server)
        import pyarrow.fs as pafs

        fs = pafs.S3FileSystem(access_key=S3_ENV["AWS_ACCESS_KEY_ID"], secret_key=S3_ENV["AWS_SECRET_ACCESS_KEY"],
                               region=S3_ENV["AWS_DEFAULT_REGION"], endpoint_override=endpoint, allow_bucket_creation=True)
        fs.create_dir(bucket)
        cluster.s3_endpoint, cluster.bucket = endpoint, bucket
        yield cluster
    finally:
        _stop(server)
        shutil.rmtree(root, ignore_errors=True)


def s3_keys(cluster: Cluster, prefix: str = "") -> list[str]:
    """Every object (file) under s3://bucket/prefix, as bucket-relative paths."""
    import pyarrow.fs as pafs

    fs = pafs.S3FileSystem(access_key=S3_ENV["AWS_ACCESS_KEY_ID"], secret_key=S3_ENV["AWS_SECRET_ACCESS_KEY"],
                           region=S3_ENV["AWS_DEFAULT_REGION"], endpoint_override=cluster.s3_endpoint)
    infos = fs.get_file_info(pafs.FileSelector(f"{cluster.bucket}/{prefix}".rstrip("/"), recursive=True, allow_not_found=True))
    return sorted(i.path.removeprefix(cluster.bucket + "/") for i in infos if i.type == pafs.FileType.File)


@contextmanager
def dask(cluster: Cluster, n_workers: int, worker_env: dict[str, str], warehouse_worker: bool = True):
    """`dask scheduler` and n_workers `dask worker`s (one thread each, with a nanny), the first
    offering the `warehouse` resource; sets cluster.scheduler and .workers."""
    root = Path(tempfile.mkdtemp(prefix="dispatches-dask-"))
    exe = _exe("dask")
    port = free_port()
    procs: list[subprocess.Popen] = []
    try:
        scheduler = _spawn([exe, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                           root / "scheduler.log", env={**os.environ, **worker_env})
        procs.append(scheduler)
        cluster.groups.append(scheduler.pid)
        cluster.scheduler = f"tcp://127.0.0.1:{port}"
        _wait(lambda: socket.create_connection(("127.0.0.1", port), timeout=1).close() is None, "Dask scheduler", proc=scheduler)
        for i in range(n_workers):
            cluster.workers.append(start_worker(cluster, i, worker_env, root, warehouse=warehouse_worker and i == 0))
            procs.append(cluster.workers[-1])
        wait_for_workers(cluster, n_workers)
        yield cluster
    finally:
        for p in reversed(procs):
            _stop(p)
        shutil.rmtree(root, ignore_errors=True)


def start_worker(cluster: Cluster, i: int, worker_env: dict[str, str], root: Path, warehouse: bool = False) -> subprocess.Popen:
    cmd = [_exe("dask"), "worker", cluster.scheduler, "--nthreads", "1", "--nworkers", "1", "--name", f"w{i}",
           "--no-dashboard", "--host", "127.0.0.1", "--local-directory", str(root / f"w{i}")]
    if warehouse:
        cmd += ["--resources", "warehouse=1"]
    proc = _spawn(cmd, root / f"worker{i}.log", env={**os.environ, **worker_env})
    cluster.groups.append(proc.pid)
    return proc


def wait_for_workers(cluster: Cluster, n: int, timeout: float = 180.0) -> None:
    import dask.distributed

    with dask.distributed.Client(cluster.scheduler, timeout="30s") as client:
        client.wait_for_workers(n, timeout=timeout)


def worker_pids(cluster: Cluster) -> dict[str, int]:
    """Dask worker name -> pid of the worker process (the nanny's child)."""
    import dask.distributed

    with dask.distributed.Client(cluster.scheduler, timeout="30s") as client:
        names = {addr: info["name"] for addr, info in client.scheduler_info(n_workers=-1)["workers"].items()}
        return {names[addr]: pid for addr, pid in client.run(os.getpid).items()}


def tasks_processing(cluster: Cluster) -> dict[str, list[str]]:
    """Dask worker name -> keys of the tasks it is running now."""
    import dask.distributed

    with dask.distributed.Client(cluster.scheduler, timeout="30s") as client:
        names = {addr: info["name"] for addr, info in client.scheduler_info(n_workers=-1)["workers"].items()}
        return {names.get(addr, addr): [str(k) for k in keys] for addr, keys in client.processing().items()}


# ---------------------------------------------------------------------------------------------
# python -m benchmarks.cluster: the figures of docs/SCALE.md
# ---------------------------------------------------------------------------------------------

def run_on_cluster(corpus: Path, home: Path, n_workers: int, batches: int) -> dict:
    """One `dispatches run --executor dask` of corpus on a fresh cluster of n_workers; its timing."""
    staging_prefix = f"staging-{home.name}"
    with ExitStack() as stack:
        cluster = Cluster()
        stack.enter_context(postgres(cluster))
        stack.enter_context(s3(cluster))
        env = {**os.environ, **cluster.env(), "DISPATCHES_HOME": str(home), "DAGSTER_HOME": str(home / "dagster"),
               "DISPATCHES_STAGING": f"s3://{cluster.bucket}/{staging_prefix}", "DISPATCHES_EXTRACT_WORKERS": "1"}
        env.pop("DISPATCHES_DASK_SCHEDULER", None)
        stack.enter_context(dask(cluster, n_workers, {k: env[k] for k in env if k.startswith(("DISPATCHES_", "DAGSTER_", "AWS_"))}))
        t0 = time.perf_counter()
        out = subprocess.run([_exe("dispatches"), "run", "--quiet", str(corpus), "--batches", str(batches), "--executor", "dask",
                              "--scheduler", cluster.scheduler], env=env, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if out.returncode:
            raise RuntimeError(f"dispatches run failed ({out.returncode}): {out.stderr[-3000:]}")
        staged = len(s3_keys(cluster, staging_prefix))
    return {"workers": n_workers, "batches": batches, "wall_s": round(wall, 1), "staged_files": staged}


def main(argv: list[str] | None = None) -> int:
    from benchmarks.corpus import write_corpus

    ap = argparse.ArgumentParser(prog="python -m benchmarks.cluster",
                                 description="articles/s of `dispatches run --executor dask` on a local cluster, and locally")
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--words", type=int, default=200, help="words per article (the generator's)")
    ap.add_argument("--batches", type=int, default=4)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--json", dest="json_out")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="dispatches-cluster-bench-"))
    try:
        corpus = tmp / "corpus"
        write_corpus(corpus, args.articles, n_files=1, words=args.words)
        rows = []
        for w in args.workers:
            r = run_on_cluster(corpus, tmp / f"home-{w}", w, args.batches)
            r["articles"] = args.articles
            r["articles_per_s"] = round(args.articles / r["wall_s"], 1)
            rows.append(r)
            print(f"{w} Dask worker(s), {args.batches} batches, {args.articles} articles: {r['wall_s']} s = "
                  f"{r['articles_per_s']} articles/s ({r['staged_files']} files staged on S3)", flush=True)
        for w in args.workers:  # the same input, the same batches, on this machine alone
            home = tmp / f"local-{w}"
            env = {**os.environ, "DISPATCHES_HOME": str(home), "DAGSTER_HOME": str(home / "dagster"), "DISPATCHES_STAGING": ""}
            for k in ("DISPATCHES_POSTGRES_URL", "DISPATCHES_DASK_SCHEDULER"):
                env.pop(k, None)
            t0 = time.perf_counter()
            out = subprocess.run([_exe("dispatches"), "run", "--quiet", str(corpus), "--batches", str(args.batches), "--workers", str(w)],
                                 env=env, capture_output=True, text=True)
            wall = time.perf_counter() - t0
            if out.returncode:
                raise RuntimeError(f"local dispatches run failed ({out.returncode}): {out.stderr[-3000:]}")
            rows.append({"local_workers": w, "batches": args.batches, "articles": args.articles, "wall_s": round(wall, 1),
                         "articles_per_s": round(args.articles / wall, 1)})
            print(f"local, --workers {w}, {args.batches} batches (multiprocess executor, SQLite instance): {wall:.1f} s = "
                  f"{args.articles / wall:.1f} articles/s", flush=True)
        if args.json_out:
            Path(args.json_out).write_text(json.dumps(rows, indent=2), encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
