"""Clean stage: repair PDF/web layout damage, keeping a sparse map back to the raw text.

Two passes of compiled regexes. The markup pass normalises line endings and
removes BOMs, HTML tags and entities, footnote markers and full-width forms;
the layout pass joins lines broken by the page and drops spaces inside Chinese
text. Each pass records one breakpoint per edit, so memory grows with the
number of edits, not with the text.
"""
from __future__ import annotations

import html
import re
import tomllib
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, chain, zip_longest
from operator import add, sub
from pathlib import Path

LAYOUT_FILE = Path(__file__).with_name("data") / "layout.toml"

_SPACE = r"[^\S\n]*"  # horizontal whitespace, any script
_WIDE_TO_ASCII = {c: c - 0xFEE0 for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B), 0xFF05]}
_WIDE_NUMBER_TO_ASCII = _WIDE_TO_ASCII | {ord("．"): ".", ord("，"): ","}  # ．， only inside a number


@dataclass(frozen=True)
class LayoutRules:
    """Compiled form of etl/data/layout.toml, shared by the clean and segment stages."""

    terminators: frozenset[str]
    closers: str
    headline_forbidden: re.Pattern
    headline_max_chars: int
    headline_width_ratio: float
    section_heading: re.Pattern
    dateline_markers: tuple[str, ...]
    date: re.Pattern
    byline_markers: tuple[str, ...]
    byline_line: re.Pattern  # fullmatch: the whole line is a byline
    byline_tail: re.Pattern  # search: a byline glued after a paragraph's last sentence (re.M)
    byline_marker: re.Pattern
    byline_credit: re.Pattern
    sentence: re.Pattern
    markup: re.Pattern
    markup_trigger: re.Pattern
    line_break_tags: frozenset[str]

    def ends_sentence(self, line: str) -> bool:
        """True when `line` ends with a terminator, possibly followed by closing quotes."""
        return line.rstrip(self.closers)[-1:] in self.terminators  # "" is not in a frozenset


@lru_cache(maxsize=1)
def layout_rules() -> LayoutRules:
    """Load and compile etl/data/layout.toml once."""
    data = tomllib.loads(LAYOUT_FILE.read_text(encoding="utf-8"))
    sentence, headline, article, byline, markup = (
        data[k] for k in ("sentence", "headline", "article", "byline", "markup"))
    terminators, closers = sentence["terminators"], sentence["closers"]
    term_class, close_class = f"[{re.escape(terminators)}]", f"[{re.escape(closers)}]"
    markers = sorted(byline["markers"], key=len, reverse=True)
    marker_alt = "|".join(map(re.escape, markers))
    credit_alt = "|".join(map(re.escape, sorted(byline["credits"], key=len, reverse=True)))
    # Bounded repeats: with optional spaces a run of CJK can be cut into names in
    # exponentially many ways, so unbounded `(?:name)+` backtracks forever on a
    # long line after 记者. Four names per role and three roles cover real bylines.
    names = rf"{byline['name']}(?:{_SPACE}{byline['name']}){{0,3}}"
    byline_body = rf"(?:(?:{marker_alt}){_SPACE}{names}{_SPACE}){{1,3}}(?:{credit_alt})?"
    dropped = "|".join(markup["dropped_elements"])
    markup_re = re.compile(
        r"(?P<newline>\r\n?|[\f\v\x85\u2028\u2029])"
        r"|(?P<invisible>[\ufeff\u200b\u200c\u200d\u2060]+)"
        rf"|(?P<element>(?i:<(?P<element_name>{dropped})\b[^>]*>.*?</(?P=element_name)\s*>))"
        r"|(?P<comment><!--.*?-->)"
        r"|(?P<tag></?(?P<tag_name>[A-Za-z][A-Za-z0-9]*)\b[^<>]*>)"
        r"|(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
        rf"|(?P<footnote>{'|'.join(markup['footnotes'])})"
        # full-width letters, digits and ％, with the ．/， of a number written in them
        r"|(?P<wide>(?:[０-９Ａ-Ｚａ-ｚ％]|(?<=[0-9０-９])．(?=[0-9０-９])|(?<=[０-９])，(?=[０-９]{3}(?![0-9０-９])))+)",
        re.S,
    )
    # Every markup edit starts at one of these; scanning for them first is ~50x faster
    # than letting the alternation try every position.
    markup_trigger = re.compile(r"[\r\f\v\x85\u2028\u2029\ufeff\u200b-\u200d\u2060<&\[［\u2460-\u2473．０-９Ａ-Ｚａ-ｚ％]")
    return LayoutRules(
        terminators=frozenset(terminators),
        closers=closers,
        headline_forbidden=re.compile(f"[{re.escape(headline['forbidden'])}]"),
        headline_max_chars=headline["max_chars"],
        headline_width_ratio=headline["width_ratio"],
        section_heading=re.compile("|".join(headline["section_enumerators"])),
        dateline_markers=tuple(article["dateline_markers"]),
        date=re.compile(article["date"]),
        byline_markers=tuple(markers),
        byline_line=re.compile(rf"{byline_body}{_SPACE}"),
        byline_tail=re.compile(rf"{term_class}{close_class}*{_SPACE}(?P<byline>{byline_body}){_SPACE}$", re.M),
        byline_marker=re.compile(marker_alt),
        byline_credit=re.compile(rf"(?:{credit_alt})$"),
        sentence=re.compile(
            rf"[^\s{re.escape(terminators)}](?:[^\n{re.escape(terminators)}]*[^\s{re.escape(terminators)}])?"
            rf"(?:{_SPACE}{term_class}+{close_class}*)?|{term_class}+{close_class}*"),
        markup=markup_re,
        markup_trigger=markup_trigger,
        line_break_tags=frozenset(markup["line_break_tags"]),
    )


