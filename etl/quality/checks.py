"""Consistency checks across the figures of one article.

Newspaper and government texts state numbers that must agree with each other: parts
add up to their total, a count matches the list it introduces, a stated rate matches
the ratio of the two figures beside it, a headline restates the body. Each rule below
is one pure function ``rule(view, cfg) -> list[Finding]`` over an `ArticleView` (the
article text, its sentences and the figures placed in it); `check_article` runs them
all and returns rows of the ``checks`` table (``schemas/checks.json``).

An alarm must be worth a reviewer's time (issue 14): a rule compares figures only on
evidence that they belong together (the extractor's `part_of`, one indicator, modality and
period, a whole the text names), and plausibility bounds depend on the scale a figure is
about (`etl.quality.scope`: a project, a company, a city, a province, the country).

Numbers are compared as intervals (`Span`): a figure stands for every value its
written precision and qualifier allow (8.5亿元 is 8.45–8.55亿; 约9亿元 is 8–10亿; 10多项
is 10–20). Intervals that meet pass; a small gap (``warn_share`` of the stated value)
warns; a larger one fails. Words and bounds live in ``etl/data/checks.toml``.
"""
from __future__ import annotations

import bisect
import math
import re
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from itertools import repeat
from importlib.resources import files
from typing import NamedTuple

import pandas as pd

from ..figures.lexicon import alternation
from ..figures.numerals import NEGATIVE_SIGNS, NumeralError, parse_numeral
from ..text.segment import split_sentences
from .scope import article_scale, figure_scale

__all__ = [
    "ARTICLE_COLUMNS", "CHECKS", "FIGURE_COLUMNS", "STATUSES", "ArticleView", "Finding", "Span", "as_text",
    "article_checks", "article_view", "check_article", "check_tables", "format_value", "load_config", "span_of",
    "written_step",
]

STATUSES = ("pass", "warn", "fail")


# --- configuration ----------------------------------------------------------------------------

@cache
def load_config() -> dict:
    """The tunables in etl/data/checks.toml (read once)."""
    return tomllib.loads(files("etl.data").joinpath("checks.toml").read_text("utf-8"))


def _words(words: Iterable[str]) -> re.Pattern:
    """A pattern matching any of `words`, longest first (分别为 before 分别).

    Compiled once per word list: the rules ask for the same few lists for every article.
    """
    return _compiled_alternation(tuple(words))


@cache
def _compiled_alternation(words: tuple[str, ...]) -> re.Pattern:
    # re rather than regex: the rules search short ranges (a sentence, the rest of one), where
    # a call to re costs about half as much.
    return re.compile(alternation(words))


# --- figures placed in their article ---------------------------------------------------------

class Fig(NamedTuple):
    """A figure row reduced to what the rules use; `start`/`end` index the article text.

    A named tuple rather than a frozen dataclass: one is built for every figure of every
    article, three times faster, and compares and hashes by its fields just the same.
    """

    id: str
    kind: str
    value: float
    value_high: float | None
    unit: str
    surface: str
    number_text: str
    counter: str
    qualifier: str
    metric: str
    subject: str
    start: int
    end: int
    sent: int  # index into ArticleView.sentences
    # The context of contract v3 (docs/figures.md): what is measured, which way, when, goal or
    # result, and the figure_id of the total the extractor found this figure a part of.
    indicator: str = ""
    relation: str = "level"
    modality: str = "actual"
    period: tuple[str, str] = ("", "")  # ISO start and end, "" where the text fixes none
    part_of: str = ""


@dataclass(frozen=True)
class ArticleView:
    """One article as the rules see it: text, sentence spans, figures in text order."""

    article_id: str
    doc_id: str
    text: str
    sentences: tuple[tuple[int, int], ...]
    figures: tuple[Fig, ...]
    headline_end: int  # figures starting before this offset are in the headline
    scale: str = "country"  # the scale the article speaks at (etl.quality.scope)
    #: What more than one rule derives from the view (the parts after 分别/其中), kept by the
    #: first rule that derives it for the others, keyed by what it depends on.
    shared: dict = field(default_factory=dict, compare=False, repr=False)
    #: Sentence index → its figures, for the sentences that have any, in text order. Grouped
    #: once: the rules ask for a sentence's figures many times, and most sentences have none.
    by_sentence: dict[int, tuple[Fig, ...]] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        groups: dict[int, list[Fig]] = {}
        for f in self.figures:  # in text order, so sentence indices come in ascending order
            groups.setdefault(f.sent, []).append(f)
        object.__setattr__(self, "by_sentence", {index: tuple(figs) for index, figs in groups.items()})

    def in_sentence(self, index: int) -> tuple[Fig, ...]:
        """The figures of sentence `index`, in text order."""
        return self.by_sentence.get(index, ())


#: The columns the checks read: of an article row, and of a figure row (with article_id,
#: by which `check_tables` groups figures). Only these are converted from DataFrames.
ARTICLE_COLUMNS = ("article_id", "doc_id", "text", "char_start", "headline")
FIGURE_COLUMNS = ("figure_id", "article_id", "kind", "value", "value_high", "unit", "surface",
                  "number_text", "counter", "qualifier", "metric", "subject", "char_start", "char_end",
                  "indicator", "relation", "modality", "period_start", "period_end", "part_of")


def _records(frame: pd.DataFrame, columns: Iterable[str]) -> list[dict]:
    """The rows of `frame` as dicts of those of `columns` it has.

    Column by column: `to_dict("records")` steps through arrow-backed columns value by
    value, several times slower; `tolist` gives the same Python values (NaN for null).
    """
    rows: list[dict] = [{} for _ in range(len(frame))]
    for name in columns:
        if name in frame.columns:  # filled a column at a time: no tuple per row and field
            for row, value in zip(rows, frame[name].tolist()):
                row[name] = value
    return rows


