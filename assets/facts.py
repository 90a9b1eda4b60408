"""Extraction assets: one batch's English articles into the six fact tables."""


from collections import Counter

from dagster import AssetExecutionContext, AssetSpec, MaterializeResult, MetadataValue, multi_asset

from assets import checks, progress, warehouse
from assets.partitions import batches_partitions
from assets.preview import markdown_bars, markdown_preview
from assets.resources import DispatchesHome
from pipelines.extract import EXTRACTOR_VERSION, extract_articles

PREVIEW_COLUMNS = {
    "strikes": ["attacker", "target", "location", "country", "weapon", "killed", "certainty", "event_date"],
    "visits": ["visitor", "visitor_country", "destination", "destination_country", "status", "event_date"],
    "arms_sales": ["seller", "buyer", "items", "value_usd", "status", "certainty"],
    "killings": ["victim", "victim_role", "killed", "perpetrator", "location", "certainty"],
    "quotes": ["speaker", "speaker_org", "quote"],
    "mentions": ["mention", "kind", "canonical", "iso3"],
}
FACT_SPECS = [
    AssetSpec(
        table, group_name="facts", kinds={"duckdb", "parquet"}, deps=["articles"],
        code_version=EXTRACTOR_VERSION,
        description="One row per " + warehouse.table_grain(table).removeprefix("one row per "),
    )
    for table in warehouse.FACT_TABLES
]


@multi_asset(
    specs=FACT_SPECS, check_specs=[checks.EVIDENCE, checks.ISO_CODES], partitions_def=batches_partitions, pool="warehouse",
)
def extract_facts(context: AssetExecutionContext, dispatches: DispatchesHome):
    """Run the extraction core (pipelines.extract) over the batch's English articles and replace
    the batch's rows in every fact table. Non-English articles are skipped (kept, flagged)."""
    batch_id = context.partition_key
    with dispatches.warehouse() as con:
        articles = warehouse.batch_articles(con, batch_id)
    english = [a for a in articles if a["is_english"]]
    facts = extract_articles(english, on_article=lambda n: progress.report("extract", n, len(english)))
    with dispatches.warehouse() as con:
        for table in warehouse.FACT_TABLES:
            warehouse.replace_batch(con, table, batch_id, facts[table])
        check_results = [checks.evidence_slices(con, batch_id), checks.country_codes(con, batch_id)]
    context.log.info(f"batch {batch_id}: {len(english)} English articles, " + ", ".join(f"{t}={len(facts[t])}" for t in warehouse.FACT_TABLES))
    for table in warehouse.FACT_TABLES:
        rows = facts[table]
        metadata = {
            "batch_id": batch_id,
            "dagster/row_count": len(rows),
            "articles_read": len(english),
            "extractor_version": EXTRACTOR_VERSION,
            "preview": MetadataValue.md(markdown_preview(rows, PREVIEW_COLUMNS[table])),
        }
        if "certainty" in (rows[0] if rows else {}):
            metadata["by_certainty"] = MetadataValue.json(dict(Counter(r["certainty"] for r in rows)))
        if table in ("strikes", "killings"):
            per_country = Counter(f"{r.get('country') or '?'} {str(r.get('event_date') or '?')[:7]}" for r in rows)
            metadata["chart"] = MetadataValue.md(markdown_bars(dict(sorted(per_country.items())), f"{table} per country and month"))
        yield MaterializeResult(asset_key=table, metadata=metadata)
    yield from check_results
