"""The `dispatches` command line: a thin face over the Dagster Definitions.

`run` materializes the same job the UI shows, in the same Dagster instance (so runs appear in the
UI's run history); `query`, `export` and `status` read research.duckdb read-only; `ui` starts the
Dagster UI. No extraction or storage logic lives here.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from importlib import resources as importlib_resources
from pathlib import Path


def _home() -> Path:
    home = Path(os.environ.get("DISPATCHES_HOME", "data")).absolute()
    os.environ["DISPATCHES_HOME"] = str(home)
    os.environ.setdefault("DAGSTER_HOME", str(home / "dagster"))
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    dagster_yaml = Path(os.environ["DAGSTER_HOME"]) / "dagster.yaml"
    if not dagster_yaml.exists():
        dagster_yaml.write_text(instance_yaml(bool(os.environ.get(POSTGRES_ENV, "").strip())), encoding="utf-8")
    return home


POSTGRES_ENV = "DISPATCHES_POSTGRES_URL"


def instance_yaml(postgres: bool = False) -> str:
    """The dagster.yaml the CLI writes into a new DAGSTER_HOME.

    - No telemetry, and no first-visit newsletter prompt (the UI opens on the asset graph).
    - One step at a time in the "warehouse" pool: DuckDB has one writer, and two batches ingesting
      the same new text at once would race on the articles primary key.
    - With `postgres`, run, event and schedule storage in the PostgreSQL database named by
      $DISPATCHES_POSTGRES_URL (read by every process that opens the instance: the CLI, the UI,
      the daemon, Dask workers), so the pool limit holds for every machine sharing it."""
    text = "telemetry:\n  enabled: false\nnux:\n  enabled: false\nconcurrency:\n  pools:\n    default_limit: 1\n"
    if postgres:
        text += f"storage:\n  postgres:\n    postgres_url:\n      env: {POSTGRES_ENV}\n"
    return text


def sample_corpus() -> Path:
    return Path(str(importlib_resources.files("pipelines") / "sample_corpus" / "articles"))


# ---------------------------------------------------------------------------------------------
# run
# ---------------------------------------------------------------------------------------------

def cmd_run(args: argparse.Namespace) -> int:
    home = _home()
    from dagster import DagsterInstance
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from assets import progress as progress_hook
    from assets import runs
    from assets.definitions import defs
    from pipelines import batches

    console = Console(stderr=True)
    paths = args.paths or [str(sample_corpus())]
    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:
        console.print(f"[red]no such file or folder:[/red] {', '.join(missing)}")
        return 2
    if args.batches < 1 or (args.workers is not None and args.workers < 1):
        console.print("[red]--batches and --workers must be at least 1[/red]")
        return 2
    parts = batches.split_manifest(batches.make_manifest(paths, origin="cli"), args.batches)
    for manifest in parts:
        batches.write_manifest(home, manifest)
    batch_ids = [m.batch_id for m in parts]
    instance = DagsterInstance.get()
    for run_id in runs.fail_dead_runs(instance):
        console.print(f"[yellow]run {run_id[:8]} had been killed; marked failed and its warehouse slot freed[/yellow]")
    new_ids = [b for b in batch_ids if not instance.has_dynamic_partition("batches", b)]
    if new_ids:
        instance.add_dynamic_partitions("batches", new_ids)

    if args.executor == "dask":
        from assets.executors import SCHEDULER_ENV, dask_run_config, dask_workers

        address = args.scheduler or os.environ.get(SCHEDULER_ENV, "").strip()
        if not address:
            console.print(f"[red]--executor dask needs --scheduler ADDRESS (or ${SCHEDULER_ENV})[/red]")
            return 2
        try:
            n_workers = dask_workers(address)
        except OSError as exc:
            console.print(f"[red]no Dask scheduler at {address}:[/red] {exc}")
            return 1
        # Every batch a run whose steps are tasks on the cluster; as many runs at once as the
        # cluster has workers (--workers to choose), each extracting with what its worker has
        # (0: $DISPATCHES_EXTRACT_WORKERS on the worker, else its CPUs).
        at_once = max(1, min(len(batch_ids), args.workers or n_workers))
        return _run_many(home, batch_ids, args, console, at_once, 0, dask_run_config(address)["execution"])
    at_once, extract_workers = share_workers(args.workers, len(batch_ids))
    if len(batch_ids) > 1:
        return _run_many(home, batch_ids, args, console, at_once, extract_workers)

    from assets.facts import extraction_run_config

    job = defs.resolve_job_def("process_batch")
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=console, transient=False, disable=args.quiet,
    ) as bar:
        tasks: dict[str, int] = {}

        def listener(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(f"{stage:<8}", total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        progress_hook.set_listener(listener)
        try:
            result = job.execute_in_process(
                instance=instance, partition_key=batch_ids[0], raise_on_error=False,
                tags=runs.run_tags("cli"),
                run_config={"loggers": {"console": {"config": {"log_level": args.log_level}}},
                            **extraction_run_config(extract_workers)},
            )
        finally:
            progress_hook.set_listener(None)
    if not result.success:
        console.print(f"[red]run {result.run_id} failed[/red]; see `dispatches ui` for the logs")
        for event in result.all_events:
            if event.is_step_failure:
                console.print(str(event.step_failure_data.error.message if event.step_failure_data else event.message))
        return 1
    _print_summary(home, batch_ids, [result.run_id])
    return 0


def share_workers(workers: int | None, n_batches: int) -> tuple[int, int]:
    """(batches run at once, extraction processes of each) for `--workers` processes in all
    (default: the CPU count) over n_batches batches: min(batches, workers) at once, each
    extracting with workers // that many, so the runs never start more extraction processes
    than `workers` together."""
    from pipelines.extract import default_workers

    total = workers or default_workers()
    at_once = max(1, min(n_batches, total))
    return at_once, max(1, total // at_once)


def _run_many(home: Path, batch_ids: list[str], args: argparse.Namespace, console, at_once: int,
              extract_workers: int, execution: dict | None = None) -> int:
    """Batches as runs launched from worker processes (assets/runs.py), under the multiprocess
    executor or the given `execution` config (the Dask executor)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from assets import runs

    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=console, transient=False, disable=args.quiet,
    ) as bar:
        where = (f"{extract_workers} extraction process{'es' if extract_workers > 1 else ''} each" if execution is None
                 else "on the Dask cluster")
        task = bar.add_task(f"batches ({at_once} at once, {where})", total=len(batch_ids))
        done = runs.execute_batches(batch_ids, at_once, args.log_level, on_done=lambda r: bar.advance(task),
                                    extract_workers=extract_workers, execution=execution)
    failed = [r for r in done if not r.success]
    for r in failed:
        console.print(f"[red]batch {r.batch_id} failed[/red] (run {r.run_id[:8] or '-'}): {r.error}")
    if len(failed) == len(done):
        return 1
    _print_summary(home, [r.batch_id for r in done if r.success], [r.run_id for r in done if r.success])
    return 1 if failed else 0


