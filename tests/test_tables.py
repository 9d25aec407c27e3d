"""Tables written as text lines (etl/text/tables.py): which lines are rows, which line is the
header, and what each data cell is of; the cleaner keeping them, the HTML reader giving them."""
from __future__ import annotations

import pytest

from etl.read.html import read_html
from etl.text.clean import clean_layout
from etl.text.tables import cell_at, column_kind, is_cell_gap, split_row, table_cells, table_rows


def _cells(text: str) -> list[tuple[str, str, str, str]]:
    return [(text[c.start : c.end], c.row, c.header, c.kind) for c in table_cells(text)]


@pytest.mark.parametrize("delimiter", ["|", "｜", "\t", "    ", "　　"])
def test_every_delimiter_cuts_a_table(delimiter):
    text = "\n".join(delimiter.join(row) for row in (
        ("指标", "绝对量", "增速"), ("地区生产总值", "612.3亿元", "5.4%"), ("税收收入", "40.1亿元", "-2.2%")))
    assert _cells(text) == [
        ("612.3亿元", "地区生产总值", "绝对量", "level"), ("5.4%", "地区生产总值", "增速", "change"),
        ("40.1亿元", "税收收入", "绝对量", "level"), ("-2.2%", "税收收入", "增速", "change")]


def test_a_row_may_lack_its_last_cell_and_a_missing_value_is_a_cell():
    text = "指标|总量|占比\n工业投资|—|31.5%\n民间投资|88.4亿元\n"
    assert _cells(text) == [("—", "工业投资", "总量", "level"), ("31.5%", "工业投资", "占比", "share"),
                            ("88.4亿元", "民间投资", "总量", "level")]


def test_markdown_pipes_at_the_edges_and_its_rule_row():
    text = "| 片区 | 签约项目 |\n|---|:---:|\n| 东区 | 31个 |\n| 西区 | 25个 |\n"
    cells = table_cells(text)
    assert [(text[c.start : c.end], c.row, c.header, c.by_row) for c in cells] == [
        ("31个", "东区", "签约项目", False), ("25个", "西区", "签约项目", False)]


def test_a_header_that_names_times_is_a_header_and_a_row_of_values_is_none():
    assert _cells("指标\t2025年\t2030年目标\n城镇化率\t63.5%\t68%\n")[1] == ("68%", "城镇化率", "2030年目标", "level")
    assert _cells("1—11月\t增长\n出口\t5.2%\n")[0][2] == "增长"
    # no line without values: no header, every cell of its row
    assert _cells("东区\t31个\n西区\t25个\n") == [("31个", "东区", "", "level"), ("25个", "西区", "", "level")]


@pytest.mark.parametrize("text", [
    "澜川日报｜2026年4月16日｜星期四｜第3版\n全市实现地区生产总值862.4亿元。",  # one line is no table
    "发布时间：2026-05-06｜来源：市统计局\n本报记者 张三 | 编辑 李四\n",  # cut into 2 and 2, but no value
    "东区完成投资12亿元，同比增长5%。|西区完成投资8亿元。\n南区完成投资6亿元。|北区完成投资3亿元。\n",  # prose
    "首页 | 新闻 | 政务公开\n当前位置 | 首页 | 统计数据 | 2026年\n",  # counts 3 and 4 are close, but no value
])
def test_lines_that_are_no_table(text):
    assert table_cells(text) == ()


def test_rows_of_different_widths_or_delimiters_are_different_tables():
    lines = ["指标|总量", "投资|12亿元", "甲\t乙\t丙\t丁", "一\t1个\t2个\t3个", "a|b|c|d|e", "x|1|2|3|4"]
    assert table_rows(lines) == [(0, 2, "pipe"), (2, 4, "space"), (4, 6, "pipe")]
    assert split_row("一句话，没有表格。") is None and split_row("甲|乙。|丙") is None


