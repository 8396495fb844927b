"""``extract audit``: a self-contained HTML report for checking extracted claims by eye.

:func:`write_report` reads a written dataset (and, optionally, gold annotations) and
writes one HTML file: a summary with charts, flags to look at first, a claims table to
filter and sort, and every abstract with each extracted span highlighted.
"""

from __future__ import annotations

from .report import Report, build_report, default_output, write_report

__all__ = ["Report", "build_report", "default_output", "write_report"]
