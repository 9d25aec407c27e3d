"""The context of a figure (contract v3): indicator, relation, period and modality.

A figure's clause is read as topic NP + indicator + relation word + number, with a
time adverbial and a modal word somewhere before it in the sentence (or a time word
leading the paragraph). Pure functions on the cleaned text; the words live in
`etl/data/context.toml`, the labels come from `labels`, the dates from `period`.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from datetime import date
from functools import cache, lru_cache
from types import SimpleNamespace
from typing import NamedTuple

from . import labels, period
from .lexicon import alternation, load_data, searcher_at_end
from .period import NO_PERIOD, Period

#: The longest noun phrase taken whole as an indicator (longer ones hold more than a name).
_MAX_INDICATOR = 12


@dataclass(frozen=True, slots=True)
class Anchor:
    """What relative time words count from: the document's date (`today`, None when
    unknown) and the year its passages speak of (`year`): the year its title states (a
    communiqué on 2023 published in 2024), else the year of its date; `report` is the first
    and last day of the report the text is about (报告期内), None when it names none. In a
    section whose heading states a year or announces goals (`sections.Sections`), `year`
    is that heading's and `plan` says its figures are goals; `own_year` stays the document's
    year, which the words of the speaker's time (去年, 明年) count from there."""

    today: date | None = None
    year: int | None = None
    report: tuple[date, date] | None = None
    plan: bool = False
    own_year: int | None = None
    news: bool = False

    def dated(self, day: date) -> "Anchor":
        """This anchor for a news item of the page published on `day` (its own 发布时间 line):
        its relative words count from that day; a year the title states stays."""
        from_date = self.today is not None and self.year == self.today.year
        return replace(self, today=day, year=day.year if from_date else self.year,
                       own_year=day.year if from_date else self.own_year)

    @classmethod
    def of(cls, today: date | None, title_year: int | None = None,
           report: tuple[date, date] | None = None, source: str | None = None,
           news_page: bool = False) -> "Anchor":
        """`news_page`: the text's head holds a news dateline (本报讯, （记者…）), so it is a
        newspaper's page whatever line dated it."""
        year = title_year if title_year is not None else today.year if today else None
        return cls(today, year, report, own_year=year, news=news_page or source in _patterns().news_date_sources)


@dataclass(slots=True)  # not frozen: one is built per candidate, frozen init costs 3x
class Context:
    indicator: str
    relation: str
    period: Period
    modality: str


def _tail() -> int:
    """The longest relation word or connector: how far before its end a clause is searched
    for a `(?:…)$` pattern of them (`_at_end`, built at import with it)."""
    rel = load_data("context.toml")["relation"]
    return max(map(len, [*(w for name in ("increase", "decrease", "share", "level") for w in rel[name]),
                         *rel["connectors"]]))


@cache
def _patterns() -> SimpleNamespace:
    data = load_data("context.toml")
    rel, modal = data["relation"], data["modality"]
    words = {w: name for name in ("increase", "decrease", "share") for w in rel[name]}
    words.update({w: "level" for w in rel["level"]})
    comparatives = [*rel["comparative_increase"], *rel["comparative_decrease"]]
    tail = _tail()
    return SimpleNamespace(
        relation_words=words,
        # The `…_at_end` patterns are searched from this many characters before the end
        # only: a search for `(?:…)$` would otherwise try every position of a long clause.
        tail=tail,
        # Characters of the relation, comparison and value words: a clause whose last
        # `window` characters hold none of them is a level unless 占 opens a share (most
        # figures; spares the patterns; 完, 期, 平 end the goals and bases of `share_of_goal`).
        # The window holds a comparison and its base.
        relation_chars=frozenset("".join([*(w for w, r in words.items() if r != "level"), *comparatives,
                                          *rel["value_words"], "完期平"])),
        window=max(2 * tail, 16),
        relation_at_end=re.compile(rf"(?:{alternation(words)})$"),
        comparative=re.compile(rf"(?:(?P<up>{alternation(rel['comparative_increase'])})"
                               rf"|{alternation(rel['comparative_decrease'])}){rel['comparative_base']}$"),
        value_word_at_end=re.compile(rf"(?:{alternation(rel['value_words'])})$"),
        value_word=re.compile(alternation(rel["value_words"])),
        coordinators=frozenset(rel["coordinators"]),
        value_words=tuple(rel["value_words"]),
        value_fillers=re.compile(rf"(?:{alternation(rel['value_fillers'])})*"),
        share_of_goal=re.compile(rel["share_of_goal"]),
        connector_at_end=re.compile(rf"(?:{alternation(rel['connectors'])})$"),
        to_level=tuple(rel["to_level"]),
        negative_signs=tuple(rel["negative_signs"]),
        negative_chars="".join(rel["negative_signs"]),  # what strip_sign strips, joined once
        share_opener=rel["share_opener"],
        not_share=tuple(rel["not_share"]),
        comparison=re.compile(alternation(rel["comparison"])),
        comparison_at_end=re.compile(rf"(?:{alternation(rel['comparison'])})$"),
        any_target_word=re.compile(alternation(modal["target_words"] + modal["clause_target_words"])),  # most: none
        target_word=re.compile(alternation(modal["target_words"])),
        clause_target_word=re.compile(alternation(modal["clause_target_words"])),
        not_target=re.compile("|".join(modal["not_target"])),
        actual_marker=re.compile(alternation(modal["actual_markers"])),
        clause_marks=frozenset(modal["clause_marks"]),
        row_colons=tuple(rel["row_colons"]),
        ahead_share=modal["ahead_share"],
        news_date_sources=frozenset(modal["news_date_sources"]),
        target_list=re.compile(rf"(?:{alternation(modal['target_words'])})[^{modal['list_end']}]*?{modal['list_lead']}"
                               rf"[^{modal['list_end']}]*$"),
        list_end=modal["list_end"],
        project_amount=modal["project_amount"],
        project_words=tuple(modal["project_amount"]["projects"]),  # as str.endswith takes them
        project_amounts=tuple(modal["project_amount"]["amounts"]),
        listed_projects=modal["listed_projects"],
        listed_counted=tuple(modal["listed_projects"]["counted"]),
        # 总投资48亿元的…配套工程、: the amount, 的, and a name ending in a project word, which
        # no count follows (总投资超10亿元的重大项目9个 is a class of projects).
        project_after=re.compile(
            rf"[^，,；;。、的]{{1,{modal['project_amount']['number_before_of']}}}的[^，,；;。、]"
            rf"{{2,{modal['project_amount']['name_after_of']}}}?(?:{alternation(modal['project_amount']['projects'])})"
            rf"(?![0-9０-９])"),
    )


