"""Find the figures in cleaned text: their value, their labels, their context.

Three steps per candidate, each in its own module: `value` reads the number, unit and
qualifier (or rejects the candidate by the rules of the contract); the labels (metric,
subject) come from `labels`; the context (indicator, relation, period, modality) from
`context`. `find_figures` runs them over a text, `parts` links parts to their totals.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from functools import lru_cache
from typing import Callable, Iterator, Sequence

from ..text.segment import paragraph_start
from ..text.tables import Cell, cell_at, column_word, table_cells
from . import labels, subjects
from .context import Anchor, SentenceContext, figure_context, indicator, relation, strip_sign
from .figure import Figure
from .lexicon import load_lexicon
from .parts import link_parts
from .sections import Sections
from .value import (
    SentenceScan, Value, candidates, clause_start_before, is_bare_number, read_value, with_unit_after,
)

#: How much of a paragraph's start is read for a time word that leads it (the cleaner may
#: have joined a title and a heading to it: 政府工作报告——…会议上一、工作回顾过去一年，…).
_PARAGRAPH_HEAD = 80
_LIST_SEPARATORS = "；;"
_SENTENCE_ENDS = "。！？!?"


def find_figures(
    text: str, sentences: Sequence[tuple[int, int]], start: int = 0, end: int | None = None,
    raw_span: Callable[[int, int], tuple[int, int]] | None = None, anchor: Anchor = Anchor(),
) -> list[Figure]:
    """Every figure in cleaned `text[start:end]`, in order, with offsets into `text`.

    `sentences` are the sentence spans of that part (from
    `segment.split_sentences`); they bound the labels and fill `Figure.sentence`.
    `raw_span` maps a span of `text` to the original text (`CleanText.raw_span`); it
    fills `raw_start`/`raw_end`, which stay None without it. `anchor` is the document's
    date, which relative time words (今年, 截至目前) count from.
    """
    starts = [s for s, _ in sentences]
    sections = Sections(text, start, len(text) if end is None else end, anchor)
    figures: list[Figure] = []
    # The sentences of the candidates: the figures of one share what is found in it once.
    shared: dict[tuple[int, int], _Sentence] = {}
    found = list(candidates(text, start, len(text) if end is None else end))
    bare = [is_bare_number(m) for m in found]  # most candidates: asked twice below
    # A rank (世界500强) is inside the noun a count counts: that noun does not end at it.
    ends = [m.start() for m, b in zip(found, bare) if not (b and labels.ranks_a_noun(text, m.end()))]
    in_tables = bool(table_cells(text))  # a bare number is read only as a table cell
    for m, b in zip(found, bare):
        if b:
            m = _with_cell_unit(text, m) if in_tables else None
            if m is None:
                continue  # a bare number: nothing to measure
        k = bisect_right(ends, m.start())  # a cell's number read with its unit starts where it did
        i = bisect_right(starts, m.start()) - 1
        sent = sentences[i] if i >= 0 and sentences[i][1] >= m.end() else (0, len(text))
        where = shared.get(sent) or shared.setdefault(sent, _Sentence.of(text, sent, sections.at(sent[0])))
        prev = figures[-1] if figures and figures[-1].char_end > sent[0] else None  # same sentence
        next_start = ends[k] if k < len(ends) else sent[1]
        figure = _build_figure(text, m, where, prev, next_start, raw_span)
        if figure is not None:
            figures.append(figure)
    return _written_labels(text, _changed_counts(_periods_of_parts(link_parts(text, _unnamed_counts(text, _size_classes(
        text, _shared_heads(text, _respective_kinds(text, _respective_subjects(text, _respective_changes(
        text, _respective_indicators(text, _parallel_clauses(text, figures))))))))))))


def _parallel_clauses(text: str, figures: list[Figure]) -> list[Figure]:
    """A clause that names only a place before its number, after a clause of the same shape for
    another place (东湖区实现税收收入126.3亿元，增长7.8%；临江区98.4亿元，增长5.1%): the label was
    written once, for the first place; the later places' figures measure it too (their indicator;
    the metric stays what their own clause writes: none). Their changes change it."""
    out = list(figures)
    for i, f in enumerate(figures):
        if f.metric or f.indicator not in ("", f.subject) or not f.subject or f.relation != "level":
            continue
        clause = labels.last_clause(text[text.rfind("\n", 0, f.char_start) + 1 : f.char_start])
        if labels.without_trailing_time(clause.replace(f.subject, "", 1)).strip():
            continue  # the clause writes more than the place (and a time): a label, a verb
        model = next((g for g in reversed(out[:i]) if g.kind == f.kind and g.unit == f.unit and g.relation == "level"
                      and g.indicator and g.subject and g.subject != f.subject
                      and "\n" not in text[g.char_end : f.char_start]), None)
        if model is None:
            continue
        out[i] = replace(f, indicator=model.indicator)
        for j in range(i + 1, len(out)):  # its changes in the same sentence: 增长5.1%
            g = out[j]
            if g.sentence != f.sentence or g.relation == "level":
                break
            if g.indicator in ("", f.subject):
                out[j] = replace(g, indicator=model.indicator)
    return out


def _periods_of_parts(figures: list[Figure]) -> list[Figure]:
    """A part dated by its paragraph's lead, not its own sentence, covers its total's time
    (今年，…。截至10月底，已完工64个…。其中，东城区、西城区和高新区分别完工
    22个、19个和23个: up to the end of October, as the 64). (A part of an announced total is
    not announced with it: the sample's gold and seven sets' disagree.)"""
    spans = {(f.char_start, f.char_end): f for f in figures}
    out = list(figures)
    for i, f in enumerate(figures):
        total = spans.get(f.part_of) if f.part_of else None
        if (total is None or not f.period_text or f.period_text in f.sentence or f.period_text == total.period_text
                or not total.period_text):
            continue
        out[i] = replace(f, period_start=total.period_start, period_end=total.period_end, period_text=total.period_text)
    return out


def _changed_counts(figures: list[Figure]) -> list[Figure]:
    """A count whose noun opens with a word of a change (净增单位1204家, 压减法人户数37户) is that
    change of what it counts, labelled by the word (labels22; the contract: 净增608万户 is an
    increase)."""
    out = list(figures)
    for i, f in enumerate(figures):
        if f.kind == "count" and f.relation == "level" and (change := labels.count_change(f.metric)):
            out[i] = replace(f, metric=change[0], indicator=change[1], relation=change[2])
    return out


def _written_labels(text: str, figures: list[Figure]) -> list[Figure]:
    """A metric is a label written in the figure's own clause (the contract: "the label the
    text gives it … in the same clause"; every set's writer agrees: no gold metric stands
    outside its sentence). A cell of a table read by column (项目名称|总投资: 城北水厂|8.9)
    measures its column's header, which stands outside its row: it keeps the kind and the
    indicator the header gave it and has no metric. A header with no measure word (年度计划
    after 总投资) gave it the label of the column before: its indicator is the header itself."""
    out = list(figures)
    for i, f in enumerate(figures):
        if f.metric and f.metric not in f.sentence:
            cell = cell_at(text, f.char_start)
            bare = (cell is not None and not cell.by_row and cell.kind == "level" and cell.header
                    and not labels.header_label(cell.header, counted=f.kind == "count"))
            out[i] = replace(f, metric="", indicator=cell.header if bare else f.indicator)
    return out


def _respective_indicators(text: str, figures: list[Figure]) -> list[Figure]:
    """Changes that 分别 distributes over a list of indicators written right before it (项目数量、
    总投资和年度计划投资分别比上年增长5.7%、8.4%和6.9%): the k-th change is of the k-th
    indicator, not all of the last one's (clause10)."""
    out = list(figures)
    for i, group in _coordinated_runs(text, figures):
        first = group[0]
        if any(f.relation not in _CHANGES for f in group):
            continue
        items = [_item_indicator(item) for item in _distributed_list(text, group)]
        if items and first.indicator.endswith(items[-1]) and all(f.indicator == first.indicator for f in group):
            for k, item in enumerate(items):
                out[i + k] = replace(group[k], indicator=item)
    return out


