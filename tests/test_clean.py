"""clean_layout: table-driven cases, offset properties, the sample pages."""
from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.text.clean import clean_layout

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "clean.yaml").read_text(encoding="utf-8"))
SAMPLES = sorted((Path(__file__).parent.parent / "etl" / "sample").glob("*.txt"))
_WHITESPACE = re.compile(r"\s+")


def _comparable(text: str) -> str:
    """Raw or cleaned text reduced to what cleaning must preserve: no whitespace, no
    entities, no full-width forms (an independent normaliser, not the cleaner)."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", html.unescape(text)))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_clean_case(case):
    cleaned = clean_layout(case["raw"])
    assert cleaned.text == case["text"]
    for piece, raw_piece in case.get("raw_spans", []):
        start = cleaned.text.index(piece)
        raw_start, raw_end = cleaned.raw_span(start, start + len(piece))
        assert case["raw"][raw_start:raw_end] == raw_piece


_ATOMS = st.sampled_from([
    *"新区项目投资亿元万平方米个名家，。；、“”%.",
    *"0123456789", *"０１２３４５６７８９", "ａ", "Ｂ", "％",
    " ", "  ", "\t", "\u3000", "\u00a0", "\n", "\n\n\n", "\r\n",
    "&amp;", "&nbsp;", "&#20159;", "&lt;", "ab", "Z",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ATOMS, max_size=40).map("".join))
def test_every_span_maps_back_to_its_source(raw):
    cleaned = clean_layout(raw)
    text = cleaned.text
    for start in range(len(text) + 1):
        assert cleaned.raw_offset(start) == cleaned.raw_span(start, start)[0]
        for end in range(start + 1, len(text) + 1):
            raw_start, raw_end = cleaned.raw_span(start, end)
            assert 0 <= raw_start < raw_end <= len(raw)
            assert _comparable(raw[raw_start:raw_end]) == _comparable(text[start:end])
            # tight: the raw slice does not start or end with removed whitespace
            assert not raw[raw_start].isspace() or text[start].isspace()
            assert not raw[raw_end - 1].isspace() or text[end - 1].isspace()


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises(raw):
    cleaned = clean_layout(raw)
    assert cleaned.raw_span(0, len(cleaned.text))[1] <= len(raw)


def test_shift_map_grows_with_edits_not_text():
    long_clean = "项目总投资19亿元。" * 200_000
    assert clean_layout(long_clean).edit_count == 0
    assert clean_layout(long_clean + " 1 ").edit_count == 2  # one inner space, one trailing


def test_whitespace_table_is_str_isspace():
    """The layout pass spells whitespace out as a table (for a fast regex scan): it must be
    what str.isspace says, minus "\n", over every code point."""
    from etl.text.clean import _HORIZONTAL_SPACE_CHARS
    assert _HORIZONTAL_SPACE_CHARS == {c for c in map(chr, range(0x110000)) if c.isspace()} - {"\n"}


def test_offsets_past_the_text_are_rejected():
    cleaned = clean_layout("总投资 19亿元")
    with pytest.raises(IndexError):
        cleaned.raw_offset(len(cleaned.text) + 1)
    with pytest.raises(IndexError):
        cleaned.raw_span(3, 2)


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_page_lines_map_back(path):
    raw = path.read_text(encoding="utf-8")
    cleaned = clean_layout(raw)
    assert not re.search(r"[ \t\u3000]", cleaned.text.replace(" and ", ""))  # no space left in Chinese text
    start = 0
    for line in cleaned.text.split("\n"):
        raw_start, raw_end = cleaned.raw_span(start, start + len(line))
        assert _comparable(raw[raw_start:raw_end]) == _comparable(line)
        start += len(line) + 1


def test_sample_000_repairs():
    cleaned = clean_layout(SAMPLES[0].read_text(encoding="utf-8")).text
    for repaired in ("本报讯7月26日", "总投资2633亿元", "重点建设项目53个，总投资1260.33亿元", "17.5平方公里",
                     "疫情防控工作指南", "记者孙庆辉\n高新时报方宝岭文/图\n本报讯7月20日"):
        assert repaired in cleaned
