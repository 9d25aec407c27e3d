"""The command line: `figure-etl run`, `figure-etl eval`.

Exit codes of `run` (README, "Exit codes"): 0 all went well; 1 an internal error stopped the
run; 2 a usage error (bad option or config file, no input files); 3 some inputs this run
processed could not be read, decoded or processed (they are in the documents table with their
error); 4 data expectations failed and `--strict` was given; 5 another run holds the output
folder (without `--wait`); 6 the output could not be published to the `--publish` URL (the
local output is complete; the next run publishes what is missing).
"""
from __future__ import annotations

import gc
import re
import secrets
import sys
import time
import traceback
from collections import Counter
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import click

from ._version import __version__
from .job.outcome import (EXIT_BUSY, EXIT_ERROR, EXIT_EXPECTATIONS_FAILED, EXIT_INPUTS_FAILED, EXIT_OK,
                      EXIT_PUBLISH_FAILED)

BATCH_INPUTS = 500  # the default of --batch-size; etl.job.job.BATCH_INPUTS (not imported: keeps --help light)
MAX_INPUT_MB = 256.0  # processing peaks near 11x the file size in memory (100 MB: 1.1 GB RSS)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="figure-etl")
def main() -> None:
    """Extract investment, money, area, count and percent figures from Chinese text."""


