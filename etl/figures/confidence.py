"""Confidence of a figure: how sure the extractor is of the figure and its labels.

Pure and data-driven: every doubt (`etl/data/confidence.toml`) is a small test on the
figure and the clause around it, from evidence the extraction already has: how the label
was found (none, only after the number, not in the clause at all, a verb fragment or a
place), what stands next to the number (a word that makes numbers dates or ordinals), a
qualifier, a unit seldom used for its kind, a value at the edge of plausibility. The
confidence is the product of the factors of the doubts found, and the doubts are kept by
name (`confidence_reasons`), so a reviewer sees why a figure ranks low. The job lowers it
once more for the figures a consistency check failed or warned about (`with_checks`).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from .figure import Figure
from .labels import CLAUSE_DELIMITERS
from .lexicon import load_data

#: How far (characters) the clause of a figure is looked for on either side.
_CLAUSE_REACH = 120
#: Doubts a check adds, by the status of the check (worst first).
CHECK_DOUBTS = MappingProxyType({"fail": "check_fail", "warn": "check_warn"})
#: Every doubt this module finds; confidence.toml gives each its factor and explanation.
REASONS = ("no_metric", "metric_inherited", "metric_after", "open_label", "metric_verb", "metric_place",
           "metric_time", "metric_long", "no_indicator", "near_exclusion", "qualified",
           "chinese_one", "unusual_unit", "value_edge", *CHECK_DOUBTS.values())


@dataclass(frozen=True)
class Confidence:
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Doubts:
    """confidence.toml, loaded: factors and explanations by doubt, and the word lists."""

    factors: dict[str, float]
    why: dict[str, str]
    words: dict[str, tuple[str, ...]]
    unusual_units: dict[str, frozenset[str]]
    edges: dict[str, tuple[float, float]]
    long_label_chars: int


@cache
def load_doubts() -> Doubts:
    data = load_data("confidence.toml")
    if set(data["doubt"]) != set(REASONS):
        raise ValueError(f"confidence.toml: [doubt.*] must name exactly {', '.join(REASONS)}")
    words = {k: tuple(v) for k, v in data["words"].items() if isinstance(v, list)}
    return Doubts(
        factors={name: float(d["factor"]) for name, d in data["doubt"].items()},
        why={name: d["why"] for name, d in data["doubt"].items()},
        words=words,
        unusual_units={k: frozenset(v) for k, v in data["unusual_units"].items()},
        edges={k: (float(v["low"]), float(v["high"])) for k, v in data["edges"].items()},
        long_label_chars=int(data["words"]["long_label_chars"]),
    )


def score(reasons: tuple[str, ...] | list[str]) -> float:
    """The confidence of a figure with these doubts: the product of their factors."""
    factors = load_doubts().factors
    value = 1.0
    for reason in reasons:
        value *= factors[reason]
    return round(value, 4)


def figure_confidence(f: Figure, text: str) -> Confidence:
    """The confidence of `f`, found in `text` (the cleaned text its offsets index)."""
    doubts = load_doubts()
    start, end = _clause(text, f.char_start, f.char_end)
    before, after = text[start : f.char_start], text[f.char_end : end]
    reasons = [*_label_doubts(f, before, after, doubts), *_number_doubts(f, text, doubts)]
    return Confidence(score(reasons), tuple(reasons))


def with_checks(reasons: tuple[str, ...] | list[str], statuses) -> Confidence:
    """A figure's confidence once the checks involving it are known (their `statuses`):
    one doubt for the worst of them, when it failed or warned."""
    worst = next((CHECK_DOUBTS[s] for s in CHECK_DOUBTS if s in set(statuses)), None)
    kept = [r for r in reasons if r not in CHECK_DOUBTS.values()]  # idempotent
    if worst is not None:
        kept.append(worst)
    return Confidence(score(kept), tuple(kept))


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around text[start:end]: between the nearest clause delimiters."""
    floor = max(0, start - _CLAUSE_REACH)
    left = max((text.rfind(d, floor, start) for d in CLAUSE_DELIMITERS), default=-1)
    ceiling = min(len(text), end + _CLAUSE_REACH)
    ends = [i for d in CLAUSE_DELIMITERS if (i := text.find(d, end, ceiling)) >= 0]
    return (left + 1 if left >= 0 else floor), (min(ends) if ends else ceiling)


def _label_doubts(f: Figure, before: str, after: str, doubts: Doubts) -> list[str]:
    metric, words = f.metric, doubts.words
    if not metric:
        return ["no_metric"]
    found = []
    if metric not in before:
        found.append("metric_after" if metric in after else "metric_inherited")
    level = f.relation == "level"
    if level:
        found.append("open_label")
    if level and metric.endswith(words["verb_endings"]):  # a change is labelled by its verb (增长)
        found.append("metric_verb")
    elif (f.kind != "count" and metric.endswith(words["place_endings"])
          and not metric.endswith(words["not_place_endings"])):
        found.append("metric_place")
    if any(c.isdigit() for c in metric) or any(w in metric for w in words["time_words"]):
        found.append("metric_time")
    if len(metric) > doubts.long_label_chars:
        found.append("metric_long")
    # No doubt when a level's indicator is not its metric: value words (目标值, 完成值) are
    # the metric and the indicator says of what, so the two differ for right figures too.
    if not level and not f.indicator:
        found.append("no_indicator")
    return found


def _number_doubts(f: Figure, text: str, doubts: Doubts) -> list[str]:
    words, found = doubts.words, []
    number = f.number_text.lstrip("-−负")
    if text[max(0, f.char_start - 3) : f.char_start].endswith(words["before_number"]) or text[
        f.char_end : f.char_end + 2
    ].startswith(words["after_figure"]):
        found.append("near_exclusion")
    if f.qualifier in ("approx", "over", "under"):
        found.append("qualified")
    if f.kind == "count" and number in words["chinese_one"]:
        found.append("chinese_one")
    unit = f.counter if f.kind == "count" else f.unit_text
    if unit in doubts.unusual_units.get("money" if f.kind == "investment" else f.kind, ()) and not any(
        w in f.metric for w in words["per_unit_words"]
    ):
        found.append("unusual_unit")
    if _at_edge(f, doubts):
        found.append("value_edge")
    return found


def _at_edge(f: Figure, doubts: Doubts) -> bool:
    low, high = doubts.edges["money" if f.kind == "investment" else f.kind]
    value = abs(f.value_high if f.value_high is not None else f.value)
    if f.unit == "pp":
        return value > high  # a change in points: small is fine
    return value < low or value > high


def rows_with_checks(figures: list[dict], checks: list[dict]) -> None:
    """Lower, in place, the confidence of the figure rows (figures table) that rows of the
    checks table name in a failed or warning check."""
    statuses: dict[str, set[str]] = {}
    for check in checks:
        if check["status"] in CHECK_DOUBTS:
            for fid in check["figure_ids"]:
                statuses.setdefault(fid, set()).add(check["status"])
    for row in figures:
        if found := statuses.get(row["figure_id"]):
            confidence = with_checks(row["confidence_reasons"], found)
            row["confidence"], row["confidence_reasons"] = confidence.score, list(confidence.reasons)
