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


_HEADING_MARKER = re.compile(r"#{1,6}[^\S\n]+(?=\S)")  # markdown "## " opening a line
# Horizontal whitespace: searched for itself (a fast character scan), not as \S + space,
# which the regex engine would try at every character.
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")


def _line_spans(text: str) -> tuple[list[int], list[int], set[int]]:
    """Start and end of every non-blank line without its edge whitespace (and without a
    markdown heading marker), and the starts of the lines that had such a marker."""
    starts, ends, marked = [], [], set()
    pos = 0
    for line in text.split("\n"):
        content = line.lstrip()
        if content:
            start = pos + len(line) - len(content)
            if content[0] == "#" and (marker := _HEADING_MARKER.match(content)):
                start += marker.end()
                marked.add(start)
            starts.append(start)
            ends.append(pos + len(line.rstrip()))
        pos += len(line) + 1
    return starts, ends, marked


def _gap_replacement(text: str, start: int, end: int) -> str:
    """What whitespace between two characters becomes: a space next to a word of
    letters (Latin, Greek, Cyrillic, not CJK), otherwise nothing."""
    before, after = text[start - 1], text[end]
    return " " if (before < "\u2e80" and before.isalpha()) or (after < "\u2e80" and after.isalpha()) else ""


def _layout_edits(text: str, rules: LayoutRules) -> list[tuple[int, int, str]]:
    starts, ends, marker_ends = _line_spans(text)
    if not starts:
        return [(0, len(text), "")] if text else []
    kept = _real_breaks(text, starts, ends, marker_ends, rules)
    edits = [(0, starts[0], "")] if starts[0] else []
    edits += [(gap_start, gap_end, "\n" if k in kept else _gap_replacement(text, gap_start, gap_end))
              for k, gap_start, gap_end in zip(range(len(starts) - 1), ends, starts[1:])
              if gap_end - gap_start > 1 or k not in kept]
    if ends[-1] < len(text):
        edits.append((ends[-1], len(text), ""))
    last = len(text) - 1
    for m in _HORIZONTAL_SPACE.finditer(text):
        start, end = m.span()
        # only space inside a line: edge space went with the line breaks above
        if start == 0 or end > last or text[start - 1] == "\n" or text[end] == "\n" or end in marker_ends:
            continue
        replacement = _gap_replacement(text, start, end)
        if not (replacement == " " and end - start == 1 and text[start] == " "):
            edits.append((start, end, replacement))
    edits.sort()
    return edits


def _real_breaks(text: str, starts: list[int], ends: list[int], marker_ends: set[int],
                 rules: LayoutRules) -> set[int]:
    """The lines whose following break is real (kept); every other break is layout (joined).

    A break is real after a sentence end, around bylines, before a dateline and
    around headings. A headline is told from the first line of a paragraph by
    its context: a run of short unpunctuated lines right after a finished unit,
    leading to a dateline, a heading or the end of the text. Each property is a
    set of line indices, so the per-line work is one pass over the lines for
    sentence ends and headline candidates; everything else looks only at the few
    lines that can be bylines or headlines.
    """
    n = len(starts)
    lines = list(map(text.__getitem__, map(slice, starts, ends)))
    widths = list(map(_visual_width, lines))
    sample = sorted(widths[:: max(1, n // 1000)])
    headline_width = rules.headline_width_ratio * sample[(9 * (len(sample) - 1) + 5) // 10]  # 90th percentile
    closers, terminators, max_chars = rules.closers, rules.terminators, rules.headline_max_chars
    forbidden = rules.headline_forbidden.search
    closed = {k for k, line in enumerate(lines) if line.rstrip(closers)[-1:] in terminators}
    candidate = {k for k, (line, width) in enumerate(zip(lines, widths))
                 if width < headline_width and len(line) <= max_chars and not forbidden(line)} - closed
    # Markers are found where they occur (a substring search), not by testing every line.
    dateline = {k for k, pos in _occurrences(text, starts, rules.dateline_markers) if starts[k] == pos}
    bylines = _occurrences(text, starts, rules.byline_markers)
    may_be_byline = {k for k, pos in bylines if starts[k] == pos} - closed
    heading = {bisect_right(starts, pos) - 1 for pos in marker_ends}
    byline_end = {k for k in {k for k, _ in bylines} if rules.byline_tail.search(lines[k])}
    byline_line = set()
    for k in sorted(may_be_byline | candidate):
        after_unit = k == 0 or k - 1 in closed or k - 1 in byline_end or k - 1 in heading
        # after an unfinished line only a spaced byline counts: "记者 李明", not "记者采访时"
        if (k in may_be_byline and (after_unit or _HORIZONTAL_SPACE.search(lines[k]))
                and rules.byline_line.fullmatch(lines[k])):
            byline_line.add(k)
            byline_end.add(k)
            candidate.discard(k)
        elif k in candidate and k not in byline_end:
            if after_unit and rules.section_heading.match(lines[k]):
                heading.add(k)
            else:
                heading.discard(k)
        else:
            candidate.discard(k)
    headline: set[int] = set()
    run_end = 0
    for k in sorted(candidate):
        if k < run_end or k in heading:
            continue
        if k == 0 or k - 1 in closed or k - 1 in byline_end or k - 1 in heading:
            run_end = k
            while run_end in candidate and run_end not in heading:
                run_end += 1
            if run_end == n or run_end in dateline or run_end in heading:
                headline.update(range(k, run_end))
    ends_unit = closed | byline_end | heading | headline
    starts_unit = byline_line | dateline | heading | headline
    return ends_unit | {k - 1 for k in starts_unit if k > 0}


def _occurrences(text: str, starts: list[int], words: tuple[str, ...]) -> list[tuple[int, int]]:
    """(line index, position) of every occurrence of one of `words` in `text`."""
    found = []
    for word in words:
        pos = text.find(word)
        while pos >= 0:
            found.append((bisect_right(starts, pos) - 1, pos))
            pos = text.find(word, pos + 1)
    return found


def _visual_width(line: str) -> float:
    return len(line) - 0.5 * len(line.encode("ascii", "ignore"))  # ASCII prints half as wide as CJK
