"""Hostile inputs for the consistency checks (issue 16): time, peak memory and check rows.

    python benchmarks/hostile.py [--lines 2000] [--single-line-mb 5]

A list of projects as a city's plan prints them (one line each, every line with the same
few counts: 新建标准厂房3栋，总投资…), then the same list repeated on one line up to
`--single-line-mb`. Each input runs in a fresh process (`process_and_check`, what a worker
does per input), which prints its seconds, peak RSS, figures and check rows.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

MEASURE = """
import json, resource, sys, time
from datetime import datetime, timezone
from etl.job.job import process_and_check
from etl.read.ingest import read_input
start = time.perf_counter()
result = process_and_check(read_input(sys.argv[1]), datetime.now(timezone.utc))
print(json.dumps({"seconds": time.perf_counter() - start, "figures": len(result.figures),
                  "checks": len(result.checks), "status": result.document["status"],
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def project_list(lines: int) -> str:
    return "\n".join(f"{i + 1}、第{i + 1}号智能制造产业园项目，新建标准厂房{i % 3 + 1}栋，"
                     f"总投资{i % 50 + 1}.{i % 10}亿元，占地{i % 300 + 20}亩。" for i in range(lines))


def measure(name: str, text: str, folder: Path) -> None:
    path = folder / f"{name}.txt"
    path.write_text("全市重点建设项目清单\n\n" + text + "\n", "utf-8")
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, check=True)
    m = json.loads(done.stdout)
    print(f"{name:<14} {path.stat().st_size / 1024:>8,.0f} KB {m['seconds']:>7.1f} s {m['peak_mb']:>7,.0f} MB "
          f"{m['figures']:>8,} figures {m['checks']:>7,} checks "
          f"({m['checks'] / max(m['figures'], 1):.2f} per figure) {m['status']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=2000, help="projects in the list")
    ap.add_argument("--single-line-mb", type=float, default=5, help="size of the one-line variant")
    args = ap.parse_args()
    listing = project_list(args.lines)
    line = listing.replace("\n", "")
    repeat = max(1, int(args.single_line_mb * 2**20 / len(line.encode("utf-8"))))
    with tempfile.TemporaryDirectory() as tmp:
        measure("project list", listing, Path(tmp))
        measure("one line", line * repeat, Path(tmp))


if __name__ == "__main__":
    main()
