"""The state a scheduled job keeps in its output folder, and the protocol that keeps it safe.

Layout of ``OUT`` (``--output``)::

    figures/part-<run_id>-<batch>.parquet   live parts (one per batch of a run, never appended to)
    articles/part-<run_id>-<batch>.parquet  same names as the figures parts of the batch
    checks/part-<run_id>-<batch>.parquet    the checks of the articles part of the same name
    documents/part-0.parquet                every input ever seen, rewritten by each run that
                                            changes it: the job's index of seen inputs
    runs/run-<run_id>.parquet               one row per finished run
    .lock                                   flock'ed while a run works (holder's pid inside)
    _state/staging/<run_id>/<table>/...     parts of the run in progress, not yet visible
    _state/commit.json                      the commit journal, present only mid-commit
    _state/validation.json                  the last validation outcome (reused on no-change runs)

Readers glob ``OUT/<table>/*.parquet``; ``_state`` and ``.lock`` are outside the table folders,
and temporary names inside them start with ``.`` (skipped by pyarrow, pandas and the glob).

Commit protocol (`commit`): every new or rewritten file is first written and fsynced under
``_state/staging``; then the list of moves is written to ``_state/commit.json`` (atomically);
then the moves are applied (``os.replace`` into the table folders, deletions of emptied parts)
in an order that never shows a row twice: old rows leave before new ones arrive. A crash before
the journal exists loses only the staged work; a crash after it is rolled forward by the next
run (`recover`), since every move is idempotent. The journal is the commit point.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

STATE_DIR = "_state"
LOCK_FILE = ".lock"
JOURNAL = "commit.json"


class Busy(RuntimeError):
    """Another run holds the output folder's lock."""


class DamagedState(RuntimeError):
    """A file of the output folder cannot be read (a truncated or overwritten part, a damaged
    journal): the run stops before it writes anything. The message names the file and
    says what to do (README, "Recovery")."""

    def __init__(self, path: Path, detail: str, remedy: str = ""):
        remedy = remedy or ("restore it from a copy (the --publish mirror), or run once with "
                            "--full-refresh to rebuild every table from the inputs")
        super().__init__(f"{path} cannot be read ({detail}); nothing was written; {remedy} "
                         "(README: Recovery)")
        self.path = path


#: Descriptors of the locks this process holds: a forked worker must close its copies, or
#: the lock would outlive a killed run for as long as its orphaned workers live.
_HELD: set[int] = set()


def close_inherited_locks() -> None:
    """In a forked child: drop its copies of the parent's lock descriptors (the flock stays
    with the parent)."""
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


# ---------------------------------------------------------------- one at a time

@contextmanager
def job_lock(out_dir: Path, run_id: str, wait: bool = False, on_wait=None) -> Iterator[None]:
    """Hold an exclusive flock on ``OUT/.lock`` for the duration of a run.

    Raises `Busy` (with the holder's note) at once, or with `wait` blocks until the holder
    ends, after calling ``on_wait(note)``. The kernel drops the lock when the holder dies,
    even by SIGKILL, so a crashed run never leaves a stale lock. The file itself stays:
    deleting a flock'ed file lets two processes lock two different files.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(out_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o666)
    _HELD.add(fd)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            note = _read_note(fd)
            if not wait:
                raise Busy(note) from None
            if on_wait:
                on_wait(note)
            fcntl.flock(fd, fcntl.LOCK_EX)
        note = f"pid {os.getpid()}, run {run_id}, since {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S} UTC"
        os.ftruncate(fd, 0)
        os.pwrite(fd, note.encode(), 0)
        yield
    finally:
        _HELD.discard(fd)
        os.close(fd)  # closing releases the flock


def _read_note(fd: int) -> str:
    return os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown holder"


# ---------------------------------------------------------------- staging and commit

def state_dir(out_dir: Path) -> Path:
    return out_dir / STATE_DIR


def staging_dir(out_dir: Path, run_id: str) -> Path:
    """Where a run writes its parts before the commit (same file system, so moves are atomic)."""
    return out_dir / STATE_DIR / "staging" / run_id


def commit(out_dir: Path, moves: list[tuple[Path, Path]], deletions: list[Path]) -> None:
    """Make a run's staged files live: journal first, then apply it, then drop it.

    `deletions` (emptied old parts) are applied before `moves`, and moves in their given
    order, so callers put rewritten old parts before new parts: no row is ever visible twice.
    """
    ops = ([{"delete": _rel(out_dir, p)} for p in deletions]
           + [{"move": _rel(out_dir, src), "to": _rel(out_dir, dst)} for src, dst in moves])
    if not ops:
        return
    journal = out_dir / STATE_DIR / JOURNAL
    write_json_atomic(journal, {"ops": ops})
    _apply(out_dir, ops)
    journal.unlink()
    fsync_dir(journal.parent)


def recover(out_dir: Path, discard_damaged: bool = False) -> bool:
    """Finish a commit a crash interrupted, and drop staged work of crashed runs.

    Call with the lock held. Returns True when a journal was rolled forward. A journal
    that cannot be read raises `DamagedState`, or with `discard_damaged` (a full refresh,
    which replaces every table) is dropped with the staged work.
    """
    journal = out_dir / STATE_DIR / JOURNAL
    rolled = journal.exists()
    if rolled:
        try:
            ops = json.loads(journal.read_text("utf-8"))["ops"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            if not discard_damaged:
                raise DamagedState(journal, f"an interrupted commit whose journal is damaged: {exc}",
                                   "run once with --full-refresh, which drops it and rebuilds every "
                                   "table from the inputs") from None
            journal.unlink()
            rolled = False
        else:
            _apply(out_dir, ops)
            journal.unlink()
    drop_staging(out_dir)
    return rolled


def drop_staging(out_dir: Path) -> None:
    """Delete all staged work; only with the lock held (a running run's staging is its own)."""
    shutil.rmtree(out_dir / STATE_DIR / "staging", ignore_errors=True)


def _apply(out_dir: Path, ops: list[dict]) -> None:
    """Apply journal ops; each is idempotent so a second pass after a crash is harmless."""
    touched = set()
    for op in ops:
        if "delete" in op:
            target = out_dir / op["delete"]
            target.unlink(missing_ok=True)
        else:
            src, target = out_dir / op["move"], out_dir / op["to"]
            target.parent.mkdir(parents=True, exist_ok=True)
            if src.exists():  # absent: moved before the crash
                os.replace(src, target)
        touched.add(target.parent)
    for folder in touched:
        fsync_dir(folder)


def _rel(out_dir: Path, path: Path) -> str:
    # Relative, so an output folder moved after a crash still recovers.
    return str(Path(path).relative_to(out_dir))


# ---------------------------------------------------------------- small durable files

def write_json_atomic(path: Path, data: dict) -> None:
    """Write JSON under a hidden temporary name, fsync, rename over `path`, fsync the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def read_json(path: Path) -> dict | None:
    """A state file, or None when it is missing or unreadable (state is rebuilt, never trusted blindly)."""
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None


def fsync_dir(folder: Path) -> None:
    """Make renames in `folder` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
