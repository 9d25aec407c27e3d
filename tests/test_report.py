"""The review stage: checks table, report.html, the `report` command, and the page as
headless Chromium renders it."""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from conftest import SAMPLE
from etl.review import report
from etl.quality.checks import check_tables
from etl.cli import main
from etl.review.report import (PICK_COLUMNS, REPORT_NAME, ArticlePicker, build_review, read_shown, render_report,
                        review_context, scan_tables)
from etl.tables.write import load_schema, read_table, write_table

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
MARK = re.compile(r'<mark id="f-([^"]+)"[^>]*class="figure k-(\w+)')
ARTICLE = re.compile(r'<article class="[^"]*" id="a-([^"]+)"')


def parts(out, table="articles"):
    return sorted((out / table).glob("*.parquet"))


def checks_rows(out) -> list[dict]:
    return sorted(read_table("checks", out).to_pylist(), key=lambda c: c["check_id"])


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
    tally, picker = scan_tables(out, parts(out))
    articles, shown_figures, _ = read_shown(out, parts(out), picker.shown)
    target = figures.iloc[0]["figure_id"]
    checks = [{"check_id": "x:a0:parts_and_total:0", "rule": "parts_and_total", "status": "fail",
               "doc_id": figures.iloc[0]["doc_id"], "article_id": figures.iloc[0]["article_id"],
               "figure_ids": [target], "expected": 1.0, "observed": 2.0, "tolerance": 0.5, "unit": "CNY",
               "message": "made up"}]
    validation = {"success": False, "evaluated": 1, "passed": 0, "failed": 1, "suites": [
        {"name": "figures", "expectations": [{"check": "value_positive", "success": False,
                                              "description": "value > 0", "unexpected_count": 1,
                                              "element_count": len(figures),
                                              "unexpected_examples": [{"figure_id": target}]}]}]}
    html = render_report(review_context(tally, picker, articles, shown_figures, checks, validation))
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
    assert [p.name for p in parts(tmp_path, "checks")] == [p.name for p in parts(tmp_path)]  # one per part
    assert checks_rows(tmp_path) == checks_rows(out) and not (tmp_path / REPORT_NAME).exists()
    result = CliRunner().invoke(main, ["report", str(tmp_path)])
    assert result.exit_code == 0 and "report:" in result.output
    assert (tmp_path / REPORT_NAME).read_text("utf-8") == (out / REPORT_NAME).read_text("utf-8")


def test_report_command_without_tables_explains(tmp_path):
    result = CliRunner().invoke(main, ["report", str(tmp_path)])  # issue 16: a usage error, no .lock left
    assert result.exit_code == 2 and "not an output folder" in result.output and not list(tmp_path.iterdir())
    (tmp_path / "documents").mkdir()  # a run whose every input failed: no figures yet
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


def pick(limit: int, statuses: list[str], n_figures: int = 1) -> ArticlePicker:
    picker = ArticlePicker(limit)
    for i, status in enumerate(statuses):
        picker.offer((0, i), f"a{i}", "s", None, n_figures, status)
    return picker


def test_big_runs_show_a_bounded_page_failures_first():
    picker = pick(4, ["fail" if i in (7, 9) else "" for i in range(10)])
    assert picker.hidden == 6
    assert [a for _, a in picker.shown] == ["a0", "a1", "a7", "a9"]  # failures first, shown in table order
    assert [a for _, a in pick(3, ["pass", "", "warn", "fail", "warn"]).shown] == ["a2", "a3", "a4"]
    everything = pick(10, ["pass", "", "warn", "fail"])
    assert [a for _, a in everything.shown] == ["a0", "a1", "a2", "a3"] and everything.hidden == 0
    quiet = pick(2, ["", "", ""], n_figures=0)  # no figures, no checks: listed apart, the first `limit`
    assert quiet.shown == [] and [a["article_id"] for a in quiet.quiet] == ["a0", "a1"] and quiet.quiet_hidden == 1


