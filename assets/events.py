"""Event assets: reports (fact rows) grouped into real-world events across articles and batches."""

from collections import Counter
from datetime import datetime, timezone

from dagster import AssetExecutionContext, AssetSpec, MaterializeResult, MetadataValue, multi_asset

from assets import checks, progress, staging, warehouse
from assets.partitions import batches_partitions
from assets.preview import markdown_bars, markdown_preview
from assets.resources import DispatchesHome
from pipelines import batches
from pipelines.events import FACT_TYPES, Event, Report, before_batches, event_row, group_batches, report_rows
from pipelines.extract import EXTRACTOR_VERSION

EVENT_SPECS = [
    AssetSpec("events", group_name="events", kinds={"duckdb", "parquet"}, deps=list(FACT_TYPES),
              code_version=EXTRACTOR_VERSION,
              description="One row per real-world event (strike, visit, arms sale, killing), grouping its reports across articles."),
    AssetSpec("event_reports", group_name="events", kinds={"duckdb", "parquet"}, deps=list(FACT_TYPES),
              code_version=EXTRACTOR_VERSION,
              description="One row per fact (report) grouped into an event, with its similarity to the event."),
]


def _reports(con, table: str, where: str, params: list) -> list[Report]:
    t = warehouse.table_ident(table)
    cur = con.execute(
        f"SELECT f.*, a.published_at AS _published_at, coalesce(a.source, a.url) AS _source "
        f"FROM {t} AS f JOIN articles AS a USING (article_id) WHERE {where}", params)
    names = [d[0] for d in cur.description]
    out = []
    for values in cur.fetchall():
        row = dict(zip(names, values))
        out.append(Report(row["fact_id"], table, row["article_id"], row["batch_id"], row.pop("_published_at"),
                          row.pop("_source"), row))
    return out


def batch_order(con, home) -> dict[str, int]:
    """Every batch's place in registration order: when its manifest was written (the first
    registration, kept by pipelines.batches.write_manifest), then its id. It depends on the
    input, never on which run finished first; a batch without a manifest file (removed by hand)
    falls back to its first ingest time."""
    keys = {}
    for batch_id, registered_at in con.execute("SELECT batch_id, registered_at FROM batches").fetchall():
        try:
            created = batches.read_manifest(home, batch_id).created_at
        except (OSError, ValueError, TypeError):
            created = None
        when = datetime.fromisoformat(created) if created else registered_at
        keys[batch_id] = (when.astimezone(timezone.utc), batch_id)
    return {b: i for i, b in enumerate(sorted(keys, key=keys.__getitem__))}


def load_events(con) -> list[Event]:
    """Every event in the warehouse with its reports."""
    links = con.execute("SELECT event_id, fact_id, fact_table, similarity FROM event_reports ORDER BY event_id, fact_id").fetchall()
    by_table: dict[str, list[str]] = {}
    for _, fact_id, table, _ in links:
        by_table.setdefault(table, []).append(fact_id)
    reports: dict[str, Report] = {}
    for table, ids in by_table.items():
        for r in _reports(con, table, "f.fact_id IN (SELECT unnest(?))", [ids]):
            reports[r.fact_id] = r
    events: dict[str, Event] = {}
    for event_id, fact_id, table, similarity in links:
        r = reports.get(fact_id)
        if r is None:
            continue
        e = events.setdefault(event_id, Event(event_id, r.type))
        e.reports.append(r)
        e.similarity[fact_id] = similarity
    return list(events.values())


def regroup(con, batch_id: str, rank: dict[str, int]) -> tuple[list[Event], dict[str, set[str]], list[str], int]:
    """The events after grouping `batch_id` in its place in registration order: the events of the
    batches registered before it, then this batch, then again every later batch already grouped.
    Returns (events, each stored event's fact ids before, the batches whose links are rewritten,
    reports in this batch)."""
    stored = load_events(con)
    before = {e.event_id: {r.fact_id for r in e.reports} for e in stored}
    mine = rank.get(batch_id, len(rank))
    grouped = {r.batch_id for e in stored for r in e.reports}
    later = sorted((b for b in grouped if b != batch_id and rank.get(b, len(rank)) > mine), key=lambda b: rank.get(b, len(rank)))
    earlier = grouped - set(later) - {batch_id}
    prefix = before_batches(stored, earlier, rank)
    todo = [batch_id, *later]
    new = [[r for table in FACT_TYPES for r in _reports(con, table, "f.batch_id = ?", [b])] for b in todo]
    return group_batches(new, prefix), before, todo, len(new[0])