def _shared_heads(text: str, figures: list[Figure]) -> list[Figure]:
    """Levels that 分别 distributes over a list whose last item carries the head the items share
    (失业保险、工伤保险参保人数分别达到68.7万人和72.1万人; 粮食、油料播种面积分别为…): each measures its
    item with that head (失业保险参保人数), not the last item's whole label. The head is the last
    item past an opening as long as the first item, as parallel items are written."""
    out = list(figures)
    for i, group in _coordinated_runs(text, figures):
        if any(f.relation != "level" or f.unit != group[0].unit for f in group):
            continue
        items = _distributed_list(text, group)
        if (not items or group[-1].metric != items[-1] or any(len(item) != len(items[0]) for item in items[:-1])
                or any(f.metric not in ("", item, items[-1]) for f, item in zip(group, items))):
            continue
        head = items[-1][len(items[0]) :]
        if len(head) < 2 or not labels.find_label(head):
            continue  # 先进制造业项目、现代服务业项目: whole kinds, no shared head
        for k, item in enumerate(items[:-1]):
            out[i + k] = replace(group[k], metric=item + head, indicator=item + head)
    return out


def _distributed_list(text: str, group: list[Figure]) -> list[str]:
    """The items of the list that a 分别 before a run of figures distributes over them (项目数量、
    总投资和年度计划投资分别比上年增长…: one item per figure), [] when the sentence writes none."""
    first = group[0]
    start = _sentence_start(text, first)
    before = first.sentence[: first.char_start - start] if start >= 0 else ""
    cut = before.rfind("分别")
    return labels.respective_kinds(before[: cut + 2], len(group)) if cut > 0 else []


