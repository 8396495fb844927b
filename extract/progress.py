"""The progress bar a person sees while a run works.

The bar goes to standard error, and only when standard error is a terminal (a run in
a script, a pipe or a CI log prints no bar) and ``--quiet`` is not given; standard
output stays free for ``--json``. It counts records as shards finish, with records per
second and rejects so far; once every input has been read (the last shards are in
flight), it knows the total and shows how much is left.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from .shards import ShardResult

#: What the bar says until the first shard is done.
LOADING = "loading spaCy"


class Progress:
    """A progress bar over records; does nothing when not enabled."""

    def __init__(self, *, enabled: bool, stream: IO[str] | None = None, interval: float = 0.25):
        self.records = 0
        self.rejects = 0
        self._bar = None
        if enabled:
            from tqdm import tqdm

            self._bar = tqdm(
                total=None,
                unit=" records",
                file=stream or sys.stderr,
                dynamic_ncols=True,
                mininterval=interval,
                leave=False,
                # until the first shard is done, the workers are building the spaCy
                # pipeline (seconds): say so rather than sit at nothing
                desc=LOADING,
            )

    def advance(self, result: ShardResult) -> None:
        """A shard is done."""
        if self._bar is not None and self._bar.desc == LOADING:
            self._bar.set_description_str("extract", refresh=False)
        self.records += result.records
        self.rejects += result.rejected
        if self._bar is not None:
            self._bar.set_postfix_str(f"{self.rejects:,} rejects", refresh=False)
            self._bar.update(result.records)
            self._bar.refresh()  # a shard is a second or more of work: always show it

    def total(self, records: int | None) -> None:
        """How many records there are in all, once every input is read (else None)."""
        if records is not None and self._bar is not None and self._bar.total is None:
            self._bar.total = records
            self._bar.refresh()

    def writing(self) -> None:
        """Everything is extracted: the tables are being written."""
        if self._bar is not None:
            self._bar.set_description_str("writing")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
