"""SIGTERM and SIGINT as an orderly stop of a run.

systemd's stop, an orchestrator's kill and Ctrl-C send a signal; Python's default for
SIGTERM ends the process at once, with no log line and no run record. Within
`interruptible`, either signal raises `Interrupted` in the main thread, so the run logs it,
records itself as interrupted and exits with 128 + the signal (143, 130). What the run had
staged is dropped by the next run and its inputs are processed again, as after SIGKILL; a
commit cut short is rolled forward from its journal (`etl.job.state.recover`).

`Interrupted` is a BaseException: the job's ``except Exception`` blocks (a failed input, a
best-effort cleanup) must not swallow it.
"""
from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

HANDLED = (signal.SIGTERM, signal.SIGINT)


class Interrupted(BaseException):
    """A signal asked the run to stop."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def _stop(signum: int, frame) -> None:
    # A second signal ends the process the default way (the next run recovers from that too).
    for sig in HANDLED:
        signal.signal(sig, signal.SIG_DFL)
    _stop_workers()
    raise Interrupted(signum)


def _stop_workers() -> None:
    """End the local pool's workers now: the pool's shutdown would wait for their chunks.
    They ignore SIGINT and take SIGTERM's default (`etl.job.engine`), so this ends them."""
    import multiprocessing

    for child in multiprocessing.active_children():
        child.terminate()


@contextmanager
def interruptible() -> Iterator[None]:
    """SIGTERM and SIGINT raise `Interrupted` inside the block (main thread only); the
    previous handlers come back after it."""
    previous = {sig: signal.signal(sig, _stop) for sig in HANDLED}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def in_worker() -> None:
    """In a forked worker: SIGTERM ends it (the default), SIGINT is the parent's to handle."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
