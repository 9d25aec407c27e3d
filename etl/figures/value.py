"""The value of a figure: which candidates are quantities, their number, unit and qualifier.

One compiled pattern (stdlib `re`), built from the language data, finds every candidate
(`百分之`? number [range] [余/多] unit); `read_value` rejects what the contract says is
no figure (ordinals, the article 一, slogans, quoted names, durations) and reads the
rest into a `Value`, together with the clause around it that the label and context
steps read (`etl.figures.extract` puts the steps together).
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache
from types import SimpleNamespace
from typing import Iterator, NamedTuple

import regex

from ..text.clean import layout_rules
from . import labels
from .figure import Figure
from .lexicon import Lexicon, alternation, guarded_alternation, load_lexicon
from .numerals import (
    DIGIT_CLASS, NEGATIVE_SIGNS, NUMBER_PATTERN, NUMBER_START_CHARS, NUMERAL_CHAR_CLASS, PLACE_CHAR_CLASS, SCALES,
    ZERO_CLASS, NumeralError, parse_numeral, split_scale,
)

_BARE_SCALE = re.compile(rf"{PLACE_CHAR_CLASS}+")
SCALE_WORDS = tuple(SCALES)
_CLAUSE_OR_LIST = labels.CLAUSE_DELIMITERS + "、"
_QUOTE_OPENERS = "“《「"


@dataclass(slots=True)  # not frozen: one is built per candidate, frozen init costs 3x
class Value:
    """A candidate read as a quantity, and the clause around it.

    `prefix` is the clause text before the number up to a qualifier written before it
    (`text[clause_start:label_end]`); `after` is the clause text after the figure that
    may name what a count counts, up to `after_end`; `clause_end` ends the clause.
    """

    start: int
    end: int
    value: float
    high: float | None
    unit: str
    dimension: str
    number_text: str
    unit_text: str
    counter: str
    qualifier: str
    clause_start: int
    label_end: int
    clause_end: int
    after_end: int
    after: str

    @property
    def prefix_span(self) -> tuple[int, int]:
        return self.clause_start, self.label_end


@cache
def _candidate_pattern() -> re.Pattern:
    lex = load_lexicon()
    words = guarded_alternation  # each is tried at every candidate, most often to fail
    units = words(lex.units)
    return re.compile(
        rf"(?<![0-9A-Za-z.$])(?P<sign>{words(NEGATIVE_SIGNS)})?(?P<symbol>{words(lex.currency_symbols)})?"
        rf"(?P<pre>{words(lex.percent_prefixes)})?(?P<num>{NUMBER_PATTERN})"
        rf"(?:(?P<unit1>{units})?(?P<sep>{words(lex.range_separators)})(?P<num2>{NUMBER_PATTERN}))?"
        rf"(?:(?P<inner>{words(lex.qualifiers_inner)})(?P<post_scale>{words(SCALES)})?)?"
        rf"(?P<unit>{units})?"
        # 38元4角5分, 七元二毛: one digit per subunit (not 5分钟)
        rf"(?P<sub>(?:{ZERO_CLASS}?{DIGIT_CLASS}(?:{words(lex.currency_subunits)})(?!钟)){{1,2}})?"
    )


@cache
def _context_patterns() -> SimpleNamespace:
    lex = load_lexicon()
    before = re.compile(rf"(?:{alternation(lex.qualifiers_before)})$")
    # An after-word qualifies only when a word does not go on (200人左右。 but
    # not 党员上下一心).
    anywhere = set(lex.qualifiers_after) - set(lex.qualifiers_after_at_end)
    after = re.compile(rf"(?:{alternation(anywhere)})|(?:{alternation(lex.qualifiers_after_at_end)})(?=[^{lex.han}]|的|$)")
    return SimpleNamespace(
        qualifier_before=before, qualifier_after=after,
        # A qualifier before a number ends the text searched: the search starts this many
        # characters before its end, not at every position of a clause of up to 300.
        qualifier_before_len=max(map(len, lex.qualifiers_before)), slogan=re.compile(alternation(lex.slogans)),
        # 十四届全国人大, 十九届五中全会, 八届七次全会: a session, not a count
        session_after=re.compile(rf"{NUMERAL_CHAR_CLASS}*(?:{alternation(lex.session_words)})"),
        subunit=re.compile(rf"({DIGIT_CLASS})({alternation(lex.currency_subunits)})"),
        clause_or_list_mark=re.compile(f"[{re.escape(_CLAUSE_OR_LIST)}]"),
        rate_after=re.compile(rf"(?:{alternation(lex.exchange_rate_words)})(?:{NUMERAL_CHAR_CLASS}|[0-9])"),
    )


def candidates(text: str, start: int, end: int) -> Iterator[re.Match]:
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
    lex = load_lexicon()
    firsts = {*NUMBER_START_CHARS, *(p[0] for p in lex.percent_prefixes), *(s[0] for s in NEGATIVE_SIGNS),
              *(s[0] for s in lex.currency_symbols)}
    return re.compile("[" + "".join(map(re.escape, sorted(firsts))) + "]")


def is_bare_number(m: re.Match) -> bool:
    """A number with no unit, percent word, currency symbol or scale: nothing to measure."""
    return m["unit"] is None and m["pre"] is None and m["symbol"] is None and not m["num"].endswith(SCALE_WORDS)


class _UnitAfter:
    """A candidate read as if a unit followed its number (`with_unit_after`): the groups are
    those of number and unit, the positions those of the number in the text (the unit, not
    written there, adds none), so the surface stays the number as written."""

    def __init__(self, read: re.Match, start: int, length: int) -> None:
        self._read, self._start, self._length = read, start, length

    def __getitem__(self, group: str) -> str | None:
        return self._read[group]

    def start(self, group: str | int = 0) -> int:
        at = self._read.start(group)
        return -1 if at < 0 else self._start + min(at, self._length)

    def end(self, group: str | int = 0) -> int:
        at = self._read.end(group)
        return -1 if at < 0 else self._start + min(at, self._length)


def with_unit_after(m: re.Match, unit: str) -> re.Match | None:
    """A bare number (`is_bare_number`) read as if `unit` followed it: the unit of a table's
    column (绝对量（亿元）|186.4 → 186.4亿元, 单位：亿元 above the table); None when number and
    unit read as no figure of the number's whole text and the unit."""
    written = m.group()
    read = _candidate_pattern().fullmatch(written + unit)
    if read is None or read["unit"] is None or read.end("num") < len(written):
        return None
    return _UnitAfter(read, m.start(), len(written))  # type: ignore[return-value]