def _apply_config(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Eager `--config` callback: the file's options become the command's defaults.

    Without `--config`, ``[tool.figure-etl]`` of ./pyproject.toml is used when present.
    Options given on the command line still win (click's default_map).
    """
    from .job.config import ConfigError, OptionSpec, find_config, to_defaults

    try:
        found = find_config(value, Path("."))
        if found:
            path, table = found
            specs = [OptionSpec(p.name, (*(o.lstrip("-") for o in p.opts if o.startswith("--")), p.name),
                                tuple(o.lstrip("-") for o in getattr(p, "secondary_opts", ()) if o.startswith("--")),
                                isinstance(p.type, click.Path), p.nargs == -1)
                     for p in ctx.command.params if p.expose_value]
            ctx.default_map = {**(ctx.default_map or {}), **to_defaults(table, specs, path.parent, path)}
    except ConfigError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from exc
    return value


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=str))
@click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path), is_eager=True,
              expose_value=False, callback=_apply_config,
              help="TOML file with defaults for these options [default: [tool.figure-etl] in ./pyproject.toml].")
@click.option("--output", "-o", "output", default="output", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder for the tables, reports and job state.")
@click.option("--strict", is_flag=True, help="Exit with code 4 when a data expectation fails.")
@click.option("--validate/--no-validate", default=True, show_default=True,
              help="Check the rows written with the Great Expectations suites.")
@click.option("--expectations", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Folder of suite JSON files to use instead of the bundled expectations/.")
@click.option("--report/--no-report", default=True, show_default=True,
              help="Write output/report.html (the consistency checks are written either way).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: summary on stdout, progress and errors on stderr; json: one JSON object per line on stdout.")
@click.option("--wait", is_flag=True, help="When another run holds OUTPUT, wait for it instead of exiting with code 5.")
@click.option("--full-refresh", is_flag=True,
              help="Forget what earlier runs saw: process every input again and replace all rows.")
@click.option("--batch-size", type=click.IntRange(min=1), default=BATCH_INPUTS, show_default=True,
              help="Inputs per Parquet part: bounds memory; larger means fewer files.")
@click.option("--max-input-mb", type=click.FloatRange(min=0, min_open=True), default=MAX_INPUT_MB,
              show_default=True, help="Larger inputs are not read; they are recorded as unreadable.")
@click.option("--workers", "-j", type=click.IntRange(min=1), default=None,
              help="Processes (local engine) or LocalCluster workers (dask engine); 1 runs in-process. "
                   "[default: all cores]")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: a process pool on this machine; dask: the workers of a Dask cluster.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler to use (e.g. tcp://host:8786); without it --engine dask starts a "
                   "LocalCluster for the run.")
@click.option("--publish", default=None, metavar="URL",
              help="After the run, mirror the tables and reports to this fsspec URL (s3://, gs://, "
                   "file://, a path ...); only what changed is uploaded.")
def run(inputs: tuple[str, ...], output: Path, strict: bool, validate: bool, expectations: Path | None,
        report: bool, quiet: bool, log_format: str, wait: bool, full_refresh: bool, batch_size: int,
        max_input_mb: float, workers: int | None, engine: str, scheduler: str | None,
        publish: str | None) -> None:
    """Process new and changed INPUTS (files, or folders searched for *.txt) into OUTPUT.

    Incremental: inputs whose path, size and mtime match the last run are not read again;
    changed files replace their earlier rows. One run at a time per OUTPUT (a lock file);
    a run killed at any point leaves the previous tables whole, and the next run finishes.
    """
    from .job.joblog import JobLog
    from .job.state import Busy, job_lock

    log = JobLog(log_format, quiet)
    if not inputs:
        raise click.UsageError("no inputs: give INPUT... or set `inputs` in the config file")
    started = datetime.now(timezone.utc)
    # Sorts by start (runs hold the lock for far more than a millisecond); the suffix keeps it unique.
    run_id = f"{started:%Y%m%dT%H%M%S}.{started.microsecond // 1000:03d}Z-{secrets.token_hex(3)}"
    if _is_url(str(output)):
        raise click.UsageError(f"--output must be a local (or mounted) folder, not {output}: the commit needs "
                               f"rename and a lock; use --publish {output} to mirror the tables there "
                               "(README, Running on a cluster)")
    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    paths = _discover(inputs)
    if not paths:
        raise click.UsageError(f"no input files found in: {', '.join(map(str, inputs))}")

    def waiting(note: str) -> None:
        log.info("waiting", f"waiting for the run holding {output} ({note})", holder=note)

    try:
        with job_lock(output, run_id, wait, on_wait=waiting):
            code = _locked_run(paths, [str(i) for i in inputs], output, run_id, started, log,
                               strict=strict, validate=validate, expectations=expectations, report=report,
                               options=_job_options(full_refresh, batch_size, max_input_mb, workers),
                               engine=_engine_factory(engine, scheduler, workers), publish=publish)
    except Busy as exc:
        log.error("busy", f"another run is working on {output} ({exc}); not started (use --wait to wait)",
                  holder=str(exc), exit_code=EXIT_BUSY)
        sys.exit(EXIT_BUSY)
    if code != EXIT_OK:
        sys.exit(code)


def _is_url(text: str) -> bool:
    # click.Path already folded "s3://b" into "s3:/b"
    return bool(re.match(r"[A-Za-z][A-Za-z0-9+.-]+:/", text))


def _discover(inputs: tuple[str, ...]) -> list:
    """Local arguments as `discover_inputs` finds them, fsspec URLs by listing their folder."""
    from .read.ingest import discover_inputs
    from .read.urls import discover_urls, is_url

    found: list = []
    for arg in inputs:
        found += discover_urls(arg) if is_url(arg) else discover_inputs([arg])
    return list(dict.fromkeys(found))


def _job_options(full_refresh: bool, batch_size: int, max_input_mb: float, workers: int | None):
    from .job.job import JobOptions

    extra = {"workers": workers} if workers else {}
    return JobOptions(full_refresh=full_refresh, batch_inputs=batch_size,
                      max_input_bytes=int(max_input_mb * 2**20), **extra)


def _engine_factory(engine: str, scheduler: str | None, workers: int | None):
    """None for the local engine (the job's default); for dask, a factory the job calls
    only when there is work, so a no-change run starts no cluster."""
    if engine == "local":
        return None
    from .job.engine import default_workers

    def start(n_inputs: int):
        from .job.dask_engine import DaskEngine

        return DaskEngine(scheduler, workers or default_workers())

    return start


def _locked_run(paths: list[Path], inputs: list[str], output: Path, run_id: str, started: datetime,
                log, *, strict: bool, validate: bool, expectations: Path | None, report: bool,
                options, engine=None, publish: str | None = None) -> int:
    """Recover, run the job, validate, report, record and publish; returns the exit code."""
    from .job.job import run_job
    from .job.outcome import Validation, import_gx_in_background, run_record, write_run_record
    from .job.state import recover

    job = validation = None
    try:
        if recover(output):
            log.warning("recovered", f"finished the commit of an interrupted run in {output}")
        log.info("start", f"run {run_id}: {len(paths)} inputs, output {output}", run_id=run_id,
                 inputs=len(paths))
        job = run_job(paths, output, run_id, started, options,
                      progress=log.progress,
                      on_batch=lambda n: log.info("batch", f"batch {n} staged", run_id=run_id, batch=n),
                      engine=engine, on_first_document=import_gx_in_background if validate else None)
        with _heap_frozen():
            validation = (_validate(output, job, expectations, log, run_id, started) if validate
                          else Validation("skipped"))
            review = _review(output, job, report)
    except Exception as exc:
        detail = "".join(traceback.format_exception_only(exc)).strip()
        log.error("internal_error", f"run {run_id} stopped: {detail}", run_id=run_id)
        try:  # best effort: the record of a failed run must not hide the original error
            write_run_record(output, run_record(run_id, started, datetime.now(timezone.utc), EXIT_ERROR,
                                                inputs, job, validation, error=detail))
        except Exception:
            pass
        raise
    code = (EXIT_INPUTS_FAILED if job.failed
            else EXIT_EXPECTATIONS_FAILED if strict and validation.success is False
            else EXIT_OK)
    record = run_record(run_id, started, datetime.now(timezone.utc), code, inputs, job, validation)
    write_run_record(output, record)
    _report(job, validation, review, output, record, log)
    if publish and not _publish(output, publish, log):
        return EXIT_PUBLISH_FAILED  # before 3 and 4: a stale remote copy must not pass as success
    return code


def _validate(output: Path, job, expectations: Path | None, log, run_id: str, started: datetime):
    """The run's validation, and a `validated` line with its wall and CPU seconds (a
    scheduler's log shows what it costs; the benchmark reads it)."""
    from .job.outcome import validate as validate_run

    wall, cpu = time.perf_counter(), time.process_time()
    validation = validate_run(output, job.new_parts["figures"], job.documents, expectations, run_id, started)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    log.info("validated", f"validation ({validation.source}): {wall:.1f} s, {cpu:.1f} s CPU",
             source=validation.source, seconds=round(wall, 3), cpu_seconds=round(cpu, 3))
    return validation


@contextmanager
def _heap_frozen():
    """Keep the cyclic garbage collector off the objects alive at this point.

    Once the job is done, the heap holds Great Expectations, pandas and the job's result,
    all alive to the end of the run. A full collection walks every one of them (about
    0.2 s on the 50 MB benchmark) and frees none; validation and the review each set one
    off. Frozen, collections walk only what is made after. Unfrozen at the end, so that a
    process that goes on (a test session of many runs) collects everything again.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _publish(output: Path, url: str, log) -> bool:
    """Mirror `output` to `url`; False (and an error line) when the URL could not be written."""
    from .job.publish import publish

    try:
        done = publish(output, url)
    except Exception as exc:
        detail = "".join(traceback.format_exception_only(exc)).strip()
        log.error("publish_failed", f"could not publish {output} to {url}: {detail}; the local output is "
                  "complete and the next run publishes what is missing", url=url, error=detail)
        return False
    uploads = sum(op.action == "upload" for op in done)
    log.summary("published", f"published: {url} ({uploads} files uploaded, {len(done) - uploads} deleted)",
                url=url, uploaded=uploads, deleted=len(done) - uploads)
    return True


def _review(output: Path, job, report: bool):
    """report.html, rebuilt only when this run changed the tables (or the page is missing).

    The checks came with the batches; `build_review` only completes the checks table of an
    output folder written by an earlier version (once)."""
    from .review.report import REPORT_NAME, build_review

    if not ((output / "figures").is_dir() and (output / "articles").is_dir()):
        return None  # nothing was extracted yet (every input so far failed)
    if job.wrote_data or (report and not (output / REPORT_NAME).is_file()):
        return build_review(output, no_report=not report)
    return None


def _report(job, validation, review, output: Path, record: dict, log) -> None:
    """The summary (stdout or one JSON event), then one error line per failed input."""
    statuses = Counter(d["status"] for d in job.documents)
    kinds = job.kinds
    docs = f"documents: {len(job.documents)} read"
    if job.documents:
        docs += " (" + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())) + ")"
    if job.unchanged or job.touched:
        docs += f"; {job.unchanged + job.touched} unchanged"
    if job.superseded:
        docs += f"; {job.superseded} changed (earlier versions superseded)"
    figures = f"figures:   {job.figures_written}"
    if kinds:
        figures += " (" + ", ".join(f"{kinds[k]} {k}" for k in sorted(kinds)) + ")"
    if job.figures_removed:
        figures += f"; {job.figures_removed} removed with superseded versions"
    lines = [docs, figures]
    if validation.source == "cached":
        lines.append("nothing new to validate; last validation: " + validation.text)
    elif validation.text:
        lines.append(validation.text)
    if review is not None:
        lines.append(str(review))
    lines += [f"tables:    {output}/figures, {output}/articles, {output}/documents",
              f"run:       {job.run_id} ({output}/runs/run-{job.run_id}.parquet)"]
    log.summary("run_finished", "\n".join(lines), **{k: v for k, v in record.items()
                                                     if k not in ("started_at", "finished_at")},
                statuses=dict(statuses), kinds=dict(kinds))
    for d in job.failed:
        log.error("input_failed", f"{d['path']}: {d['status']}: {d['error']}",
                  path=d["path"], status=d["status"], error=d["error"])


@main.command(name="eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--errors/--no-errors", default=True, show_default=True,
              help="List each miss, extra and label error with its sentence.")
def eval_command(gold_dir: Path, inputs: tuple[Path, ...], errors: bool) -> None:
    """Score extraction on INPUTS against the gold JSONL files in GOLD_DIR."""
    from .review.evaluate import evaluate, format_report, load_gold
    from .read.ingest import decode_bytes, discover_inputs
    from .pipeline import extract_figures

    output = {}
    for path in discover_inputs(inputs):
        text, _ = decode_bytes(path.read_bytes())
        output[path.name] = [f.to_dict() for f in extract_figures(text)]
    click.echo(format_report(evaluate(load_gold(gold_dir), output), show_errors=errors))


@main.command(name="report")
@click.argument("output_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--no-report", is_flag=True, help="Write the checks table only, not report.html.")
def report_command(output_dir: Path, no_report: bool) -> None:
    """Rebuild the checks table and report.html from the tables in OUTPUT_DIR.

    Takes the output folder's lock (waiting for a run that holds it): a run's commit
    rewrites checks parts too.
    """
    from .review.report import build_review
    from .job.state import job_lock
    from .tables.write import SchemaMismatchError

    def waiting(note: str) -> None:
        click.echo(f"waiting for the run holding {output_dir} ({note})", err=True)

    try:
        with job_lock(output_dir, "report", wait=True, on_wait=waiting):
            summary = build_review(output_dir, no_report=no_report, recheck=True)
    except (FileNotFoundError, SchemaMismatchError) as exc:
        raise click.ClickException(f"{exc} (run `figure-etl run` first)") from exc
    click.echo(str(summary))


@main.command(name="publish")
@click.argument("output_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("url")
@click.option("--wait", is_flag=True, help="When a run holds OUTPUT_DIR, wait for it instead of exiting with code 5.")
def publish_command(output_dir: Path, url: str, wait: bool) -> None:
    """Mirror the tables and reports in OUTPUT_DIR to URL (what `run --publish URL` does after a run)."""
    from .job.joblog import JobLog
    from .job.state import Busy, job_lock

    try:
        with job_lock(output_dir, "publish", wait):
            ok = _publish(output_dir, url, JobLog("text", False))
    except Busy as exc:
        click.echo(f"error: a run is working on {output_dir} ({exc}); not published (use --wait)", err=True)
        sys.exit(EXIT_BUSY)
    if not ok:
        sys.exit(EXIT_PUBLISH_FAILED)


if __name__ == "__main__":  # pragma: no cover
    main()
