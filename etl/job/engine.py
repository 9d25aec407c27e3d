"""Where per-input work runs: in-process, in a local process pool, or on a Dask cluster.

An engine maps a module-level function over chunks of tasks and yields the results **in
input order**, with a bounded number of chunks in flight: the caller (`etl.job.job`) keeps
every decision that depends on order (the ledger, duplicates, batch boundaries), so the
output is the same whatever the engine or the number of workers, and memory is bounded
by the window, not by the corpus.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, Protocol

#: Most inputs per task sent to a worker. A round trip costs the parent about 1 ms of CPU
#: with a pool (its result thread, the futures) and a few ms with Dask, whatever the
#: chunk holds: on the 50 MB benchmark corpus, 32 rather than 8 took 1.5 s off the parent.
CHUNK_INPUTS = 32
#: ... and most bytes: a chunk also closes once its inputs' sizes reach this, so that big
#: files go a few at a time (the workers stay balanced to the end, and the rows in flight
#: stay bounded) while small ones share the cost of a round trip.
CHUNK_BYTES = 512 * 1024
#: A pool only pays for its start when each worker gets at least this many inputs.
POOL_INPUTS_PER_WORKER = 8
#: Chunks in flight per worker: one running, one queued, one waiting to be consumed.
WINDOW_PER_WORKER = 3


class Engine(Protocol):
    workers: int

    def map(self, fn: Callable[[list], Any], chunks: Iterable[list]) -> Iterator[Any]:
        """``fn(chunk)`` for every chunk, in order, a bounded number at a time."""

    def close(self) -> None: ...


def default_workers() -> int:
    """All cores this process may use (the affinity mask, as in a container), at least one."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def chunked(items: Iterable, size: int = CHUNK_INPUTS, weight: Callable[[Any], int] | None = None,
            max_weight: int = CHUNK_BYTES) -> Iterator[list]:
    """Lists of at most `size` items, in order; with `weight`, a list also closes as soon as
    the weights of its items reach `max_weight`."""
    if weight is None:
        it = iter(items)
        while chunk := list(islice(it, size)):
            yield chunk
        return
    chunk, total = [], 0
    for item in items:
        chunk.append(item)
        total += weight(item)
        if len(chunk) >= size or total >= max_weight:
            yield chunk
            chunk, total = [], 0
    if chunk:
        yield chunk


def ordered(submit: Callable[..., Any], fn: Callable, chunks: Iterable[list], window: int) -> Iterator[Any]:
    """Submit ``fn(chunk)`` ahead by at most `window` chunks; yield results in order.

    Works with any future that has ``.result()`` (concurrent.futures, dask.distributed).
    The window is what bounds memory: a slow consumer stops the submission, so results
    never pile up in the parent.
    """
    pending: deque = deque()
    for chunk in chunks:
        pending.append(submit(fn, chunk))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


class InProcess:
    """One worker: the caller's own process (no pickling, no start-up)."""

    workers = 1

    def map(self, fn, chunks):
        return map(fn, chunks)

    def close(self) -> None:
        pass


class ProcessPool:
    """A local pool of `workers` processes.

    Forked on Linux: the parent has imported only the extraction modules and pyarrow at
    this point (Great Expectations is imported after it, for validation), so a fork is cheap
    and the children share those pages; spawn would re-import them in every child.
    """

    def __init__(self, workers: int):
        from concurrent.futures import ProcessPoolExecutor

        self.workers = workers
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                                         initializer=_worker_init)
        # With fork, the first submit forks every worker. Done here, so that a thread the
        # caller starts while the engine runs (the background GX import) is never copied
        # into a child mid-import: the child would wait forever on the import lock it held.
        self._pool.submit(int)

    def map(self, fn, chunks):
        return ordered(self._pool.submit, fn, chunks, self.workers * WINDOW_PER_WORKER)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _worker_init() -> None:
    """A worker must never keep the output locked: it drops its copy of the lock, and dies
    with its parent (a killed run leaves no orphans behind, Linux only)."""
    from .interrupt import in_worker
    from .state import close_inherited_locks

    close_inherited_locks()
    in_worker()
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the parent died before prctl: exit rather than linger
        os._exit(1)


def local_engine(workers: int, n_tasks: int) -> Engine:
    """The engine for `workers` on this machine; no pool for one worker or a handful of tasks."""
    workers = min(workers, -(-n_tasks // POOL_INPUTS_PER_WORKER))
    return InProcess() if workers <= 1 else ProcessPool(workers)
