"""Segment stage: articles and sentences of cleaned text, as offsets into it.

Works on `clean_layout(raw).text`, where a line break is always a real break
(paragraph, headline, byline), so every decision here is about whole lines.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from .clean import LAYOUT_FILE, LayoutRules, layout_rules

_LINE = re.compile(r"\S(?:[^\n]*\S)?")  # a line without its edge whitespace


@dataclass(frozen=True)
class Article:
    """One article of a page: ``text[start:end]``, its body from ``body_start``.

    `headline` joins the headline lines with a space; `dateline` is the date as
    written in the dateline paragraph ("7月30日"); `reporters` are the names of
    the closing byline, in order.
    """

    index: int
    start: int
    end: int
    headline: str
    dateline: str
    reporters: tuple[str, ...]
    body_start: int


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans in ``text[start:end]``, edge whitespace excluded.

    A sentence ends after 。！？；; ! ? (with any closing quote or bracket right
    after them) or at a line break; commas never end one.
    """
    end = len(text) if end is None else end
    return [m.span() for m in layout_rules().sentence.finditer(text, start, end)]


def split_articles(text: str) -> list[Article]:
    """The articles of a cleaned page, in order, covering every non-blank line.

    An article is: optional headline lines, a dateline paragraph (本报讯 …),
    its body, and ends with its last byline before the next article's
    headlines. Lines left over outside such an article (a page that starts
    mid-article, headlines at the end of a page whose bodies are elsewhere)
    become articles of their own; text without datelines is one article.
    """
    rules = layout_rules()
    spans = [m.span() for m in _LINE.finditer(text)]
    lines = [text[s:e] for s, e in spans]
    bylines = [_byline_kind(line, rules) for line in lines]
    kinds = [_line_kind(line, byline, rules) for line, byline in zip(lines, bylines)]
    anchors = [k for k, kind in enumerate(kinds) if kind == "dateline"]
    first_lines = []
    for previous, anchor in zip([-1, *anchors], anchors):
        head = anchor
        while head > previous + 1 and kinds[head - 1] == "headline":
            head -= 1
        first_lines.append(head)
    line_ranges = [(0, first_lines[0] if first_lines else len(lines))]
    for first, anchor, next_first in zip(first_lines, anchors, [*first_lines[1:], len(lines)]):
        last_byline = max((k for k in range(anchor, next_first) if bylines[k]), default=next_first - 1)
        line_ranges += [(first, last_byline + 1), (last_byline + 1, next_first)]
    articles = []
    for first, stop in line_ranges:
        if first < stop:
            articles.append(_article(len(articles), spans, lines, kinds, bylines, first, stop - 1, rules))
    return articles


def _byline_kind(line: str, rules: LayoutRules) -> str:
    """"line" for a byline line, "tail" for a paragraph ending with a byline, else ""."""
    if not any(marker in line for marker in rules.byline_markers):
        return ""  # most paragraphs: a substring test instead of two regex scans
    if rules.byline_line.fullmatch(line):
        return "line"
    return "tail" if rules.byline_tail.search(line) else ""


def _line_kind(line: str, byline: str, rules: LayoutRules) -> str:
    if line.startswith(rules.dateline_markers):
        return "dateline"
    if byline:
        return "byline"
    if (len(line) <= rules.headline_max_chars and not rules.ends_sentence(line)
            and not rules.headline_forbidden.search(line) and not rules.section_heading.match(line)):
        return "headline"
    return "body"


def _article(index, spans, lines, kinds, bylines, first, last, rules: LayoutRules) -> Article:
    body = first
    while body <= last and kinds[body] == "headline":
        body += 1
    date = rules.date.search(lines[body]) if body <= last and kinds[body] == "dateline" else None
    byline = last
    while byline > first and bylines[byline] == "line" and bylines[byline - 1]:
        byline -= 1  # byline lines, possibly after a paragraph that ends with one
    reporters = dict.fromkeys(name for line in lines[byline:last + 1] for name in _reporter_names(line, rules))
    return Article(
        index=index,
        start=spans[first][0],
        end=spans[last][1],
        headline=" ".join(lines[first:body]),
        dateline=date[0] if date else "",
        reporters=tuple(reporters),
        body_start=spans[body][0] if body <= last else spans[last][1],
    )


