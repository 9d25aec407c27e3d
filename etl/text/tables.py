"""Tables written as text lines: a line per row, its cells cut by a delimiter (|, ｜, a TAB or
a run of spaces; `etl/data/tables.toml`).

A table is two or more consecutive lines that one kind of delimiter cuts into the same number
of cells (a row may lack its last one), at least two each, none of them prose; a caption (表1
…, 附表：…) is no row, and a short line with no number between rows heads a group of them
(分产业) without ending the table. Its first line is its header when no cell of it holds a value
(指标|绝对量|增速; the years of 2025年|2030年目标 name times, not values), and so is any later line
that holds none and names every column (a second table stacked under the first). Every other
cell but a row's first is a data cell: it is of its row, named by the row's first cell, and of
its column, named by the header's cell above it.

Pure: text in, cells out, as offsets into the text. The cleaner asks which lines are rows
(`table_rows`) to keep their breaks and cell gaps; the extractor asks which cell a figure is
in (`cell_at`).
"""
from __future__ import annotations

import calendar
import re
import tomllib
from bisect import bisect_right
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple, Sequence


class Cell(NamedTuple):
    """A data cell: ``text[start:end]``, the name of its row and the header of its column
    without its unit ("" when the table has no header row), what the header says its values are: "level",
    "change" or "share" (`column_kind`), and whether its row names the indicator it measures
    (指标|绝对量|增速), else its column does and the row names whose value it is (片区|签约项目),
    and the unit its header, its row (固定资产投资（亿元）, a 单位 column) or the table's unit line
    (单位：亿元) gives a bare number in it; the time its header names, read as if it stood before
    the value (2030年目标, 1—11月, 本月 as the caption's month: 11月), and the modality its header
    says (target under 2030年目标, 预期, 计划; actual under 完成, 实际 and, in a table of
    projects, under every level column: a project's announced amounts; else ""), and, in a
    row of parts (其中：工业投资), the span of the cell of its column in the row it is part of, and,
    for a change or share column of a table read by column, the level column it is of, and, for
    a row of changes under the row it changes (比上年增长（%）), the words that row writes, and, in a
    table of indicators whose columns are places (指标|全市|东坪县), the place of its column."""

    start: int
    end: int
    row: str
    header: str
    kind: str
    by_row: bool
    unit: str = ""
    when: str = ""
    modality: str = ""
    whole: tuple[int, int] | None = None
    of: str = ""
    said: str = ""
    whose: str = ""


class _Rules(NamedTuple):
    delimiters: tuple[tuple[str, re.Pattern], ...]
    min_lines: int
    min_cells: int
    max_cell_chars: int
    sentence_ends: frozenset[str]
    rule_cell: re.Pattern
    caption: re.Pattern
    period: re.Pattern
    change: tuple[str, ...]
    share: tuple[str, ...]
    reads_as: dict[str, str]
    indicator_heads: frozenset[str]
    unit_in_header: re.Pattern
    unit_line: re.Pattern
    unit_lines_above: int
    unit_heads: frozenset[str]
    row_marks: re.Pattern
    part_mark: re.Pattern
    row_tail: re.Pattern
    dated: re.Pattern
    base: re.Pattern
    this_month: str
    caption_month: re.Pattern
    modality: dict[str, tuple[str, ...]]
    enumerator_heads: frozenset[str]
    unnamed: re.Pattern
    level_words: frozenset[str]
    project_heads: tuple[str, ...]
    either: str
    stock_rows: tuple[str, ...]
    place_column: re.Pattern
    place_whole: re.Pattern


_DIGIT = re.compile(r"[0-9０-９]")
_WORD = re.compile(r"[^\W\d_]")  # a letter or a CJK character: a cell that says something
# A character no line can be cut into cells without (a quick test before the delimiters): a
# pipe or TAB, or two spaces. Written to open with one class (what `[|｜\t]|[ \u3000]{2}`
# matches, at the same places): the engine then scans for that class's characters, where an
# alternation that opens with a class is tried at every position of the text (5x slower).
_DELIMITER_CHARS = re.compile(r"[|｜\t \u3000](?:(?<=[|｜\t])|[ \u3000])")


