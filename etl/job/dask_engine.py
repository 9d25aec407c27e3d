"""The Dask engine: the same per-chunk function, run by the workers of a Dask cluster.

`--engine dask --scheduler ADDRESS` connects to a running scheduler; without an address a
`distributed.LocalCluster` (one single-threaded process per core) is started for the run
and closed after it. Workers must have the same `etl` package installed: tasks are sent
as references to module-level functions, never as code.
"""
from __future__ import annotations

from .engine import WINDOW_PER_WORKER, ordered


class DaskEngine:
    """Submits chunks to a Dask cluster, a bounded window at a time, results in order."""

    def __init__(self, scheduler: str | None = None, workers: int = 1, processes: bool = True):
        from distributed import Client, LocalCluster

        self._cluster = None
        if scheduler:
            self._client = Client(scheduler)
        else:
            self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes,
                                         dashboard_address=None)
            self._client = Client(self._cluster)
        self.workers = max(1, sum(self._client.nthreads().values()))

    def _submit(self, fn, chunk):
        # pure=False: two runs over the same paths must read the files again
        return self._client.submit(fn, chunk, pure=False)

    def map(self, fn, chunks):
        return ordered(self._submit, fn, chunks, self.workers * WINDOW_PER_WORKER)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
