"""What a run reports: its validation, its row in ``runs``, its exit status.

Validation checks the rows a run wrote (``run``) when every live row before them passed.
A run that wrote nothing reuses the previous outcome from ``_state/validation.json``
without importing Great Expectations (``cached``). Every live row is validated (``all``)
when the suites changed, when the last outcome failed (a failed expectation stays failed
until the rows that failed it are gone, whatever good rows come after them), and when
rows were committed without a validation after them.

That last case is what the commit records: a run that changes rows moves a *pending*
marker into ``_state/validation.json`` in the same commit as the rows (`pending_marker`),
so a run killed between its commit and its validation, or run with ``--no-validate``,
never leaves a "passed" that does not cover the live rows. The marker keeps what the run
may build on: the suites fingerprint of a passing outcome before it, or that the run
replaced every row.
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from .._version import __version__
from .exitcodes import (EXIT_BUSY, EXIT_ERROR, EXIT_EXPECTATIONS_FAILED, EXIT_INPUTS_FAILED,  # noqa: F401
                        EXIT_OK, EXIT_PUBLISH_FAILED, EXIT_USAGE, status_of)
from .state import read_json, state_dir, write_json_atomic

VALIDATION_FILE = "validation.json"


@dataclass(frozen=True)
class Validation:
    source: str  # run, all, cached, skipped
    success: bool | None = None
    evaluated: int | None = None
    failed: int | None = None
    text: str = ""  # the summary lines the CLI prints
    suites_hash: str = ""


def suites_hash(suites_dir) -> str:
    """Fingerprint of the suite files (names and bytes): a change means revalidate."""
    from ..quality.suites import suite_files

    h = hashlib.sha256()
    for path in suite_files(suites_dir):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def pending_marker(out_dir: Path, run_id: str, replaces_all: bool) -> dict:
    """What `_state/validation.json` says once run `run_id` committed rows and before it
    validates them (`etl.job.job.run_job` commits it with the rows)."""
    last = read_json(state_dir(out_dir) / VALIDATION_FILE) or {}
    if replaces_all:
        basis = {"replaces_all": True}
    elif "pending" not in last and last.get("success") is True:
        basis = {"suites_hash": last.get("suites_hash")}
    else:
        basis = None  # failed, never validated, or rows of an unvalidated run: validate all
    return {"pending": run_id, "basis": basis}


def _only_new_rows(cached: dict | None, run_id: str | None, fingerprint: str) -> bool:
    """Whether validating this run's rows covers the live dataset: every other live row
    passed these suites (see `pending_marker`)."""
    if not cached or cached.get("pending") is None or cached["pending"] != run_id:
        return False
    basis = cached.get("basis") or {}
    return bool(basis.get("replaces_all") or basis.get("suites_hash") == fingerprint)


def validate(out_dir: Path, new_figure_parts: list[Path], new_documents: list[dict],
             suites_dir: Path | None, run_id: str | None = None, started: datetime | None = None) -> Validation:
    """Validate this run's rows, every live row, or reuse the last outcome (module docstring).
    The pages and GX results name `run_id`, `started` and which rows were validated."""
    suites = suites_dir or _default_suites()
    fingerprint = suites_hash(suites)
    cache = state_dir(out_dir) / VALIDATION_FILE
    cached = read_json(cache)
    if not new_documents and cached and "pending" not in cached and cached.get("suites_hash") == fingerprint:
        return Validation(**{**cached, "source": "cached"})
    import pyarrow.compute as pc

    from ..tables.chunks import ArrowRows
    from ..quality.gxdocs import RunInfo
    from ..quality.validate import validate_tables
    from ..tables.write import read_table, table_parts, to_arrow

    # The figures stay in their parts, read a chunk at a time by the validation: a run's
    # figures as one frame were the largest thing a run held (210 MB of pandas for 340k
    # figures, and the copies GX takes of it).
    if new_documents and _only_new_rows(cached, run_id, fingerprint):
        source, scope = "run", "the rows this run wrote"
        figures = ArrowRows("figures", new_figure_parts)
        documents = to_arrow("documents", new_documents)
    else:
        source, scope = "all", "every live row"
        figures = ArrowRows("figures", table_parts("figures", out_dir) if (out_dir / "figures").is_dir() else [])
        documents = read_table("documents", out_dir)
        documents = documents.filter(pc.not_equal(documents.column("status"), "superseded"))
    run = RunInfo(run_id or "", started or datetime.now(timezone.utc), scope)
    summary = validate_tables(figures, ArrowRows("documents", [documents]), out_dir / "validation", suites,
                              run=run)
    outcome = Validation(source, summary.success, summary.total, summary.failed, str(summary), fingerprint)
    write_json_atomic(cache, asdict(outcome))
    return outcome


def import_gx_in_background() -> None:
    """Import Great Expectations (~4 s) in a thread while the workers extract, so that the
    validation after them does not wait for it (the parent mostly waits on them meanwhile).

    Call it only when the run will validate, and once this process forks no more children:
    a child forked mid-import inherits an import lock that no thread of it releases (the
    local pool forks its workers when made; Dask spawns its own). Safe otherwise because
    - `validate_tables` gets GX from `_gx()`, whose `import` waits on Python's import lock
      for the import under way instead of starting another;
    - a failed import is dropped here and repeated by that call, so its error shows at
      validation time, as without this thread;
    - what the main thread still imports for the run (tables, commit, validation) is
      imported first, so the two threads never import the same modules at once (imports of
      modules that import each other can deadlock when two threads run them).
    Not a daemon thread: exiting never cuts an import short.
    """
    import pyarrow.compute  # with the two below: what the job's commit and `validate` import

    from ..quality import validate
    from ..tables import write

    threading.Thread(target=_import_gx, name="import-great-expectations").start()


def _import_gx() -> None:
    from ..quality.validate import _gx

    try:
        _gx()
    except Exception:  # raised again by validate_tables' own _gx() call
        pass


def _default_suites() -> Path:
    from ..quality.suites import SUITES_DIR

    return SUITES_DIR


def run_record(run_id: str, started: datetime, finished: datetime, exit_code: int,
               inputs: list[str], job, validation: Validation | None, error: str | None = None) -> dict:
    """The run's row in ``runs`` (schemas/runs.json). `job` is an `etl.job.job.JobResult` or None."""
    v = validation or Validation("none")
    return {
        "run_id": run_id,
        "started_at": started,
        "finished_at": finished,
        "status": status_of(exit_code),
        "exit_code": exit_code,
        "inputs": list(inputs),
        "inputs_seen": job.seen if job else 0,
        "inputs_unchanged": job.unchanged if job else 0,
        "inputs_touched": job.touched if job else 0,
        "inputs_new": len(job.documents) if job else 0,
        "inputs_changed": job.superseded if job else 0,
        "inputs_failed": len(job.failed) if job else 0,
        "figures_written": job.figures_written if job else 0,
        "figures_removed": job.figures_removed if job else 0,
        "articles_written": job.articles_written if job else 0,
        "validation": v.source,
        "expectations_success": v.success,
        "expectations_evaluated": v.evaluated,
        "expectations_failed": v.failed,
        "error": error,
        "pipeline_version": __version__,
    }


def write_run_record(out_dir: Path, record: dict, in_runs: bool = True) -> Path | None:
    """The run's row as ``runs/run-<run_id>.parquet`` (unless not `in_runs`: a run that found
    nothing to do), and its facts in ``_state/last_run.json`` either way."""
    from ..tables.write import RUNS_TABLE, write_table
    from .status import write_last_run

    path = write_table(RUNS_TABLE, [record], out_dir, part=f"run-{record['run_id']}") if in_runs else None
    write_last_run(out_dir, record, record["exit_code"], recorded=in_runs)
    return path
