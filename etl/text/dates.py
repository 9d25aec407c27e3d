"""The date of a document: from its 发布时间, a web page's stamp, a dateline with a year, a
newspaper page's masthead, the delivery date of a report, the date that signs a communiqué
or the one under a report's issuer, in that order (`etl/data/dates.toml`); and the period
of the report a text is about (2023年年度报告, 2025年半年度报告), which 报告期内 means.

Pure: cleaned text in, (date, source) out; (None, None) when the text states no full
date. Relative time words in the figures (今年, 截至目前) count from it.
"""
from __future__ import annotations

import calendar
import re
import tomllib
from datetime import date
from functools import cache
from importlib import resources


@cache
def _rules() -> tuple[dict, list[tuple[str, dict, re.Pattern]]]:
    data = tomllib.loads(resources.files("etl.data").joinpath("dates.toml").read_text("utf-8"))
    sources = [(name, data["source"][name], re.compile(data["source"][name]["pattern"])) for name in data["order"]]
    return data, sources


def document_date(text: str) -> tuple[date | None, str | None]:
    """The date `text` was published or delivered, and which kind of statement gave it."""
    for name, rule, pattern in _rules()[1]:
        part = text[: rule["chars"]] if rule["where"] == "head" else text[-rule["chars"] :]
        for m in pattern.finditer(part):
            found = _date(m["y"], m["m"], m["d"])
            if found is not None:
                return found, name
    return None, None


def item_dates(text: str) -> list[tuple[int, date]]:
    """Where each news item of a page states its own publication (a 发布时间 line, a web
    page's stamp: `dates.toml` `item_sources`) and the date it states, in order: a page that
    gathers items published on different days dates each item by its own line."""
    data, sources = _rules()
    found = []
    for name, _, pattern in sources:
        if name in data["item_sources"]:
            found += [(m.start(), day) for m in pattern.finditer(text) if (day := _date(m["y"], m["m"], m["d"]))]
    return sorted(found)


def news_page(text: str) -> bool:
    """Whether the head of `text` holds a news dateline (本报讯, （记者…）, 新华社…电): a
    newspaper's page, whatever line gave its date."""
    rule = _rules()[0]["news_page"]
    return re.search(rule["pattern"], text[: rule["chars"]]) is not None


def title_year(text: str) -> int | None:
    """The year the title of a report or communiqué states (2023年…统计公报), if any."""
    m = re.search(_rules()[0]["title_year"], text[:200])
    return int(m["y"]) if m else None


def report_period(text: str) -> tuple[date, date] | None:
    """The first and last day of the report a text is about (披露2023年年度报告: 2023;
    2025年半年度报告摘要: its first half), if it names one in its head."""
    rules = _rules()[0]
    m = re.search(rules["report_period"], text[: rules["report_chars"]])
    if m is None:
        return None
    year = int(m["y"])
    first, last = map(int, rules["report_parts"][m["part"]].split("-")) if m["part"] else (1, 12)
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])


def _date(y: str, m: str, d: str) -> date | None:
    try:
        return date(_year(y), _small_number(m), _small_number(d))
    except ValueError:
        return None


def _year(text: str) -> int:
    if text.isdigit() and text.isascii():
        return int(text)
    digits = _rules()[0]["year_digits"]
    return int("".join(str(digits[c]) for c in text))


_WRITTEN_YEAR = re.compile("[〇零一二三四五六七八九]{4}(?=年)")


def with_digit_years(text: str) -> str:
    """`text` with each year written in Chinese digits (二〇二五年) in ASCII digits (2025年):
    the same length, so every offset still points into `text`. Only a text holding 〇 or 零
    is searched (every year of this century writes one)."""
    if "〇" not in text and "零" not in text:
        return text
    return _WRITTEN_YEAR.sub(lambda m: str(_year(m.group())), text)


def _small_number(text: str) -> int:
    """1–31 written in digits or Chinese numerals (十二, 二十三, 三十)."""
    if text.isascii():
        return int(text)
    digits = _rules()[0]["year_digits"]
    tens, _, ones = text.rpartition("十") if "十" in text else ("", "", text)
    if "十" not in text:
        return digits[text]
    return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)
