"""Stage 5, write: rows -> Parquet tables in a staging folder, published atomically.

A dataset is written into a hidden staging folder next to the output path, one Parquet
writer per table with the explicit Arrow schema of its model, row group by row group as
rows arrive. Row groups hold exactly ``ROW_GROUP`` rows (the last one fewer) however the
rows arrive, so the bytes of a table depend only on its rows.
``manifest.json`` is written last; then the staging folder is renamed onto the output
path. When an older dataset is there, the two folders are swapped in one
``renameat2(RENAME_EXCHANGE)`` call, so a reader sees the old complete dataset or the new
one, never a mix; the old one is then deleted. A run killed at any moment leaves at most a
hidden staging folder, which the next run removes.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import json
import os
import shutil
from pathlib import Path
from types import TracebackType
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .errors import ExtractError, writing
from .models import ROW_MODELS, SCHEMA_VERSION, Manifest, Row
from .schema import arrow_schema

MANIFEST = "manifest.json"
PART = "part-{:05d}.parquet"
#: Rows buffered per table before a row group is written.
ROW_GROUP = 10_000
_STAGING_PREFIX = ".extract-staging-"


class DatasetWriter:
    """Writes the tables of one dataset; use as a context manager, then :meth:`publish`."""

    def __init__(self, output: Path, *, overwrite: bool = False):
        self.output = output
        self.overwrite = overwrite
        check_output(output, overwrite)
        output.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_staging(output.parent, output.name)
        self.staging = output.parent / f"{_STAGING_PREFIX}{output.name}-{os.getpid()}"
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.staging.mkdir()
        self._models: dict[str, type[Row]] = {m.table: m for m in ROW_MODELS}
        self._pending: dict[str, list[pa.Table]] = {t: [] for t in self._models}
        self._pending_rows: dict[str, int] = dict.fromkeys(self._models, 0)
        self._writers: dict[str, pq.ParquetWriter] = {}
        self.counts: dict[str, int] = dict.fromkeys(self._models, 0)
        self._published = False

    def __enter__(self) -> DatasetWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._published:
            self.abort()

    def scratch_path(self, name: str) -> Path:
        """A place for a temporary file or folder of this run, inside the staging folder.

        The caller removes it before :meth:`publish`; a killed run's goes with its
        staging folder.
        """
        return self.staging / f".{name}"

    def add(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Rows as dicts (keys other than the table's columns are ignored)."""
        if rows:
            schema = arrow_schema(self._models[table])
            self.add_table(table, pa.Table.from_pylist(rows, schema=schema))

    def add_table(self, table: str, rows: pa.Table) -> None:
        """Rows as an Arrow table holding (at least) the table's columns, of its types."""
        if rows.num_rows == 0:
            return
        schema = arrow_schema(self._models[table])
        self._pending[table].append(rows.select(schema.names))
        self._pending_rows[table] += rows.num_rows
        self.counts[table] += rows.num_rows
        while self._pending_rows[table] >= ROW_GROUP:
            self._flush(table, ROW_GROUP)

    def _flush(self, table: str, count: int) -> None:
        """Write the first ``count`` pending rows of a table as one row group."""
        schema = arrow_schema(self._models[table])
        path = self.staging / table / PART.format(0)
        writer = self._writers.get(table)
        if writer is None:
            with writing(path):
                path.parent.mkdir(exist_ok=True)
                writer = pq.ParquetWriter(
                    path,
                    schema,
                    compression="zstd",
                    write_statistics=True,
                    store_schema=True,
                )
            self._writers[table] = writer
        if not count:
            return
        pending = pa.concat_tables(self._pending[table])
        group = pa.Table.from_batches(
            pending.slice(0, count).combine_chunks().to_batches(), schema=schema
        )
        with writing(path):
            writer.write_table(group, row_group_size=ROW_GROUP)
        rest = pending.slice(count)
        self._pending[table] = [rest] if rest.num_rows else []
        self._pending_rows[table] = rest.num_rows

    def reset_tables(self) -> None:
        """Drop every row added so far, as if none had been: the tables start again."""
        for table, writer in self._writers.items():
            path = self.staging / table / PART.format(0)
            with writing(path):
                writer.close()
                path.unlink(missing_ok=True)
        self._writers = {}
        self._pending = {t: [] for t in self._models}
        self._pending_rows = dict.fromkeys(self._models, 0)
        self.counts = dict.fromkeys(self._models, 0)

    def close_tables(self) -> dict[str, list[str]]:
        """Flush and close every table (each gets a part, even when empty)."""
        for table in self._models:
            self._flush(table, self._pending_rows[table])
        for table, writer in self._writers.items():
            with writing(self.staging / table / PART.format(0)):
                writer.close()
        return {t: [f"{t}/{PART.format(0)}"] for t in self._models}

    def publish(self, manifest: Manifest) -> None:
        """Write the manifest last, then move the dataset into place atomically."""
        text = json.dumps(manifest.model_dump(mode="json"), indent=2, sort_keys=True) + "\n"
        with writing(self.staging / MANIFEST):
            (self.staging / MANIFEST).write_text(text, encoding="utf-8")
        with writing(self.staging):
            _fsync_tree(self.staging)
        if self.output.exists() or self.output.is_symlink():
            check_output(self.output, self.overwrite)
            _exchange(self.staging, self.output)
            self._published = True
            shutil.rmtree(self.staging, ignore_errors=True)  # now the previous dataset
        else:
            os.rename(self.staging, self.output)
            self._published = True
        _fsync_dir(self.output.parent)

    def abort(self) -> None:
        for writer in self._writers.values():
            with contextlib.suppress(Exception):
                writer.close()
        shutil.rmtree(self.staging, ignore_errors=True)


