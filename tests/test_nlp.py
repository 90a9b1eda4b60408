"""The spaCy model comes from a pip package and is checked against pinned hashes at start-up."""

from __future__ import annotations

import shutil

import pytest

from pipelines import nlp


def test_installed_model_matches_the_pinned_hashes():
    path = nlp.verify_model()
    assert (path / "ner" / "model").is_file()


def test_a_tampered_model_is_refused_with_a_clear_message(tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(nlp.model_dir(), copy)
    with (copy / "ner" / "model").open("r+b") as fh:
        fh.seek(1000)
        byte = fh.read(1)
        fh.seek(1000)
        fh.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(nlp.ModelIntegrityError, match="ner/model.*expected.*reinstall"):
        nlp.verify_model(copy)


def test_a_missing_model_file_is_refused(tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(nlp.model_dir(), copy)
    (copy / "parser" / "model").unlink()
    with pytest.raises(nlp.ModelIntegrityError, match="missing"):
        nlp.verify_model(copy)
