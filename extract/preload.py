"""What the fork server of a run's worker processes holds before it forks them.

:class:`~extract.engines.ProcessPool` starts the server with the run's pipeline folder
in :data:`PIPELINE_VARIABLE`; importing this module there imports spaCy and builds that
pipeline, as :func:`extract.work.process_shard` would on a worker's first shard. Each
worker forked afterwards starts with both, in memory shared with the others until
written to, instead of importing and building them itself (about two seconds of CPU per
worker, mostly regular expressions being compiled).

A pipeline that cannot be built here is left to the workers, which report it as they
would without a server: nothing raised here may stop the server.
"""

from __future__ import annotations

import os

#: The environment variable naming the pipeline folder the server builds.
PIPELINE_VARIABLE = "EXTRACT_FORK_SERVER_PIPELINE"


def _build() -> None:
    path = os.environ.get(PIPELINE_VARIABLE)
    if not path:
        return
    try:
        from .work import prepare

        prepare(path)
    except Exception:  # the workers build it again and say what is wrong
        return


_build()
