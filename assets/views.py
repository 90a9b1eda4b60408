"""Research views: sql/views/*.sql, one CREATE OR REPLACE VIEW per file, created in research.duckdb.

Each view reads only tables of research.duckdb (no file paths), so it works on a read-only connection
with external access disabled, and on empty tables. The view's name is its file's name.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

# Not imported from assets.warehouse, so that warehouse.publish_research_db can import this module.
VIEWS_DIR = Path(__file__).resolve().parent.parent / "sql" / "views"


def view_files() -> list[Path]:
    """The view files, in the order they are created (sorted by file name)."""
    return sorted(VIEWS_DIR.glob("*.sql"), key=lambda p: p.name)


def view_names() -> list[str]:
    """The names of the views create_views makes, in creation order."""
    return [p.stem for p in view_files()]


def create_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Run every sql/views/*.sql on con (after the tables are there); returns the view names."""
    for path in view_files():
        con.execute(path.read_text(encoding="utf-8"))
    return view_names()
