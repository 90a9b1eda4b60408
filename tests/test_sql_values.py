"""No value is formatted into SQL: every f-string handed to DuckDB interpolates only an
identifier checked against the schema (`table_ident`, the fixed table lists) or our own DDL
comments; values go through parameters. This test reads the code and fails on anything else."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQL_CALL = re.compile(r"""\.(?:execute|sql)\(\s*f(["'])(?P<body>.*?)\1""", re.S)
# Names that hold identifiers from warehouse.TABLES / FACT_TABLES (passed through table_ident) or
# constant column maps of the benchmarks, and the DDL comment quoting of ensure_schema.
ALLOWED = {"t", "table", "k", "col", "column", "table_ident(t)", "warehouse.table_ident(t)",
           "_quote_literal(comment)", "_quote_literal(table_grain(table))", "where"}


def test_f_string_sql_interpolates_identifiers_only():
    offenders, checked = [], 0
    for path in [*ROOT.glob("assets/*.py"), *ROOT.glob("benchmarks/*.py"), *ROOT.glob("pipelines/*.py")]:
        for m in SQL_CALL.finditer(path.read_text(encoding="utf-8")):
            checked += 1
            for expr in re.findall(r"\{([^{}]+)\}", m.group("body")):
                if expr.strip() not in ALLOWED:
                    offenders.append(f"{path.relative_to(ROOT)}: {{{expr}}}")
    assert offenders == []
    assert checked >= 10  # the pattern does find the SQL calls


def test_the_where_clause_of_event_reports_is_a_constant():
    # assets/events.py passes `where` strings; they must be literals in that file, never input
    src = (ROOT / "assets" / "events.py").read_text(encoding="utf-8")
    calls = re.findall(r"_reports\(con, [^,]+, (\"[^\"]*\"|[a-z_]+),", src)
    assert calls and all(c.startswith('"') for c in calls)
