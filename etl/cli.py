"""The command line: `figure-etl run`, `figure-etl eval`.

Exit codes of `run`: 0 all went well; 1 an internal error stopped the run;
2 a usage error; 3 some inputs could not be read, decoded or processed (they
are in the documents table with their error); 4 data expectations failed and
`--strict` was given.
"""
from __future__ import annotations

import sys
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import click

from ._version import __version__

EXIT_INPUTS_FAILED = 3
EXIT_EXPECTATIONS_FAILED = 4


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="figure-etl")
def main() -> None:
    """Extract investment, money, area, count and percent figures from Chinese text."""


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--output", "-o", "output", default="output", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder for the tables and reports.")
@click.option("--strict", is_flag=True, help="Exit with code 4 when a data expectation fails.")
@click.option("--no-validate", is_flag=True, help="Skip the Great Expectations suites.")
@click.option("--expectations", "suites_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Folder of suite JSON files to use instead of the bundled expectations/.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def run(inputs: tuple[Path, ...], output: Path, strict: bool, no_validate: bool,
        suites_dir: Path | None, quiet: bool) -> None:
    """Run the pipeline on INPUTS (files, or folders searched for *.txt) into OUTPUT."""
    from .ingest import discover_inputs, read_input
    from .pipeline import FAILED_STATUSES, process_input
    from .write import remove_stale_parts, to_arrow, write_table

    started = datetime.now(timezone.utc)
    paths = discover_inputs(inputs)
    if not paths:
        raise click.UsageError(f"no input files found in: {', '.join(map(str, inputs))}")
    documents, articles, figures = [], [], []
    first_path: dict[str, str] = {}  # doc_id → the input that first had this content
    for path in _progress(paths, quiet):
        result = process_input(read_input(path), started)
        doc = result.document
        if doc["status"] == "ok" and doc["doc_id"] in first_path:
            # The same bytes under another name: recorded, not extracted twice.
            documents.append({**doc, "status": "duplicate", "n_articles": 0, "n_figures": 0,
                              "error": f"same content as {first_path[doc['doc_id']]}"})
            continue
        first_path.setdefault(doc["doc_id"], doc["path"])
        documents.append(doc)
        articles.extend(result.articles)
        figures.extend(result.figures)

    tables = {"documents": documents, "articles": articles, "figures": figures}
    arrow = {name: to_arrow(name, rows) for name, rows in tables.items()}
    for name, table in arrow.items():
        write_table(name, table, output)
        remove_stale_parts(name, output, keep=["part-0"])

    failed = [d for d in documents if d["status"] in FAILED_STATUSES]
    summary = None
    if not no_validate:
        from .validate import SUITES_DIR, validate_tables

        summary = validate_tables(arrow["figures"].to_pandas(), arrow["documents"].to_pandas(),
                                  output / "validation", suites_dir or SUITES_DIR)
    if not quiet:
        _print_summary(documents, figures, summary, output)
    for d in failed:
        click.echo(f"error: {d['path']}: {d['status']}: {d['error']}", err=True)
    if failed:
        sys.exit(EXIT_INPUTS_FAILED)
    if strict and summary is not None and not summary.success:
        sys.exit(EXIT_EXPECTATIONS_FAILED)


def _progress(items, quiet: bool):
    """A progress bar on a terminal only: scheduled runs get clean logs."""
    if quiet or not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, unit="doc", desc="extracting")


def _print_summary(documents, figures, summary, output: Path) -> None:
    statuses = Counter(d["status"] for d in documents)
    kinds = Counter(f["kind"] for f in figures)
    click.echo(f"documents: {len(documents)} read (" + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())) + ")")
    click.echo(f"figures:   {len(figures)} (" + ", ".join(f"{kinds[k]} {k}" for k in sorted(kinds)) + ")")
    if summary is not None:
        click.echo(str(summary))
    click.echo(f"tables:    {output}/figures, {output}/articles, {output}/documents")


@main.command(name="eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--errors/--no-errors", default=True, show_default=True,
              help="List each miss, extra and label error with its sentence.")
def eval_command(gold_dir: Path, inputs: tuple[Path, ...], errors: bool) -> None:
    """Score extraction on INPUTS against the gold JSONL files in GOLD_DIR."""
    from .evaluate import evaluate, format_report, load_gold
    from .ingest import decode_bytes, discover_inputs
    from .pipeline import extract_figures

    output = {}
    for path in discover_inputs(inputs):
        text, _ = decode_bytes(path.read_bytes())
        output[path.name] = [f.to_dict() for f in extract_figures(text)]
    click.echo(format_report(evaluate(load_gold(gold_dir), output), show_errors=errors))


if __name__ == "__main__":  # pragma: no cover
    main()
