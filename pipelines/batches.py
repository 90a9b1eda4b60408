"""Batches: a set of input files processed together, with a stable id and a manifest on disk.

The batch id is a hash of each input file's absolute path and content (all of it up to 64 MiB;
for a larger file its size, modification time and first and last MiB), so registering the same
files again yields the same id and the same rows, while an edited file yields a new batch. Manifests live in `<home>/batches/<batch_id>.json`; the
Dagster partition key is the batch id.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pipelines.ingest import iter_input_files

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


def split_manifest(manifest: Manifest, n: int) -> list[Manifest]:
    """The manifest's files in n batches of consecutive files (fewer when there are fewer files),
    so independent batches can run in parallel. Each part's id hashes the whole manifest's id and
    the part's position, so the same command splits the same files into the same batches."""
    if n <= 1 or len(manifest.files) <= 1:
        return [manifest]
    n = min(n, len(manifest.files))
    size, extra = divmod(len(manifest.files), n)
    parts, start = [], 0
    for i in range(n):
        end = start + size + (1 if i < extra else 0)
        h = hashlib.sha256(f"{manifest.batch_id}\0{i}\0{n}".encode())
        parts.append(Manifest(
            batch_id="b" + h.hexdigest()[:16], paths=manifest.paths, files=manifest.files[start:end],
            origin=manifest.origin, created_at=manifest.created_at,
            unreadable=manifest.unreadable if i == 0 else [],  # listing problems are reported once
        ))
        start = end
    return parts