def article_view(article: Mapping, figures: Iterable[Mapping] | pd.DataFrame,
                 sentences: Iterable[tuple[int, int]] | None = None, cfg: dict | None = None) -> ArticleView:
    """Place figure rows (char offsets in the document's cleaned text) in the article's text.

    A figure whose span does not read as its surface in the article text is left out:
    the rules must not reason about a number they cannot locate. `sentences` are the
    sentence spans of the article text (offsets into it) when the caller has them, as
    `split_sentences(article["text"])` would give them; without them it is split here.
    """
    text, base = article["text"], int(article["char_start"])
    sentences = tuple(split_sentences(text) if sentences is None else sentences)
    starts = [s for s, _ in sentences]
    rows = _records(figures, FIGURE_COLUMNS) if isinstance(figures, pd.DataFrame) else figures
    placed = []
    for row in rows:
        start, end = int(row["char_start"]) - base, int(row["char_end"]) - base
        surface = row["surface"]
        if not (0 <= start < end <= len(text)) or text[start:end] != surface:
            continue
        high = row.get("value_high")
        placed.append(Fig(  # by position, in field order: keywords cost more, once per figure
            row["figure_id"], row["kind"], float(row["value"]),
            None if high is None or pd.isna(high) else float(high),  # value_high
            row["unit"], surface, row["number_text"],
            as_text(row.get("counter")), as_text(row.get("qualifier")) or "exact",
            as_text(row.get("metric")), as_text(row.get("subject")),
            start, end, max(bisect.bisect_right(starts, start) - 1, 0),  # sent
            as_text(row.get("indicator")), as_text(row.get("relation")) or "level",
            as_text(row.get("modality")) or "actual",
            (_iso(row.get("period_start")), _iso(row.get("period_end"))), as_text(row.get("part_of")),
        ))
    placed.sort(key=lambda f: (f.start, f.end))
    return ArticleView(article["article_id"], article["doc_id"], text, sentences, tuple(placed),
                       _headline_end(text, as_text(article.get("headline"))),
                       article_scale(text, (cfg or load_config())["scale"]))


def _iso(value) -> str:
    """A period bound as an ISO date string ("" for none): a date, a Timestamp or text."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return value if isinstance(value, str) else value.isoformat()[:10]


def as_text(value) -> str:
    """A nullable string column's value as text: pandas gives None or NaN for null."""
    return value if isinstance(value, str) else ""


def _headline_end(text: str, headline: str) -> int:
    """End of the headline lines at the top of the text (the headline joins them with spaces)."""
    pos = 0
    for part in headline.split():
        found = text.find(part, pos)
        if found < 0:
            return 0
        pos = found + len(part)
    return pos


# --- numbers as intervals --------------------------------------------------------------------

@dataclass(frozen=True)
class Span:
    """The closed interval of values a written figure allows."""

    lo: float
    hi: float

    @staticmethod
    def total(spans: Iterable[Span]) -> Span:
        """The sum of independently rounded figures: centres add, half-widths add in
        quadrature, since roundings of several parts rarely all go the same way (parts
        73亿 against a total of 75亿 would pass if they all did)."""
        spans = list(spans)
        centre = sum((s.lo + s.hi) / 2 for s in spans)
        half = math.sqrt(sum(s.half_width ** 2 for s in spans))
        return Span(centre - half, centre + half)

    def ratio_percent(self, other: Span) -> Span:
        """self / other in percent, over every pair of values the two allow."""
        if other.lo <= 0:
            return Span(float("-inf"), float("inf"))
        return Span(100 * self.lo / other.hi, 100 * self.hi / other.lo)

    @property
    def half_width(self) -> float:
        return (self.hi - self.lo) / 2


_ARABIC = re.compile(r"[0-9][0-9,]*(?:\.([0-9]+))?")


def _last_digit_step(number: Decimal) -> Decimal:
    """Place of the last non-zero digit: 两千三百万 → 1e6, 12.6 → 0.1, 10 → 10."""
    return Decimal(1).scaleb(number.normalize().as_tuple().exponent)


@lru_cache(maxsize=1 << 14)
def _numeral_steps(number_text: str) -> tuple[float, float, float] | None:
    """(value, step of the last written digit, step of the last non-zero digit) of a
    numeral, in its own units; None when it cannot be read (ranges like 3至5, or 0).

    Arabic digits keep their trailing zeros (20 is written to 1), Chinese numerals have
    none to keep (两千三百万 is written to 百万); a scale word after the digits multiplies
    the step (1.5万 → 1000). Cached: the rules ask for the same figures' spans repeatedly,
    and the same numerals recur across articles.
    """
    for sign in NEGATIVE_SIGNS:  # a signed change (增减-2.10%) is written to the same step
        number_text = number_text.removeprefix(sign)
    try:
        number = parse_numeral(number_text)
    except NumeralError:  # ranges (3至5) and anything the numeral reader does not take
        return None
    if not number:
        return None
    significant = _last_digit_step(number)
    written = significant
    runs = list(_ARABIC.finditer(number_text))
    if runs:
        last, tail = runs[-1], number_text[runs[-1].end():]
        try:
            written = Decimal(1).scaleb(-len(last.group(1) or "")) * (parse_numeral("1" + tail) if tail else 1)
        except NumeralError:
            pass
    return float(number), float(written), float(significant)


def written_step(fig: Fig) -> float:
    """One step of the last written digit, in the figure's canonical unit (1.5万人 → 1000
    people; 20亿元 → 1亿元). 0 when the numeral cannot be read."""
    steps = _numeral_steps(fig.number_text)
    return 0.0 if steps is None else abs(steps[1] * fig.value / steps[0])  # abs: a loss (-3.2亿元)


def span_of(fig: Fig, cfg: dict | None = None) -> Span:
    """The values `fig` allows given its written precision and qualifier."""
    cfg = cfg or load_config()
    v, half = fig.value, written_step(fig) / 2
    steps = _numeral_steps(fig.number_text)
    significant = abs(steps[2] * v / steps[0]) if steps else 0.0
    loose = max(significant, cfg["tolerance"]["loose_share"] * abs(v))
    match fig.qualifier:
        case "range":
            return Span(v - half, (fig.value_high or v) + half)
        case "approx":
            return Span(v - loose, v + loose)
        case "over":
            return Span(v, v + loose)
        case "under":
            return Span(v - loose, v)
    return Span(v - half, v + half)


def _gap(a: Span, b: Span) -> float:
    return max(a.lo - b.hi, b.lo - a.hi, 0.0)


def _status(stated: float, gap: float, cfg: dict) -> str:
    if gap <= 0:
        return "pass"
    return "warn" if gap <= cfg["tolerance"]["warn_share"] * abs(stated) else "fail"


def compare(stated: Fig, observed: Span, cfg: dict) -> tuple[str, float]:
    """Status of `observed` against the stated figure, and the tolerance that applied."""
    expected = span_of(stated, cfg)
    return _status(stated.value, _gap(expected, observed), cfg), expected.half_width + observed.half_width


# --- findings --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """One outcome of a rule: becomes a row of the checks table."""

    rule: str
    status: str
    figures: tuple[Fig, ...]
    message: str
    expected: float | None = None
    observed: float | None = None
    tolerance: float | None = None
    unit: str = ""