class SentenceScan(NamedTuple):
    """One sentence's span and what the checks of its candidates look up, found once for
    all of them: the positions of its clause marks (`labels.CLAUSE_DELIMITERS`) and of those
    and the list mark 、, and whether it holds a slogan or an opening quote (most hold
    neither: their candidates skip those checks). Clause starts and ends are then a
    bisection, not a search of the text per candidate."""

    span: tuple[int, int]
    clause_marks: list[int]
    list_marks: list[int]
    slogan: bool
    quote: bool

    @classmethod
    def of(cls, text: str, span: tuple[int, int], lex: Lexicon) -> "SentenceScan":
        pat = _context_patterns()
        list_marks = [m.start() for m in pat.clause_or_list_mark.finditer(text, *span)]
        clause_marks = [i for i in list_marks if text[i] != "、"]
        # A slogan matched in a candidate's window (8 characters either side, see _in_slogan)
        # is found by a search of the sentence's: the windows lie inside it.
        slogan = pat.slogan.search(text, max(0, span[0] - 8), min(len(text), span[1] + 8))
        quoted = text[max(0, span[0] - lex.max_quoted_name) : span[1]]
        return cls(span, clause_marks, list_marks, slogan is not None, any(q in quoted for q in _QUOTE_OPENERS))

    def clause_start(self, pos: int, floor: int, with_list: bool = False) -> int:
        """Just after the last clause mark (or 、 `with_list`) in [floor, pos), else floor:
        `clause_start_before` for a range inside the sentence."""
        marks = self.list_marks if with_list else self.clause_marks
        i = bisect_left(marks, pos) - 1
        return marks[i] + 1 if i >= 0 and marks[i] >= floor else floor

    def clause_end(self, pos: int, ceiling: int) -> int:
        """The first clause mark in [pos, ceiling), else ceiling (inside the sentence)."""
        i = bisect_left(self.clause_marks, pos)
        return self.clause_marks[i] if i < len(self.clause_marks) and self.clause_marks[i] < ceiling else ceiling


