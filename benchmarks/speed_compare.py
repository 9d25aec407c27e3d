"""`extract_figures` of two checkouts on the same texts: CPU seconds, alternated.

    python benchmarks/speed_compare.py BEFORE_DIR [AFTER_DIR] [--rounds 5] [--mb 2]

Two corpora: `text`, the synthetic corpus of `make bench` (benchmarks/corpus.py, `--mb`
of it), and `dense`, figure-dense pages (the bundled sample and the held-out documents,
`--copies` times, each copy with its numbers varied so no cache sees a sentence twice).
Each measurement is a fresh process of one checkout (`PYTHONPATH` and working directory
set to it; the `etl` it imported is printed) that extracts the sample pages to compile the
patterns (not the measured texts: the caches per sentence would then serve them), then
every text under `time.process_time`. The checkouts take turns, round after
round, and the minimum and median of each are printed: on a shared machine the load
shifts between rounds, and CPU time moves less with it than wall time does.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import SAMPLE, _vary_numbers, write_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "tests" / "heldout" / "docs"

_CHILD = """
import json, sys, time
from pathlib import Path
import etl
from etl.pipeline import extract_figures
texts = [p.read_text("utf-8") for p in sorted(Path(sys.argv[1]).rglob("*.txt"))]
for p in sorted(Path(sys.argv[2]).glob("*.txt")):
    extract_figures(p.read_text("utf-8"))
start = time.process_time()
figures = sum(len(extract_figures(t)) for t in texts)
seconds = time.process_time() - start
print(json.dumps({"etl": etl.__file__, "chars": sum(map(len, texts)), "figures": figures, "seconds": seconds}))
"""


def write_text_corpus(folder: Path, mb: float) -> None:
    """The corpus of `make bench`, decoded and written as UTF-8 (no decoding in the timing)."""
    from etl.read.ingest import decode_bytes

    raw = folder.parent / "raw"
    write_corpus(raw, int(mb * 1e6))
    folder.mkdir(parents=True)
    for i, path in enumerate(sorted(raw.rglob("*.txt"))):
        (folder / f"{i:06d}.txt").write_text(decode_bytes(path.read_bytes())[0], "utf-8")


def write_dense_corpus(folder: Path, copies: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    pages = [p.read_text("utf-8") for folder_ in (SAMPLE, HELDOUT) for p in sorted(folder_.glob("*.txt"))]
    folder.mkdir(parents=True)
    for c in range(copies):
        for i, page in enumerate(pages):
            (folder / f"{c:03d}_{i:02d}.txt").write_text(_vary_numbers(page, rng), "utf-8")


def measure(tree: Path, corpus: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(corpus), str(SAMPLE)], cwd=tree, env={"PYTHONPATH": str(tree)},
                         capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    if not result["etl"].startswith(str(tree)):
        raise SystemExit(f"{tree} ran {result['etl']}: not the checkout asked for")
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path, nargs="?", default=ROOT)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--mb", type=float, default=2.0, help="size of the text corpus")
    ap.add_argument("--copies", type=int, default=40, help="copies of the dense pages")
    args = ap.parse_args()
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    with tempfile.TemporaryDirectory(prefix="figure-etl-speed-") as tmp:
        corpora = {"text": Path(tmp) / "text", "dense": Path(tmp) / "dense"}
        write_text_corpus(corpora["text"], args.mb)
        write_dense_corpus(corpora["dense"], args.copies)
        rates: dict[tuple[str, str], list[float]] = {(c, t): [] for c in corpora for t in trees}
        info = {}
        for r in range(args.rounds):
            order = list(trees) if r % 2 == 0 else list(trees)[::-1]
            for corpus, folder in corpora.items():
                for name in order:
                    res = measure(trees[name], folder)
                    rates[corpus, name].append(res["chars"] / res["seconds"] / 1e6)
                    info[corpus, name] = res
            print(f"round {r + 1}/{args.rounds} done at {time.strftime('%H:%M:%S')}", file=sys.stderr)
    for name, tree in trees.items():
        print(f"{name}: {tree} (etl from {info['text', name]['etl']})")
    for corpus in corpora:
        res = info[corpus, "after"]
        print(f"\n{corpus}: {res['chars'] / 1e6:.2f} M chars, {res['figures']:,} figures "
              f"(before: {info[corpus, 'before']['figures']:,}); M chars/s of CPU time")
        for name in trees:
            xs = rates[corpus, name]
            print(f"  {name:<7} best {max(xs):.2f}  median {statistics.median(xs):.2f}  "
                  f"[{', '.join(f'{x:.2f}' for x in xs)}]")
        ratio = statistics.median(rates[corpus, "after"]) / statistics.median(rates[corpus, "before"])
        print(f"  after / before (medians): {ratio:.2f}")


if __name__ == "__main__":
    main()