def _same_metric(a: str, b: str) -> bool:
    """Two labels name the same measure: equal, or one ends with the other (重大项目 / 项目)."""
    short, long = sorted((a, b), key=len)
    return bool(short) and (short == long or (len(short) >= 2 and long.endswith(short)))


def _metric_fits(a: str, b: str) -> bool:
    """Compatible, or one of them unknown (parts often carry no label of their own)."""
    return not a or not b or _same_metric(a, b)


def _per_unit(fig: Fig, cfg: dict) -> bool:
    """An amount per person, share or unit (人均, 每股): small by nature, and never a part."""
    return any(w in fig.metric or w in fig.indicator for w in cfg["per_unit"]["words"])


def _same_subject(a: Fig, b: Fig) -> bool:
    return not a.subject or not b.subject or a.subject == b.subject


def format_value(value: float, unit: str, digits: int = 6) -> str:
    """A number as a reviewer reads it, to `digits` significant digits: 19亿元, 63.06%, 17."""
    def num(x: float) -> str:  # never 1e+03: whole numbers past `digits` are written out
        return f"{x:,.0f}" if abs(x) >= 10**digits else f"{x:,.{digits}g}"

    if unit == "CNY":
        for factor, word in ((1e8, "亿元"), (1e4, "万元")):
            if abs(value) >= factor:
                return f"{num(value / factor)}{word}"
        return f"{num(value)}元"
    if unit == "m2":
        return f"{num(value / 1e4)}万平方米" if abs(value) >= 1e4 else f"{num(value)}平方米"
    suffix = {"percent": "%", "pp": "个百分点", "count": ""}.get(unit, f" {unit}")
    return f"{num(value)}{suffix}"


def _parts_groups(view: ArticleView, cfg: dict) -> list[tuple[str, int, list[Fig]]]:
    """(kind of marker, marker offset, parts) for every 分别/其中 followed by figures.

    The parts are the figures after the marker, up to the next marker in the sentence,
    in the unit of the first of them (money of any kind: a bare 8.5亿元 is `money`, its
    total `investment`); only levels add up (not percents, changes such as 减少12万公顷,
    or per-unit amounts such as 人均可支配收入). parts_and_total and restatement both
    need them: found once per view (and words).
    """
    words = cfg["parts"]
    key = ("parts", tuple(words["exhaustive"]), tuple(words["subset"]), tuple(words["sum_words"]),
           tuple(cfg["per_unit"]["words"]))
    if key not in view.shared:
        view.shared[key] = _find_parts_groups(view, cfg)
    return view.shared[key]


def _find_parts_groups(view: ArticleView, cfg: dict) -> list[tuple[str, int, list[Fig]]]:
    words = cfg["parts"]
    exhaustive = set(words["exhaustive"])
    pattern = _words([*words["exhaustive"], *words["subset"]])
    sums = _words(words["sum_words"])
    groups = []
    for index, in_sentence in view.by_sentence.items():  # no figures, no parts
        s, e = view.sentences[index]
        matches = list(pattern.finditer(view.text, s, e))
        for m, following in zip(matches, [*matches[1:], None]):
            stop = following.start() if following else e
            total_word = sums.search(view.text, m.end(), stop)
            stop = total_word.start() if total_word else stop
            after = [f for f in in_sentence if m.end() <= f.start and f.end <= stop and _additive(f, cfg)]
            after = [f for f, before in zip(after, [None, *after]) if not _restated_in_brackets(view, f, before, cfg)]
            if after:
                parts = [f for f in after if f.unit == after[0].unit]
                groups.append(("exhaustive" if m.group() in exhaustive else "subset", m.start(), parts))
    return groups


def _restated_in_brackets(view: ArticleView, fig: Fig, before: Fig | None, cfg: dict) -> bool:
    """`fig` restates the figure right before it in brackets (住宅用地63.2公顷（约948亩）): the
    same amount in another unit, not one more part."""
    if before is None:
        return False
    gap = view.text[before.end:fig.start]
    return gap[:1] in cfg["parts"]["restated_open"] and gap[1:] in ("", *cfg["parts"]["restated_words"])


# --- the rules -------------------------------------------------------------------------------

def parts_and_total(view: ArticleView, cfg: dict) -> list[Finding]:
    """A total followed by its parts (分别为 …: they sum to it; 其中 …: they do not exceed it).

    Only where there is evidence the parts are that total's: the extractor linked them to it
    (`part_of`), or they measure the same thing (indicators with one head word, 工业投资 of
    固定资产投资), at the same modality, within its period. Parts after 分别 sum to the total
    only when the list is the total's own enumeration (`_own_enumeration`); otherwise they
    must only not exceed it (全区完成投资100亿元，工业和服务业投资分别为40亿元、55亿元).
    """
    findings = []
    for mode, marker, parts in _parts_groups(view, cfg):
        if mode == "exhaustive" and len(parts) < 2:
            continue
        count = _count_before(view, parts[0].sent, marker)
        total = _linked_total(view, parts) or _total_for(view, marker, parts, count, cfg)
        if total is None or _threshold(view, total, cfg) or not all(_belongs(p, total) for p in parts):
            continue
        if mode == "exhaustive" and not _own_enumeration(view, marker, parts, total, count):
            mode = "subset"
        findings.append(_parts_finding(mode, total, parts, count, cfg))
    return findings


def _threshold(view: ArticleView, fig: Fig, cfg: dict) -> bool:
    """`fig` is a bound that qualifies a noun (投资额超10亿元的项目4个), not a total of parts."""
    after = view.text[fig.end:fig.end + 4]
    return fig.qualifier in ("over", "under") and after.startswith(tuple(cfg["parts"]["threshold_follow"]))


def _parts_finding(mode: str, total: Fig, parts: list[Fig], count: Fig | None, cfg: dict) -> Finding:
    observed = Span.total(span_of(p, cfg) for p in parts)
    status, tolerance = compare(total, observed, cfg)
    if mode == "subset":  # a share: only going over the total is wrong, by any margin
        status = _status(total.value, max(observed.lo - span_of(total, cfg).hi, 0.0), cfg)
        tolerance = None
    summed = sum(p.value for p in parts)
    relation = (f"its {len(parts)} parts sum to" if mode == "exhaustive"
                else f"its part{'s' if len(parts) > 1 else ''} come{'' if len(parts) > 1 else 's'} to")
    message = (f"{total.indicator or total.metric or 'total'} {total.surface}, but {relation} "
               f"{format_value(summed, total.unit)} ({' + '.join(p.surface for p in parts)})")
    if status == "pass":
        message = message.replace(", but ", ", and ")
    elif mode == "subset":
        message += ", more than the total"
    announced = count is not None and count is not total and parts[0].kind != "count"
    if mode == "exhaustive" and announced and round(count.value) != len(parts):
        status = "fail" if status == "fail" else "warn"
        message += f"; {count.surface} announced but {len(parts)} parts carry a figure"
    return Finding("parts_and_total", status, (total, *parts), message,
                   total.value, summed, tolerance, total.unit)


