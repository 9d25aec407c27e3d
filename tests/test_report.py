"""The review stage: checks table, report.html, the `report` command, and the page as
headless Chromium renders it."""
from __future__ import annotations

import re
import shutil
import subprocess

import pyarrow as pa
import pytest
from click.testing import CliRunner

from conftest import SAMPLE
from etl.cli import main
from etl.report import REPORT_NAME, build_review, render_report, review_context
from etl.write import load_schema, read_table, write_table

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
MARK = re.compile(r'<mark id="f-([^"]+)"[^>]*class="figure k-(\w+)')


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory):
    """A validated run on the sample, then the review built on its tables."""
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, ["run", str(SAMPLE), "--output", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    summary = build_review(out)
    return out, summary


@pytest.fixture(scope="module")
def figures(sample_out):
    return read_table("figures", sample_out[0]).to_pandas()


def test_checks_table_is_written_with_its_schema(sample_out):
    out, summary = sample_out
    checks = read_table("checks", out)
    assert checks.schema.equals(load_schema("checks"), check_metadata=False)
    assert checks.schema.field("figure_ids").type == pa.list_(pa.string())
    assert checks.num_rows == summary.total > 0
    assert set(checks.column("status").to_pylist()) <= {"pass", "warn", "fail"}
    assert str(summary).startswith(f"checks:    {summary.total} (")


def test_report_is_one_offline_utf8_page(sample_out):
    html = (sample_out[0] / REPORT_NAME).read_text("utf-8")
    assert '<meta charset="utf-8">' in html and "Noto Sans CJK SC" in html
    # no remote asset: no src/href/url() leaving the file
    assert not re.search(r'(?:src|href)\s*=\s*"(?:https?:)?//|url\(\s*["\']?(?:https?:)?//|@import', html)
    assert '<script src' not in html and '<link' not in html
    assert 'href="validation/index.html"' in html  # the expectations' Data Docs


def test_every_figure_is_marked_once_in_its_article(sample_out, figures):
    html = (sample_out[0] / REPORT_NAME).read_text("utf-8")
    marks = MARK.findall(html)
    assert sorted(fid for fid, _ in marks) == sorted(figures["figure_id"])
    kinds = dict(zip(figures["figure_id"], figures["kind"]))
    assert all(kinds[fid] == kind for fid, kind in marks)
    assert html.count('<tr id="r-') == len(figures)  # and one row each in the figures table


def test_report_links_figures_and_checks(sample_out):
    out, _ = sample_out
    html = (out / REPORT_NAME).read_text("utf-8")
    for check_id in read_table("checks", out).column("check_id").to_pylist():
        assert f'id="c-{check_id}"' in html and f'href="#c-{check_id}"' in html
    assert "完成比例 63.06%" in html


def test_failed_checks_and_expectations_are_marked_in_the_text(sample_out, figures):
    out, _ = sample_out
    tables = {name: read_table(name, out).to_pandas() for name in ("documents", "articles")}
    target = figures.iloc[0]["figure_id"]
    checks = [{"check_id": "x:a0:parts_and_total:0", "check": "parts_and_total", "status": "fail",
               "doc_id": figures.iloc[0]["doc_id"], "article_id": figures.iloc[0]["article_id"],
               "figure_ids": [target], "expected": 1.0, "observed": 2.0, "tolerance": 0.5, "unit": "CNY",
               "message": "made up"}]
    validation = {"success": False, "evaluated": 1, "passed": 0, "failed": 1, "suites": [
        {"name": "figures", "expectations": [{"check": "value_positive", "success": False,
                                              "description": "value > 0", "unexpected_count": 1,
                                              "element_count": len(figures),
                                              "unexpected_examples": [{"figure_id": target}]}]}]}
    html = render_report(review_context(tables["documents"], tables["articles"], figures, checks, validation))
    mark = re.search(rf'<mark id="f-{re.escape(target)}"[^>]*class="([^"]+)"', html)
    assert mark and {"st-fail", "exp-fail"} <= set(mark.group(1).split())
    assert "figures.value_positive" in html


def test_figures_in_several_parts_are_all_reviewed(sample_out, tmp_path, figures):
    out = sample_out[0]
    for name in ("articles", "documents"):
        shutil.copytree(out / name, tmp_path / name)
    half = len(figures) // 2
    write_table("figures", figures.iloc[:half], tmp_path, part="part-0")
    write_table("figures", figures.iloc[half:], tmp_path, part="part-1")
    summary = build_review(tmp_path)
    assert summary.total == read_table("checks", out).num_rows
    assert len(MARK.findall((tmp_path / REPORT_NAME).read_text("utf-8"))) == len(figures)


def test_report_command_rebuilds_from_tables(sample_out, tmp_path):
    out = sample_out[0]
    for name in ("figures", "articles", "documents", "validation"):
        shutil.copytree(out / name, tmp_path / name)
    result = CliRunner().invoke(main, ["report", str(tmp_path), "--no-report"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "checks" / "part-0.parquet").is_file() and not (tmp_path / REPORT_NAME).exists()
    result = CliRunner().invoke(main, ["report", str(tmp_path)])
    assert result.exit_code == 0 and "report:" in result.output
    assert (tmp_path / REPORT_NAME).read_text("utf-8") == (out / REPORT_NAME).read_text("utf-8")


def test_report_command_without_tables_explains(tmp_path):
    result = CliRunner().invoke(main, ["report", str(tmp_path)])
    assert result.exit_code == 1 and "no figures table" in result.output


def test_no_figures_gives_an_empty_checks_table(tmp_path):
    for name in ("figures", "articles"):
        write_table(name, [], tmp_path)
    summary = build_review(tmp_path)
    assert summary.total == 0 and read_table("checks", tmp_path).num_rows == 0


def _browser() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


@pytest.mark.skipif(_browser() is None, reason="no chromium binary on PATH (make test installs Debian's "
                                               "chromium with apt-get where it can)")
def test_report_renders_in_headless_chromium(sample_out, figures, tmp_path):
    page = (sample_out[0] / REPORT_NAME).resolve()
    command = [_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=3000", "--dump-dom",
               page.as_uri()]
    dom = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout
    marks = MARK.findall(dom)
    assert len(marks) == len(figures) and {fid for fid, _ in marks} == set(figures["figure_id"])
    # The script ran to its end: it fills the row counters of both tables on load.
    assert f'id="figures-count">{len(figures)} of {len(figures)} shown<' in dom
    assert re.search(r'id="checks-count">\d+ of \d+ shown<', dom)


def test_big_runs_show_a_bounded_page_failures_first():
    from etl.report import _cap_articles

    articles = [{"article_id": f"a{i}", "status": "fail" if i in (7, 9) else ""} for i in range(10)]
    kept, hidden = _cap_articles(articles, 4)
    assert hidden == 6
    assert [a["article_id"] for a in kept] == ["a0", "a1", "a7", "a9"]
    assert _cap_articles(articles, 10) == (articles, 0)
