"""The ingest core and every other module in pipelines/ stay free of dagster and duckdb."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PIPELINES = Path(__file__).resolve().parents[1] / "pipelines"
FORBIDDEN = {"dagster", "duckdb"}
CORE = ("ingest", "text", "batches")


def modules() -> list[Path]:
    return sorted(p for p in PIPELINES.rglob("*.py") if "__pycache__" not in p.parts)


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
            "import_module", "__import__"
        ) and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            roots.add(node.args[0].value.split(".")[0])
    return roots


def test_core_modules_exist() -> None:
    for name in CORE:
        assert (PIPELINES / f"{name}.py").is_file()


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(PIPELINES).as_posix())
def test_no_forbidden_imports(path: Path) -> None:
    bad = imported_roots(path) & FORBIDDEN
    assert not bad, f"{path.name} imports {sorted(bad)}"


def test_importing_pipelines_leaves_dagster_and_duckdb_out() -> None:
    """Every module of pipelines/ imports, alone, in a fresh process, and none of them pulls in
    dagster or duckdb. A module that fails to import fails this test: it could not be checked."""
    # Modules listed when the subprocess runs, so files teammates add meanwhile are covered too.
    code = f"""
import importlib, json, pkgutil, sys
sys.path.insert(0, {str(PIPELINES.parent)!r})
import pipelines
failed = {{}}
names = sorted(m.name for m in pkgutil.walk_packages(pipelines.__path__, "pipelines."))
for name in names:
    try:
        importlib.import_module(name)
    except Exception as exc:  # reported, then failed on below: an unimportable module is unchecked
        failed[name] = f"{{type(exc).__name__}}: {{exc}}"
print(json.dumps({{"names": names, "failed": failed,
                   "loaded": sorted(m for m in sys.modules if m.split(".")[0] in {sorted(FORBIDDEN)!r})}}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert {f"pipelines.{n}" for n in CORE} <= set(report["names"])
    assert {f"pipelines.{p.stem}" for p in PIPELINES.glob("*.py") if p.stem != "__init__"} <= set(report["names"])
    assert report["failed"] == {}, f"modules that fail to import (so were never checked): {report['failed']}"
    assert report["loaded"] == [], f"dagster/duckdb imported by pipelines: {report['loaded']}"