def test_the_page_reads_the_text_of_the_shown_articles_only(tmp_path, monkeypatch):
    """Three articles shown of the sample's 24, one chosen for a failed check in the last part
    with checks: whole rows are read for those three only, every other read is narrow."""
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(SAMPLE), "-o", str(out), "-q", "--batch-size", "1",
                                       "--no-validate"])
    assert result.exit_code == 0, result.output
    assert len(parts(out)) == 5 and [p.name for p in parts(out, "checks")] == [p.name for p in parts(out)]
    assert any(pq.read_metadata(p).num_rows == 0 for p in parts(out, "checks"))  # articles without checks
    last = [p for p in parts(out, "checks") if pq.read_metadata(p).num_rows][-1]
    rows = pq.read_table(last).to_pylist()
    failed = rows[0]["article_id"]
    write_table("checks", [{**r, "status": "fail"} if r["article_id"] == failed else r for r in rows],
                out, part=last.stem)

    reads = []
    real = report.read_part

    def recording(table, path, columns=None, rows=None):
        data = real(table, path, columns, rows)
        reads.append((table, Path(path).name, columns, data))
        return data

    monkeypatch.setattr(report, "read_part", recording)
    monkeypatch.setattr(report, "MAX_ARTICLES", 3)
    build_review(out)
    shown = ARTICLE.findall((out / REPORT_NAME).read_text("utf-8"))
    assert len(shown) == 3 and failed in shown
    assert "This page shows 3 of" in (out / REPORT_NAME).read_text("utf-8")
    with_text = [data for table, _, columns, data in reads if table == "articles" and (columns is None or "text" in columns)]
    assert sorted(a for data in with_text for a in data.column("article_id").to_pylist()) == sorted(shown)
    narrow = {table: columns for table, _, columns, data in reads if columns is not None}
    assert narrow["articles"] == PICK_COLUMNS and "text" not in narrow["articles"]
    shown_parts = {name for table, name, columns, data in reads if table == "articles" and columns is None}
    assert shown_parts == {p.name for p in parts(out) if set(read_table_ids(p)) & set(shown)}
    assert {name for table, name, columns, _ in reads if table in ("figures", "checks") and columns is None} <= shown_parts


def read_table_ids(part) -> list[str]:
    return pq.read_table(part, columns=["article_id"]).column(0).to_pylist()


def legacy(out) -> None:
    """Turn a run's output into what the previous version left: one checks/part-0.parquet
    with the checks of the whole dataset (check_tables over whole tables, as it wrote them)."""
    articles, figures = (read_table(t, out).to_pandas() for t in ("articles", "figures"))
    for part in parts(out, "checks"):
        part.unlink()
    write_table("checks", check_tables(articles, figures), out, part="part-0")