@cache
def _rules() -> _Rules:
    data = tomllib.loads(resources.files("etl.data").joinpath("tables.toml").read_text("utf-8"))
    block, columns = data["block"], data["columns"]
    return _Rules(
        tuple((kind, re.compile(pattern)) for kind, pattern in data["delimiters"].items()),
        block["min_lines"], block["min_cells"], block["max_cell_chars"], frozenset(block["sentence_ends"]),
        re.compile(block["rule_cell"]), re.compile(block["caption"]), re.compile(block["period"]),
        tuple(columns["change"]), tuple(columns["share"]), columns["reads_as"],
        frozenset(data["rows"]["indicator_heads"]), re.compile(data["units"]["in_header"]),
        re.compile(data["units"]["line"]), data["units"]["lines_above"], frozenset(data["units"]["column_heads"]),
        re.compile(data["rows"]["marks"]), re.compile(data["rows"]["part_mark"]), re.compile(data["rows"]["tail"]), re.compile(columns["dated"]), re.compile(columns["base"]), columns["this_month"],
        re.compile(columns["caption_month"]), {k: tuple(v) for k, v in columns["modality"].items()},
        frozenset(data["rows"]["enumerator_heads"]), re.compile(data["rows"]["unnamed"]),
        frozenset(columns["level_words"]), tuple(columns["project_heads"]),
        columns["either"], tuple(columns["stock_rows"]),
        re.compile(data["rows"]["place_column"].format(suffixes="|".join(map(re.escape, _place_suffixes())))),
        re.compile(data["rows"]["place_whole"]))


def _place_suffixes() -> list[str]:
    """The suffixes of a place of government (labels.toml [phrase] place_suffixes: one list for
    the label model and the tables)."""
    return tomllib.loads(resources.files("etl.data").joinpath("labels.toml").read_text("utf-8"))["phrase"]["place_suffixes"]


def split_row(line: str) -> tuple[str, list[tuple[int, int]]] | None:
    """The kind of delimiter that cuts `line` into cells and the cells' spans in it (edge
    space left out; the empty cells at the ends of a pipe row |a|b| dropped), or None when
    no delimiter cuts it into enough cells that are no prose."""
    rules = _rules()
    if rules.caption.match(line):
        return None
    for kind, delimiter in rules.delimiters:
        bounds = [0] + [i for m in delimiter.finditer(line) for i in m.span()] + [len(line)]
        if len(bounds) == 2:
            continue
        spans = [_stripped(line, s, e) for s, e in zip(bounds[::2], bounds[1::2])]
        if spans and spans[0][0] == spans[0][1]:
            spans = spans[1:]
        if spans and spans[-1][0] == spans[-1][1]:
            spans = spans[:-1]
        cells = [line[s:e] for s, e in spans]
        if len(cells) >= rules.min_cells and not any(
                len(c) > rules.max_cell_chars or rules.sentence_ends.intersection(c) for c in cells):
            return kind, spans
        return None  # a line cut by a delimiter that makes no row is no row of another kind
    return None


def _stripped(line: str, start: int, end: int) -> tuple[int, int]:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return start, end


def is_cell_gap(space: str) -> bool:
    """Whether a run of whitespace cuts cells (a TAB, two or more spaces; two TABs: an empty
    cell between them), not words."""
    return _cell_gap().fullmatch(space) is not None


@cache
def _cell_gap() -> re.Pattern:
    return re.compile("|".join(f"(?:{d.pattern})+" for kind, d in _rules().delimiters if kind == "space"))


def holds_value(cell: str) -> bool:
    """Whether a cell holds a number other than the times a header names (2025年, 1—11月)."""
    return bool(_DIGIT.search(_rules().period.sub("", cell)))


