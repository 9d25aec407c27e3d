"""Same output, faster code: a snapshot of every field `extract_figures` returns.

    python benchmarks/snapshot.py write FILE     # the figures of the current code
    python benchmarks/snapshot.py compare A B    # the inputs whose figures differ

Inputs: the bundled sample pages, the held-out documents, every `text` of the table-driven
cases (tests/cases/*.yaml) and every line of never_crash.txt. A speed change must leave
the snapshot identical; write one before the change, one after, and compare. Run it with
`PYTHONPATH=<tree>` to snapshot another checkout (the code that runs is printed).
Not a test: the figures change whenever an extraction rule does.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from datetime import date
from pathlib import Path

import yaml

import etl
from etl.pipeline import extract_figures

ROOT = Path(__file__).resolve().parent.parent


def _case_texts(node) -> list[str]:
    """Every string under a `text` key, anywhere in a cases file."""
    if isinstance(node, dict):
        own = [node["text"]] if isinstance(node.get("text"), str) else []
        return own + [t for k, v in node.items() if k != "text" for t in _case_texts(v)]
    if isinstance(node, list):
        return [t for item in node for t in _case_texts(item)]
    return []


def inputs() -> dict[str, str]:
    """Name → text of every input the snapshot covers."""
    found = {}
    for folder in (ROOT / "etl/sample", ROOT / "tests/heldout/docs"):
        for path in sorted(folder.glob("*.txt")):
            found[str(path.relative_to(ROOT))] = path.read_text("utf-8")
    for path in sorted((ROOT / "tests/cases").glob("*.yaml")):
        texts = _case_texts(yaml.safe_load(path.read_text("utf-8")))
        found.update((f"{path.name}#{i}", t) for i, t in enumerate(texts))
    lines = (ROOT / "tests/cases/never_crash.txt").read_text("utf-8").splitlines()
    found.update((f"never_crash.txt:{i}", line.replace("\\n", "\n"))
                 for i, line in enumerate(lines, 1) if not line.startswith("#"))
    return found


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def snapshot() -> dict[str, list[dict]]:
    return {name: [{k: _plain(v) for k, v in dataclasses.asdict(f).items()} for f in extract_figures(text)]
            for name, text in inputs().items()}


def compare(a: dict, b: dict) -> list[str]:
    """The inputs whose figures differ (or that only one snapshot has)."""
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    sub.add_parser("write").add_argument("file", type=Path)
    cmp = sub.add_parser("compare")
    cmp.add_argument("a", type=Path)
    cmp.add_argument("b", type=Path)
    args = ap.parse_args()
    if args.command == "write":
        snap = snapshot()
        args.file.write_text(json.dumps(snap, ensure_ascii=False, indent=0, sort_keys=True), "utf-8")
        print(f"{sum(map(len, snap.values()))} figures of {len(snap)} inputs by {Path(etl.__file__).parent}"
              f" → {args.file}")
        return
    a, b = (json.loads(p.read_text("utf-8")) for p in (args.a, args.b))
    differ = compare(a, b)
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(differ)} of {len(a.keys() | b.keys())} inputs differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
