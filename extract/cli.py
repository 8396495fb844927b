"""The ``extract`` command: parse options, call the library, map errors to exit codes.

Exit codes: 0 dataset written; 3 dataset written but rejects exceeded the allowed rate;
1 an error the user can fix (nothing written); 2 usage; 130 interrupted (Ctrl-C; nothing
written, the staging folder removed).
"""

from __future__ import annotations

import _thread
import contextlib
import difflib
import errno
import json
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from .errors import ExtractError
from .options import RunOptions
from .version import __version__, build

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_TOO_MANY_REJECTS = 3
#: 128 + SIGINT, what a shell reports for a command stopped with Ctrl-C
EXIT_INTERRUPTED = 130

F = TypeVar("F", bound=Callable[..., Any])


def user_errors(func: F) -> F:
    """Turn the library's user-facing errors into one-line messages and exit code 1, and
    Ctrl-C into one line and exit code 130."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with _one_interrupt():
                return func(*args, **kwargs)
        except KeyboardInterrupt:
            # what was under way has been undone on the way here (staging folder, workers)
            click.echo("extract: interrupted; nothing was written", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except ExtractError as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            hint = ""
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                hint = " (free some space, or write elsewhere with -o; nothing was written)"
            raise click.ClickException(f"{where}{exc.strerror or exc}{hint}") from None

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(f"{__version__} ({build()})", prog_name="extract")
def main() -> None:
    """Turn raw listings of research papers into validated Parquet datasets.

    \b
    Example:
      extract run listing.txt -o output/listing
      extract validate output/listing
    """


@main.command()
@click.argument("inputs", nargs=-1, metavar="[INPUT]...")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Output directory (default: output/<name>).",
)
@click.option(
    "--pipeline",
    default=RunOptions.model_fields["pipeline"].default,
    show_default=True,
    metavar="NAME|PATH",
    help="Bundled pipeline name or pipeline folder.",
)
@click.option(
    "--overwrite", is_flag=True, help="Replace an existing dataset at the output path (atomically)."
)
@click.option(
    "--year",
    type=click.IntRange(1900, 2999),
    help="Year of listing dates written without one ('Jul 29').",
)
@click.option(
    "--format",
    "format_name",
    metavar="NAME",
    callback=lambda ctx, param, value: _format_name(value),
    help="Skip detection and read every input in this format (see `extract formats`).",
)
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="FIELD=NAME",
    callback=lambda ctx, param, value: _columns(value),
    help="Read FIELD from the column or key NAME (JSON Lines, CSV, Parquet, JSON); "
    "FIELD is one of: title, abstract, arxiv_id, authors, date, upvotes, code, project. "
    "Repeatable.",
)
@click.option(
    "--max-reject-rate",
    type=click.FloatRange(0, 1),
    default=RunOptions.model_fields["max_reject_rate"].default,
    show_default=True,
    help="Exit 3 when more than this share of records and files is rejected.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Processes that extract (default: every core).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default=RunOptions.model_fields["engine"].default,
    show_default=True,
    help="Where the work runs: this machine, or a Dask cluster.",
)
@click.option(
    "--address",
    metavar="ADDRESS",
    help="Dask scheduler to use with --engine dask (default: a local cluster).",
)
@click.option(
    "--incremental",
    is_flag=True,
    help="Reuse what an earlier run computed for inputs that have not changed.",
)
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Cache of --incremental (default: .extract-cache-<name> beside the output).",
)
@click.option(
    "--shard-size",
    "shard_size",
    type=click.IntRange(min=1),
    default=RunOptions.model_fields["shard_size"].default,
    show_default=True,
    metavar="RECORDS",
    help="Records per unit of work that the workers share.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
@user_errors
def run(
    inputs: tuple[str, ...],
    output: Path | None,
    pipeline: str,
    overwrite: bool,
    year: int | None,
    format_name: str | None,
    columns: dict[str, str],
    max_reject_rate: float,
    workers: int | None,
    engine: str,
    address: str | None,
    incremental: bool,
    cache_dir: Path | None,
    shard_size: int,
    quiet: bool,
    as_json: bool,
) -> None:
    """Convert listings into a dataset of Parquet tables.

    INPUT is a file, a directory (read recursively, hidden files skipped) or - for
    standard input. With no INPUT, the sample listing bundled with extract is used.

    A progress bar shows on standard error when it is a terminal. Every input is split
    into records, which are cut into shards of --shard-size records for the workers,
    so one large file of any format uses every core.

    \b
    Examples:
      extract run                                  # the bundled sample -> output/sample
      extract run papers.txt -o output/papers
      extract run crawl/ listings/ -o output/all     # every format, detected
      extract run export.csv --column title=Headline --column abstract=Body
      pbpaste | extract run - -o output/today --year 2026
      extract run daily/ -o output/daily --overwrite --incremental   # only new days
      extract run dump.jsonl --engine dask --address tcp://scheduler:8786
    """
    from .pipeline import run as run_pipeline
    from .summary import summary_table

    if address and engine != "dask":
        raise click.UsageError("--address names a Dask scheduler: give --engine dask too")
    if "-" in inputs and stdin_is_terminal():
        click.echo(
            "extract: reading a listing from standard input; paste it, then press Ctrl-D "
            "on a line of its own (or give a file instead of -)",
            err=True,
        )
    options = RunOptions(
        pipeline=pipeline,
        overwrite=overwrite,
        year=year,
        format=format_name,
        columns=columns,
        max_reject_rate=max_reject_rate,
        workers=workers,  # None: every core
        engine=engine,  # one of the choices above
        address=address,
        incremental=incremental,
        cache_dir=cache_dir,
        shard_size=shard_size,
        progress=not quiet and sys.stderr.isatty(),
    )
    summary = run_pipeline(inputs, output, options)
    if as_json:
        click.echo(json.dumps(summary.to_dict(), indent=2, sort_keys=True))
    elif not quiet:
        click.echo(summary_table(summary))
    if summary.too_many_rejects:
        click.echo(
            f"extract: {summary.reject_rate:.1%} of records rejected, more than "
            f"--max-reject-rate {summary.max_reject_rate:.1%}; see the rejects table",
            err=True,
        )
        sys.exit(EXIT_TOO_MANY_REJECTS)


@contextlib.contextmanager
def _one_interrupt() -> Iterator[None]:
    """Ctrl-C raises KeyboardInterrupt once; a second one, while the first is being
    cleaned up after (workers stopped, staging folder removed), is ignored so that it
    cannot leave half of it done."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupted(signum: int, frame: object) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise KeyboardInterrupt

    def unraisable(hook: Any) -> None:
        # The interrupt landed where an exception cannot propagate (a garbage collector
        # callback, a __del__: Dask's GC diagnostics run there), and Python only printed
        # it: raise it again in the main thread's next step, where it stops the run.
        if issubclass(hook.exc_type, KeyboardInterrupt):
            signal.signal(signal.SIGINT, interrupted)
            # (a moment later, from another thread: at once it would land in this hook)
            timer = threading.Timer(0.05, _thread.interrupt_main)
            timer.daemon = True
            timer.start()
            return
        previous_hook(hook)

    previous = signal.signal(signal.SIGINT, interrupted)
    previous_hook = sys.unraisablehook
    sys.unraisablehook = unraisable
    yield
    sys.unraisablehook = previous_hook
    signal.signal(signal.SIGINT, previous)  # not after an interrupt: the process ends


