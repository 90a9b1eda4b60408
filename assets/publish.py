"""Publish asset: Parquet exports and the read-only research database, after every batch."""


from datetime import datetime, timezone

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from assets import warehouse
from assets.partitions import batches_partitions
from assets.preview import markdown_preview
from assets.resources import DispatchesHome
from pipelines.extract import EXTRACTOR_VERSION


@asset(
    partitions_def=batches_partitions, group_name="publish", kinds={"duckdb", "parquet"},
    deps=list(warehouse.INGEST_TABLES) + list(warehouse.FACT_TABLES) + list(warehouse.EVENT_TABLES), pool="warehouse",
)
def research_db(context: AssetExecutionContext, dispatches: DispatchesHome) -> MaterializeResult:
    """One file: research.duckdb, a complete read-only copy of every table for researchers, rebuilt
    after each batch and swapped in atomically (open sessions keep the previous copy), plus one
    Parquet file per table and batch under exports/<table>/batch_id=<batch>/."""
    batch_id = context.partition_key
    with dispatches.warehouse() as con:
        files = warehouse.export_batch_parquet(con, dispatches.exports, batch_id)
        batches = [r[0] for r in con.execute("SELECT batch_id FROM batches ORDER BY registered_at").fetchall()]
        counts = warehouse.publish_research_db(con, dispatches.research_path, {
            "schema_version": warehouse.SCHEMA_VERSION,
            "extractor_version": EXTRACTOR_VERSION,
            "published_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "batches": batches,
        })
    rows = [{"table": t, "rows": n} for t, n in counts.items()]
    return MaterializeResult(metadata={
        "batch_id": batch_id,
        "research_db": MetadataValue.path(str(dispatches.research_path)),
        "exports": MetadataValue.path(str(dispatches.exports)),
        "parquet_files_written": len(files),
        "dagster/row_count": counts.get("articles", 0),
        "row_counts": MetadataValue.md(markdown_preview(rows, ["table", "rows"], limit=len(rows))),
    })
