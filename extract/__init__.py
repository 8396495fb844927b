"""extract: turn raw listings of research papers into validated Parquet datasets.

The library behind the ``extract`` command::

    import extract
    summary = extract.run(["listing.txt"], output="output/listing")
    print(summary.counts.papers, summary.output)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:
    from .options import RunOptions
    from .pipeline import run
    from .summary import RunSummary

__all__ = ["RunOptions", "RunSummary", "__version__", "run"]


def __getattr__(name: str) -> Any:
    # Loaded when first used, so that `extract --help` and `extract formats` stay instant
    # and a worker process loads only the modules its work needs.
    if name == "run":
        from .pipeline import run

        return run
    if name == "RunSummary":
        from .summary import RunSummary

        return RunSummary
    if name == "RunOptions":
        from .options import RunOptions

        return RunOptions
    raise AttributeError(f"module 'extract' has no attribute {name!r}")
