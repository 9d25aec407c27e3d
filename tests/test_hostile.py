"""Issue 16: what a hostile user, or a hostile file system, does to a scheduled run.

Names that are not UTF-8, damaged state, a pathological input, a --strict that must not be
dodged, and options and files that must give one clear line and exit 2. Each test fails on
the code before its fix.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import SAMPLE
from etl.cli import main
from etl.read.ingest import path_text, raw_path, read_input

EXE = Path(sys.executable).parent / "figure-etl"


def cli(*args) -> object:
    return CliRunner().invoke(main, ["run", *map(str, args)])


def news(i: int) -> str:
    return f"本报讯 {i + 1}日，第{i}号项目签约，总投资{i + 3}亿元，占地{i + 40}亩。\n"


# ---------------------------------------------------------------- names that are not UTF-8

def test_a_name_that_is_not_utf8_gets_a_documents_row_and_the_others_are_processed(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(news(1), "utf-8")
    bad = os.path.join(os.fsencode(folder), b"zz_\xff\xfe.txt")
    with open(bad, "wb") as fh:
        fh.write(news(2).encode("utf-8"))
    out = tmp_path / "out"
    result = cli(folder, "-o", out)
    assert result.exit_code == 0, result.output
    docs = pd.read_parquet(out / "documents").set_index("source")
    assert set(docs.index) == {"a.txt", "zz_\\xff\\xfe.txt"}
    row = docs.loc["zz_\\xff\\xfe.txt"]
    assert row["status"] == "ok" and row["n_figures"] == 2
    assert bytes.fromhex(row["path_bytes"]) == bad  # the raw name, reversibly
    assert pd.isna(docs.loc["a.txt", "path_bytes"])
    assert set(pd.read_parquet(out / "figures")["source"]) == set(docs.index)
    # the next run finds it unchanged (its key is the escaped path), and reads nothing again
    again = cli(folder, "-o", out)
    assert again.exit_code == 0 and "2 unchanged" in again.output
    assert len(pd.read_parquet(out / "documents")) == 2


def test_path_text_escapes_undecodable_bytes_and_raw_path_gives_them_back():
    name = os.fsdecode(b"in/\xe6\x8a\xa5\xe5\x91\x8a_\xff.txt")  # 报告_ then a stray byte
    shown, hexed = path_text(name)
    assert shown == "in/报告_\\xff.txt" and raw_path(shown, hexed) == name
    assert path_text("in/报告.txt") == ("in/报告.txt", None)


def test_a_documents_part_of_the_earlier_schema_reads_with_path_bytes_null(tmp_path):
    import pyarrow.parquet as pq

    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / "a.txt").write_text(news(1), "utf-8")
    assert cli(folder, "-o", out, "--no-validate").exit_code == 0
    part = out / "documents" / "part-0.parquet"
    pq.write_table(pq.read_table(part).drop_columns(["path_bytes"]), part)  # as a 0.x run left it
    (folder / "b.txt").write_text(news(2), "utf-8")
    result = cli(folder, "-o", out)
    assert result.exit_code == 0, result.output
    docs = pd.read_parquet(out / "documents")
    assert sorted(docs["source"]) == ["a.txt", "b.txt"] and docs["path_bytes"].isna().all()


# ---------------------------------------------------------------- small ones

def test_read_input_does_not_block_when_a_fifo_replaces_the_file_after_its_stat(tmp_path, monkeypatch):
    import threading

    regular, fifo = tmp_path / "a.txt", tmp_path / "b.txt"
    regular.write_text(news(1), "utf-8")
    os.mkfifo(fifo)
    real_stat = os.stat
    # the stat sees the regular file that was there; the open meets the FIFO now in its place
    monkeypatch.setattr(os, "stat", lambda p, *a, **k: real_stat(regular if str(p) == str(fifo) else p, *a, **k))
    got = []
    reader = threading.Thread(target=lambda: got.append(read_input(fifo)), daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive():  # blocked: a writer lets it go, so the test fails rather than hangs
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(10)
        pytest.fail("read_input blocked on a FIFO")
    assert not got[0].ok and "not a regular file" in got[0].error


def one_clear_line(result) -> str:
    """The error a usage failure printed: exit 2, no traceback, its `Error:` line."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output and isinstance(result.exception, (SystemExit, type(None)))
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    return errors[0]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_max_input_mb_must_be_a_finite_number(tmp_path, value):
    line = one_clear_line(cli(SAMPLE, "-o", tmp_path / "out", "--max-input-mb", value))
    assert "--max-input-mb" in line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("setting, words", [
    ("quiet = 1", "quiet must be true or false"),
    ("inputs = 42", "inputs must be a list of strings"),
    ("workers = 1.5", "workers must be a whole number"),
    ("batch_size = true", "batch_size must be a whole number"),
    ("max_input_mb = inf", "max_input_mb must be a finite number"),
    ("output = 3", "output must be a string"),
])
def test_config_values_of_the_wrong_type_are_usage_errors(tmp_path, setting, words):
    config = tmp_path / "job.toml"
    config.write_text(setting + "\n", "utf-8")
    result = cli("--config", config, SAMPLE, "-o", tmp_path / "out")
    assert result.exit_code == 2 and words in result.output, result.output
    assert "Traceback" not in result.output


