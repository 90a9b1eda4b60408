"""Ingest assets: one batch of files into `articles`, `duplicates` and `rejects`."""


from collections import Counter
from datetime import timezone

from dagster import AssetExecutionContext, AssetSpec, MaterializeResult, MetadataValue, multi_asset

from assets import checks, progress, staging, warehouse
from assets.partitions import batches_partitions
from assets.preview import markdown_preview
from assets.resources import DispatchesHome
from pipelines import batches
from pipelines.ingest import Reject, ingest

INGEST_SPECS = [
    AssetSpec(
        "articles", group_name="ingest", kinds={"duckdb", "parquet"},
        description="One row per distinct article text, first time seen; normalised text that every evidence offset points into.",
    ),
    AssetSpec(
        "duplicates", group_name="ingest", kinds={"duckdb", "parquet"},
        description="One row per input record whose text was already ingested (keeps every URL and source of a report).",
    ),
    AssetSpec(
        "rejects", group_name="ingest", kinds={"duckdb", "parquet"},
        description="One row per input file or record that could not be ingested, with a reason code and detail.",
    ),
]


@multi_asset(specs=INGEST_SPECS, check_specs=[checks.REJECT_SHARE], partitions_def=batches_partitions, pool="warehouse")
def ingest_batch(context: AssetExecutionContext, dispatches: DispatchesHome):
    """Read the batch's files (its manifest under DISPATCHES_HOME/batches/) and write articles,
    duplicates and rejects for the batch, replacing what a previous run of it wrote."""
    batch_id = context.partition_key
    manifest = batches.read_manifest(dispatches.root, batch_id)
    with dispatches.warehouse() as con:
        warehouse.register_batch(con, batch_id, manifest.paths, len(manifest.files), manifest.origin)
        registered_at = warehouse.batch_registered_at(con, batch_id)
        known = warehouse.known_article_ids(con, batch_id)
    registered_at = registered_at.astimezone(timezone.utc)

    # The files listed when the batch was registered, not what the folders hold now: a re-run
    # of an old batch must not take in files added since. Of a file split over several batches,
    # only this batch's range of records (the manifest's `records`).
    result = ingest(
        manifest.files, batch_id, ingested_at=registered_at, known_article_ids=known,
        listing_rejects=[Reject(path, "", reason, detail) for path, reason, detail in manifest.unreadable],
        limits=dispatches.limits, on_record=lambda n: progress.report("ingest", n, 0),
        records=manifest.record_ranges(),
    )
    with dispatches.warehouse() as con:
        for table in warehouse.INGEST_TABLES:
            warehouse.replace_batch(con, table, batch_id, getattr(result, table))
        progress.pause_point("ingest")  # test hook (assets/progress.py); a no-op unless set
        # The batch's articles, typed as in the warehouse, for the extraction step (which never
        # opens the warehouse, so several batches can be extracted at once).
        staged = con.sql("SELECT * FROM articles WHERE batch_id = ? ORDER BY article_id", params=[batch_id]).to_arrow_table()
        share_check = checks.reject_share(con, batch_id, dispatches.max_reject_share)
    staging.clear_temporaries(dispatches.staging, batch_id)
    staging.write(dispatches.staging, batch_id, "articles", staged)
    counts = result.counts
    context.log.info(f"batch {batch_id}: {counts}")
    reasons = Counter(r["reason"] for r in result.rejects)
    common = {"batch_id": batch_id, **{f"n_{k}": v for k, v in counts.items()}}
    yield MaterializeResult(
        asset_key="articles",
        metadata={
            **common,
            "dagster/row_count": counts["articles"],
            "n_non_english": sum(1 for a in result.articles if not a["is_english"]),
            "n_words": sum(a["n_words"] for a in result.articles),
            "preview": MetadataValue.md(markdown_preview(
                result.articles, ["article_id", "title", "source", "published_at", "language", "n_words"])),
        },
    )
    yield MaterializeResult(
        asset_key="duplicates",
        metadata={**common, "dagster/row_count": counts["duplicates"],
                  "preview": MetadataValue.md(markdown_preview(result.duplicates, ["article_id", "url", "input_path"]))},
    )
    yield MaterializeResult(
        asset_key="rejects",
        metadata={
            **common, "dagster/row_count": counts["rejects"],
            "reasons": MetadataValue.json(dict(reasons)),
            "preview": MetadataValue.md(markdown_preview(result.rejects, ["reason", "input_path", "input_record", "detail"])),
        },
    )
    yield share_check
