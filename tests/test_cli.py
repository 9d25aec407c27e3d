"""`figure-etl run` and `eval` as a user runs them: summary, tables, exit codes."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import GOLD, SAMPLE
from etl.cli import EXIT_EXPECTATIONS_FAILED, EXIT_INPUTS_FAILED, main


def test_run_prints_a_summary_and_exits_zero(sample_run):
    out, result = sample_run
    assert result.exit_code == 0, result.output
    assert "documents: 5 read (5 ok)" in result.output
    assert re.search(r"figures:\s+\d+ \(.*investment", result.output)
    assert "validation passed" in result.output


def test_tables_load_in_pandas_and_duckdb(sample_run):
    out, _ = sample_run
    figures = pd.read_parquet(out / "figures")
    assert figures["value"].dtype == "float64" and len(figures) >= 60
    con = duckdb.connect()
    n = con.sql(f"SELECT count(*) FROM read_parquet('{out}/figures/*.parquet', hive_partitioning=true)").fetchall()
    assert n[0][0] == len(figures)
    joined = con.sql(
        f"SELECT count(*) FROM read_parquet('{out}/figures/*.parquet') f "
        f"JOIN read_parquet('{out}/articles/*.parquet') a USING (article_id) "
        f"JOIN read_parquet('{out}/documents/*.parquet') d ON d.doc_id = f.doc_id"
    ).fetchall()
    assert joined[0][0] == len(figures)


def test_validation_report_is_written(sample_run):
    out, _ = sample_run
    results = json.loads((out / "validation" / "results.json").read_text("utf-8"))
    assert results["success"] and results["evaluated"] > 20
    html = (out / "validation" / "index.html").read_text("utf-8")
    assert "figures" in html and "https://" not in html


def test_rerun_replaces_rather_than_appends(sample_run, tmp_path):
    out = tmp_path / "o"
    for _ in range(2):
        assert CliRunner().invoke(main, ["run", str(SAMPLE), "-o", str(out), "--no-validate"]).exit_code == 0
    assert len(pd.read_parquet(out / "figures")) == len(pd.read_parquet(sample_run[0] / "figures"))


def test_bad_inputs_are_recorded_and_exit_code_says_so(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text("本报讯 该项目总投资5亿元。", "utf-8")
    (tmp_path / "in" / "copy.txt").write_text("本报讯 该项目总投资5亿元。", "utf-8")
    (tmp_path / "in" / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(tmp_path / "in"), "-o", str(out), "--no-validate"])
    assert result.exit_code == EXIT_INPUTS_FAILED, result.output
    docs = pd.read_parquet(out / "documents").set_index("source")
    assert docs.loc["binary.txt", "status"] == "undecodable"
    assert docs.loc["empty.txt", "status"] == "empty"
    assert sorted(docs.loc[["copy.txt", "good.txt"], "status"]) == ["duplicate", "ok"]
    assert len(pd.read_parquet(out / "figures")) == 1


def test_strict_fails_on_a_failed_expectation(tmp_path):
    suites = tmp_path / "suites"
    suites.mkdir()
    bundled = json.loads((Path(__file__).resolve().parent.parent / "expectations" / "figures.json").read_text("utf-8"))
    bundled["expectations"] = [{
        "type": "expect_column_values_to_be_between",
        "kwargs": {"column": "value", "max_value": 1},
        "meta": {"check": "impossible"},
        "description": "No figure above 1 (fails on purpose).",
        "severity": "critical",
    }]
    (suites / "figures.json").write_text(json.dumps(bundled, ensure_ascii=False), "utf-8")
    args = ["run", str(SAMPLE), "-o", str(tmp_path / "o"), "--expectations", str(suites)]
    assert CliRunner().invoke(main, args).exit_code == 0
    result = CliRunner().invoke(main, [*args, "--strict"])
    assert result.exit_code == EXIT_EXPECTATIONS_FAILED, result.output


def test_usage_error_exit_code(tmp_path):
    result = CliRunner().invoke(main, ["run", str(tmp_path), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "no input files" in result.output


def test_eval_prints_scores():
    result = CliRunner().invoke(main, ["eval", str(GOLD), str(SAMPLE), "--no-errors"])
    assert result.exit_code == 0
    assert re.search(r"^all\s+71\s+\d+\s+[\d.]+\s+[\d.]+\s+[\d.]+$", result.output, re.M)
    assert "metric" in result.output and "subject" in result.output


def test_installed_command_runs(tmp_path):
    exe = Path(sys.executable).parent / "figure-etl"
    done = subprocess.run([str(exe), "run", str(SAMPLE), "-o", str(tmp_path), "--no-validate", "-q"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
