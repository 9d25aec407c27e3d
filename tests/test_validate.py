"""The validate stage: suites load whole, each broken table names its failed check and rows,
and the report opens offline.

GX costs ~3 s to import and ~0.3 s per validation, so every table is validated once per module
(`runs` fixture) and the tests read the summaries and results it kept.
"""
from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from etl import validate as v

DOC = "3c889a2ed9e6" + "0" * 52  # a sha256-shaped doc_id
TEXT = "项目总投资19亿元，占地183亩，建成厂房3栋，增速12.6%，投资3至5亿元。"


def figure(kind, value, unit, surface, *, value_high=np.nan, qualifier="exact", counter=""):
    """One valid row of the figures table, its offsets found in TEXT."""
    start = TEXT.index(surface)
    end = start + len(surface)
    return {
        "figure_id": f"{DOC[:12]}:{start}-{end}", "doc_id": DOC, "source": "000.txt",
        "article_id": "a0", "kind": kind, "value": float(value), "value_high": float(value_high),
        "unit": unit, "surface": surface, "number_text": surface[:-1], "unit_text": surface[-1:],
        "counter": counter, "qualifier": qualifier, "metric": "", "subject": "",
        "sentence": TEXT, "char_start": start, "char_end": end, "raw_start": start,
        "raw_end": end, "article_date": "7月30日" if kind == "count" else None,
    }


def valid_figures() -> pd.DataFrame:
    return pd.DataFrame([
        figure("investment", 1.9e9, "CNY", "19亿元"),
        figure("area", 122000, "m2", "183亩"),
        figure("count", 3, "count", "3栋", counter="栋"),
        figure("percent", 12.6, "percent", "12.6%"),
        figure("investment", 3e8, "CNY", "3至5亿元", value_high=5e8, qualifier="range"),
    ])


def documents() -> pd.DataFrame:
    """The document of TEXT, and the same bytes again under another name (status duplicate)."""
    return pd.DataFrame({"doc_id": [DOC, DOC], "source": ["000.txt", "copy.txt"],
                         "path": ["in/000.txt", "in/copy.txt"], "status": ["ok", "duplicate"],
                         "n_chars": [len(TEXT), len(TEXT)]})


def broken(row: int, **changes) -> pd.DataFrame:
    df = valid_figures()
    for column, value in changes.items():
        df.loc[row, column] = value
    return df


def duplicated() -> pd.DataFrame:
    df = valid_figures()
    return pd.concat([df, df.iloc[[1]]], ignore_index=True)