@dataclass(frozen=True, eq=False)
class ShiftMap:
    """Offsets of one pass's output back to its input, one breakpoint per edit.

    Edit k replaced input ``[source_starts[k], source_ends[k])`` by output
    ``[out_starts[k], out_ends[k])``; between edits the shift is constant.
    """

    out_starts: array
    out_ends: array
    source_starts: array
    source_ends: array

    def __len__(self) -> int:
        return len(self.out_starts)

    def _edit_at(self, i: int) -> int:
        return bisect_right(self.out_starts, i) - 1

    def source_start(self, i: int) -> int:
        """Input offset where the source of output char `i` starts."""
        k = self._edit_at(i)
        if k < 0:
            return i
        if i < self.out_ends[k]:  # inside a replacement
            if self.out_ends[k] - self.out_starts[k] == self.source_ends[k] - self.source_starts[k]:
                return self.source_starts[k] + i - self.out_starts[k]  # char-for-char, e.g. １２０ → 120
            return self.source_starts[k]
        return self.source_ends[k] + i - self.out_ends[k]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Tight input span of output ``[start, end)`` (end > start)."""
        last = end - 1
        k = self._edit_at(last)
        if k < 0:
            source_end = end
        elif last < self.out_ends[k]:
            same_length = self.out_ends[k] - self.out_starts[k] == self.source_ends[k] - self.source_starts[k]
            source_end = self.source_starts[k] + end - self.out_starts[k] if same_length else self.source_ends[k]
        else:
            source_end = self.source_ends[k] + end - self.out_ends[k]
        return self.source_start(start), source_end


@dataclass(frozen=True)
class CleanText:
    """Cleaned text plus the chain of shift maps back to the raw string."""

    text: str
    shift_maps: tuple[ShiftMap, ...] = field(default=(), repr=False, compare=False)

    @property
    def edit_count(self) -> int:
        """Number of breakpoints held (memory is proportional to this)."""
        return sum(map(len, self.shift_maps))

    def raw_offset(self, i: int) -> int:
        """Raw offset where the source of ``text[i]`` starts (``len(text)`` maps past the end)."""
        if not 0 <= i <= len(self.text):
            raise IndexError(i)
        for shift_map in reversed(self.shift_maps):
            i = shift_map.source_start(i)
        return i

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw ``(start, end)`` whose slice is the source of ``text[start:end]``, without removed edges."""
        if not 0 <= start <= end <= len(self.text):
            raise IndexError((start, end))
        if start == end:
            offset = self.raw_offset(start)
            return offset, offset
        for shift_map in reversed(self.shift_maps):
            start, end = shift_map.source_span(start, end)
        return start, end