def _additive(f: Fig, cfg: dict) -> bool:
    """A level that adds up: not a rate, a change (增加35万公顷) or a per-unit amount."""
    return f.relation == "level" and f.unit not in ("percent", "pp") and not _per_unit(f, cfg)


def _linked_total(view: ArticleView, parts: list[Fig]) -> Fig | None:
    """The total the extractor linked one of the parts to (`part_of`), if it comes before them."""
    wanted = {p.part_of for p in parts} - {""}
    return next((f for f in view.figures if f.id in wanted and f.end <= parts[0].start), None)


def _belongs(part: Fig, total: Fig) -> bool:
    """Evidence that `part` is a part of `total`: the extractor linked them, or both measure one
    thing (indicators sharing a head word of two or more characters, or one unnamed), both
    results or both goals, the part's period within the total's."""
    if part.part_of == total.id:
        return True
    return (part.modality == total.modality and _period_within(part.period, total.period)
            and _indicators_fit(part.indicator or part.metric, total.indicator or total.metric))


def _indicators_fit(a: str, b: str) -> bool:
    """One of them unnamed, or both end with the same word of two or more characters
    (稻谷种植面积 / 粮食种植面积; 城镇常住人口 / 人口)."""
    return not a or not b or (len(a) >= 2 and len(b) >= 2 and a[-2:] == b[-2:])


def _period_within(inner: tuple[str, str], outer: tuple[str, str]) -> bool:
    """`inner` lies within `outer`, as far as both are known (ISO dates compare as text)."""
    (s1, e1), (s2, e2) = inner, outer
    return (not s1 or not s2 or s1 >= s2) and (not e1 or not e2 or e1 <= e2)


def _own_enumeration(view: ArticleView, marker: int, parts: list[Fig], total: Fig, count: Fig | None) -> bool:
    """The parts after 分别 are the whole of `total`: the extractor found they sum to it, the
    total follows them (…，合计63亿元), a count announces them (项目共4个，分别为), or nothing but
    punctuation stands between the total and 分别 (总投资25亿元，分别为…)."""
    if any(p.part_of == total.id for p in parts) or total.start > parts[-1].start or count is not None:
        return True
    return not view.text[total.end:marker].strip("，,：:；; ")


def _count_before(view: ArticleView, sent: int, pos: int) -> Fig | None:
    """The last count in sentence `sent` before offset `pos` (项目共4个，…分别为), unless it is an
    item of a list of counts (工业项目9个、民生项目3个，总投资分别为…: no count announces the parts)."""
    counts = [f for f in view.in_sentence(sent) if f.kind == "count" and f.end <= pos]
    if not counts:
        return None
    last, marks = counts[-1], load_config()["clause"]["marks"]
    listed = any((gap := view.text[f.end:last.start]).count("、") == 1 and not any(m in gap for m in marks)
                 for f in counts[:-1])
    return None if listed else last


def _total_for(view: ArticleView, marker: int, parts: list[Fig], count: Fig | None,
               cfg: dict) -> Fig | None:
    """The figure the parts break down, looked for in this order:

    1. right after the parts, behind a sum word (…、28亿元，合计63亿元);
    2. before the marker in its sentence (总投资19亿元，分别为 …), the nearest with a matching
       label, else the nearest;
    3. when the marker opens its sentence (其中，…), the last such figure of the sentence before;
    4. when a count comes before the marker (项目共4个，分别为 …), the figure with a matching
       label after the same count of the same things in an earlier sentence
       (四个制造业类项目集中开工，总投资19亿元).
    """
    unit, metric, sent = parts[0].unit, parts[0].metric, parts[0].sent

    def same(index: int) -> list[Fig]:
        """Candidates in sentence `index`: levels of the parts' unit, not a part."""
        return [f for f in view.in_sentence(index) if f.unit == unit and f not in parts and _additive(f, cfg)]

    sum_word = _words(cfg["parts"]["sum_words"]).search(
        view.text, parts[-1].end, view.sentences[sent][1])
    after = [f for f in same(sent) if sum_word and f.start >= sum_word.end()]
    if after:
        return after[0]
    before = [f for f in same(sent) if f.end <= marker]
    if before:
        fitting = [f for f in before if _metric_fits(f.metric, metric)]
        return (fitting or before)[-1]
    if sent > 0 and not view.text[view.sentences[sent][0]:marker].strip("，,：: "):
        previous = same(sent - 1)
        if previous:
            return previous[-1]
    if count is None:
        return None
    for earlier in range(sent - 1, -1, -1):
        for c in view.in_sentence(earlier):
            if c.kind == "count" and c.value == count.value and _metric_fits(c.metric, count.metric):
                after = [f for f in same(earlier) if f.start > c.end
                         and f.metric and _metric_fits(f.metric, metric)]
                if after:
                    return after[0]
    return None


def count_and_enumeration(view: ArticleView, cfg: dict) -> list[Finding]:
    """A count and the list of what it counts agree (共4个，分别为A、B、C以及D; A、B等17个项目)."""
    words = cfg["enumeration"]
    marker = _words(words["markers"])
    findings = []
    counts = [f for f in view.figures if f.kind == "count"]
    for fig in counts:
        s, e = view.sentences[fig.sent]
        listed = _list_before(view, fig, s, words) or (
            _list_after(view, fig, marker, e, words) if fig.value <= words["max_count"] else None)
        if listed is None:
            continue
        items, ambiguous, open_end = listed
        allowed = span_of(fig, cfg)
        if open_end:
            allowed = Span(0, allowed.hi)
        status = "pass" if allowed.lo <= items <= allowed.hi else "fail"
        note = ""
        if status == "fail" and ambiguous and allowed.lo <= items - 1 <= allowed.hi:
            status, note = "warn", f" (or {items - 1}, if {ambiguous} joins words inside one name)"
        message = (f"{fig.surface} {fig.metric}; {items} items listed{note}"
                   + (" before 等 (the list may be partial)" if open_end else ""))
        findings.append(Finding("count_and_enumeration", status, (fig,), message, fig.value,
                                float(items), None if open_end else allowed.half_width, "count"))
    return findings


