"""Staged Parquet: the hand-off between the warehouse steps and the extraction step.

Ingest writes each batch's articles to `<staging>/batch_id=<batch>/articles.parquet`; extraction
reads them, and writes one Parquet file per fact table beside them; the events step, the one
that holds the warehouse, loads those files into DuckDB. Extraction therefore never opens
warehouse.duckdb: many extraction steps can run at once (multiprocess executor here, a
Kubernetes or Celery executor past one machine) while DuckDB keeps its single writer.

`<staging>` is a local folder (default DISPATCHES_HOME/staging) or any URI pyarrow's filesystem
layer opens (s3://bucket/prefix, gs://bucket/prefix), so extraction workers on other machines
can share it. Every file is written under a temporary name and moved into place, so a reader
never sees half a file and a killed step leaves no partial output under the final name.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def _filesystem(uri: str) -> tuple[pafs.FileSystem, str]:
    if "://" not in uri:
        uri = str(Path(uri).absolute())
    fs, root = pafs.FileSystem.from_uri(uri)
    return fs, root.rstrip("/")


def _name(part: str) -> str:
    # Batch ids and table names are ours (hex hashes, schema names); refuse anything else so a
    # crafted id can never point outside the staging root.
    if not part or not set(part) <= _SAFE:
        raise ValueError(f"not a staging name: {part!r}")
    return part


def batch_dir(uri: str, batch_id: str) -> str:
    return f"{_filesystem(uri)[1]}/batch_id={_name(batch_id)}"


def write(uri: str, batch_id: str, name: str, table: pa.Table) -> str:
    """Write one staged table for a batch, atomically; returns its path on the filesystem."""
    fs, root = _filesystem(uri)
    folder = f"{root}/batch_id={_name(batch_id)}"
    fs.create_dir(folder, recursive=True)
    target = f"{folder}/{_name(name)}.parquet"
    tmp = f"{folder}/.{name}.{uuid.uuid4().hex}.tmp"
    with fs.open_output_stream(tmp) as out:
        pq.write_table(table, out, compression="zstd")
    fs.move(tmp, target)
    return target


def exists(uri: str, batch_id: str, name: str) -> bool:
    fs, root = _filesystem(uri)
    info = fs.get_file_info(f"{root}/batch_id={_name(batch_id)}/{_name(name)}.parquet")
    return info.type == pafs.FileType.File


def read(uri: str, batch_id: str, name: str) -> pa.Table:
    """One staged table of a batch; a clear error when the step that writes it has not run."""
    fs, root = _filesystem(uri)
    path = f"{root}/batch_id={_name(batch_id)}/{_name(name)}.parquet"
    if fs.get_file_info(path).type != pafs.FileType.File:
        raise FileNotFoundError(f"{name} of batch {batch_id} is not staged at {path}: materialize its upstream asset first")
    with fs.open_input_file(path) as f:
        return pq.read_table(f)


def clear_temporaries(uri: str, batch_id: str) -> int:
    """Remove temporary files a killed step left in a batch's staging folder."""
    fs, root = _filesystem(uri)
    folder = f"{root}/batch_id={_name(batch_id)}"
    if fs.get_file_info(folder).type != pafs.FileType.Directory:
        return 0
    n = 0
    for info in fs.get_file_info(pafs.FileSelector(folder)):
        if info.base_name.startswith(".") and info.base_name.endswith(".tmp"):
            fs.delete_file(info.path)
            n += 1
    return n
