"""Batches: stable ids, manifests on disk."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from pipelines import batches
from pipelines.batches import make_manifest, manifest_path, read_manifest, write_manifest


def corpus(tmp_path: Path) -> Path:
    d = tmp_path / "corpus"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text("Title\n\nBody of a.")
    (d / "sub" / "b.jsonl").write_text('{"text": "b"}\n')
    (d / ".hidden.txt").write_text("ignored")
    return d


def test_same_files_same_id(tmp_path: Path) -> None:
    d = corpus(tmp_path)
    m1, m2 = make_manifest([d], "test"), make_manifest([str(d)], "cli")
    assert m1.batch_id == m2.batch_id and m1.batch_id.startswith("b") and m1.batch_id.isalnum()
    assert m1.files == [str(d / "a.txt"), str(d / "sub" / "b.jsonl")]
    assert m1.paths == [str(d)]
    # order and repetition of the paths do not matter
    assert make_manifest([d / "sub", d / "a.txt", d / "a.txt"], "t").batch_id == \
        make_manifest([d / "a.txt", d / "sub"], "t").batch_id


@pytest.mark.parametrize("edit", ["append", "same_size", "new_file", "remove", "rename"])
def test_edit_changes_id(tmp_path: Path, edit: str) -> None:
    d = corpus(tmp_path)
    before = make_manifest([d], "test").batch_id
    a = d / "a.txt"
    if edit == "append":
        a.write_text(a.read_text() + " More.")
    elif edit == "same_size":
        a.write_text(a.read_text().replace("Body", "Bodx"))
    elif edit == "new_file":
        (d / "c.html").write_text("<p>c</p>")
    elif edit == "remove":
        a.unlink()
    else:
        a.rename(d / "z.txt")
    assert make_manifest([d], "test").batch_id != before


def test_hidden_file_does_not_change_id(tmp_path: Path) -> None:
    d = corpus(tmp_path)
    before = make_manifest([d], "test").batch_id
    (d / ".DS_Store").write_bytes(b"\0\1")
    assert make_manifest([d], "test").batch_id == before


def test_large_file_middle_edit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batches, "_FULL_HASH", 1000)
    monkeypatch.setattr(batches, "_SAMPLE", 100)
    f = tmp_path / "big.jsonl"
    f.write_bytes(b"x" * 5000)
    before = make_manifest([f], "t").batch_id
    assert make_manifest([f], "t").batch_id == before
    with f.open("r+b") as fh:
        fh.seek(2500)
        fh.write(b"y")
    os.utime(f, ns=(1_000_000_000, 1_000_000_000))
    assert make_manifest([f], "t").batch_id != before


def test_sparse_and_odd_files(tmp_path: Path) -> None:
    d = tmp_path / "odd"
    d.mkdir()
    with (d / "huge.warc").open("wb") as fh:
        fh.truncate(10 * 1024**3)
    (d / "broken.txt").symlink_to(d / "missing")
    with open(os.fsencode(d) + b"/caf\xe9.txt", "wb") as fh:
        fh.write(b"x")
    m = make_manifest([d], "test")
    assert make_manifest([d], "test").batch_id == m.batch_id
    assert len(m.files) == 2
    home = tmp_path / "home"
    write_manifest(home, m)
    assert read_manifest(home, m.batch_id) == m


def test_write_and_read_manifest(tmp_path: Path) -> None:
    d = corpus(tmp_path)
    home = tmp_path / "home"
    m = make_manifest([d], "test")
    target = write_manifest(home, m)
    assert target == home / "batches" / f"{m.batch_id}.json"
    assert read_manifest(home, m.batch_id) == m
    assert json.loads(target.read_text())["origin"] == "test"
    # the first registration is kept
    other = batches.Manifest(m.batch_id, m.paths, m.files, "sensor", "2030-01-01T00:00:00+00:00")
    write_manifest(home, other)
    assert read_manifest(home, m.batch_id).origin == "test"
    assert [p.name for p in (home / "batches").iterdir()] == [f"{m.batch_id}.json"]


def test_concurrent_writers_keep_one_manifest(tmp_path: Path) -> None:
    d = corpus(tmp_path)
    home = tmp_path / "home"
    m = make_manifest([d], "test")
    errors: list[BaseException] = []

    def go(origin: str) -> None:
        try:
            write_manifest(home, batches.Manifest(m.batch_id, m.paths, m.files, origin, m.created_at))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=go, args=(f"o{i}",)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert [p.name for p in (home / "batches").iterdir()] == [f"{m.batch_id}.json"]
    assert read_manifest(home, m.batch_id).origin.startswith("o")


@pytest.mark.parametrize("bad", ["../x", "a/b", "", "b..", "bé1", "b 1"])
def test_manifest_path_rejects_bad_ids(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError):
        manifest_path(tmp_path, bad)


def test_batch_id_drives_ingest(tmp_path: Path) -> None:
    from pipelines.ingest import ingest

    d = corpus(tmp_path)
    m = make_manifest([d], "test")
    r1, r2 = ingest(m.paths, m.batch_id), ingest(m.paths, m.batch_id)
    assert [a["article_id"] for a in r1.articles] == [a["article_id"] for a in r2.articles]
    assert {a["batch_id"] for a in r1.articles} == {m.batch_id}