def _item_indicator(item: str) -> str:
    """An item of a list of indicators as its label, without the time and scope words that
    open the list (全年全区工业增加值 → 工业增加值)."""
    label = labels.find_label(item)
    return labels.whole_label(item, label, 12) if label else item


def _respective_changes(text: str, figures: list[Figure]) -> list[Figure]:
    """Changes that 分别 distributes over the levels written just before them (二手住房成交
    4218套，成交面积39.6万平方米，环比分别增长6.2%和5.8%): the k-th change is of the k-th level,
    not of the last one, when the clause of the changes names nothing that changed."""
    out = list(figures)
    for i in range(1, len(figures)):
        first, before = figures[i], figures[i - 1]
        if (first.relation not in _CHANGES or first.sentence != before.sentence
                or "分别" not in text[before.char_end : first.char_start] or first.indicator != before.indicator):
            continue
        group = [first]
        for f in figures[i + 1 :]:
            if text[group[-1].char_end : f.char_start] not in _COORDINATORS or f.relation != first.relation:
                break
            group.append(f)
        levels = figures[max(0, i - len(group)) : i]
        if (len(group) < 2 or len(levels) < len(group) or len({f.indicator for f in levels}) < len(levels)
                or any(f.relation != "level" or f.sentence != first.sentence for f in levels)):
            continue
        for k, (change, level) in enumerate(zip(group, levels)):
            if change.indicator == before.indicator:
                out[i + k] = replace(change, indicator=level.indicator)
    return out


_CHANGES = frozenset(("increase", "decrease"))


def _respective_subjects(text: str, figures: list[Figure]) -> list[Figure]:
    """Figures that 分别 distributes over a list of places or units written before them in
    their sentence (云屏、望江、石门三个会场分别开工项目96个、64个和52个，总投资分别为1286亿元、…):
    the k-th figure of a run joined by 、/和 is the k-th item's, when none names its own (or
    only the list's summary: 江北、江南两个片区分别… is no subject 片区)."""
    out = list(figures)
    for i, group in _coordinated_runs(text, figures):
        first = group[0]
        start = _sentence_start(text, first)
        if len(group) > 1 and start >= 0 and len({f.subject for f in group}) == 1:
            items, written = labels.respective_items(first.sentence, first.char_start - start, len(group))
            for k, item in enumerate(items if first.subject in written else ()):
                out[i + k] = replace(group[k], subject=item)
    return out


