"""Clean stage: repair PDF/web layout damage, keeping a sparse map back to the raw text.

Two passes. The markup pass normalises line endings and removes BOMs, HTML tags
and entities, footnote markers and full-width forms; the layout pass joins lines
broken by the page and drops spaces inside Chinese text. Each pass records one
breakpoint per edit, so memory grows with the number of edits, not with the text.
Both are built for texts hard-wrapped every few characters: their per-character
and per-line work is done by C-level scans, splits and maps over whole columns,
and Python looks only at the few places that need a decision.
"""
from __future__ import annotations

import html
import re
import struct
import tomllib
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, chain, compress, count, groupby, repeat, zip_longest
from math import ceil
from operator import add, itemgetter, lt, sub
from pathlib import Path
from typing import NamedTuple

from .tables import is_cell_gap, table_rows

LAYOUT_FILE = Path(__file__).resolve().parent.parent / "data" / "layout.toml"

_SPACE = r"[^\S\n]*"  # horizontal whitespace, any script
_WIDE_TO_ASCII = {c: c - 0xFEE0 for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B), 0xFF05]}
_WIDE_NUMBER_TO_ASCII = _WIDE_TO_ASCII | {ord("．"): ".", ord("，"): ","}  # ．， only inside a number
# Letters of the scripts that separate words by spaces (Latin, Greek, Cyrillic, ...; CJK
# starts at U+2E80): the whitespace next to them becomes a space, not nothing.
_WORD_LETTERS = frozenset(c for c in map(chr, range(0x2E80)) if c.isalpha())


def _char_class(chars: frozenset[str]) -> str:
    """A regex character class of `chars`, with runs of code points as ranges."""
    points = sorted(map(ord, chars))
    firsts = [p for i, p in enumerate(points) if i == 0 or points[i - 1] != p - 1]
    lasts = [p for i, p in enumerate(points) if i == len(points) - 1 or points[i + 1] != p + 1]
    return "[" + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in zip(firsts, lasts)) + "]"


# Whitespace but "\n", spelled out: a pattern that starts with a plain character set is
# scanned for in C, while [^\S\n]+ (a repeat of a category) is tried as a match at every
# position, ~3x slower. Unicode has no whitespace beyond the BMP.
_HORIZONTAL_SPACE_CHARS = frozenset(c for c in map(chr, range(0x10000)) if c.isspace() and c != "\n")
_HORIZONTAL_SPACE = re.compile(f"{_char_class(_HORIZONTAL_SPACE_CHARS)}{_char_class(_HORIZONTAL_SPACE_CHARS)}*")
# Every markup edit starts at one of these.
_MARKUP_CHARS = frozenset("\r\f\v\x85\u2028\u2029\ufeff\u200b\u200c\u200d\u2060<&[［．％").union(map(chr, chain(
    range(0x2460, 0x2474), range(0xFF10, 0xFF1A), range(0xFF21, 0xFF3B), range(0xFF41, 0xFF5B))))  # ①-⑳, full-width 0-9 A-Z a-z


@dataclass(frozen=True)
class LayoutRules:
    """Compiled form of etl/data/layout.toml, shared by the clean and segment stages."""

    terminators: frozenset[str]
    closers: str
    headline_forbidden: re.Pattern
    headline_max_chars: int
    headline_width_ratio: float
    wrapped_median_ratio: float
    rows_min_lines: int
    section_heading: re.Pattern
    dateline_markers: tuple[str, ...]
    unit_openers: tuple[str, ...]  # a line starting so opens a unit: a dateline or a list item
    date: re.Pattern
    byline_markers: tuple[str, ...]
    byline_line: re.Pattern  # fullmatch: the whole line is a byline
    byline_tail: re.Pattern  # search: a byline glued after a paragraph's last sentence (re.M)
    byline_marker: re.Pattern
    byline_credit: re.Pattern
    sentence: re.Pattern
    markup: re.Pattern
    markup_trigger: re.Pattern  # a markup character, or a run of horizontal space
    line_break_tags: frozenset[str]
    break_context: re.Pattern  # a "\n" after a terminator, closer or word letter, or before a word letter or unit opener
    page_number_line: re.Pattern  # (?m) a line that is only a page number ([pages])
    running_max_chars: int  # the longest running header or footer beside page numbers
    running_min: int  # how often it stands beside them
    date_line: re.Pattern  # fullmatch: a line that is only a date or a publication stamp ([rows])

    def ends_sentence(self, line: str) -> bool:
        """True when `line` ends with a terminator, possibly followed by closing quotes."""
        return line.rstrip(self.closers)[-1:] in self.terminators  # "" is not in a frozenset


