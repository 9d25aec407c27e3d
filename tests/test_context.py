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
    ("2021年至2025年", None, (date(2021, 1, 1), date(2025, 12, 31))),
    ("截至今年9月", 2025, (None, date(2025, 9, 30))),
    ("三季度末", 2025, (date(2025, 9, 30), date(2025, 9, 30))),
    ("截至三季度末", 2025, (None, date(2025, 9, 30))),
    ("上半年末", 2024, (date(2024, 6, 30), date(2024, 6, 30))),
    ("年初以来", 2025, (date(2025, 1, 1), None)),
    ("今年年初以来", 2025, (date(2025, 1, 1), None)),
    ("去年全年", 2025, (date(2024, 1, 1), date(2024, 12, 31))),
    ("2025年全年", None, (date(2025, 1, 1), date(2025, 12, 31))),
    ("“十二五”期末", None, (date(2015, 12, 31), date(2015, 12, 31))),
])
def test_time_words_resolve(text, anchor, want):
    (_, _, m), = period.time_words(text)
    got = period.resolve(m, anchor)
    assert (got.start, got.end) == want and got.text == text


@pytest.mark.parametrize("text, word, deadline", [
    ("到2027年的主要目标是", "到2027年", True), ("增加到2025年的1186亿元", "2025年", False),
    ("扩大到2025年末的86.5平方公里", "2025年末", False), ("提高到2030年底的", "2030年底", False),
])
def test_a_year_after_a_change_verb_and_to_is_the_new_levels(text, word, deadline):
    (_, _, m), = period.time_words(text)
    assert m.group() == word and period.resolve(m, None, date(2026, 1, 10)).future_end == deadline


@pytest.mark.parametrize("text", ["成立于2008年", "2020年第二批", "比上年增长", "2024年5月20日", "较去年末"])
def test_dates_of_events_and_bases_are_no_periods(text):
    assert period.time_words(text) == []


@pytest.mark.parametrize("words", ["过去五年", "近五年", "近五年来", "五年来"])
def test_past_five_years_count_back_from_the_report(words):
    (_, _, m), = period.time_words(words)
    got = period.resolve(m, None, today=date(2023, 1, 12))
    assert (got.start, got.end) == (date(2018, 1, 1), date(2022, 12, 31))


@pytest.mark.parametrize("span, want", [
    ((date(2025, 1, 1), date(2025, 6, 30)), (date(2024, 1, 1), date(2024, 6, 30))),
    ((date(2024, 1, 1), date(2024, 2, 29)), (date(2023, 1, 1), date(2023, 2, 28))),
    ((date(2025, 3, 27), date(2025, 3, 27)), (date(2024, 3, 27), date(2024, 3, 27))),
])
def test_the_same_span_a_year_before(span, want):
    assert period.year_before(span) == want


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
    ("证券代码：600001　证券简称：江南重工\n江南重工股份有限公司2024年年度业绩公告\n本公司董事会…", 2024),
    ("云江市2024年商品房市场运行情况分析\n云江市住房和城乡建设局　2025年2月8日", 2024),
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


# Integrity of the context data (etl/data/context.toml, dates.toml) the rules above read.

def _context_data() -> dict:
    from etl.figures.lexicon import load_data

    return load_data("context.toml")


@pytest.mark.parametrize("section", ["now", "up_to_now", "then", "report", "relative_year", "year_parts", "vague_past"])
def test_every_time_word_is_read_whole(section):
    for word in _context_data()["period"][section]:
        assert [(s, e) for s, e, _ in period.time_words(word)] == [(0, len(word))], word


def test_section_words_are_plain_words_of_one_kind():
    words = _context_data()["sections"]
    goals, reviews = words["goal_words"], words["review_words"]
    assert goals and reviews and all(w and w == w.strip() for w in [*goals, *reviews])
    assert not set(goals) & set(reviews)


def test_project_amounts_are_labels_after_a_project_noun():
    words = _context_data()["modality"]["project_amount"]
    assert words["amounts"] and words["projects"]
    assert all(w.endswith("投资") for w in words["amounts"])  # amounts of a project, not its goals
    assert not set(words["projects"]) & set(words["amounts"])


def test_guards_before_time_words_are_single_characters():
    data = _context_data()["period"]
    assert all(len(c) == 1 for c in [*data["change_from"], *data["now_not_after"]])
    assert not set(data["change_from"]) & set(data["base_before"])  # a base is never a period


@pytest.mark.parametrize("head, subtitle, skipped", [
    ("——民生福祉不断增进。一年来，", True, "——民生福祉不断增进。"),
    ("（一）经济发展。“十四五”时期", False, "（一）"),
    ("一、2024年度主要会计数据", False, "一、"),
    ("——全年新增就业1.2万人，增长3%。", False, None),  # a number: no subtitle
])
def test_what_opens_a_paragraph_before_its_lead(head, subtitle, skipped):
    m = period._subtitle().match(head)
    assert (m.group() if m else None) == skipped
    assert bool(m and m["subtitle"]) is subtitle


