"""``python -m extract.gazetteers``: rebuild the gazetteer files from the annotated corpora."""

from __future__ import annotations

import sys
from pathlib import Path

import click

_ROOT = Path(__file__).resolve().parents[2]
_DEFAULT_SOURCES = _ROOT.parent / "shared" / "corpus" / "annotated"
_DEFAULT_OUT = _ROOT / "pipelines" / "daily_papers" / "gazetteers"


@click.command(
    epilog="""Example:

    \b
      python -m extract.gazetteers                # rewrite the files in place
      python -m extract.gazetteers --check        # exit 1 if they are out of date
    """
)
@click.option(
    "--sources",
    type=click.Path(file_okay=False, path_type=Path),
    default=_DEFAULT_SOURCES,
    show_default=True,
    help="The annotated corpora folder (shared/corpus/annotated).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=_DEFAULT_OUT,
    show_default=True,
    help="Folder of the gazetteer files; curated.jsonl is read from it.",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when a file differs.")
def main(sources: Path, out: Path, check: bool) -> None:
    """Build benchmarks*.tsv and metrics*.tsv from the annotated corpora and curated.jsonl."""
    try:
        from . import FILES, SourceError, build, write
    except ImportError as exc:  # wordfreq comes with the 'gazetteers' and 'test' extras
        raise click.ClickException(
            f"{exc.name or exc} is missing: pip install 'extract[gazetteers]'"
        ) from None
    try:
        built = build(sources, out / "curated.jsonl")
    except SourceError as exc:
        raise click.ClickException(str(exc)) from None
    for table in (built.benchmarks, built.metrics):
        dropped = ", ".join(f"{n} {why}" for why, n in sorted(table.dropped.items()))
        click.echo(
            f"{table.kind}: {len(table.plain)} entries, {len(table.cased)} case-sensitive"
            f" entries; names left out: {dropped}",
            err=True,
        )
    if check:
        stale = [
            name
            for name in FILES
            if not (out / name).exists()
            or (out / name).read_text(encoding="utf-8") != built.files[name]
        ]
        if stale:
            click.echo(f"out of date: {', '.join(stale)} (run python -m extract.gazetteers)")
            sys.exit(1)
        click.echo("gazetteers are up to date")
        return
    changed = write(built, out)
    click.echo(f"wrote {len(changed)} changed file(s) to {out}")


if __name__ == "__main__":
    main()
