"""How long `figure-etl status --json` takes on an output folder of 10,000 documents.

Builds a synthetic output folder: a documents table of N rows, 20 parts of 5 MB in each
row table (random bytes, not Parquet: status must not open them), 200 run records and a
last_run.json; then times the command as a scheduler runs it (a new process each time)
and `folder_status` in-process. Prints numbers; asserts nothing.

    .venv/bin/python benchmarks/status_bench.py [--documents 10000]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from etl.job.outcome import Validation, run_record, write_run_record
from etl.job.job import JobResult
from etl.job.status import folder_status
from etl.tables.write import write_table


def build(out: Path, n_documents: int) -> None:
    now = datetime.now(timezone.utc)
    rows = [{"doc_id": f"{i:064x}", "source": f"{i}.txt", "path": f"/data/{i}.txt", "size_bytes": 4000,
             "mtime": now, "encoding": "utf-8", "status": "ok", "error": None, "n_chars": 1300,
             "n_articles": 1, "n_figures": 14, "processed_at": now, "pipeline_version": "0.1.0"}
            for i in range(n_documents)]
    write_table("documents", rows, out)
    for table in ("figures", "articles", "checks"):
        (out / table).mkdir(parents=True)
        for i in range(20):
            (out / table / f"part-{i:04d}.parquet").write_bytes(os.urandom(5 * 2**20))
    for i in range(200):
        started = now - timedelta(hours=200 - i)
        job = JobResult(f"{started:%Y%m%dT%H%M%S}.000Z-{i:06x}", seen=n_documents,
                        unchanged=n_documents - 50, documents=[{"status": "ok"}] * 50)
        write_run_record(out, run_record(job.run_id, started, started + timedelta(minutes=2), 0, ["/data"],
                                         job, Validation("run", True, 80, 0)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    exe = Path(sys.executable).parent / "figure-etl"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        build(out, args.documents)
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 2**20
        walls = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            done = subprocess.run([str(exe), "status", str(out), "--json"], capture_output=True, text=True)
            walls.append(time.perf_counter() - t0)
            assert done.returncode == 0, done.stdout + done.stderr
        t0 = time.perf_counter()
        for _ in range(100):
            folder_status(out)
        inproc = (time.perf_counter() - t0) / 100
        baseline = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            subprocess.run([str(exe), "--version"], capture_output=True)
            baseline.append(time.perf_counter() - t0)
    print(f"output folder: {args.documents} documents, {size:.0f} MB")
    print(f"figure-etl status --json: median {statistics.median(walls):.3f} s, max {max(walls):.3f} s "
          f"({args.repeat} processes)")
    print(f"figure-etl --version (Python and click start): median {statistics.median(baseline):.3f} s")
    print(f"folder_status in-process: {inproc * 1000:.2f} ms")


if __name__ == "__main__":
    main()
