"""Engines: any number of workers, and the Dask engine, give the tables of a one-worker run
(the checks too: workers compute them with the rows)."""
from __future__ import annotations

import multiprocessing
import sys
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from etl.cli import main
from etl.job.engine import ProcessPool, chunked, ordered
from etl.job.job import JobOptions, run_job

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from corpus import write_corpus  # noqa: E402

TABLES = ("figures", "articles", "documents", "checks")
VOLATILE = ["processed_at"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("corpus")
    write_corpus(src, 250_000, seed=3)  # ~40 documents in four encodings
    (src / "000" / "copy.txt").write_bytes((src / "000" / "doc_000001.txt").read_bytes())  # a duplicate
    (src / "000" / "empty.txt").write_bytes(b"")
    return src


def tables(out: Path, drop=()) -> dict[str, pd.DataFrame]:
    return {t: pd.read_parquet(out / t).drop(columns=[*VOLATILE, *drop], errors="ignore") for t in TABLES}


def run_cli(*args) -> None:
    result = CliRunner().invoke(main, ["run", *map(str, args), "--no-validate", "--no-report", "-q"])
    assert result.exit_code == 0, result.output


def test_two_workers_write_exactly_the_rows_and_parts_of_one(corpus, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    run_cli(corpus, "-o", one, "--workers", "1", "--batch-size", "7")
    run_cli(corpus, "-o", two, "--workers", "2", "--batch-size", "7")
    a, b = tables(one), tables(two)
    for t in TABLES:
        assert len(a[t]) > 0
        pd.testing.assert_frame_equal(a[t], b[t])  # same rows in the same order, not only the same set
        parts = [sorted(p.name.split("-")[-1] for p in (out / t).glob("*.parquet")) for out in (one, two)]
        assert parts[0] == parts[1]  # part-<run_id>-<batch>: the same batches
    assert (a["documents"].status == "duplicate").sum() == 1


def test_ordered_keeps_input_order_and_a_bounded_window():
    from concurrent.futures import ThreadPoolExecutor

    in_flight, peak = [0], [0]

    def submit(fn, chunk):
        in_flight[0] += 1
        peak[0] = max(peak[0], in_flight[0])
        return pool.submit(fn, chunk)

    def consume(results):
        for r in results:
            in_flight[0] -= 1
            yield r

    with ThreadPoolExecutor(4) as pool:
        out = list(consume(ordered(submit, lambda c: [x * 2 for x in c], chunked(range(100), 3), window=4)))
    assert [x for c in out for x in c] == [x * 2 for x in range(100)]
    assert peak[0] <= 4


def test_a_chunk_closes_at_its_count_or_once_its_weight_is_reached():
    sizes = [5, 100, 1, 1, 1, 1]
    assert list(chunked(sizes, 3, weight=lambda x: x, max_weight=50)) == [[5, 100], [1, 1, 1], [1]]
    assert list(chunked(sizes, 4)) == [[5, 100, 1, 1], [1, 1]]


def test_dask_engine_on_a_local_cluster_reads_urls_and_writes_the_local_engines_tables(corpus, tmp_path):
    pytest.importorskip("distributed")
    import fsspec

    from etl.job.dask_engine import DaskEngine
    from etl.read.urls import discover_urls

    mem = fsspec.filesystem("memory")
    for path in sorted(corpus.rglob("*.txt")):
        mem.pipe_file(f"/corpus/{path.relative_to(corpus)}", path.read_bytes())
    urls = discover_urls("memory://corpus")
    assert len(urls) == len(list(corpus.rglob("*.txt")))

    local = tmp_path / "local"
    run_cli(corpus, "-o", local, "--workers", "1")
    now = datetime.now(timezone.utc)
    out = tmp_path / "dask"
    # threads, not processes: memory:// lives in this process (a real cluster reads s3:// etc.)
    run_job(urls, out, "20260101T000000.000Z-dask01", now, JobOptions(workers=2),
            engine=lambda n: DaskEngine(workers=2, processes=False))
    a, b = (tables(o, drop=["path", "mtime", "error"]) for o in (local, out))  # these name the input
    for t in TABLES:
        pd.testing.assert_frame_equal(a[t], b[t])
    mem.rm("/corpus", recursive=True)


def test_output_url_is_refused_and_scheduler_needs_dask(corpus):
    result = CliRunner().invoke(main, ["run", str(corpus), "-o", "s3://bucket/out"])
    assert result.exit_code == 2 and "local" in result.output
    result = CliRunner().invoke(main, ["run", str(corpus), "--scheduler", "tcp://x:8786"])
    assert result.exit_code == 2 and "--engine dask" in result.output


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")
def test_a_local_pool_forks_its_workers_when_made():
    """Before the caller can start a thread (the GX import), never while one imports."""
    before = len(multiprocessing.active_children())
    pool = ProcessPool(2)
    try:
        assert len(multiprocessing.active_children()) == before + 2
    finally:
        pool.close()