def _size_classes(text: str, figures: list[Figure]) -> list[Figure]:
    """Size classes of projects written with their label once (总投资10亿元以上的项目7个，5至10亿元
    的项目6个，5亿元以下的项目5个): an unlabelled class measures what the labelled class before it
    in the sentence measures (总投资), not the projects it sizes."""
    out = list(figures)
    labelled: Figure | None = None
    for i, f in enumerate(figures):
        if labelled is not None and f.sentence != labelled.sentence:
            labelled = None
        if f.kind != "investment" or not _sizes_a_project(text, f):
            continue
        if f.metric:
            labelled = f
        elif labelled is not None and labelled.unit == f.unit:
            out[i] = replace(f, indicator=labelled.indicator)
    return out


def _unnamed_counts(text: str, figures: list[Figure]) -> list[Figure]:
    """Counts whose clause names nothing counted (《纲要》确定重大项目186个…。截至2025年底，已建成投用
    121个，在建48个): each measures what the last count of its paragraph with the same counter
    measured, as a reader takes it (round 10), also past a count of another counter (改造老旧小区
    126个，涉及居民2.38万户…已开工118个: 老旧小区)."""
    out = list(figures)
    named: dict[str, Figure] = {}  # by counter
    for i, f in enumerate(figures):
        if f.unit != "count" or f.relation != "level":
            continue
        last = named.get(f.counter)
        if last is not None and not f.metric and not f.indicator and "\n" not in text[last.char_end : f.char_start]:
            out[i] = f = replace(f, indicator=last.indicator)
        if f.indicator:
            named[f.counter] = f
    return out


def _sizes_a_project(text: str, f: Figure) -> bool:
    return labels.sizes_a_project(text[max(0, f.char_start - 8) : f.char_start], text[f.char_end : f.char_end + 8])


def _respective_kinds(text: str, figures: list[Figure]) -> list[Figure]:
    """Counts that 分别 distributes over a list of the kinds counted written right before it
    (先进制造业项目、现代服务业项目和科技创新类项目分别为18个、9个和5个): the k-th count counts the
    k-th kind, which is no subject of it (round 9)."""
    out = list(figures)
    for i, group in _coordinated_runs(text, figures):
        first = group[0]
        start = _sentence_start(text, first)
        if len(group) < 2 or start < 0 or first.unit != "count" or len({f.metric for f in group}) != 1:
            continue
        kinds = labels.respective_kinds(first.sentence[: first.char_start - start], len(group))
        # the list closes with what is counted (or the count took the whole list: 中小学、幼儿园)
        if kinds and first.metric in (kinds[-1], "、".join(kinds)):
            for k, kind in enumerate(kinds):
                subject = "" if group[k].subject in kinds else group[k].subject
                out[i + k] = replace(group[k], metric=kind, indicator=kind, subject=subject)
    return out


def _sentence_start(text: str, f: Figure) -> int:
    """Where the sentence of `f` starts in `text` (-1 if it is not found there)."""
    return text.rfind(f.sentence, 0, f.char_start + len(f.sentence))


def _coordinated_runs(text: str, figures: list[Figure]) -> Iterator[tuple[int, list[Figure]]]:
    """The runs of two or more figures joined by 、/和 (21个、18个和17个), each with the index of its
    first (a figure alone is no run: the passes over the runs ask nothing of it)."""
    i = 0
    while i < len(figures):
        j = i + 1  # by index: a copy of the figures after each one costs the square of their number
        while j < len(figures) and text[figures[j - 1].char_end : figures[j].char_start] in _COORDINATORS:
            j += 1
        if j - i > 1:
            yield i, figures[i:j]
        i = j