@cache
def change_label_pattern() -> str:
    """A regex for a label that ends in a relation word (增长, 增速, 下降, 比重) and so names
    a change or a share, not a level (新增 ends in 增 but is a flow)."""
    words = _patterns().relation_words
    changes = alternation(w for w, r in words.items() if r != "level")
    levels = alternation(w for w, r in words.items() if r == "level")
    return rf"^(?!.*(?:{levels})$).*(?:{changes})$"


def relation(prefix: str, number_text: str = "", before: str | None = None) -> str:
    """Which way a figure goes, from the clause text before its number (`prefix`, which
    may end with a sign: 增速-12.6%), the number as written and the relation of the figure
    before it in the sentence (`before`), which a bare table value (2022年完成值为) repeats."""
    pat = _patterns()
    negative = prefix.endswith(pat.negative_signs) or number_text.startswith(pat.negative_signs)
    if before is not None and strip_sign(prefix) in pat.coordinators:  # 分别增长6.2%和8.1%: as the figure before
        found = before
    elif pat.relation_chars.isdisjoint(prefix[-pat.window :]) and pat.share_opener not in prefix:
        return "level"
    else:
        found = _relation_of(_strip_linking(prefix), before)
    if negative and found == "increase":
        return "decrease"  # 增速-12.6%, 负增长: the value stays unsigned, the way turns
    return found


@cache
def _to_level_time() -> re.Pattern:
    """The time of a new level right after 到/至 (提高到2025年的28.3%)."""
    rel = load_data("context.toml")["relation"]
    return re.compile(rf"(?<=[{''.join(rel['to_level'])}])(?:{rel['to_level_time']})$")


def _relation_of(text: str, before: str | None) -> str:
    pat = _patterns()
    m = _at_end(pat.relation_at_end, text)
    if m and pat.relation_words[m.group()] != "level":
        return pat.relation_words[m.group()]
    m = pat.comparative.search(text, max(0, len(text) - pat.window))
    if m:  # 高于全省平均水平0.6个百分点, 低于目标值1.2个百分点
        return "increase" if m["up"] else "decrease"
    value_word = _at_end(pat.value_word_at_end, text)
    if value_word:  # 年均增长的目标值为6.5% is an increase; 2022年完成值为 repeats the row's
        rest = _strip_linking(text[: value_word.start()].rstrip("的"))
        return (before or "level") if _names_nothing(rest) else _relation_of(rest, before)
    if time := _to_level_time().search(text, max(0, len(text) - pat.window)):
        text = text[: time.start()]  # 提高到2025年的28.3%: as 提高到28.3%
    if text.endswith(pat.to_level) and (m := _at_end(pat.relation_at_end, text[:-1])):
        # 提高到8%: the new level, not the change; 比重提高到29.2%, 比重由18.2%提高到: a share
        rest = _strip_linking(text[: m.start()])
        was = _relation_of(rest, before) if rest.rstrip("由") else before
        return "share" if was == "share" else "level"
    if _opens_share(text) or pat.share_of_goal.search(text, max(0, len(text) - pat.window)):
        return "share"
    return "level"


def _row_relation(sentence: str, offset: int) -> str | None:
    """The relation of a plan table's row whose goal has no number (年均增长目标值为与经济增长
    同步，2021—2022年完成值为6.2%): that of the words before the row's value word in an
    earlier clause of the sentence, else that of the row's header before its colon
    (地区生产总值增速：2025年完成5.6%，2026年预期5.5%); None when there is no such word."""
    pat = _patterns()
    if not any(w in sentence for w in pat.value_words):
        return None
    cut = max(sentence.rfind(c, 0, offset) for c in pat.clause_marks)
    found = list(pat.value_word.finditer(sentence, 0, max(cut, 0)))
    if found:
        return _relation_of(_strip_linking(sentence[: found[-1].start()].rstrip("的")), None)
    colon = max(sentence.rfind(c, 0, offset) for c in pat.row_colons)
    return _relation_of(_strip_linking(sentence[:colon]), None) if colon > 0 else None