def test_a_config_file_that_is_not_utf8_is_a_usage_error(tmp_path):
    config = tmp_path / "job.toml"
    config.write_bytes("quiet = true # 安静\n".encode("gb18030"))
    result = cli("--config", config, SAMPLE, "-o", tmp_path / "out")
    assert result.exit_code == 2 and "not UTF-8" in result.output, result.output


def test_an_empty_output_is_refused_not_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    line = one_clear_line(cli(SAMPLE, "--output", ""))
    assert "--output" in line and os.listdir(tmp_path) == []


def test_an_output_that_cannot_be_written_is_a_usage_error(tmp_path):
    # /sys refuses new folders and files even to root, as a read-only file system does
    for place in ("/sys/figure-etl-test", "/sys/kernel"):
        line = one_clear_line(cli(SAMPLE, "--output", place, "--no-validate"))
        assert "--output" in line and "cannot be written" in line


def test_eval_on_a_binary_file_or_a_fifo_fails_in_one_line_without_hanging(tmp_path):
    from conftest import GOLD

    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for target in (binary, fifo):
        done = subprocess.run([str(EXE), "eval", str(GOLD), str(target)], capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        assert done.stderr.strip().startswith("Error: cannot read") and target.name in done.stderr


def test_report_on_a_folder_that_is_not_an_output_folder_leaves_no_lock(tmp_path):
    result = CliRunner().invoke(main, ["report", str(tmp_path)])
    assert "not an output folder" in one_clear_line(result)
    assert os.listdir(tmp_path) == []


# ---------------------------------------------------------------- --strict cannot be dodged

BAD = "本报讯 该项目总投资99999999亿元，占地50亩。\n"  # over the suites' bound for an investment


def strict_run(folder: Path, out: Path) -> int:
    return cli(folder, "-o", out, "--strict").exit_code


def passed_then_bad(tmp_path: Path) -> tuple[Path, Path]:
    """An output whose validation passed, and an input folder that has a bad file since."""
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / "good.txt").write_text(news(1), "utf-8")
    assert strict_run(folder, out) == 0
    (folder / "bad.txt").write_text(BAD, "utf-8")
    return folder, out


def test_strict_is_not_dodged_by_a_kill_between_commit_and_validation(tmp_path):
    folder, out = passed_then_bad(tmp_path)
    # the run is killed once its rows are committed, before it validates them
    killed = subprocess.run([sys.executable, "-c",
                             "import os, sys, etl.job.outcome as o\n"
                             "o.validate = lambda *a, **k: os._exit(137)\n"
                             "from etl.cli import main\n"
                             f"main(['run', {str(folder)!r}, '-o', {str(out)!r}, '--strict'])"],
                            capture_output=True, text=True, timeout=300)
    assert killed.returncode == 137, killed.stderr
    assert "99999999亿元" in set(pd.read_parquet(out / "figures")["surface"])  # committed
    assert strict_run(folder, out) == 4  # not "nothing new to validate; last validation: passed"
    assert strict_run(folder, out) == 4


def test_strict_is_not_dodged_by_a_good_file_after_a_failed_run(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / "bad.txt").write_text(BAD, "utf-8")
    assert strict_run(folder, out) == 4
    (folder / "good.txt").write_text(news(1), "utf-8")
    assert strict_run(folder, out) == 4  # the bad row is still live
    assert strict_run(folder, out) == 4
    (folder / "bad.txt").write_text(news(2), "utf-8")  # the failing rows leave with their version
    assert strict_run(folder, out) == 0
    assert strict_run(folder, out) == 0


def test_a_run_without_validation_leaves_its_rows_unvalidated_for_the_next(tmp_path):
    folder, out = passed_then_bad(tmp_path)
    assert cli(folder, "-o", out, "--no-validate").exit_code == 0
    assert strict_run(folder, out) == 4


# ---------------------------------------------------------------- damaged state