def _items(chunk: str, words: dict) -> tuple[int, str]:
    """Items in a list written A、B、C以及D, and the conjunction that was counted as a separator."""
    pieces = chunk.split("、")
    conj = _words(words["conjunctions"]).search(pieces[-1])
    if conj and conj.start() > 0 and conj.end() < len(pieces[-1]):
        return len(pieces) + 1, conj.group()
    return len(pieces), ""


def _open_end(chunk: str, words: dict) -> tuple[str, bool]:
    """A list without its closing 等, and whether it had one (the list may be partial)."""
    open_end = chunk.endswith(tuple(words["open_end"]))
    for w in words["open_end"]:
        chunk = chunk.removesuffix(w)
    return chunk, open_end


def _list_after(view, fig, marker, sentence_end, words):
    """The list a marker opens after the count, if no other figure comes between them
    (项目共4个，全部为制造业类项目，分别为A、B、C以及D)."""
    m = marker.search(view.text, fig.end, sentence_end)
    # Figures between the count and the marker lie in the count's sentence.
    if not m or any(fig.end <= f.start < m.start() for f in view.in_sentence(fig.sent)):
        return None
    end = _words(words["list_end"]).search(view.text, m.end(), sentence_end)
    stop = end.start() if end else sentence_end
    chunk, open_end = _open_end(view.text[m.end():stop], words)
    if _names_groups(chunk, words) or _only_figures(view, m.end(), stop, fig.sent, words):
        return None
    items, ambiguous = _items(chunk, words)
    open_end = open_end or m.group() in words["partial_markers"]
    return (items, ambiguous, open_end) if items >= 2 and all(chunk.split("、")) else None


def _only_figures(view: ArticleView, start: int, stop: int, sent: int, words: dict) -> bool:
    """The list from `start` to `stop` is nothing but figures (分别为102.4亿元、41.6亿元和19.8亿元):
    amounts of what was counted, not its names (分别为总投资5亿元的农机装备项目、… names them)."""
    inside = [f for f in view.in_sentence(sent) if start <= f.start and f.end <= stop]
    if not inside:
        return False
    rest, at = [], start
    for f in inside:
        rest.append(view.text[at:f.start])
        at = f.end
    rest.append(view.text[at:stop])
    leftover = _words([*words["conjunctions"], "、"]).sub("", "".join(rest))
    return not leftover.strip()


def _names_groups(chunk: str, words: dict) -> bool:
    """The list ends with a count of its own (新能源、新材料两大领域): it names groups."""
    tail = re.search(r"[0-9两一二三四五六七八九十]+(?:" + alternation(words["group_words"]) + ")", chunk[-8:])
    return tail is not None


def _list_before(view, fig, sentence_start, words):
    """A list written right before the count (A、B等17个项目; 甲、乙、丙3名书记).

    Without 等 the counted noun must follow the number, so 省、市、区级重点项目共71个 (the
    list qualifies the noun, the noun comes first) is not taken for a list of 71.
    """
    if view.text.find("、", sentence_start, fig.start) < 0:  # no list: most counts
        return None
    head = view.text[sentence_start:fig.start]
    cut = max(map(head.rfind, words["clause_start"]))
    clause = head[cut + 1:]
    if "、" not in clause:  # the 、 are in an earlier clause
        return None
    chunk, open_end = _open_end(clause, words)
    noun_follows = bool(fig.metric) and view.text.startswith(fig.metric, fig.end)
    if "、" not in chunk or not all(chunk.split("、")) or not (open_end or noun_follows):
        return None
    # A figure inside the list's clause lies in the count's sentence.
    if any(sentence_start + cut < f.start < fig.start for f in view.in_sentence(fig.sent)):
        return None
    items, ambiguous = _items(chunk, words)
    return items, ambiguous, open_end


def stated_rate(view: ArticleView, cfg: dict) -> list[Finding]:
    """A rate stated after two figures of one unit equals their ratio (完成投资 / 计划投资).

    Only a level or a share (not a change: 增长12.5%), and only when the two figures are
    its own (`_rate_pair`): a rate is not compared with two unrelated figures before it.
    """
    rates = cfg["rates"]
    findings = []
    for rate in view.figures:
        if (rate.unit != "percent" or rate.relation not in ("level", "share")
                or not rate.metric.endswith(tuple(rates["metric_ends"]))
                or rate.metric.endswith(tuple(rates["excluded"]))):
            continue
        pair = _rate_pair(view, rate, cfg)
        if pair is None:
            continue
        earlier, later = pair
        # The text may name the part first (完成151亿元，占计划240亿元的63%) or the whole first,
        # or name the whole after 占 (占营业收入的比重): then it is that one.
        name = _named_whole(view, later, rate, cfg)
        options = [(a, b) for a, b in ((later, earlier), (earlier, later)) if _whole_fits(b, name)]
        if not options and (whole := _earlier_whole(view, later, name, cfg)) is not None:
            options = [(later, whole)]  # 营业收入58.42亿元。… 海外业务收入21.36亿元，占营业收入的比重为36.6%
        if not options:
            continue
        results = [(compare(rate, span_of(a, cfg).ratio_percent(span_of(b, cfg)), cfg), a, b)
                   for a, b in options]
        (status, tolerance), part, whole = min(results, key=lambda r: STATUSES.index(r[0][0]))
        ratio = 100 * part.value / whole.value
        verb = "matches" if status == "pass" else "but"
        findings.append(Finding(
            "stated_rate", status, (earlier, later, rate),
            f"{rate.metric} {rate.surface} {verb} {part.surface} / {whole.surface} = {ratio:.4g}%",
            rate.value, ratio, tolerance, "percent"))
    return findings