def _names_nothing(text: str) -> bool:
    """Whether the text before a value word holds only time words and fillers (2021—2022年累计)."""
    for start, end, _ in reversed(period.time_words(text)):
        text = text[:start] + text[end:]
    return _patterns().value_fillers.fullmatch(text) is not None


def strip_sign(prefix: str) -> str:
    """The clause text before a number without the sign written before the number."""
    return prefix.rstrip(_patterns().negative_chars)


@lru_cache(maxsize=64)  # a figure's relation, indicator and modality ask it of the same prefix
def _strip_linking(prefix: str) -> str:
    """The clause text before a number without a sign and linking words at its end
    (增长了 → 增长, 增速- → 增速)."""
    pat = _patterns()
    text = strip_sign(prefix)
    while (m := _at_end(pat.connector_at_end, text)) and m.start() > 0:
        text = text[: m.start()]
    return text


_at_end = searcher_at_end(_tail())


def _opens_share(text: str) -> bool:
    """占 opens the clause's share when a 的 closes it (占全国的) or no area word follows
    it (占全省总量): 占地 is a label, but 占地区生产总值的 is a share."""
    pat = _patterns()
    at = text.rfind(pat.share_opener)
    if at < 0 or "，" in text[at:]:
        return False
    return text.endswith("的") or not text.startswith(pat.not_share, at)


def indicator(relation_: str, metric: str, prefix: str, before: str | None, after_noun: str,
              sentence_before: str = "") -> str:
    """What the figure measures: the metric of a level grown to the noun phrase it ends
    (国内|生产总值), or the noun after it when the text gives no label; for a change or
    share, the thing that changed, named before the relation word or, failing that, by
    the figure before it in the sentence (`before`) or the sentence's topic (the noun
    phrase before an earlier number of `sentence_before`, the sentence up to the figure)."""
    if labels.is_comparison_verb(metric):  # 低于目标值1.2个百分点: what was compared
        return before or _sentence_topic(sentence_before)
    if relation_ == "level" and not _names_a_share(metric, prefix):
        valued = _valued_indicator(prefix)
        if valued is None:
            own = labels.whole_label(prefix, metric) if metric else after_noun
            # 目标值为五年累计30万人，2021—2022年累计完成13.6万人: a clause of time words and a
            # verb of completion measures what the figure before measured.
            return own or (before if before and labels.names_nothing(prefix) else "")
        return valued or before or _sentence_topic(sentence_before)
    valued = _valued_indicator(prefix) if relation_ != "level" else None
    if valued:  # 年均增长的目标值为6.5%, an increase: the indicator before the value word
        return valued
    head = _head_before_relation(prefix, True if relation_ == "level" else relation_ == "share")
    if head:
        return head
    if before:  # 累计完成全社会固定资产投资…，年均增长4.3%: the investment grew, not its total
        return before if relation_ == "share" else labels.changed_total(before)
    topic = _sentence_topic(sentence_before)
    if topic:
        return topic
    return "" if labels.metric_head_dimension(metric) == "percent" else metric


def _names_a_share(metric: str, prefix: str) -> bool:
    """Whether a level figure's label names a share or a change, not the thing measured:
    占营业收入的比重提高到29.2%, 完成目标值的79.1%."""
    m = _at_end(_patterns().relation_at_end, metric)
    return (m is not None and _patterns().relation_words[m.group()] != "level") or (
        metric.startswith(labels.SHARE_OPENERS) and _strip_linking(prefix).endswith("的"))


def _sentence_topic(sentence_before: str) -> str:
    """The topic of a sentence for a figure whose clause names none: the noun phrase before
    the last number of the earlier clauses (全年粮食产量70650万吨，比上年增产2.3% → 粮食产量),
    else the indicator named before a value word in its first clause (居民人均可支配收入年均
    增长目标值为…，完成值为6.2% → 居民人均可支配收入)."""
    earlier = sentence_before[: labels.last_clause_start(sentence_before)]
    if not earlier:
        return ""
    numbers = list(_NUMBER.finditer(earlier))
    for number in reversed(numbers):
        clause = earlier[: number.start()]
        clause = _strip_linking(labels.last_clause(clause))
        if _at_end(_patterns().relation_at_end, clause) or _at_end(_patterns().comparison_at_end, clause):
            continue  # 比上年增加1590万吨: a change names no topic
        topic = labels.topic_phrase(clause)
        if topic:
            return topic
    if numbers:
        return ""
    first = earlier[: min((i for i in map(earlier.find, labels.CLAUSE_DELIMITERS) if i >= 0), default=len(earlier))]
    valued = _valued_indicator(first[: first.find("为") if "为" in first else len(first)])
    return valued or ""


_NUMBER = re.compile(r"[0-9０-９][0-9０-９.,]*")


