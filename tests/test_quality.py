"""The linter and the type checker run with the full suite, so CI keeps the code clean.

They start subprocesses (mypy alone takes several seconds), so they are marked slow and
left out of the fast lane."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(
            f"{name} is not installed; it comes with the test extras (pip install '.[test]')"
        )
    return found


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "extract", "tests"],
        ["ruff", "format", "--check", "extract", "tests"],
        ["mypy"],
    ],
    ids=lambda c: " ".join(c),
)
def test_clean(command: list[str]) -> None:
    result = subprocess.run(
        [_tool(command[0]), *command[1:]], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
