"""Build hook: compiles the rule engines with mypyc when a regular wheel is built.

``pip install .`` builds a wheel, and this hook compiles the modules that its section
of ``pyproject.toml`` lists (``modules``: the code that runs on every record)
into C extensions that sit beside their ``.py`` files in the wheel; Python imports an
extension before a source file of the same name. The compiled code is the same code: it
passes the same type checks and gives byte-identical tables (a slow test checks this),
in about two thirds of the time.

Left pure Python:

* an editable install (``pip install -e .``, the test set-up), so that an edited module
  takes effect at once and the tests run the source;
* any build with ``EXTRACT_PURE_PYTHON=1`` in its environment;
* a machine where the compilation fails (no C compiler): the build says so on standard
  error and goes on pure Python. ``extract --version`` says which one is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

_SETUP = """\
import sys
from setuptools import setup
from mypyc.build import mypycify

modules = sys.argv[1:]
sys.argv[1:] = ["build_ext", "--build-lib", {build!r}, "--build-temp", {temp!r}]
# (only the compiled modules must type-check here: the modules they import are read
# for their types alone, since the build lacks the optional packages some import, Dask)
options = ["--config-file", {config!r}, "--follow-imports", "silent"]
extensions = mypycify([*options, *modules], opt_level="3")
setup(name="extract-compiled", packages=[], py_modules=[], ext_modules=extensions)
"""


class CompileHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        if os.environ.get("EXTRACT_PURE_PYTHON", "") not in ("", "0"):
            self.app.display_info("EXTRACT_PURE_PYTHON is set: extract stays pure Python")
            return
        root = Path(self.root)
        modules = list(self.config["modules"])
        self._dir = Path(tempfile.mkdtemp(prefix="extract-mypyc-"))
        build, temp, source = self._dir / "lib", self._dir / "temp", self._dir / "source"
        # (compiled from a copy: setuptools would read the project's own pyproject.toml,
        # whose [project] table is hatchling's; mypy reads its settings from it all the same)
        shutil.copytree(root / "extract", source / "extract")
        script = self._dir / "setup_mypyc.py"
        setup = _SETUP.format(build=str(build), temp=str(temp), config=str(root / "pyproject.toml"))
        script.write_text(setup, encoding="utf-8")
        self.app.display_info(f"compiling {len(modules)} modules with mypyc (a few minutes)")
        done = subprocess.run(
            [sys.executable, str(script), *modules],
            cwd=source,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        built = sorted(build.rglob("*.so")) + sorted(build.rglob("*.pyd"))
        if done.returncode != 0 or not built:
            tail = "\n".join(done.stdout.splitlines()[-20:])
            print(
                "extract: the mypyc compilation failed; installing pure Python, which is"
                f" slower but gives the same output.\n{tail}",
                file=sys.stderr,
            )
            return
        for path in built:
            build_data["force_include"][str(path)] = path.relative_to(build).as_posix()
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        directory = getattr(self, "_dir", None)
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)
