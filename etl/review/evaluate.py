"""Score extracted figures against hand-annotated gold (`figure-etl eval`).

Gold and output are matched per source file on (kind, value), in order of
appearance, as the contract says; precision, recall and F1 count those
matches, and the labels (metric, subject, qualifier) and the context of contract v3
(indicator, relation, period, period_text, modality) are compared on them. A period
counts as right when its start and its end both are.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from ..figures.figure import KINDS

LABELS = ("metric", "subject", "qualifier", "sentence", "indicator", "relation", "period", "period_text", "modality")


def label_value(row: Mapping, label: str) -> str:
    """A field of a gold or output row as compared: text, with dates as ISO strings and
    the period as its start and end together ("" for a missing value)."""
    if label == "period":
        return f"{label_value(row, 'period_start')}..{label_value(row, 'period_end')}"
    value = row.get(label)
    return "" if value is None else value if isinstance(value, str) else str(value)


def value_key(value: float) -> str:
    """Values compare at nine significant digits: 183亩 is 122000 either way."""
    return f"{float(value):.9g}"


def load_gold(gold_dir: Path) -> dict[str, list[dict]]:
    """Gold figures by source file name, in order of appearance."""
    gold: dict[str, list[dict]] = defaultdict(list)
    for path in sorted(Path(gold_dir).glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                gold[row.get("file") or row["source"]].append(row)
    return dict(gold)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    by_kind: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in KINDS})
    label_hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LABELS, 0))
    matched: int = 0
    misses: list[dict] = field(default_factory=list)  # gold rows not found
    extras: list[dict] = field(default_factory=list)  # output rows not in gold
    label_errors: list[tuple[str, dict, dict]] = field(default_factory=list)
    #: (confidence, wrong) of each output row that has a confidence: wrong when it is no
    #: gold figure (value or kind wrong, or not a figure) or its metric is wrong.
    judged: list[tuple[float, bool]] = field(default_factory=list)

    @property
    def overall(self) -> Score:
        return Score(*(sum(getattr(s, a) for s in self.by_kind.values()) for a in ("tp", "fp", "fn")))

    def accuracy(self, label: str) -> float:
        return self.label_hits[label] / self.matched if self.matched else 1.0


def evaluate(gold: Mapping[str, list[dict]], output: Mapping[str, Iterable[dict]]) -> Evaluation:
    """Compare output figures (dicts with the gold fields) to gold, per source."""
    ev = Evaluation()
    for source in sorted(set(gold) | set(output)):
        pending: dict[tuple, list[dict]] = defaultdict(list)
        for row in gold.get(source, []):
            pending[(row["kind"], value_key(row["value"]))].append(row)
        for row in output.get(source, []):
            queue = pending.get((row["kind"], value_key(row["value"])))
            if not queue:
                ev.by_kind[row["kind"]].fp += 1
                ev.extras.append({**row, "file": source})
                _judge(ev, row, wrong=True)
                continue
            want = queue.pop(0)
            ev.by_kind[row["kind"]].tp += 1
            ev.matched += 1
            for label in LABELS:
                if label_value(row, label) == label_value(want, label):
                    ev.label_hits[label] += 1
                else:
                    ev.label_errors.append((label, want, row))
            _judge(ev, row, wrong=label_value(row, "metric") != label_value(want, "metric"))
        for queue in pending.values():
            for row in queue:
                ev.by_kind[row["kind"]].fn += 1
                ev.misses.append(row)
    return ev


def _judge(ev: Evaluation, row: Mapping, wrong: bool) -> None:
    if row.get("confidence") is not None:
        ev.judged.append((float(row["confidence"]), wrong))


@dataclass(frozen=True)
class Ranking:
    """How well confidence ranks the wrong figures first: of the `wrong` figures among
    `figures`, `found` are in the fifth with the lowest confidence (`reviewed` figures)."""

    figures: int
    wrong: int
    reviewed: int
    found: int

    @property
    def share(self) -> float:
        return self.found / self.wrong if self.wrong else 1.0

    def __str__(self) -> str:
        if not self.wrong:
            return f"review-first ranking: no wrong figure among {self.figures} to rank"
        return (f"review-first ranking: the {self.reviewed} least sure of {self.figures} figures (a fifth) "
                f"hold {self.found} of the {self.wrong} wrong figures ({self.share:.1%}; a random fifth: 20%)")


def ranking(judged: Iterable[tuple[float, bool]], fraction: float = 0.2) -> Ranking:
    """The share of wrong figures in the `fraction` of figures with the lowest confidence.

    Ties are broken against the ranking (wrong figures last among equals), so a flat
    confidence scores as a random order at best, never better."""
    rows = sorted(judged, key=lambda cw: (cw[0], cw[1]))
    reviewed = round(len(rows) * fraction)
    return Ranking(len(rows), sum(w for _, w in rows), reviewed, sum(w for _, w in rows[:reviewed]))


def format_report(ev: Evaluation, show_errors: bool = True) -> str:
    """The plain-text report `figure-etl eval` prints."""
    lines = [f"{'kind':<11}{'gold':>6}{'found':>7}{'P':>8}{'R':>8}{'F1':>8}"]
    for kind, s in [*ev.by_kind.items(), ("all", ev.overall)]:
        lines.append(
            f"{kind:<11}{s.tp + s.fn:>6}{s.tp + s.fp:>7}{s.precision:>8.3f}{s.recall:>8.3f}{s.f1:>8.3f}"
        )
    lines.append("")
    lines.append("label accuracy on matched figures (" + str(ev.matched) + "): " + ", ".join(
        f"{label} {ev.accuracy(label):.3f}" for label in LABELS))
    if ev.judged:
        lines.append(str(ranking(ev.judged)))
    if show_errors:
        for title, rows in (("missed", ev.misses), ("extra", ev.extras)):
            if rows:
                lines.append(f"\n{title} ({len(rows)}):")
                for row in rows:
                    lines.append(f"  {row['file']}  {row['kind']:<10} {row['surface']:<12} | {row['sentence']}")
        if ev.label_errors:
            lines.append(f"\nlabel errors ({len(ev.label_errors)}):")
            for label, want, got in ev.label_errors:
                lines.append(
                    f"  {label:<11} {want['surface']:<12} want {label_value(want, label)!r:<24} "
                    f"got {label_value(got, label)!r}"
                )
    return "\n".join(lines)