def load_staged_facts(con, staging_uri: str, batch_id: str) -> dict[str, int] | None:
    """Replace the batch's rows of every fact table with the files extraction staged, in one
    transaction: the warehouse holds all of a batch's facts or none of the new ones. Returns
    rows per table, or None when nothing is staged (the warehouse rows are left as they are)."""
    if not all(staging.exists(staging_uri, batch_id, t) for t in warehouse.FACT_TABLES):
        return None
    tables = {t: staging.read(staging_uri, batch_id, t) for t in warehouse.FACT_TABLES}
    con.execute("BEGIN TRANSACTION")
    try:
        for t, tbl in tables.items():
            t = warehouse.table_ident(t)
            con.register("staged_facts", tbl)
            con.execute(f"DELETE FROM {t} WHERE batch_id = ?", [batch_id])
            con.execute(f"INSERT INTO {t} BY NAME SELECT * FROM staged_facts")
            con.unregister("staged_facts")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return {t: tbl.num_rows for t, tbl in tables.items()}


@multi_asset(specs=EVENT_SPECS, check_specs=[checks.EVENT_LINKS, checks.UNIQUE_IDS], partitions_def=batches_partitions, pool="warehouse")
def group_events(context: AssetExecutionContext, dispatches: DispatchesHome):
    """Load the batch's staged facts into the warehouse's fact tables, then attach its strikes,
    visits, arms sales and killings to existing events, or found new ones (rules:
    pipelines/events.py); recompute every touched event from all its reports."""
    batch_id = context.partition_key
    with dispatches.warehouse() as con:
        loaded = load_staged_facts(con, dispatches.staging, batch_id)
        progress.pause_point("load")  # test hook (assets/progress.py); a no-op unless set
        if loaded is None:
            context.log.warning(f"batch {batch_id}: no staged facts; grouping the fact rows already in the warehouse")
        events, before, rewritten, n_new = regroup(con, batch_id, batch_order(con, dispatches.root))
    touched = [e for e in events
               if {r.fact_id for r in e.reports} != before.get(e.event_id) or any(r.batch_id in rewritten for r in e.reports)]
    event_rows = [event_row(e) for e in touched]
    links = [row for e in touched for row in report_rows(e) if row["batch_id"] in rewritten]
    with dispatches.warehouse() as con:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("DELETE FROM event_reports WHERE batch_id IN (SELECT unnest(?))", [rewritten])
            if links:
                df = warehouse.frame(con, "event_reports", links)  # noqa: F841
                con.execute("INSERT INTO event_reports BY NAME SELECT * FROM df")
            ids = [r["event_id"] for r in event_rows]
            con.execute("DELETE FROM events WHERE event_id IN (SELECT unnest(?)) OR event_id NOT IN (SELECT event_id FROM event_reports)", [ids])
            if event_rows:
                df2 = warehouse.frame(con, "events", event_rows)  # noqa: F841
                con.execute("INSERT INTO events BY NAME SELECT * FROM df2")
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        n_events = con.execute("SELECT count(*) FROM events").fetchone()[0]
        link_check = checks.event_links(con, batch_id)
        id_check = checks.unique_ids(con)
    new_events = sum(1 for e in touched if e.event_id not in before)
    per_type = Counter(r["type"] for r in event_rows)
    per_country_month = Counter(f"{r['country'] or '?'} {str(r['event_date'] or '?')[:7]}" for r in event_rows if r["type"] == "strike")
    yield MaterializeResult(asset_key="events", metadata={
        "batch_id": batch_id, "dagster/row_count": n_events, "events_touched": len(touched), "events_new": new_events,
        "reports_in_batch": n_new, "batches_regrouped": len(rewritten) - 1, "by_type": MetadataValue.json(dict(per_type)),
        "preview": MetadataValue.md(markdown_preview(event_rows, ["type", "event_date", "country", "location", "n_reports", "n_sources", "killed_best"])),
        "chart": MetadataValue.md(markdown_bars(dict(sorted(per_country_month.items())), "strike events per country and month (this batch)")),
    })
    yield MaterializeResult(asset_key="event_reports", metadata={
        "batch_id": batch_id, "dagster/row_count": len(links),
        "preview": MetadataValue.md(markdown_preview(links, ["event_id", "fact_table", "fact_id", "similarity"])),
    })
    yield link_check
    yield id_check
