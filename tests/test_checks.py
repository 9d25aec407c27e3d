"""Consistency checks: table-driven cases from tests/cases/checks.yaml, the rules' number
handling, and what they find on the bundled sample."""
from __future__ import annotations

import copy
import math
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import CASES, SAMPLE, load_cases
from etl.quality.checks import CHECKS, Fig, article_view, check_article, check_tables, duplicate, load_config, span_of, written_step
from etl.read.ingest import InputFile, discover_inputs, read_input
from etl.job.job import process_and_check
from etl.quality.checks import article_checks
from etl.tables.write import to_arrow

NOW = datetime(2024, 1, 1, tzinfo=timezone.utc)


def pipeline_checks(text: str) -> tuple[list[dict], list[dict]]:
    """Run `text` through the pipeline as one input file, then the checks; (checks, figures)."""
    result = process_and_check(InputFile(Path("case.txt"), "case.txt", None, None, text.encode("utf-8")), NOW)
    assert result.document["status"] == "ok", result.document["error"]  # a rule's crash is no empty result
    rows = []
    for article in result.articles:
        rows += check_article(article, [f for f in result.figures if f["article_id"] == article["article_id"]])
    return rows, result.figures


@pytest.mark.parametrize("case", load_cases("checks.yaml"))
def test_check_case(case):
    rows, figures = pipeline_checks(case["text"])
    got = [[r["rule"], r["status"]] for r in rows]
    detail = "\n".join(f"  {r['rule']} {r['status']}: {r['message']}" for r in rows)
    assert got == case["checks"], f"{case['text']}\nfigures: {[f['surface'] for f in figures]}\n{detail}"
    for want, row in zip(case.get("values") or [], rows):
        if want is not None:
            assert [row["expected"], row["observed"]] == pytest.approx(want, rel=1e-4), row["message"]


def test_cases_cover_every_status_of_every_rule():
    # Plausibility and duplicate report findings only, so they have no passing rows.
    data = yaml.safe_load((CASES / "checks.yaml").read_text("utf-8"))
    seen = {(check, status) for cases in data.values() for case in cases for check, status in case["checks"]}
    wanted = {name: {"pass", "warn", "fail"} for name in CHECKS}
    wanted |= {"plausibility": {"warn", "fail"}, "duplicate": {"warn"}}  # duplicate fail: below
    for name, statuses in wanted.items():
        assert {(name, s) for s in statuses} <= seen, name


def test_rows_fit_the_checks_schema():
    rows, _ = pipeline_checks("新区4个项目总投资25亿元，分别为8.5亿元、6.6亿元、2.1亿元和1.9亿元。")
    table = to_arrow("checks", rows)
    assert table.num_rows == 1 and table.column("figure_ids").to_pylist()[0][0].endswith(":9-13")


def test_figures_as_dataframe_or_dicts_give_the_same_rows():
    text = "全年计划投资86.5亿元，截至10月底已完成投资70.2亿元，完成率81.16%。"
    result = process_and_check(InputFile(Path("c.txt"), "c.txt", None, None, text.encode()), NOW)
    article = result.articles[0]
    assert check_article(article, pd.DataFrame(result.figures)) == check_article(article, result.figures)


def test_tables_read_back_from_parquet_give_the_rows_of_dict_input():
    # As the review stage reads them: arrow-backed string columns, NaN for a null value_high,
    # columns the checks do not read. The range 3至5亿元 lets the parts reach 9亿元 (by its
    # value alone they would fail).
    text = "两个项目总投资9亿元，分别为3至5亿元和4亿元。"
    result = process_and_check(InputFile(Path("c.txt"), "c.txt", None, None, text.encode()), NOW)
    articles, figures = (to_arrow(t, rows).to_pandas() for t, rows in
                         (("articles", result.articles), ("figures", result.figures)))
    assert figures["value_high"].isna().any() and figures["value_high"].notna().any()
    expected = [row for a in result.articles for row in check_article(
        a, [f for f in result.figures if f["article_id"] == a["article_id"]])]
    assert [r["status"] for r in expected] == ["pass"]
    assert check_tables(articles, figures) == expected


# ------------------------------------------------------------ numbers as intervals