def test_output_of_the_previous_version_keeps_working(tmp_path):
    src, old, clean = tmp_path / "in", tmp_path / "old", tmp_path / "clean"
    shutil.copytree(SAMPLE, src)

    def run(out, *extra):
        result = CliRunner().invoke(main, ["run", str(src), "-o", str(out), "-q", "--no-validate",
                                           "--batch-size", "2", *extra])
        assert result.exit_code == 0, result.output

    run(old)
    expected = checks_rows(old)
    legacy(old)
    assert [p.name for p in parts(old, "checks")] == ["part-0.parquet"] and checks_rows(old) == expected
    upgraded = tmp_path / "upgraded"
    shutil.copytree(old, upgraded)

    run(old)  # nothing changed: nothing rewritten, the old checks part still serves
    assert [p.name for p in parts(old, "checks")] == ["part-0.parquet"]

    # `figure-etl report` turns it into one checks part per articles part, same rows
    result = CliRunner().invoke(main, ["report", str(upgraded)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in parts(upgraded, "checks")] == [p.name for p in parts(upgraded)]
    assert checks_rows(upgraded) == expected

    # a run that changes an input retires its checks from the old part, adds the new ones
    # and completes the layout
    changed = src / "003_2a4db6d38c1a978c.txt"
    changed.write_text(changed.read_text("utf-8") + "\n本报讯 新增项目12个，总投资30亿元。\n", "utf-8")
    run(old)
    run(clean)
    assert [p.name for p in parts(old, "checks")] == [p.name for p in parts(old)]
    assert checks_rows(old) == checks_rows(clean)
    assert ARTICLE.findall((old / REPORT_NAME).read_text("utf-8"))


def test_report_shows_the_context_of_each_figure(sample_out, figures):
    out, _ = sample_out
    html = (out / REPORT_NAME).read_text("utf-8")
    growth = figures[figures["surface"] == "12.6%"].iloc[0]
    row = re.search(rf'<tr id="r-{re.escape(growth["figure_id"])}"[^>]*>(.*?)</tr>', html).group(1)
    assert 'data-relation="increase"' in html and 'data-modality="target"' in html
    assert "<td>完成固定资产投资</td><td>increase</td><td>… – 2022-06-30 (截至6月底)</td><td>actual</td>" in row
    part = figures[figures["surface"] == "8.5亿元"].iloc[0]
    assert f'<a href="#r-{part["part_of"]}">{part["part_of"]}</a>' in html


@pytest.mark.parametrize("row, shown", [
    ({"period_start": None, "period_end": None, "period_text": ""}, ""),
    ({"period_start": None, "period_end": None, "period_text": "近年来"}, "近年来"),
    ({"period_start": date(2022, 1, 1), "period_end": date(2022, 12, 31), "period_text": "2022年"},
     "2022-01-01 – 2022-12-31 (2022年)"),
    ({"period_start": None, "period_end": date(2025, 12, 31), "period_text": "到2025年"}, "… – 2025-12-31 (到2025年)"),
])
def test_period_as_shown(row, shown):
    from etl.review.report import period_text

    assert period_text(row) == shown


def test_checks_parts_with_the_old_check_column_are_recomputed_by_the_next_run(tmp_path):
    """Before the rename, the checks table's rule column was called `check`: a run that
    writes data recomputes such parts (same rows, new column) instead of failing on them."""
    src, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(SAMPLE, src)

    def run():
        result = CliRunner().invoke(main, ["run", str(src), "-o", str(out), "-q", "--no-validate"])
        assert result.exit_code == 0, result.output

    run()
    expected = checks_rows(out)
    for part in parts(out, "checks"):
        data = pq.read_table(part)
        pq.write_table(data.rename_columns(["check" if c == "rule" else c for c in data.column_names]), part)
    assert "check" in pq.read_schema(parts(out, "checks")[0]).names
    (src / "new.txt").write_text("本报讯 新区签约项目12个，总投资56亿元。\n", "utf-8")
    run()
    assert all("rule" in pq.read_schema(p).names for p in parts(out, "checks"))
    assert [c for c in checks_rows(out) if c["check_id"] in {e["check_id"] for e in expected}] == expected


# --- review first, and reviewer decisions (issue 14) -----------------------------------------

REVIEW_ROW = re.compile(r'<tr id="q-([^"]+)" data-confidence="([^"]+)">')


@pytest.fixture(scope="module")
def decided_out(tmp_path_factory):
    """A run on the sample, a reviewer's decision on its least sure figure and a correction of
    another, then a second run that applies them."""
    out = tmp_path_factory.mktemp("decided")
    for _ in range(2):
        result = CliRunner().invoke(main, ["run", str(SAMPLE), "--output", str(out), "--quiet", "--workers", "1"])
        assert result.exit_code == 0, result.output
        if (out / "review").exists():
            break
        figures = read_table("figures", out).to_pandas().sort_values(["confidence", "figure_id"])
        rejected, corrected = figures["figure_id"].iloc[0], figures["figure_id"].iloc[-1]
        for args in ([rejected, "wrong", "--note", "not a figure of the project"],
                     [corrected, "correct", "--field", "metric", "--value", "年度计划投资"]):
            assert CliRunner().invoke(main, ["review", "mark", *args, "-o", str(out)]).exit_code == 0
    return out, rejected, corrected


def test_review_first_holds_a_fifth_of_the_figures_within_bounds(tmp_path):
    folder = tmp_path / "figures"
    folder.mkdir()
    low, high = report.REVIEW_FIRST
    for rows, size in ((10, low), (low * 5 + 3, low + 1), (high * 6, high)):
        pq.write_table(pa.table({"kind": ["count"] * rows}), folder / "part-0.parquet")
        assert report.review_first_size(tmp_path) == size


def test_review_first_lists_the_least_sure_unreviewed_figures(decided_out):
    out, rejected, corrected = decided_out
    html = (out / REPORT_NAME).read_text("utf-8")
    listed = REVIEW_ROW.findall(html)
    figures = read_table("figures", out).to_pandas()
    unreviewed = figures[figures["review_status"] == "unreviewed"].sort_values("confidence", kind="stable")
    assert len(listed) == min(report.review_first_size(out), len(unreviewed)) == len(unreviewed)  # 70 < 100
    confidences = [float(c) for _, c in listed]
    assert confidences == sorted(confidences) and confidences[0] == unreviewed["confidence"].iloc[0]
    assert rejected not in {fid for fid, _ in listed} and corrected not in {fid for fid, _ in listed}
    first = figures.set_index("figure_id").loc[listed[0][0]]
    row = re.search(rf'<tr id="q-{re.escape(listed[0][0])}".*?</tr>', html, re.S).group(0)
    assert first["sentence"].replace(first["surface"], "") in re.sub(r"<[^>]+>", "", row).replace(first["surface"], "")
    assert all(reason in row for reason in first["confidence_reasons"])


@pytest.mark.skipif(_browser() is None, reason="no chromium binary on PATH (make test installs Debian's "
                                               "chromium with apt-get where it can)")
def test_review_first_and_decisions_render_in_headless_chromium(decided_out, tmp_path):
    out, rejected, corrected = decided_out
    command = [_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=3000", "--dump-dom",
               (out / REPORT_NAME).resolve().as_uri()]
    dom = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout
    listed = REVIEW_ROW.findall(dom)
    assert listed and [float(c) for _, c in listed] == sorted(float(c) for _, c in listed)
    marks = dict(MARK.findall(dom))
    assert all(f'href="#f-{fid}"' in dom for fid, _ in listed if fid in marks)  # each links its figure
    assert re.search(rf'<mark id="f-{re.escape(rejected)}"[^>]*class="[^"]*rv-rejected', dom)
    decisions = re.search(r'<table id="decisions-table">.*?</table>', dom, re.S).group(0)
    assert decisions.count('data-state="applied"') == 2 and "not a figure of the project" in decisions
    assert "metric = 年度计划投资" in decisions
    row = re.search(rf'<tr id="r-{re.escape(corrected)}".*?</tr>', dom, re.S).group(0)
    assert "corrected: metric = 年度计划投资" in row