def read_value(text: str, m: re.Match, scan: SentenceScan, prev: Figure | None, next_start: int,
               lex: Lexicon) -> Value | None:
    """The quantity a candidate states, or None when the contract says it is no figure
    (`scan`: its sentence)."""
    sent, start = scan.span, m.start()
    end = m.end("num2") if m["pre"] and m["num2"] else m.end("num") if m["pre"] else m.end()
    before_text = text[max(sent[0], start - 8) : start]
    bare_scale_word = _rejected_or_bare_scale(text, m, end, before_text, lex, scan)
    if bare_scale_word is False:
        return None
    subunits = m["sub"] if m["sub"] and m["unit"] in lex.currency_subunit_after else ""
    if m["sub"] and not subunits:
        end = m.start("sub")  # 5分钟 after 3元 is no subunit
    floor, ceiling = max(sent[0], start - lex.max_clause_chars), min(sent[1], end + lex.max_clause_chars)
    clause_start, label_end, qualifier_before, currency_before = _clause_before(text, start, floor, prev, lex, scan)
    prefix = text[clause_start:label_end]
    unit_code, dimension, factor = _unit(m, prefix, currency_before, bool(subunits), lex)
    if unit_code is None:
        return None
    if dimension == "count" and labels.find_label(prefix).endswith(lex.stem_heads):
        return None  # 死亡率0.02人: a rate labelled as one, not a number of entities (托位数4.5个 is)
    if m["unit"] is None and not m["pre"]:
        end = m.end("num2") if m["num2"] else m.end("num")
    value, high = _numbers(m, subunits)
    if value is None:
        return None
    if m["sign"] and dimension in lex.signed_dimensions:
        value = -value  # 利润-500万元: a level keeps its sign; a signed rate is a change (unsigned)
    canonical, canonical_high = _canonical(value, factor), _canonical(high, factor) if high is not None else None
    if canonical is None or (high is not None and canonical_high is None):
        return None  # beyond a float: no value to state
    number_text, unit_text = _split_surface(text, m, end, dimension)
    qualifier = _qualifier(text, m, end, qualifier_before, bare_scale_word, lex)
    clause_end = scan.clause_end(end, ceiling)
    # What a count counts stops at the next number: 百场招聘活动|近万人.
    after_end = min(clause_end, max(end, next_start))
    return Value(
        start=start, end=end, value=canonical, high=canonical_high, unit=unit_code, dimension=dimension,
        number_text=number_text, unit_text=unit_text, counter=m["unit"] if dimension == "count" else "",
        qualifier=qualifier, clause_start=clause_start, label_end=label_end, clause_end=clause_end,
        after_end=after_end, after=_text_after(text, end, after_end),
    )