def _fig(number_text: str, value: float, qualifier: str = "exact", **kw) -> Fig:
    base = dict(id="x", kind="money", value_high=None, unit="CNY", surface=number_text, counter="",
                metric="", subject="", start=0, end=len(number_text), sent=0)
    return Fig(**{**base, **kw, "number_text": number_text, "value": value, "qualifier": qualifier})


@pytest.mark.parametrize("number_text, value, step", [
    ("19", 1.9e9, 1e8),            # 19亿元: written to 1亿
    ("8.5", 8.5e8, 1e7),           # 8.5亿元: to 0.1亿
    ("20", 2e9, 1e8),              # Arabic trailing zeros are written digits
    ("1.5万", 15000, 1000),        # scale inside the number: 1.5万人
    ("两千三百万", 2.3e7, 1e6),    # Chinese numerals stop at their last non-zero digit
    ("十二点六", 12.6, 0.1),
    ("1,200", 1.2e7, 1e4),         # 1,200万元
    ("3万4000", 34000, 1),
])
def test_written_step(number_text, value, step):
    assert math.isclose(written_step(_fig(number_text, value)), step, rel_tol=1e-9)


@pytest.mark.parametrize("number_text, value, qualifier, lo, hi", [
    ("8.5", 8.5e8, "exact", 8.45e8, 8.55e8),
    ("9", 9e8, "approx", 8e8, 10e8),      # 约9亿元
    ("10", 10, "over", 10, 20),           # 10多项
    ("2.5万", 25000, "over", 25000, 26250),  # 2.5万余人: 5% beyond the written 2.5万
    ("3", 3e8, "under", 2e8, 3e8),        # 不足3亿元
])
def test_span_of_qualifiers(number_text, value, qualifier, lo, hi):
    span = span_of(_fig(number_text, value, qualifier), load_config())
    assert (span.lo, span.hi) == (pytest.approx(lo), pytest.approx(hi))


def test_range_spans_both_ends():
    span = span_of(_fig("3至5", 3e8, "range", value_high=5e8), load_config())
    assert span.lo == pytest.approx(3e8) and span.hi == pytest.approx(5e8)


def test_overlapping_figures_fail_as_duplicates():
    article = {"article_id": "d:a0", "doc_id": "d", "text": "总投资19亿元。", "char_start": 0, "headline": None}
    row = dict(kind="investment", value=1.9e9, value_high=None, unit="CNY", number_text="19", counter="",
               qualifier="exact", metric="总投资", subject="")
    figures = [{**row, "figure_id": "d:3-7", "surface": "19亿元", "char_start": 3, "char_end": 7},
               {**row, "figure_id": "d:3-6", "surface": "19亿", "char_start": 3, "char_end": 6}]
    findings = duplicate(article_view(article, figures), load_config())
    assert [(f.rule, f.status) for f in findings] == [("duplicate", "fail")]


def test_plausibility_follows_the_config_it_is_given():
    # The packaged rules are prepared once; a config passed in must still be the one applied.
    text = "该项目总投资19亿元。"
    result = process_and_check(InputFile(Path("c.txt"), "c.txt", None, None, text.encode()), NOW)
    article, figures = result.articles[0], result.figures
    assert check_article(article, figures) == []
    cfg = copy.deepcopy(load_config())
    cfg["plausibility"]["project_money"]["warn_above"] = 1e9  # 该项目: a project
    rows = check_article(article, figures, cfg)
    assert [(r["rule"], r["status"], r["expected"]) for r in rows] == [("plausibility", "warn", 1e9)]
    assert check_article(article, figures) == []


def test_figures_that_do_not_read_as_their_surface_are_left_out():
    article = {"article_id": "d:a0", "doc_id": "d", "text": "总投资19亿元。", "char_start": 100, "headline": None}
    figure = dict(figure_id="d:3-7", kind="investment", value=1.9e9, unit="CNY", surface="19亿元",
                  number_text="19", char_start=3, char_end=7)  # offsets not shifted by the article start
    assert article_view(article, [figure]).figures == ()


def test_pipeline_checks_with_the_extraction_sentences_equal_those_of_the_table_path():
    # process_input hands the checks the sentence spans the extraction found; the rows must
    # be those of article_checks splitting each article's text again (the review's path).
    texts = [p.read_text("utf-8") for p in sorted(SAMPLE.glob("*.txt"))]
    texts += [c.values[0]["text"] for c in load_cases("checks.yaml")]
    texts.append("\n\n".join(texts))  # several articles, one starting far into the page
    checked = 0
    for text in texts:
        result = process_and_check(InputFile(Path("c.txt"), "c.txt", None, None, text.encode()), NOW)
        assert result.document["status"] == "ok"
        assert result.checks == article_checks(result.articles, result.figures), text
        checked += len(result.checks)
    assert checked > 50


