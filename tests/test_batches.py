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


# ---------------------------------------------------------------------------------------------
# Record ranges: one large file as several batches
# ---------------------------------------------------------------------------------------------

def _bodies(n: int) -> list[str]:
    return [f"Report {i} from the valley. Farmers in district {i} counted {i * 7} sheep and {i + 3} goats this spring."
            for i in range(n)]


def _jsonl(path: Path, n: int, extras: dict[int, str] | None = None) -> Path:
    """n JSON lines; `extras` puts odd lines (blank, broken, oversized) at given line numbers."""
    lines, bodies = [], iter(_bodies(n))
    for i in range(n):
        lines.append((extras or {}).get(i) or json.dumps({"title": f"T{i}", "text": next(bodies)}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _read_parts(parts) -> list[tuple]:
    from pipelines.ingest import Limits, read_records

    got = []
    for part in parts:
        ranges = part.record_ranges()
        for f in part.files:
            for r in read_records(Path(f), Limits(max_article_bytes=2000), ranges.get(f)):
                got.append((r.input_path, r.input_record, getattr(r, "body", None), getattr(r, "reason", None)))
    return got


def _read_whole(path: Path) -> list[tuple]:
    from pipelines.ingest import Limits, read_records

    return [(r.input_path, r.input_record, getattr(r, "body", None), getattr(r, "reason", None))
            for r in read_records(path, Limits(max_article_bytes=2000))]


@pytest.mark.parametrize("n", [2, 3, 7])
def test_a_jsonl_file_split_by_record_ranges_reads_every_line_once(tmp_path: Path, n: int) -> None:
    extras = {3: "", 4: "{broken", 9: json.dumps({"text": "x" * 5000}), 10: "   "}  # blank, malformed, oversized
    f = _jsonl(tmp_path / "big.jsonl", 20, extras)
    whole = make_manifest([f], "test")
    parts = batches.split_manifest(whole, n)
    assert len(parts) == n and all(p.files == [str(f)] for p in parts)
    assert [p.records[str(f)][0] for p in parts] == sorted(p.records[str(f)][0] for p in parts)
    assert parts[-1].records[str(f)][1] is None  # the last part reads to the end
    for p in parts[1:]:  # each cut knows where its first line starts
        first, _, offset = p.records[str(f)]
        assert f.read_bytes()[:offset].count(b"\n") == first
    assert _read_parts(parts) == _read_whole(f)
    assert len({p.batch_id for p in parts}) == n and whole.batch_id not in {p.batch_id for p in parts}


def test_record_ranges_balance_several_files_and_never_cut_single_records(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    big = _jsonl(d / "a.jsonl", 9)
    (d / "b.txt").write_text("Title\n\nOne article.\n")
    small = _jsonl(d / "c.jsonl", 2)
    parts = batches.split_manifest(make_manifest([d], "test"), 3)  # 9 + 1 + 2 records: 4 each
    a, b, c = str(big), str(d / "b.txt"), str(small)
    assert [p.files for p in parts] == [[a], [a], [a, b, c]]
    assert [{f: r[:2] for f, r in p.records.items()} for p in parts] == [{a: [0, 4]}, {a: [4, 8]}, {a: [8, None]}]
    assert batches.split_manifest(make_manifest([d], "test"), 12)[9].files == [b], "a one-record file is never cut"
    got = _read_parts(parts)
    assert sorted(got, key=repr) == sorted(_read_whole(big) + _read_whole(d / "b.txt") + _read_whole(small), key=repr)
    assert len(got) == 12


def test_utf16_jsonl_is_cut_without_byte_offsets(tmp_path: Path) -> None:
    f = tmp_path / "wide.jsonl"
    lines = [json.dumps({"text": b}) for b in _bodies(6)]
    f.write_bytes(("\n".join(lines) + "\n").encode("utf-16"))
    parts = batches.split_manifest(make_manifest([f], "test"), 3)
    assert len(parts) == 3 and all(p.records[str(f)][2] is None for p in parts)
    assert _read_parts(parts) == _read_whole(f) and len(_read_whole(f)) == 6


def _warc(path: Path, n: int, truncate: bool = False) -> Path:
    from tests.test_ingest import page, warc_bytes

    pages = [(f"https://example.org/{i}", page(f"Valley {i}", b).encode(), "text/html; charset=utf-8")
             for i, b in enumerate(_bodies(n))]
    pages.insert(2, ("https://example.org/logo.png", b"\x89PNG....", "image/png"))
    data = warc_bytes(pages, gz=True)
    path.write_bytes(data[:len(data) // 2] if truncate else data)  # truncated: cut in the middle
    return path


def test_a_warc_split_by_record_ranges_reads_every_record_once(tmp_path: Path) -> None:
    f = _warc(tmp_path / "crawl.warc.gz", 6)
    whole = _read_whole(f)
    assert len(whole) == 7  # six pages and an image record (unsupported_format)
    parts = batches.split_manifest(make_manifest([f], "test"), 3)
    assert [p.records[str(f)][:2] for p in parts] == [[0, 3], [3, 5], [5, None]]
    assert _read_parts(parts) == whole


def test_a_broken_warc_is_not_cut_and_a_cut_warc_reports_its_break_once(tmp_path: Path) -> None:
    from pipelines.ingest import RecordRange, read_records

    f = _warc(tmp_path / "cut.warc.gz", 6, truncate=True)
    parts = batches.split_manifest(make_manifest([f], "test"), 3)
    assert parts == [make_manifest([f], "test")], "a WARC that cannot be read through stays whole"
    # a file that broke after it was split: the part whose range holds the break reports it
    records = list(read_records(f))
    whole = [r.reason for r in records if getattr(r, "reason", None) == "malformed_warc"]
    assert len(whole) == 1 and 1 < len(records) < 7  # the records before the break are kept
    ranges = [RecordRange(0, 1), RecordRange(1, 2), RecordRange(2, 4), RecordRange(4, None)]
    got = [r.reason for rng in ranges for r in read_records(f, records=rng) if getattr(r, "reason", None) == "malformed_warc"]
    assert got == whole


def test_feeds_and_json_lists_split_by_item(tmp_path: Path) -> None:
    items = "".join(f"<item><title>T{i}</title><link>https://example.org/{i}</link><description>{b}</description></item>"
                    for i, b in enumerate(_bodies(5)))
    feed = tmp_path / "feed.rss"
    feed.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>')
    lst = tmp_path / "list.json"
    lst.write_text(json.dumps([{"text": b} for b in _bodies(5)] + [{"title": "no text"}]))
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"text": _bodies(1)[0]}))
    for f, n in ((feed, 5), (lst, 6)):
        parts = batches.split_manifest(make_manifest([f], "test"), 2)
        assert len(parts) == 2 and parts[0].records[str(f)][:2] == [0, -(-n // 2)]
        assert _read_parts(parts) == _read_whole(f) and len(_read_whole(f)) == n
    assert batches.split_manifest(make_manifest([one], "test"), 4) == [make_manifest([one], "test")]


def test_split_ids_are_stable_and_follow_the_content(tmp_path: Path) -> None:
    f = _jsonl(tmp_path / "big.jsonl", 12)
    ids = [p.batch_id for p in batches.split_manifest(make_manifest([f], "test"), 3)]
    assert [p.batch_id for p in batches.split_manifest(make_manifest([f], "cli"), 3)] == ids
    assert [p.batch_id for p in batches.split_manifest(make_manifest([f], "test"), 4)] != ids[:1] * 4
    assert not set(p.batch_id for p in batches.split_manifest(make_manifest([f], "test"), 4)) & set(ids)
    f.write_text(f.read_text().replace("sheep", "ewes"))
    assert not set(p.batch_id for p in batches.split_manifest(make_manifest([f], "test"), 3)) & set(ids)


def test_max_records_sets_the_number_of_batches(tmp_path: Path) -> None:
    f = _jsonl(tmp_path / "big.jsonl", 25)
    m = make_manifest([f], "test")
    assert len(batches.split_manifest(m, 1, max_records=10)) == 3
    assert len(batches.split_manifest(m, 5, max_records=10)) == 5
    assert batches.split_manifest(m, 1, max_records=100) == [m]
    assert batches.split_manifest(m, 1, max_records=0) == [m]


def test_a_record_range_survives_the_manifest_file(tmp_path: Path) -> None:
    f = _jsonl(tmp_path / "big.jsonl", 8)
    home = tmp_path / "home"
    for part in batches.split_manifest(make_manifest([f], "test"), 3):
        write_manifest(home, part)
        back = read_manifest(home, part.batch_id)
        assert back == part and back.record_ranges() == part.record_ranges()


def test_old_manifests_without_records_read_whole_files(tmp_path: Path) -> None:
    d = corpus(tmp_path)
    home = tmp_path / "home"
    m = make_manifest([d], "test")
    target = write_manifest(home, m)
    data = json.loads(target.read_text())
    del data["records"]
    target.write_text(json.dumps(data))
    assert read_manifest(home, m.batch_id).record_ranges() == {}


# ---------------------------------------------------------------------------------------------
# Through the job: one JSONL as N partitions
# ---------------------------------------------------------------------------------------------

# Columns that name the batch, or are ids hashed with it, and so differ between one batch and N
BATCH_COLUMNS = {t: ("batch_id",) for t in ("articles", "duplicates", "rejects", "strikes", "visits", "arms_sales",
                                             "killings", "quotes", "mentions", "events", "event_reports")}
BATCH_COLUMNS["articles"] += ("ingested_at",)
BATCH_COLUMNS["duplicates"] += ("duplicate_id",)
BATCH_COLUMNS["rejects"] += ("reject_id",)


def _run_parts(home, parts, instance) -> None:
    from dagster import Definitions

    from assets.definitions import defs

    job = Definitions(assets=defs.assets, jobs=defs.jobs, resources={"dispatches": home}).resolve_job_def("process_batch")
    for part in parts:
        write_manifest(home.root, part)
        if not instance.has_dynamic_partition("batches", part.batch_id):
            instance.add_dynamic_partitions("batches", [part.batch_id])
        assert job.execute_in_process(partition_key=part.batch_id, instance=instance).success


@pytest.mark.slow
def test_a_jsonl_as_three_partitions_gives_the_rows_of_one_and_a_rerun_changes_nothing(fast_tmp) -> None:
    from dagster import DagsterInstance

    from assets.resources import DispatchesHome
    from tests.conftest import SECOND_REPORT, STRIKE_BODY, home_state, assert_same_state, query, table_rows

    f = fast_tmp / "export.jsonl"
    lines = [json.dumps({"title": "Strike", "text": STRIKE_BODY, "published": "2024-03-11T09:00:00Z"}),
             json.dumps({"title": "Second", "text": SECOND_REPORT, "published": "2024-03-15T09:00:00Z"}), "{broken"]
    lines += [json.dumps({"title": f"T{i}", "text": b}) for i, b in enumerate(_bodies(5))]
    lines.append(lines[0])  # the same text again: a duplicate, in the last part
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    whole = make_manifest([f], "test")
    parts = batches.split_manifest(whole, 3)
    assert len(parts) == 3 and len({p.batch_id for p in parts}) == 3

    one, many = DispatchesHome(home=str(fast_tmp / "one")), DispatchesHome(home=str(fast_tmp / "many"))
    with DagsterInstance.ephemeral() as instance:
        _run_parts(one, [whole], instance)
    with DagsterInstance.ephemeral() as instance:
        _run_parts(many, parts, instance)
        a = table_rows(one.research_path, BATCH_COLUMNS, tables=list(BATCH_COLUMNS))
        b = table_rows(many.research_path, BATCH_COLUMNS, tables=list(BATCH_COLUMNS))
        assert len(a["articles"]) == 7 and len(a["duplicates"]) == 1 and len(a["rejects"]) == 1 and a["strikes"]
        for table in a:
            assert b[table] == a[table], table
        assert sorted(r[0] for r in query(many.research_path, "SELECT batch_id FROM batches")) == sorted(p.batch_id for p in parts)
        # the same command again: the same batch ids, and nothing changes
        before = home_state(many.root)
        again = batches.split_manifest(make_manifest([f], "test"), 3)
        assert [p.batch_id for p in again] == [p.batch_id for p in parts]
        _run_parts(many, again, instance)
        assert_same_state(home_state(many.root), before)