# (table, the checks that must fail, the figure_ids they must name)
CASES = {
    "valid": (valid_figures(), set(), set()),
    "negative_value": (broken(0, value=-1.9e9), {"value_positive"}, {"3c889a2ed9e6:5-9"}),
    "unknown_kind": (broken(1, kind="volume"), {"kind_allowed"}, {"3c889a2ed9e6:12-16"}),
    "percent_250000": (broken(3, value=250000.0), {"percent_in_bounds"}, {"3c889a2ed9e6:26-31"}),
    "high_below_low": (broken(4, value_high=1e8), {"range_high_above_low"}, {"3c889a2ed9e6:34-39"}),
    "duplicate_id": (duplicated(), {"figure_id_unique", "span_unique"}, {"3c889a2ed9e6:12-16"}),
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict:
    """Each case validated once: its summary and its results.json."""
    out = {}
    for name, (figures, _, _) in CASES.items():
        out_dir = tmp_path_factory.mktemp(name)
        summary = v.validate_tables(figures, documents(), out_dir)
        out[name] = (summary, json.loads((out_dir / "results.json").read_text(encoding="utf-8")))
    beyond = tmp_path_factory.mktemp("beyond")
    docs = documents().assign(n_chars=10)  # the text is shorter than the last figures' ends
    out["char_end_beyond_text"] = (v.validate_tables(valid_figures(), docs, beyond),
                                   json.loads((beyond / "results.json").read_text(encoding="utf-8")))
    return out


def failed_checks(results: dict) -> dict[str, list[dict]]:
    return {f"{s['name']}.{e['check']}": e for s in results["suites"]
            for e in s["expectations"] if not e["success"]}


def test_valid_table_passes_every_expectation(runs):
    summary, results = runs["valid"]
    assert summary.success and results["success"]
    assert summary.failed == 0 and summary.total == summary.passed == results["evaluated"]
    assert {s.name for s in summary.suites} == {"figures", "documents", "figures_in_documents"}
    assert all(s.evaluated > 0 and not s.skipped for s in summary.suites)


@pytest.mark.parametrize("case", [c for c in CASES if c != "valid"])
def test_broken_table_names_its_check_and_rows(runs, case):
    _, want_checks, want_ids = CASES[case]
    summary, results = runs[case]
    failed = failed_checks(results)
    assert set(failed) == {f"figures.{c}" for c in want_checks}
    assert not summary.success and summary.failed == len(want_checks)
    for check in failed.values():
        assert {x["figure_id"] for x in check["unexpected_examples"]} == want_ids
        assert check["unexpected_count"] >= 1 and check["type"].startswith("expect_")


def test_char_end_beyond_text(runs):
    summary, results = runs["char_end_beyond_text"]
    failed = failed_checks(results)
    assert set(failed) == {"figures_in_documents.char_end_inside_text"}
    examples = failed["figures_in_documents.char_end_inside_text"]["unexpected_examples"]
    assert {x["figure_id"] for x in examples} == {"3c889a2ed9e6:12-16", "3c889a2ed9e6:21-23",
                                                  "3c889a2ed9e6:26-31", "3c889a2ed9e6:34-39"}
    assert all(x["char_end"] > x["n_chars"] == 10 for x in examples)
    by_name = {s.name: s for s in summary.suites}
    assert by_name["figures_in_documents"].failed == 1 and by_name["figures"].success


def test_summary_prints_counts(runs):
    text = str(runs["negative_value"][0])
    assert text.startswith("validation FAILED:") and "figures" in text and "1 failed" in text


def test_without_documents_table_cross_checks_are_skipped(tmp_path):
    summary = v.validate_tables(valid_figures(), None, tmp_path)
    skipped = {s.name: s.skipped for s in summary.suites if s.skipped}
    assert set(skipped) == {"documents", "figures_in_documents"}
    assert summary.success and summary.total == next(s.evaluated for s in summary.suites
                                                     if s.name == "figures")


def test_suites_load_whole_and_round_trip_byte_for_byte():
    v._context(v._gx())  # GX builds suites only once a context exists
    for path in sorted(v.SUITES_DIR.glob("*.json")):
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
        suite = v.load_suite(data)
        assert len(suite.expectations) == len(data["expectations"]) > 0
        assert v.suite_to_json(suite) == text, f"{path.name} is not in canonical form"
        assert "great_expectations_version" not in text and '"id"' not in text


def test_a_suite_gx_would_shorten_is_refused():
    v._context(v._gx())
    good = json.loads((v.SUITES_DIR / "documents.json").read_text(encoding="utf-8"))
    typo = dict(good["expectations"][0], type="expect_column_values_to_be_betwen")
    with pytest.raises(v.SuiteError, match="dropped 1"):
        v.load_suite(dict(good, expectations=[*good["expectations"], typo]))


def test_report_is_offline_and_shows_each_suite(runs, tmp_path):
    v.validate_tables(CASES["percent_250000"][0], documents(), tmp_path)
    remote = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""",
                        re.I)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert not remote.search(path.read_text(encoding="utf-8")), path
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in page and "Noto Sans CJK SC" in page
    for name in ("figures", "documents", "figures_in_documents"):
        assert f'id="suite-{name}"' in page
    assert "percent_in_bounds" in page and "3c889a2ed9e6:26-31" in page and "FAILED" in page


def test_examples_carry_the_surface_as_written(runs):
    """A reviewer sees 19亿元, not \\u4ebf, in results.json."""
    examples = failed_checks(runs["negative_value"][1])["figures.value_positive"]["unexpected_examples"]
    assert examples == [{"figure_id": "3c889a2ed9e6:5-9", "surface": "19亿元", "value": -1.9e9}]