def table_rows(lines: Sequence[str]) -> list[tuple[int, int, str]]:
    """The tables among `lines` (each a line without its break): for each, the index of its
    first line, the index after its last and the kind of its delimiter."""
    rules = _rules()
    if not _DELIMITER_CHARS.search("\n".join(lines)):
        return []  # most texts: one search, not one per line (no delimiter holds a break)
    rows = [split_row(line) if _DELIMITER_CHARS.search(line) else None for line in lines]
    found, k = [], 0
    while k < len(rows):
        if rows[k] is None:
            k += 1
            continue
        kind, width = rows[k][0], len(rows[k][1])
        end = k + 1
        while end < len(rows) and (_same_table(rows[end], kind, width) or (
                _is_group_heading(lines[end]) and end + 1 < len(rows) and _same_table(rows[end + 1], kind, width))):
            end += 1
        data = [j for j in range(k, end) if rows[j] is not None and not _is_rule(lines[j], rows[j][1])]
        if len(data) >= rules.min_lines and any(
                holds_value(lines[j][s:e]) for j in data for s, e in rows[j][1][1:]):
            found.append((k, end, kind))
        k = end
    return found


def _same_table(row: tuple[str, list[tuple[int, int]]] | None, kind: str, width: int) -> bool:
    """Whether a split line is a row of a table cut by `kind` into `width` cells (one fewer: a
    row may lack its last cell)."""
    return row is not None and row[0] == kind and abs(len(row[1]) - width) <= 1


def _is_group_heading(line: str) -> bool:
    """Whether a line between two rows of a table heads a group of them (分产业, 分经济类型,
    主要产品产量): a short line with no number and no sentence end; it is no row."""
    name = line.strip(" \t\u3000|｜")
    rules = _rules()
    return 0 < len(name) <= rules.max_cell_chars and not _DIGIT.search(name) and not rules.sentence_ends.intersection(name)


def _is_rule(line: str, spans: list[tuple[int, int]]) -> bool:
    return all(_rules().rule_cell.fullmatch(line[s:e]) for s, e in spans)


def column_kind(header: str) -> str:
    """What a column's header says its values are: "change" (增速, 比上年增长(%), 同比±%),
    "share" (占比, 比重), else "level" (绝对量, 总量, 1—11月, 2025年)."""
    rules = _rules()
    if any(w in header for w in rules.change):
        return "change"
    return "share" if any(w in header for w in rules.share) else "level"


@lru_cache(maxsize=8)
def table_cells(text: str) -> tuple[Cell, ...]:
    """The data cells of every table of `text`, in order."""
    if not _DELIMITER_CHARS.search(text):
        return ()
    starts, lines, at = [], [], 0
    for line in text.split("\n"):
        starts.append(at)
        lines.append(line)
        at += len(line) + 1
    cells: list[Cell] = []
    for first, end, _ in table_rows(lines):
        cells.extend(_block_cells(lines, starts, first, end))
    return tuple(cells)


def _block_cells(lines: list[str], starts: list[int], first: int, end: int) -> list[Cell]:
    rules = _rules()
    split = [(j, split_row(lines[j])) for j in range(first, end)]
    rows = [(j, row[1]) for j, row in split if row is not None and not _is_rule(lines[j], row[1])]
    above = lines[max(0, first - rules.unit_lines_above) : first]
    table_unit, month = _unit_above(above), _caption_month(above)
    cells: list[Cell] = []
    for header, group in _header_groups(lines, rows):
        cells += _group_cells(lines, starts, header, group, table_unit, month)
    return cells