def _valued_indicator(prefix: str) -> str | None:
    """For a figure written as the value of an indicator (常住人口城镇化率目标值为68%,
    地区生产总值年均增长的目标值为6.5%), the indicator named before the value word: ""
    when none is (2022年完成值为65.9%), None when the figure is no such value."""
    text = labels.without_trailing_time(prefix)
    word = labels.value_word(text)
    if not word:
        return None
    head = _strip_linking(text[: -len(word)].rstrip("的"))
    m = _at_end(_patterns().relation_at_end, head)
    head = head[: m.start()] if m else head
    m = _at_end(_patterns().comparison_at_end, head)
    head = head[: m.start()] if m else head
    return labels.topic_phrase(head)


def _head_before_relation(prefix: str, share: bool) -> str:
    """The indicator named before the relation word: 国内生产总值比上年增长 → 国内生产总值,
    第一产业增加值占地区生产总值比重 → 第一产业增加值 (增加 inside 增加值 is no relation word)."""
    pat = _patterns()
    text = _strip_linking(prefix)
    cut = text.rfind(pat.share_opener) if share else -1
    if cut < 0:  # 第二产业增加值比重为36.3%: a share named by its relation word alone
        m = _at_end(pat.relation_at_end, text)
        cut = m.start() if m else -1
    if cut <= 0:
        return ""
    m = pat.comparison.search(text, 0, cut)
    # 2021—2022年累计降低6.1%: time words name nothing that changed.
    head = labels.without_trailing_time(text[: m.start() if m else cut])
    label = labels.find_label(head) or labels.counted_noun(head, "")[0]
    if labels.is_rate_indicator(label):
        return label  # 降幅比上年收窄3.5个百分点: the rate of decline is what changed
    if not label or labels.metric_head_dimension(label) == "percent":
        return ""
    return labels.whole_label(head, label, _MAX_INDICATOR)


@lru_cache(maxsize=4096)
def _time_words(sentence: str) -> tuple[tuple[int, int, re.Match], ...]:
    return tuple(period.time_words(sentence))


@lru_cache(maxsize=1024)
def _lead(paragraph_head: str):
    return period.paragraph_lead(paragraph_head)


class SentenceContext(NamedTuple):
    """What the context step reads of one sentence, once for all its figures (a sentence of
    many figures asked each of these again per figure): its time words, where it turns to
    goals and back (`_modal_turns`), the time word leading its paragraph, where the sentence
    starts in the paragraph's head (-1: not there, or no lead; `_sentence_in_head`), the year
    that lead states and whether the text before the sentence opens a list of goals."""

    words: tuple[tuple[int, int, re.Match], ...]
    turns: tuple[tuple[int, bool], ...]
    lead: re.Match | None
    lead_from: int
    lead_year: int | None
    target_list: bool

    @classmethod
    def of(cls, sentence: str, paragraph_head: str, anchor: Anchor, before_sentence: str = "") -> "SentenceContext":
        lead = _lead(paragraph_head)
        return cls(_time_words(sentence), _modal_turns(sentence, anchor.today.year if anchor.today else anchor.year),
                   lead, -1 if lead is None else _sentence_in_head(sentence, paragraph_head),
                   None if lead is None else _year_stated(lead, anchor), _in_target_list(before_sentence))


def figure_period(sentence: str, offset: int, read: SentenceContext, anchor: Anchor,
                  target: bool, list_lead: str = "", result: bool = False) -> Period:
    """The period of a figure `offset` characters into its sentence: the last time
    expression before it there (one that governs only its own clause, 上年同期, not
    across a clause mark), else the one that leads the list the sentence is an item of
    (`list_lead`, the text back to the 。 before: 今年要重点抓好以下工作：…；二是…; 报告期内，
    公司实现营业收入…；归母净利润…) unless the paragraph's lead names the same dates (2026年是…。
    今年…目标是：…；一般公共预算收入增长4% → 2026年), else the one leading its paragraph
    (`read.lead`, found in the paragraph's first characters); none when that is vague past
    time and the figure a target, nor a deadline ahead of the document when the figure
    is a `result` stated after a goal (“十四五”末目标值为3100亿元，目标完成度为80.2%).
    Relative words count from a year stated before them in the passage, else from the
    document's date."""
    lead = read.lead
    if lead is not None and 0 <= read.lead_from and lead.start() >= read.lead_from + offset:
        lead = None  # 降低目标为18%，2021—2022年累计下降7.6%: the lead comes after the figure
    anchor_year = read.lead_year if lead else None
    stated, anchor_year = anchor_year is not None, anchor.year if anchor_year is None else anchor_year
    lead_year = stated
    chosen = earlier = None
    for start, end, m in read.words:
        if start >= offset:
            break
        prior = chosen if chosen is not None else lead
        if _of_another_figure(sentence, start, end, offset, m, prior is not None, _earlier_year(m, prior, anchor)):
            continue
        if chosen is not None and _attributive().match(sentence, end):
            continue  # 截至11月15日，今年实施的项目已完工37个: 今年 names the projects
        if result and _resolved(m, anchor_year, anchor.today, None).future_end:
            continue
        if chosen is not None and _year_stated(chosen, anchor):
            stated, anchor_year, lead_year = True, _year_stated(chosen, anchor), False
        chosen, earlier = m, chosen
    if chosen is None and list_lead:
        chosen = _list_lead(list_lead)
        if chosen is not None and lead is not None and _same_dates(chosen, lead, anchor_year, anchor):
            chosen = None  # the paragraph's lead states that time already: it governs (period8)
    if chosen is None and (lead is None or period.event_day_before(sentence, offset)):
        return NO_PERIOD  # 3月11日，该区举办推介会，现场签约项目8个: the event's figures
    if chosen is None:
        chosen, anchor_year, stated = lead, anchor.year, False
    if not stated and anchor.own_year is not None and period.relative_word(chosen) in _period_words()["speaker_relative"]:
        anchor_year = anchor.own_year  # 去年 under 一、2025年工作回顾 in a report of January 2026: 2025
    elif not stated and chosen is not lead:
        anchor_year = _lead_relative_year(lead, chosen, anchor) or anchor_year
    elif lead_year and chosen is not lead and anchor.today is not None and chosen["rel"] in _period_words()["own_year_words"]:
        anchor_year = anchor.own_year  # 2025年，…。今年，全市力争… on a page of January 2026: 2026
    when = _resolved(chosen, anchor_year, anchor.today, anchor.report)
    if chosen["rel"] in _period_words()["same_period"] and anchor.report is None:
        when = _same_span_before(when, earlier if earlier is not None else lead, anchor_year, anchor)
    if chosen["then"] and earlier is not None:  # 计划2028年建成，届时…: by the end of that time
        end = _resolved(earlier, anchor_year, anchor.today, anchor.report).end
        if end is not None and (anchor.today is None or end > anchor.today):
            when = Period(None, end, when.text, future_end=True)
        # else 目前已完成…，预计明年6月建成，届时…: the time before is not the one 届时 refers to
    # 近年来…，预计…: vague past time is not the time of a forecast; nor is the present
    # (目前已完成投资21亿元，预计明年6月投产，投产后年产值可达80亿元: 80亿元 is no value of today).
    return NO_PERIOD if target and (when.past or chosen["now"] or chosen["upto"]) else when