def clean_layout(raw: str) -> CleanText:
    """Repair PDF/web layout damage in `raw` and return the text with its map to raw offsets."""
    rules = layout_rules()
    markup_free, markup_map = _apply_edits(raw, _markup_edits(raw, rules))
    text, layout_map = _apply_edits(markup_free, _layout_edits(markup_free, rules))
    return CleanText(text, tuple(m for m in (markup_map, layout_map) if len(m)))


def _apply_edits(text: str, edits: list[tuple[int, int, str]]) -> tuple[str, ShiftMap]:
    """Apply sorted, non-overlapping, non-trivial ``(start, end, replacement)`` edits."""
    starts, ends, replacements = (list(column) for column in zip(*edits)) if edits else ([], [], [])
    kept = map(text.__getitem__, map(slice, [0, *ends], [*starts, len(text)]))
    out = "".join(chain.from_iterable(zip_longest(kept, replacements, fillvalue="")))
    lengths = list(map(len, replacements))
    shifts = accumulate(map(sub, lengths, map(sub, ends, starts)), initial=0)
    out_starts = array("q", map(add, starts, shifts))
    return out, ShiftMap(out_starts, array("q", map(add, out_starts, lengths)), array("q", starts), array("q", ends))


def _markup_edits(raw: str, rules: LayoutRules) -> list[tuple[int, int, str]]:
    edits = []
    find_trigger, match_markup = rules.markup_trigger.search, rules.markup.match
    trigger = find_trigger(raw)
    while trigger:
        m = match_markup(raw, trigger.start())
        if not m:
            trigger = find_trigger(raw, trigger.start() + 1)
            continue
        kind = m.lastgroup
        if kind == "newline":
            replacement = "\n"
        elif kind == "tag":
            replacement = "\n" if m["tag_name"].lower() in rules.line_break_tags else ""
        elif kind == "entity":
            replacement = html.unescape(m[0]).translate(_WIDE_TO_ASCII)
        elif kind == "wide":
            replacement = m[0].translate(_WIDE_NUMBER_TO_ASCII)
        else:  # invisible, element, comment, footnote
            replacement = ""
        if replacement != m[0]:
            edits.append((m.start(), m.end(), replacement))
        trigger = find_trigger(raw, m.end())
    return edits


_HEADING_MARKER = re.compile(r"^[^\S\n]*#{1,6}[^\S\n]+(?=\S)", re.M)  # markdown "## "
_LINE = re.compile(r"^[^\S\n]*(?:#{1,6}[^\S\n]+(?=\S))?(\S(?:[^\n]*\S)?)", re.M)
_INLINE_SPACE = re.compile(r"\S([^\S\n]+)(?=\S)")


def _gap_replacement(text: str, start: int, end: int) -> str:
    """What whitespace between two characters becomes: a space next to a word of
    letters (Latin, Greek, Cyrillic, not CJK), otherwise nothing."""
    before, after = text[start - 1], text[end]
    return " " if (before < "\u2e80" and before.isalpha()) or (after < "\u2e80" and after.isalpha()) else ""