def _rejected_or_bare_scale(text: str, m: re.Match, end: int, before_text: str, lex: Lexicon, scan: SentenceScan):
    """False when the candidate is no figure by the contract; else the word that makes a
    bare scale a quantity (上万人 → 上), or None."""
    start, num, unit_word = m.start(), m["num"], None if m["pre"] else m["unit"]
    if m["num2"] and m["unit1"] and m["unit1"] != m["unit"]:
        return False  # 3亿元至5万平方米 is not a range
    if before_text.endswith(lex.ordinal_prefixes):
        return False  # 第二批, 前五期, 前1%
    if before_text.endswith(lex.rate_base_prefixes):
        return False  # 每10股: the base of a rate
    if lex.date_before.search(before_text):
        return False  # 2026-03-27本年…: the day of a date
    if not num[0].isdigit() and before_text.endswith(lex.vague_prefixes):
        return False  # 数十家, 几百人: no number is stated (人数300人 is one)
    if (scan.quote and _is_quoted_name(text, start, end, lex)) or (scan.slogan and _in_slogan(text, start, end)):
        return False
    bare_scale_word = None
    if _BARE_SCALE.fullmatch(num) and not m["pre"]:  # 百分之百 is a number
        bare_scale_word = next((w for w in lex.bare_scale_qualifiers if before_text.endswith(w)), None)
        if before_text.endswith(lex.not_qualifiers) or (
            bare_scale_word is None and not _bare_count_with_bound(m, end, text, lex)
        ):
            return False  # 千家万户, 万众一心, 签约亿元以上项目
    if text.startswith(lex.not_after_scale, end):
        return False  # 千亿级
    unit = lex.units[unit_word] if unit_word is not None else None
    if unit is not None and unit.dimension == "count":
        if num == "一":
            return False  # the article 一: 一名服务专员, 一个好书记
        if text.startswith(lex.not_after_counter, end):
            return False  # 6个月: a duration
        if unit_word in lex.word_after_counter and text.startswith(lex.word_after_counter[unit_word], end):
            return False  # 1.1本半年度报告, 2.2股东情况: a section number
        if _opens_a_line_as_section_number(text, start, m.end("num")):
            return False  # 1.1本 / 半年度 broken by the layout: still a section number
        if unit_word in lex.phase_counters and not before_text.endswith(lex.phase_count_after):
            return False  # 二期工程: a phase name
        if _names_a_session_or_package(text, end, unit_word, lex):
            return False  # 十四届全国人大, 四项工程, 30条特别措施
    elif unit is None and not m["pre"] and not m["symbol"] and _no_money_after_number(
            text, m.end("num2") if m["num2"] else m.end("num"), lex):
        return False  # 1万亿亿元, 3600万千瓦
    if _is_exchange_rate(text, start, end, lex):
        return False  # 1欧元兑7.86元人民币
    return bare_scale_word


def _opens_a_line_as_section_number(text: str, start: int, number_end: int) -> bool:
    """The number opens a line and is a section heading's number there (layout.toml's
    enumerators: 2.2股东情况), whatever word the line goes on with."""
    if start and text[start - 1] != "\n":
        return False
    enumerator = layout_rules().section_heading.match(text, start)
    return enumerator is not None and enumerator.end() == number_end


def _bare_count_with_bound(m: re.Match, end: int, text: str, lex: Lexicon) -> bool:
    """A bare scale counted and bounded after (活动百场以上, 千人左右) states a quantity; an
    amount so written (亿元以上项目) names a class of projects."""
    unit = lex.units.get(m["unit"]) if m["unit"] else None
    return unit is not None and unit.dimension == "count" and bool(_context_patterns().qualifier_after.match(text, end))


def _clause_before(text: str, start: int, floor: int, prev: Figure | None, lex: Lexicon, scan: SentenceScan):
    """Where the figure's clause starts, where its label ends (before a qualifier or a
    currency name written before the number), that qualifier's match and that currency name."""
    # A label never reaches back over the figure before (4.6万元和2.1万元), nor
    # takes that figure's qualifier (50亿元以上项目6个 counts 项目).
    clause_start = scan.clause_start(start, floor, with_list=True)
    if text.startswith("、", clause_start - 1) and labels.closes_a_list(text[clause_start:start]):
        # 电力、热力、燃气及水生产和供应业增长: the items before the conjunction are one label.
        list_start = scan.clause_start(start, floor)
        if prev is None or prev.char_end <= list_start:
            clause_start = list_start
    if prev is not None and prev.char_end > clause_start:
        prev_q = _context_patterns().qualifier_after.match(text, prev.char_end, start)
        clause_start = prev_q.end() if prev_q else prev.char_end
    pat = _context_patterns()
    qualifier_before = pat.qualifier_before.search(text, max(clause_start, start - pat.qualifier_before_len), start)
    if qualifier_before and text.endswith(lex.not_qualifiers, clause_start, start):
        qualifier_before = None  # 签约十余个: 约 belongs to 签约
    label_end = qualifier_before.start() if qualifier_before else start
    currency_before = ""
    if text.endswith(lex.currency_before_words, clause_start, label_end):  # one C call for most figures
        currency_before = next(w for w in lex.currency_before if text.endswith(w, clause_start, label_end))
        label_end -= len(currency_before)  # 合同金额人民币…元: the label is 合同金额
    return clause_start, label_end, qualifier_before, currency_before


