"""The stages composed: offsets back to the raw file, statuses of bad input."""
from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime, timezone

import pytest
import regex

from conftest import SAMPLE
from etl import extract_figures
from etl.figures.figure import Figure
from etl.read.ingest import read_input
from etl.pipeline import process_input, process_text

NOW = datetime(2026, 11, 22, tzinfo=timezone.utc)
SAMPLE_FILES = sorted(SAMPLE.glob("*.txt"))
_SPACE = regex.compile(r"\s+")


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_raw_span_spells_each_sample_figure(path):
    raw = path.read_text("utf-8")
    figures = extract_figures(raw)
    assert figures
    for f in figures:
        assert _SPACE.sub("", raw[f.raw_start : f.raw_end]) == f.surface, f
        assert f.surface.startswith(f.number_text[:1])


def test_raw_span_through_layout_damage_and_markup():
    raw = "项目总投资&nbsp;１２ 亿\n元，<br>占地 183\n亩。"
    figures = extract_figures(raw)
    assert [(f.kind, f.value) for f in figures] == [("investment", 1.2e9), ("area", 122000.0)]
    assert raw[figures[0].raw_start : figures[0].raw_end] == "１２ 亿\n元"
    assert raw[figures[1].raw_start : figures[1].raw_end] == "183\n亩"


def test_figures_are_grouped_by_article_with_dateline():
    text = (
        "本报讯 3月2日，新区签约项目12个，总投资56亿元。\n记者 李明\n\n"
        "本报讯 3月5日，园区新增企业30家。\n记者 王芳\n"
    )
    result = process_text(text)
    assert [len(a.figures) for a in result.articles] == [2, 1]
    assert [a.article.dateline for a in result.articles] == ["3月2日", "3月5日"]


@pytest.mark.parametrize(
    "data, status",
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (bytes(range(256)) * 8, "undecodable"),
        ("项目总投资19亿元。".encode("gb18030"), "ok"),
    ],
    ids=["empty", "blank", "binary", "gb18030"],
)
def test_every_input_gets_a_status(tmp_path, data, status):
    path = tmp_path / "输入 文件.txt"
    path.write_bytes(data)
    result = process_input(read_input(path), NOW)
    assert result.document["status"] == status
    assert result.document["source"] == "输入 文件.txt"
    assert (result.document["error"] is None) == (status == "ok")


def test_unreadable_input_is_recorded(tmp_path):
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "missing.txt")
    result = process_input(read_input(link), NOW)
    assert result.document["status"] == "unreadable"
    assert "symlink" in result.document["error"]


def test_a_bug_on_one_input_becomes_a_failed_status(tmp_path, monkeypatch):
    import etl.pipeline

    def boom(text):
        raise RuntimeError("stage broke")

    monkeypatch.setattr(etl.pipeline, "process_text", boom)
    path = tmp_path / "a.txt"
    path.write_text("总投资5亿元。", "utf-8")
    result = process_input(read_input(path), NOW)
    assert result.document["status"] == "failed"
    assert "stage broke" in result.document["error"]


def test_figure_rows_carry_ids_and_article(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("本报讯 5月1日，该项目总投资约9亿元。\n记者 张三\n", "utf-8")
    result = process_input(read_input(path), NOW)
    (row,) = result.figures
    short = result.document["doc_id"][:12]
    assert row["figure_id"] == f"{short}:{row['char_start']}-{row['char_end']}"
    assert row["article_id"] == f"{short}:a0" and row["article_date"] == "5月1日"
    assert row["qualifier"] == "approx" and row["value"] == 9e8
    # every field of the Figure, in its order, between the ids and the article's date, then
    # the place on the page (none for a text file), the confidence and the review columns
    (figure,) = extract_figures(path.read_text("utf-8"))
    names = [f.name for f in fields(Figure)]
    assert list(row) == ["figure_id", "doc_id", "source", "article_id", *names, "article_date", "page", "bbox",
                         "confidence", "confidence_reasons", "review_status", "review_field", "review_value",
                         "review_note"]
    assert row["page"] is None and row["bbox"] is None
    assert row["confidence"] < 1 and "qualified" in row["confidence_reasons"]  # 约9亿元
    assert row["review_status"] == "unreviewed" and row["review_note"] is None
    assert [row[n] for n in names] == [getattr(figure, n) for n in names]


def test_document_date_and_part_of_reach_the_rows(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("本报讯 2024年5月20日，开工项目总投资86.4亿元，其中，产业园项目总投资32亿元。\n", "utf-8")
    result = process_input(read_input(path), NOW)
    assert result.document["document_date"] == date(2024, 5, 20)
    assert result.document["document_date_source"] == "dateline"
    total, part = result.figures
    assert total["part_of"] is None and part["part_of"] == total["figure_id"]
    assert part["relation"] == "level" and part["modality"] == "actual" and part["period_start"] is None


def test_undated_document_has_a_null_date(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("本报讯 5月1日，该项目总投资约9亿元。\n", "utf-8")
    document = process_input(read_input(path), NOW).document
    assert document["document_date"] is None and document["document_date_source"] is None


def test_article_without_headline_has_null_headline(tmp_path):
    """The articles schema says null when the article has none: not an empty string."""
    path = tmp_path / "a.txt"
    path.write_text("新区重大项目集中签约\n\n本报讯 5月1日，该项目总投资约9亿元。\n\n"
                    "本报讯 5月2日，园区新增企业30家。\n", "utf-8")
    result = process_input(read_input(path), NOW)
    assert [a["headline"] for a in result.articles] == ["新区重大项目集中签约", None]
