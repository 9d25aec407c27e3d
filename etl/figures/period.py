"""The time a figure refers to: time words in its sentence or paragraph, made dates.

Pure functions on strings. `time_words` finds the time expressions of a text (2022年,
截至6月底, 上半年, “十四五”期间, 到2025年, 近年来 …); `resolve` turns one into a `Period`
given the year it is anchored to (a year the passage states, else the document's
date). The words live in `etl/data/context.toml` ([period]).
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Callable, Iterator

from ..text.dates import with_digit_years
from .lexicon import DIGITS, after_digit_run, alternation, first_chars, load_data
from .numerals import NumeralError, parse_numeral

_NUM = r"[0-9]{1,2}|[一二三四五六七八九十]{1,3}"


@dataclass(frozen=True, slots=True)
class Period:
    """Dates a figure refers to (either may be None) and the words that say so.

    `past` marks vague past words (近年来) that lead no target in their paragraph;
    `future_end` says the words point ahead (到2025年), which makes a figure a target.
    `year` is the year the words state themselves, which anchors later relative words.
    """

    start: date | None
    end: date | None
    text: str
    past: bool = False
    future_end: bool = False
    year: int | None = None


NO_PERIOD = Period(None, None, "")


@cache
def _data() -> dict:
    return load_data("context.toml")["period"]


@cache
def _firsts() -> str:
    """Every time expression starts with one of these characters."""
    d = _data()
    words = [*d["relative_year"], *d["year_parts"], *d["plans"], *d["now"], *d["up_to_now"], *d["vague_past"],
             *d["moments"]["words"], *d["report"], *d["then"], *d["years_ahead"], *d["holidays"]]
    return "".join(sorted({w[0] for w in words} | set("“\"到至截过前0123456789一二三四五六七八九十两")))


@cache
def _branches() -> tuple[str, ...]:
    """The kinds of time expression, each a named group, in the order they are tried: a
    time word is the first branch that matches where one of `_firsts` stands."""
    d = _data()
    rel = alternation(d["relative_year"])
    parts = alternation(d["year_parts"])
    plans = alternation(d["plans"])
    return (
        rf"(?P<plan>[“\"]?(?P<plan_name>{plans})[”\"]?(?P<plan_part>期间|时期|以来|期末|末|初)?)",
        rf"(?P<to>(?:到|至)(?:(?P<to_year>[0-9]{{4}})年(?P<to_end>底|末)?|(?:(?P<to_rel>{rel})年?|年)[底末])"
        rf"(?P<level_of>(?=的))?)",
        rf"(?P<cutoff>截[至止]到?(?:(?P<cut_year>[0-9]{{4}})年|(?P<cut_rel>{rel}))?"
        rf"(?:(?P<cut_month>{_NUM})月(?:底|末|份|(?P<cut_day>{_NUM})日)?|(?P<cut_part>{parts})[底末]|(?P<cut_year_end>年?[底末])))",
        rf"(?P<upto>{alternation(d['up_to_now'])})",
        rf"(?P<now>{alternation(d['now'])})",
        rf"(?P<report>{alternation(d['report'])})",
        rf"(?P<then>{alternation(d['then'])})",
        rf"(?P<since>(?:(?:(?P<since_year>[0-9]{{4}})年|(?P<since_rel>{rel}))?(?P<since_month>{_NUM})月份?"
        rf"|(?:(?P<since_year2>[0-9]{{4}})年|(?P<since_rel2>{rel}))(?:年?初)?|年初)以来)",
        rf"(?P<ahead>(?:{alternation(d['years_ahead'])})(?P<ahead_n>{_NUM}|两)年)",
        rf"(?P<past_years>(?:过去|近)(?P<past_n>{_NUM}|两)年来?|(?P<past_n2>{_NUM}|两)年(?:(?P<past_more>多)?来|间))",
        rf"(?P<vague>{alternation(d['vague_past'])}|前(?:{_NUM})期)",
        rf"(?P<holiday>(?:(?P<hol_year>[0-9]{{4}})年|(?P<hol_rel>{rel}))?(?P<hol_name>{alternation(d['holidays'])}))",
        rf"(?P<whole>(?:(?P<whole_year>[0-9]{{4}})年|(?P<whole_rel>{rel}))(?:{alternation(d['whole_year'])}))",
        rf"(?P<span>(?:(?P<span_year>[0-9]{{4}})年|(?P<span_rel>{rel}))?"
        rf"(?:(?P<part>{parts})(?:(?P<part_end>[底末])|内)?|(?P<m1>{_NUM})[—\-－~至到](?P<m2>{_NUM})月(?:份)?|前(?P<first_n>{_NUM})个?月|(?P<moment>{alternation(d['moments']['words'])})))",
        rf"(?P<at_end>(?:(?P<end_year>[0-9]{{4}})年|(?P<end_rel>{rel}))(?:{alternation(d['moments']['year_end'])}))",
        rf"(?P<years>(?P<y1>[0-9]{{4}})年?[—\-－~至到](?P<y2>[0-9]{{4}})年)",
        rf"(?P<day>(?P<day_m>{_NUM})月(?P<day_d>{_NUM})日)",
        rf"(?P<month>(?:(?P<month_year>[0-9]{{4}})年|(?P<month_rel>{rel}))?(?P<mon>{_NUM})月(?P<month_part>份|末|底))",
        rf"(?P<year>(?P<year_n>[0-9]{{4}})年(?:度(?![报告]))?)",
        rf"(?P<rel>{rel})"
    )


def time_word_alternation() -> str:
    """Every kind of time expression as one alternation (its named groups kept), for the
    label steps to strip a time word standing between a label and its number (11月份,
    1—11月, 前三季度)."""
    return rf"(?=[{re.escape(_firsts())}])(?:{'|'.join(_branches())})"  # most places fail at the first character


def _day_of_values(text: str, m: re.Match, before: str) -> bool:
    """Whether a month and day (3月27日) is the day the figures after it are of: it opens
    a clause of its own (资本市场方面，3月27日，H股收报3.25港元) and its sentence tells of
    no event (7月30日，…集中开工仪式在高新区举行: the day of the event, not of its amounts);
    a dateline (本报讯7月30日) or a full date (2024年5月20日) opens no clause."""
    if m.start() > 0 and before not in _data()["clause_openers"]:
        return False
    after = _day_clause().match(text, m.end())
    if after is None:
        return False
    end = _sentence_end().search(text, after.end())
    return _event_verb().search(text, after.end(), end.start() if end else len(text)) is None


def event_day_before(text: str, end: int) -> bool:
    """Whether a month and day opening a clause of its own before `end` dates an event
    (3月11日，该区…举办专场推介会，现场签约项目8个: the figures are the event's, no paragraph's
    lead dates them; the contract: a date on which something happened is no period; period12)."""
    if text.find("日", 0, end) < 0:
        return False  # a day is written with 日 (`day`): most sentences of figures hold none
    for m in _time_matches(text, 0, end):
        before = text[m.start() - 1 : m.start()]
        if (m["day"] and (m.start() == 0 or before in _data()["clause_openers"])
                and _day_clause().match(text, m.end()) and not _day_of_values(text, m, before)):
            return True
    return False


@cache
def _day_clause() -> re.Pattern:
    d = _data()["day"]
    return re.compile(rf"(?:{alternation(d['parts'])})?[{re.escape(''.join(_data()['clause_openers']))}]")


@cache
def _sentence_end() -> re.Pattern:
    return re.compile(f"[{re.escape(''.join(_data()['sentence_ends']))}]")


@cache
def _event_verb() -> re.Pattern:
    return re.compile(alternation(_data()["day"]["event_verbs"]))


@cache
def _event_name() -> re.Pattern:
    d = _data()
    return re.compile(rf"{d['event_name_gap']}(?:{alternation(d['event_names'])})(?:{d['event_name_end']})"
                      rf"|{d['campaign_names']}")


@cache
def _base_after() -> re.Pattern:
    return re.compile(_data()["base_after"])


@cache
def _change_verb() -> re.Pattern:
    return re.compile(rf"(?:{alternation(_data()['change_to_verbs'])})$")


@cache
def _completion_words() -> tuple[str, ...]:
    return tuple(_data()["completion_after_month"])


@cache
def _due_event() -> re.Pattern:
    return re.compile(rf"(?:{alternation(_data()['due_links'])})?(?:{alternation(_completion_words())})")


@cache
def _date_after_year() -> re.Pattern:
    return re.compile(_data()["date_after_year"])


@cache
def _by_first_char() -> dict[str, Callable[[str, int, int], re.Match | None]]:
    """For each of `_firsts`, the `match` of a pattern of only the branches that can start
    with it (read from their parsed form, so a new branch needs no change here), in their
    order. The stdlib engine enters each branch in turn (a named group is no literal it can
    skip at a glance), 18 at a digit in one pattern of all, a few here. The other branches
    follow behind a lookahead that fails: every match has every group name."""
    branches = _branches()
    starts = [first_chars(b) for b in branches]
    compiled: dict[tuple[int, ...], Callable] = {}
    by_char = {}
    for char in _firsts():
        kept = tuple(i for i, s in enumerate(starts) if s is None or char in s)
        if kept not in compiled:
            tried = "|".join(branches[i] for i in kept) or "(?!)"
            rest = "|".join(b for i, b in enumerate(branches) if i not in kept)
            compiled[kept] = re.compile(f"(?:{tried})" + (f"|(?!)(?:{rest})" if rest else "")).match
        by_char[char] = compiled[kept]
    return by_char


@cache
def _after_digit_run() -> frozenset[str] | None:
    """What may follow the digits a time word opens with (年, 月, a range's dash …), read
    from the branches (`lexicon.after_digit_run`); None when that is not known."""
    return after_digit_run("|".join(_branches()))


@cache
def _first_char() -> re.Pattern:
    """Where a time word may start: one of `_firsts`; a digit only in a run of digits
    followed by what may follow a time word's leading digits (`_after_digit_run`). A
    number (4218套, 12.6%) is then passed over in the one search, not tried place by place
    against every branch that opens with a year."""
    firsts, after = re.escape(_firsts()), _after_digit_run()
    if after is None:
        return re.compile(f"[{firsts}]")
    digits = "".join(sorted(DIGITS))
    return re.compile(f"[{firsts}](?:(?<![{digits}])|[{digits}]*[{re.escape(''.join(sorted(after)))}])")


def _time_matches(text: str, start: int, end: int) -> Iterator[re.Match]:
    """The time expressions of text[start:end] left to right, each the first branch that
    matches where one of `_firsts` stands, as `(?=[firsts])(?:branch|branch…)` would
    find them with `finditer`; the branches tried are those the character at hand can
    start (`_by_first_char`). An empty match (no branch has one) would be passed over."""
    next_first, by_char = _first_char().search, _by_first_char()
    text = _time_view(text)
    at = next_first(text, start, end)
    while at is not None:
        pos = at.start()
        m = by_char[text[pos]](text, pos, end)
        if m is not None and m.end() > pos:
            yield m
            pos = m.end() - 1
        at = next_first(text, pos + 1, end)


def _time_match_at(text: str, pos: int) -> re.Match | None:
    """The time expression that starts at `pos`, if any (`_time_matches` at one place)."""
    match = _by_first_char().get(text[pos : pos + 1])
    return None if match is None else match(_time_view(text), pos, len(text))


class _TimeView(str):
    """A text as time words are read in it (`_time_view`), which keeps the text as written."""

    written: str


@lru_cache(maxsize=256)  # a sentence's time words are asked for by each of its figures
def _time_view(text: str) -> str:
    """`text` as time words are read in it: years in Chinese digits (二〇二五年) written in
    ASCII digits, offsets unchanged; `_as_written` gives a match's words as the text has them."""
    view = with_digit_years(text)
    if view is text:
        return text
    out = _TimeView(view)
    out.written = text
    return out


def _as_written(m: re.Match) -> str:
    """The words of a time match as its text has them (a match on a `_TimeView` reads its
    ASCII years: the match's string is the view, which keeps the written text)."""
    return getattr(m.string, "written", m.string)[m.start() : m.end()]


def time_words(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, re.Match]]:
    """The time expressions in text[start:end] that can be a figure's period, in order,
    as (start, end, match); event dates (成立于2008年, 2020年第二批, 比上年) are left out."""
    d = _data()
    found = []
    for m in _time_matches(text, start, len(text) if end is None else end):
        if m["level_of"] is not None and _change_verb().search(text, max(0, m.start() - 3), m.start()):
            # 增加到2025年的1186.4亿元: the year of the new level, not a deadline
            level = _time_match_at(text, m.start() + 1)
            found.append((level.start(), level.end(), level))
            continue
        before = text[max(0, m.start() - 1) : m.start()]
        after = text[m.end() : m.end() + 4]
        if m["year"] and (before in d["event_before"] or _names_or_dates(after, before)):
            continue
        if m["now"] and before in d["now_not_after"]:
            continue  # 项目前期: 目 ends 项目, no 目前
        if m["report"] and after.startswith(tuple(d["not_after_report"])):
            continue  # 本期债券: the issue of a bond, not the period of a report
        if before in d["base_before"] or _base_after().match(text, m.end()):
            continue  # 比上年, 比一季度, 占“十四五”期间…的, 是上年的1.4倍: the base of a comparison
        if (m["year"] or m["rel"]) and _date_after_year().match(after):
            continue  # 2024年5月20日, 去年9月: the date of an event
        if m["rel"] and after.startswith("度"):
            continue
        if m["plan"] and not m["plan_part"] and after.startswith(tuple(d["plan_names"])):
            continue  # “十四五”规划纲要: the name of the plan
        if (m["month"] or m["moment"] or m["at_end"]) and _due_event().match(text, m.end()):
            continue  # 预计今年10月底建成投产, 年底前可交付: the day the event is due
        if _event_name().match(text, m.end()):
            continue  # 三季度重大项目集中开工活动: the time word names an event
        if m["day"] and not _day_of_values(text, m, before):
            continue
        found.append((m.start(), m.end(), m))
    return found


