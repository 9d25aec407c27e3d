"""Logs fit for a scheduler: a progress bar only on a terminal, plain lines otherwise,
JSON lines for log collectors, and nothing but errors with ``quiet``.

Text format: the run's summary goes to stdout, progress and errors to stderr (so a cron
mail or ``>> log 2>&1`` reads in order); each stderr line starts with its time, ISO 8601 in
UTC to the millisecond, and its level. The summary is the run's result, printed as a block
without them. JSON format: one object per line on stdout (``ts``, ``level``, ``event``,
``message`` and the event's fields), errors included, so ``| jq`` or a collector gets
everything from one stream.

`level` drops the lines below it (``debug`` < ``info`` < ``warning`` < ``error``);
errors are always shown. The summary counts as ``info``.
"""
from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable
from datetime import datetime, timezone

#: Seconds between two plain progress lines when no terminal shows a bar.
PROGRESS_EVERY = 10.0
#: The values of ``--log-level``, least severe first.
LEVELS = ("debug", "info", "warning", "error")


def utc_stamp(moment: datetime | None = None) -> str:
    """ISO 8601 in UTC to the millisecond, with a ``Z``: ``2026-03-01T02:00:00.123Z``."""
    moment = moment or datetime.now(timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class JobLog:
    def __init__(self, fmt: str = "text", quiet: bool = False, out=None, err=None, level: str = "info"):
        self.fmt = fmt
        self.min_level = LEVELS.index("error" if quiet else level)
        self.quiet = self.min_level > LEVELS.index("info")
        self.out = out or sys.stdout
        self.err = err or sys.stderr

    def debug(self, event: str, message: str, **fields) -> None:
        self._emit("debug", event, message, fields, self.err)

    def info(self, event: str, message: str, **fields) -> None:
        """A progress or status line."""
        self._emit("info", event, message, fields, self.err)

    def summary(self, event: str, message: str, **fields) -> None:
        """The end-of-run summary: stdout in text format, as a block without time or level."""
        self._emit("info", event, message, fields, self.out)

    def warning(self, event: str, message: str, **fields) -> None:
        self._emit("warning", event, message, fields, self.err)

    def error(self, event: str, message: str, **fields) -> None:
        """Always shown, whatever the level."""
        self._emit("error", event, message, fields, self.err)

    def _emit(self, level: str, event: str, message: str, fields: dict, stream) -> None:
        if LEVELS.index(level) < self.min_level:
            return
        if self.fmt == "json":
            record = {"ts": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
                      "level": level, "event": event, "message": message, **fields}
            line, stream = json.dumps(record, ensure_ascii=False, default=str), self.out
        elif stream is self.out:
            line = message
        else:
            line = f"{utc_stamp()} {level:<7} {message}"
        print(line, file=stream, flush=True)

    def progress(self, items: list, desc: str = "extracting") -> Iterable:
        """A tqdm bar on a terminal (text format, not quiet); otherwise timed plain lines."""
        if self.quiet or not items:
            return items
        if self.fmt == "text" and self.err.isatty():
            from tqdm import tqdm

            return tqdm(items, unit="doc", desc=desc, file=self.err)
        return self._lines(items, desc)

    def _lines(self, items: list, desc: str) -> Iterable:
        last = time.monotonic()
        for i, item in enumerate(items):
            yield item
            now = time.monotonic()
            if now - last >= PROGRESS_EVERY:
                last = now
                self.info("progress", f"{desc}: {i + 1}/{len(items)} inputs", done=i + 1, total=len(items))
