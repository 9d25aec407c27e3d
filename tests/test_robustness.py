"""Inputs that must never crash, and invariants that hold on any text (fed by hypothesis)."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.figures.figure import KINDS, QUALIFIERS
from etl.figures.numerals import NEGATIVE_SIGNS
from etl.pipeline import process_text

CORPUS = Path(__file__).parent / "cases" / "never_crash.txt"
UNIT_OF_KIND = {"area": {"m2"}, "count": {"count"}, "percent": {"percent", "pp"}}

# Pieces the text is built from: numerals, scales, units, qualifiers, markup and layout damage.
PIECES = st.sampled_from([
    "1", "23", "4.5", "1,200", "０", "７", "．", "一", "两", "十", "百", "千", "万", "亿", "点", "零",
    "元", "亿元", "美元", "平方米", "亩", "公顷", "平方公里", "%", "百分之", "个百分点", "个", "家", "名",
    "人次", "余", "多", "约", "近", "超", "左右", "以上", "至", "-", "~", "第", "前", "“", "”", "《", "》",
    "负", "−", "壹", "贰", "拾", "佰", "仟", "萬", "億", "兩", "點", "角", "分", "块", "兑", "届", "0" * 40,
    "，", "。", "；", "、", "\n", "\n\n", " ", "\u3000", "&nbsp;", "<br>", "[1]", "（", "）",
    "总投资", "占地", "增长", "项目", "公司", "高新区", "本报讯", "记者 张三", "年", "月", "日",
    # page furniture, date lines, table rows and item stamps (session 12's cleaner and period paths)
    "— 3 —", "第4页 共9页", "3/12", "\r\n", "　　", "发布时间：2026-11-05", "二〇二五年", "今年以来",
    "|", "||", "\t", "附件：", "本报告期", "覆盖", "的",
])


def check_invariants(text: str) -> None:
    result = process_text(text)
    cleaned = result.cleaned.text
    for f in result.figures:
        assert f.kind in KINDS and f.qualifier in QUALIFIERS
        assert math.isfinite(f.value) and (f.value_high is None or math.isfinite(f.value_high))
        # a level of money keeps a written minus sign (利润-500万元); nothing else is below zero
        signed = f.kind in ("money", "investment") and f.number_text.startswith(NEGATIVE_SIGNS)
        assert f.value > 0 or f.unit == "pp" or (signed and f.value < 0)
        assert cleaned[f.char_start : f.char_end] == f.surface
        assert 0 <= f.raw_start < f.raw_end <= len(text)
        assert f.surface in f.sentence
        if f.kind in UNIT_OF_KIND:
            assert f.unit in UNIT_OF_KIND[f.kind]
        if f.value_high is not None:
            assert f.qualifier == "range" and f.value_high >= f.value


def corpus_lines() -> list[str]:
    lines = CORPUS.read_text("utf-8").splitlines()[1:]  # the first line says what the file is
    return [line.replace("\\n", "\n").replace("\\0", "\0") for line in lines]


@pytest.mark.parametrize("text", corpus_lines())
def test_corpus_never_crashes(text):
    check_invariants(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=40).map("".join))
def test_generated_text_keeps_invariants(text):
    check_invariants(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_unicode_never_crashes(text):
    check_invariants(text)


# The cells of a table written as text lines (etl/text/tables.py), and what cuts them.
CELLS = st.lists(st.sampled_from([
    "指标", "绝对量", "增速", "占比", "片区", "2025年", "1—11月", "地区生产总值", "东区", "—", "", "12.5亿元",
    "-4.1%", "+3%", "31个", "186.4", "（亿元）", "增长(%)", "。", "|", "1", "年"]), min_size=1, max_size=5)


@settings(max_examples=200, deadline=None)
@given(st.lists(CELLS, max_size=6), st.sampled_from(["|", "｜", "\t", "  ", "　　", " | ", "\t "]), st.booleans())
def test_tables_never_crash(rows, delimiter, edges):
    """Tables of any shape, ragged or empty cells, any delimiter, with or without edge pipes."""
    lines = [delimiter.join(cells) for cells in rows]
    check_invariants("\n".join(f"|{line}|" if edges else line for line in lines))


def _case_texts() -> list[str]:
    import yaml

    data = yaml.safe_load((Path(__file__).parent / "cases" / "extract.yaml").read_text("utf-8"))
    # Markup is never split by page layout: those cases are left out.
    return [c["text"] for cases in data.values() for c in cases
            if c["figures"] and not c.get("xfail") and "&" not in c["text"] and "<" not in c["text"]]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_case_texts()), st.data())
def test_layout_damage_does_not_change_values(text, data):
    """PDF line breaks and stray spaces anywhere inside a sentence leave its figures intact."""
    from etl import extract_figures

    cuts = sorted(data.draw(st.lists(st.integers(1, len(text) - 1), max_size=4, unique=True)))
    damage = data.draw(st.lists(st.sampled_from(["\n", " ", " \n", "\u3000"]), min_size=len(cuts), max_size=len(cuts)))
    damaged, last = "", 0
    for cut, gap in zip(cuts, damage):
        damaged += text[last:cut] + gap
        last = cut
    damaged += text[last:]
    want = [(f.kind, f.value, f.value_high) for f in extract_figures(text)]
    assert [(f.kind, f.value, f.value_high) for f in extract_figures(damaged)] == want, repr(damaged)


def test_long_run_after_a_byline_marker_does_not_backtrack():
    """A byline pattern with unbounded repeats once took minutes on one such line."""
    import subprocess
    import sys

    code = "from etl.pipeline import extract_figures; extract_figures('。记者' + '孙庆辉通讯员' * 400 + '。\\n')"
    done = subprocess.run([sys.executable, "-c", code], timeout=60, capture_output=True)
    assert done.returncode == 0, done.stderr
