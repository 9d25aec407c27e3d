"""The context of a figure (contract v3): indicator, relation, period and modality.

A figure's clause is read as topic NP + indicator + relation word + number, with a
time adverbial and a modal word somewhere before it in the sentence (or a time word
leading the paragraph). Pure functions on the cleaned text; the words live in
`etl/data/context.toml`, the labels come from `labels`, the dates from `period`.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from types import SimpleNamespace

from . import labels, period
from .lexicon import alternation, load_data
from .period import NO_PERIOD, Period

#: The longest noun phrase taken whole as an indicator (longer ones hold more than a name).
_MAX_INDICATOR = 12


@dataclass(frozen=True, slots=True)
class Anchor:
    """What relative time words count from: the document's date (`today`, None when
    unknown) and the year its passages speak of (`year`): the year its title states (a
    communiqué on 2023 published in 2024), else the year of its date."""

    today: date | None = None
    year: int | None = None

    @classmethod
    def of(cls, today: date | None, title_year: int | None = None) -> "Anchor":
        return cls(today, title_year if title_year is not None else today.year if today else None)


@dataclass(slots=True)  # not frozen: one is built per candidate, frozen init costs 3x
class Context:
    indicator: str
    relation: str
    period: Period
    modality: str


@cache
def _patterns() -> SimpleNamespace:
    data = load_data("context.toml")
    rel, modal = data["relation"], data["modality"]
    words = {w: name for name in ("increase", "decrease", "share") for w in rel[name]}
    words.update({w: "level" for w in rel["level"]})
    return SimpleNamespace(
        relation_words=words,
        # The `…_at_end` patterns are searched from this many characters before the end
        # only: a search for `(?:…)$` would otherwise try every position of a long clause.
        tail=max(map(len, [*words, *rel["connectors"]])),
        # Characters of the relation words: a clause whose end holds none of them is a level
        # unless 占 opens a share (most figures; spares the patterns).
        relation_chars=frozenset("".join(w for w, r in words.items() if r != "level")),
        relation_at_end=re.compile(rf"(?:{alternation(words)})$"),
        connector_at_end=re.compile(rf"(?:{alternation(rel['connectors'])})$"),
        to_level=tuple(rel["to_level"]),
        negative_signs=tuple(rel["negative_signs"]),
        share_opener=rel["share_opener"],
        not_share=tuple(rel["not_share"]),
        comparison=re.compile(alternation(rel["comparison"])),
        comparison_at_end=re.compile(rf"(?:{alternation(rel['comparison'])})$"),
        target_words=tuple(modal["target_words"]),
        target_list=re.compile(rf"(?:{alternation(modal['target_words'])})[^{modal['list_end']}]*?{modal['list_lead']}"
                               rf"[^{modal['list_end']}]*$"),
        list_end=modal["list_end"],
    )


@cache
def change_label_pattern() -> str:
    """A regex for a label that ends in a relation word (增长, 增速, 下降, 比重) and so names
    a change or a share, not a level (新增 ends in 增 but is a flow)."""
    words = _patterns().relation_words
    changes = alternation(w for w, r in words.items() if r != "level")
    levels = alternation(w for w, r in words.items() if r == "level")
    return rf"^(?!.*(?:{levels})$).*(?:{changes})$"


def relation(prefix: str, number_text: str = "") -> str:
    """Which way a figure goes, from the clause text before its number (`prefix`, which
    may end with a sign: 增速-12.6%) and the number as written."""
    pat = _patterns()
    negative = prefix.endswith(pat.negative_signs) or number_text.startswith(pat.negative_signs)
    if pat.relation_chars.isdisjoint(prefix[-2 * pat.tail :]) and pat.share_opener not in prefix:
        return "level"
    text = _strip_linking(prefix)
    if text.endswith(pat.to_level) and _at_end(pat.relation_at_end, text[:-1]):
        return "level"  # 提高到8%: the new level, not the change
    m = _at_end(pat.relation_at_end, text)
    found = pat.relation_words[m.group()] if m else "level"
    if found == "level" and _opens_share(text):
        found = "share"
    if negative and found == "increase":
        return "decrease"  # 增速-12.6%, 负增长: the value stays unsigned, the way turns
    return found


def strip_sign(prefix: str) -> str:
    """The clause text before a number without the sign written before the number."""
    return prefix.rstrip("".join(_patterns().negative_signs))


def _strip_linking(prefix: str) -> str:
    """The clause text before a number without a sign and linking words at its end
    (增长了 → 增长, 增速- → 增速)."""
    pat = _patterns()
    text = strip_sign(prefix)
    while (m := _at_end(pat.connector_at_end, text)) and m.start() > 0:
        text = text[: m.start()]
    return text


def _at_end(pattern: re.Pattern, text: str) -> re.Match | None:
    return pattern.search(text, max(0, len(text) - _patterns().tail))


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
    head = _head_before_relation(prefix, True if relation_ == "level" else relation_ == "share")
    if head:
        return head
    if before:
        return before
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
    earlier = sentence_before[: max(map(sentence_before.rfind, labels.CLAUSE_DELIMITERS), default=-1) + 1]
    if not earlier:
        return ""
    numbers = list(_NUMBER.finditer(earlier))
    for number in reversed(numbers):
        clause = earlier[: number.start()]
        clause = _strip_linking(clause[max(map(clause.rfind, labels.CLAUSE_DELIMITERS), default=-1) + 1 :])
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
    if not label or labels.metric_head_dimension(label) == "percent":
        return ""
    return labels.whole_label(head, label, _MAX_INDICATOR)


@lru_cache(maxsize=4096)
def _time_words(sentence: str) -> tuple[tuple[int, int, re.Match], ...]:
    return tuple(period.time_words(sentence))


@lru_cache(maxsize=1024)
def _lead(paragraph_head: str):
    return period.paragraph_lead(paragraph_head)


def figure_period(sentence: str, offset: int, paragraph_head: str, anchor: Anchor,
                  target: bool) -> Period:
    """The period of a figure `offset` characters into its sentence: the last time
    expression before it there, else the one leading its paragraph (`paragraph_head`,
    the paragraph's first characters); none when that is vague past time and the
    figure a target. Relative words count from a year stated before them in the passage, else
    from the document's date."""
    lead = _lead(paragraph_head)
    lead_year = period.stated_year(lead) if lead else None
    anchor_year = lead_year if lead_year is not None else anchor.year
    chosen = None
    for start, _, m in _time_words(sentence):
        if start >= offset:
            break
        if chosen is not None and period.stated_year(chosen):
            anchor_year = period.stated_year(chosen)
        chosen = m
    if chosen is None and lead is None:
        return NO_PERIOD
    when = period.resolve(chosen, anchor_year, anchor.today) if chosen else period.resolve(lead, anchor.year, anchor.today)
    # 近年来…，预计…: vague past time is not the time of a forecast.
    return NO_PERIOD if target and when.past else when


def _in_target_list(before_sentence: str) -> bool:
    """Whether the text before a figure's sentence, back to the last 。, opens a list of
    goals with a modal word and a colon (主要预期目标是：…；)."""
    pat = _patterns()
    return bool(before_sentence) and pat.target_list.search(before_sentence) is not None


@lru_cache(maxsize=1024)
def _first_target_end(sentence: str) -> float:
    """Where the earliest-ending modal word of a sentence ends (inf when it has none): a
    figure at `offset` has a modal word before it exactly when this is <= offset. Found
    once per sentence, so a sentence of many figures costs linear, not quadratic, time."""
    ends = [i + len(w) for w in _patterns().target_words if (i := sentence.find(w)) >= 0]
    return min(ends, default=math.inf)


def figure_context(sentence: str, offset: int, paragraph_head: str, anchor: Anchor, *, metric: str,
                   prefix: str, number_text: str, before: str | None, after_noun: str,
                   before_sentence: str = "") -> Context:
    """The whole context of one figure (see the functions above for each field). Its
    modality is `target` when a modal word stands before it in its sentence (预计, 力争,
    建成后可实现) or its period lies ahead of the document (到2025年)."""
    how = relation(prefix, number_text)
    modal = _first_target_end(sentence) <= offset or _in_target_list(before_sentence)
    when = figure_period(sentence, offset, paragraph_head, anchor, modal)
    target = modal or when.future_end
    what = indicator(how, metric, prefix, before, after_noun, sentence[:offset])
    return Context(what, how, when, "target" if target else "actual")