def _names_or_dates(after: str, before: str) -> bool:
    """Whether what follows a year makes it part of a name or a date (2020年第二批, 2020年的
    规划), except the earlier level of a change (由2020年的1836亿元增至…), whose own year it is."""
    d = _data()
    if before in d["change_from"] and after.startswith("的"):
        return False
    return after.startswith(tuple(d["not_after_year"]))


def stated_year(m: re.Match) -> int | None:
    """The year a time expression writes out (2022年, 截至2022年6月底), if any."""
    for group in ("year_n", "span_year", "end_year", "cut_year", "to_year", "y2", "month_year", "since_year",
                  "since_year2", "whole_year", "hol_year"):
        if m[group]:
            return int(m[group])
    return None


def resolve(m: re.Match, anchor_year: int | None, today: date | None = None,
            report: tuple[date, date] | None = None) -> Period:
    """The period one time expression gives, its relative words counted from `anchor_year`
    (a year stated earlier in the passage or the document's); `today` is the document's
    full date, which 目前 and 截至目前 stand for; `report` the first and last day of the
    report the text is about, which 报告期内 stands for and 上年同期 a year before."""
    text = _as_written(m)
    year = stated_year(m)
    if m["plan"]:
        return _plan(m, text, today)
    if m["to"]:  # 到2025年, 到今年年底: a deadline
        year = _year_of(m, year, anchor_year)
        if year is None:
            return Period(None, None, text, future_end=True)
        end = date(year, 12, 31)
        return Period(None, end, text, future_end=today is None or end > today, year=year)
    if m["cutoff"]:
        return _cutoff(m, text, _year_of(m, year, anchor_year))
    if m["upto"] or m["now"]:
        return Period(None if m["upto"] else today, today, text)
    if m["report"]:
        return _report(text, m["report"], report)
    if m["then"]:
        return Period(None, None, text)  # the time of an earlier time word: see context.figure_period
    if m["since"]:
        return _since(m, text, _year_of(m, year, anchor_year), year, today)
    if m["ahead"]:  # 今后五年 in a report of January 2023: 2023–2027, a plan
        n, base = _number(m["ahead_n"]), today.year if today else anchor_year
        if base is None or not n:
            return Period(None, None, text, future_end=True)
        return Period(date(base, 1, 1), date(base + n - 1, 12, 31), text, future_end=True)
    if m["past_years"]:
        n = _number(m["past_n"] or m["past_n2"])
        base = today.year if today else anchor_year
        if base is None or n is None or m["past_more"]:  # 两年多来: more than two years, from when?
            return Period(None, None, text, past=True)
        return Period(date(base - n, 1, 1), date(base - 1, 12, 31), text, past=True)
    if m["vague"]:
        return Period(None, None, text, past=True)
    if m["years"]:
        return Period(date(int(m["y1"]), 1, 1), date(int(m["y2"]), 12, 31), text, year=year)
    if m["rel"] in _data()["same_period"] and report is not None:  # 上年同期 of a half-year report
        return _report(text, "上年同期", year_before(report))
    base = _year_of(m, year, anchor_year)
    if base is None:
        return Period(None, None, text)
    if m["day"]:
        return _day(m, text, base, today)
    if m["holiday"]:
        return _holiday(m, text, base, today, year)
    if m["month"]:
        return _month(m, text, base, year)
    if m["span"] or m["at_end"]:
        return _span(m, text, base, year)
    return Period(date(base, 1, 1), date(base, 12, 31), text, year=year)