def _lead_relative_year(lead: re.Match | None, chosen: re.Match, anchor: Anchor) -> int | None:
    """The year a paragraph's relative lead (去年，…) gives a later word with no year of its own
    (全年, 年末: `result_year_words`): 答：去年，我们筹集…。…，全年新开工安置房6800套 in a briefing
    of January 2026 → 2025 (period13). 今年 and the other speaker's words keep their own year."""
    words = _period_words()
    if lead is None or not lead["rel"] or not words["relative_year"].get(lead["rel"]):
        return None
    if chosen.group() not in words["result_year_words"]:
        return None
    own = anchor.own_year if lead["rel"] in words["speaker_relative"] else anchor.year
    return None if own is None else own + words["relative_year"][lead["rel"]]


def _same_dates(a: re.Match, b: re.Match, anchor_year: int | None, anchor: Anchor) -> bool:
    """Whether two time words name the same dates (今年 and 2026年 in a report of 2026;
    “十四五”期间 and 过去五年 in one of 2026)."""
    one, two = (_resolved(m, anchor_year, anchor.today, anchor.report) for m in (a, b))
    return one.start is not None and (one.start, one.end) == (two.start, two.end)


def _same_span_before(when: Period, base: re.Match | None, anchor_year: int | None, anchor: Anchor) -> Period:
    """上年同期 after a part of a year (1—10月，…，上年同期为…; 6月末…，上年同期…): that part of
    the year before; after a whole year or nothing, the year before as it stands."""
    if base is None:
        return when
    span = _resolved(base, anchor_year, anchor.today, anchor.report)
    if span.start is None or span.end is None or span.start.year != span.end.year:
        return when
    if (span.start.month, span.start.day, span.end.month, span.end.day) == (1, 1, 12, 31):
        return when
    start, end = period.year_before((span.start, span.end))
    return Period(start, end, when.text, year=start.year)


@lru_cache(maxsize=4096)
def _resolved(m: re.Match, anchor_year: int | None, today: date | None,
              report: tuple[date, date] | None) -> Period:
    """`period.resolve`, once per time word and anchor: the figures of a sentence share its
    matches (`_time_words`, `_lead` and `_list_lead` cache them), so the second figure of a
    sentence finds the periods the first resolved. A match is its own key (by identity)."""
    return period.resolve(m, anchor_year, today, report)


@lru_cache(maxsize=256)
def _list_lead(list_lead: str) -> re.Match | None:
    """The time word that leads a list whose items ；separates: an adverbial of its own
    that opens the first item right after the heading's colon (锚定以下目标：到2030年，…；
    规模以上工业企业达到300家；: it is nearer the items than the heading's “十五五”), else
    the last one before the colon (…会议上今年要重点抓好以下工作：一是…；), else one that
    leads its first item as a lead leads a paragraph (报告期内，公司实现营业收入…；归母净利润…)."""
    colon = min((i for i in map(list_lead.find, "：:") if i >= 0), default=-1)
    if colon < 0:
        return _lead(list_lead)
    first = period.time_words(list_lead, colon + 1, colon + 16)
    if first and first[0][0] == colon + 1 and list_lead[first[0][1] : first[0][1] + 1] in _patterns().clause_marks:
        return first[0][2]
    heading = period.time_words(list_lead, 0, colon) if colon > 0 else []
    return heading[-1][2] if heading else _lead(list_lead)