class _Sentence:
    """What the figures of one sentence share, found once for all of them: its span and
    text (one string, so the caches keyed by it hash it once), the first characters of its
    paragraph (a time word leading it), the lead of a list it is an item of, and what the
    value step looks up in it (`value.SentenceScan`: clause marks, slogans, quotes), and the
    anchor of its section (`sections.Sections`). The paragraph of a row of a text table is
    its title's (`segment.paragraph_start`). What the context step reads of it
    (`context.SentenceContext`) is read for its first figure (`context()`): most sentences
    with a candidate keep no figure."""

    __slots__ = ("span", "text", "paragraph_head", "list_before", "scan", "anchor", "short_names", "_context")

    def __init__(self, span: tuple[int, int], text: str, paragraph_head: str, list_before: str,
                 scan: SentenceScan, anchor: Anchor, short_names: tuple[str, ...]) -> None:
        self.span, self.text, self.paragraph_head, self.list_before = span, text, paragraph_head, list_before
        self.scan, self.anchor, self.short_names, self._context = scan, anchor, short_names, None

    @classmethod
    def of(cls, text: str, span: tuple[int, int], anchor: Anchor) -> "_Sentence":
        line = text.rfind("\n", 0, span[0]) + 1
        paragraph = paragraph_start(text, span[0])
        return cls(span, text[span[0] : span[1]], text[paragraph : paragraph + _PARAGRAPH_HEAD],
                   _list_before(text, span[0], line), SentenceScan.of(text, span, load_lexicon()), anchor,
                   labels.short_names(text))

    def context(self) -> SentenceContext:
        if self._context is None:
            self._context = SentenceContext.of(self.text, self.paragraph_head, self.anchor, self.list_before)
        return self._context


def _build_figure(
    text: str, m: re.Match, where: _Sentence, prev: Figure | None, next_start: int,
    raw_span: Callable[[int, int], tuple[int, int]] | None,
) -> Figure | None:
    sent, sentence = where.span, where.text
    v = read_value(text, m, where.scan, prev, next_start, load_lexicon())
    if v is None:
        return None
    cell = cell_at(text, v.start)
    row = _row_header(text, v, sent[0] - len(where.list_before), cell)
    own = text[v.clause_start : v.label_end]  # the clause before the number: labels and context read it
    metric, subject, inherited, from_row = _labels(text, v, where, prev, row, own)
    column, named, lead, modality, topic = _cell_reading(cell)
    if column:  # a table's change or share column: the row names what changed, no label is the value's
        # but the one a row of changes writes (比上年增长（%）|1.1 → 增长)
        metric, from_row = labels.metric_label(cell.said) if cell.said else "", False
    elif topic and not metric:  # a level in a table of indicators measures its row (第一产业|486.2)
        metric = topic
    subject = subject if named is None else named  # 合计 of a table of names: no one's
    at = v.start - sent[0]  # a column's time is read as if it stood before the cell (2030年目标68%)
    announced = _announced_cell(cell)  # a project's amount: no lead of its paragraph dates it
    context = figure_context(
        # the sentence itself when no column's time is read (most figures): the caches keyed by
        # it then find it by identity, not by hashing and comparing a new copy per figure
        sentence[:at] + lead + sentence[at:] if lead else sentence, at + len(lead),
        "" if announced else where.paragraph_head, where.anchor,
        # A row's value is read as if its header stood before it (地区生产总值增速：2025年完成5.6%),
        # a change column's as if 增速 did (地区生产总值|1286.4亿元|-4.1%: a decrease), with
        # the words the cell writes before its number (增速|减少0.36个百分点: a decrease).
        metric=metric, prefix=column + _words_in_cell(text, cell, v.start) if column else (row if from_row else own),
        number_text=v.number_text,
        before=topic or (prev.indicator if prev is not None else _row_topic(row)),
        before_relation=prev.relation if prev is not None else None,
        # 5亿美元3年期绿色债券: the number of a term ends `after` (the text up to the next number)
        after_noun="" if metric or v.dimension == "count" else labels.noun_after(v.after or text[v.end : v.clause_end], v.dimension),
        before_sentence=where.list_before,
        read=None if lead or announced else where.context(),  # a column's time read before the cell: another sentence
    )
    context.modality = modality or context.modality
    kind = _kind(v, metric, text, sent[0])
    raw_start, raw_end = raw_span(v.start, v.end) if raw_span else (None, None)
    return Figure(
        kind=kind, value=v.value, value_high=v.high, unit=v.unit, surface=text[v.start : v.end],
        number_text=v.number_text, unit_text=v.unit_text, counter=v.counter, qualifier=v.qualifier,
        metric=metric, subject=subject, sentence=sentence, char_start=v.start, char_end=v.end,
        raw_start=raw_start, raw_end=raw_end,
        indicator=labels.without_short_name(
            _changed_share(text, prev, context.relation, v.unit)
            or _indicator(context.indicator, context.relation, metric, v.dimension, prev if inherited else None),
            where.short_names),
        relation=context.relation, period_start=context.period.start,
        period_end=context.period.end, period_text=context.period.text, modality=context.modality,
    )


