"""Parquet: one paper per row, with a title column and usually an abstract.

Read row group by row group with pyarrow, so a large file is never loaded whole.
Columns are found under their usual names or given with ``--column FIELD=NAME``. Rows
have no text offsets in a binary file: ``start`` and ``end`` are 0, and ``position`` is
the 1-based row number.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..read import Source
from ..records import InputRejectedError, RawRecord, RecordProblem
from .base import Format, ReadOptions
from .fields import date_from_path, record_from_mapping

_BATCH_ROWS = 2048


def sniff(head: bytes, name: str) -> float:
    return 0.99 if head.startswith(b"PAR1") else 0.0


def read(source: Source, options: ReadOptions) -> Iterator[RawRecord | RecordProblem]:
    # imported here: a worker process that reads no Parquet input does without pyarrow
    import pyarrow.parquet as pq

    handle = source.open()
    try:
        try:
            parquet = pq.ParquetFile(handle)
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise InputRejectedError(
                "invalid_parquet", f"not a readable Parquet file: {exc}"
            ) from None
        names = parquet.schema_arrow.names
        missing = [f"{f}={c}" for f, c in options.columns.items() if c not in names]
        if missing:
            raise InputRejectedError(
                "missing_column",
                f"no column for {', '.join(missing)} (columns: {', '.join(names)})",
            )
        file_date = date_from_path(source.name)
        defaults: dict[str, Any] = {}
        if file_date is not None:
            defaults.update(date=file_date, date_text=file_date.isoformat())
        position = 0
        batches = parquet.iter_batches(batch_size=_BATCH_ROWS)
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                return
            except Exception as exc:
                position += 1
                yield RecordProblem(
                    source.name, position, "invalid_parquet",
                    f"the rows from here on cannot be read: {exc}", stage="read",
                )  # fmt: skip
                return
            for row in _rows(batch):
                position += 1
                if isinstance(row, str):
                    yield RecordProblem(
                        source.name, position, "invalid_row", f"the row cannot be read: {row}",
                        stage="read",
                    )  # fmt: skip
                    continue
                yield record_from_mapping(
                    {k: _plain(v) for k, v in row.items()},
                    source=source.name,
                    position=position,
                    start=0,
                    end=0,
                    format_name=FORMAT.name,
                    columns=options.columns,
                    defaults=defaults,
                    year=options.year,
                )
    finally:
        handle.close()


def _rows(batch: Any) -> Iterator[dict[str, Any] | str]:
    """The rows of a batch as dicts; a row that cannot be decoded (text that is not
    UTF-8 in a damaged file) is given as the reason instead."""
    try:
        yield from batch.to_pylist()
        return
    except Exception:  # fall back to reading the rows one by one
        pass
    for index in range(batch.num_rows):
        try:
            yield batch.slice(index, 1).to_pylist()[0]
        except Exception as exc:
            yield f"{type(exc).__name__}: {exc}"


def _plain(value: Any) -> Any:
    """Dates and timestamps as ISO text, like the other formats give them."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


FORMAT = Format(
    name="parquet_table",
    description="Parquet with a title column, read row group by row group (--column to map)",
    sniff=sniff,
    read=read,
)