def _rate_pair(view: ArticleView, rate: Fig, cfg: dict) -> tuple[Fig, Fig] | None:
    """The last two levels of one unit before `rate` in its sentence, if they are its own:
    one is linked to the other as its part, or they measure one thing (计划投资, 完成投资), or
    the rate's word names one of them (开工率 after 已开工96万平方米)."""
    before = [f for f in view.in_sentence(rate.sent) if f.end <= rate.start and _additive(f, cfg)]
    if not before:
        return None
    pair = [f for f in before if f.unit == before[-1].unit][-2:]
    if len(pair) < 2:
        return None
    earlier, later = pair
    stem = rate.metric
    for end in sorted(cfg["rates"]["metric_ends"], key=len, reverse=True):
        stem = stem.removesuffix(end)
    named = len(stem) >= 2 and any(stem[-2:] in f.indicator + f.metric for f in pair)
    linked = later.part_of == earlier.id or earlier.part_of == later.id
    if linked or named or (earlier.indicator and later.indicator
                           and _indicators_fit(earlier.indicator, later.indicator)):
        return earlier, later
    return None


def _named_whole(view: ArticleView, later: Fig, rate: Fig, cfg: dict) -> str:
    """The whole a share names between its figures and itself (…，占营业收入的比重为27.5%:
    营业收入), "" when it names none."""
    between = view.text[later.end:rate.start]
    for word in cfg["rates"]["whole_markers"]:
        at = between.rfind(word)
        if at >= 0:
            name = between[at + len(word):]
            ends = [i for i in (name.find(w) for w in cfg["rates"]["whole_ends"]) if i >= 0]
            return name[:min(ends)] if ends else name
    return ""


def _earlier_whole(view: ArticleView, part: Fig, name: str, cfg: dict) -> Fig | None:
    """The whole a share names (占营业收入的比重) stated before the part's sentence: the latest
    earlier level of the part's unit, modality and period whose label is that name."""
    if len(name) < 2:
        return None
    for f in reversed(view.figures):
        if (f.start < view.sentences[part.sent][0] and f.unit == part.unit and _additive(f, cfg)
                and (f.indicator or f.metric) == name and f.modality == part.modality
                and _periods_agree(f, part)):
            return f if f.value > part.value else None
    return None


def _whole_fits(whole: Fig, name: str) -> bool:
    """`whole` may be the whole a share names: no name, or the name ends with what the figure
    measures or the other way round (营业收入 / 营业收入; 全国就业人员 / 就业人员)."""
    label = whole.indicator or whole.metric
    return not name or (bool(label) and (name.endswith(label) or label.endswith(name)))


def stated_growth(view: ArticleView, cfg: dict) -> list[Finding]:
    """A stated change in percent agrees with the two levels of its sentence it compares:
    the current one and the base the text introduces (上年同期为62.4亿元)."""
    findings = []
    for rate in view.figures:
        if rate.unit != "percent" or rate.relation not in ("increase", "decrease"):
            continue
        if any(w in rate.metric or w in rate.indicator for w in cfg["growth"]["averaged"]):
            continue
        pair = _growth_levels(view, rate, cfg)
        if pair is None:
            continue
        current, base = pair
        ratio = span_of(current, cfg).ratio_percent(span_of(base, cfg))
        observed = (Span(ratio.lo - 100, ratio.hi - 100) if rate.relation == "increase"
                    else Span(100 - ratio.hi, 100 - ratio.lo))
        status, tolerance = compare(rate, observed, cfg)
        change = (100 * current.value / base.value - 100) * (1 if rate.relation == "increase" else -1)
        verb = "matches" if status == "pass" else "but"
        findings.append(Finding(
            "stated_growth", status, (current, base, rate),
            f"stated {rate.relation} {rate.surface} {verb} {current.surface} against {base.surface} "
            f"is a change of {100 * current.value / base.value - 100:+.4g}%", rate.value, change, tolerance, "percent"))
    return findings


def _growth_levels(view: ArticleView, rate: Fig, cfg: dict) -> tuple[Fig, Fig] | None:
    """(current, base): the last level before `rate` in its sentence that a base word
    introduces and the level of its unit just before that word, or two levels written 由 the
    base 增至 the current; None if there are not both."""
    levels = [f for f in view.in_sentence(rate.sent) if f.end <= rate.start and _additive(f, cfg)]
    growth = cfg["growth"]
    base_words, to_words = _words(growth["base_words"]), _words(growth["to_words"])
    for i in range(len(levels) - 1, 0, -1):
        first, second = levels[i - 1], levels[i]
        if second.unit != first.unit:
            continue
        gap = view.text[first.end:second.start]
        if base_words.search(gap) and second.value > 0:
            return first, second
        if to_words.search(gap) and _clause_has(view, first, tuple(growth["from_words"])) and first.value > 0:
            return second, first  # 由 the base 增至 the current level
    return None


def restatement(view: ArticleView, cfg: dict) -> list[Finding]:
    """The same metric of the same subject, stated twice, agrees.

    Two kinds of restatement: a headline figure and the body figures with its label; and
    two body figures with one label that each follow the same count of the same things
    (17个重大项目…总投资76.6亿元 / 等17个项目，总投资76.6亿元). Parts after 分别/其中 speak of
    one item, not of the whole, and are never taken for restatements.
    """
    parts = {p.id for _, _, group in _parts_groups(view, cfg) for p in group}
    body = [f for f in view.figures if f.start >= view.headline_end and f.id not in parts]
    findings, covered = [], set()
    for head in (f for f in view.figures if f.start < view.headline_end):
        same = [b for b in body if _restates(head, b)]
        if not same:
            continue
        agreeing = [b for b in same if compare(head, span_of(b, cfg), cfg)[0] == "pass"]
        # a body figure that disagrees is left to the pairs below when another one agrees:
        # it may restate that one wrongly (总投资163.8亿元 … 此次开工的28个项目总投资168.3亿元)
        covered.update(b.id for b in agreeing or same)
        shown = agreeing or [min(same, key=lambda b: abs(b.value - head.value))]
        status, tolerance = compare(head, span_of(shown[0], cfg), cfg)
        if not agreeing and len(same) > 1:
            status = "warn"  # several candidates, none equal: the body may speak of something else
        verb = "restated as" if agreeing else "but the body says"
        findings.append(Finding(
            "restatement", status, (head, *shown),
            f"headline {head.metric} {head.surface}, {verb} {', '.join(b.surface for b in shown)}"
            + ("" if agreeing or len(same) == 1 else f" (closest of {len(same)})"),
            head.value, shown[0].value, tolerance, head.unit))
    anchored = [(c, f) for f in body if f.kind != "count"
                for c in [_count_before(view, f.sent, f.start)] if c is not None and c.id not in parts]
    for (c1, f1), (c2, f2) in _restated_pairs(anchored, cfg["limits"]["restatement_lookback"]):
        if f1.id in covered and f2.id in covered:  # both judged against the headline already
            continue
        status, tolerance = compare(f1, span_of(f2, cfg), cfg)
        status = "warn" if status == "fail" else status  # a later period may reuse the count
        findings.append(Finding(
            "restatement", status, (c1, f1, c2, f2),
            f"{c1.surface}{c1.metric} {f1.metric} {f1.surface}, stated again as {f2.surface}",
            f1.value, f2.value, tolerance, f1.unit))
    return findings


