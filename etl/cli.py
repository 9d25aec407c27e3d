"""The command line: `figure-etl run`, `status`, `compact`, `eval`, `report`, `review mark`, `publish`.

Exit codes of `run`: the table in `etl.job.exitcodes` (README, "Exit codes"). Every option
can also be set from the environment: click's ``auto_envvar_prefix`` makes
``FIGURE_ETL_<COMMAND>_<OPTION>`` (``FIGURE_ETL_RUN_OUTPUT``); arguments cannot.
"""
from __future__ import annotations

import gc
import math
import os
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
from .job.interrupt import Interrupted, interruptible
from .job.exitcodes import (EXIT_BUSY, EXIT_ERROR, EXIT_EXPECTATIONS_FAILED, EXIT_INPUTS_FAILED, EXIT_OK,
                            EXIT_PUBLISH_FAILED)

BATCH_INPUTS = 500  # the default of --batch-size; etl.job.job.BATCH_INPUTS (not imported: keeps --help light)
MAX_INPUT_MB = 256.0  # processing peaks near 11x the file size in memory (100 MB: 1.1 GB RSS)
MAX_INPUT_SECONDS = 600.0  # etl.job.job.MAX_INPUT_SECONDS (not imported: keeps --help light)


#: Environment variables: FIGURE_ETL_<COMMAND>_<OPTION>, e.g. FIGURE_ETL_RUN_OUTPUT.
ENV_PREFIX = "FIGURE_ETL"


@click.group(context_settings={"help_option_names": ["-h", "--help"], "auto_envvar_prefix": ENV_PREFIX})
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
                                isinstance(p.type, click.Path), p.nargs == -1 or getattr(p, "multiple", False), _value_type(p))
                     for p in ctx.command.params if p.expose_value]
            ctx.default_map = {**(ctx.default_map or {}), **to_defaults(table, specs, path.parent, path)}
    except ConfigError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from exc
    return value


def _value_type(param: click.Parameter) -> str:
    """What a config file's value for `param` must be (`etl.job.config.OptionSpec.value_type`)."""
    if getattr(param, "is_flag", False):
        return "bool"
    if isinstance(param.type, click.types.IntParamType):
        return "int"
    return "float" if isinstance(param.type, click.types.FloatParamType) else "str"


def _finite(ctx: click.Context, param: click.Parameter, value: float) -> float:
    # FloatRange lets nan (every comparison is false) and inf through
    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a finite number", ctx=ctx, param=param)
    return value


def _output_folder(ctx: click.Context, param: click.Parameter, value: str) -> Path:
    # Taken as text: Path("") is ".", and the tables would land in the working directory
    if not value.strip():
        raise click.BadParameter("is empty; give a folder for the tables", ctx=ctx, param=param)
    return Path(value)


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=str))
@click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path), is_eager=True,
              expose_value=False, callback=_apply_config,
              help="TOML file with defaults for these options [default: [tool.figure-etl] in ./pyproject.toml].")
@click.option("--output", "-o", "output", default="output", show_default=True, callback=_output_folder,
              type=click.Path(file_okay=False, path_type=str), help="Folder for the tables, reports and job state.")
@click.option("--record-idle-runs", is_flag=True,
              help="Add a row to runs/ also for a run that found nothing to do (always in _state/last_run.json).")
@click.option("--strict", is_flag=True, help="Exit with code 4 when a data expectation fails.")
@click.option("--validate/--no-validate", default=True, show_default=True,
              help="Check the rows written with the Great Expectations suites.")