def _reporter_names(line: str, rules: LayoutRules) -> list[str]:
    tail = rules.byline_tail.search(line)
    if not tail and not rules.byline_line.fullmatch(line):
        return []
    byline = rules.byline_credit.sub("", (tail["byline"] if tail else line).strip())
    return [name for chunk in rules.byline_marker.split(byline) for name in chunk.split()]


@dataclass(frozen=True)
class Heading:
    """A section heading (一、2025年工作回顾, （二）做强先进制造) on a line of its own:
    `start`/`end` its line, `level` the index of its enumerator in layout.toml
    `section_enumerators` (0, 一、, is the outermost), `text` the line without it."""

    start: int
    end: int
    level: int
    text: str


def section_headings(text: str, start: int = 0, end: int | None = None) -> list[Heading]:
    """The section headings of ``text[start:end]``, in order: short lines that open with a
    section enumerator and hold no sentence end (a paragraph that opens with （一）扩大有效
    投资。 is a paragraph with a subtitle, not a heading)."""
    rules = layout_rules()
    found = []
    for m in _LINE.finditer(text, start, len(text) if end is None else end):
        line = m.group()
        if not rules.section_heading.match(line) or len(line) > rules.headline_max_chars:
            continue
        if _holds_sentence_end(line, rules):
            continue
        level, enumerator = next((k, e) for k, p in enumerate(_sections()[0]) if (e := p.match(line)))
        found.append(Heading(m.start(), m.end(), level, line[enumerator.end():].strip()))
    return found


@cache
def _sections() -> tuple[tuple[re.Pattern, ...], int]:
    """Each section enumerator of layout.toml apart, outermost first, and how far above
    the rows of a text table its title may stand."""
    data = tomllib.loads(LAYOUT_FILE.read_text(encoding="utf-8"))
    return tuple(map(re.compile, data["headline"]["section_enumerators"])), data["rows"]["max_title_distance"]


def paragraph_start(text: str, at: int) -> int:
    """Where the paragraph that holds position `at` starts: the start of its line, or, for a
    row of a table written as text lines (a line with no sentence end: 营业收入：58.42亿元，
    增长9.6%; not a numbered item), the start of the table's title above its rows: a section
    heading, or a line that ends with a colon (主要行业增加值增速如下：). A row with no such
    title right above its rows is a paragraph of its own."""
    rules = layout_rules()
    own = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    own_line = text[own : len(text) if line_end < 0 else line_end]
    if _holds_sentence_end(own_line, rules) or rules.section_heading.match(own_line):
        return own  # prose, or an item of a numbered list (1.…项目，总投资12亿元), no row
    line = own
    for _ in range(_sections()[1]):
        if line == 0:
            break
        above = text.rfind("\n", 0, line - 1) + 1
        row = text[above : line - 1].strip()
        if row.endswith(("：", ":")) or (rules.section_heading.match(row) and not _holds_sentence_end(row, rules)):
            return above
        if not row or _holds_sentence_end(row, rules):
            break
        line = above
    return own


def headlines_start(text: str, at: int) -> int:
    """Where the headline lines right above the line that holds `at` start (its own line's
    start when none): a news item's 发布时间 line under its headline dates the headline too."""
    rules = layout_rules()
    start = text.rfind("\n", 0, at) + 1
    while start > 0:
        above = text.rfind("\n", 0, start - 1) + 1
        line = text[above : start - 1].strip()
        if not line or _line_kind(line, _byline_kind(line, rules), rules) != "headline":
            break
        start = above
    return start


def _holds_sentence_end(line: str, rules: LayoutRules) -> bool:
    return _terminator(rules.terminators).search(line) is not None


@cache
def _terminator(terminators: frozenset[str]) -> re.Pattern:
    return re.compile(f"[{re.escape(''.join(sorted(terminators)))}]")
