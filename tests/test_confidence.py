"""Confidence of a figure: table-driven cases from tests/cases/confidence.yaml, the data
file's integrity, the doubts of checks, and the ranking `figure-etl eval` prints."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from etl.figures.confidence import (CHECK_DOUBTS, REASONS, figure_confidence, load_doubts, rows_with_checks,
                                    score, with_checks)
from etl.figures.figure import KINDS, Figure
from etl.review.evaluate import evaluate, ranking

CASES = Path(__file__).parent / "cases"
ROOT = Path(__file__).resolve().parent.parent
#: The fields of a case's figure it does not give: a level money figure, exact.
DEFAULTS = {"kind": "money", "unit": "CNY", "unit_text": "亿元", "qualifier": "exact", "relation": "level",
            "counter": "", "metric": "", "indicator": ""}


def case_figure(case: dict) -> Figure:
    text, surface = case["text"], case["surface"]
    start = text.index(surface)
    fields = {**DEFAULTS, **case["figure"]}
    fields.setdefault("number_text", surface[: len(surface) - len(fields["unit_text"])])
    fields.setdefault("value", 4.5e9)
    return Figure(surface=surface, char_start=start, char_end=start + len(surface), sentence=text,
                  **{k: v for k, v in fields.items()})


CONFIDENCE_CASES = yaml.safe_load((CASES / "confidence.yaml").read_text("utf-8"))


@pytest.mark.parametrize("case", CONFIDENCE_CASES, ids=[f"{c['surface']}:{c['text'][:12]}" for c in CONFIDENCE_CASES])
def test_doubts_of_a_figure(case):
    confidence = figure_confidence(case_figure(case), case["text"])
    assert list(confidence.reasons) == case["reasons"]
    assert confidence.score == score(case["reasons"])
    assert 0 < confidence.score <= 1


def test_every_doubt_has_a_case():
    seen = {r for case in CONFIDENCE_CASES for r in case["reasons"]}
    assert seen | set(CHECK_DOUBTS.values()) == set(REASONS)


def test_more_doubts_never_raise_confidence():
    assert score([]) == 1.0
    for reason in REASONS:
        assert score([reason]) < 1.0
        assert score(["qualified", reason]) <= score([reason])


# --- the data file ---------------------------------------------------------------------------

def test_data_file_names_every_doubt_once_with_a_factor_and_an_explanation():
    doubts = load_doubts()
    assert set(doubts.factors) == set(REASONS) == set(doubts.why)
    assert all(0 < f < 1 for f in doubts.factors.values())
    assert all(len(why) > 10 for why in doubts.why.values())


def test_data_file_word_lists_are_clean():
    doubts = load_doubts()
    for name, words in doubts.words.items():
        assert words and len(set(words)) == len(words), name
        assert all(w == w.strip() and w for w in words), name
    assert set(doubts.unusual_units) <= set(KINDS)
    assert all(low < high for low, high in doubts.edges.values())
    assert set(doubts.edges) == set(KINDS) - {"investment"}  # investment is money


def test_schema_documents_every_reason():
    fields = {f["name"]: f for f in json.loads((ROOT / "schemas" / "figures.json").read_text("utf-8"))["fields"]}
    description = fields["confidence_reasons"]["description"]
    assert all(reason in description for reason in REASONS)


# --- checks ----------------------------------------------------------------------------------

def test_a_failed_check_lowers_confidence_once():
    first = with_checks(["qualified"], {"warn", "fail"})
    assert first.reasons == ("qualified", "check_fail") and first.score == score(["qualified", "check_fail"])
    again = with_checks(first.reasons, {"warn"})  # recomputed: the worst of the new checks only
    assert again.reasons == ("qualified", "check_warn")
    assert with_checks(again.reasons, {"pass"}).reasons == ("qualified",)


def test_rows_named_by_failed_or_warning_checks_are_doubted():
    rows = [{"figure_id": f"d:{i}", "confidence": 1.0, "confidence_reasons": []} for i in range(3)]
    checks = [{"status": "fail", "figure_ids": ["d:0", "d:1"]}, {"status": "warn", "figure_ids": ["d:1"]},
              {"status": "pass", "figure_ids": ["d:2"]}]
    rows_with_checks(rows, checks)
    assert [r["confidence_reasons"] for r in rows] == [["check_fail"], ["check_fail"], []]
    assert rows[0]["confidence"] == score(["check_fail"]) and rows[2]["confidence"] == 1.0


# --- the ranking eval prints -----------------------------------------------------------------

def test_ranking_counts_wrong_figures_in_the_least_sure_fifth():
    judged = [(0.2, True), (0.3, False), *[(1.0, False)] * 6, (1.0, True), (0.9, True)]
    result = ranking(judged)
    assert (result.figures, result.wrong, result.reviewed, result.found) == (10, 3, 2, 1)
    assert "1 of the 3 wrong figures (33.3%" in str(result)


def test_ranking_breaks_ties_against_itself():
    flat = [(1.0, i % 5 == 0) for i in range(10)]  # the same confidence everywhere ranks nothing
    assert ranking(flat).found == 0


def test_eval_judges_extras_and_wrong_metrics():
    gold = {"a.txt": [{"kind": "money", "value": 1e9, "metric": "总投资", "surface": "10亿元"},
                      {"kind": "money", "value": 2e9, "metric": "注册资本", "surface": "20亿元"}]}
    output = {"a.txt": [{"kind": "money", "value": 1e9, "metric": "总投资", "surface": "10亿元", "sentence": "",
                         "confidence": 0.9},
                        {"kind": "money", "value": 2e9, "metric": "资本", "surface": "20亿元", "sentence": "",
                         "confidence": 0.4},
                        {"kind": "count", "value": 3, "metric": "", "surface": "3个", "sentence": "",
                         "confidence": 0.3}]}
    ev = evaluate(gold, output)
    assert sorted(ev.judged) == [(0.3, True), (0.4, True), (0.9, False)]


def test_eval_prints_the_ranking(tmp_path):
    from click.testing import CliRunner

    from etl.cli import main

    (tmp_path / "docs").mkdir()
    (tmp_path / "gold").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("本报讯 新区新开工项目12个，总投资45亿元，其中一期工程投资20亿元。\n", "utf-8")
    gold = [{"file": "a.txt", "kind": "count", "value": 12, "metric": "（另一个指标）", "surface": "12个"},
            {"file": "a.txt", "kind": "investment", "value": 4.5e9, "metric": "投资总额", "surface": "45亿元"}]
    (tmp_path / "gold" / "a.jsonl").write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in gold), "utf-8")
    result = CliRunner().invoke(main, ["eval", str(tmp_path / "gold"), str(tmp_path / "docs"), "--no-errors"])
    assert result.exit_code == 0, result.output
    # 20亿元 is no gold figure, 12个 and 45亿元 have other metrics: all three wrong, one reviewed
    assert "review-first ranking: the 1 least sure of 3 figures (a fifth) hold 1 of the 3 wrong" in result.output
