"""The health of an output folder, for `figure-etl status` and for sensors.

Every run ends by writing ``_state/last_run.json`` (`write_last_run`): its run record
(schemas/runs.json, times as ISO strings), the final exit code (after a publish) and
whether it was recorded in ``runs/``. `folder_status` reads that file and a few names and
stats in the folder: never a table, so it answers at once on any size of output.

What is *pending* is what the next run will do without being asked: roll forward a commit
cut short (journal present), drop an interrupted run's staged parts, retry failed inputs,
publish files the remote copy lacks. A run holding the lock is reported as running.
"""
from __future__ import annotations

import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .exitcodes import EXIT_OK
from .state import JOURNAL, LOCK_FILE, STATE_DIR, read_json, write_json_atomic

LAST_RUN = "last_run.json"
#: Exit codes of `figure-etl status`.
STATUS_OK, STATUS_FAILED, STATUS_USAGE, STATUS_STALE = 0, 1, 2, 8
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def last_run_path(out_dir: Path) -> Path:
    return out_dir / STATE_DIR / LAST_RUN


def write_last_run(out_dir: Path, record: dict, exit_code: int, recorded: bool) -> None:
    """The facts of the run that just ended, for `folder_status` and for sensors."""
    facts = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in record.items()}
    facts.update(exit_code=exit_code, recorded=recorded)
    write_json_atomic(last_run_path(out_dir), facts)


def parse_duration(text: str) -> timedelta:
    """``90`` (seconds), ``30s``, ``15m``, ``6h``, ``2d``, ``1w``, or a sum: ``1h30m``."""
    text = text.strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return timedelta(seconds=float(text))
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*([smhdw])", text)
    if not parts or re.sub(r"\s+", "", text) != "".join(n + u for n, u in parts):
        raise ValueError(f"not a duration: {text!r} (e.g. 90, 30m, 6h, 1d, 1h30m)")
    return timedelta(seconds=sum(float(n) * _UNITS[u] for n, u in parts))


def folder_status(out_dir: Path, max_age: timedelta | None = None,
                  now: datetime | None = None) -> tuple[int, dict]:
    """(exit code, facts) of an output folder: its last run, what is pending, its health."""
    now = now or datetime.now(timezone.utc)
    last = read_json(last_run_path(out_dir)) or newest_run_record(out_dir)
    facts: dict = {"output": str(out_dir), "last_run": last, "pending": pending(out_dir, last),
                   "running": running(out_dir)}
    if last is None:
        facts["health"] = "no run recorded in " + str(last_run_path(out_dir))
        return STATUS_FAILED, facts
    age = now - datetime.fromisoformat(last["finished_at"])
    facts["age_seconds"] = round(age.total_seconds(), 3)
    if last["exit_code"] != EXIT_OK:
        facts["health"] = f"last run {last['status']} (exit {last['exit_code']})"
        return STATUS_FAILED, facts
    if max_age is not None and age > max_age:
        facts["health"] = f"last run finished {_human(age)} ago, more than --max-age {_human(max_age)}"
        return STATUS_STALE, facts
    facts["health"] = "ok"
    return STATUS_OK, facts


def newest_run_record(out_dir: Path) -> dict | None:
    """The newest row of ``runs/``, for an output folder written before last_run.json
    existed: one small file read (the last by name holds the newest run)."""
    files = sorted(p for p in (out_dir / "runs").glob("run-*.parquet")) if (out_dir / "runs").is_dir() else []
    if not files:
        return None
    import pyarrow.parquet as pq

    row = max(pq.read_table(files[-1]).to_pylist(), key=lambda r: r["run_id"])
    return {**{k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}, "recorded": True}


def pending(out_dir: Path, last: dict | None) -> list[str]:
    """What the next run will do on its own, in words."""
    state = out_dir / STATE_DIR
    found = []
    if (state / JOURNAL).exists():
        found.append("a commit cut short: the next run rolls it forward")
    staging = state / "staging"
    if staging.is_dir() and any(staging.iterdir()) and running(out_dir) is None:
        found.append("staged parts of an interrupted run: the next run drops them and reads their inputs again")
    if last and last.get("inputs_failed"):
        found.append(f"{last['inputs_failed']} failed inputs: retried by the next run")
    unpublished = _unpublished(out_dir)
    if unpublished:
        found.append(unpublished)
    return found


def _unpublished(out_dir: Path) -> str | None:
    from .publish import MANIFEST, local_files, plan

    manifest = read_json(out_dir / STATE_DIR / MANIFEST)
    if not manifest or "url" not in manifest:
        return None
    ops = plan(local_files(out_dir), manifest.get("files", {}))
    return f"{len(ops)} files to publish to {manifest['url']}" if ops else None


def running(out_dir: Path) -> str | None:
    """The note of the run holding the lock (pid, run id, since when), or None.

    Looked up, never taken: taking the lock, even for an instant, could turn away a run
    starting at that moment (exit 5). On Linux the kernel's list of flocks says whether
    ``.lock`` is held; elsewhere, whether the pid of its note is alive.
    """
    lock = out_dir / LOCK_FILE
    try:
        note = lock.read_text("utf-8", "replace").strip()
        st = lock.stat()
    except OSError:
        return None
    file_id = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    try:
        held = any(line.split()[1:2] == ["FLOCK"] and file_id in line.split()
                   for line in Path("/proc/locks").read_text().splitlines())
    except OSError:
        match = re.match(r"pid (\d+),", note)
        held = bool(match) and _alive(int(match.group(1)))
    return note if held else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def format_status(facts: dict) -> str:
    """The text `figure-etl status` prints."""
    last = facts["last_run"]
    lines = [f"output:    {facts['output']}", f"health:    {facts['health']}"]
    if last:
        lines += [f"last run:  {last['run_id']} ({last['status']}, exit {last['exit_code']}"
                  + ("" if last.get("recorded", True) else ", nothing to do: not in runs/") + ")",
                  f"started:   {last['started_at']}", f"finished:  {last['finished_at']}"
                  + (f" ({_human(timedelta(seconds=facts['age_seconds']))} ago)" if "age_seconds" in facts else ""),
                  f"inputs:    {last['inputs_seen']} seen, {last['inputs_new']} new, {last['inputs_changed']} changed,"
                  f" {last['inputs_unchanged']} unchanged, {last['inputs_failed']} failed",
                  f"figures:   {last['figures_written']} written, {last['figures_removed']} removed",
                  f"validation: {_validation(last)}"]
        if last.get("error"):
            lines.append(f"error:     {last['error']}")
    if facts["running"]:
        lines.append(f"running:   {facts['running']}")
    lines += [f"pending:   {p}" for p in facts["pending"]] or ["pending:   nothing"]
    return "\n".join(lines)


def _validation(last: dict) -> str:
    if last.get("expectations_success") is None:
        return last.get("validation") or "none"
    verdict = "passed" if last["expectations_success"] else "FAILED"
    return (f"{verdict} ({last['validation']}): {last['expectations_failed']} of "
            f"{last['expectations_evaluated']} expectations failed")


def _human(age: timedelta) -> str:
    """``2d 3h``, ``1h 5m``, ``4m 10s``, ``12s``."""
    seconds = int(age.total_seconds())
    units = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))
    for i, (unit, size) in enumerate(units[:-1]):
        if seconds >= size:
            small, small_size = units[i + 1]
            return f"{seconds // size}{unit} {(seconds % size) // small_size}{small}"
    return f"{seconds}s"