@click.option("--expectations", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Folder of suite JSON files to use instead of the bundled expectations/.")
@click.option("--report/--no-report", default=True, show_default=True,
              help="Write output/report.html (the consistency checks are written either way).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors (--log-level error).")
@click.option("--log-level", type=click.Choice(["debug", "info", "warning", "error"]), default="info",
              show_default=True, help="Drop log lines below this level; errors are always shown.")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: summary on stdout, progress and errors on stderr; json: one JSON object per line on stdout.")
@click.option("--wait", is_flag=True, help="When another run holds OUTPUT, wait for it instead of exiting with code 5.")
@click.option("--full-refresh", is_flag=True,
              help="Forget what earlier runs saw: process every input again and replace all rows.")
@click.option("--batch-size", type=click.IntRange(min=1), default=BATCH_INPUTS, show_default=True,
              help="Inputs per Parquet part: bounds memory; larger means fewer files.")
@click.option("--max-input-mb", type=click.FloatRange(min=0, min_open=True), default=MAX_INPUT_MB, callback=_finite,
              show_default=True, help="Larger inputs are not read; they are recorded as unreadable.")
@click.option("--max-input-seconds", type=click.FloatRange(min=0, min_open=True), default=MAX_INPUT_SECONDS,
              callback=_finite, show_default=True,
              help="An input whose processing takes longer is stopped and recorded as failed.")
@click.option("--workers", "-j", type=click.IntRange(min=1), default=None,
              help="Processes (local engine) or LocalCluster workers (dask engine); 1 runs in-process. "
                   "[default: all cores]")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: a process pool on this machine; dask: the workers of a Dask cluster.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler to use (e.g. tcp://host:8786); without it --engine dask starts a "
                   "LocalCluster for the run.")
@click.option("--pattern", "patterns", multiple=True, metavar="GLOB",
              help="File names to look for in folders (repeat for several; case-insensitive). "
                   "[default: *.txt *.pdf *.html *.htm *.docx]")
@click.option("--publish", default=None, metavar="URL",
              help="After the run, mirror the tables and reports to this fsspec URL (s3://, gs://, "
                   "file://, a path ...); only what changed is uploaded.")
def run(inputs: tuple[str, ...], output: Path, record_idle_runs: bool, strict: bool, validate: bool, expectations: Path | None,
        report: bool, quiet: bool, log_level: str, log_format: str, wait: bool, full_refresh: bool, batch_size: int,
        max_input_mb: float, max_input_seconds: float, workers: int | None, engine: str, scheduler: str | None,
        publish: str | None, patterns: tuple[str, ...]) -> None:
    """Process new and changed INPUTS (files, or folders searched for text, PDF, web pages and
    Word files; see --pattern) into OUTPUT.

    Incremental: inputs whose path, size and mtime match the last run are not read again;
    changed files replace their earlier rows. One run at a time per OUTPUT (a lock file);
    a run killed at any point leaves the previous tables whole, and the next run finishes.
    """
    from .job.joblog import JobLog
    from .job.state import Busy, job_lock

    log = JobLog(log_format, quiet, level=log_level)
    if not inputs:
        raise click.UsageError("no inputs: give INPUT... or set `inputs` in the config file")
    _check_inputs_exist(inputs)
    if validate:
        _check_suites(expectations)
    started = datetime.now(timezone.utc)
    # Sorts by start (runs hold the lock for far more than a millisecond); the suffix keeps it unique.
    run_id = f"{started:%Y%m%dT%H%M%S}.{started.microsecond // 1000:03d}Z-{secrets.token_hex(3)}"
    if _is_url(str(output)):
        raise click.UsageError(f"--output must be a local (or mounted) folder, not {output}: the commit needs "
                               f"rename and a lock; use --publish {output} to mirror the tables there "
                               "(README, Running on a cluster)")
    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    paths, unsupported = _discover(inputs, patterns or None)
    if not paths and not unsupported:
        raise click.UsageError(f"no input files found in: {', '.join(map(str, inputs))}")
    _check_writable(output)

    def waiting(note: str) -> None:
        log.info("waiting", f"waiting for the run holding {output} ({note})", holder=note)

    try:
        with interruptible(), job_lock(output, run_id, wait, on_wait=waiting):
            code = _locked_run(paths, unsupported, [str(i) for i in inputs], output, run_id, started, log,
                               strict=strict, validate=validate, expectations=expectations, report=report,
                               options=_job_options(full_refresh, batch_size, max_input_mb, workers,
                                                    max_input_seconds),
                               engine=_engine_factory(engine, scheduler, workers), publish=publish,
                               record_idle=record_idle_runs)
    except Busy as exc:
        log.error("busy", f"another run is working on {output} ({exc}); not started (use --wait to wait)",
                  holder=str(exc), exit_code=EXIT_BUSY)
        sys.exit(EXIT_BUSY)
    except Interrupted as stop:  # outside the job (waiting for the lock, or after the record)
        log.warning("interrupted", f"run {run_id} stopped by {stop.name}", run_id=run_id,
                    signal=stop.name, exit_code=stop.exit_code)
        sys.exit(stop.exit_code)
    if code != EXIT_OK:
        sys.exit(code)


def _check_writable(output: Path) -> None:
    """A usage error (exit 2) when `output` cannot be made or written (read-only file system,
    no permission), found before anything runs: it is the lock file the run opens first."""
    from .job.state import LOCK_FILE

    try:
        output.mkdir(parents=True, exist_ok=True)
        os.close(os.open(output / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o666))
    except OSError as exc:
        raise UsageFailure(f"--output {output} cannot be written: {exc.strerror or exc}") from None


class UsageFailure(click.ClickException):
    """A usage error told in one line ("Error: ..."), exit code 2, no usage text."""

    exit_code = 2


def _check_inputs_exist(inputs: tuple[str, ...]) -> None:
    """A named input that does not exist is a usage error, before any work: an unmounted
    folder or a typo must not pass for a run that found an unreadable file (exit 3)."""
    from .read.urls import is_url

    missing = [arg for arg in inputs if not is_url(arg) and not os.path.exists(arg)]
    if missing:
        raise click.BadParameter(f"no such file or folder: {', '.join(missing)}", param_hint="INPUTS")


def _check_suites(expectations: Path | None) -> None:
    """The suite files, read and checked before any work (exit 2 naming the file). Suites
    of your own (--expectations) are also loaded by Great Expectations now, which costs its
    import (~4 s) up front; the bundled ones are tested with the package."""
    from .quality.suites import SUITES_DIR, SuiteError, check_suite_files

    try:
        suites = check_suite_files(expectations or SUITES_DIR)
        if expectations is not None:
            from .quality.validate import check_suites_load

            check_suites_load(suites, expectations)
    except SuiteError as exc:
        raise click.BadParameter(str(exc), param_hint="--expectations") from None


def _is_url(text: str) -> bool:
    # click.Path already folded "s3://b" into "s3:/b"
    return bool(re.match(r"[A-Za-z][A-Za-z0-9+.-]+:/", text))


def _discover(inputs: tuple[str, ...], patterns: tuple[str, ...] | None = None) -> tuple[list, list]:
    """Local arguments as `discover_all` finds them, fsspec URLs by listing their folder;
    and the files of the local folders that the job does not read (`patterns`: the globs
    of the files to read, None for the readable suffixes)."""
    from .read.ingest import discover_all
    from .read.urls import discover_urls, is_url

    found: list = []
    unsupported: list = []
    for arg in inputs:
        if is_url(arg):
            found += discover_urls(arg, patterns)
        else:
            readable, others = discover_all([arg], patterns)
            found += readable
            unsupported += others
    found = list(dict.fromkeys(found))
    taken = set(found)
    return found, [p for p in dict.fromkeys(unsupported) if p not in taken]


def _job_options(full_refresh: bool, batch_size: int, max_input_mb: float, workers: int | None,
                 max_input_seconds: float = MAX_INPUT_SECONDS):
    from .job.job import JobOptions

    extra = {"workers": workers} if workers else {}
    return JobOptions(full_refresh=full_refresh, batch_inputs=batch_size,
                      max_input_bytes=int(max_input_mb * 2**20), max_input_seconds=max_input_seconds, **extra)


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


def _locked_run(paths: list[Path], unsupported: list[Path], inputs: list[str], output: Path, run_id: str, started: datetime,
                log, *, strict: bool, validate: bool, expectations: Path | None, report: bool,
                options, engine=None, publish: str | None = None, record_idle: bool = False) -> int:
    """Recover, run the job, validate, report, record and publish; returns the exit code."""
    from .job.job import run_job
    from .job.exitcodes import EXIT_DAMAGED
    from .job.outcome import Validation, import_gx_in_background, run_record, write_run_record
    from .job.state import DamagedState, recover

    job = validation = None
    try:
        if recover(output, discard_damaged=options.full_refresh):
            log.warning("recovered", f"finished the commit of an interrupted run in {output}")
        others = f" (and {len(unsupported)} files of other kinds, not read)" if unsupported else ""
        log.info("start", f"run {run_id}: {len(paths)} inputs{others}, output {output}", run_id=run_id,
                 inputs=len(paths), unsupported=len(unsupported))
        job = run_job(paths, output, run_id, started, options,
                      progress=log.progress,
                      on_batch=lambda n: log.info("batch", f"batch {n} staged", run_id=run_id, batch=n),
                      engine=engine, on_first_document=import_gx_in_background if validate else None,
                      unsupported=unsupported)
        with _heap_frozen():
            validation = (_validate(output, job, expectations, log, run_id, started) if validate
                          else Validation("skipped"))
            review = _review(output, job, report)
    except DamagedState as exc:
        log.error("damaged", f"run {run_id} stopped: {exc}; report.html and validation/ describe the "
                  "tables before the damage", run_id=run_id, path=str(exc.path), exit_code=EXIT_DAMAGED)
        _record_stopped(output, run_record(run_id, started, datetime.now(timezone.utc), EXIT_DAMAGED,
                                           inputs, job, validation, error=str(exc)))
        return EXIT_DAMAGED
    except Interrupted as stop:
        when = "after the commit" if job else "before the commit: the next run processes its inputs again"
        log.warning("interrupted", f"run {run_id} interrupted by {stop.name} {when}", run_id=run_id,
                    signal=stop.name, exit_code=stop.exit_code)
        _record_stopped(output, run_record(run_id, started, datetime.now(timezone.utc), stop.exit_code,
                                           inputs, job, validation, error=f"interrupted by {stop.name} {when}"))
        return stop.exit_code
    except Exception as exc:
        detail = "".join(traceback.format_exception_only(exc)).strip()
        if job is not None:  # committed: the rows are live, the report would describe older ones
            detail += "; " + _drop_stale_report(output)
        log.error("internal_error", f"run {run_id} stopped: {detail}", run_id=run_id)
        _record_stopped(output, run_record(run_id, started, datetime.now(timezone.utc), EXIT_ERROR,
                                           inputs, job, validation, error=detail))
        raise
    code = (EXIT_INPUTS_FAILED if job.failed
            else EXIT_EXPECTATIONS_FAILED if strict and validation.success is False
            else EXIT_OK)
    record = run_record(run_id, started, datetime.now(timezone.utc), code, inputs, job, validation)
    # A run that found nothing to do and went well leaves no row in runs/ (one file a run
    # piles up under a frequent schedule); its facts are in _state/last_run.json all the same.
    idle = job.idle and code == EXIT_OK and validation.source in ("cached", "skipped")
    recorded = write_run_record(output, record, in_runs=record_idle or not idle) is not None
    _report(job, validation, review, output, record, log, recorded)
    if publish and not _publish(output, publish, log):
        from .job.status import write_last_run

        write_last_run(output, record, EXIT_PUBLISH_FAILED, recorded)
        return EXIT_PUBLISH_FAILED  # before 3 and 4: a stale remote copy must not pass as success
    return code


def _record_stopped(output: Path, record: dict) -> None:
    """The record of a run that did not finish: best effort, it must not hide why it stopped."""
    from .job.outcome import write_run_record

    try:
        write_run_record(output, record)
    except Exception:
        pass


def _drop_stale_report(output: Path) -> str:
    """After a commit, an error in validation or review: remove report.html rather than
    leave it describing the rows before this run (the next run rebuilds it; the commit
    marked the rows pending validation); says what was done."""
    from .review.report import REPORT_NAME

    (output / REPORT_NAME).unlink(missing_ok=True)
    return (f"this run's rows were committed; {output / REPORT_NAME} was removed (it described the rows "
            "before them) and the next run rebuilds it")


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


def _report(job, validation, review, output: Path, record: dict, log, recorded: bool = True) -> None:
    """The summary (stdout or one JSON event), then one error line per failed input."""
    statuses = Counter(d["status"] for d in job.documents)
    kinds = job.kinds
    read = {s: n for s, n in statuses.items() if s != "unsupported"}
    docs = f"documents: {sum(read.values())} read"
    if read:
        docs += " (" + ", ".join(f"{n} {s}" for s, n in sorted(read.items())) + ")"
    if unsupported := statuses["unsupported"]:
        docs += f"; {unsupported} unsupported (not read: see the documents table)"
    if job.unchanged or job.touched:
        docs += f"; {job.unchanged + job.touched} unchanged"
    if job.superseded:
        docs += f"; {job.superseded} changed (earlier versions superseded)"
    figures = f"figures:   {job.figures_written}"
    if kinds:
        figures += " (" + ", ".join(f"{kinds[k]} {k}" for k in sorted(kinds)) + ")"
    if job.figures_removed:
        figures += f"; {job.figures_removed} removed with superseded versions"
    if job.figures_reviewed:
        figures += f"; {job.figures_reviewed} with a new reviewer decision (review/decisions.csv)"
    lines = [docs, figures]
    if validation.source == "cached":
        lines.append("nothing new to validate; last validation: " + validation.text)
    elif validation.text:
        lines.append(validation.text)
    if review is not None:
        lines.append(str(review))
    lines += [f"tables:    {output}/figures, {output}/articles, {output}/documents",
              f"run:       {job.run_id} ({output}/runs/run-{job.run_id}.parquet)" if recorded else
              f"run:       {job.run_id} (nothing to do: not recorded in runs/, see {output}/_state/last_run.json)"]
    log.summary("run_finished", "\n".join(lines), **{k: v for k, v in record.items()
                                                     if k not in ("started_at", "finished_at")},
                statuses=dict(statuses), kinds=dict(kinds))
    for d in job.failed:
        log.error("input_failed", f"{d['path']}: {d['status']}: {d['error']}",
                  path=d["path"], status=d["status"], error=d["error"])


def _duration(ctx: click.Context, param: click.Parameter, value: str | None):
    from .job.status import parse_duration

    try:
        return None if value is None else parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


@main.command(name="status")
@click.argument("output_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "json", is_flag=True, help="One JSON object (what _state/last_run.json holds, and more).")
@click.option("--max-age", metavar="DURATION", callback=_duration,
              help="Exit 8 when the last run finished longer ago (90, 30m, 6h, 1d, 1h30m).")
def status_command(output_dir: Path, json: bool, max_age) -> None:
    """The last run on OUTPUT_DIR and what is pending; exit 0 when it went well.

    Exit 1 when the last run did not exit 0 (or no run is recorded), 8 when it is older
    than --max-age. Reads no table: answers at once on any size of output.
    """
    import json as json_lib

    from .job.status import folder_status, format_status

    code, facts = folder_status(output_dir, max_age)
    click.echo(json_lib.dumps({**facts, "exit_code": code}, ensure_ascii=False, indent=1) if json
               else format_status(facts))
    sys.exit(code)


@main.command(name="compact")
@click.argument("output_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--target-mb", type=click.FloatRange(min=0, min_open=True), default=128.0, show_default=True,
              help="Merge consecutive parts while their files add up to at most this size.")
@click.option("--wait", is_flag=True, help="When a run holds OUTPUT_DIR, wait for it instead of exiting with code 5.")
def compact_command(output_dir: Path, target_mb: float, wait: bool) -> None:
    """Merge the small Parquet parts of OUTPUT_DIR into larger ones (same rows, same order).

    Takes the output folder's lock and commits like a run: a crash midway leaves the old
    parts or, rolled forward by the next run, the merged ones.
    """
    from .job.compact import compact
    from .job.state import Busy, job_lock

    started = datetime.now(timezone.utc)
    compaction_id = f"compact-{started:%Y%m%dT%H%M%S}Z-{secrets.token_hex(3)}"
    try:
        with job_lock(output_dir, compaction_id, wait):
            click.echo(str(compact(output_dir, compaction_id, target_mb)))
    except Busy as exc:
        click.echo(f"error: a run is working on {output_dir} ({exc}); not compacted (use --wait)", err=True)
        sys.exit(EXIT_BUSY)


@main.command(name="eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--errors/--no-errors", default=True, show_default=True,
              help="List each miss, extra and label error with its sentence.")
def eval_command(gold_dir: Path, inputs: tuple[Path, ...], errors: bool) -> None:
    """Score extraction on INPUTS against the gold JSONL files in GOLD_DIR."""
    from .review.evaluate import evaluate, format_report, load_gold
    from .read.document import ReaderError, read_document
    from .read.ingest import UndecodableError, discover_inputs, escaped, read_input
    from .job.job import add_checks
    from .pipeline import text_rows

    output = {}
    for path in discover_inputs(inputs):
        inp = read_input(path)  # a FIFO or device is refused, not read forever
        try:
            if not inp.ok:
                raise UndecodableError(inp.error)
            text = read_document(path.name, inp.data).text
        except (UndecodableError, ReaderError) as exc:
            raise UsageFailure(f"cannot read {escaped(str(path))} as text: {escaped(str(exc))}") from None
        rows = text_rows(text, path.name)
        add_checks(rows)  # confidence as a run has it: lowered by failed checks
        output[path.name] = rows.figures
    click.echo(format_report(evaluate(load_gold(gold_dir), output), show_errors=errors))


@main.command(name="alarms")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--gold", "gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Gold JSONL folder: an alarm naming a figure not in the gold is true.")
@click.option("--truth", "truth_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="TOML file of [[inconsistency]] file, rule, surfaces: the real inconsistencies of the texts.")
def alarms_command(inputs: tuple[Path, ...], gold_dir: Path | None, truth_file: Path | None) -> None:
    """Count the checks' alarms on INPUTS by rule and status, and judge them (precision)."""
    from .review.alarms import alarm_report

    click.echo(alarm_report(inputs, gold_dir, truth_file))


@main.command(name="report")
@click.argument("output_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--no-report", is_flag=True, help="Write the checks table only, not report.html.")
def report_command(output_dir: Path, no_report: bool) -> None:
    """Rebuild the checks table and report.html from the tables in OUTPUT_DIR.

    Takes the output folder's lock (waiting for a run that holds it): a run's commit
    rewrites checks parts too.
    """
    from .job.job import check_parts
    from .job.exitcodes import EXIT_DAMAGED
    from .job.state import DamagedState, job_lock
    from .review.report import build_review
    from .tables.write import SchemaMismatchError

    def waiting(note: str) -> None:
        click.echo(f"waiting for the run holding {output_dir} ({note})", err=True)

    if not (output_dir / "documents").is_dir():  # checked before the lock, which makes a .lock file
        raise UsageFailure(f"{output_dir} is not an output folder of figure-etl (no documents table); "
                           "run `figure-etl run` first")
    try:
        with job_lock(output_dir, "report", wait=True, on_wait=waiting):
            check_parts(output_dir)
            summary = build_review(output_dir, no_report=no_report, recheck=True)
    except DamagedState as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_DAMAGED)
    except (FileNotFoundError, SchemaMismatchError) as exc:
        raise click.ClickException(f"{exc} (run `figure-etl run` first)") from exc
    click.echo(str(summary))


@main.group(name="review")
def review_group() -> None:
    """Reviewer decisions on figures (kept in OUTPUT/review/decisions.csv)."""


@review_group.command(name="mark")
@click.argument("figure_id")
@click.argument("decision", type=click.Choice(["wrong", "right", "correct"]))
@click.option("--output", "-o", "output", default="output", show_default=True, callback=_output_folder,
              type=click.Path(file_okay=False, path_type=str), help="The output folder of the runs.")
@click.option("--field", default="", help="With `correct`: the field corrected (metric, kind, value ...).")
@click.option("--value", default="", help="With `correct`: the right value of --field.")
@click.option("--note", default="", help="Why (free text, shown in the report).")
def review_mark(figure_id: str, decision: str, output: Path, field: str, value: str, note: str) -> None:
    """Record a decision on FIGURE_ID: wrong, right, or correct (with --field and --value).

    The next run applies it to the figures table (review_status) and the report; it holds
    while the figure's document is unchanged."""
    from dataclasses import asdict

    from .job.decisions import Decision, add_decision, problem_of
    from .job.state import job_lock

    row = _figure(output, figure_id)
    entry = Decision(figure_id, row["doc_id"], decision, field, value, note)
    if problem := problem_of(asdict(entry)):
        raise UsageFailure(problem)
    with job_lock(output, "review", wait=True):
        path = add_decision(output, entry)
    click.echo(f"{figure_id} ({row['surface']}: {row['metric'] or 'no metric'}) marked {decision} in {path}; "
               "the next run applies it")


def _figure(output: Path, figure_id: str) -> dict:
    """The figures row of `figure_id` (id, doc_id, surface, metric), or a usage error."""
    import pyarrow.compute as pc

    from .tables.write import read_part, table_parts

    try:
        parts = table_parts("figures", output)
    except FileNotFoundError:
        raise UsageFailure(f"{output} has no figures table; run `figure-etl run` first") from None
    for part in parts:
        data = read_part("figures", part, ["figure_id", "doc_id", "surface", "metric"])
        found = data.filter(pc.equal(data.column("figure_id"), figure_id))
        if found.num_rows:
            return found.to_pylist()[0]
    raise UsageFailure(f"no figure {figure_id} in {output}/figures")


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