def _sentence_in_head(sentence: str, paragraph_head: str) -> int:
    """Where a sentence starts in its paragraph's head, -1 if it is not there: a paragraph's
    lead at or past the start of a figure of the sentence stands after the figure, in its own
    sentence (the paragraph's first, or the first after its subtitle: （一）…。目标值为6.5%，
    2021—2022年完成值为5.3%)."""
    at = paragraph_head.find(sentence[: min(len(sentence), len(paragraph_head))])
    if at < 0 and len(sentence) > 8:  # a sentence that runs past the head: its start in it
        at = paragraph_head.find(sentence[:8])
    return at


def _year_stated(m: re.Match, anchor: Anchor) -> int | None:
    """The year a time expression states, 报告期内 the year of the report, a day (12月31日
    in a page of January) the year it falls in, which later relative words count from."""
    if m["day"]:
        day = _resolved(m, anchor.year, anchor.today, None).start
        return day.year if day else None
    return period.stated_year(m) or (anchor.report[0].year if m["report"] and anchor.report else None)


def _of_another_figure(sentence: str, start: int, end: int, offset: int, m: re.Match, after_time: bool,
                       earlier_year: bool = False) -> bool:
    """Whether a time word before a figure is the time of another figure only: the earlier
    level of a change (由上年的318.6亿元增至357.2亿元: 上年 is the 318.6's) when a number
    stands between it and the figure; a word of its own clause (上年同期为…) and a past year
    set against a time before it (`after_time`: 本年度亏损8460万元，上年亏损5210万元，亏损额
    同比扩大62.4%; `earlier_year`: 2025年度86.5亿元，2024年度79.2亿元，同比增长9.2%), unless a
    clause mark follows it (上年同期，…: an adverbial of its own)."""
    words = _period_words()
    if sentence[start - 1 : start] in words["change_from"] or (
            sentence[start - 1 : start] in words["change_to"] and sentence[end : end + 1] == "的"):  # 增加到2025年的…
        return _NUMBER.search(sentence, end, offset) is not None
    past = m["rel"] or m["end_rel"] or m["whole_rel"]  # 上年, 上年度末, 去年全年: a year before the anchor
    contrast = m.group().endswith(tuple(words["own_clause_only"])) or earlier_year or (
        after_time and past is not None and words["relative_year"][past] < 0)
    return contrast and sentence[end : end + 1] not in _patterns().clause_marks and _clause_between(sentence, end, offset)


def _earlier_year(m: re.Match, prior: re.Match | None, anchor: Anchor) -> bool:
    """Whether `m` is a year written out (2024年度, 2024年末, 2024年1—6月) before the year of
    the time word before it in the passage (`prior`: 2025年度…，2024年度…; 2025年末…，2024年末…):
    a year set against it."""
    if prior is None:
        return False
    year = m["year_n"] or m["end_year"] or m["span_year"] or m["month_year"]
    prior_year = _year_stated(prior, anchor) if year else None
    return prior_year is not None and int(year) < prior_year


@cache
def _period_words() -> dict:
    return load_data("context.toml")["period"]


@cache
def _plan_word() -> re.Pattern:
    """Any word of a plan (计划, 拟, 力争): one search, not one per word."""
    return re.compile(alternation(_period_words()["plan_words"]))


@cache
def _attributive() -> re.Pattern:
    return re.compile(_period_words()["attributive"])


def _clause_between(sentence: str, start: int, end: int) -> bool:
    marks = _patterns().clause_marks
    return any(c in marks for c in sentence[start:end])


def _in_target_list(before_sentence: str) -> bool:
    """Whether the text before a figure's sentence, back to the last 。, opens a list of
    goals with a modal word and a colon (主要预期目标是：…；)."""
    pat = _patterns()
    return bool(before_sentence) and pat.target_list.search(before_sentence) is not None


@lru_cache(maxsize=1024)
def _modal_turns(sentence: str, this_year: int | None) -> tuple[tuple[int, bool], ...]:
    """Where a sentence turns to goals (a modal word ends: True) and back to results
    (False: a later clause states one with 完成值, 已达, or a year before `this_year`, the
    document's), in order. Found once per sentence, so a sentence of many figures costs
    linear, not quadratic, time."""
    pat = _patterns()
    if not pat.any_target_word.search(sentence):
        return ()
    blocked = [m.span() for m in pat.not_target.finditer(sentence)]
    words = [m.span() for m in pat.target_word.finditer(sentence)]
    turns = [(e, True) for s, e in words if not _inside(s, blocked)]
    for m in pat.clause_target_word.finditer(sentence):  # 确保…: a goal for its own clause
        if not _inside(m.start(), words):  # 确保实现 is a modal word of the whole sentence
            turns += [(m.end(), True), (_clause_end(sentence, m.end()) + 1, False)]
    if not turns:
        return ()
    first = turns[0][0]
    turns += [(m.start(), False) for m in pat.actual_marker.finditer(sentence, first)]
    if this_year is not None:
        turns += [(start, False) for start, _, m in _time_words(sentence)
                  if start >= first and (y := period.stated_year(m)) is not None and y < this_year]
    kept, goal_at = [], None
    for at, goal in sorted(turns):
        # A result word in the modal word's own clause (力争已完成…) does not turn back.
        if goal or (goal_at is not None and _clause_between(sentence, goal_at, at)):
            kept.append((at, goal))
            goal_at = at if goal else goal_at
    return tuple(kept)


