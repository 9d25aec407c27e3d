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
@given(st.text(alphabet="项目，,；。、：\n投资亿元", max_size=30), st.integers(0, 30), st.integers(0, 30))
def test_clause_bounds_are_the_nearest_delimiters(text, a, b):
    # the regex scans in clause_start_before/_clause_end agree with a plain scan of the characters
    from etl.figures.value import _CLAUSE_OR_LIST, _clause_end
    from etl.figures.value import clause_start_before as _clause_start
    from etl.figures.labels import CLAUSE_DELIMITERS

    lo, hi = sorted((min(a, len(text)), min(b, len(text))))
    before = [i for i in range(lo, hi) if text[i] in _CLAUSE_OR_LIST]
    assert _clause_start(text, hi, lo, _CLAUSE_OR_LIST) == (before[-1] + 1 if before else lo)
    after = [i for i in range(lo, hi) if text[i] in CLAUSE_DELIMITERS]
    assert _clause_end(text, lo, hi) == (after[0] if after else hi)