def damaged(tmp_path: Path, damage) -> tuple[Path, Path, dict]:
    """A sample output, damaged by `damage(out)`, and a new input: (folder, out, files before)."""
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / "a.txt").write_text(news(1), "utf-8")
    assert cli(folder, "-o", out).exit_code == 0
    damage(out)
    (folder / "b.txt").write_text(news(2), "utf-8")
    return folder, out, snapshot(out)


def snapshot(out: Path) -> dict:
    return {p.relative_to(out): p.read_bytes() for p in out.rglob("*")
            if p.is_file() and p.parts[len(out.parts)] in ("figures", "articles", "checks", "documents")
            or p.name in ("report.html", "commit.json")}


def garbage_part(out: Path) -> None:
    (out / "figures" / "part-zz.parquet").write_bytes(b"not parquet at all" * 10)


def truncated_documents(out: Path) -> None:
    part = out / "documents" / "part-0.parquet"
    part.write_bytes(part.read_bytes()[:-200])


def truncated_journal(out: Path) -> None:
    (out / "_state" / "commit.json").write_text('{"ops": [{"move": "_state/sta', "utf-8")


@pytest.mark.parametrize("damage, named", [(garbage_part, "figures/part-zz.parquet"),
                                           (truncated_documents, "documents/part-0.parquet"),
                                           (truncated_journal, "_state/commit.json")])
def test_damaged_state_is_named_exits_7_and_writes_nothing(tmp_path, damage, named):
    from etl.job.exitcodes import EXIT_DAMAGED

    folder, out, before = damaged(tmp_path, damage)
    for _ in range(2):  # every run says the same until the damage is repaired
        result = cli(folder, "-o", out)
        assert result.exit_code == EXIT_DAMAGED == 7, result.output
        assert named in result.output and "--full-refresh" in result.output and "Traceback" not in result.output
        assert snapshot(out) == before  # tables (and the report of them) untouched
    record = pd.read_parquet(out / "runs").sort_values("run_id").iloc[-1]
    assert record["status"] == "damaged" and named in record["error"]
    if damage is not truncated_journal:  # `report` reads the tables, not the journal
        report = CliRunner().invoke(main, ["report", str(out)])
        assert report.exit_code == 7 and named in report.output and report.exception.__class__ is SystemExit
        assert snapshot(out) == before
    # the README's recovery: one --full-refresh run over the inputs rebuilds everything
    assert cli(folder, "-o", out, "--full-refresh").exit_code == 0
    assert sorted(pd.read_parquet(out / "documents")["source"]) == ["a.txt", "b.txt"]
    assert len(pd.read_parquet(out / "figures")) == 4
    assert cli(folder, "-o", out).exit_code == 0


def test_an_error_after_the_commit_leaves_no_stale_report(tmp_path, monkeypatch):
    import etl.review.report as report

    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / "a.txt").write_text(news(1), "utf-8")
    assert cli(folder, "-o", out).exit_code == 0 and (out / "report.html").exists()
    (folder / "b.txt").write_text(news(2), "utf-8")
    monkeypatch.setattr(report, "build_review", lambda *a, **k: 1 / 0)
    result = cli(folder, "-o", out)
    assert result.exit_code == 1 and "report.html was removed" in result.output
    assert not (out / "report.html").exists()
    monkeypatch.undo()
    assert cli(folder, "-o", out).exit_code == 0 and (out / "report.html").exists()


# ---------------------------------------------------------------- a time budget per input

STUCK = "本报讯 该项目总投资三亿元，这一句让提取陷入死循环。\n"


@pytest.mark.parametrize("workers", ["1", "2"])
def test_an_input_over_its_time_budget_is_failed_and_the_others_are_written(tmp_path, monkeypatch, workers):
    import etl.pipeline as pipeline

    real = pipeline.process_text

    def process_text(text):  # a stage stuck on one input, as a pathological regex would be
        while "死循环" in text:
            pass
        return real(text)

    monkeypatch.setattr(pipeline, "process_text", process_text)  # inherited by forked workers
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    for i in range(16):  # enough inputs for a pool of two
        (folder / f"{i:02d}.txt").write_text(news(i), "utf-8")
    (folder / "07_stuck.txt").write_text(STUCK, "utf-8")
    result = cli(folder, "-o", out, "--workers", workers, "--max-input-seconds", "1", "--no-validate")
    assert result.exit_code == 3, result.output
    docs = pd.read_parquet(out / "documents").set_index("source")
    assert docs.loc["07_stuck.txt", "status"] == "failed"
    assert "--max-input-seconds" in docs.loc["07_stuck.txt", "error"]
    assert (docs.drop(index="07_stuck.txt")["status"] == "ok").all() and len(docs) == 17
    assert len(pd.read_parquet(out / "figures")) == 32
