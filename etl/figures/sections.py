"""What the section headings of a report say about the figures under them.

A heading that states a year (一、2025年和“十四五”时期工作回顾, in a report delivered in
January 2026) is the year its section's relative words (全年, 年末, 上年) speak of: the
contract's "year its text states for the same passage". A heading that announces goals
(二、2026年工作安排, 四、2026年经营计划) makes the figures under it goals. Neither gives a
figure a period of its own: that still comes from a time word of its sentence or
paragraph. A section runs to the next heading of its level or an outer one (一、 closes
（一）). Pure functions on the cleaned text; the words live in `etl/data/context.toml`
([sections]).

A page that gathers news items published on different days (each under its own 发布时间
line: a roundup, a web page of briefs) dates what follows each such line by it, up to the
next one, and the item's headline above the line: its 今年, 1—11月 and 去年 count from the
item's day, not the page's.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace
from datetime import date
from functools import cache, lru_cache

from ..text.dates import item_dates
from ..text.segment import headlines_start, section_headings
from . import period
from .context import Anchor
from .lexicon import load_data


@cache
def _words() -> dict:
    return load_data("context.toml")["sections"]


class Sections:
    """The anchor of each section of a text: `at(position)` is the anchor the figures at
    that position count from (the document's own before the first heading)."""

    def __init__(self, text: str, start: int, end: int, anchor: Anchor):
        self.document = anchor
        self.starts: list[int] = []
        self.anchors: list[Anchor] = []
        open_: list[tuple[int, int | None, bool]] = []  # (level, year, plan) of the enclosing headings
        for heading in section_headings(text, start, end):
            open_ = [o for o in open_ if o[0] < heading.level]
            open_.append((heading.level, *heading_says(heading.text, anchor)))
            year = next((y for _, y, _ in reversed(open_) if y is not None), anchor.year)
            self.starts.append(heading.start)
            self.anchors.append(replace(anchor, year=year, plan=any(p for *_, p in open_)))

        self.items = _items_of(text, anchor.today)
        self.item_starts = [at for at, _ in self.items]

    def at(self, position: int) -> Anchor:
        i = bisect_right(self.starts, position) - 1
        own = self.anchors[i] if i >= 0 else self.document
        k = bisect_right(self.item_starts, position) - 1
        if k < 0 or self.items[k][1] == own.today:
            return own
        return own.dated(self.items[k][1])


@lru_cache(maxsize=4)  # every article of a page asks for the page's item lines
def _items_of(text: str, today: date | None) -> list[tuple[int, date]]:
    """The item date lines of `text`, when the text has a date and its items state at least
    two different days; none otherwise (one 发布时间 line is the page's own date)."""
    dated = item_dates(text)
    if today is None or len({day for _, day in dated}) < 2:
        return []
    return [(headlines_start(text, at), day) for at, day in dated]


def heading_says(heading: str, anchor: Anchor) -> tuple[int | None, bool]:
    """The year a heading states (its first written year) and whether it announces goals:
    a goal word (目标, 安排, 计划) and no word of a review (回顾, 完成情况), and no time
    that ended before the document's date (2025年计划执行情况 in 2026 reviews a plan)."""
    words = period.time_words(heading)
    year = next((y for *_, m in words if (y := period.stated_year(m)) is not None), None)
    d = _words()
    plan = any(w in heading for w in d["goal_words"]) and not any(w in heading for w in d["review_words"])
    if plan and anchor.today is not None:
        ends = [period.resolve(m, anchor.year, anchor.today, anchor.report).end for *_, m in words]
        plan = not any(end is not None and end < anchor.today for end in ends)
    return year, plan
