"""Leaderboards from listings: results across papers, with confidence and evidence.

``extract leaderboard DIR`` reads the claims of a dataset, groups those that name a
benchmark by canonical benchmark, version, split, metric and unit, ranks absolute scores
by the metric's direction and prints them as a table, Markdown, CSV, JSON, a
self-contained HTML page, or the Hugging Face evaluation-results and model-index YAML.
"""

from __future__ import annotations

from .build import Board, Entry, Leaderboards, build, load

__all__ = ["Board", "Entry", "Leaderboards", "build", "load"]