def _kind(v: Value, metric: str, text: str, sentence_start: int) -> str:
    """A money figure is an investment when its label says so, when, with no label, it
    sizes a project, or when it is what was put into a project the sentence names."""
    if v.dimension != "money":
        return v.dimension
    if (labels.is_investment_label(metric)
            or (not metric and labels.sizes_a_project(text[max(0, v.start - 8) : v.start], v.after))
            or labels.spends_on_a_project(metric, text[sentence_start : v.start])):
        return "investment"
    return "money"


def _changed_share(text: str, prev: Figure | None, relation: str, unit: str) -> str:
    """The indicator of a change in points right after a share in its sentence: the share
    (its part 占 its whole 的比重), not the part, changed by those points (round 15)."""
    if unit != "pp" or relation not in ("increase", "decrease") or prev is None or prev.relation != "share":
        return ""
    return labels.changed_share(text[max(0, prev.char_start - 60) : prev.char_start], prev.indicator)


def _indicator(found: str, relation: str, metric: str, dimension: str, label_from: Figure | None) -> str:
    """The indicator of a level figure that takes its label from the figure before
    (`label_from`) is that figure's; a count measures what it counts (新增|高新技术企业610家 →
    高新技术企业), unless it is written as an amount (高新技术企业数量目标值为2000家)."""
    if relation != "level":
        return found
    if label_from is not None:
        return label_from.indicator
    return metric if dimension == "count" and metric and found.endswith(metric) else found


def _list_before(text: str, start: int, paragraph: int) -> str:
    """The text before a sentence that a ；ends, back to the last 。 of its paragraph: the
    lead of a list of goals (主要预期目标是：…；) may govern the sentence."""
    if start == 0 or text[start - 1] not in _LIST_SEPARATORS:
        return ""
    return text[clause_start_before(text, start, paragraph, _SENTENCE_ENDS) : start]