def stdin_is_terminal() -> bool:
    """Whether standard input is a terminal (someone would wait for it without knowing)."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


#: Names people write for a format, and the format they mean.
_FORMAT_ALIASES = {
    "jsonl": "json_lines",
    "ndjson": "json_lines",
    "csv": "csv_table",
    "tsv": "csv_table",
    "parquet": "parquet_table",
    "atom": "arxiv_atom",
    "txt": "daily_papers_text",
    "text": "daily_papers_text",
}


def _format_name(value: str | None) -> str | None:
    """The --format value, when it names a format; otherwise a usage error saying which
    format was probably meant."""
    from .formats import FORMATS

    if value is None or value in FORMATS:
        return value
    key = value.strip().lower().lstrip(".")
    if key in FORMATS:
        return key
    guess = _FORMAT_ALIASES.get(key) or next(
        iter(difflib.get_close_matches(key, list(FORMATS), n=1, cutoff=0.5)), None
    )
    hint = f"did you mean '{guess}'? " if guess else ""
    raise click.BadParameter(
        f"'{value}' is not a format; {hint}`extract formats` lists them",
        param_hint="--format",
    )


def _columns(values: tuple[str, ...]) -> dict[str, str]:
    from .formats.fields import COLUMN_FIELDS

    columns: dict[str, str] = {}
    for value in values:
        name, sep, column = value.partition("=")
        name = name.strip()
        if not sep or not column.strip() or name not in COLUMN_FIELDS:
            raise click.BadParameter(
                f"'{value}': expected FIELD=NAME with FIELD one of {', '.join(COLUMN_FIELDS)}",
                param_hint="--column",
            )
        columns[name] = column.strip()
    return columns


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@user_errors
def validate(directory: Path) -> None:
    """Re-check every row of a written dataset against the JSON Schemas.

    Exits 0 when every row holds, 1 with the list of problems otherwise.

    \b
    Example:
      extract validate output/sample
    """
    from .check import validate_dataset

    problems = validate_dataset(directory)
    if problems:
        for problem in problems:
            click.echo(problem)
        click.echo(f"{directory}: {len(problems)} problem(s)", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(f"{directory}: valid")


@main.command()
@click.option("--check", is_flag=True, help="Exit 1 when schemas/ differs from the models.")
@click.option(
    "--dir",
    "directory",
    type=click.Path(path_type=Path),
    help="Schema folder (default: the checkout's schemas/).",
)
@user_errors
def schema(check: bool, directory: Path | None) -> None:
    """Write schemas/*.schema.json from the pydantic models.

    \b
    Examples:
      extract schema            # regenerate after changing extract/models.py
      extract schema --check    # CI: fail when the committed schemas drifted
    """
    from .resources import checkout_schemas_dir, schemas_dir
    from .schema import drift, write_schemas

    if check:
        target = directory or schemas_dir()
        problems = drift(target)
        if problems:
            for problem in problems:
                click.echo(f"{target}/{problem}")
            click.echo("run `extract schema` to regenerate them", err=True)
            sys.exit(EXIT_ERROR)
        click.echo(f"{target}: up to date")
        return
    target = directory or checkout_schemas_dir()
    for path in write_schemas(target):
        click.echo(f"wrote {path}")


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Report file (default: DIR.audit.html beside the dataset).",
)
@click.option(
    "--gold",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="GOLD.jsonl",
    help="Gold annotations: mark misses and false positives in the text.",
)
@click.option("--open", "open_report", is_flag=True, help="Open the report in a web browser.")
@user_errors
def audit(directory: Path, output: Path | None, gold: Path | None, open_report: bool) -> None:
    """Write an HTML report to check every extracted claim against its text.

    One self-contained file (nothing is fetched when it is opened): a summary with
    charts, flags to look at first, a claims table to filter and sort, and every
    abstract with each extracted span highlighted; hover a highlight for its row.

    \b
    Examples:
      extract audit output/sample --open
      extract audit output/seed -o seed.html --gold seed.gold.jsonl
    """
    import webbrowser

    from .audit import write_report

    path, report = write_report(directory, output, gold=gold)
    line = f"wrote {path}: {report.papers} papers, {report.claims} claims, {report.flags} flags"
    if gold is not None:
        line += f", {report.findings} differences from the gold"
    click.echo(line)
    if open_report:
        webbrowser.open(path.resolve().as_uri())


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--benchmark", metavar="NAME", help="Only this benchmark (any spelling).")
@click.option("--metric", metavar="NAME", help="Only this metric (canonical name).")
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    metavar="P",
    help="Leave out claims whose confidence is below P.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "markdown", "csv", "json", "html", "eval-results", "model-index"]),
    default="table",
    show_default=True,
    help="table, markdown, csv, json, html, or Hugging Face YAML (eval-results, model-index).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to FILE (default: standard output; for html, DIR.leaderboard.html).",
)
@click.option("--pipeline", default="daily_papers", help="Pipeline whose Hub dataset ids to use.")
@user_errors
def leaderboard(
    directory: Path,
    benchmark: str | None,
    metric: str | None,
    min_confidence: float,
    fmt: str,
    output: Path | None,
    pipeline: str,
) -> None:
    """Rank the results of a dataset's claims per benchmark, metric and split.

    Absolute scores are ranked by the metric's direction; gains over a baseline are
    listed apart. Without --benchmark, an index of benchmarks by number of papers
    comes first.

    \b
    Examples:
      extract leaderboard output/dataset
      extract leaderboard output/dataset --benchmark GSM8K --min-confidence 0.5
      extract leaderboard output/dataset --format html -o leaderboard.html
      extract leaderboard output/dataset --format eval-results -o results.yaml
    """
    from .leaderboard.render import render
    from .resources import pipeline_path

    rendered = render(
        directory,
        fmt,
        benchmark=benchmark,
        metric=metric,
        min_confidence=min_confidence,
        pipeline=pipeline_path(pipeline),
    )
    if output is None and fmt == "html":
        output = directory.parent / f"{directory.name}.leaderboard.html"
    for note in rendered.notes:
        click.echo(note, err=True)
    if output is None:
        click.echo(rendered.text, nl=False)
        return
    output.write_text(rendered.text, encoding="utf-8")
    click.echo(f"wrote {output}: {rendered.summary}")


@main.command()
def formats() -> None:
    """List the listing formats extract reads, with a line on each.

    \b
    Example:
      extract formats
    """
    from .formats import FORMATS

    width = max(len(name) for name in FORMATS)
    for name, fmt in sorted(FORMATS.items()):
        click.echo(f"{name:<{width}}  {fmt.description}")


@main.command(name="eval")
@click.argument("directory", type=click.Path(path_type=Path))
@click.argument("gold", type=click.Path(path_type=Path))
@click.option(
    "--show-errors", is_flag=True, help="List every miss and false positive, grouped by kind."
)
@click.option(
    "--by-rule",
    is_flag=True,
    help="Per rule id: the claims (and claim fields) it produced on the gold, and how many "
    "were right.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@user_errors
def eval_(directory: Path, gold: Path, show_errors: bool, by_rule: bool, as_json: bool) -> None:
    """Score a written dataset against gold annotations (JSONL, guideline format).

    Prints precision, recall and F1 for records, URLs, benchmarks, claims (and strict
    claims) and short names, and the accuracy of metric, benchmark, kind and subject on
    the claims that pair with gold claims.

    \b
    Examples:
      extract run listing.txt -o output/listing
      extract eval output/listing listing.gold.jsonl
      extract eval output/listing listing.gold.jsonl --show-errors
      extract eval output/listing listing.gold.jsonl --by-rule
    """
    from .evaluate import format_errors, format_rules, format_table, report_json, run_eval

    report = run_eval(directory, gold)
    if as_json:
        click.echo(report_json(report, with_errors=show_errors, by_rule=by_rule))
        return
    click.echo(format_table(report))
    if by_rule:
        click.echo("")
        click.echo(format_rules(report))
    if show_errors:
        click.echo("")
        click.echo(format_errors(report))