def _of_report(when: Period) -> bool:
    """Whether a period is a company report's own (报告期内): its 预计 looks ahead."""
    return when.text in _period_words()["report"]


def _inside(at: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= at < e for s, e in spans)


def _clause_end(sentence: str, start: int) -> int:
    ends = [i for c in _patterns().clause_marks if (i := sentence.find(c, start)) >= 0]
    return min(ends, default=len(sentence))


def _is_goal(turns: tuple[tuple[int, bool], ...], offset: int) -> bool | None:
    """True when a modal word governs the figure, False when a later clause has turned the
    sentence back to results, None when no modal word stands before it (`turns`:
    `_modal_turns` of its sentence)."""
    i = bisect_right(turns, (offset, True))
    return turns[i - 1][1] if i > 0 else None


def _mostly_ahead(when: Period, today: date | None) -> bool:
    """Whether most of a period lies after the document's date (今年 in a report of January)."""
    if today is None or when.start is None or when.end is None or when.end <= today:
        return False
    return (when.end - today).days > _patterns().ahead_share * ((when.end - when.start).days + 1)


def _year_so_far(words: tuple[tuple[int, int, re.Match], ...], when: Period, anchor: Anchor) -> bool:
    """Whether the sentence states a total up to a moment inside the figure's period that
    has passed (截至3月底，…1.86万个，今年新增2100个; 截至目前): it reports progress, and the
    year it names is the year so far, its figures results, not goals (not so 截至去年底…，
    今年新建… in a report of January: a plan); also when the total follows the figure, which
    is then the yardstick of the progress (2026年计划供应住宅用地2850亩，截至目前已供应923亩
    on a page of May; period8). `words`: the time words of the sentence."""
    for start, _, m in words:
        if m["cutoff"] or m["upto"]:
            end = _resolved(m, anchor.year, anchor.today, anchor.report).end
            if end is not None and when.start <= end <= anchor.today:
                return True
    return False


def _announced_project_amount(metric: str, prefix: str, of_project_after: bool) -> bool:
    """Whether a figure is a project's own 总投资 or 计划投资, its label right after the
    project's name (鹭川储能二期项目计划投资, 城东综合管廊工程总投资) or the project named
    after it with 的 (`of_project_after`, `_amount_of_project_after`: 总投资48亿元的…配套工程),
    not a plan's sum of many (年度计划投资1350亿元)."""
    pat = _patterns()
    if metric in pat.project_amount["amounts"]:
        at = _strip_linking(prefix).rfind(metric)
        if at > 0 and prefix[:at].endswith(pat.project_words):
            return True
    return of_project_after


def _listed_projects(metric: str, sentence: str, before: str, paragraph_head: str) -> bool:
    """Whether a figure is the number of the projects a plan lists or their total or annual
    planned investment in a sentence that lists them with a verb of arranging before the figure, or
    in the paragraph it opens (安排市级重点建设项目186个，总投资2468.5亿元，年度计划投资612.4亿元。其中，
    新开工项目74个…) and sets no floor or goal (…1,350亿元以上, 确保…): the list as announced.
    `before`: the sentence before the figure."""
    pat = _patterns()
    words = pat.listed_projects
    return ((metric.endswith(pat.listed_counted) or metric in words["amounts"])
            and any(w in before or w in paragraph_head for w in words["arranging"])
            and not any(w in sentence for w in words["goal_marks"]))


def _amount_of_project_after(metric: str, sentence: str, offset: int) -> bool:
    """Whether a figure is the 总投资 of the project named after it with 的 (加快建设总投资48亿元的
    …配套工程; a verb may open the label): a specification of the project, of no period
    (截至6月底，总投资52亿元的…项目已完成…: the cut-off dates the progress, not the size; clause11)."""
    pat = _patterns()
    return metric.endswith(pat.project_amounts) and pat.project_after.match(sentence, offset) is not None


def _average_in_one_year(metric: str, when: Period) -> bool:
    """Whether a rate averaged over years (年均增长) got the period of a single year."""
    return (when.start is not None and when.end is not None and when.start.year == when.end.year
            and any(w in metric for w in _period_words()["average_rate_words"]))


def _of_ended_year(when: Period, anchor: Anchor, up_to: str) -> bool:
    """Whether a figure an estimate word governs (预计), with no time word of its own, stands where
    the text speaks of a year that has ended (a 2025年工作总结 of January 2026, a section 一、2025年
    工作成效): it is an estimate of that year's result (a capacity 达产后可实现 stays a goal)."""
    return (not when.text and anchor.today is not None and anchor.year is not None
            and anchor.year < anchor.today.year and not anchor.plan
            and any(w in up_to for w in load_data("context.toml")["modality"]["estimate_words"]))


def _ended(when: Period, today: date | None, upto_today: bool = False) -> bool:
    """Whether a period ended before the document's date (2025年 in a plan of 2026), or, with
    `upto_today`, on it (今年以来 and 截至目前 run up to the document's date: what they hold is done;
    今年以来 has a start and no end)."""
    if today is None:
        return False
    if when.end is None:
        return upto_today and when.start is not None and when.start <= today
    return when.end < today or upto_today and when.end == today