def _labels(text: str, v: Value, where: _Sentence, prev: Figure | None, row: str,
            own: str) -> tuple[str, str, bool, bool]:
    """The figure's metric (what it measures), its subject (what it is about), whether
    the metric is the one of the figure before (written once for both) and whether it is
    the header of the row (`row`) the figure is a value of. `own`: its clause before the number."""
    sent, sentence = where.span, where.text
    prefix = strip_sign(own)  # 增速-12.6%: the label is 增速
    subject, valued, inherited = "", None, False
    if row:
        prefix = labels.without_row_column(prefix)  # 地区生产总值：2025年基数4860亿元
    row = row if row and labels.names_nothing(prefix) else ""
    header = labels.header_label(row, counted=v.dimension == "count") if row else ""
    if v.dimension == "count":
        listed = _listed_kinds(text, v.clause_start, sent[0])
        noun, noun_after = labels.counted_noun(listed + prefix, v.after, v.after_end < v.clause_end, v.counter)
        valued = None if noun_after else labels.count_metric(prefix)
        metric = (noun if valued is None else valued) or header or labels.count_change_word(prefix)
        if noun_after and labels.name_after(metric) == metric:
            # The count is part of a name (汉威年产150万只气体传感器项目): the name is
            # the subject and what is counted is the product it names.
            subject = labels.name_head(prefix) + text[v.start : v.end] + metric
            metric = labels.strip_suffix(metric)
    else:
        metric = labels.amount_label(prefix, v.after, v.dimension) or labels.label_after(v.after) or header
        subject = labels.name_after(text[v.end : v.clause_end])
    if prev is not None and (prev.unit == v.unit or (prev.kind == "count" and labels.measured_in(prev.metric, v.dimension))) and (
            labels.inherits_metric(metric, prefix) or (v.dimension == "count" and valued == "")):
        # 收入分别达到4.6万元和2.1万元, 突破8000亿元，达到8126.4亿元, 完成值为7.3件: the
        # label was written once, for the figure before; 推出住宅用地12宗、约760亩: the thing
        # counted before is measured again in another unit.
        metric, inherited = prev.metric, True
    if not subject:
        floor = max(sent[0], v.start - load_lexicon().max_clause_chars)
        own_start = where.scan.clause_start(v.start, floor)
        # A count that opens its clause is that clause's own topic (70个书记齐聚…).
        if not (v.dimension == "count" and own_start == v.label_end):
            subject = subjects.bracketed_by(sentence, v.start - sent[0]) or subjects.name_before(sentence, sent[0], own_start, v.label_end)
    if v.dimension == "count" and _sizes_a_list(sentence, v.start - sent[0]):
        subject = ""  # 澧源…产业园、汀州湾数据中心、北郊智能物流港三个项目: the list's size is no one's
    if prev is not None and prev.subject and text[prev.char_end : v.start] in _COORDINATORS:
        # 临川区、青梧区和滨湖新区分别为21个、18个和17个: each figure is of its own name.
        subject = labels.respective_name(sentence, prev.subject, v.start - sent[0]) or subject
    if where.short_names:
        metric, subject = labels.with_short_name(metric, subject, sentence[: v.start - sent[0]], where.short_names)
    if subject == metric or (metric and subject.endswith(metric) and metric in (
            labels.phrase_before(subject), v.dimension == "count" and labels.counted_noun(subject, "")[0])) or (
            v.dimension == "count" and subject and metric.endswith(subject)) or _counted_before(subject, prev):
        # what is counted is not what the count is about (先进制造业项目52个), also with a
        # scope word before it (开发区|累计签约项目412个), a verb of counting (累计建成省级|
        # 美丽乡村示范村126个) or as its tail (农村|供水工程1260处), nor what the count before
        # counted (现代服务业项目142个、总投资1103.5亿元)
        subject = ""
    from_row = bool(metric) and not inherited and metric == header
    return metric, subject, inherited, from_row


def _sizes_a_list(sentence: str, at: int) -> bool:
    """Whether the sentence up to a count at `at` ends with a list of names joined by 、 or
    和, which the count sums up."""
    names = [(s, e) for s, e, _ in labels.names_in(sentence) if e <= at]
    return len(names) > 1 and names[-1][1] == at and sentence[names[-2][1] : names[-1][0]] in _COORDINATORS


def _listed_kinds(text: str, clause_start: int, sentence_start: int) -> str:
    """The kinds listed with 、 before the clause of a count, back to the last that holds a
    number (新建改扩建中小学、|幼儿园21所): they may be counted together with its own."""
    start = clause_start
    while start > sentence_start and text[start - 1] == "、":
        item_start = max(text.rfind(c, sentence_start, start - 1) for c in _ITEM_CUTS) + 1
        if _DIGITS.search(text, max(item_start, sentence_start), start - 1):
            break
        start = max(item_start, sentence_start)
    return text[start:clause_start]


_ITEM_CUTS = "，、；：。"
_DIGITS = re.compile(r"[0-9]")


