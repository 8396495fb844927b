"""What a listing format is: the :class:`Format` record every format module fills in,
and the :class:`ReadOptions` every reader takes."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from ..read import Source
from ..records import RawRecord, RecordProblem


@dataclass(frozen=True)
class ReadOptions:
    """Options that readers share."""

    year: int | None = None  #: completes dates written without a year
    #: field -> the column or key an input uses for it (``--column title=Headline``)
    columns: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    #: confidence in [0, 1] that an input with these first bytes and name is this format
    sniff: Callable[[bytes, str], float]
    #: the input's records, in order, each numbered from 1 (its ``position``)
    read: Callable[[Source, ReadOptions], Iterator[RawRecord | RecordProblem]]
