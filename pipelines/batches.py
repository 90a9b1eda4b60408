"""Batches: a set of input files processed together, with a stable id and a manifest on disk.

The batch id is a hash of each input file's absolute path, size and a sample of its bytes (the
first and last MiB), so registering the same files again yields the same id and the same rows,
while an edited file yields a new batch. Manifests live in `<home>/batches/<batch_id>.json`; the
Dagster partition key is the batch id.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from pipelines.ingest import iter_input_files

_SAMPLE = 1 << 20


@dataclass(frozen=True)
class Manifest:
    batch_id: str
    paths: list[str]       # what was asked for (files and folders), absolute
    files: list[str]       # the files found under them when the batch was made
    origin: str            # cli | sensor | test
    created_at: str        # ISO 8601 UTC


def _file_fingerprint(path: Path) -> str:
    h = hashlib.sha256(str(path).encode("utf-8"))
    try:
        size = path.stat().st_size
        h.update(str(size).encode())
        with path.open("rb") as fh:
            h.update(fh.read(_SAMPLE))
            if size > 2 * _SAMPLE:
                fh.seek(size - _SAMPLE)
                h.update(fh.read(_SAMPLE))
    except OSError as exc:
        h.update(f"unreadable:{exc.errno}".encode())
    return h.hexdigest()


def make_manifest(paths: list[str | os.PathLike], origin: str) -> Manifest:
    """A manifest for the given files and folders; the id depends only on what they hold."""
    absolute = sorted(str(Path(p).absolute()) for p in paths)
    files = sorted(str(f) for f in iter_input_files(absolute) if isinstance(f, Path))
    h = hashlib.sha256()
    for item in absolute:
        h.update(item.encode("utf-8") + b"\0")
    for f in files:
        h.update(_file_fingerprint(Path(f)).encode() + b"\0")
    return Manifest(
        batch_id="b" + h.hexdigest()[:16], paths=absolute, files=files, origin=origin,
        created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )


def manifest_path(home: Path, batch_id: str) -> Path:
    if not batch_id.isalnum():
        raise ValueError(f"not a batch id: {batch_id!r}")
    return home / "batches" / f"{batch_id}.json"


def write_manifest(home: Path, manifest: Manifest) -> Path:
    """Write the manifest unless one with this id exists (the first registration is kept)."""
    target = manifest_path(home, manifest.batch_id)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(asdict(manifest), indent=2), encoding="utf-8")
        os.replace(tmp, target)
    return target


def read_manifest(home: Path, batch_id: str) -> Manifest:
    data = json.loads(manifest_path(home, batch_id).read_text(encoding="utf-8"))
    return Manifest(**data)
