"""The settings of a run, in one model: the command line builds it, :func:`extract.run`
takes it, and the plan, the engines and the manifest read it. Defaults live here only."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .resources import DEFAULT_PIPELINE

#: Records per shard: enough that a shard's fixed costs (a task, a few small files) do
#: not matter, few enough that the last shards of a run do not leave a worker idle long.
SHARD_RECORDS = 1000
DEFAULT_MAX_REJECT_RATE = 0.05


class RunOptions(BaseModel):
    """How to run: what to read with, where the work goes, what to keep."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pipeline: str = Field(DEFAULT_PIPELINE, description="Bundled pipeline name or folder.")
    overwrite: bool = Field(False, description="Replace an existing dataset at the output.")
    year: Annotated[int, Field(ge=1900, le=2999)] | None = Field(
        None, description="Year of listing dates written without one ('Jul 29')."
    )
    format: str | None = Field(None, description="Read every input in this format.")
    columns: dict[str, str] = Field(
        default_factory=dict, description="Field -> the column or key an input uses for it."
    )
    max_reject_rate: Annotated[float, Field(ge=0, le=1)] = Field(
        DEFAULT_MAX_REJECT_RATE,
        description="Above this share of records and files rejected, the run reports it.",
    )
    workers: Annotated[int, Field(ge=1)] | None = Field(
        1, description="Processes that extract; None: every core (the command's default)."
    )
    engine: Literal["local", "dask"] = Field("local", description="Where the work runs.")
    address: str | None = Field(None, description="The Dask scheduler (engine 'dask').")
    incremental: bool = Field(False, description="Reuse shards an earlier run computed.")
    cache_dir: Path | None = Field(None, description="The cache of incremental runs.")
    shard_size: Annotated[int, Field(ge=1)] = Field(
        SHARD_RECORDS, description="Records per shard, the unit of work of the engines."
    )
    progress: bool = Field(False, description="Show a progress bar on standard error.")

    def recorded(self) -> dict[str, Any]:
        """The options that decide the tables, as the manifest records them."""
        return {
            "year": self.year,
            "format": self.format,
            "columns": dict(sorted(self.columns.items())),
            "max_reject_rate": self.max_reject_rate,
        }
