"""Extraction behaviour, case by case, from tests/cases/extract.yaml."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl import extract_figures
from conftest import load_cases


def _same(want, got) -> bool:
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        return got is not None and math.isclose(got, want, rel_tol=1e-9)
    return str(want) == str(got)


@pytest.mark.parametrize("case", load_cases("extract.yaml"))
def test_extraction_case(case):
    figures = extract_figures(case["text"])
    want = case["figures"]
    got = [{k: getattr(f, k) for k in w} for f, w in zip(figures, want)]
    assert len(figures) == len(want), f"{case['text']}: {[f.surface for f in figures]}"
    for w, g in zip(want, got):
        assert all(_same(w[k], g[k]) for k in w), f"{case['text']}\n want {w}\n got  {g}"


@pytest.mark.parametrize("case", load_cases("extract.yaml", known_failures=False))
def test_surface_is_the_cleaned_span(case):
    for f in extract_figures(case["text"]):
        assert f.surface in f.sentence
        assert f.number_text in f.surface and f.unit_text.replace("万", "") in f.surface


@settings(max_examples=300)
@given(st.text(alphabet="项目，,；。、：\n投资亿元“”", max_size=30), st.integers(0, 30), st.integers(0, 30))
def test_clause_bounds_are_the_nearest_delimiters(text, a, b):
    # the regex scan of clause_start_before and the bisections of a sentence's scan agree
    # with a plain scan of the characters
    from etl.figures.labels import CLAUSE_DELIMITERS
    from etl.figures.lexicon import load_lexicon
    from etl.figures.value import _CLAUSE_OR_LIST, SentenceScan
    from etl.figures.value import clause_start_before as _clause_start

    lo, hi = sorted((min(a, len(text)), min(b, len(text))))
    scan = SentenceScan.of(text, (0, len(text)), load_lexicon())
    before = [i for i in range(lo, hi) if text[i] in _CLAUSE_OR_LIST]
    assert _clause_start(text, hi, lo, _CLAUSE_OR_LIST) == (before[-1] + 1 if before else lo)
    assert scan.clause_start(hi, lo, with_list=True) == (before[-1] + 1 if before else lo)
    own = [i for i in range(lo, hi) if text[i] in CLAUSE_DELIMITERS]
    assert scan.clause_start(hi, lo) == (own[-1] + 1 if own else lo)
    assert scan.clause_end(lo, hi) == (own[0] if own else hi)
    assert scan.quote == ("“" in text)


# --- issue 16: a huge number, a long run of numerals, signs and stacked scales ---------------

HUGE_AREA = "占地1" + "0" * 400 + "亩，另建厂房3栋。"


def test_a_huge_number_is_no_figure_and_the_others_stay():
    # was OverflowError from extract_figures, and a `failed` document
    assert [f.surface for f in extract_figures(HUGE_AREA)] == ["3栋"]


def test_a_huge_number_does_not_fail_its_document(tmp_path):
    from datetime import datetime, timezone

    from etl.pipeline import process_input
    from etl.read.ingest import read_input

    path = tmp_path / "huge.txt"
    path.write_text("项目动态\n\n" + HUGE_AREA, encoding="utf-8")
    result = process_input(read_input(path), datetime(2026, 1, 1, tzinfo=timezone.utc))
    assert result.document["status"] == "ok", result.document["error"]
    assert [f["surface"] for f in result.figures] == ["3栋"]


def test_a_value_beyond_a_float_is_no_value():
    from decimal import Decimal
    from fractions import Fraction

    from etl.figures.value import _canonical

    assert _canonical(Decimal("1e400"), 1) is None  # float() would give inf
    assert _canonical(Decimal("1e400"), Fraction(10000, 15)) is None  # float() would raise
    assert _canonical(Decimal("1e300"), Fraction(10000, 15)) == pytest.approx(1e300 * 10000 / 15)


def test_the_longest_arabic_number_still_reads_and_one_more_digit_does_not():
    from etl.figures.numerals import MAX_DIGITS

    assert extract_figures(f"占地{'9' * MAX_DIGITS}亩")[0].value == pytest.approx(10**MAX_DIGITS * 10000 / 15)
    assert extract_figures(f"占地{'9' * (MAX_DIGITS + 1)}亩") == []


def test_a_numeral_run_is_scanned_in_bounded_steps():
    """A run of numerals that never ends in a counter: the label finder's numeral run is
    bounded (max_numeral_chars), so the name scan no longer grows with the square of the run
    (总投资 + 一二三×13,333 + 亿元 took 79 s); the time itself is in benchmarks/numerals_bench.py."""
    from etl.figures import labels
    from etl.figures.numerals import MAX_NUMERAL_CHARS

    cut = labels._patterns().name_cut
    assert cut.split("高新区" + "一" * MAX_NUMERAL_CHARS + "个项目")[1] == "一" * MAX_NUMERAL_CHARS + "个"
    assert cut.split("高新区" + "一" * (MAX_NUMERAL_CHARS + 1) + "个项目") == ["高新区" + "一" * (MAX_NUMERAL_CHARS + 1) + "个项目"]
    figures = extract_figures("总投资" + "一二三" * 300 + "亿元")
    assert [(f.surface, f.value) for f in figures] == [("三亿元", 3e8)]


def test_labels_are_looked_for_within_a_bounded_window():
    """On a text without punctuation a figure's clause is at most max_clause_chars either side
    (3个 ×40,000 took 17 s: each figure scanned back and forth to the sentence's ends)."""
    from etl.figures.lexicon import load_lexicon

    window = load_lexicon().max_clause_chars
    near, far = ("总投资3亿元的" + "新" * n + "产业园项目开工" for n in (window - 20, window + 20))
    assert extract_figures(near)[0].subject.endswith("产业园项目")
    assert extract_figures(far)[0].subject == ""


@pytest.mark.parametrize("text, value, negative", [
    ("该公司利润-500万元。", -5e6, True),
    ("全年工业增加值增速-12.6%。", 12.6, True),   # a change: unsigned, the relation says decrease
    ("一季度增速为负2.7%。", 2.7, True),
    ("全年工业增加值增速12.6%。", 12.6, False),
    ("人口减少-3万人。", 30000, True),             # a signed count is a change too
])
def test_a_written_sign_is_kept_in_number_text_and_by_money_only(text, value, negative):
    (figure,) = extract_figures(text)
    assert figure.value == pytest.approx(value) and figure.written_negative is negative