def _header_groups(lines: list[str], rows: list[tuple[int, list[tuple[int, int]]]]) -> list[tuple[list[str], list]]:
    """The rows of a table under each header: its first line when no cell of it holds a value,
    and any later line that holds none (a second table stacked under the first with its own
    header: 项目|2025年 … then 项目|2025年末|2024年末 …). A header may run over two lines
    (`_is_lower_header`): its columns' titles join them (`_two_line_header`)."""
    width = max(len(spans) for _, spans in rows)
    groups: list[tuple[list[str], list]] = []
    for j, spans in rows:
        cells = [lines[j][s:e] for s, e in spans]
        lacks_first = bool(_DELIMITER_CHARS.search(lines[j][: spans[0][0]]))  # |金额… : split_row dropped it
        # |||||衔接资金|自筹资金|（人）: a lower line whose first cells are empty sits under the last columns
        lower = cells[next((k for k, c in enumerate(cells) if c), len(cells)):]
        if groups and not groups[-1][1] and _is_lower_header(groups[-1][0], lower, lacks_first or len(lower) < len(cells)):
            groups[-1] = (_two_line_header(groups[-1][0], lower, width), [])
        # a later header names every column (a row of dashes, 民间投资|—|—, is a row with no values,
        # and so is a row of words that lacks its last cell, 城北水厂|在建)
        elif not any(holds_value(c) for c in cells) and (
                not groups or (len(cells) == width and all(_WORD.search(c) for c in cells))):
            groups.append((cells, []))
        elif groups:
            groups[-1][1].append((j, spans))
        else:
            groups.append(([], [(j, spans)]))
    return [(header, group) for header, group in groups if group]


def _is_lower_header(upper: list[str], cells: list[str], lacks_first: bool) -> bool:
    """Whether a line right under a header line is its second line (企业名称|营业收入||利润总额|
    over |金额（亿元）|同比增长（%）|金额（亿元）|同比增长（%））: it holds no value, every cell says
    something, and its first cell is empty (written as a leading delimiter, not a row lacking its
    last cell: 城北水厂|在建 under 项目名称|地点|进展) or the upper line has merged (empty) cells for it
    to sit under."""
    return bool(upper) and len(cells) >= 2 and not any(holds_value(c) for c in cells) and all(
        _WORD.search(c) for c in cells) and (lacks_first or "" in upper)


def _two_line_header(upper: list[str], lower: list[str], width: int) -> list[str]:
    """The titles of a two-line header's columns: the upper line's group (an empty upper cell,
    or one past its end, continues the group on its left) joined with the lower line's cell,
    the lower line set at the right end of the rows (`split_row` drops its empty first cell)."""
    rules, offset, group, titles = _rules(), width - len(lower), "", []
    for c in range(width):
        own = upper[c] if c < len(upper) else ""
        group = own or group
        below = lower[c - offset] if c >= offset else ""
        if not below:
            titles.append(own)
        elif (word := rules.unit_in_header.sub("", below)) in rules.level_words:
            titles.append(group + below[len(word):])  # 金额（亿元）: 营业收入（亿元）
        else:  # 同比增长（%）: 营业收入同比增长（%）, a change of 营业收入 (the group's unit is no change's)
            titles.append(rules.unit_in_header.sub("", group) + below)
    return titles