def _since(m: re.Match, text: str, base: int | None, year: int | None, today: date | None) -> Period:
    """今年以来, 2023年以来, 5月以来: from the first day of that year or month (a month with
    no year still ahead of the document's date is of the year before: 12月以来 in a page of
    January), with no end: the text fixes none (54 gold figures in 8 sets, the six newest
    writers' among them, against 33 in 6 that end it at the document's date; clause11 had
    followed the latter)."""
    month = _number(m["since_month"]) if m["since_month"] else 1
    if base is None or month is None or not 1 <= month <= 12:
        return Period(None, None, text, year=year)
    start = date(base, month, 1)
    if year is None and m["since_month"] and not m["since_rel"] and today is not None and start > today:
        start = date(base - 1, month, 1)
    return Period(start, None, text, year=year)


def relative_word(m: re.Match) -> str | None:
    """The relative year word of a time expression (今年, 去年 in 去年上半年, 去年底), if any."""
    return (m["rel"] or m["span_rel"] or m["end_rel"] or m["month_rel"] or m["since_rel"] or m["since_rel2"]
            or m["cut_rel"] or m["whole_rel"] or m["to_rel"] or m["hol_rel"])


def _year_of(m: re.Match, year: int | None, anchor_year: int | None) -> int | None:
    if year is not None:
        return year
    word = relative_word(m)
    if anchor_year is None:
        return None
    return anchor_year + (_data()["relative_year"][word] if word else 0)


