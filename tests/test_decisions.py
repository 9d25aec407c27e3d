"""Review decisions that last (issue 14): the decisions file, how a run applies it to the
figures table (new rows, committed rows of unchanged documents, rows of changed ones), and
the `figure-etl review mark` command."""
from __future__ import annotations

import shutil

import pyarrow as pa
import pytest
from click.testing import CliRunner

from conftest import SAMPLE
from etl.cli import main
from etl.job.decisions import (DECISIONS_FILE, Decision, apply_decisions, parse_decisions, read_decisions,
                               state_of, with_decision)
from etl.job.job import applied_decisions
from etl.review.report import REPORT_NAME
from etl.tables.write import read_table, to_arrow
from test_write import DOC, figure_row

HEADER = "figure_id,doc_id,decision,field,value,note\n"


def decisions(*lines: str):
    return parse_decisions((HEADER + "".join(line + "\n" for line in lines)).encode("utf-8"))


# --- the file --------------------------------------------------------------------------------

@pytest.mark.parametrize("line, problem", [
    ("f:1-2,d,maybe,,,", "decision 'maybe' is not one of wrong, right, correct"),
    ("f:1-2,d,correct,colour,red,", "names a field of"),
    ("f:1-2,d,correct,metric,,", "gives the right value"),
    (",d,wrong,,,", "figure_id and doc_id are required"),
])
def test_lines_that_cannot_be_applied_are_reported(line, problem):
    read = decisions("f:0-1,d,wrong,,,not a figure", line)
    assert [d.figure_id for d in read.rows] == ["f:0-1"]
    ((number, why),) = read.problems
    assert number == 3 and problem in why


def test_the_last_decision_of_a_figure_wins_and_text_is_kept_as_written():
    read = decisions("f:0-1,d,wrong,,,", 'f:0-1,d,correct,metric,"总投资, 一期",改了')
    assert read.latest["f:0-1"] == Decision("f:0-1", "d", "correct", "metric", "总投资, 一期", "改了")
    assert read.latest["f:0-1"].review() == ("corrected", "metric", "总投资, 一期", "改了")


def test_a_file_that_is_no_decisions_file_is_a_problem_not_a_crash():
    assert parse_decisions(b"\xff\xfe\x00").problems[0][1].startswith("not UTF-8")
    assert "lacks doc_id, decision" in parse_decisions(b"figure_id\nf:0-1\n").problems[0][1]
    assert parse_decisions(b"").rows == () and parse_decisions(b"").fingerprint


def test_appending_keeps_earlier_lines_and_writes_the_header_once():
    first = with_decision(None, Decision("f:0-1", "d", "wrong", note="a, b"))
    both = with_decision(first.rstrip(b"\n"), Decision("f:2-3", "d", "right"))
    assert both.decode().splitlines() == [HEADER.strip(), 'f:0-1,d,wrong,,,"a, b"', "f:2-3,d,right,,,"]
    assert [d.figure_id for d in parse_decisions(both).rows] == ["f:0-1", "f:2-3"]


# --- applying it to rows ---------------------------------------------------------------------

def figures_table(n: int = 3) -> pa.Table:
    return to_arrow("figures", [figure_row(i) for i in range(n)])


def test_a_decision_applies_to_its_figure_in_its_document_only():
    data = figures_table()
    ids = data.column("figure_id").to_pylist()
    read = decisions(f"{ids[0]},{DOC},wrong,,,misread", f"{ids[1]},{'0' * 64},right,,,")  # other content
    reviewed, changed = apply_decisions(data, read)
    assert changed == 1
    assert reviewed.column("review_status").to_pylist() == ["rejected", "unreviewed", "unreviewed"]
    assert reviewed.column("review_note").to_pylist() == ["misread", None, None]
    untouched = [c for c in data.column_names if not c.startswith("review_")]
    assert reviewed.select(untouched).equals(data.select(untouched))  # the extractor's values stay
    states = [state_of(d, {"doc_id": DOC, "review_status": s})
              for d, s in zip(read.latest.values(), reviewed.column("review_status").to_pylist())]
    assert states == ["applied", "stale"]  # the second names other content
    assert state_of(read.latest[ids[0]], {"doc_id": DOC, "review_status": "unreviewed"}) == "pending"
    assert state_of(read.latest[ids[0]], None) == "stale"


def test_a_withdrawn_decision_turns_its_figure_unreviewed_and_nothing_changes_twice():
    data = figures_table()
    fid = data.column("figure_id")[2].as_py()
    corrected, changed = apply_decisions(data, decisions(f"{fid},{DOC},correct,metric,年度投资,"))
    assert changed == 1 and corrected.column("review_field").to_pylist() == [None, None, "metric"]
    assert apply_decisions(corrected, decisions(f"{fid},{DOC},correct,metric,年度投资,")) [1] == 0
    back, changed = apply_decisions(corrected, decisions())
    assert changed == 1 and set(back.column("review_status").to_pylist()) == {"unreviewed"}
    same, changed = apply_decisions(back, decisions())
    assert changed == 0 and same is back  # the common case costs no copy


# --- runs ------------------------------------------------------------------------------------

def run(src, out, *extra):
    result = CliRunner().invoke(main, ["run", str(src), "-o", str(out), "-q", "--workers", "1", *extra])
    assert result.exit_code == 0, result.output
    return result


