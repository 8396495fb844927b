"""``python -m extract.confidence fit|check``: see :mod:`extract.confidence.gold`."""

from .gold import main

raise SystemExit(main())