def _report(text: str, word: str, report: tuple[date, date] | None) -> Period:
    """报告期内 (the report's period), 报告期末 (its last day), 截至报告期末 (up to it),
    年初至报告期末 (its year up to it)."""
    if report is None:
        return Period(None, None, text)
    (first, end), part = report, _data()["report"].get(word, "period")
    starts = {"to_end": None, "end": end, "year_to_end": date(first.year, 1, 1)}
    start = starts.get(part, first)
    return Period(start, end, text, year=first.year)


def year_before(span: tuple[date, date]) -> tuple[date, date]:
    """The same part of the year before (2025-01-01..2025-06-30 → 2024-01-01..2024-06-30);
    a last day of a month stays the last (2024-02-29 → 2023-02-28)."""
    first, last = span
    end = _month_end(last.year - 1, last.month) if last == _month_end(last.year, last.month) else None
    return _same_day(first, first.year - 1), end or _same_day(last, last.year - 1)


def _same_day(day: date, year: int) -> date:
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def _span(m: re.Match, text: str, base: int, year: int | None) -> Period:
    if m["moment"] or m["at_end"]:
        end = date(base, 12, 31)
        return Period(end, end, text, year=year)
    if m["part"]:
        first, last = map(int, _data()["year_parts"][m["part"]].split("-"))
        if m["part_end"]:  # 三季度末, 上半年末: the part's last day
            return Period(_month_end(base, last), _month_end(base, last), text, year=year)
    else:  # 1—7月, 前7个月
        first, last = (1, _number(m["first_n"])) if m["first_n"] else (_number(m["m1"]), _number(m["m2"]))
        if not first or not last or not 1 <= first <= last <= 12:
            return Period(None, None, text, year=year)
    return Period(date(base, first, 1), _month_end(base, last), text, year=year)


