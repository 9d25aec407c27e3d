"""Parts and totals: a figure that is a part of another names it (`Figure.part_of`).

Three rules, on the figures of one article in order:
- a cell of a table's row of parts (其中：工业投资) is a part of the cell of its column in the
  row above it that it is part of (固定资产投资);
- a figure after 其中 (its words in `etl/data/context.toml`, [parts]) in the paragraph
  of an earlier total of the same unit is a part of that total (全年完成投资100亿元，其中
  工业投资40亿元);
- a run of two or more figures with one metric and unit whose sum is an earlier figure
  of that unit is a list of that total's parts (总投资19亿元 … 分别为8.5亿元、6.6亿元、
  2亿元、1.9亿元).
Only amounts that add up are linked: money, area and counts, not rates.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from functools import cache

from ..text.tables import cell_at
from .figure import Figure
from .lexicon import load_data


@cache
def _data() -> dict:
    return load_data("context.toml")["parts"]


def _additive(f: Figure) -> bool:
    return f.relation == "level" and f.unit not in _data()["not_additive_units"]


def link_parts(text: str, figures: list[Figure]) -> list[Figure]:
    """`figures` with `part_of` set on the parts of a total (the list itself when none)."""
    links: dict[int, int] = {}
    _link_table_rows(text, figures, links)
    _link_marked(text, figures, links)
    _link_sums(figures, links)
    if not links:
        return figures
    return [replace(f, part_of=(figures[links[i]].char_start, figures[links[i]].char_end)) if i in links else f
            for i, f in enumerate(figures)]


def _link_table_rows(text: str, figures: list[Figure], links: dict[int, int]) -> None:
    """The cells of a table's row of parts (其中：工业投资) and the cells above them of the row
    they are part of (`tables.Cell.whole`), column by column."""
    at = {f.char_start: i for i, f in enumerate(figures)}
    for i, f in enumerate(figures):
        cell = cell_at(text, f.char_start)
        j = at.get(cell.whole[0]) if cell is not None and cell.whole else None
        if j is not None and _additive(f) and _additive(figures[j]) and figures[j].unit == f.unit:
            links[i] = j


def _link_marked(text: str, figures: list[Figure], links: dict[int, int]) -> None:
    """Figures after a part marker (其中) in the paragraph of an earlier total."""
    if not figures:
        return
    lo, hi = figures[0].char_start, figures[-1].char_end
    markers = sorted(at for m in _data()["markers"] for at in _positions(text, m, lo, hi))
    if not markers:
        return
    for i, f in enumerate(figures):
        k = bisect_left(markers, f.char_start) - 1
        if k < 0 or not _additive(f):
            continue
        marker = markers[k]
        for j in range(i - 1, -1, -1):
            total = figures[j]
            if text.find("\n", total.char_end, f.char_start) >= 0:
                break  # a total governs its own paragraph only
            if total.char_end > marker or total.unit != f.unit or j in links or not _additive(total):
                continue
            if f.value < total.value:
                links[i] = j
            break


def _positions(text: str, word: str, lo: int, hi: int) -> list[int]:
    found, at = [], text.find(word, lo, hi)
    while at >= 0:
        found.append(at)
        at = text.find(word, at + 1, hi)
    return found


def _link_sums(figures: list[Figure], links: dict[int, int]) -> None:
    """Runs of same-metric figures that add up to an earlier figure of their unit."""
    max_run = _data()["max_run"]
    additive = [_additive(f) for f in figures]
    earlier: dict[tuple[str, str], int] = {}  # (unit, value to 4 digits) → latest figure
    largest: dict[str, float] = {}  # unit → the largest value of an earlier figure
    for i, f in enumerate(figures):
        if not additive[i]:
            continue
        if i not in links and f.unit in largest:
            total = _total_of_run(figures, additive, i, max_run, earlier, largest[f.unit])
            if total is not None:
                run, t = total
                links.update(dict.fromkeys(run, t))
        earlier[(f.unit, _key(f.value))] = i
        largest[f.unit] = max(largest.get(f.unit, f.value), f.value)


def _total_of_run(figures: list[Figure], additive: list[bool], first: int, max_run: int,
                  earlier: dict[tuple[str, str], int], largest: float) -> tuple[list[int], int] | None:
    """The shortest run of two or more figures from `first` on, of one unit and metric,
    whose sum is an earlier figure (and that figure), or None. `largest` is the largest
    earlier value of the unit: a total exceeds each of its parts, so a part that reaches it
    ends the search (on a long list most runs end at once)."""
    head = figures[first]
    run, acc = [], 0.0
    for i in range(first, min(len(figures), first + 2 * max_run)):
        f = figures[i]
        if f.unit != head.unit or not additive[i]:
            continue  # a rate or another unit between the parts (总投资8.5亿元的…项目、…)
        if f.metric != head.metric or len(run) == max_run or f.value >= largest:
            return None
        run.append(i)
        acc += f.value
        t = earlier.get((head.unit, _key(acc))) if len(run) >= 2 else None
        if t is not None and all(figures[j].value < figures[t].value for j in run):
            return run, t
    return None


def _key(value: float) -> str:
    """A value to four significant digits: parts written to one decimal add up to it."""
    return f"{value:.4g}"