def _markup_pattern(markup: dict) -> re.Pattern:
    """The markup edits: odd line breaks, invisible characters, dropped elements, comments,
    tags, entities, footnote markers and full-width forms."""
    dropped = "|".join(markup["dropped_elements"])
    return re.compile(
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


@lru_cache(maxsize=1)
def layout_rules() -> LayoutRules:
    """Load and compile etl/data/layout.toml once."""
    data = tomllib.loads(LAYOUT_FILE.read_text(encoding="utf-8"))
    sentence, headline, article, byline, markup = (
        data[k] for k in ("sentence", "headline", "article", "byline", "markup"))
    terminators, closers = sentence["terminators"], sentence["closers"]
    term_class, close_class = f"[{re.escape(terminators)}]", f"[{re.escape(closers)}]"
    before = _char_class(_WORD_LETTERS.union(terminators, closers))
    openers = (*article["dateline_markers"], *data["list"]["item_markers"])
    opener_alt = "|".join(map(re.escape, openers))
    markers = sorted(byline["markers"], key=len, reverse=True)
    marker_alt = "|".join(map(re.escape, markers))
    credit_alt = "|".join(map(re.escape, sorted(byline["credits"], key=len, reverse=True)))
    # Bounded repeats: with optional spaces a run of CJK can be cut into names in
    # exponentially many ways, so unbounded `(?:name)+` backtracks forever on a
    # long line after 记者. Four names per role and three roles cover real bylines.
    names = rf"{byline['name']}(?:{_SPACE}{byline['name']}){{0,3}}"
    byline_body = rf"(?:(?:{marker_alt}){_SPACE}{names}{_SPACE}){{1,3}}(?:{credit_alt})?"
    # Scanning for the characters that start a markup edit is ~50x faster than letting
    # the alternation try every position. The same scan (a few dozen instructions per
    # character) finds the runs of horizontal space for the layout pass; they are cut at
    # markup characters, which are edited anyway.
    markup_trigger = re.compile(
        _char_class(_MARKUP_CHARS | _HORIZONTAL_SPACE_CHARS) + _char_class(_HORIZONTAL_SPACE_CHARS - _MARKUP_CHARS) + "*")
    return LayoutRules(
        terminators=frozenset(terminators),
        closers=closers,
        headline_forbidden=re.compile(f"[{re.escape(headline['forbidden'])}]"),
        headline_max_chars=headline["max_chars"],
        headline_width_ratio=headline["width_ratio"],
        wrapped_median_ratio=data["rows"]["wrapped_median_ratio"], rows_min_lines=data["rows"]["min_lines"],
        section_heading=re.compile("|".join(headline["section_enumerators"])),
        dateline_markers=tuple(article["dateline_markers"]),
        unit_openers=openers,
        date=re.compile(article["date"]),
        byline_markers=tuple(markers),
        byline_line=re.compile(rf"{byline_body}{_SPACE}"),
        byline_tail=re.compile(rf"{term_class}{close_class}*{_SPACE}(?P<byline>{byline_body}){_SPACE}$", re.M),
        byline_marker=re.compile(marker_alt),
        byline_credit=re.compile(rf"(?:{credit_alt})$"),
        sentence=re.compile(
            rf"[^\s{re.escape(terminators)}](?:[^\n{re.escape(terminators)}]*[^\s{re.escape(terminators)}])?"
            rf"(?:{_SPACE}{term_class}+{close_class}*)?|{term_class}+{close_class}*"),
        markup=_markup_pattern(markup),
        markup_trigger=markup_trigger,
        line_break_tags=frozenset(markup["line_break_tags"]),
        # "\n" first: a literal is found by a fast scan, the lookarounds run only at line ends
        break_context=re.compile(rf"\n(?:(?<={before}\n)|(?={_char_class(_WORD_LETTERS)}|{opener_alt}))"),
        page_number_line=re.compile(data["pages"]["number_line"]), running_max_chars=data["pages"]["running_max_chars"],
        running_min=data["pages"]["running_min"], date_line=re.compile(data["rows"]["date_line"]),
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


_NO_EDITS = ShiftMap(array("q"), array("q"), array("q"), array("q"))


def clean_layout(raw: str) -> CleanText:
    """Repair PDF/web layout damage in `raw` and return the text with its map to raw offsets."""
    rules = layout_rules()
    unpaged, page_map = _apply_edits(raw, *_page_furniture(raw, rules))
    *edits, spaces = _markup_edits(unpaged, rules)
    markup_free, markup_map = _apply_edits(unpaged, *edits)
    text, layout_map = _repair_layout(markup_free, spaces, rules)
    return CleanText(text, tuple(m for m in (page_map, markup_map, layout_map) if len(m)))


def _page_furniture(raw: str, rules: LayoutRules) -> tuple[list[int], list[int], list[str]]:
    """The edits that drop page furniture (`layout.toml` [pages]): each page-number line and
    each running header or footer line beside one, with the line break after it."""
    numbers = [m.span() for m in rules.page_number_line.finditer(raw)]
    if not numbers:
        return [], [], []
    beside = []  # (start, end, text) of the lines right before and after a page number
    for start, end in numbers:
        before_end = start - 1
        if before_end > 0:
            before_start = raw.rfind("\n", 0, before_end) + 1
            beside.append((before_start, before_end, raw[before_start:before_end].strip()))
        after_start = end + 1
        if after_start < len(raw):
            after_end = raw.find("\n", after_start)
            after_end = len(raw) if after_end < 0 else after_end
            beside.append((after_start, after_end, raw[after_start:after_end].strip()))
    counts = Counter(text for *_, text in beside)
    running = {text for text, n in counts.items()
               if text and n >= rules.running_min and len(text) <= rules.running_max_chars}
    spans = set(numbers) | {(start, end) for start, end, text in beside if text in running}
    starts, ends = [], []
    for start, end in sorted(spans):
        stop = min(len(raw), end + 1)  # with its line break
        if starts and start < ends[-1]:
            continue
        starts.append(start)
        ends.append(stop)
    return starts, ends, [""] * len(starts)


def _apply_edits(text: str, starts: list[int], ends: list[int], replacements: list[str]) -> tuple[str, ShiftMap]:
    """Apply sorted, non-overlapping, non-trivial edits: ``text[starts[k]:ends[k]]`` becomes ``replacements[k]``."""
    if not starts:  # the common case for the markup pass
        return text, _NO_EDITS
    return _replaced(text, 0, len(text), starts, ends, replacements), _shift_map(starts, ends, replacements)


def _replaced(text: str, begin: int, end: int, starts: list[int], ends: list[int], replacements: list[str]) -> str:
    """``text[begin:end]`` with the edits inside it applied."""
    kept = map(text.__getitem__, map(slice, [begin, *ends], [*starts, end]))
    return "".join(chain.from_iterable(zip_longest(kept, replacements, fillvalue="")))


def _shift_map(starts: list[int], ends: list[int], replacements: list[str]) -> ShiftMap:
    """The shift map of sorted, non-overlapping edits (see _apply_edits)."""
    lengths = list(map(len, replacements))
    shifts = accumulate(map(sub, lengths, map(sub, ends, starts)), initial=0)
    out_starts = list(map(add, starts, shifts))
    return ShiftMap(*map(_int64s, (out_starts, list(map(add, out_starts, lengths)), starts, ends)))


def _int64s(values: list[int]) -> array:
    """``array("q", values)`` by way of struct, which converts each int at half the cost
    (the array constructor parses every item as a call argument)."""
    return array("q", struct.pack(f"{len(values)}q", *values))


def _markup_edits(raw: str, rules: LayoutRules) -> tuple[list[int], list[int], list[str], list[tuple[int, int]] | None]:
    """The markup edits of `raw` (starts, ends, replacements), and its runs of horizontal
    space when no markup matched (the text goes through unchanged), else None."""
    starts, ends, replacements, spaces = [], [], [], []
    matched = False
    find_trigger, match_markup = rules.markup_trigger.search, rules.markup.match
    trigger = find_trigger(raw)
    while trigger:
        if raw[trigger.start()] not in _MARKUP_CHARS:
            spaces.append(trigger.span())
            trigger = find_trigger(raw, trigger.end())
            continue
        m = match_markup(raw, trigger.start())
        if not m:
            trigger = find_trigger(raw, trigger.start() + 1)
            continue
        matched = True
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
            starts.append(m.start())
            ends.append(m.end())
            replacements.append(replacement)
        trigger = find_trigger(raw, m.end())
    return starts, ends, replacements, None if matched else spaces


_HEADING_MARKER = re.compile(r"#{1,6}[^\S\n]+(?=\S)")  # markdown "## " opening a line
_INDENT = re.compile(r"(?:\u3000|[ \t]{2})")  # a paragraph's first-line indent


class _Lines(NamedTuple):
    """The non-blank lines of a text, without edge whitespace and markdown heading markers."""

    starts: list[int]
    ends: list[int]
    texts: list[str]
    lengths: list[int]
    widths: list[int]  # twice the visual width: ASCII prints half as wide as CJK
    marker_ends: set[int]  # the starts of the lines that had a heading marker
    wide_breaks: list[int]  # the breaks (after line k) that are more than a bare "\n"
    indented: set[int]  # the lines that open with a paragraph's indent (two spaces, a wide one)


def _lines(text: str, edge_space_starts: list[int]) -> _Lines:
    """The lines of `text`, given the start of every space run at the edge of a line.

    Almost every line has neither edge whitespace nor a heading marker: it is its raw
    line, so starts, texts and widths come from whole-text splits and C-level maps. Only
    the lines with an edge space or a leading "#" are stripped one by one.
    """
    lead = len(text) - len(text.lstrip())
    body = text[lead:len(text.rstrip())]  # no blank line at either end
    texts = body.split("\n")
    lengths = list(map(len, texts))
    # start and end of each line, alternating: one running sum of the lengths and "\n"s
    steps = [1] * (2 * len(texts) - 1)
    steps[::2] = lengths
    bounds = list(accumulate(steps, initial=lead))
    starts, ends = bounds[::2], bounds[1::2]
    # "\n" is ASCII, so the ASCII characters of the text split into the same lines
    ascii_counts = list(map(len, body.encode("ascii", "ignore").split(b"\n")))
    odd = {bisect_right(starts, pos) - 1 for pos in edge_space_starts if lead <= pos < lead + len(body)}
    if "#" in body:
        odd.update(bisect_right(starts, lead + pos) for pos in _positions(body, "\n#"))
        if body[0] == "#":
            odd.add(0)
    odd_starts = [starts[k] for k in odd]  # where the odd raw lines start
    marker_ends = set()
    indent_starts = []  # where the indented raw lines start
    for k in odd:
        line = texts[k]
        content = line.strip()
        if content and _INDENT.match(line):
            indent_starts.append(starts[k])
        start = starts[k] + len(line) - len(line.lstrip())
        if content[:1] == "#" and (marker := _HEADING_MARKER.match(content)):
            content = content[marker.end():]
            start += marker.end()
            marker_ends.add(start)
        starts[k], ends[k], texts[k] = start, start + len(content), content
        lengths[k], ascii_counts[k] = len(content), len(content.encode("ascii", "ignore"))
    blank = "" in texts  # blank lines inside the text: empty, or whitespace only
    if blank:
        starts, ends, lengths, ascii_counts = (list(compress(column, texts)) for column in (starts, ends, lengths, ascii_counts))
        texts = list(filter(None, texts))
    # A break is wider than a bare "\n" only next to an odd raw line or over an empty one:
    # test the breaks around them. (Break k follows line k, the last to start before.)
    near = {bisect_right(starts, lead + pos) - 1 for pos in _positions(body, "\n\n")} if blank else set()
    for k in (bisect_right(starts, start) - 1 for start in odd_starts):
        near.update((k - 1, k, k + 1))
    wide_breaks = sorted(k for k in near if 0 <= k < len(starts) - 1 and starts[k + 1] - ends[k] > 1)
    widths = list(map(sub, map(add, lengths, lengths), ascii_counts))
    indented = {bisect_right(starts, start) for start in indent_starts}  # the line whose text follows that indent
    return _Lines(starts, ends, texts, lengths, widths, marker_ends, wide_breaks, indented)


def _repair_layout(text: str, spaces: list[tuple[int, int]] | None, rules: LayoutRules) -> tuple[str, ShiftMap]:
    """Join layout breaks, keep real ones, drop spaces inside Chinese text.

    The output is the lines (with their inner spaces edited) joined by one separator
    per break: "\n" for a real break, " " next to a word of letters, else nothing. Every
    break is an edit of its whitespace (with blank lines and a heading marker) except a
    real break that is a bare "\n" already. Per-line work is done on whole columns;
    Python loops run only over space runs, and over the few lines that can end a
    sentence, be bylines or headlines, or meet a word of letters.
    """
    size = len(text)
    edge_space_starts, inner_spaces = [], []
    if spaces is None:  # the markup pass changed the text
        spaces = [m.span() for m in _HORIZONTAL_SPACE.finditer(text)]
    for start, end in spaces:
        if start == 0 or end == size or text[start - 1] == "\n" or text[end] == "\n":
            edge_space_starts.append(start)
        else:
            inner_spaces.append((start, end))
    lines = _lines(text, edge_space_starts)
    starts, ends, texts = lines.starts, lines.ends, lines.texts
    if not starts:
        return "", _shift_map([0], [size], [""]) if text else _NO_EDITS
    n = len(starts)
    closed, word_breaks, openers = _line_ends(text, lines, rules)
    dates = _date_lines(texts, rules)  # a date alone on its line is a unit of its own, opened and closed
    kept = _real_breaks(text, lines, closed | dates, openers | dates, rules)
    table_breaks, gapped = _table_lines(texts)
    kept |= table_breaks
    separators = [""] * (n - 1)
    for k in word_breaks:
        separators[k] = " "
    for k in lines.wide_breaks:
        separators[k] = _gap_replacement(text, ends[k], starts[k + 1])
    special = set(word_breaks).union(lines.wide_breaks)  # the breaks that are not plain
    for k in kept:
        if k < n - 1:
            separators[k] = "\n"
            special.add(k)
    # spaces inside a line, except the one ending a heading marker (it went with the break)
    inner_edits = []  # (line, start, end, replacement)
    for start, end in inner_spaces:
        if end not in lines.marker_ends:
            k = bisect_right(starts, start) - 1
            # a cell gap of a table (地区生产总值  1286.4  5.6) becomes one TAB, a run of TABs stays
            # (医疗卫生机构\t\t床位: a merged cell of a header between them)
            replacement = ("\t" * max(1, text.count("\t", start, end)) if k in gapped and is_cell_gap(text[start:end])
                           else _gap_replacement(text, start, end))
            if not (replacement == " " and end - start == 1 and text[start] == " "):
                inner_edits.append((k, start, end, replacement))
    line_texts = texts[:]
    for k, edits in groupby(inner_edits, itemgetter(0)):
        _, edit_starts, edit_ends, replacements = zip(*edits)
        line_texts[k] = _replaced(text, starts[k], ends[k], edit_starts, edit_ends, replacements)
    pieces = [""] * (2 * n - 1)
    pieces[::2] = line_texts
    pieces[1::2] = separators
    return "".join(pieces), _layout_map(lines, separators, special, inner_edits, size)


def _table_lines(texts: list[str]) -> tuple[set[int], set[int]]:
    """The breaks around and inside the tables among the lines (`tables.table_rows`), which
    are real, and the lines whose cells are cut by space, whose gaps the cleaner keeps."""
    breaks, gapped = set(), set()
    for first, end, kind in table_rows(texts):
        breaks.update(range(max(0, first - 1), end))
        if kind == "space":
            gapped.update(range(first, end))
    return breaks, gapped


def _layout_map(lines: _Lines, separators: list[str], special: set[int],
                inner_edits: list[tuple[int, int, int, str]], size: int) -> ShiftMap:
    """The shift map of the layout pass.

    The edits, in order: the leading whitespace, then per line its inner edits and the
    break after it (its whitespace becomes its separator; a real break that is a bare
    "\n" already is no edit), then the trailing whitespace. Almost every break is plain,
    a bare "\n" joined to nothing: one character removed. Along a run of plain breaks
    the output offset of the next one is that of this one plus the next line's length,
    so the run costs list slices and one running sum; Python looks only at the
    `special` breaks and the inner edits.
    """
    starts, ends, lengths = lines.starts, lines.ends, lines.lengths
    n = len(starts)
    source_starts, source_ends, out_starts = ([0], [starts[0]], [0]) if starts[0] else ([], [], [])
    removed = starts[0]  # characters removed so far
    inserting = []  # (edit, length) of the edits that insert something
    done = 0  # the breaks before this one are in the columns
    for k, is_break, start, end, replacement in sorted(
            [(k, 1, ends[k], starts[k + 1], separators[k]) for k in special] + [(k, 0, *e) for k, *e in inner_edits]):
        if k > done:  # the plain breaks done..k-1
            source_starts += ends[done:k]
            source_ends += starts[done + 1:k + 1]
            out_starts += accumulate(lengths[done + 1:k], initial=ends[done] - removed)
            removed += k - done
        done = k + is_break
        if replacement == "\n" and end - start == 1:  # a bare real break
            continue
        if replacement:
            inserting.append((len(out_starts), len(replacement)))
        source_starts.append(start)
        source_ends.append(end)
        out_starts.append(start - removed)
        removed += end - start - len(replacement)
    if n - 1 > done:
        source_starts += ends[done:n - 1]
        source_ends += starts[done + 1:]
        out_starts += accumulate(lengths[done + 1:n - 1], initial=ends[done] - removed)
        removed += n - 1 - done
    if ends[-1] < size:
        source_starts.append(ends[-1])
        source_ends.append(size)
        out_starts.append(ends[-1] - removed)
    out_starts = _int64s(out_starts)
    out_ends = array("q", out_starts)  # a copy: most edits insert nothing
    for j, length in inserting:
        out_ends[j] += length
    return ShiftMap(out_starts, out_ends, _int64s(source_starts), _int64s(source_ends))


def _gap_replacement(text: str, start: int, end: int) -> str:
    """What whitespace between two characters becomes: a space next to a word of
    letters (Latin, Greek, Cyrillic, not CJK), or a wide gap (a TAB, two or more spaces)
    between two digits, which would glue two numbers into one (附表2  2026年);
    otherwise nothing."""
    before, after = text[start - 1], text[end]
    if before in _WORD_LETTERS or after in _WORD_LETTERS:
        return " "
    return " " if before.isdigit() and after.isdigit() and is_cell_gap(text[start:end]) else ""


def _line_ends(text: str, lines: _Lines, rules: LayoutRules) -> tuple[set[int], set[int], set[int]]:
    """The lines that end a sentence (rules.ends_sentence), the bare "\n" breaks next to
    a word of letters (their separator is a space), and the lines that start with a
    dateline marker or a list item's bullet.

    All are read from the characters around each "\n": one search stops only at the
    breaks after a terminator, a closer or a letter, or before a letter or a unit
    opener, so Python looks at those few. The lines not right after or before a "\n"
    (the first and last, those next to a wide break) are tested directly.
    """
    starts, ends, texts = lines.starts, lines.ends, lines.texts
    n = len(starts)
    closers = frozenset(rules.closers)
    plain_ends = rules.terminators - closers  # no closer to look through
    closed, word_breaks, openers = set(), set(), set()
    for m in rules.break_context.finditer(text, starts[0], ends[-1]):
        pos = m.start()
        k = bisect_right(starts, pos) - 1
        if text[pos - 1] in plain_ends or (text[pos - 1] in closers and rules.ends_sentence(texts[k])):
            closed.add(k)
        if k < n - 1 and starts[k + 1] == pos + 1:  # the "\n" just before line k + 1
            if ends[k] == pos and (text[pos - 1] in _WORD_LETTERS or text[pos + 1] in _WORD_LETTERS):
                word_breaks.add(k)
            if text.startswith(rules.unit_openers, pos + 1):
                openers.add(k + 1)
    closed.update(k for k in (*lines.wide_breaks, n - 1) if rules.ends_sentence(texts[k]))
    openers.update(k for k in (0, *(k + 1 for k in lines.wide_breaks)) if texts[k].startswith(rules.unit_openers))
    return closed, word_breaks, openers


def _real_breaks(text: str, lines: _Lines, closed: set[int], opener: set[int], rules: LayoutRules) -> set[int]:
    """The lines whose following break is real (kept); every other break is layout (joined).

    A break is real after a sentence end, around bylines, before a dateline or a
    list item and around headings. A headline is told from the first line of a paragraph by
    its context: a run of short unpunctuated lines right after a finished unit,
    leading to a dateline, a heading or the end of the text. Each property is a
    set of line indices; per line there is only the width test, a C-level map,
    and everything else looks at the few lines that can be bylines or headlines.
    """
    starts, texts, widths = lines.starts, lines.texts, lines.widths
    n = len(starts)
    sample = sorted(widths[:: max(1, n // 1000)])
    # The widths are doubled, and so the headline width: scaling by 2 is exact in binary
    # floating point, so the comparison is the one on visual widths. A whole-number width
    # is below it iff it is below its ceiling (a faster test, int against int).
    headline_width = rules.headline_width_ratio * (wide := sample[(9 * (len(sample) - 1) + 5) // 10])  # 90th pct
    forbidden, max_chars = rules.headline_forbidden.search, rules.headline_max_chars
    candidate = {k for k in compress(count(), map(lt, widths, repeat(ceil(headline_width))))
                 if len(texts[k]) <= max_chars and not forbidden(texts[k])} - closed
    # Byline markers are found where they occur (a substring search), not by testing every line.
    with_byline_marker = _lines_with(text, starts, rules.byline_markers)
    may_be_byline = {k for k in with_byline_marker if texts[k].startswith(rules.byline_markers)} - closed
    heading = {bisect_right(starts, pos) - 1 for pos in lines.marker_ends}
    # A byline glued after a sentence: it matters only on a line that is not closed (a
    # closed line ends a unit anyway), and needs a terminator (a cheap test before the
    # search, which backtracks over the ways to cut names).
    byline_end = {k for k in with_byline_marker - closed
                  if any(map(texts[k].__contains__, rules.terminators)) and rules.byline_tail.search(texts[k])}
    text_rows = _text_rows(lines, sample[(len(sample) - 1) // 2], wide, ceil(headline_width), closed, rules)
    byline_line = set()
    for k in sorted(may_be_byline | candidate):
        after_unit = k == 0 or k - 1 in closed or k - 1 in byline_end or k - 1 in heading or k - 1 in text_rows
        # after an unfinished line only a spaced byline counts: "记者 李明", not "记者采访时"
        if (k in may_be_byline and (after_unit or _HORIZONTAL_SPACE.search(texts[k]))
                and rules.byline_line.fullmatch(texts[k])):
            byline_line.add(k)
            byline_end.add(k)
            candidate.discard(k)
        elif k in candidate and k not in byline_end:
            if after_unit and rules.section_heading.match(texts[k]):
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
            if run_end == n or run_end in opener or run_end in heading:
                headline.update(range(k, run_end))
    ends_unit = closed | byline_end | heading | headline | text_rows
    starts_unit = byline_line | opener | heading | headline | text_rows | _paragraph_indents(lines)
    return ends_unit | {k - 1 for k in starts_unit if k > 0}


def _date_lines(texts: list[str], rules: LayoutRules) -> set[int]:
    """The lines that are only a date (`layout.toml` [rows] date_line), a unit of their own."""
    return {k for k, line in enumerate(texts)
            if len(line) <= 32 and line[:1] in _DATE_LINE_FIRSTS and rules.date_line.fullmatch(line)}


# What a date line opens with (a digit, 二〇, a bracket, 发布时间/发布日期/发稿时间/日期): most lines fail here.
_DATE_LINE_FIRSTS = frozenset("0123456789〇零一二（(发日")


def _paragraph_indents(lines: _Lines) -> set[int]:
    """The lines that open a paragraph by their indent, in a wrapped text (a PDF page saved
    as text) whose indented lines go on in lines that are not: where every line is indented
    (a page's left margin) the indent says nothing."""
    indented, n = lines.indented, len(lines.starts)
    return indented if any(k + 1 < n and k + 1 not in indented for k in indented) else set()


def _text_rows(lines: _Lines, median: int, wide: int, short_width: int, closed: set[int],
               rules: LayoutRules) -> set[int]:
    """The lines that are rows of a list or of a table written as text lines (营业收入：58.42亿元
    and 净利润：4.86亿元 on lines of their own): their breaks are real.

    Only in text whose paragraphs are one line each (most lines far narrower than the widest:
    not wrapped to a column) is a short unfinished line ended by a bare "\n" a row, and so is
    the short unfinished line after such a row (the last row, before a blank line). Lines as
    wide as the text's widest are left to the layout rules (a PDF page mixes a table with
    wrapped paragraphs), and so is a blank line after any other unfinished line (a column or
    page break inside a sentence); in wrapped text every unfinished line is layout.
    """
    n = len(lines.starts)
    if n < rules.rows_min_lines or median >= rules.wrapped_median_ratio * wide:
        return set()
    short = {k for k in compress(count(), map(lt, lines.widths, repeat(short_width))) if k < n - 1} - closed
    rows = {k for k in short if lines.starts[k + 1] - lines.ends[k] == 1}
    return rows | {k + 1 for k in rows if k + 1 in short}


def _positions(text: str, word: str) -> Iterator[int]:
    """Every position of `word` in `text` (a substring search, C speed)."""
    pos = text.find(word)
    while pos >= 0:
        yield pos
        pos = text.find(word, pos + 1)


def _lines_with(text: str, starts: list[int], words: tuple[str, ...]) -> set[int]:
    """The lines holding one of `words`."""
    return {bisect_right(starts, pos) - 1 for word in _needles(words) for pos in _positions(text, word)}


@lru_cache(maxsize=8)
def _needles(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words holding no other one: a text holds one of `words` iff it holds one of these."""
    return tuple(w for w in words if not any(v != w and v in w for v in words))
