"""Resources: where dispatches keeps its files, and the limits of a batch."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from dagster import ConfigurableResource

from assets import warehouse
from pipelines.ingest import Limits


class DispatchesHome(ConfigurableResource):
    """The DISPATCHES_HOME folder: warehouse.duckdb (the one writer), research.duckdb (read-only
    copy for researchers), exports/ (Parquet), inbox/ (watched by the sensor), batches/ (manifests),
    staging/ (Parquet handed from the warehouse steps to extraction and back)."""

    home: str
    max_article_bytes: int = 5 * 1024 * 1024
    max_reject_share: float = 0.5  # asset check: a batch with more rejects than this share fails
    # Where extraction reads articles and writes facts (assets/staging.py): a folder, or an
    # s3:// or gs:// URI shared by extraction workers on other machines. Empty: <home>/staging.
    staging_uri: str = ""
    # The inbox sensor cuts new files into batches of at most this many records (JSON lines, WARC
    # records, feed items; pipelines.batches.split_manifest), so a large export dropped into the
    # inbox runs as several partitions. 0: one batch per tick, whatever its size.
    inbox_batch_records: int = 10_000

    @property
    def root(self) -> Path:
        return Path(self.home).absolute()

    @property
    def warehouse_path(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def research_path(self) -> Path:
        return self.root / "research.duckdb"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def staging(self) -> str:
        return self.staging_uri or str(self.root / "staging")

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def limits(self) -> Limits:
        return Limits(max_article_bytes=self.max_article_bytes)

    @contextmanager
    def warehouse(self, read_only: bool = False):
        """A connection to warehouse.duckdb with the schema in place. Hold it briefly: it is the
        write lock for every other pipeline process."""
        self.root.mkdir(parents=True, exist_ok=True)
        with warehouse.connect(self.warehouse_path, read_only=read_only) as con:
            if not read_only:
                warehouse.ensure_schema(con)
            yield con