def _group_cells(lines: list[str], starts: list[int], header: list[str], rows: list,
                 table_unit: str, month: str) -> list[Cell]:
    """The data cells of the rows under one header (`_header_groups`). In a table of indicators
    a row named by a change or share word (比上年增长（%）) holds the change of the row above it."""
    rules = _rules()
    # a header without a title over the rows' names (\t2025年\t2030年) names no kind of row
    by_row = not header or header[0] in rules.indicator_heads or len(header) < max(len(sp) for _, sp in rows)
    name_at = 1 if header and header[0] in rules.enumerator_heads else 0  # 序号|项目名称|…
    of_projects = not by_row and any(w in header[name_at] for w in rules.project_heads)
    cells, whole_unit, whole_cells, above = [], "", [], ""
    for j, spans in rows:
        line, at = lines[j], starts[j]
        first_cell = _name_cell(line, spans, name_at)
        name, row_unit = _row_name(first_cell)
        row_kind = column_kind(name) if by_row else "level"
        name = "" if not by_row and rules.unnamed.match(name) else name  # 合计: a total names no one
        # a row of parts (其中：民间投资) is in the unit of the row it is part of
        row_unit = row_unit or (whole_unit if rules.part_mark.match(first_cell) else "")
        whole_unit = whole_unit if rules.part_mark.match(first_cell) else row_unit
        shift = len(spans) - len(header) if len(spans) - len(header) in (0, 1) else 0
        titles = [header[i - shift] if header and 0 <= i - shift < len(header) else "" for i in range(len(spans))]
        row_unit = row_unit or next((line[s:e] for (s, e), t in zip(spans, titles) if t in rules.unit_heads), "")
        row_cells = []
        for (s, e), title in list(zip(spans, titles))[name_at + 1 :]:
            if title in rules.unit_heads:
                continue  # a 单位 column gives its row's unit (亿元, 万吨): no value
            kind = column_kind(title)
            unit = _header_unit(title) or ((row_unit or table_unit) if kind == "level" else "")
            label = rules.unit_in_header.sub("", title)  # 用地（亩） labels 用地
            when, modality = _column_time(label, kind, month, by_row)
            when = _time_of_row(when, name)
            if of_projects and kind == "level":
                modality = "actual"  # 2026年计划投资, 衔接资金 of a project: its amount as announced
            row_cells.append(Cell(at + s, at + e, name, label, kind, by_row or not title, unit, when, modality))
        if rules.part_mark.match(first_cell):  # 其中：工业投资: each cell is a part of the cell above it
            row_cells = [c._replace(whole=(w.start, w.end)) if w.kind == c.kind else c
                         for c, w in zip(row_cells, whole_cells)] + row_cells[len(whole_cells):]
        else:
            whole_cells = row_cells
        if row_kind != "level" and above:  # 粮食播种面积|386.4 over 比上年增长（%）|1.1: its change
            row_cells = [c._replace(row=above, kind=row_kind, said=name) if c.kind == "level" else c for c in row_cells]
        above = name if row_kind == "level" else above
        cells.extend(_changes_of(_changes_dated(row_cells)))
    return _of_places(cells, header) if by_row else cells


def _of_places(cells: list[Cell], header: list[str]) -> list[Cell]:
    """The cells of a table of indicators whose columns are all places (指标|全市|东坪县|西河县),
    each with its column's place (none for the whole: 全市)."""
    rules = _rules()
    if len(header) < 2 or not all(rules.place_column.match(h) for h in header[1:]):
        return cells
    return [c._replace(whose="" if rules.place_whole.match(c.header) else c.header) for c in cells]


def _name_cell(line: str, spans: list[tuple[int, int]], name_at: int) -> str:
    """The cell that names a row: its first, or, after an enumerator column (序号), the next one,
    unless the enumerator's cell holds a word itself (合计|||248.0)."""
    first = line[spans[0][0] : spans[0][1]]
    if name_at == 0 or _WORD.search(first) or len(spans) <= name_at:
        return first
    return line[spans[name_at][0] : spans[name_at][1]]


def _changes_of(row: list[Cell]) -> list[Cell]:
    """A row's cells, where a change or share column of a table read by column is of the level
    column on its left (港区|货物吞吐量（万吨）|同比增长（%）: the growth of 货物吞吐量, whose own
    cells, in 万吨, are no figures)."""
    out, level = [], ""
    for c in row:
        level = c.header if c.kind == "level" else level
        out.append(c._replace(of=level) if c.kind != "level" and not c.by_row and level else c)
    return out


