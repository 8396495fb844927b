"""Where the files that ship with the package live: pipelines, schemas, the sample.

In a regular install they are copied inside the package (``extract/_data``); in a
source checkout or editable install they are read from the repository root, where
people edit them.
"""

from __future__ import annotations

import configparser
import hashlib
import json
from pathlib import Path

from .errors import ExtractError
from .version import __version__

PACKAGE_DIR = Path(__file__).resolve().parent
_INSTALLED = PACKAGE_DIR / "_data"
_CHECKOUT = PACKAGE_DIR.parent

SAMPLE_LISTING = PACKAGE_DIR / "data" / "sample.txt"
DEFAULT_PIPELINE = "daily_papers"


def _data_dir(name: str) -> Path:
    for base in (_INSTALLED, _CHECKOUT):
        candidate = base / name
        if candidate.is_dir():
            return candidate
    raise ExtractError(f"the package data folder '{name}' is missing from {PACKAGE_DIR}")


def pipelines_dir() -> Path:
    return _data_dir("pipelines")


def schemas_dir() -> Path:
    """The schemas shipped with the package (read-only in a regular install)."""
    return _data_dir("schemas")


def checkout_schemas_dir() -> Path:
    """The ``schemas/`` folder of a source checkout, which ``extract schema`` writes."""
    return _CHECKOUT / "schemas"


def pipeline_path(name_or_path: str) -> Path:
    """Resolve ``--pipeline``: a folder path, or the name of a bundled pipeline."""
    as_path = Path(name_or_path)
    if as_path.is_dir():
        return as_path.resolve()
    if "/" not in name_or_path and name_or_path not in (".", ".."):
        bundled = pipelines_dir() / name_or_path
        if bundled.is_dir():
            return bundled
    available = sorted(p.name for p in pipelines_dir().iterdir() if (p / "config.cfg").is_file())
    raise ExtractError(
        f"no pipeline '{name_or_path}'",
        hint=f"give a pipeline folder or one of: {', '.join(available)}",
    )


def pipeline_version(path: Path) -> str:
    """A digest of the tool version and every file of the pipeline folder."""
    digest = hashlib.sha256(__version__.encode())
    for file in sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(file.relative_to(path).as_posix().encode() + b"\0")
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def pipeline_name(path: Path) -> str:
    """The name a pipeline folder's config gives it (``[extract] name``), else the
    folder's name; read without building the pipeline (or importing spaCy)."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path / "config.cfg", encoding="utf-8")
        value = parser.get("extract", "name", fallback="")
        name = json.loads(value) if value else ""
    except (configparser.Error, ValueError, OSError):
        name = ""
    return str(name) if name else path.name
