"""Extraction assets: one batch's English articles into the six fact tables."""


import os
from collections import Counter

import duckdb
from dagster import AssetExecutionContext, AssetSpec, Config, MaterializeResult, MetadataValue, multi_asset
from pydantic import Field

from assets import checks, progress, staging, warehouse
from assets.partitions import batches_partitions
from assets.preview import markdown_bars, markdown_preview
from assets.resources import DispatchesHome
from pipelines.extract import EXTRACTOR_VERSION, default_workers, extract_chunks

WORKERS_ENV = "DISPATCHES_EXTRACT_WORKERS"

PREVIEW_COLUMNS = {
    "strikes": ["attacker", "target", "location", "country", "weapon", "killed", "certainty", "event_date"],
    "visits": ["visitor", "visitor_country", "destination", "destination_country", "status", "event_date"],
    "arms_sales": ["seller", "buyer", "items", "value_usd", "status", "certainty"],
    "killings": ["victim", "victim_role", "killed", "perpetrator", "location", "certainty"],
    "quotes": ["speaker", "speaker_org", "quote"],
    "mentions": ["mention", "kind", "canonical", "iso3"],
}
CHARTED = ("strikes", "killings")  # tables whose materialization charts rows per country and month
FACT_SPECS = [
    AssetSpec(
        table, group_name="facts", kinds={"duckdb", "parquet"}, deps=["articles"],
        code_version=EXTRACTOR_VERSION,
        description="One row per " + warehouse.table_grain(table).removeprefix("one row per "),
    )
    for table in warehouse.FACT_TABLES
]


class _TableSummary:
    """What a fact table's materialization reports, gathered chunk by chunk as the rows stream past:
    the count, the first PREVIEW_ROWS rows in article order, certainty counts, and (strikes,
    killings) counts per country and month."""

    PREVIEW_ROWS = 10

    def __init__(self, chart: bool = False) -> None:
        self.chart = chart
        self.count = 0
        self.heads: dict[int, list[dict]] = {}  # chunk index -> its first rows
        self.certainty: Counter = Counter()
        self.per_country_month: Counter = Counter()

    def add(self, chunk: int, rows: list[dict]) -> None:
        self.count += len(rows)
        if rows:
            self.heads[chunk] = rows[:self.PREVIEW_ROWS]
            # keep only the chunks that can still hold one of the first rows
            kept, seen = {}, 0
            for i in sorted(self.heads):
                if seen >= self.PREVIEW_ROWS:
                    break
                kept[i] = self.heads[i]
                seen += len(kept[i])
            self.heads = kept
        self.certainty.update(r["certainty"] for r in rows if "certainty" in r)
        if self.chart:
            self.per_country_month.update(f"{r.get('country') or '?'} {str(r.get('event_date') or '?')[:7]}" for r in rows)

    def first_rows(self) -> list[dict]:
        return [r for i in sorted(self.heads) for r in self.heads[i]][:self.PREVIEW_ROWS]


class ExtractConfig(Config):
    """Run configuration of extract_facts (the launchpad's ops.extract_facts.config)."""

    workers: int = Field(
        default=0, ge=0,
        description="Processes that extract this batch (this one and a pool of workers - 1, the model loaded once "
                    f"in each). 0: ${WORKERS_ENV} when set, else the CPU count. `dispatches run` sets it so that "
                    "batches running at once share the cores instead of oversubscribing them.",
    )


def extraction_run_config(workers: int) -> dict:
    """The run_config that makes a process_batch run extract with `workers` processes."""
    return {"ops": {"extract_facts": {"config": {"workers": workers}}}}


def resolve_workers(configured: int) -> int:
    """The run's setting, else DISPATCHES_EXTRACT_WORKERS, else the CPUs this process may use."""
    if configured > 0:
        return configured
    env = os.environ.get(WORKERS_ENV, "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return default_workers()


@multi_asset(specs=FACT_SPECS, check_specs=[checks.EVIDENCE, checks.ISO_CODES], partitions_def=batches_partitions)
def extract_facts(context: AssetExecutionContext, config: ExtractConfig, dispatches: DispatchesHome):
    """Run the extraction core (pipelines.extract) over the batch's English articles, staged by
    ingest, and stage one Parquet file per fact table for the events step to load into the
    warehouse. Non-English articles are skipped (kept, flagged).

    This step never opens warehouse.duckdb, so it takes no slot of the "warehouse" pool: the
    extraction of several batches runs in parallel (one process each under the multiprocess
    executor, one pod each under a Kubernetes executor) while DuckDB keeps one writer. The fact
    rows pass through an in-memory DuckDB built from sql/ddl, so the staged files carry the
    tables' exact types (an empty batch stages typed, empty files) and the blocking checks run
    the same SQL (sql/checks/) they would run on the warehouse.

    Within the batch, extraction spreads over `config.workers` processes (pipelines.extract:
    chunks of articles, the same rows whatever the number); a small batch stays in process."""
    batch_id = context.partition_key
    articles = staging.read(dispatches.staging, batch_id, "articles")
    english = [a for a in articles.select(["article_id", "batch_id", "text", "title", "published_at", "is_english", "dateline"]).to_pylist()
               if a["is_english"]]
    workers = resolve_workers(config.workers)
    summaries = {table: _TableSummary(chart=table in CHARTED) for table in warehouse.FACT_TABLES}
    with duckdb.connect(":memory:") as con:
        warehouse.ensure_schema(con)
        con.register("staged_articles", articles)
        con.execute("INSERT INTO articles BY NAME SELECT * FROM staged_articles")
        # each chunk of articles is written as soon as it is extracted and then dropped: the batch's
        # rows are held by DuckDB, in columns, not as Python dicts (see pipelines.extract.extract_chunks)
        for i, facts in extract_chunks(english, on_article=lambda n: progress.report("extract", n, len(english)), workers=workers):
            for table in warehouse.FACT_TABLES:
                warehouse.append_rows(con, table, facts[table])
                summaries[table].add(i, facts[table])
            del facts
        staging.clear_temporaries(dispatches.staging, batch_id)
        check_results = [checks.evidence_slices(con, batch_id), checks.country_codes(con, batch_id)]
        for table in warehouse.FACT_TABLES:
            t = warehouse.table_ident(table)
            staging.write(dispatches.staging, batch_id, t, con.sql(f"SELECT * FROM {t} ORDER BY fact_id").to_arrow_table())
            progress.pause_point("extract")  # test hook (assets/progress.py); a no-op unless set
    context.log.info(f"batch {batch_id}: {len(english)} English articles ({workers} extraction processes at most), " + ", ".join(f"{t}={summaries[t].count}" for t in warehouse.FACT_TABLES))
    for table in warehouse.FACT_TABLES:
        summary = summaries[table]
        metadata = {
            "batch_id": batch_id,
            "dagster/row_count": summary.count,
            "articles_read": len(english),
            "extractor_version": EXTRACTOR_VERSION,
            "preview": MetadataValue.md(markdown_preview(summary.first_rows(), PREVIEW_COLUMNS[table], total=summary.count)),
        }
        if summary.certainty:
            metadata["by_certainty"] = MetadataValue.json(dict(summary.certainty))
        if summary.chart:
            metadata["chart"] = MetadataValue.md(markdown_bars(dict(sorted(summary.per_country_month.items())), f"{table} per country and month"))
        yield MaterializeResult(asset_key=table, metadata=metadata)
    yield from check_results