def _counted_before(subject: str, prev: Figure | None) -> bool:
    """Whether `subject` is the kind of thing the count before it in the sentence counted
    (累计实施工业技改项目2000个，完成工业投资3500亿元: 工业技改项目 is no subject of 3500亿元)."""
    return bool(subject) and prev is not None and prev.unit == "count" and prev.metric.endswith(subject)


def _row_header(text: str, v: Value, sentence_start: int, cell: Cell | None) -> str:
    """The header of the table row written as text that a figure is a value of: the
    sentence before its last colon (总资产：96.2亿元; ——营业收入：本报告期38.7亿元，上年同期
    33.1亿元; ——城镇新增就业：2025年完成1.18万人，2026年预期1.2万人); "" when it has none.
    It labels the figures whose own clause names nothing but times and linking verbs; a
    sentence that a ；ends reaches back to its row's colon (规模以上工业增加值：11月份同比增长
    8.1%；1—11月累计同比增长7.4%), so `sentence_start` is where its list began; `cell`
    is the table cell the figure is in, if any (`tables.cell_at`)."""
    if cell is not None:  # a table's data cell is of its row (地区生产总值|1286.4亿元|5.6%), or
        return cell.row if cell.by_row else cell.header  # of its column (片区|签约项目: 东区|31个)
    # the two colons searched in turn: a generator over them cost more than both searches
    colon = max(text.rfind("：", sentence_start, v.clause_start), text.rfind(":", sentence_start, v.clause_start))
    return text[sentence_start:colon] if colon > sentence_start else ""


def _with_cell_unit(text: str, m: re.Match) -> re.Match | None:
    """A bare number that is a whole table cell, read with its column's unit (绝对量（亿元）,
    增速（%）, 单位：亿元 above the table; `tables.Cell.unit`), or None."""
    cell = cell_at(text, m.start())
    if cell is None or not cell.unit or (cell.start, cell.end) != m.span():
        return None
    return with_unit_after(m, cell.unit)


def _cell_reading(cell: Cell | None) -> tuple[str, str | None, str, str, str]:
    """The word the column of a figure's table cell reads its values after (增速 under
    增速 or 比上年增长(%), 比重 under 占比; "" under a level's header), the name of its row
    when the row names whose value it is, not what it measures (东区 of 片区|签约项目|协议投资;
    "" for a row that names no one, 合计; None when the cell is in no such row),
    and the time and modality its column's header names (2030年目标: `tables.Cell.when`), and,
    in a table of indicators, the row's name: what the cell measures or what changed (in a table
    read by column, what a change column changed: the level column on its left)."""
    if cell is None:
        return "", None, "", "", ""
    by_row = cell.by_row and bool(cell.header)
    named = (cell.whose or None) if cell.by_row else cell.row  # 指标|全市|东坪县: the column's place
    return column_word(cell.kind), named, cell.when, cell.modality, cell.row if by_row else cell.of


def _announced_cell(cell: Cell | None) -> bool:
    """Whether a cell holds a project's announced amount (a level column of a table of projects,
    `tables.Cell.modality`): its caption's time, the paragraph's lead, is not its period."""
    return cell is not None and not cell.by_row and cell.modality == "actual"


_CELL_WORDS = re.compile(r"[\u4e00-\u9fff]+$")


def _words_in_cell(text: str, cell: Cell, start: int) -> str:
    """The words a table cell writes before its number (减少 of 减少0.36个百分点), not a sign."""
    m = _CELL_WORDS.search(text, cell.start, start)
    return m.group() if m else ""


# What stands between the figures of a list that 分别 distributes (21个、18个和17个).
_COORDINATORS = frozenset(("、", "和", "及", "与", "以及"))


@lru_cache(maxsize=256)  # asked for each figure of a row
def _row_topic(row: str) -> str | None:
    """What a row's header measures (地区生产总值增速 → 地区生产总值): the indicator of a
    figure of the row that names only its change (——单位地区生产总值能耗：2026年预期下降2.5%)."""
    if not row:
        return None
    label = labels.header_label(row)
    return indicator(relation(label), label, label, None, "") if label else None
