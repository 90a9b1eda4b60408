"""Batches: a set of input files processed together, with a stable id and a manifest on disk.

The batch id is a hash of each input file's absolute path and content (all of it up to 64 MiB;
for a larger file its size, modification time and first and last MiB), so registering the same
files again yields the same id and the same rows, while an edited file yields a new batch. Manifests live in `<home>/batches/<batch_id>.json`; the
Dagster partition key is the batch id.

A batch can also hold part of a file: `split_manifest` cuts the inputs into batches of about the
same number of records, cutting a large JSON-lines file, WARC, feed or JSON list by record ranges
(pipelines.ingest.RecordRange), which the manifest records, so one 2 GB export runs as N
partitions and a re-run of a part reads exactly the same records.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pipelines.ingest import RecordRange, count_records, iter_input_files, jsonl_line_offsets

_SAMPLE = 1 << 20
_FULL_HASH = 64 << 20  # files up to this size are hashed whole


@dataclass(frozen=True)
class Manifest:
    batch_id: str
    paths: list[str]       # what was asked for (files and folders), absolute
    files: list[str]       # the files found under them when the batch was made
    origin: str            # cli | sensor | test
    created_at: str        # ISO 8601 UTC
    unreadable: list[list[str]] = field(default_factory=list)  # [path, reason, detail] met while listing
    # files of which this batch holds only a range of records: path -> [first, stop, byte offset]
    # (stop None: to the end; offset None: found by reading; see pipelines.ingest.RecordRange)
    records: dict[str, list] = field(default_factory=dict)

    def record_ranges(self) -> dict[str, RecordRange]:
        return {path: RecordRange(*r) for path, r in self.records.items()}


def _file_fingerprint(path: Path) -> str:
    h = hashlib.sha256(os.fsencode(path))  # fsencode: a file name need not be UTF-8
    try:
        st = path.stat()
        size = st.st_size
        h.update(str(size).encode())
        with path.open("rb") as fh:
            if size <= _FULL_HASH:
                # the whole file: an edit in the middle that keeps the size must change the id
                while chunk := fh.read(_SAMPLE):
                    h.update(chunk)
            else:
                # too large to read at registration: the sample plus the modification time
                h.update(str(st.st_mtime_ns).encode())
                h.update(fh.read(_SAMPLE))
                fh.seek(max(0, size - _SAMPLE))
                h.update(fh.read(_SAMPLE))
    except OSError as exc:
        h.update(f"unreadable:{exc.errno}".encode())
    return h.hexdigest()


def make_manifest(paths: list[str | os.PathLike], origin: str) -> Manifest:
    """A manifest for the given files and folders; the id depends only on what they hold."""
    absolute = sorted({str(Path(p).absolute()) for p in paths})
    listed = list(iter_input_files(absolute))
    files = sorted({str(f) for f in listed if isinstance(f, Path)})
    unreadable = [[r.input_path, r.reason, r.detail] for r in listed if not isinstance(r, Path)]
    h = hashlib.sha256()
    for item in absolute:
        h.update(os.fsencode(item) + b"\0")
    h.update(b"\1")  # paths, then files: the two lists cannot run into each other
    for f in files:
        h.update(_file_fingerprint(Path(f)).encode() + b"\0")
    return Manifest(
        batch_id="b" + h.hexdigest()[:16], paths=absolute, files=files, origin=origin,
        created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), unreadable=unreadable,
    )


def manifest_path(home: Path, batch_id: str) -> Path:
    if not (batch_id.isascii() and batch_id.isalnum()):
        raise ValueError(f"not a batch id: {batch_id!r}")
    return home / "batches" / f"{batch_id}.json"


def write_manifest(home: Path, manifest: Manifest) -> Path:
    """Write the manifest unless one with this id exists (the first registration is kept)."""
    target = manifest_path(home, manifest.batch_id)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # A private temporary file, then a hard link: the link fails if another writer (the sensor
    # and the CLI at once) got there first, so the first registration is kept, never overwritten,
    # and nobody reads a half-written file.
    fd, tmp = tempfile.mkstemp(prefix=f".{manifest.batch_id}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(asdict(manifest), indent=2))  # ASCII: file names may hold surrogates
        try:
            os.link(tmp, target)
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not target.exists():
                os.replace(tmp, target)
                return target
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def read_manifest(home: Path, batch_id: str) -> Manifest:
    data = json.loads(manifest_path(home, batch_id).read_text(encoding="utf-8"))
    return Manifest(**data)


def split_manifest(manifest: Manifest, n: int, max_records: int = 0) -> list[Manifest]:
    """The manifest's inputs in n batches (at least as many as batches of `max_records` records
    need, when it is set) of about the same number of records, so independent batches can run in
    parallel. Files are taken in order; a file whose records can be counted
    (pipelines.ingest.count_records: JSON lines, WARC, feeds, JSON lists) is cut by record ranges
    where a batch is full, any other file counts as one record and is never cut. Never an empty
    batch: at most as many batches as records.

    Each part's id hashes the whole manifest's id (the content of every file), the part's
    position and what the part holds, so the same command splits the same input into the same
    batches with the same ids, and a re-run is a no-op."""
    if n <= 1 and max_records <= 0:
        return [manifest]
    counts = [count_records(Path(f)) for f in manifest.files]
    sizes = [c or 1 for c in counts]
    total = sum(sizes)
    if max_records > 0:
        n = max(n, -(-total // max_records))
    n = min(n, total)
    if n <= 1:
        return [manifest]
    quota, extra = divmod(total, n)
    # pieces of each part: (file index, first record, stop or None)
    parts: list[list[tuple[int, int, int | None]]] = []
    k, first = 0, 0  # the next file, and its next record
    for i in range(n):
        want = quota + (1 if i < extra else 0)
        pieces = []
        while want > 0 and k < len(sizes):
            left = sizes[k] - first
            take = min(want, left)
            stop = first + take
            pieces.append((k, first, None if stop == sizes[k] else stop))
            want -= take
            first = stop
            if first == sizes[k]:
                k, first = k + 1, 0
        parts.append(pieces)
    # byte offsets of the JSON-lines cuts, found in one pass per file
    cuts: dict[int, set[int]] = {}
    for pieces in parts:
        for k, lo, _ in pieces:
            if lo > 0 and manifest.files[k].lower().endswith(".jsonl"):
                cuts.setdefault(k, set()).add(lo)
    offsets = {k: jsonl_line_offsets(Path(manifest.files[k]), lines) for k, lines in cuts.items()}

    out = []
    for i, pieces in enumerate(parts):
        files, records = [], {}
        for k, lo, stop in pieces:
            f = manifest.files[k]
            files.append(f)
            if lo > 0 or stop is not None:
                records[f] = [lo, stop, offsets.get(k, {}).get(lo)]
        h = hashlib.sha256(f"{manifest.batch_id}\0{i}\0{n}\0".encode())
        h.update(json.dumps([files, records], sort_keys=True).encode())  # ASCII: json escapes the rest
        out.append(Manifest(
            batch_id="b" + h.hexdigest()[:16], paths=manifest.paths, files=files,
            origin=manifest.origin, created_at=manifest.created_at,
            unreadable=manifest.unreadable if i == 0 else [],  # listing problems are reported once
            records=records,
        ))
    return out
