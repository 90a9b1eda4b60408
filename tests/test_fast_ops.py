"""The model's matrix products run in numpy's BLAS, one thread per process (pipelines.nlp.use_fast_ops).

That the annotations stay those of the stock model (blis) is asserted, token by token over about
1,500 sentences, by tests/test_attribute_match.py::test_same_annotations_as_the_stock_ruler_on_1500_sentences,
which compares get_nlp() with a plain spacy.load of the same model."""

from __future__ import annotations

import numpy
from thinc.api import NumpyOps
from threadpoolctl import threadpool_info

from pipelines import nlp as nlp_mod


def _nodes(nlp):
    for _, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if model is not None and hasattr(model, "walk"):
            yield from model.walk()


def test_every_model_node_multiplies_through_numpy_not_blis():
    nodes = list(_nodes(nlp_mod.get_nlp()))
    assert len(nodes) > 50  # tok2vec, tagger, parser and ner all walked
    kinds = {(type(n.ops).__name__, getattr(n.ops, "use_blis", None)) for n in nodes}
    assert kinds == {("NumpyOps", False)}


def test_the_fast_ops_multiply_as_numpy_does():
    ops = nlp_mod.fast_ops()
    rng = numpy.random.default_rng(7)
    x = rng.random((37, 96), dtype=numpy.float32)
    w = rng.random((288, 96), dtype=numpy.float32)
    numpy.testing.assert_allclose(ops.gemm(x, w, trans2=True), x @ w.T, rtol=1e-5)
    out = numpy.empty((37, 288), dtype=numpy.float32)
    assert ops.gemm(x, w, trans2=True, out=out) is out
    numpy.testing.assert_allclose(out, x @ w.T, rtol=1e-5)
    # the stock ops agree to float rounding
    numpy.testing.assert_allclose(NumpyOps().gemm(x, w, trans2=True), out, rtol=1e-4)


def test_blas_runs_one_thread_per_extraction_process():
    nlp_mod.get_nlp()
    blas = [p for p in threadpool_info() if p["user_api"] == "blas"]
    assert blas, "numpy's BLAS is not visible to threadpoolctl"
    assert {p["num_threads"] for p in blas} == {nlp_mod.BLAS_THREADS}
