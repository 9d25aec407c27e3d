"""The validate stage: suites load whole, each broken table names its failed check and rows,
and the report opens offline.

GX costs ~3 s to import and ~0.3 s per validation, so every table is validated once per module
(`runs` fixture) and the tests read the summaries and results it kept.
"""
from __future__ import annotations

import json
import re
from datetime import date, datetime, timezone

import numpy as np
import pandas as pd
import pytest

from etl.quality import validate as v
from etl.quality.gxdocs import RunInfo

# Reports compared byte for byte name the same run; GX's Data Docs (~1 s each) are not
# what those tests compare (tests/test_gx_formats.py checks them).
SAME = {"run": RunInfo("test-run", datetime(2026, 1, 1, tzinfo=timezone.utc), "test frames"), "data_docs": False}

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
        "raw_end": end, "indicator": "", "relation": "increase" if surface == "12.6%" else "level",
        "period_start": date(2022, 1, 1), "period_end": date(2022, 6, 30), "period_text": "上半年",
        "modality": "actual", "part_of": None, "article_date": "7月30日" if kind == "count" else None,
        "page": None, "bbox": None, "confidence": 1.0, "confidence_reasons": [],
        "review_status": "unreviewed", "review_field": None, "review_value": None, "review_note": None,
    }


def valid_figures() -> pd.DataFrame:
    return pd.DataFrame([
        figure("investment", 1.9e9, "CNY", "19亿元"),
        figure("area", 122000, "m2", "183亩"),
        figure("count", 3, "count", "3栋", counter="栋"),
        figure("percent", 12.6, "percent", "12.6%") | {"metric": "增速"},
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
    "negative_value": (broken(1, value=-122000.0), {"value_positive"}, {"3c889a2ed9e6:12-16"}),
    "negative_money": (broken(0, value=-1.9e9), set(), set()),  # a level written with a sign (利润-19亿元)
    "infinite_value": (broken(1, value=float("inf")), {"value_finite"}, {"3c889a2ed9e6:12-16"}),
    "infinite_high": (broken(4, value_high=float("-inf")), {"value_high_finite", "range_high_above_low"},
                      {"3c889a2ed9e6:34-39"}),
    "nan_value": (broken(2, value=float("nan")), {"not_null_value"}, {"3c889a2ed9e6:21-23"}),
    "unknown_kind": (broken(1, kind="volume"), {"kind_allowed"}, {"3c889a2ed9e6:12-16"}),
    "percent_250000": (broken(3, value=250000.0), {"percent_in_bounds"}, {"3c889a2ed9e6:26-31"}),
    "high_below_low": (broken(4, value_high=1e8), {"range_high_above_low"}, {"3c889a2ed9e6:34-39"}),
    "duplicate_id": (duplicated(), {"figure_id_unique", "span_unique"}, {"3c889a2ed9e6:12-16"}),
    "unknown_relation": (broken(1, relation="rise"), {"relation_allowed"}, {"3c889a2ed9e6:12-16"}),
    "unknown_modality": (broken(1, modality="plan"), {"modality_allowed"}, {"3c889a2ed9e6:12-16"}),
    "period_ends_before_start": (broken(2, period_end=date(2021, 12, 31)), {"period_start_before_end"},
                                 {"3c889a2ed9e6:21-23"}),
    "dates_without_words": (broken(2, period_text=""), {"dated_period_has_text"}, {"3c889a2ed9e6:21-23"}),
    "growth_as_level": (broken(3, relation="level"), {"figures_derived.relation_word_not_level"}, {"3c889a2ed9e6:26-31"}),
    "part_of_not_an_id": (broken(2, part_of="19亿元"), {"part_of_format"}, {"3c889a2ed9e6:21-23"}),
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict:
    """Each case validated once: its summary and its results.json."""
    out = {}
    for name, (figures, _, _) in CASES.items():
        out_dir = tmp_path_factory.mktemp(name)
        summary = v.validate_tables(figures, documents(), out_dir, data_docs=False)
        out[name] = (summary, json.loads((out_dir / "results.json").read_text(encoding="utf-8")))
    beyond = tmp_path_factory.mktemp("beyond")
    docs = documents().assign(n_chars=10)  # the text is shorter than the last figures' ends
    out["char_end_beyond_text"] = (v.validate_tables(valid_figures(), docs, beyond, data_docs=False),
                                   json.loads((beyond / "results.json").read_text(encoding="utf-8")))
    return out


def failed_checks(results: dict) -> dict[str, list[dict]]:
    return {f"{s['name']}.{e['check']}": e for s in results["suites"]
            for e in s["expectations"] if not e["success"]}


def test_valid_table_passes_every_expectation(runs):
    summary, results = runs["valid"]
    assert summary.success and results["success"]
    assert summary.failed == 0 and summary.total == summary.passed == results["evaluated"]
    assert {s.name for s in summary.suites} == {"figures", "documents", "figures_derived", "figures_in_documents"}
    assert all(s.evaluated > 0 and not s.skipped for s in summary.suites)


def test_negative_money_passes(runs):
    # contract v3: a level written with a minus sign or 负 keeps it (利润-500万元 is -5e6)
    summary, results = runs["negative_money"]
    assert summary.success and results["success"] and summary.failed == 0


@pytest.mark.parametrize("case", [c for c, (_, checks, _) in CASES.items() if checks])
def test_broken_table_names_its_check_and_rows(runs, case):
    _, want_checks, want_ids = CASES[case]
    summary, results = runs[case]
    failed = failed_checks(results)
    assert set(failed) == {c if "." in c else f"figures.{c}" for c in want_checks}  # suite.check
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
    assert summary.success and summary.total == sum(s.evaluated for s in summary.suites
                                                    if s.name in ("figures", "figures_derived"))


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
        if path.suffix in (".html", ".css", ".json"):
            assert not remote.search(path.read_text(encoding="utf-8")), path
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="docs/index.html"' in page and 'href="gx/figures.json"' in page
    assert '<meta charset="utf-8">' in page and "Noto Sans CJK SC" in page
    for name in ("figures", "documents", "figures_derived", "figures_in_documents"):
        assert f'id="suite-{name}"' in page
    assert "percent_in_bounds" in page and "3c889a2ed9e6:26-31" in page and "FAILED" in page


def test_examples_carry_the_surface_as_written(runs):
    """A reviewer sees 19亿元, not \\u4ebf, in results.json."""
    examples = failed_checks(runs["negative_value"][1])["figures.value_positive"]["unexpected_examples"]
    assert examples == [{"figure_id": "3c889a2ed9e6:12-16", "surface": "183亩", "value": -122000.0}]


# --- batches of just the columns an expectation reads ----------------------------------------

def _named_columns(raw: dict) -> set[str]:
    """Every column a suite-file expectation names: its column kwargs and, at any depth, its
    row_condition (written independently of `v.expectation_columns`)."""
    kwargs = raw["kwargs"]
    found = {kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs}
    found |= set(kwargs.get("column_list") or [])
    pending = [kwargs.get("row_condition") or {}]
    while pending:
        cond = pending.pop()
        pending += cond.get("conditions", [])
        if "column" in cond:
            found.add(cond["column"]["name"])
    return found


TABLE_EXPECTATIONS = {"expect_table_columns_to_match_set", "expect_table_row_count_to_be_between",
                      "expect_table_columns_to_match_ordered_list", "expect_column_to_exist"}


def test_expectation_columns_are_every_column_a_bundled_expectation_names():
    v._context(v._gx())
    seen_condition = seen_table = False
    for data in v.read_suite_files().values():
        for raw in data["expectations"]:
            columns = v.expectation_columns(raw)
            if raw["type"] in TABLE_EXPECTATIONS:
                assert columns is None, raw["meta"]["check"]  # reads the whole table
                seen_table = True
                continue
            assert columns is not None and set(columns) == _named_columns(raw), raw["meta"]["check"]
            assert len(columns) == len(set(columns))
            seen_condition |= "row_condition" in raw["kwargs"]
    assert seen_condition and seen_table


def condition(column: str, value: str) -> dict:
    return {"type": "comparison", "column": {"name": column}, "operator": "==", "parameter": value}


# Beyond the bundled suites: nested conditions, a condition on a column the frame lacks, table
# expectations that look at column names, positions and the row count.
EXTRA_SUITE = {"name": "extra", "meta": {"table": "figures", "example_columns": ["figure_id"]}, "expectations": [
    {"type": "expect_column_values_to_not_be_null", "meta": {"check": "absent_in_condition"},
     "kwargs": {"column": "value", "row_condition": condition("no_such_column", "x")}},
    {"type": "expect_column_values_to_not_be_null", "meta": {"check": "absent_column"},
     "kwargs": {"column": "no_such_column"}},
    {"type": "expect_column_values_to_be_between", "meta": {"check": "nested"},
     "kwargs": {"column": "value", "min_value": 0, "row_condition": {"type": "and", "conditions": [
         condition("kind", "count"), {"type": "nullity", "column": {"name": "value_high"}, "is_null": True}]}}},
    {"type": "expect_column_values_to_be_unique", "meta": {"check": "either"},
     "kwargs": {"column": "doc_id", "row_condition": {"type": "or", "conditions": [
         condition("kind", "count"), condition("unit", "m2")]}}},
    {"type": "expect_column_pair_values_to_be_equal", "meta": {"check": "pair_where"},
     "kwargs": {"column_A": "char_start", "column_B": "raw_start", "row_condition": condition("kind", "area")}},
    {"type": "expect_table_row_count_to_be_between", "meta": {"check": "rows"}, "kwargs": {"min_value": 1}},
    {"type": "expect_table_columns_to_match_ordered_list", "meta": {"check": "first_columns"},
     "kwargs": {"column_list": ["figure_id", "doc_id"]}},
    {"type": "expect_column_to_exist", "meta": {"check": "doc_id_second"},
     "kwargs": {"column": "doc_id", "column_index": 1}},
]}


def test_extra_expectation_columns():
    v._context(v._gx())
    by_check = {e["meta"]["check"]: v.expectation_columns(e) for e in EXTRA_SUITE["expectations"]}
    assert by_check == {"absent_in_condition": ["value", "no_such_column"], "absent_column": ["no_such_column"],
                        "nested": ["value", "kind", "value_high"], "either": ["doc_id", "kind", "unit"],
                        "pair_where": ["char_start", "raw_start", "kind"],
                        "rows": None, "first_columns": None, "doc_id_second": None}
    legacy = {"type": "expect_column_values_to_not_be_null",
              "kwargs": {"column": "value", "row_condition": 'kind=="count"', "condition_parser": "pandas"}}
    assert v.expectation_columns(legacy) is None  # a query string: its columns are unknown


@pytest.mark.parametrize("suite", ["figures", "documents", "figures_in_documents", "extra"])
def test_batch_plan_keeps_every_expectation_once_with_the_columns_it_reads(suite):
    v._context(v._gx())
    data = EXTRA_SUITE if suite == "extra" else v.read_suite_files()[suite]
    plan = v.batch_plan(data["expectations"])
    placed = [e["meta"]["check"] for _, group in plan for e in group]
    assert sorted(placed) == sorted(e["meta"]["check"] for e in data["expectations"])
    for columns, group in plan:
        for raw in group:
            needs = v.expectation_columns(raw)
            if columns is not None:  # None: the whole frame, which has whatever anyone reads
                assert needs is not None and set(needs) <= set(columns), raw["meta"]["check"]
    assert sum(columns is None for columns, _ in plan) <= 1  # one whole-frame batch at most


def test_the_wide_text_columns_stay_out_of_conditioned_batches():
    v._context(v._gx())
    plan = v.batch_plan(v.read_suite_files()["figures"]["expectations"])
    conditioned = [(columns, group) for columns, group in plan
                   if any("row_condition" in e["kwargs"] for e in group)]
    assert conditioned and all(columns is not None and "sentence" not in columns for columns, _ in conditioned)
    assert all("row_condition" in e["kwargs"] for _, group in conditioned for e in group)


def broken_in_many_ways() -> pd.DataFrame:
    df = pd.concat([valid_figures()] * 3, ignore_index=True)
    df.loc[2, "value"] = -1.0  # a count below zero (money may be: a loss)
    df.loc[1, "unit"] = "m2"  # an area unit on a money figure
    df.loc[5, "kind"] = "volume"
    df.loc[7, "counter"] = ""
    df.loc[9, "value_high"] = 1.0
    return df.drop(columns=["metric"])  # absent: its checks fail, not the stage


def test_batches_give_the_results_of_one_whole_frame_batch(tmp_path, monkeypatch):
    suites = tmp_path / "suites"
    suites.mkdir()
    for path in v.SUITES_DIR.glob("*.json"):
        (suites / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (suites / "extra.json").write_text(json.dumps(EXTRA_SUITE), encoding="utf-8")
    figures, docs = broken_in_many_ways(), documents().assign(n_chars=30)
    v.validate_tables(figures, docs, tmp_path / "batches", suites, **SAME)
    monkeypatch.setattr(v, "batch_plan", lambda expectations: [(None, expectations)])
    v.validate_tables(figures, docs, tmp_path / "whole", suites, **SAME)
    batched, whole = ((tmp_path / d / "results.json").read_text(encoding="utf-8") for d in ("batches", "whole"))
    assert batched == whole
    failed = failed_checks(json.loads(batched))
    for check in ("figures.value_positive", "figures.kind_allowed", "figures.counter_for_count",
                  "figures.not_null_metric", "extra.absent_in_condition", "extra.absent_column",
                  "figures_in_documents.char_end_inside_text"):
        assert check in failed, check
    assert "does not exist" in failed["extra.absent_column"]["error"]
    assert "no_such_column" in failed["extra.absent_in_condition"]["error"]


# --- chunks: a bounded number of rows at a time, the report of the whole table ----------------

def _feeding_whole(raw: dict) -> str:
    return "whole"


def spread_failures() -> pd.DataFrame:
    """Failures in many chunks of a few rows, duplicates far apart (in different chunks), an
    absent column, and a doc_id no document has (n_chars null in some chunks only)."""
    df = pd.concat([valid_figures()] * 4, ignore_index=True)
    df["figure_id"] = [f"{DOC[:12]}:{s}-{e}" for s, e in zip(df["char_start"], df["char_end"])]
    df.loc[2, "value"] = -1.0
    df.loc[6, "unit"] = "m2"  # an area unit on an area... and on row 6 (money): unexpected
    df.loc[11, "kind"] = "volume"
    df.loc[13, "value"] = 250000.0
    df.loc[17, "counter"] = ""
    df.loc[19, "value_high"] = 1.0
    df.loc[16, "doc_id"] = "f" * 64
    return df.drop(columns=["metric"])


def documents_with_gaps() -> pd.DataFrame:
    """An undecodable input (null n_chars: float64 on the whole table), and a path twice."""
    docs = documents()
    extra = pd.DataFrame({"doc_id": ["e" * 64, "e" * 64], "source": ["bad.txt", "bad.txt"],
                          "path": ["in/bad.txt", "in/bad.txt"], "status": ["undecodable", "ok"],
                          "n_chars": [None, 30]})
    return pd.concat([docs, extra], ignore_index=True)


@pytest.fixture(scope="module")
def suites_with_extra(tmp_path_factory):
    suites = tmp_path_factory.mktemp("suites")
    for path in v.SUITES_DIR.glob("*.json"):
        (suites / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (suites / "extra.json").write_text(json.dumps(EXTRA_SUITE), encoding="utf-8")
    return suites


@pytest.fixture(scope="module")
def whole_report(suites_with_extra, tmp_path_factory):
    """The reference: every expectation fed the whole table at once, as before chunks."""
    out = tmp_path_factory.mktemp("whole")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(v, "feeding", _feeding_whole)
        v.validate_tables(spread_failures(), documents_with_gaps(), out, suites_with_extra, **SAME)
    return (out / "results.json").read_text(encoding="utf-8")


# Each size cuts the table in a way the others do not (2 and 7 rows, once here, added no cut of
# their own, and ~30 s: GX's cost is per chunk, whatever its rows).
@pytest.mark.parametrize("chunk_rows, chunk_bytes", [
    (1, v.CHUNK_BYTES),    # one row a chunk: every failure in a chunk of its own, n_chars all null in one
    (3, v.CHUNK_BYTES),    # the wide pass and the narrow passes cut differently
    # sized by bytes: a few rows of every column (2 of figures), more of narrow ones (their own
    # passes, figures_derived's in 2 chunks); 1000 bytes gave 1-row wide chunks, as (1, ...) does
    (v.CHUNK_ROWS, 2000),
    (v.CHUNK_ROWS, v.CHUNK_BYTES),  # one chunk
])
def test_chunks_give_the_report_of_the_whole_table(whole_report, suites_with_extra, tmp_path,
                                                   chunk_rows, chunk_bytes):
    v.validate_tables(spread_failures(), documents_with_gaps(), tmp_path, suites_with_extra,
                      chunk_rows=chunk_rows, chunk_bytes=chunk_bytes, **SAME)
    chunked = (tmp_path / "results.json").read_text(encoding="utf-8")
    assert chunked == whole_report
    failed = failed_checks(json.loads(chunked))
    for check in ("figures.value_positive", "figures.kind_allowed", "figures.figure_id_unique",
                  "figures.span_unique", "figures.not_null_metric", "figures.percent_in_bounds",
                  "figures_in_documents.document_known", "documents.path_unique",
                  "extra.absent_column", "extra.either"):
        assert check in failed, check
    duplicates = failed["figures.figure_id_unique"]
    assert duplicates["unexpected_count"] == 20 and len(duplicates["unexpected_examples"]) == v.N_EXAMPLES


def test_merged_results_are_gx_results_on_the_whole_table(suites_with_extra):
    """Beyond results.json: counts, percentages, the first values and their row labels."""
    gx = v._gx()
    context = v._context(gx)
    data = v.read_suite_files(suites_with_extra)["figures"]
    tables = v.derive_rows(v.as_rows(spread_failures()), v.as_rows(documents_with_gaps()))

    def by_check(results):
        return {r["expectation_config"]["meta"]["check"]: (r["success"], r["result"]) for r in results}

    # 5 rows: four chunks, each with failures to merge (GX's cost is per chunk, not per row)
    chunked, _ = v.suite_results(v._Session(gx, context, "chunked", data), data["expectations"],
                                 tables["figures"], chunk_rows=5)
    whole = v._Session(gx, context, "whole", data).validate(data["expectations"],
                                                            tables["figures"].whole(None))
    assert by_check(chunked) == by_check(whole)
    assert any(result.get("unexpected_percent") for _, result in by_check(chunked).values())


def test_parts_read_in_chunks_give_the_report_of_the_table_read_whole(tmp_path):
    """The run's path: figures in Parquet parts, read a few rows at a time across parts."""
    from etl.tables.chunks import ArrowRows
    from etl.tables.write import read_table, table_parts, to_arrow, write_table

    figures = spread_failures().assign(metric="")
    figures["char_start"] = figures["char_start"].astype("int64")
    for i, start in enumerate(range(0, len(figures), 7)):
        write_table("figures", figures.iloc[start:start + 7], tmp_path / "out", part=f"part-{i}")
    docs = to_arrow("documents", [dict(row, size_bytes=1, mtime=None, path_bytes=None, encoding="utf-8",
                                       reader="txt", reader_version="test", error=None,
                                       n_articles=1, n_figures=1, processed_at=pd.Timestamp("2026-01-01"),
                                       document_date=None, document_date_source=None,
                                       pipeline_version="test", n_chars=row["n_chars"])
                                  for row in documents_with_gaps().astype(object).where(
                                      documents_with_gaps().notna(), None).to_dict("records")])
    parts = table_parts("figures", tmp_path / "out")
    assert len(parts) == 3
    # chunks of 5 rows straddle both part boundaries (after rows 7 and 14)
    v.validate_tables(ArrowRows("figures", parts), ArrowRows("documents", [docs]), tmp_path / "chunked",
                      chunk_rows=5, **SAME)
    v.validate_tables(read_table("figures", tmp_path / "out").to_pandas(), docs.to_pandas(),
                      tmp_path / "whole", chunk_rows=v.CHUNK_ROWS, **SAME)
    chunked, whole = ((tmp_path / d / "results.json").read_text(encoding="utf-8") for d in ("chunked", "whole"))
    assert chunked == whole
    assert {"figures.figure_id_unique", "figures.value_positive"} <= set(failed_checks(json.loads(chunked)))


def test_every_type_fed_by_rows_or_schema_is_a_gx_type_of_that_kind():
    """A typo in etl/data/validation.toml would feed an expectation the wrong way silently."""
    from great_expectations.expectations.expectation import (ColumnMapExpectation,
                                                             ColumnPairMapExpectation,
                                                             MulticolumnMapExpectation)
    from great_expectations.expectations.registry import get_expectation_impl

    v._gx()
    table = v._feeding_table()
    assert {"rows", "schema", "dtype"} == set(table.values())
    for kind, how in table.items():
        impl = get_expectation_impl(kind)
        if how == "rows":
            assert issubclass(impl, (ColumnMapExpectation, ColumnPairMapExpectation,
                                     MulticolumnMapExpectation)), kind
    for unique in ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique",
                   "expect_column_values_to_be_increasing", "expect_table_row_count_to_be_between",
                   "expect_column_mean_to_be_between"):
        assert v.feeding({"type": unique}) == "whole"


def test_a_chunk_passed_on_is_freed_before_the_next_is_read(tmp_path):
    """Validation holds one chunk at a time: the reader keeps no chunk it handed out once
    the next one is asked for, the last one included."""
    import gc
    import weakref

    from etl.tables.chunks import ArrowRows
    from etl.tables.write import table_parts, write_table

    rows = spread_failures().assign(metric="")
    rows["char_start"] = rows["char_start"].astype("int64")
    many = pd.concat([rows] * (4000 // len(rows)), ignore_index=True)
    for i, start in enumerate(range(0, len(many), 700)):  # parts that chunks straddle
        write_table("figures", many.iloc[start:start + 700], tmp_path, part=f"part-{i}")
    seen = []
    for chunk in ArrowRows("figures", table_parts("figures", tmp_path)).chunks(None, 1000):
        gc.collect()
        assert all(ref() is None for ref in seen)
        seen.append(weakref.ref(chunk))
        del chunk
    assert len(seen) == 4


def test_the_dtype_witness_keeps_no_chunk_alive():
    """The rows kept for the whole table's dtypes are copies: a slice of an Arrow-backed
    text column would keep the buffers of its whole chunk until the validation ends."""
    chunk = pd.DataFrame({"text": pd.array(["数" * 50] * 10_000, dtype="string[pyarrow]"),
                          "n": np.arange(10_000)})
    witness = v._Dtypes()
    witness.add(chunk)
    kept = witness.frame()
    assert len(kept) == 1 and kept["text"].dtype == chunk["text"].dtype
    for frame in (kept, witness.empty):
        assert frame["text"].array._pa_array.get_total_buffer_size() < 1_000


class _ProbeRows:
    """A base table that checks, each time a chunk is asked for, that every chunk it gave
    before is gone: what a table wrapping it (derived columns, a join) must not keep."""

    def __init__(self, frame: pd.DataFrame):
        from etl.tables.chunks import FrameRows

        self.inner, self.given, self.checked = FrameRows(frame), [], 0

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def chunks(self, columns, size):
        import gc
        import weakref

        for chunk in self.inner.chunks(columns, size):
            gc.collect()
            assert all(ref() is None for ref in self.given), "a chunk passed on is still held"
            self.checked += 1
            self.given.append(weakref.ref(chunk))
            yield chunk
            del chunk


@pytest.mark.parametrize("wrap", ["derived", "joined"])
def test_tables_built_on_a_table_hold_none_of_its_chunks_passed_on(wrap):
    from etl.tables.chunks import DerivedRows, JoinedRows

    figures = valid_figures()
    probe = _ProbeRows(pd.concat([figures] * 4, ignore_index=True))
    rows = (DerivedRows(probe, v.DERIVED_COLUMNS) if wrap == "derived" else
            JoinedRows(probe, ["figure_id", "doc_id"],
                       documents()[["doc_id", "n_chars"]].drop_duplicates("doc_id"), on="doc_id"))
    for chunk in rows.chunks(None if wrap == "derived" else ["figure_id", "n_chars"], len(figures)):
        assert len(chunk) == len(figures)
        del chunk
    assert probe.checked == 4