def _restated_pairs(anchored: list[tuple[Fig, Fig]], lookback: int) -> Iterable[tuple]:
    """Each (count, figure) with the nearest earlier one it restates, if any.

    Once per figure, against the latest statement only, and only among the last `lookback`
    figures of its count and unit: every pair of a list of 2,000 projects, each 新建厂房3栋，
    总投资…, was a row (quadratic in figures, almost all of them false warnings).
    """
    earlier: dict[tuple, list[tuple[Fig, Fig]]] = {}
    for c2, f2 in anchored:
        seen = earlier.setdefault((c2.value, f2.unit), [])
        for c1, f1 in reversed(seen[-lookback:]):
            if f1.sent != f2.sent and _same_metric(c1.metric, c2.metric) and _restates(f1, f2):
                yield (c1, f1), (c2, f2)
                break
        seen.append((c2, f2))


def _restates(a: Fig, b: Fig) -> bool:
    """`b` may say `a` again: one unit, metric and subject, and a target is never the result
    (计划投资20亿元 / 完成投资18亿元), nor one year's level another's."""
    return (a.unit == b.unit and _same_metric(a.metric, b.metric) and _same_subject(a, b)
            and a.modality == b.modality and a.relation == b.relation and _periods_agree(a, b))


def _periods_agree(a: Fig, b: Fig) -> bool:
    """No end of the two periods contradicts the other's (an unknown end agrees with any)."""
    return all(not x or not y or x == y for x, y in zip(a.period, b.period))


def plausibility(view: ArticleView, cfg: dict) -> list[Finding]:
    """Values out of bounds for their kind, metric and the scale they are about (shares over
    100%, a project's investment of 3.5元, a city's area beyond any city's).

    Rules are in checks.toml, first match wins; only warnings and failures make rows.
    """
    findings = []
    by_kind = _plausibility_rules(cfg)
    for fig in view.figures:
        scale = _scale_of(view, fig, cfg)
        per_unit = _per_unit(fig, cfg) or _clause_has(view, fig, tuple(cfg["per_unit"]["words"]))  # 每股0.12元
        rule = _first_match(by_kind.get(fig.kind, by_kind[None]), view, fig, scale, per_unit)
        if rule is None:
            continue
        for status, side, limit in rule.bounds:
            if fig.value > limit if side == "above" else abs(fig.value) < limit:
                findings.append(Finding(
                    "plausibility", status, (fig,),
                    f"{fig.indicator or fig.metric or fig.kind} {fig.surface} ({scale} scale) is {side} "
                    f"{format_value(limit, fig.unit)}: {rule.why}",
                    limit, fig.value, None, fig.unit))
                break
    return findings


def _scale_of(view: ArticleView, fig: Fig, cfg: dict) -> str:
    """The scale `fig` is about (etl.quality.scope), from its sentence, labels and article."""
    # at most `window` characters back: a sentence may be a whole 5 MB line (benchmarks/hostile.py)
    before = view.text[max(view.sentences[fig.sent][0], fig.start - cfg["scale"]["window"]):fig.start]
    return figure_scale(before, fig.subject + fig.metric + fig.indicator, view.scale, cfg["scale"])


class _Plausible(NamedTuple):
    """A plausibility rule of checks.toml ready to test: each filter as a tuple of words
    (None when the rule has no such filter), each bound as (status, side, limit)."""

    kinds: tuple[str, ...] | None
    units: tuple[str, ...] | None
    counters: tuple[str, ...] | None
    scales: tuple[str, ...] | None
    metric_ends: tuple[str, ...] | None
    metric_has: tuple[str, ...] | None
    subject_ends: tuple[str, ...] | None
    relations: tuple[str, ...] | None
    clause_has: tuple[str, ...] | None  # words in the figure's clause before it (占 of a share)
    skip_per_unit: bool
    bounds: tuple[tuple[str, str, float], ...]  # in the order they are tried: failures first
    why: str


_FILTERS = ("kinds", "units", "counters", "scales", "metric_ends", "metric_has", "subject_ends", "relations",
            "clause_has")
_BOUNDS = (("fail", "fail_above", "above"), ("fail", "fail_below", "below"),
           ("warn", "warn_above", "above"), ("warn", "warn_below", "below"))


def _plausibility_rules(cfg: dict) -> dict[str | None, tuple[_Plausible, ...]]:
    """The plausibility rules in checks.toml order, by the kind they may apply to (None: a
    kind no rule names). Every figure is tested against them: they are prepared once for the
    packaged config (the one every run uses), per call for any other."""
    if cfg is load_config():
        return _packaged_plausibility_rules()
    return _prepare_plausibility(cfg["plausibility"])


@cache
def _packaged_plausibility_rules() -> dict[str | None, tuple[_Plausible, ...]]:
    return _prepare_plausibility(load_config()["plausibility"])


def _prepare_plausibility(table: dict) -> dict[str | None, tuple[_Plausible, ...]]:
    rules = [_Plausible(*(tuple(r[k]) if k in r else None for k in _FILTERS), r.get("skip_per_unit", False),
                        tuple((status, side, float(r[key])) for status, key, side in _BOUNDS if key in r),
                        r["why"])
             for r in table.values()]
    kinds = {kind for r in rules for kind in r.kinds or ()}
    by_kind: dict[str | None, tuple[_Plausible, ...]] = {
        kind: tuple(r for r in rules if r.kinds is None or kind in r.kinds) for kind in kinds}
    by_kind[None] = tuple(r for r in rules if r.kinds is None)
    return by_kind


def _first_match(rules: Iterable[_Plausible], view: ArticleView, fig: Fig, scale: str,
                 per_unit: bool) -> _Plausible | None:
    for rule in rules:  # a plain loop: next() over a generator costs more, once per figure
        if _rule_matches(rule, view, fig, scale, per_unit):
            return rule
    return None