def _result_of_last_year(when: Period, today: date | None) -> Period:
    """A result dated by 全年, 年末 or 截至年底 alone (no year of its own) whose year lies
    mostly after the document's date is of the year before (全年新增融资312.4亿元 on a page
    of January 2026 → 2025; in a summary of December 22 全年 is its own year): a result is of
    no year still to come (period12)."""
    if (when.end is None or when.year is not None or when.text not in _period_words()["result_year_words"]
            or not _mostly_ahead(Period(date(when.end.year, 1, 1), when.end, ""), today)):
        return when
    end = period.year_before((when.end, when.end))[1]
    start = period.year_before((when.start, when.start))[0] if when.start is not None else None
    return Period(start, end, when.text, when.past, False, None)


def figure_context(sentence: str, offset: int, paragraph_head: str, anchor: Anchor, *, metric: str,
                   prefix: str, number_text: str, before: str | None, after_noun: str,
                   before_sentence: str = "", before_relation: str | None = None,
                   read: SentenceContext | None = None) -> Context:
    """The whole context of one figure (see the functions above for each field). Its
    modality is `target` when a modal word before it in its sentence still governs it (预计,
    力争, 建成后可实现; not past a clause that states a result), its period lies ahead of
    the document (到2025年, 今年 in a report of January) or it stands in a section of goals
    (`anchor.plan`) and states no time that has ended; a project's own announced amount
    (…二期项目计划投资4800万美元) is a fact, as the contract says, unless a modal word governs it.
    `read`: what the sentence's figures share (`SentenceContext.of` when not given)."""
    if read is None:
        read = SentenceContext.of(sentence, paragraph_head, anchor, before_sentence)
    if before_relation is None and _at_end(_patterns().value_word_at_end, _strip_linking(prefix)):
        before_relation = _row_relation(sentence, offset)  # only a value word's row asks for it
    if not prefix and offset > 0 and sentence[offset - 1] in _patterns().coordinators:
        prefix = sentence[offset - 1]  # 增长5.7%、8.4%: the 、 that cut the clause joins the figure
    up_to = sentence[:offset]  # what the sentence says before the figure, asked below
    covered = _covered_whole(up_to)
    how = "share" if covered or _share_next(up_to) else relation(prefix, number_text, before_relation)
    goal = _is_goal(read.turns, offset)
    modal = bool(goal) or read.target_list
    when = figure_period(sentence, offset, read, anchor, modal, before_sentence, result=goal is False)
    if goal and (_ended(when, anchor.today) or _of_ended_year(when, anchor, up_to)) and not _of_report(when):
        goal = False  # 预计增长5.6%, 规划目标150亿元 of a year that has ended: an estimate, a past goal
    of_project = _amount_of_project_after(metric, sentence, offset)  # asked twice below
    announced = _announced_project_amount(metric, prefix, of_project)
    listed = goal is None and _listed_projects(metric, sentence, up_to, paragraph_head)  # a plan's list as announced
    if goal is None and not modal and not anchor.plan and not announced:
        # 全年，集团完成投资312亿元 on a page of January with no word of a plan before it, in its
        # sentence or, when its time word leads the paragraph, there (力争全年…。新建…): the year that ended
        said = up_to if when.text in up_to else up_to + paragraph_head
        if not _plan_word().search(said):
            when = _result_of_last_year(when, anchor.today)
    target = bool(goal) or (not announced and not listed and (
        read.target_list or when.future_end
        or (_mostly_ahead(when, anchor.today) and not anchor.news and not _year_so_far(read.words, when, anchor))
        or (anchor.plan and goal is not False and not _ended(when, anchor.today, upto_today=True))))
    if not target and not announced and not listed:  # an amount announced in a plan is no result
        when = _result_of_last_year(when, anchor.today)
    if _average_in_one_year(metric, when) or of_project:
        when = NO_PERIOD  # 2030年目标…，年均增长5.5%: a rate over years is of no single year
    what = covered or indicator(how, metric, prefix, before, after_noun, up_to)
    return Context(what, how, when, "target" if target else "actual")


@cache
def _coverage() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """The share patterns of context.toml [relation]: a whole reached (coverage), the next whole of
    its list (coverage_next) and the next share of a list after 占 (share_next)."""
    rel = load_data("context.toml")["relation"]
    return re.compile(rel["coverage"]), re.compile(rel["coverage_next"]), re.compile(rel["share_next"])


def _share_next(up_to: str) -> bool:
    """Whether the figure is the next share of a list after 占 (占全省的18.6%和全国的2.1%)."""
    return up_to[-1:] == "的" and _coverage()[2].search(up_to, max(0, len(up_to) - 48)) is not None


def _covered_whole(up_to: str) -> str:
    """The whole a percent of it is reached in, from the sentence up to the figure (覆盖城市社区的
    92.5% → 城市社区, …和农村社区的47.8% → 农村社区), without a scope word (覆盖全市农村社区的 →
    农村社区); "" when the sentence says no such thing."""
    if "的" not in up_to[-1:]:
        return ""  # most figures: no search
    first, next_, _ = _coverage()
    m = first.search(up_to, max(0, len(up_to) - 16)) or next_.search(up_to, max(0, len(up_to) - 64))
    return labels.counted_noun(m["whole"], "")[0] if m else ""
