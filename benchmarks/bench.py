"""figure-etl benchmark: throughput, stage times, peak memory, and the regex ceiling.

    python benchmarks/bench.py [--mb 50] [--extract-mb 10] [--workers N] [--keep DIR]

Writes a synthetic corpus (benchmarks/corpus.py), then measures and prints:
extraction throughput of `extract_figures` on one core, the time of each stage,
a bare regex scan plus numeral conversion of every number on the same text (the
practical ceiling), an end-to-end `figure-etl run` on the whole corpus
(chars/s, documents/s, peak RSS of the whole process tree, CPU time of the parent
process and of its workers), and the consistency checks (`check_tables`) on that
run's tables.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import psutil
import regex

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus  # noqa: E402

from etl.quality.checks import check_tables  # noqa: E402
from etl.text.clean import clean_layout  # noqa: E402
from etl.figures.extract import find_figures  # noqa: E402
from etl.read.ingest import decode_bytes  # noqa: E402
from etl.figures.numerals import NUMBER_PATTERN, parse_numeral  # noqa: E402
from etl.pipeline import extract_figures  # noqa: E402
from etl.text.segment import split_articles, split_sentences  # noqa: E402
from etl.tables.write import read_table  # noqa: E402


def read_texts(folder: Path, max_chars: int) -> list[str]:
    texts, total = [], 0
    for path in sorted(folder.rglob("*.txt")):
        text, _ = decode_bytes(path.read_bytes())
        texts.append(text)
        total += len(text)
        if total >= max_chars:
            break
    return texts


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def stage_times(texts: list[str]) -> dict[str, float]:
    times = dict.fromkeys(("clean", "segment", "extract"), 0.0)
    for text in texts:
        t0 = time.perf_counter()
        cleaned = clean_layout(text).text
        t1 = time.perf_counter()
        parts = [(a, split_sentences(cleaned, a.start, a.end)) for a in split_articles(cleaned)]
        t2 = time.perf_counter()
        for a, sentences in parts:
            find_figures(cleaned, sentences, a.start, a.end)
        t3 = time.perf_counter()
        times["clean"] += t1 - t0
        times["segment"] += t2 - t1
        times["extract"] += t3 - t2
    return times


def ceiling(texts: list[str]) -> None:
    number = regex.compile(NUMBER_PATTERN)
    for text in texts:
        for m in number.finditer(text):
            parse_numeral(m.group())


@dataclass
class Usage:
    """What `run_end_to_end` measured."""

    wall: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds, from the run's JSON log
    peak_rss: int = 0  # bytes, whole process tree
    parent_cpu: float = 0.0  # seconds, user + system, last sample before it ended
    worker_cpu: dict[int, float] = field(default_factory=dict)  # pid -> seconds, last sample


def run_end_to_end(corpus: Path, out: Path, workers: int | None) -> tuple[Usage, str]:
    """Wall time, peak RSS and CPU times (sampled every 50 ms), and the run's summary.

    With 2 workers on 2 cores every CPU-second of the parent is taken from the workers,
    hence its own line."""
    exe = Path(sys.executable).parent / "figure-etl"
    cmd = [str(exe), "run", str(corpus), "--output", str(out), "--log-format", "json"]
    if workers:
        cmd += ["--workers", str(workers)]
    usage = Usage()
    start = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            try:
                children = proc.children(recursive=True)
                usage.peak_rss = max(usage.peak_rss, sum(p.memory_info().rss for p in [proc, *children]
                                                         if p.is_running()))
                usage.parent_cpu = sum(proc.cpu_times()[:2])
                for child in children:
                    usage.worker_cpu[child.pid] = sum(child.cpu_times()[:2])
            except psutil.Error:
                pass
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = proc.communicate()
    usage.wall = time.perf_counter() - start
    done.set()
    sampler.join()
    events = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    usage.phases = _phases(events)
    summary = next((e["message"] for e in events if e["event"] == "run_finished"), output.strip())
    return usage, summary


def _phases(events: list[dict]) -> dict[str, float]:
    """Seconds of a run's phases from its log: extraction (workers read and extract, the
    parent stages each batch), then the commit, the validation (wall and CPU time, from its
    `validated` line) and the review with the run record."""
    stamps = {}
    for e in events:
        stamps.setdefault(e["event"], []).append(datetime.fromisoformat(e["ts"]).timestamp())
    if not {"start", "batch", "run_finished"} <= set(stamps):
        return {}
    start, last_batch, end = stamps["start"][0], stamps["batch"][-1], stamps["run_finished"][0]
    phases = {"extract and stage": last_batch - start}
    validated = next((e for e in events if e["event"] == "validated"), None)
    if validated is None:  # a figure-etl before the `validated` line
        return {**phases, "commit, validate, review": end - last_batch}
    done = stamps["validated"][0]
    return {**phases, "commit": done - validated["seconds"] - last_batch,
            "validate": validated["seconds"], "  of which CPU": validated["cpu_seconds"],
            "review and record": end - done}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=50, help="corpus size in MB (end-to-end run)")
    ap.add_argument("--extract-mb", type=float, default=10, help="MB of it for the one-core measurements")
    ap.add_argument("--workers", type=int, default=None, help="passed to figure-etl run")
    ap.add_argument("--keep", type=Path, default=None, help="write the corpus here and keep it")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="figure-etl-bench-"))
    corpus = args.keep or tmp / "corpus"
    try:
        start = time.perf_counter()
        files, chars = write_corpus(corpus, int(args.mb * 1e6))
        print(f"corpus: {files} documents, {chars / 1e6:.1f} M chars, {args.mb:g} MB "
              f"(written in {time.perf_counter() - start:.1f} s)")

        texts = read_texts(corpus, int(args.extract_mb * 1e6 / 3))
        n = sum(map(len, texts))
        extract_figures(texts[0])  # compile the patterns once, as any long run does
        t_extract = timed(lambda: [extract_figures(x) for x in texts])
        t_ceiling = timed(lambda: ceiling(texts))
        stages = stage_times(texts)
        figures = sum(len(extract_figures(x)) for x in texts[:200])

        rows = [
            ("extract_figures, 1 core", f"{n / t_extract / 1e6:.2f} M chars/s"),
            ("regex scan + numeral conversion (ceiling), 1 core", f"{n / t_ceiling / 1e6:.2f} M chars/s"),
            ("ratio extract_figures / ceiling", f"{t_ceiling / t_extract:.2f}"),
        ]
        rows += [(f"  stage {name}", f"{n / s / 1e6:.2f} M chars/s ({s / sum(stages.values()):.0%} of time)")
                 for name, s in stages.items()]
        rows.append(("  figures per 1,000 chars (first 200 docs)",
                     f"{figures / sum(map(len, texts[:200])) * 1000:.2f}"))

        usage, summary = run_end_to_end(corpus, tmp / "out", args.workers)
        wall = usage.wall
        rows += [
            (f"figure-etl run end to end ({args.workers or 'default'} workers)", f"{chars / wall / 1e6:.2f} M chars/s"),
            ("  documents per second", f"{files / wall:.0f}"),
            ("  wall time", f"{wall:.1f} s"),
            ("  peak RSS, whole process tree", f"{usage.peak_rss / 2**20:.0f} MiB"),
            ("  CPU time of the parent process", f"{usage.parent_cpu:.1f} s"),
            ("  CPU time of the workers", f"{sum(usage.worker_cpu.values()):.1f} s"),
        ]
        rows += [(f"  phase {name}", f"{s:.1f} s") for name, s in usage.phases.items()]
        articles, figures = (read_table(t, tmp / "out").to_pandas() for t in ("articles", "figures"))
        t_checks = timed(lambda: check_tables(articles, figures))
        rows.append(("check_tables on the run's tables, 1 core",
                     f"{chars / t_checks / 1e6:.2f} M chars/s ({len(figures):,} figures, {t_checks:.1f} s)"))
        width = max(len(k) for k, _ in rows)
        print(f"measured on {n / 1e6:.1f} M chars for one core; {psutil.cpu_count()} cores here")
        for key, value in rows:
            print(f"{key:<{width}}  {value}")
        print("\nrun summary:\n" + summary)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