def _changes_dated(row: list[Cell]) -> list[Cell]:
    """A row's cells, where a change column that names no time (比上年同期增长) is of the one
    time the row's level columns name (1—11月 | 比上年同期增长(%)); with several, of none."""
    times = {c.when for c in row if c.kind == "level" and c.when}
    if len(times) != 1:
        return row
    when = times.pop()
    return [c._replace(when=when) if c.kind == "change" and not c.when else c for c in row]


def _row_name(cell: str) -> tuple[str, str]:
    """A row's name without its enumerator or 其中： (1. / （一） / 其中：工业投资 → 工业投资) and
    without the unit it writes in brackets (固定资产投资（亿元） → 固定资产投资) or a tail that is
    no part of what it measures (（不含农户）, 个数: `rows.tail`), and that unit."""
    rules = _rules()
    name = rules.row_marks.sub("", cell)
    unit = _header_unit(name)
    name = rules.unit_in_header.sub("", name) if unit else name
    return rules.row_tail.sub("", name) or name, unit


def _time_of_row(when: str, row: str) -> str:
    """Of a column's time that names a day and a year (2025年12月31日/2025年度), the one a row
    speaks of: the day for a stock (资产总额), the year for a flow (营业收入)."""
    rules = _rules()
    if rules.either not in when:
        return when
    day, _, year = when.partition(rules.either)
    return _month_end(day) if any(w in row for w in rules.stock_rows) else year


def _month_end(day: str) -> str:
    """A month's last day written as its end (2025年12月31日 → 2025年12月末), which the period
    reader takes for that moment (a full date alone it takes for the day of an event)."""
    m = _FULL_DATE.fullmatch(day.strip())
    if m is None or int(m[3]) != calendar.monthrange(int(m[1]), int(m[2]))[1]:
        return day
    return f"{m[1]}年{int(m[2])}月末"


_FULL_DATE = re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日")


def _column_time(label: str, kind: str, month: str, by_row: bool) -> tuple[str, str]:
    """The time a level or change column's header names, read before its values (2030年目标,
    1—11月, 11月份增长(%); 本月 as the caption's month), and, in a table of indicators, the
    modality a level column's words say (目标,
    预期 → target; 完成 → actual; 计划投资 of 项目名称|计划投资 names what a project states)."""
    rules = _rules()
    modality = next((m for m, words in rules.modality.items()
                     if kind == "level" and by_row and any(w in label for w in words)), "")
    label = rules.base.sub("", label) if kind == "change" else label  # 比上年同期增长: a base, no time
    if kind == "share" or not rules.dated.search(label):
        return "", modality
    return (label.replace(rules.this_month, month) if month else label), modality


def _caption_month(lines: list[str]) -> str:
    """The month a table's caption names (2026年11月主要指标 → 11月份, which no number after it
    reads as a day), which its 本月 column means."""
    for line in reversed(lines):
        if m := _rules().caption_month.search(line):
            return m[1] + "份"
    return ""


def _header_unit(header: str) -> str:
    """The unit a column's header writes in brackets (绝对量（亿元） → 亿元, 增长(%) → %)."""
    m = _rules().unit_in_header.search(header)
    return m[1].strip() if m else ""


def _unit_above(lines: list[str]) -> str:
    """The unit a line above a table states for it (单位：亿元; 附表…（单位：万元）), the nearest."""
    for line in reversed(lines):
        if m := _rules().unit_line.search(line):
            return m[1]
    return ""


def column_word(kind: str) -> str:
    """The word a value of a column of this kind is read after (增速 for a change column)."""
    return _rules().reads_as[kind]


def cell_at(text: str, offset: int) -> Cell | None:
    """The data cell of a table of `text` that holds `offset`, if any."""
    cells = table_cells(text)
    if not cells:
        return None
    i = bisect_right(_cell_starts(cells), offset) - 1
    return cells[i] if i >= 0 and cells[i].start <= offset < cells[i].end else None


@lru_cache(maxsize=8)
def _cell_starts(cells: tuple[Cell, ...]) -> list[int]:
    return [c.start for c in cells]