def _layout_edits(text: str, rules: LayoutRules) -> list[tuple[int, int, str]]:
    spans = [m.span(1) for m in _LINE.finditer(text)]
    marker_ends = {m.end() for m in _HEADING_MARKER.finditer(text)}
    if not spans:
        return [(0, len(text), "")] if text else []
    keep = _real_breaks(text, spans, marker_ends, rules)
    edits = [(0, spans[0][0], "")] if spans[0][0] else []
    edits += [(gap_start, gap_end, "\n" if kept else _gap_replacement(text, gap_start, gap_end))
              for (_, gap_start), (gap_end, _), kept in zip(spans, spans[1:], keep)
              if not kept or gap_end - gap_start > 1]
    if spans[-1][1] < len(text):
        edits.append((spans[-1][1], len(text), ""))
    for m in _INLINE_SPACE.finditer(text):
        start, end = m.span(1)
        replacement = _gap_replacement(text, start, end)
        if end not in marker_ends and not (replacement == " " and end - start == 1 and text[start] == " "):
            edits.append((start, end, replacement))
    edits.sort()
    return edits


def _real_breaks(text: str, spans: list[tuple[int, int]], marker_ends: set[int], rules: LayoutRules) -> list[bool]:
    """For each line but the last, whether the break after it is real (kept) or layout (joined).

    A break is real after a sentence end, around bylines, before a dateline and
    around headings. A headline is told from the first line of a paragraph by
    its context: a run of short unpunctuated lines right after a finished unit,
    leading to a dateline, a heading or the end of the text. Per-line work is
    limited to the few lines that can be bylines or headlines.
    """
    n = len(spans)
    lines = [text[s:e] for s, e in spans]
    widths = sorted(_visual_width(line) for line in lines[:: max(1, n // 1000)])
    headline_width = rules.headline_width_ratio * widths[(9 * (len(widths) - 1) + 5) // 10]  # 90th percentile
    closers, terminators, max_chars = rules.closers, rules.terminators, rules.headline_max_chars
    forbidden = rules.headline_forbidden.search
    closed = [line.rstrip(closers)[-1:] in terminators for line in lines]
    dateline = [line.startswith(rules.dateline_markers) for line in lines]
    heading = [s in marker_ends for s, _ in spans]
    candidate = [not c and len(line) <= max_chars and not forbidden(line)
                 and _visual_width(line) < headline_width
                 for line, c in zip(lines, closed)]
    line_starts = [s for s, _ in spans]
    byline_line, byline_end = [False] * n, [False] * n
    for m in rules.byline_tail.finditer(text):
        byline_end[bisect_right(line_starts, m.start("byline")) - 1] = True
    may_be_byline = {k for k, line in enumerate(lines) if not closed[k] and line.startswith(rules.byline_markers)}
    for k in sorted(may_be_byline | {k for k, c in enumerate(candidate) if c}):
        after_unit = k == 0 or closed[k - 1] or byline_end[k - 1] or heading[k - 1]
        # after an unfinished line only a spaced byline counts: "记者 李明", not "记者采访时"
        if (k in may_be_byline and (after_unit or _INLINE_SPACE.search(lines[k]))
                and rules.byline_line.fullmatch(lines[k])):
            byline_line[k] = byline_end[k] = True
            candidate[k] = False
        elif candidate[k] and not byline_end[k]:
            heading[k] = after_unit and rules.section_heading.match(lines[k]) is not None
        else:
            candidate[k] = False
    headline = [False] * n
    k = 0
    while k < n:
        if candidate[k] and not heading[k] and (k == 0 or closed[k - 1] or byline_end[k - 1] or heading[k - 1]):
            run_end = k
            while run_end < n and candidate[run_end] and not heading[run_end]:
                run_end += 1
            if run_end == n or dateline[run_end] or heading[run_end]:
                headline[k:run_end] = [True] * (run_end - k)
            k = run_end
        else:
            k += 1
    ends_unit = [c or b or h or t for c, b, h, t in zip(closed, byline_end, heading, headline)]
    starts_unit = [b or d or h or t for b, d, h, t in zip(byline_line, dateline, heading, headline)]
    return [ended or started for ended, started in zip(ends_unit, starts_unit[1:])]


def _visual_width(line: str) -> float:
    return len(line) - 0.5 * len(line.encode("ascii", "ignore"))  # ASCII prints half as wide as CJK