def check_output(output: Path, overwrite: bool) -> None:
    """Refuse an output path that holds something we must not replace."""
    if not (output.exists() or output.is_symlink()):
        return
    if not overwrite:
        raise ExtractError(
            "the output directory already exists",
            where=str(output),
            hint="use --overwrite to replace it",
        )
    if not output.is_dir() or output.is_symlink():
        raise ExtractError(
            "the output path is not a directory; refusing to replace it", where=str(output)
        )
    why = not_a_dataset(output)
    if why is not None:
        raise ExtractError(
            f"refusing to replace it: {why}",
            where=str(output),
            hint="--overwrite replaces only a dataset written by extract; "
            "choose another -o, or move the folder away first",
        )


def not_a_dataset(folder: Path) -> str | None:
    """Why ``folder`` is not provably a dataset written by ``extract`` (None when it is,
    or when it is empty).

    A dataset holds ``manifest.json`` whose ``tool`` is ``extract`` and whose
    ``schema_version`` has our major version, and besides it only table folders of
    Parquet parts: any other file means the folder holds something a user may need.
    """
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        return f"it cannot be listed ({exc.strerror or exc})"
    if not entries:
        return None
    manifest = folder / MANIFEST
    if not manifest.is_file() or manifest.is_symlink():
        return "it is not an extract dataset (no manifest.json)"
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "its manifest.json is not an extract manifest (not readable JSON)"
    if not isinstance(data, dict) or data.get("tool") != "extract":
        return 'its manifest.json was not written by extract (no "tool": "extract")'
    version = data.get("schema_version")
    if not isinstance(version, str) or version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        return f"its manifest.json has schema_version {version!r}, not {SCHEMA_VERSION}"
    listed = data.get("tables")
    tables = set(listed) if isinstance(listed, dict) else set()
    tables |= {model.table for model in ROW_MODELS}
    for entry in entries:
        if entry.name == MANIFEST:
            continue
        if entry.name not in tables or entry.is_symlink() or not entry.is_dir():
            return f"it holds {entry.name!r}, which is not part of a dataset"
        try:
            parts = list(os.scandir(entry.path))
        except OSError as exc:
            return f"{entry.name}/ cannot be listed ({exc.strerror or exc})"
        for part in parts:
            if not part.name.endswith(".parquet") or part.is_symlink() or not part.is_file():
                return f"it holds {entry.name}/{part.name}, which is not part of a dataset"
    return None


def _remove_stale_staging(parent: Path, name: str) -> None:
    """Remove staging folders left by killed runs (their process is gone)."""
    prefix = f"{_STAGING_PREFIX}{name}-"
    for entry in parent.glob(prefix + "*"):
        pid = entry.name[len(prefix) :]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> None:
    """Swap two paths atomically (Linux renameat2); fall back to two renames."""
    libc_name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(libc_name, use_errno=True) if libc_name else None
    renameat2 = getattr(libc, "renameat2", None) if libc else None
    if renameat2 is not None:
        result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
        if result == 0:
            return
        err = ctypes.get_errno()
        if err not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
            raise OSError(err, os.strerror(err), str(b))
    # No atomic exchange here (another OS, or a file system without it): for a moment
    # the output path is missing, but it never holds a mix of two datasets.
    backup = a.with_name(a.name + ".old")
    os.rename(b, backup)
    os.rename(a, b)
    os.rename(backup, a)


def _fsync_tree(root: Path) -> None:
    for directory, _, files in os.walk(root):
        for name in files:
            fd = os.open(os.path.join(directory, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(directory))


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
