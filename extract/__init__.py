"""extract: turn raw listings of research papers into validated Parquet datasets.

The library behind the ``extract`` command::

    import extract
    summary = extract.run(["listing.txt"], output="output/listing")
    print(summary.counts.papers, summary.output)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .pipeline import RunSummary, run

__all__ = ["RunSummary", "__version__", "run"]


def __getattr__(name: str) -> Any:
    # spaCy takes a second to import; load the pipeline module only when it is used,
    # so `extract --help` and `extract formats` stay instant.
    if name in ("run", "RunSummary"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'extract' has no attribute {name!r}")
