"""The command line: exit codes, exact messages, help on every command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from extract import __version__
from extract.cli import main
from extract.version import build

PAGE = "Daily Papers\n\nJul 29\n\nWidgetron: Fast Widgets\n\nWe build widgets 2.5x faster.\n"


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "page.txt"
    path.write_text(PAGE, encoding="utf-8")
    return path


def test_run_writes_a_dataset_and_prints_a_summary(
    runner: CliRunner, page: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(main, ["run", str(page), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {out} (daily_papers) in ")
    assert "1 records" in result.output.splitlines()[0]
    # a table: records on the left, rows per table in the middle, stage times on the right
    table = {}
    for line in result.output.splitlines()[3:9]:
        table.update(re.findall(r"([a-z][a-z ]*?)\s+(\d+)(?:\s|$)", line))
    assert table == {
        "records in": "1", "papers": "1", "merged": "0", "rejected": "0", "files rejected": "0",
        "claims": "1", "benchmarks": "0", "links": "0", "appearances": "1", "rejects": "0",
    }  # fmt: skip
    assert re.search(r"^  .*extract\s+\d+\.\d\d\s+\d+%$", result.output, re.MULTILINE)
    assert (out / "manifest.json").is_file()


def test_quiet_prints_nothing_and_the_bar_stays_off_the_terminal(
    runner: CliRunner, page: Path, tmp_path: Path
) -> None:
    result = runner.invoke(main, ["run", str(page), "-o", str(tmp_path / "out"), "--quiet"])
    assert (result.exit_code, result.output) == (0, "")
    # not a terminal: no bar, only the summary (and with --json, only JSON on stdout)
    result = runner.invoke(main, ["run", str(page), "-o", str(tmp_path / "o2"), "--json"])
    assert json.loads(result.output)["counts"]["papers"] == 1


def test_run_json_summary(runner: CliRunner, page: Path, tmp_path: Path) -> None:
    result = runner.invoke(main, ["run", str(page), "-o", str(tmp_path / "out"), "--json"])
    summary = json.loads(result.output)
    assert summary["counts"]["papers"] == 1
    assert summary["inputs"][0]["format"] == "daily_papers_text"


def test_existing_output_is_refused_without_overwrite(
    runner: CliRunner, page: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert runner.invoke(main, ["run", str(page), "-o", str(out)]).exit_code == 0
    result = runner.invoke(main, ["run", str(page), "-o", str(out)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {out}: the output directory already exists (use --overwrite to replace it)\n"
    )
    assert runner.invoke(main, ["run", str(page), "-o", str(out), "--overwrite"]).exit_code == 0


def test_a_folder_that_is_not_a_dataset_is_never_replaced(
    runner: CliRunner, page: Path, tmp_path: Path
) -> None:
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.tex").write_text("do not delete")
    result = runner.invoke(main, ["run", str(page), "-o", str(out), "--overwrite"])
    assert result.exit_code == 1
    assert "not an extract dataset" in result.output
    assert (out / "thesis.tex").read_text() == "do not delete"


def test_missing_input_is_one_line_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["run", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path / 'nope.txt'}: no such file or directory\n"
    assert not (tmp_path / "o").exists()


def test_unknown_option_is_usage_exit_2(runner: CliRunner) -> None:
    assert runner.invoke(main, ["run", "--no-such-option"]).exit_code == 2


def test_unknown_pipeline(runner: CliRunner, page: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        main, ["run", str(page), "-o", str(tmp_path / "o"), "--pipeline", "nope"]
    )
    assert result.exit_code == 1
    assert (
        result.output
        == "Error: no pipeline 'nope' (give a pipeline folder or one of: daily_papers)\n"
    )


def test_too_many_rejects_writes_the_dataset_and_exits_3(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(PAGE)
    (tmp_path / "in" / "blob.bin").write_bytes(b"\x00\x01\x02" * 10)
    out = tmp_path / "o"
    result = runner.invoke(main, ["run", str(tmp_path / "in"), "-o", str(out)])
    assert result.exit_code == 3
    assert (out / "manifest.json").is_file()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["rejected_files"] == 1
    relaxed = runner.invoke(
        main,
        ["run", str(tmp_path / "in"), "-o", str(out), "--overwrite", "--max-reject-rate", "0.6"],
    )
    assert relaxed.exit_code == 0


def test_stdin(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "o"
    result = runner.invoke(main, ["run", "-", "-o", str(out), "--json"], input=PAGE)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["inputs"][0]["path"] == "-"


def test_validate_ok_and_broken(runner: CliRunner, page: Path, tmp_path: Path) -> None:
    out = tmp_path / "o"
    runner.invoke(main, ["run", str(page), "-o", str(out)])
    ok = runner.invoke(main, ["validate", str(out)])
    assert (ok.exit_code, ok.output) == (0, f"{out}: valid\n")
    (out / "manifest.json").unlink()
    broken = runner.invoke(main, ["validate", str(out)])
    assert broken.exit_code == 1
    assert "manifest.json: missing" in broken.output


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.output == f"extract, version {__version__} ({build()})\n"


def test_every_command_has_help_with_an_example(runner: CliRunner) -> None:
    for name in main.commands:  # type: ignore[attr-defined]
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.output, f"`extract {name} --help` shows no example"


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for name in main.commands:  # type: ignore[attr-defined]
        assert f"extract {name}" in readme, f"README.md does not document `extract {name}`"


@pytest.mark.slow
def test_python_dash_m_from_another_directory(tmp_path: Path, page: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "extract", "run", str(page), "-o", "out"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "papers" / "part-00000.parquet").is_file()


def test_column_option_maps_fields(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Headline,Body,Repo\nWidgetron,We build widgets 2.5x faster.,https://github.com/a/w\n"
    )
    out = tmp_path / "o"
    args = ["run", str(path), "-o", str(out), "--json", "--column", "title=Headline"]
    result = runner.invoke(main, [*args, "--column", "abstract=Body", "--column", "code=Repo"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["counts"]["papers"] == 1 and summary["counts"]["claims"] == 1
    assert summary["inputs"][0]["format"] == "csv_table"
    bad = runner.invoke(main, ["run", str(path), "--column", "colour=Red"])
    assert bad.exit_code == 2 and "expected FIELD=NAME" in bad.output


def test_formats_lists_every_format(runner: CliRunner) -> None:
    from extract.formats import FORMATS

    result = runner.invoke(main, ["formats"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines] == sorted(FORMATS)
    for line, name in zip(lines, sorted(FORMATS), strict=True):
        assert line.endswith(FORMATS[name].description)


def test_every_format_has_a_readme_section() -> None:
    from extract.formats import FORMATS

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for name in FORMATS:
        assert re.search(rf"^### .*\(`{name}`\)$", readme, re.MULTILINE), name


def test_python_dash_m_runs_the_command(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    import runpy

    monkeypatch.setattr(sys, "argv", ["extract", "--version"])
    with pytest.raises(SystemExit) as exited:
        runpy.run_module("extract", run_name="__main__")
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"extract, version {__version__} ({build()})\n"


def test_an_interrupt_swallowed_by_a_gc_callback_still_stops_the_run() -> None:
    """Ctrl-C that lands in a garbage-collector callback (where Python only prints an
    exception, as in Dask's GC diagnostics) is raised again where it stops the run."""
    import gc
    import time

    from extract.cli import _one_interrupt

    def swallowed(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), _one_interrupt():
        gc.callbacks.append(swallowed)
        try:
            gc.collect()
        finally:
            gc.callbacks.remove(swallowed)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            time.sleep(0.01)