def _day(m: re.Match, text: str, base: int, today: date | None) -> Period:
    """One day (3月27日): of the document's year, or the year before when that day is
    still ahead of the document's date."""
    month, day = _number(m["day_m"]), _number(m["day_d"])
    if today is not None and month is not None and day is not None and (month, day) > (today.month, today.day):
        base = today.year - 1
    try:
        when = date(base, month, day)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return Period(None, None, text)
    return Period(when, when, text)


def _holiday(m: re.Match, text: str, base: int, today: date | None, year: int | None) -> Period:
    """A public holiday (元旦假期, 国庆假期, 春节假期): its usual days off in `holidays`, the
    Spring Festival's by year; with no year or relative word of its own, the year before
    when it is still ahead of the document's date (国庆假期 on a page of January)."""
    d = _data()
    days = d["holidays"][m["hol_name"]]
    span = _holiday_days(d, days, base)
    if span and year is None and not m["hol_rel"] and today is not None and span[0] > today:
        span = _holiday_days(d, days, base - 1)
    return Period(*span, text, year=year) if span else Period(None, None, text, year=year)


def holiday_of(text: str, today: date | None) -> tuple[date, date] | None:
    """The days off of the public holiday a text's head (its title, its lead) names (国庆中秋假期我市
    接待游客… on a page of October 9), which a report on it speaks of in its 假期期间; None when it
    names none."""
    for _, _, m in time_words(text, 0, min(len(text), _data()["holiday_head_chars"])):
        if m["holiday"]:
            when = resolve(m, today.year if today is not None else None, today)
            return (when.start, when.end) if when.start is not None else None
    return None