def test_article_checks_takes_one_list_of_sentences_per_article():
    result = process_and_check(InputFile(Path("c.txt"), "c.txt", None, None, "总投资19亿元。".encode()), NOW)
    with pytest.raises(ValueError):
        article_checks(result.articles, result.figures, [])


# ------------------------------------------------------------ the bundled sample

@pytest.fixture(scope="module")
def sample_checks():
    articles, figures = [], []
    for path in discover_inputs([SAMPLE]):
        result = process_and_check(read_input(path), NOW)
        articles += result.articles
        figures += result.figures
    figures = pd.DataFrame(figures)
    rows = check_tables(pd.DataFrame(articles), figures)
    surface = dict(zip(figures["figure_id"], figures["surface"]))
    return [{**r, "surfaces": [surface[i] for i in r["figure_ids"]]} for r in rows]


def _find(rows, check, surfaces):
    found = [r for r in rows if r["rule"] == check and r["surfaces"] == surfaces]
    assert len(found) == 1, [(r["rule"], r["surfaces"]) for r in rows]
    return found[0]


def test_sample_four_projects_sum_to_their_total(sample_checks):
    row = _find(sample_checks, "parts_and_total", ["19亿元", "8.5亿元", "6.6亿元", "2亿元", "1.9亿元"])
    assert row["status"] == "pass" and row["observed"] == pytest.approx(1.9e9)


def test_sample_completion_rate_matches_its_figures(sample_checks):
    row = _find(sample_checks, "stated_rate", ["240.49亿元", "151.67亿元", "63.06%"])
    assert row["status"] == "pass" and row["observed"] == pytest.approx(100 * 151.67 / 240.49)


def test_sample_headline_restatements_agree(sample_checks):
    assert _find(sample_checks, "restatement", ["17个", "17个", "17个"])["status"] == "pass"
    assert _find(sample_checks, "restatement", ["76.6亿元", "76.6亿元", "76.6亿元"])["status"] == "pass"


def test_sample_has_no_failed_check(sample_checks):
    assert [r["message"] for r in sample_checks if r["status"] != "pass"] == []


def project_list(n: int) -> str:
    """A list of `n` projects as a city's plan prints them, each with the same few counts."""
    return "全市重点建设项目清单\n\n" + "\n".join(
        f"{i + 1}、第{i + 1}号智能制造产业园项目，新建标准厂房{i % 3 + 1}栋，总投资{i % 50 + 1}.{i % 10}亿元，"
        f"占地{i % 300 + 20}亩。" for i in range(n)) + "\n"


def test_a_long_project_list_gives_a_few_rows_per_figure_not_one_per_pair():
    # Issue 16: 2,000 such lines gave 499,152 rows (every pair of figures after 新建标准厂房N栋).
    rows, figures = pipeline_checks(project_list(300))
    assert len(figures) == 900
    restated = [r for r in rows if r["rule"] == "restatement"]
    assert 0 < len(restated) <= len(figures) and len(rows) < 5 * len(figures)
    # each figure is compared with one earlier statement at most
    assert len({r["figure_ids"][-1] for r in restated}) == len(restated)


def test_rows_of_one_article_are_bounded_and_failures_come_first():
    cfg = copy.deepcopy(load_config())
    cfg["limits"]["max_rows_per_article"] = 50
    text = project_list(60) + "占比达到150%。"  # a share over 100% fails plausibility, at the end
    result = process_and_check(InputFile(Path("c.txt"), "c.txt", None, None, text.encode()), NOW)
    rows = [r for a in result.articles
            for r in check_article(a, [f for f in result.figures if f["article_id"] == a["article_id"]], cfg)]
    assert len(rows) == 50
    assert ("plausibility", "fail") in {(r["rule"], r["status"]) for r in rows}
    assert [r["check_id"] for r in rows if r["rule"] == "restatement"][-1].endswith(":48")


def test_check_limits_are_positive_whole_numbers():
    limits = load_config()["limits"]
    assert set(limits) == {"restatement_lookback", "max_rows_per_article"}
    assert all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in limits.values())