def _unit(m: re.Match, prefix: str, currency_before: str, subunits: bool, lex: Lexicon) -> tuple:
    """(unit code, dimension, factor), or Nones when a bare scale labels no money."""
    if m["pre"]:
        return lex.percent_prefixes[m["pre"]], "percent", 1
    if m["unit"] is None and m["symbol"]:  # $3亿: the symbol is the unit
        return lex.currency_symbols[m["symbol"]], "money", 1
    if m["unit"] is None:
        # 投资120亿: a bare scale after a money label is money in yuan.
        label = labels.find_label(prefix)
        if labels.metric_head_dimension(label) != "money" and not labels.is_investment_label(label):
            return None, None, None
        return lex.currency_before.get(currency_before, "CNY"), "money", 1
    unit = lex.units[m["unit"]]
    if subunits and unit.dimension == "count":
        unit = lex.units["元"]  # 八块五毛: with subunits after it, 块 is 元
    if currency_before and m["unit"] in lex.currency_subunit_after and unit.dimension == "money":
        return lex.currency_before[currency_before], "money", unit.factor  # 新台币3亿元 is TWD
    return unit.unit, unit.dimension, unit.factor


def _numbers(m: re.Match, subunits: str) -> tuple[Decimal | None, Decimal | None]:
    """The low and high numbers of the candidate, scaled, with its subunits (38元4角5分);
    (None, None) when it states no quantity."""
    num, num2 = m["num"], m["num2"]
    try:
        value = parse_numeral(num)
        high = parse_numeral(num2) if num2 else None
    except NumeralError:
        return None, None
    if subunits:
        value += _subunit_value(subunits)
    if value == 0:
        return None, None  # 零 as a quantity is an idiom: 零距离, 零增长, 实现零的突破
    scale2 = split_scale(num2)[1] if num2 else ""
    if num2 and not split_scale(num)[1] and scale2:
        value *= SCALES[scale2]  # 3至5亿元: the scale written once applies to both ends
    if high is not None and high <= value:
        return None, None  # 23至1项: a range must rise; this is no quantity we can state
    if m["post_scale"]:  # 1000余万元
        value *= SCALES[m["post_scale"]]
        high = high * SCALES[m["post_scale"]] if high is not None else None
    return value, high


def _split_surface(text: str, m: re.Match, end: int, dimension: str) -> tuple[str, str]:
    """`number_text` and `unit_text`, the two halves of the surface."""
    num, num2 = m["num"], m["num2"]
    last_num_start = m.start("num2") if num2 else m.start("num")
    if dimension in ("money", "area") and not (m["symbol"] and m["unit"] is None):
        # The scale belongs to the unit: 41万平方米 reads 41 | 万平方米 (but $3亿 reads $ | 3亿).
        number_end = last_num_start + len(split_scale(num2 or num)[0])
    else:
        number_end = m.end("num2") if num2 else m.end("num")
    unit_text = text[number_end:end]
    if m["inner"]:
        unit_text = unit_text.replace(m["inner"], "", 1)
    if m["pre"]:
        unit_text = m["pre"]
    elif m["symbol"] and m["unit"] is None:
        unit_text = m["symbol"]  # the unit written before the number
    # -500, 负5, -$200万: the sign as written
    number_start = m.start() if m["sign"] and not m["pre"] else m.start("num")
    return text[number_start:number_end], unit_text


def _qualifier(text: str, m: re.Match, end: int, qualifier_before, bare_scale_word, lex: Lexicon) -> str:
    if m["num2"]:
        return "range"
    if m["inner"]:
        return lex.qualifiers_inner[m["inner"]]
    if qualifier_before:
        return lex.qualifiers_before[qualifier_before.group()]
    if bare_scale_word:
        return lex.bare_scale_qualifiers[bare_scale_word]  # 上万人
    after_q = _context_patterns().qualifier_after.match(text, end)
    return lex.qualifiers_after[after_q.group()] if after_q else "exact"