def _holiday_days(d: dict, days: str, year: int) -> tuple[date, date] | None:
    if days == "spring":
        days = d["spring_festival"].get(str(year), "")
    if not days:
        return None
    (m1, d1), (m2, d2) = (map(int, part.split("-")) for part in days.split(".."))
    return date(year, m1, d1), date(year, m2, d2)


def _month(m: re.Match, text: str, base: int, year: int | None) -> Period:
    """One month (11月份) or its last day (11月末, 11月底)."""
    month = _number(m["mon"])
    if not month or not 1 <= month <= 12:
        return Period(None, None, text, year=year)
    end = _month_end(base, month)
    start = end if m["month_part"] != "份" else date(base, month, 1)
    return Period(start, end, text, year=year)


def _plan(m: re.Match, text: str, today: date | None) -> Period:
    first = _data()["plans"][m["plan_name"]]
    last = first + 4
    if m["plan_part"] in ("末", "期末"):
        end = date(last, 12, 31)
        if today is not None and end > today:  # “十四五”末 ahead of the document: a deadline, like 到2025年
            return Period(None, end, text, future_end=True)
        return Period(end, end, text)
    if m["plan_part"] == "初":
        return Period(date(first, 1, 1), date(first, 12, 31), text)
    if m["plan_part"] == "以来":  # “十四五”以来: from the plan's first year on, to its end once it has ended
        end = date(last, 12, 31)
        return Period(date(first, 1, 1), end if today is not None and end < today else None, text)
    return Period(date(first, 1, 1), date(last, 12, 31), text)


def _cutoff(m: re.Match, text: str, year: int | None) -> Period:
    if m["cut_year_end"] and year is not None:  # 截至2023年底, 截至去年末
        return Period(None, date(year, 12, 31), text, year=m["cut_year"] and int(m["cut_year"]))
    if m["cut_part"] and year is not None:  # 截至三季度末: up to the part's last day
        last = int(_data()["year_parts"][m["cut_part"]].split("-")[1])
        return Period(None, _month_end(year, last), text, year=m["cut_year"] and int(m["cut_year"]))
    month = _number(m["cut_month"])
    if year is None or month is None or not 1 <= month <= 12:
        return Period(None, None, text)
    day = _number(m["cut_day"]) if m["cut_day"] else None
    try:
        end = date(year, month, day) if day else _month_end(year, month)
    except ValueError:
        return Period(None, None, text)
    return Period(None, end, text, year=m["cut_year"] and int(m["cut_year"]))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _number(text: str | None) -> int | None:
    if not text:
        return None
    try:
        return int(parse_numeral(text))
    except NumeralError:
        return None


