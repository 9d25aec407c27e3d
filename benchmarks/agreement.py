"""How well two annotators agree: score one gold folder against another.

    python benchmarks/agreement.py GOLD_A GOLD_B [--errors]

Both folders hold gold JSONL files for the same documents (one line per figure, the
keys of tests/gold). The figures of B are matched to those of A as `figure-etl eval`
matches extracted figures to gold (per file, on kind and value, in order), and the
same table is printed: value F1 and the accuracy of every label on the figures both
annotators found. Two careful annotators who follow the contract on their own set the
ceiling any extractor can reach on text annotated by either of them (docs/context.md,
"Agreement between annotators").
"""
from __future__ import annotations

import argparse
from pathlib import Path

from etl.review.evaluate import evaluate, format_report, load_gold


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold_a", type=Path)
    parser.add_argument("gold_b", type=Path)
    parser.add_argument("--errors", action="store_true", help="list each disagreement")
    args = parser.parse_args(argv)
    print(format_report(evaluate(load_gold(args.gold_a), load_gold(args.gold_b)), show_errors=args.errors))


if __name__ == "__main__":
    main()