def test_cell_at_and_column_kinds():
    text = "前言。\n指标|本期|比上年增长(%)\n营业收入|38.7亿元|6.1\n"
    at = text.index("38.7")
    assert cell_at(text, at).row == "营业收入" and cell_at(text, 0) is None
    assert cell_at(text, text.index("营业收入")) is None  # a row's name is no data cell
    assert [column_kind(h) for h in ("绝对量", "同比±%", "比重", "1—11月", "")] == [
        "level", "change", "share", "level", "level"]
    assert is_cell_gap("\t") and is_cell_gap("   ") and not is_cell_gap(" ")


def test_the_cleaner_keeps_a_table_of_spaces_as_tab_cells_and_its_lines():
    raw = "附表：1—9月主要指标\n指标      绝对量      增速\n地区生产总值   186.4亿元   5.8%\n工业增加值   62.3亿元   7.1%\n"
    cleaned = clean_layout(raw)
    assert cleaned.text.split("\n")[1:] == ["指标\t绝对量\t增速", "地区生产总值\t186.4亿元\t5.8%", "工业增加值\t62.3亿元\t7.1%"]
    start = cleaned.text.index("186.4")
    assert raw[slice(*cleaned.raw_span(start, start + 5))] == "186.4"


def test_html_table_cells_are_cut_by_a_tab():
    page = ("<html><body><div><p>" + "全区经济运行平稳，主要指标见下表。" * 4 + "</p><table>"
            "<tr><th>指标</th><th>绝对量</th></tr><tr><td>税收收入</td><td> 21.6亿元 </td></tr>"
            "<tr><td>民生支出</td><td>38.9亿元</td></tr></table></div></body></html>")
    lines = read_html(page.encode()).text.split("\n")
    assert "指标\t绝对量" in lines and "税收收入\t21.6亿元" in lines


def test_a_row_names_its_unit_and_loses_its_marks():
    text = "指标|1—11月|比上年增长(%)\n1. 固定资产投资（亿元）|218.5|-10.8\n  其中：工业投资（亿元）|88.4|5.2\n（二）新登记企业（个）|1250|8.8\n"
    assert [(c.row, c.unit) for c in table_cells(text)] == [
        ("固定资产投资", "亿元"), ("固定资产投资", "%"), ("工业投资", "亿元"), ("工业投资", "%"),
        ("新登记企业", "个"), ("新登记企业", "%")]


def test_a_unit_column_gives_its_rows_unit_and_is_no_value():
    text = "指标\t单位\t1—11月\t同比增长(%)\n到位资金\t亿元\t88.3\t-4.2\n新签约项目\t个\t46\t12.5\n"
    assert [(text[c.start : c.end], c.unit) for c in table_cells(text)] == [
        ("88.3", "亿元"), ("-4.2", "%"), ("46", "个"), ("12.5", "%")]


def test_a_column_names_its_time_and_modality():
    text = "2026年11月主要指标\n指标|本月|1—本月累计|2026年预期目标|2025年完成|增速\n投资|1|2|3|4|5%\n"
    assert [(c.when, c.modality) for c in table_cells(text)] == [
        ("11月份", ""), ("1—11月份累计", ""), ("2026年预期目标", "target"), ("2025年完成", "actual"), ("", "")]
    # a table of projects: 计划投资 names what a project states, no goal: a fact as announced,
    # also under a year ahead; a table of places' 计划投资 says nothing of it
    assert {c.modality for c in table_cells("项目名称|计划投资\n冷链物流园|8600万元\n")} == {"actual"}
    assert [c.modality for c in table_cells("项目名称|总投资|2027年计划投资\n冷链物流园|8600万元|2100万元\n")] == [
        "actual", "actual"]
    assert {c.modality for c in table_cells("片区|计划投资\n东区|86亿元\n")} == {""}