def _text_after(text: str, end: int, after_end: int) -> str:
    """The clause text after the figure that may name what it counts, without qualifiers."""
    pat = _context_patterns()
    after = text[end:after_end]
    after_q = pat.qualifier_after.match(after)
    if after_q:
        after = after[after_q.end():]
    # …求职者|近万人: 近 is the next figure's
    last = pat.qualifier_before.search(after, max(0, len(after) - pat.qualifier_before_len))
    return after[: last.start()] + after[last.end():] if last else after


def _canonical(value: Decimal, factor: Fraction | int) -> float | None:
    """The value in the canonical unit, rounded once (183亩 is exactly 122000 m2); None
    when it is beyond a float (inf and nan never reach the table)."""
    try:
        result = float(value) if factor == 1 else float(Fraction(value) * factor)
    except OverflowError:
        return None
    return result if math.isfinite(result) else None


def _subunit_value(subunits: str) -> Decimal:
    """4角5分 → 0.45 (of the currency unit before it)."""
    subunit = load_lexicon().currency_subunits
    total = Fraction(0)
    for digit, word in _context_patterns().subunit.findall(subunits):
        total += int(parse_numeral(digit)) * subunit[word]
    return Decimal(total.numerator) / Decimal(total.denominator)


def _names_a_session_or_package(text: str, end: int, counter: str, lex: Lexicon) -> bool:
    """十四届全国人大, 八届七次全会: a session number; 四项工程, 30条特别措施: a package's name."""
    if counter in lex.session_counters and _context_patterns().session_after.match(text, end):
        return True
    return counter in lex.package_counters and text.startswith(lex.package_nouns, end)


def _no_money_after_number(text: str, num_end: int, lex: Lexicon) -> bool:
    """A number without a unit that reads as no amount of money: a further scale word it
    could not take (1万亿亿元: stacks beyond 万万 are refused), or a unit of another
    dimension after its scale (3600万千瓦, 3千瓦 read 3 | 千瓦)."""
    if text.startswith(SCALE_WORDS, num_end):
        return True
    return text.startswith(lex.other_dimension_units, num_end) or (
        num_end > 0 and text[num_end - 1] in SCALES and text.startswith(lex.other_dimension_units, num_end - 1))


def _is_exchange_rate(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """1欧元兑7.86元人民币: either side of 兑 and a number is a rate, not an amount."""
    if text.startswith(lex.exchange_rate_words, end) and _context_patterns().rate_after.match(text, end):
        return True
    return text.endswith(lex.exchange_rate_words, max(0, start - 2), start)


def clause_start_before(text: str, pos: int, floor: int, delimiters: str) -> int:
    """Just after the last of `delimiters` in text[floor:pos], else floor."""
    last = _delimiter(delimiters, reverse=True).search(text, floor, pos)
    return last.end() if last else floor


@cache
def _delimiter(delimiters: str, reverse: bool) -> regex.Pattern:
    """One of `delimiters`; `reverse` searches from the end of the range back (regex's
    (?r)), so the nearest delimiter before a figure costs as little as the nearest after."""
    return regex.compile(("(?r)" if reverse else "") + "[" + regex.escape(delimiters) + "]")


def _is_quoted_name(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Inside a short quoted phrase (“三个一批”, 《…》) the number is part of a name."""
    limit = lex.max_quoted_name
    window = text[max(0, start - limit) : start]
    open_at = max(map(window.rfind, _QUOTE_OPENERS))
    if open_at < 0 or any(c in window[open_at + 1 :] for c in "”》」"):
        return False
    tail = text[end : end + limit]
    return any(c in tail for c in "”》」") and not any(c in tail.split("”")[0] for c in "“《")


def _in_slogan(text: str, start: int, end: int) -> bool:
    """Inside or overlapping a slogan with numerals (三个一批, 五项制度)."""
    window = _context_patterns().slogan.finditer(text, max(0, start - 8), min(len(text), end + 8))
    return any(m.start() < end and m.end() > start for m in window)
