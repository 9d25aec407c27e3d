"""The context of a figure (contract v3), case by case from tests/cases/context.yaml, and
the pieces that make it: relation words, time words, modal words, parts."""
from __future__ import annotations

import math
from datetime import date

import pytest

from conftest import load_cases
from etl.figures import context, period
from etl.pipeline import process_text


def _field(figure, key: str, by_span: dict) -> object:
    if key == "period":
        return f"{figure.period_start or ''}..{figure.period_end or ''}"
    if key == "part_of":
        return by_span[figure.part_of].surface if figure.part_of else None
    return getattr(figure, key)


def _same(want, got) -> bool:
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        return got is not None and math.isclose(got, want, rel_tol=1e-9)
    return want == got if want is None or got is None else str(want) == str(got)


@pytest.mark.parametrize("case", load_cases("context.yaml"))
def test_context_case(case):
    figures = process_text(case["text"]).figures
    by_span = {(f.char_start, f.char_end): f for f in figures}
    want = case["figures"]
    surfaces = [f.surface for f in figures]
    assert [w["surface"] for w in want] == [s for s in surfaces if s in {w["surface"] for w in want}], surfaces
    found = iter(figures)
    for w in want:
        f = next(g for g in found if g.surface == w["surface"])
        got = {k: _field(f, k, by_span) for k in w}
        assert all(_same(w[k], got[k]) for k in w), f"{case['text']}\n want {w}\n got  {got}"


@pytest.mark.parametrize("prefix, number, want", [
    ("比上年增长", "5.0", "increase"), ("增速", "-12.6", "decrease"), ("增速-", "12.6", "decrease"),
    ("实现负增长", "2", "decrease"), ("下降了", "3", "decrease"), ("提高到", "8", "level"),
    ("城镇新增", "12", "level"), ("占全国的", "10", "share"), ("占地", "120", "level"),
    ("占地区生产总值比重为", "6.8", "share"), ("完成比例", "63", "level"), ("增加值", "9", "level"),
])
def test_relation_words(prefix, number, want):
    assert context.relation(prefix, number) == want


def test_every_change_label_fails_the_level_expectation():
    import re

    pattern = re.compile(context.change_label_pattern())
    assert pattern.search("增速") and pattern.search("第三产业比重") and pattern.search("增长")
    assert not pattern.search("增加值") and not pattern.search("新增") and not pattern.search("总投资")


@pytest.mark.parametrize("text, anchor, want", [
    ("2022年", None, (date(2022, 1, 1), date(2022, 12, 31))),
    ("上半年", 2023, (date(2023, 1, 1), date(2023, 6, 30))),
    ("今年一季度", 2024, (date(2024, 1, 1), date(2024, 3, 31))),
    ("去年", 2024, (date(2023, 1, 1), date(2023, 12, 31))),
    ("2023年末", None, (date(2023, 12, 31), date(2023, 12, 31))),
    ("截至6月底", 2022, (None, date(2022, 6, 30))),
    ("截至2021年9月30日", None, (None, date(2021, 9, 30))),
    ("1—7月", 2023, (date(2023, 1, 1), date(2023, 7, 31))),
    ("前三季度", 2023, (date(2023, 1, 1), date(2023, 9, 30))),
    ("“十四五”期间", None, (date(2021, 1, 1), date(2025, 12, 31))),
    ("“十二五”末", None, (date(2015, 12, 31), date(2015, 12, 31))),
    ("到2025年", None, (None, date(2025, 12, 31))),
    ("今年", None, (None, None)),
    ("近年来", 2023, (None, None)),
])
def test_time_words_resolve(text, anchor, want):
    (_, _, m), = period.time_words(text)
    got = period.resolve(m, anchor)
    assert (got.start, got.end) == want and got.text == text


@pytest.mark.parametrize("text", ["成立于2008年", "2020年第二批", "比上年增长", "2024年5月20日", "较去年末"])
def test_dates_of_events_and_bases_are_no_periods(text):
    assert period.time_words(text) == []


def test_past_five_years_count_back_from_the_report():
    (_, _, m), = period.time_words("过去五年")
    got = period.resolve(m, None, today=date(2023, 1, 12))
    assert (got.start, got.end) == (date(2018, 1, 1), date(2022, 12, 31))


def test_up_to_now_is_the_document_date_when_known():
    (_, _, m), = period.time_words("截至目前")
    assert period.resolve(m, None, today=date(2024, 3, 5)).end == date(2024, 3, 5)
    assert period.resolve(m, None).end is None


def test_a_time_word_does_not_carry_into_the_next_paragraph():
    figures = process_text("2022年，全区新开工项目53个。\n全区现有企业260家。").figures
    assert [(f.period_text, f.period_end) for f in figures] == [("2022年", date(2022, 12, 31)), ("", None)]


@pytest.mark.parametrize("case", load_cases("document_dates.yaml"))
def test_document_date_case(case):
    from etl.text.dates import document_date

    assert document_date(case["text"]) == (case["date"], case["source"])


@pytest.mark.parametrize("text, year", [
    ("江川市2023年国民经济和社会发展统计公报\n全年…", 2023), ("2024年政府工作报告\n各位代表", 2024),
    ("本报讯 2022年7月30日，项目开工。", None),
])
def test_title_year(text, year):
    from etl.text.dates import title_year

    assert title_year(text) == year


def test_a_communique_speaks_of_the_year_of_its_title_not_of_its_date():
    text = "江川市2023年国民经济和社会发展统计公报\n全年全市地区生产总值3521.6亿元。\n江川市统计局\n2024年3月20日\n"
    result = process_text(text)
    assert result.document_date == date(2024, 3, 20) and result.document_date_source == "signed"
    assert [(f.period_start, f.period_end) for f in result.figures] == [(date(2023, 1, 1), date(2023, 12, 31))]


@pytest.mark.parametrize("text, anchor, want", [
    ("2021—2022年", None, (date(2021, 1, 1), date(2022, 12, 31))),
    ("11月末", 2025, (date(2025, 11, 30), date(2025, 11, 30))),
    ("2024年2月份", None, (date(2024, 2, 1), date(2024, 2, 29))),
    ("去年12月底", 2024, (date(2023, 12, 31), date(2023, 12, 31))),
])
def test_year_ranges_and_months_resolve(text, anchor, want):
    (_, _, m), = period.time_words(text)
    got = period.resolve(m, anchor)
    assert (got.start, got.end) == want