def mark(out, *args):
    return CliRunner().invoke(main, ["review", "mark", *args, "-o", str(out)])


def figures(out) -> dict[str, dict]:
    return {row["figure_id"]: row for row in read_table("figures", out).to_pylist()}


@pytest.fixture
def reviewed(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(SAMPLE, src)
    run(src, out, "--no-validate")
    return src, out


def test_a_decision_reaches_an_unchanged_document_at_the_next_run(reviewed):
    src, out = reviewed
    before = figures(out)
    target, other = sorted(before)[:2]
    result = mark(out, target, "wrong", "--note", "a phase name, not a count")
    assert result.exit_code == 0, result.output
    assert read_decisions(out).latest[target].doc_id == before[target]["doc_id"]
    assert figures(out)[target]["review_status"] == "unreviewed"  # applied by a run, not by the command
    run(src, out, "--no-validate")
    after = figures(out)
    assert after[target]["review_status"] == "rejected" and after[target]["review_note"] == "a phase name, not a count"
    assert after[other]["review_status"] == "unreviewed"
    kept = [c for c in before[target] if not c.startswith("review_")]
    assert [after[target][c] for c in kept] == [before[target][c] for c in kept]  # never silently altered
    assert applied_decisions(out) == read_decisions(out).fingerprint
    html = (out / REPORT_NAME).read_text("utf-8")
    assert 'data-state="applied"' in html and "a phase name, not a count" in html


def test_an_unchanged_decisions_file_rewrites_nothing(reviewed):
    src, out = reviewed
    target = sorted(figures(out))[0]
    mark(out, target, "right")
    run(src, out, "--no-validate")
    parts = {p: p.stat().st_mtime_ns for p in (out / "figures").glob("*.parquet")}
    run(src, out, "--no-validate")
    assert {p: p.stat().st_mtime_ns for p in (out / "figures").glob("*.parquet")} == parts


def test_a_correction_is_kept_apart_from_the_extracted_value(reviewed):
    src, out = reviewed
    target = sorted(figures(out))[3]
    assert mark(out, target, "correct", "--field", "metric").exit_code != 0  # no value: refused
    result = mark(out, target, "correct", "--field", "metric", "--value", "年度计划投资")
    assert result.exit_code == 0, result.output
    run(src, out, "--no-validate")
    row = figures(out)[target]
    assert (row["review_status"], row["review_field"], row["review_value"]) == ("corrected", "metric", "年度计划投资")
    assert row["metric"] != "年度计划投资"


def test_a_decision_on_a_changed_document_is_stale_not_applied(reviewed):
    src, out = reviewed
    rows = figures(out)
    target = next(fid for fid, row in rows.items() if row["source"] == "003_2a4db6d38c1a978c.txt")
    mark(out, target, "wrong")
    run(src, out, "--no-validate")
    changed = src / "003_2a4db6d38c1a978c.txt"
    changed.write_text(changed.read_text("utf-8") + "\n本报讯 新区新增签约项目12个，总投资30亿元。\n", "utf-8")
    run(src, out, "--no-validate")
    after = figures(out)
    assert target not in after  # its document's figures are new rows with new ids
    assert {r["review_status"] for r in after.values()} == {"unreviewed"}
    html = (out / REPORT_NAME).read_text("utf-8")
    assert 'data-state="stale"' in html and 'data-state="applied"' not in html


def test_decisions_survive_a_full_refresh(reviewed):
    src, out = reviewed
    target = sorted(figures(out))[1]
    mark(out, target, "wrong")
    run(src, out, "--no-validate", "--full-refresh")
    assert figures(out)[target]["review_status"] == "rejected"


def test_mark_refuses_an_unknown_figure(reviewed):
    _, out = reviewed
    result = mark(out, "000000000000:1-2", "wrong")
    assert result.exit_code == 2 and "no figure 000000000000:1-2" in result.output
    assert not (out / DECISIONS_FILE).exists()


def test_a_new_decision_and_a_changed_document_in_one_run(reviewed):
    """The part that holds the decided figure is rewritten anyway (the changed document's rows
    leave it): the decision goes into that rewrite, not into a second one."""
    src, out = reviewed
    rows = figures(out)
    target = next(fid for fid, row in rows.items() if row["source"] == "001_36e1b84709ff49dc.txt")
    mark(out, target, "wrong")
    changed = src / "003_2a4db6d38c1a978c.txt"
    changed.write_text(changed.read_text("utf-8") + "\n本报讯 新区新增签约项目12个，总投资30亿元。\n", "utf-8")
    run(src, out, "--no-validate")
    after = figures(out)
    assert after[target]["review_status"] == "rejected"
    assert sum(r["review_status"] == "rejected" for r in after.values()) == 1
    assert applied_decisions(out) == read_decisions(out).fingerprint


def test_a_report_rebuilt_before_the_next_run_shows_the_decision_pending(reviewed):
    _, out = reviewed
    target = sorted(figures(out))[0]
    mark(out, target, "right", "--note", "checked against the source")
    result = CliRunner().invoke(main, ["report", str(out)])
    assert result.exit_code == 0, result.output
    html = (out / REPORT_NAME).read_text("utf-8")
    assert 'data-state="pending"' in html and "checked against the source" in html
    assert figures(out)[target]["review_status"] == "unreviewed"  # the report writes no figures
