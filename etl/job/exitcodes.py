"""Exit codes of `figure-etl run`, and what a scheduler should do about each.

One table (`EXIT_CODES`) says, per code, its name, what it means and the action an
orchestrator takes: ``ok`` (success), ``retry`` (a later attempt can succeed without anyone
doing anything), ``fail`` (a person must look: retrying gives the same answer) or ``skip``
(nothing was done and nothing is wrong: another run is doing the work). The README's
Airflow, Dagster and Prefect snippets and its systemd unit are written from it
(`action_for`), so they cannot drift from the codes the job returns.
"""
from __future__ import annotations

from typing import NamedTuple

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INPUTS_FAILED = 3
EXIT_EXPECTATIONS_FAILED = 4
EXIT_BUSY = 5
EXIT_PUBLISH_FAILED = 6
EXIT_DAMAGED = 7
#: 128 + the signal, as a shell reports a process the signal ended: SIGTERM, SIGINT (Ctrl-C).
EXIT_INTERRUPTED = 143
EXIT_CTRL_C = 130

OK, RETRY, FAIL, SKIP = "ok", "retry", "fail", "skip"


class ExitCode(NamedTuple):
    code: int
    name: str  # the run record's `status`
    meaning: str
    action: str  # ok, retry, fail or skip


EXIT_CODES: dict[int, ExitCode] = {e.code: e for e in (
    ExitCode(EXIT_OK, "ok", "every input was processed; expectations passed or --strict not given", OK),
    ExitCode(EXIT_ERROR, "error", "an internal error stopped the run (a bug or the machine: disk full, "
             "out of memory); the tables are the last committed ones (after the run's own commit, "
             "report.html is removed rather than left stale)", FAIL),
    ExitCode(EXIT_USAGE, "usage", "bad option, config or suite file, or a named input that does not "
             "exist (an unmounted folder); nothing was done", FAIL),
    ExitCode(EXIT_INPUTS_FAILED, "inputs_failed", "some inputs could not be read, decoded or processed; "
             "the others are committed, the failed ones are retried by the next run", FAIL),
    ExitCode(EXIT_EXPECTATIONS_FAILED, "expectations_failed", "data expectations failed and --strict "
             "was given; the rows are committed", FAIL),
    ExitCode(EXIT_BUSY, "busy", "another run holds the output folder; this one did nothing "
             "(the other does the work)", SKIP),
    ExitCode(EXIT_PUBLISH_FAILED, "publish_failed", "the local output is complete but the --publish "
             "URL could not be written; the next run publishes what is missing", RETRY),
    ExitCode(EXIT_DAMAGED, "damaged", "a file of the output folder cannot be read (a damaged table "
             "part, documents table or commit journal, named on stderr); nothing was written: see "
             "README, Recovery", FAIL),
    ExitCode(EXIT_INTERRUPTED, "interrupted", "stopped by SIGTERM (systemd stop, an orchestrator's "
             "kill); the next run finishes the work", RETRY),
    ExitCode(EXIT_CTRL_C, "interrupted", "stopped by SIGINT (Ctrl-C); the next run finishes the work",
             RETRY),
)}


def action_for(code: int) -> str:
    """What an orchestrator does with a run that exited with `code`. Codes not in the table
    (a signal other than SIGTERM, e.g. -9 from SIGKILL) are retried: the next run recovers."""
    entry = EXIT_CODES.get(code)
    return entry.action if entry else RETRY


def status_of(code: int) -> str:
    """The run record's ``status`` for an exit code."""
    entry = EXIT_CODES.get(code)
    return entry.name if entry else "error"