def paragraph_lead(head: str) -> re.Match | None:
    """The time expression that leads a paragraph (`head`, its first characters) and so
    governs its sentences that state no time of their own: the first one that opens or
    closes one of the first clauses of its first sentence (2022年，…; 据介绍，2022年，…;
    初步核算，全年…; 规划实施两年多来，…), not one of a later clause (…措施，2023年新招聘…:
    that clause's own). A paragraph's enumerator (（一）) or the subtitle of a list item
    (——产业转型步伐加快。全年新认定…) is passed over: the lead is in what follows."""
    d = _data()
    opening = _subtitle().match(head)
    begin = opening.end() if opening else 0
    end = _first_sentence_end(head, begin)
    # After a list item's subtitle the lead opens the first clause: the item's first sentence
    # may set the time of its second clause only (——…。新登记…5.92万户，年末…总量达到48.6万户。).
    most = 1 if opening and opening["subtitle"] else d["lead_max_clause"]
    for start, stop, m in time_words(head, begin, end):
        opens = (start == begin or head[start - 1] in d["clause_openers"] or _after_subject(head, begin, start)
                 or _framed(head, begin, start, stop, end))
        if (opens or head[stop : stop + 1] in d["clause_openers"]) and not _in_title(head, stop, end):
            return m if _clauses_before(head, begin, start) < most else None
    return None


@cache
def _subtitle() -> re.Pattern:
    d = _data()
    return re.compile(rf"(?P<subtitle>{d['subtitle']})|{d['enumerator']}")


def _after_subject(head: str, begin: int, start: int) -> bool:
    """Whether only a short subject or modal word opens the clause before a time word
    (集团全年实施…, 力争全年新增…: the clause's time still, period12)."""
    openers = _data()["clause_openers"]
    clause_start = max([begin, *(head.rfind(c, begin, start) + 1 for c in openers)])
    before = head[clause_start:start]
    return 0 < len(before) <= _data()["lead_subject_max"] and not any(c in DIGITS for c in before)


def _framed(head: str, begin: int, start: int, stop: int, end: int) -> bool:
    """Whether the time word at `start`..`stop` stands in a clause framed as 在…中 (在全年
    完成投资中，…: what follows is of that year)."""
    frame, openers = _data()["lead_frame"], _data()["clause_openers"]
    clause_start = max((head.rfind(c, begin, start) + 1 for c in openers), default=begin) or begin
    clause_end = min((i for c in openers if (i := head.find(c, stop, end)) >= 0), default=-1)
    return (clause_end > 0 and head[clause_start:start] in frame["opens"]
            and head[:clause_end].endswith(tuple(frame["closes"])))


def _in_title(head: str, stop: int, end: int) -> bool:
    """Whether a time word's clause is a document's title (2024年西岭市人民政府工作报告——…,
    which the cleaner joined to the first paragraph): it leads nothing."""
    clause_end = min((i for c in _data()["clause_openers"] if (i := head.find(c, stop, end)) >= 0), default=end)
    return any(head.find(w, stop, clause_end) >= 0 for w in _data()["title_words"])


def _clauses_before(head: str, begin: int, at: int) -> int:
    """The clauses between `begin` and `at` that say something: a frame (记者从市统计局获悉，
    据了解，3月5日，) is no clause of the paragraph's content."""
    pieces = _clause_split().split(head[begin:at])[:-1]
    return sum(1 for p in pieces if not _frame().search(p))


@cache
def _clause_split() -> re.Pattern:
    return re.compile(f"[{re.escape(''.join(_data()['clause_openers']))}]")


@cache
def _frame() -> re.Pattern:
    d = _data()
    return re.compile(rf"(?:{alternation(d['frame_words'])}|(?:{_NUM})月(?:{_NUM})日(?:{alternation(d['day']['parts'])})?)$")


def _first_sentence_end(head: str, begin: int = 0) -> int:
    """Where the first sentence from `begin` ends: at a sentence end or the end of its line
    (a heading that titles the rows of a table below it)."""
    ends = [i for c in (*_data()["sentence_ends"], "\n") if (i := head.find(c, begin)) >= 0]
    return min(ends, default=len(head))