@pytest.mark.parametrize("heading, today, want", [
    ("2025年和“十四五”时期工作回顾", date(2026, 1, 15), (2025, False)),
    ("“十五五”时期发展目标和2026年工作安排", date(2026, 1, 15), (2026, True)),
    ("2026年经营计划", date(2026, 3, 27), (2026, True)),
    ("2025年计划执行情况", date(2026, 1, 20), (2025, False)),
    ("2024年工作安排", date(2026, 1, 20), (2024, False)),  # its time has ended
    ("主要目标任务", None, (None, True)),
    ("开发投资持续调整", date(2026, 2, 10), (None, False)),
])
def test_what_a_section_heading_says(heading, today, want):
    from etl.figures.sections import heading_says

    assert heading_says(heading, context.Anchor.of(today)) == want


def test_year_parts_and_report_words_name_real_spans():
    data = _context_data()["period"]
    for word, span in data["year_parts"].items():
        first, last = map(int, span.split("-"))
        assert 1 <= first <= last <= 12, word
    assert set(data["report"].values()) <= {"period", "end", "to_end", "year_to_end"}
    assert set(data["same_period"]) <= set(data["relative_year"])
    assert 0 < data["lead_max_clause"] and all(w for w in data["own_clause_only"])


def test_comparison_and_value_words_are_no_relation_words():
    rel = _context_data()["relation"]
    relation_words = {w for k in ("increase", "decrease", "share", "level") for w in rel[k]}
    comparatives = rel["comparative_increase"] + rel["comparative_decrease"]
    assert not relation_words & set(comparatives) and not relation_words & set(rel["value_words"])
    assert not set(rel["comparative_increase"]) & set(rel["comparative_decrease"])
    import re

    re.compile(rel["comparative_base"])  # a bad regex raises here, not at the first figure
    re.compile(rel["share_of_goal"])


def test_no_exclusion_of_modal_words_blocks_a_modal_word_alone():
    import re

    modal = _context_data()["modality"]
    blockers = [re.compile(p) for p in modal["not_target"]]
    for word in modal["target_words"]:
        assert not any(b.fullmatch(word) for b in blockers), word
    assert not set(modal["actual_markers"]) & set(modal["target_words"])
    assert 0 < modal["ahead_share"] < 1


def test_every_document_date_source_is_ordered_and_reads_a_full_date():
    import re
    import tomllib
    from importlib import resources

    data = tomllib.loads(resources.files("etl.data").joinpath("dates.toml").read_text("utf-8"))
    assert sorted(data["order"]) == sorted(data["source"])
    for name, rule in data["source"].items():
        assert {"y", "m", "d"} <= set(re.compile(rule["pattern"]).groupindex), name
        assert rule["where"] in {"head", "tail"} and rule["chars"] > 0, name
    assert "y" in re.compile(data["report_period"]).groupindex
    parts = set(data["report_period"].split("(?P<part>")[1].split(")")[0].split("|"))
    assert parts == set(data["report_parts"]), "every part of a year a report names has its months"


@pytest.mark.parametrize("text, want", [
    ("江州重工昨晚披露2023年年度报告。报告期内，公司实现营业收入58.6亿元。", (date(2023, 1, 1), date(2023, 12, 31))),
    ("公司2024年半年度报告显示，上半年营业收入增长3%。", (date(2024, 1, 1), date(2024, 6, 30))),
    ("明川股份有限公司2025年第一季度报告\n本报告期营业收入增长5%。", (date(2025, 1, 1), date(2025, 3, 31))),
    ("江南重工股份有限公司2024年年度业绩公告\n报告期内，公司营业收入增长6%。", (date(2024, 1, 1), date(2024, 12, 31))),
    ("江南重工2024年度财务报告显示，营业收入增长6%。", (date(2024, 1, 1), date(2024, 12, 31))),
    ("本报讯 2024年3月5日，项目开工。", None),
])
def test_report_period(text, want):
    from etl.text.dates import report_period

    assert report_period(text) == want


@pytest.mark.parametrize("text, today, want", [
    ("目前", date(2026, 12, 6), (date(2026, 12, 6), date(2026, 12, 6))),
    ("截至目前", date(2026, 12, 6), (None, date(2026, 12, 6))),
    ("今年以来", date(2026, 12, 6), (date(2026, 1, 1), None)),  # no end: the text fixes none (most writers' gold)
    ("2023年以来", None, (date(2023, 1, 1), None)),
    ("“十四五”末", date(2023, 11, 20), (None, date(2025, 12, 31))),
    ("“十三五”末", date(2023, 11, 20), (date(2020, 12, 31), date(2020, 12, 31))),
    ("“十四五”以来", date(2023, 11, 20), (date(2021, 1, 1), None)),
    ("今后五年", date(2023, 1, 6), (date(2023, 1, 1), date(2027, 12, 31))),
    ("过去两年", date(2023, 1, 6), (date(2021, 1, 1), date(2022, 12, 31))),
    ("两年多来", date(2023, 11, 20), (None, None)),
    ("截至今年10月底", date(2024, 11, 5), (None, date(2024, 10, 31))),
    ("截至2023年底", date(2024, 11, 5), (None, date(2023, 12, 31))),
    ("截至去年末", date(2024, 11, 5), (None, date(2023, 12, 31))),
    ("今年前11个月", date(2024, 12, 10), (date(2024, 1, 1), date(2024, 11, 30))),
    ("去年前三个月", date(2024, 12, 10), (date(2023, 1, 1), date(2023, 3, 31))),
])
def test_time_words_against_the_document_date(text, today, want):
    (_, _, m), = period.time_words(text)
    got = period.resolve(m, today.year if today else None, today)
    assert (got.start, got.end) == want