def _print_summary(home: Path, batch_ids: list[str], run_ids: list[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    from assets import warehouse

    with warehouse.connect(home / "research.duckdb", read_only=True) as con:
        this = {t: 0 for t in warehouse.TABLES[1:]}
        for b in batch_ids:
            for t, n in warehouse.row_counts(con, warehouse.TABLES[1:], batch_id=b).items():
                this[t] += n
        total = warehouse.row_counts(con, warehouse.TABLES[1:])
        reasons = con.execute(
            "SELECT reason, count(*) FROM rejects WHERE batch_id IN (SELECT unnest(?)) GROUP BY reason ORDER BY 2 DESC",
            [batch_ids],
        ).fetchall()
    if len(batch_ids) == 1:
        title = f"batch {batch_ids[0]} (run {run_ids[0][:8]})"
    else:
        title = f"{len(batch_ids)} batches ({', '.join(b for b in batch_ids[:3])}{', ...' if len(batch_ids) > 3 else ''})"
    table = Table(title=title)
    table.add_column("table")
    table.add_column("this run" if len(batch_ids) > 1 else "this batch", justify="right")
    table.add_column("all batches", justify="right")
    for t in this:
        table.add_row(t, str(this[t]), str(total[t]))
    console = Console()
    console.print(table)
    if reasons:
        console.print("rejects: " + ", ".join(f"{r} {n}" for r, n in reasons))
    console.print(f"research database: {home / 'research.duckdb'}")
    console.print(f"Parquet exports:   {home / 'exports'}")
    console.print(f"Dagster instance:  {os.environ['DAGSTER_HOME']} (dispatches ui)")


# ---------------------------------------------------------------------------------------------
# query, export, status
# ---------------------------------------------------------------------------------------------

def _research(home: Path):
    """research.duckdb opened read-only, with file access disabled: a query can neither write
    nor read or attach any other file."""
    import duckdb

    path = home / "research.duckdb"
    if not path.exists():
        raise SystemExit(f"{path} does not exist yet: run `dispatches run` first")
    # read_only: no write to research.duckdb; enable_external_access false: no other file or URL
    # (read_csv, COPY TO, ATTACH, EXPORT DATABASE) and no extension install or load;
    # autoload/autoinstall off so no extension is fetched behind a query; then the
    # configuration is locked so a query cannot SET any of this back.
    con = duckdb.connect(str(path), read_only=True, config={
        "enable_external_access": False,
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
    })
    con.execute("SET lock_configuration = true")
    return con


def _write_table(arrow_table, fmt: str, out: str | None) -> None:
    import polars as pl

    df = pl.from_arrow(arrow_table)
    if fmt == "parquet":
        if not out:
            raise SystemExit("--format parquet needs --out FILE")
        df.write_parquet(out)
    elif fmt == "csv":
        from assets.exporting import csv_frame

        df = csv_frame(arrow_table)
        if out:
            df.write_csv(out)
        else:
            sys.stdout.write(df.write_csv())
    elif fmt == "json":
        text = json.dumps(df.to_dicts(), default=str, ensure_ascii=False, indent=1)
        if out:
            Path(out).write_text(text + "\n", encoding="utf-8")
        else:
            print(text)
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(show_lines=False)
        for c in df.columns:
            table.add_column(c, overflow="fold")
        for row in df.head(200).iter_rows():
            table.add_row(*("" if v is None else str(v) for v in row))
        wide = out is not None or not sys.stdout.isatty()
        console = Console(file=open(out, "w", encoding="utf-8") if out else None, width=220 if wide else None)
        console.print(table)
        if df.height > 200:
            console.print(f"({df.height} rows; first 200 shown; use --format csv for all)")


def cmd_query(args: argparse.Namespace) -> int:
    import duckdb

    con = _research(_home())
    try:
        rel = con.sql(args.sql)
        if rel is None:  # an empty statement, or one that returns no result
            print("query failed: the statement returns no result", file=sys.stderr)
            return 1
        tbl = rel.to_arrow_table()
    except duckdb.Error as exc:
        print(f"query failed: {exc}", file=sys.stderr)
        return 1
    _write_table(tbl, args.format, args.out)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from assets import warehouse
    from assets.exporting import export_table

    try:
        table = warehouse.table_ident(args.table)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    con = _research(_home())
    try:
        meta = export_table(con, table, args.format, Path(args.out), partition_by_month=args.by_month)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"{meta['rows']} rows of {table} -> {args.out} (with a data dictionary and metadata beside it)")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from assets import warehouse

    home = _home()
    con = _research(home)
    counts = warehouse.row_counts(con)
    last = con.execute("SELECT batch_id, registered_at, origin, n_files FROM batches ORDER BY registered_at DESC LIMIT 1").fetchone()
    reasons = con.execute("SELECT reason, count(*) FROM rejects GROUP BY reason ORDER BY 2 DESC").fetchall()
    console = Console()
    table = Table(title=f"dispatches at {home}")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for t, n in counts.items():
        table.add_row(t, str(n))
    console.print(table)
    if last:
        console.print(f"last batch: {last[0]} registered {last[1]} by {last[2]} ({last[3]} files)")
    console.print("rejects by reason: " + (", ".join(f"{r} {n}" for r, n in reasons) or "none"))
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    _home()
    argv = ["dagster", "dev", "-m", "assets.definitions", "-h", args.host, "-p", str(args.port)]
    exe = Path(sys.executable).with_name("dagster")
    os.execv(str(exe), argv) if exe.exists() else os.execvp("dagster", argv)
    return 0  # not reached


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dispatches", description="News articles in, traceable event data out.")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="ingest, extract and publish files or folders (default: the bundled sample corpus)")
    r.add_argument("paths", nargs="*")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.add_argument("--log-level", default="WARNING", help="Dagster console log level (DEBUG shows every event)")
    r.add_argument("--batches", type=int, default=1, metavar="N",
                   help="split the input into N batches (Dagster partitions) of about as many records each, "
                        "cutting large JSON-lines, WARC, feed and JSON-list files by record ranges")
    r.add_argument("--workers", type=int, default=None, metavar="W",
                   help="processes to use in all (default: the CPU count): one batch extracts with W processes; "
                        "several run min(N, W) at once, each with Dagster's multiprocess executor and W // that "
                        "many extraction processes")
    r.add_argument("--executor", choices=["local", "dask"], default="local",
                   help="local (default): this machine, as --workers says; dask: every step a task on the Dask "
                        "cluster at --scheduler (docs/SCALE.md)")
    r.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="the Dask scheduler, tcp://HOST:8786 (default: $DISPATCHES_DASK_SCHEDULER)")
    r.set_defaults(func=cmd_run)
    q = sub.add_parser("query", help="run SQL on research.duckdb (read-only)")
    q.add_argument("sql")
    q.add_argument("--format", choices=["table", "csv", "json", "parquet"], default="table")
    q.add_argument("--out")
    q.set_defaults(func=cmd_query)
    e = sub.add_parser("export", help="write one table to Parquet or CSV")
    e.add_argument("table")
    e.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    e.add_argument("--out", required=True, help="a file, or a folder with --by-month")
    e.add_argument("--by-month", action="store_true", help="Parquet only: hive-partitioned by year and month of event_date")
    e.set_defaults(func=cmd_export)
    s = sub.add_parser("status", help="rows per table, last batch, rejects by reason")
    s.set_defaults(func=cmd_status)
    u = sub.add_parser("ui", help="start the Dagster UI on this workspace and instance")
    u.add_argument("--host", default="127.0.0.1")
    u.add_argument("--port", type=int, default=3000)
    u.set_defaults(func=cmd_ui)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
