"""The installed stack matches the pins in pyproject.toml.

Why this is a test: the speed of the spaCy stack depends on these exact releases. spacy 3.8.2 +
thinc 8.3.2 + blis 1.0.2 + numpy 2.0.2 parse about twice as fast on our CPUs as newer releases
(newer blis falls back to a generic kernel) with identical output; the model's dense layers now
multiply in numpy 2.0.2's bundled OpenBLAS (pipelines/nlp.py), the parser's state steps still in
blis. A resolver upgrading one of them can silently halve throughput. dagster and duckdb are pinned because the assets and the warehouse
code depend on their exact behaviour (duckdb 2.x relations, Dagster's asset check API)."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
PINNED = ("spacy", "thinc", "blis", "numpy", "dagster", "duckdb")


def pins() -> dict[str, str]:
    deps = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    out = {}
    for dep in deps:
        m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;,]+)\s*$", dep)
        if m:
            out[m.group(1).lower()] = m.group(2)
    return out


@pytest.mark.parametrize("package", PINNED)
def test_installed_version_equals_the_pin(package: str) -> None:
    pinned = pins()
    assert package in pinned, f"{package} is not pinned with == in pyproject.toml"
    assert version(package) == pinned[package], (
        f"{package} {version(package)} is installed but pyproject.toml pins {pinned[package]}; "
        "the speed of the spaCy stack depends on blis 1.0.2 (and its matching spacy, thinc, numpy) - "
        "reinstall with `pip install -e .[test]`"
    )


def test_dagster_packages_are_one_release() -> None:
    """dagster, dagster-webserver and dagster-dg-cli must be the same release."""
    pinned = pins()
    for package in ("dagster-webserver", "dagster-dg-cli"):
        assert pinned.get(package) == pinned["dagster"], package
        assert version(package) == version("dagster"), package