def test_a_header_over_two_lines_joins_its_groups_and_their_columns():
    # the lower line's empty first cell and the upper's merged (empty) cells: one header
    text = ("企业名称|营业收入||利润总额|\n|金额（亿元）|同比增长（%）|金额（亿元）|同比增长（%）\n"
            "澄川城投集团|312.6|5.2|14.8|-8.1\n合计|1286.4|7.3|68.9|11.6\n")
    assert [(c.row, c.header, c.kind, c.unit) for c in table_cells(text)][:4] == [
        ("澄川城投集团", "营业收入", "level", "亿元"), ("澄川城投集团", "营业收入同比增长", "change", "%"),
        ("澄川城投集团", "利润总额", "level", "亿元"), ("澄川城投集团", "利润总额同比增长", "change", "%")]
    assert {c.row for c in table_cells(text)[4:]} == {""}  # a total row names no one
    # other words join the group; written with spaces (which merge no cells), the upper line
    # repeats its groups and the lower one is indented: its first cell is empty
    piped = "地区|工业增加值||出口额|\n|累计|增速|累计|增速\n东区|86.2|5.1|12.4|-3.2\n"
    assert [c.header for c in table_cells(piped)] == ["工业增加值累计", "工业增加值增速", "出口额累计", "出口额增速"]
    # 本期 (the report's own period) is a word for the level, as 金额 is: no part of what is measured
    this_period = "地区|工业增加值（亿元）|\n|本期|增速（%）\n东区|86.2|5.1\n"
    assert [(c.header, c.unit) for c in table_cells(this_period)] == [("工业增加值", "亿元"), ("工业增加值增速", "%")]
    spaced = "地区    出口额    出口额\n        总量（亿元）    增速（%）\n东区    12.4    -3.2\n西区    8.1    4.4\n"
    assert [(c.header, c.kind, c.unit) for c in table_cells(spaced)][:2] == [
        ("出口额", "level", "亿元"), ("出口额增速", "change", "%")]
    # a first row of words that lacks its last cell is a row, no second header line
    assert [c.row for c in table_cells("项目名称|地点|进展|投资\n城北水厂|城北|在建\n南站|南区|在建|8.6亿元\n")][:2] == [
        "城北水厂", "城北水厂"]
    # a line of dashes right under a header is a row, no second header line
    assert len(table_cells("指标|1—11月|增速\n民间投资|—|—\n工业投资|88.4|5.2\n")) == 4


def test_an_enumerator_column_names_no_row():
    text = ("序号|项目名称|建设内容|总投资\n1|溪口水厂项目|新建管网12公里|8.6\n2|北站枢纽工程|用地86亩|12.4\n"
            "合计|||21.0\n")
    assert [(c.row, c.header, text[c.start : c.end]) for c in table_cells(text)] == [
        ("溪口水厂项目", "建设内容", "新建管网12公里"), ("溪口水厂项目", "总投资", "8.6"),
        ("北站枢纽工程", "建设内容", "用地86亩"), ("北站枢纽工程", "总投资", "12.4"),
        ("", "建设内容", ""), ("", "总投资", "21.0")]  # 合计 keeps its columns


def test_delimiter_test_matches_what_the_plain_alternation_matches():
    """`_DELIMITER_CHARS` is written to open with one class (a speed change): it must match
    where and what `[|｜\\t]|[ \\u3000]{2}` matches."""
    import random
    import re

    from etl.text.tables import _DELIMITER_CHARS

    plain, rng = re.compile(r"[|｜\t]|[ \u3000]{2}"), random.Random(0)
    texts = ["地区生产总值  1286.4", "项目｜投资", "a\tb", "一 二　三", "　 ", "x |"] + [
        "".join(rng.choice("ab |｜\t\u3000中") for _ in range(rng.randint(0, 10))) for _ in range(5000)]
    for text in texts:
        want, got = plain.search(text), _DELIMITER_CHARS.search(text)
        assert (want and want.span()) == (got and got.span()), text


def test_two_tabs_hold_an_empty_cell_and_the_cleaner_keeps_them():
    upper = "区县\t医疗卫生机构\t\t床位"
    assert [upper[s:e] for s, e in split_row(upper)[1]] == ["区县", "医疗卫生机构", "", "床位"]
    text = upper + "\n\t数量（个）\t增减（个）\t数量（张）\n东区\t612\t9\t4860\n西区\t588\t-3\t4120\n"
    assert "医疗卫生机构\t\t床位" in clean_layout(text).text