def _rule_matches(rule: _Plausible, view: ArticleView, fig: Fig, scale: str, per_unit: bool) -> bool:
    """Every filter the rule has holds for `fig` about `scale` (a `per_unit` amount or not).
    Written out rather than looped over: it runs for every figure and candidate rule."""
    return ((rule.kinds is None or fig.kind in rule.kinds)
            and (rule.units is None or fig.unit in rule.units)
            and (rule.counters is None or fig.counter in rule.counters)
            and (rule.scales is None or scale in rule.scales)
            and (rule.metric_ends is None or fig.metric.endswith(rule.metric_ends))
            and (rule.metric_has is None or any(w in fig.metric for w in rule.metric_has))
            and (rule.subject_ends is None or fig.subject.endswith(rule.subject_ends))
            and (rule.relations is None or fig.relation in rule.relations)
            and not (rule.skip_per_unit and per_unit)
            and (rule.clause_has is None or _clause_has(view, fig, rule.clause_has)))


def _clause_has(view: ArticleView, fig: Fig, words: tuple[str, ...]) -> bool:
    """One of `words` stands in the clause of `fig` before it: its sentence from the last
    clause mark (checks.toml [clause]) on, at most `window` characters back."""
    marks = load_config()["clause"]
    start = view.sentences[fig.sent][0]
    clause = view.text[max(start, fig.start - marks["window"]):fig.start]
    for mark in marks["marks"]:
        clause = clause.rpartition(mark)[2]
    return any(w in clause for w in words)


def duplicate(view: ArticleView, cfg: dict) -> list[Finding]:
    """One number extracted twice (overlapping spans), or a sentence repeated with its figures."""
    findings = []
    for a, b in zip(view.figures, view.figures[1:]):
        if b.start < a.end:
            findings.append(Finding("duplicate", "fail", (a, b),
                                    f"{a.surface} and {b.surface} overlap in the text: one number extracted twice"))
    seen: dict[tuple, Fig] = {}
    for index, figs in view.by_sentence.items():  # in text order
        s, e = view.sentences[index]
        sentence = view.text[s:e]  # one string per sentence: its hash is computed once
        for f in figs:
            first = seen.setdefault((f.kind, f.value, f.unit, f.metric, f.subject, sentence), f)
            if first is not f and first.sent != f.sent:
                findings.append(Finding("duplicate", "warn", (first, f),
                                        f"{f.surface} {f.metric} appears twice in identical sentences: "
                                        "a repeated paragraph?", first.value, f.value, None, f.unit))
    return findings


#: Every rule, by the name its rows carry in the `rule` column.
CHECKS: dict[str, Callable[[ArticleView, dict], list[Finding]]] = {
    "parts_and_total": parts_and_total,
    "count_and_enumeration": count_and_enumeration,
    "stated_rate": stated_rate,
    "stated_growth": stated_growth,
    "restatement": restatement,
    "plausibility": plausibility,
    "duplicate": duplicate,
}


# --- rows ------------------------------------------------------------------------------------

def check_article(article: Mapping, figures: Iterable[Mapping] | pd.DataFrame,
                  cfg: dict | None = None,
                  sentences: Iterable[tuple[int, int]] | None = None) -> list[dict]:
    """Rows of the checks table for one article.

    `article` needs article_id, doc_id, text, char_start and headline (a row of the
    articles table); `figures` are its rows of the figures table (dicts or a DataFrame);
    `sentences`, if known, the sentence spans of its text (see `article_view`).
    """
    cfg = cfg or load_config()
    view = article_view(article, figures, sentences, cfg)
    if not view.figures:
        return []
    findings = _bounded([f for rule in CHECKS.values() for f in rule(view, cfg)], cfg["limits"]["max_rows_per_article"])
    order = {name: i for i, name in enumerate(CHECKS)}
    findings.sort(key=lambda f: (f.figures[0].start, order[f.rule]))
    numbers: dict[str, int] = {}
    rows = []
    for f in findings:
        n = numbers[f.rule] = numbers.get(f.rule, -1) + 1
        rows.append({
            "check_id": f"{view.article_id}:{f.rule}:{n}",
            "rule": f.rule,
            "status": f.status,
            "doc_id": view.doc_id,
            "article_id": view.article_id,
            "figure_ids": [x.id for x in f.figures],
            "expected": f.expected,
            "observed": f.observed,
            "tolerance": f.tolerance,
            "unit": f.unit if f.expected is not None else "",
            "message": f.message,
        })
    return rows


def _bounded(findings: list[Finding], limit: int) -> list[Finding]:
    """At most `limit` findings of an article, failures first, then warnings, then passes
    (each in text order): the checks table and the report must not grow without bound
    with one huge article."""
    if len(findings) <= limit:
        return findings
    rank = {status: i for i, status in enumerate(("fail", "warn", "pass"))}
    return sorted(findings, key=lambda f: (rank[f.status], f.figures[0].start))[:limit]


def check_tables(articles: pd.DataFrame, figures: pd.DataFrame) -> list[dict]:
    """Rows of the checks table for every article that has figures, in table order."""
    # One conversion of the whole table: a DataFrame per article costs ~3 ms each.
    by_article: dict[str, list[dict]] = {}
    for figure in _records(figures, FIGURE_COLUMNS):
        by_article.setdefault(figure["article_id"], []).append(figure)
    rows: list[dict] = []
    for article in _records(articles, ARTICLE_COLUMNS):
        group = by_article.get(article["article_id"])
        if group is not None:
            rows.extend(check_article(article, group))
    return rows


def article_checks(articles: Iterable[dict], figures: Iterable[dict],
                   sentences: Iterable[list[tuple[int, int]]] | None = None) -> list[dict]:
    """Rows of the checks table for `articles` (rows of the articles table, text included),
    given their figure rows, in article order.

    The checks of an article depend only on it and its figures, so they are computed
    where its rows are made (`etl.job.job.load_and_process`) and rebuilt from the tables the same way
    (`etl.review.report.write_checks`). `sentences`, one list per article, are the sentence
    spans the extraction found (`ArticleFigures.sentences`, offsets into the document's
    cleaned text); without them each article's text is split again.
    """
    by_article: dict[str, list[dict]] = defaultdict(list)
    for figure in figures:
        by_article[figure["article_id"]].append(figure)
    pairs = zip(articles, repeat(None)) if sentences is None else zip(articles, sentences, strict=True)
    return [row for article, spans in pairs
            if (group := by_article.get(article["article_id"]))
            for row in check_article(article, group, sentences=_shift(spans, article["char_start"]))]


def _shift(spans: list[tuple[int, int]] | None, base: int) -> list[tuple[int, int]] | None:
    """Spans in the document's cleaned text as offsets into an article starting at `base`."""
    return None if spans is None else [(s - base, e - base) for s, e in spans]
