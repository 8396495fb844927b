"""The tool's version, in one place: ``extract --version``, manifests and shard names."""

from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

__version__ = "0.1.0"


def build() -> str:
    """How the rule engines of this installation run: "compiled" when a wheel build put
    their C extensions beside them (``pip install .``; see ``hatch_build.py``), else
    "pure Python" (an editable install, or a machine without a C compiler). Both give
    byte-identical output; the compiled build is faster. Read from the files, without
    importing the engines."""
    folder = Path(__file__).resolve().parent / "nlp"
    compiled = any((folder / f"claims{suffix}").is_file() for suffix in EXTENSION_SUFFIXES)
    return "compiled" if compiled else "pure Python"
