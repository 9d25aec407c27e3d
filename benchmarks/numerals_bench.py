"""Numeral reading: time of pathological runs of numerals, and `extract_figures`
throughput on the synthetic corpus (for the "within 10% of before" promise).

    python benchmarks/numerals_bench.py [--mb 3] [--repeat 3]

Prints seconds; asserts nothing (timing belongs here, not in the tests).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus  # noqa: E402

from etl.pipeline import extract_figures  # noqa: E402
from etl.read.ingest import decode_bytes  # noqa: E402

PATHOLOGICAL = {
    "总投资 + 一二三×13,333 + 亿元 (40,000 numeral chars)": "总投资" + "一二三" * 13_333 + "亿元",
    "3个 × 40,000": "3个" * 40_000,
    "1 + 400 zeros + 亩": "占地1" + "0" * 400 + "亩",
    "十 × 40,000 + 万元": "投资" + "十" * 40_000 + "万元",
    "一万 × 20,000 + 元": "投资" + "一万" * 20_000 + "元",
    "9 × 40,000 + 万元": "投资" + "9" * 40_000 + "万元",
}


def best_of(repeat: int, fn) -> tuple[float, float]:
    """Best wall and best CPU seconds of `repeat` calls (CPU time is the steadier number on a
    shared machine)."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=3.0, help="corpus size for the throughput line")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    extract_figures("总投资3亿元")  # compile the patterns before timing
    for name, text in PATHOLOGICAL.items():
        wall, cpu = best_of(1, lambda: extract_figures(text))
        print(f"{name:55s} {wall:7.3f} s wall {cpu:7.3f} s CPU  ({len(extract_figures(text))} figures)")
    with tempfile.TemporaryDirectory() as tmp:
        write_corpus(Path(tmp), int(args.mb * 1e6))
        texts = [decode_bytes(p.read_bytes())[0] for p in sorted(Path(tmp).rglob("*.txt"))]
    chars = sum(map(len, texts))
    wall, cpu = best_of(args.repeat, lambda: [extract_figures(t) for t in texts])
    print(f"extract_figures on {chars:,} chars: {wall:.2f} s wall, {cpu:.2f} s CPU, {chars / cpu / 1e6:.2f} M chars/CPU-s")


if __name__ == "__main__":
    main()
