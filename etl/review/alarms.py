"""Alarm counts for a folder (`figure-etl alarms`): how many warnings and failures each
check rule raises, and, given what is known to be true, how many are real.

An alarm (a check row with status warn or fail) is TRUE when it points at a figure the
extractor got wrong (one not in the gold annotations with that surface, kind, value and
indicator) or at an inconsistency the text really has (listed in a truth file: TOML, an array
`[[inconsistency]]` of file, rule and surfaces, the surfaces of the figures the alarm must name: every real one of
the files judged, so that any other alarm there is false). Precision is true alarms over
judged alarms. Only `alarm_report` reads files; the rest is pure.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
import tomllib
from typing import Iterable, Mapping

from ..job.job import process_and_check
from ..quality.checks import CHECKS, STATUSES
from ..read.ingest import discover_inputs, read_input
from .evaluate import load_gold, value_key

ALARMS = ("warn", "fail")


@dataclass(frozen=True)
class Alarm:
    """A check row of one file with the figures it names (their rows)."""

    file: str
    rule: str
    status: str
    message: str
    figures: tuple[dict, ...]

    @property
    def surfaces(self) -> list[str]:
        return [f["surface"] for f in self.figures]


def checked_rows(inputs: Iterable[Path]) -> list[Alarm]:
    """Every check row (passes too) of the input files, run through the pipeline and checks."""
    rows = []
    now = datetime.now(timezone.utc)
    for path in discover_inputs(list(inputs)):
        result = process_and_check(read_input(path), now)
        by_id = {f["figure_id"]: f for f in result.figures}
        rows += [Alarm(path.name, r["rule"], r["status"], r["message"],
                       tuple(by_id[i] for i in r["figure_ids"])) for r in result.checks]
    return rows


def wrong_figure(figure: Mapping, gold: Mapping[str, list[dict]], file: str) -> bool:
    """No gold figure of the file has this one's surface, kind, value and indicator."""
    key = (figure["surface"], figure["kind"], value_key(figure["value"]), figure.get("indicator") or "")
    return all((g["surface"], g["kind"], value_key(g["value"]), g.get("indicator") or "") != key
               for g in gold.get(file, []))


def is_true(alarm: Alarm, gold: Mapping[str, list[dict]] | None, truth: list[dict] | None) -> bool | None:
    """Whether the alarm is real; None when nothing is known about its file. A truth list,
    when given, lists every real inconsistency of the files (an empty one: there are none)."""
    real = any(t["file"] == alarm.file and t["rule"] == alarm.rule
               and all(s in alarm.surfaces for s in t["surfaces"]) for t in truth or [])
    if real or (gold is not None and alarm.file in gold
                and any(wrong_figure(f, gold, alarm.file) for f in alarm.figures)):
        return True
    return False if truth is not None or alarm.file in (gold or ()) else None


def format_alarms(rows: list[Alarm], gold: Mapping[str, list[dict]] | None, truth: list[dict] | None) -> str:
    """Counts by rule and status, each alarm judged, precision, and the truth not raised."""
    counts = Counter((r.rule, r.status) for r in rows)
    lines = [f"{'rule':<22}" + "".join(f"{s:>6}" for s in STATUSES)]
    lines += [f"{rule:<22}" + "".join(f"{counts[rule, s]:>6}" for s in STATUSES) for rule in CHECKS]
    alarms = [r for r in rows if r.status in ALARMS]
    verdicts = [is_true(a, gold, truth) for a in alarms]
    mark = {True: "TRUE ", False: "FALSE", None: "?    "}
    lines += [f"{mark[v]} {a.file} {a.rule} {a.status}: {a.message}" for a, v in zip(alarms, verdicts)]
    judged = [v for v in verdicts if v is not None]
    true = sum(judged)
    precision = f"{true / len(judged):.2f}" if judged else "n/a"
    lines.append(f"alarms: {len(alarms)} ({len(judged)} judged, {true} true); precision {precision}")
    missed = [t for t in truth or [] if not any(is_true(a, None, [t]) for a in alarms)]
    lines += [f"NOT RAISED {t['file']} {t['rule']}: {' '.join(t['surfaces'])}" for t in missed]
    return "\n".join(lines)


def load_truth(path: Path) -> list[dict]:
    """The real inconsistencies a truth file lists (TOML: `[[inconsistency]]` file, rule, surfaces)."""
    return tomllib.loads(Path(path).read_text("utf-8")).get("inconsistency", [])


def alarm_report(inputs: Iterable[Path], gold_dir: Path | None = None, truth_file: Path | None = None) -> str:
    """`format_alarms` for the input files, judged by gold and truth files when given."""
    gold = load_gold(gold_dir) if gold_dir else None
    truth = load_truth(truth_file) if truth_file else None
    return format_alarms(checked_rows(inputs), gold, truth)