@pytest.mark.parametrize("text", ["比一季度", "比1—10月", "较2020年", "占“十四五”期间", "低于去年同期", "去年9月在香港",
                                  "举行三季度重大项目集中开工活动，", "2024年一季度项目观摩会上", "二季度重大项目集中签约仪式举行"])
def test_bases_and_event_months_are_no_periods(text):
    assert period.time_words(text) == []


@pytest.mark.parametrize("prefix, before, want", [
    ("高于全省平均水平", None, "increase"), ("低于目标值", None, "decrease"), ("超过目标值", None, "increase"),
    ("高于全省平均水平的乡镇有", None, "level"), ("年均增长的目标值为", None, "increase"),
    ("降低目标值为", None, "decrease"), ("2021—2022年完成值为", "increase", "increase"),
    ("2022年完成值为", None, "level"), ("提高到", "share", "share"), ("提高到", "level", "level"),
    ("占营业收入的比重提高到", None, "share"), ("完成年度目标任务的", None, "share"), ("目标完成度为", None, "level"),
])
def test_relation_of_comparisons_and_plan_values(prefix, before, want):
    assert context.relation(prefix, "", before) == want


@pytest.mark.parametrize("text, word", [
    ("一季度全市重大项目集中开工86个", "一季度"), ("前五期全省活动项目共23个", "前五期"),
    ("上年同期，公司营业收入为32.7亿元", "上年同期"), ("今后五年，全市", "今后五年"),
])
def test_time_words_an_event_noun_does_not_hide(text, word):
    assert [m.group() for _, _, m in period.time_words(text)] == [word]


def test_every_event_verb_and_day_part_is_a_plain_word():
    day = _context_data()["period"]["day"]
    assert all(len(w) >= 2 and w.isalpha() for w in day["event_verbs"])
    assert all(w.isalpha() for w in day["parts"])


@pytest.mark.parametrize("text, today, want", [
    ("行情方面，3月27日，股价收报3.1元", date(2024, 3, 28), date(2024, 3, 27)),
    ("行情方面，12月31日，股价收报3.1元", date(2025, 1, 3), date(2024, 12, 31)),
])
def test_a_day_of_values_counts_its_year_from_the_document(text, today, want):
    (_, _, m), = period.time_words(text)
    assert period.resolve(m, today.year, today).start == want


def test_a_plan_named_by_its_years_is_no_period():
    assert period.time_words("“十四五”规划实施情况") == []
    assert [m.group() for _, _, m in period.time_words("“十四五”期间计划投资")] == ["“十四五”期间"]


def test_time_words_scan_finds_what_one_pattern_of_all_branches_finds():
    """`_time_matches` tries at each place only the branches its character can start: the
    matches (spans and groups) are those of one pattern of all branches, at every place."""
    import re
    from pathlib import Path

    reference = re.compile(rf"(?=[{re.escape(period._firsts())}])(?:{'|'.join(period._branches())})")
    texts = [p.read_text("utf-8") for p in sorted((Path(__file__).parent.parent / "etl" / "sample").glob("*.txt"))]
    for text in texts:
        assert ([(m.span(), m.groupdict()) for m in period._time_matches(text, 2, len(text) - 1)]
                == [(m.span(), m.groupdict()) for m in reference.finditer(text, 2, len(text) - 1)])
        for i, char in enumerate(text):
            mine, theirs = period._time_match_at(text, i), reference.match(text, i)
            assert (mine and (mine.span(), mine.groupdict())) == (theirs and (theirs.span(), theirs.groupdict()))


def test_a_holiday_in_a_texts_head_is_resolved_like_any_time_word():
    from datetime import date
    from etl.figures.period import holiday_of
    assert holiday_of("今年国庆中秋假期我市接待游客1286.4万人次", date(2026, 10, 9)) == (date(2026, 10, 1), date(2026, 10, 8))
    assert holiday_of("去年国庆假期全市接待游客", date(2026, 3, 9)) == (date(2025, 10, 1), date(2025, 10, 7))
    assert holiday_of("全年全市接待游客", date(2026, 3, 9)) is None
