"""Find the figures in cleaned text: number, unit, qualifier, labels, offsets.

One compiled pattern (stdlib `re`), built from the language data, finds every candidate
(`百分之`? number [range] [余/多] unit); `_build_figure` turns a candidate into
a `Figure` or rejects it by the rules of the contract (ordinals, the article
一, slogans, quoted names, durations).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from decimal import Decimal
from fractions import Fraction
from functools import cache
from types import SimpleNamespace
from typing import Callable, Iterator, Sequence

import regex

from . import labels
from .figure import Figure
from .lexicon import Lexicon, alternation, load_lexicon
from .numerals import NUMBER_PATTERN, NUMBER_START_CHARS, SCALES, NumeralError, parse_numeral, split_scale

_BARE_SCALE = re.compile(r"[百千万亿]+")
_SCALE_WORDS = tuple(SCALES)
_CLAUSE_OR_LIST = labels.CLAUSE_DELIMITERS + "、"


@cache
def _candidate_pattern() -> re.Pattern:
    lex = load_lexicon()
    units = alternation(lex.units)
    return re.compile(
        rf"(?<![0-9A-Za-z.])(?P<pre>{alternation(lex.percent_prefixes)})?(?P<num>{NUMBER_PATTERN})"
        rf"(?:(?P<unit1>{units})?(?P<sep>{alternation(lex.range_separators)})(?P<num2>{NUMBER_PATTERN}))?"
        rf"(?:(?P<inner>{alternation(lex.qualifiers_inner)})(?P<post_scale>{alternation(SCALES)})?)?"
        rf"(?P<unit>{units})?"
    )


@cache
def _context_patterns() -> SimpleNamespace:
    lex = load_lexicon()
    before = re.compile(rf"(?:{alternation(lex.qualifiers_before)})$")
    # An after-word qualifies only when a word does not go on (200人左右。 but
    # not 党员上下一心).
    anywhere = set(lex.qualifiers_after) - set(lex.qualifiers_after_at_end)
    after = re.compile(rf"(?:{alternation(anywhere)})|(?:{alternation(lex.qualifiers_after_at_end)})(?=[^{lex.han}]|的|$)")
    return SimpleNamespace(qualifier_before=before, qualifier_after=after,
                           slogan=re.compile(alternation(lex.slogans)))


def find_figures(
    text: str, sentences: Sequence[tuple[int, int]], start: int = 0, end: int | None = None,
    raw_span: Callable[[int, int], tuple[int, int]] | None = None,
) -> list[Figure]:
    """Every figure in cleaned `text[start:end]`, in order, with offsets into `text`.

    `sentences` are the sentence spans of that part (from
    `segment.split_sentences`); they bound the labels and fill `Figure.sentence`.
    `raw_span` maps a span of `text` to the original text (`CleanText.raw_span`); it
    fills `raw_start`/`raw_end`, which stay None without it.
    """
    starts = [s for s, _ in sentences]
    figures: list[Figure] = []
    # One string per sentence, shared by its figures: the names found in it are cached by
    # that string, whose hash Python then computes once.
    sentence_texts: dict[tuple[int, int], str] = {}
    candidates = list(_candidates(text, start, len(text) if end is None else end))
    for m, following in zip(candidates, [*candidates[1:], None]):
        if m["unit"] is None and m["pre"] is None and not m["num"].endswith(_SCALE_WORDS):
            continue  # a bare number: nothing to measure
        i = bisect_right(starts, m.start()) - 1
        sent = sentences[i] if i >= 0 and sentences[i][1] >= m.end() else (0, len(text))
        prev = figures[-1] if figures and figures[-1].char_end > sent[0] else None  # same sentence
        next_start = following.start() if following else sent[1]
        sentence = sentence_texts.get(sent) or sentence_texts.setdefault(sent, text[sent[0] : sent[1]])
        figure = _build_figure(text, m, sent, sentence, prev, next_start, load_lexicon(), raw_span)
        if figure is not None:
            figures.append(figure)
    return figures


def _candidates(text: str, start: int, end: int) -> Iterator[re.Match]:
    """What `_candidate_pattern().finditer` finds, tried only where a numeral can start:
    a scan for those characters is many times faster than trying the pattern everywhere."""
    trigger, candidate = _candidate_start().search, _candidate_pattern().match
    t = trigger(text, start, end)
    while t:
        m = candidate(text, t.start(), end)
        if m:
            yield m
            t = trigger(text, m.end(), end)
        else:
            t = trigger(text, t.start() + 1, end)


@cache
def _candidate_start() -> re.Pattern:
    firsts = set(NUMBER_START_CHARS) | {p[0] for p in load_lexicon().percent_prefixes}
    return re.compile("[" + "".join(map(re.escape, sorted(firsts))) + "]")


def _build_figure(
    text: str, m: re.Match, sent: tuple[int, int], sentence: str, prev: Figure | None, next_start: int,
    lex: Lexicon, raw_span: Callable[[int, int], tuple[int, int]] | None,
) -> Figure | None:
    start = m.start()
    pre, num, num2, unit_word = m.group("pre", "num", "num2", "unit")
    if pre:  # 百分之十二点六: the unit is written before the number
        unit_word, end = None, m.end("num2") if num2 else m.end("num")
    else:
        end = m.end()
    if num2 and m["unit1"] and m["unit1"] != unit_word:
        return None  # 3亿元至5万平方米 is not a range
    before_text = text[max(sent[0], start - 8) : start]
    if before_text.endswith(lex.ordinal_prefixes):
        return None  # 第二批, 前五期, 前1%
    if not num[0].isdigit() and before_text.endswith(lex.vague_prefixes):
        return None  # 数十家, 几百人: no number is stated (人数300人 is one)
    if _is_quoted_name(text, start, end, lex) or _in_slogan(text, start, end):
        return None

    bare_scale_word = None
    if _BARE_SCALE.fullmatch(num):
        bare_scale_word = next((w for w in lex.bare_scale_qualifiers if before_text.endswith(w)), None)
        if bare_scale_word is None or before_text.endswith(lex.not_qualifiers):  # 签约亿元以上项目
            return None  # 千家万户, 万众一心
    if text.startswith(lex.not_after_scale, end):
        return None  # 千亿级
    unit = lex.units[unit_word] if unit_word is not None else None
    if unit is not None and unit.dimension == "count":
        if num == "一":
            return None  # the article 一: 一名服务专员, 一个好书记
        if text.startswith(lex.not_after_counter, end):
            return None  # 6个月: a duration
        if unit_word in lex.phase_counters and not before_text.endswith(lex.phase_count_after):
            return None  # 二期工程: a phase name

    # A label never reaches back over the figure before (4.6万元和2.1万元), nor
    # takes that figure's qualifier (50亿元以上项目6个 counts 项目).
    clause_start = _clause_start(text, start, sent[0], _CLAUSE_OR_LIST)
    if prev is not None and prev.char_end > clause_start:
        prev_q = _context_patterns().qualifier_after.match(text, prev.char_end, start)
        clause_start = prev_q.end() if prev_q else prev.char_end
    qualifier_before = _context_patterns().qualifier_before.search(text, clause_start, start)
    if qualifier_before and text.endswith(lex.not_qualifiers, clause_start, start):
        qualifier_before = None  # 签约十余个: 约 belongs to 签约
    label_end = qualifier_before.start() if qualifier_before else start
    prefix = text[clause_start:label_end]
    clause_end = _clause_end(text, end, sent[1])
    # What a count counts stops at the next number: 百场招聘活动|近万人.
    after_end = min(clause_end, max(end, next_start))

    if pre:
        unit_code, dimension, factor = lex.percent_prefixes[pre], "percent", 1
    elif unit is None:
        # 投资120亿: a bare scale after a money label is money in yuan.
        label = labels.find_label(prefix)
        if labels.metric_head_dimension(label) != "money" and not labels.is_investment_label(label):
            return None
        unit_code, dimension, factor = "CNY", "money", 1
        end = m.end("num2") if num2 else m.end("num")
    else:
        unit_code, dimension, factor = unit.unit, unit.dimension, unit.factor

    try:
        value = parse_numeral(num)
        high = parse_numeral(num2) if num2 else None
    except NumeralError:
        return None
    if value == 0:
        return None  # 零 as a quantity is an idiom: 零距离, 零增长, 实现零的突破
    scale2 = split_scale(num2)[1] if num2 else ""
    if num2 and not split_scale(num)[1] and scale2:
        value *= SCALES[scale2]  # 3至5亿元: the scale written once applies to both ends
    if high is not None and high <= value:
        return None  # 23至1项: a range must rise; this is no quantity we can state
    if m["post_scale"]:  # 1000余万元
        value *= SCALES[m["post_scale"]]
        high = high * SCALES[m["post_scale"]] if high is not None else None

    last_num_start = m.start("num2") if num2 else m.start("num")
    if dimension in ("money", "area"):
        # The scale belongs to the unit: 41万平方米 reads 41 | 万平方米.
        number_end = last_num_start + len(split_scale(num2 or num)[0])
    else:
        number_end = m.end("num2") if num2 else m.end("num")
    number_text = text[m.start("num") : number_end]
    unit_text = text[number_end:end]
    if m["inner"]:
        unit_text = unit_text.replace(m["inner"], "", 1)
    if pre:
        unit_text = pre

    if num2:
        qualifier = "range"
    elif m["inner"]:
        qualifier = lex.qualifiers_inner[m["inner"]]
    elif qualifier_before:
        qualifier = lex.qualifiers_before[qualifier_before.group()]
    elif bare_scale_word:
        qualifier = lex.bare_scale_qualifiers[bare_scale_word]  # 上万人
    else:
        after_q = _context_patterns().qualifier_after.match(text, end)
        qualifier = lex.qualifiers_after[after_q.group()] if after_q else "exact"

    after = text[end:after_end]
    after_q = _context_patterns().qualifier_after.match(after)
    if after_q:
        after = after[after_q.end():]
    after = _context_patterns().qualifier_before.sub("", after, count=1)  # …求职者|近万人: 近 is the next figure's

    subject = ""
    if dimension == "count":
        metric, noun_after = labels.counted_noun(prefix, after, after_end < clause_end)
        if noun_after and labels.name_after(metric) == metric:
            # The count is part of a name (汉威年产150万只气体传感器项目): the name is
            # the subject and what is counted is the product it names.
            head = labels.name_head(text[clause_start:label_end])
            subject = head + text[start:end] + metric
            metric = labels.strip_suffix(metric)
    else:
        metric = labels.find_label(prefix) or labels.label_after(after)
        subject = labels.name_after(text[end:clause_end])
    if prev is not None and prev.unit == unit_code and labels.inherits_metric(metric, prefix):
        # 收入分别达到4.6万元和2.1万元, 突破8000亿元，达到8126.4亿元: the label
        # was written once, for the figure before.
        metric = prev.metric
    kind = dimension
    if dimension == "money" and labels.is_investment_label(metric):
        kind = "investment"
    if not subject:
        own_start = _clause_start(text, start, sent[0], labels.CLAUSE_DELIMITERS)
        # A count that opens its clause is that clause's own topic (70个书记齐聚…).
        if not (dimension == "count" and own_start == label_end):
            subject = _name_before(sentence, sent[0], own_start, label_end)
    if subject == metric:
        subject = ""  # what is counted is not what the count is about (先进制造业项目52个)

    raw_start, raw_end = raw_span(start, end) if raw_span else (None, None)
    return Figure(
        kind=kind,
        value=_canonical(value, factor),
        value_high=_canonical(high, factor) if high is not None else None,
        unit=unit_code,
        surface=text[start:end],
        number_text=number_text,
        unit_text=unit_text,
        counter=unit_word if dimension == "count" else "",
        qualifier=qualifier,
        metric=metric,
        subject=subject,
        sentence=sentence,
        char_start=start,
        char_end=end,
        raw_start=raw_start,
        raw_end=raw_end,
    )


def _canonical(value: Decimal, factor: Fraction | int) -> float:
    """The value in the canonical unit, rounded once (183亩 is exactly 122000 m2)."""
    return float(value) if factor == 1 else float(Fraction(value) * factor)


def _name_before(sentence: str, offset: int, own_start: int, label_end: int) -> str:
    """The first name in the figure's clause, else the first in its sentence, before it
    (`offset` is where the sentence starts in the text the other offsets index)."""
    return labels.first_name(sentence, own_start - offset, label_end - offset) or labels.first_name(
        sentence, 0, label_end - offset
    )


def _clause_start(text: str, pos: int, floor: int, delimiters: str) -> int:
    """Just after the last of `delimiters` in text[floor:pos], else floor."""
    last = _delimiter(delimiters, reverse=True).search(text, floor, pos)
    return last.end() if last else floor


def _clause_end(text: str, pos: int, ceiling: int) -> int:
    """The first clause delimiter in text[pos:ceiling], else ceiling."""
    first = _delimiter(labels.CLAUSE_DELIMITERS, reverse=False).search(text, pos, ceiling)
    return first.start() if first else ceiling


@cache
def _delimiter(delimiters: str, reverse: bool) -> regex.Pattern:
    """One of `delimiters`; `reverse` searches from the end of the range back (regex's
    (?r)), so the nearest delimiter before a figure costs as little as the nearest after."""
    return regex.compile(("(?r)" if reverse else "") + "[" + regex.escape(delimiters) + "]")


def _is_quoted_name(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Inside a short quoted phrase (“三个一批”, 《…》) the number is part of a name."""
    limit = lex.max_quoted_name
    window = text[max(0, start - limit) : start]
    open_at = max(window.rfind("“"), window.rfind("《"), window.rfind("「"))
    if open_at < 0 or any(c in window[open_at + 1 :] for c in "”》」"):
        return False
    tail = text[end : end + limit]
    return any(c in tail for c in "”》」") and not any(c in tail.split("”")[0] for c in "“《")


def _in_slogan(text: str, start: int, end: int) -> bool:
    """Inside or overlapping a slogan with numerals (三个一批, 五项制度)."""
    window = _context_patterns().slogan.finditer(text, max(0, start - 8), min(len(text), end + 8))
    return any(m.start() < end and m.end() > start for m in window)
