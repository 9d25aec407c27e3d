"""The job as a scheduler runs it (issue 15): exit codes a scheduler can trust, SIGTERM,
timestamped logs and levels, options from the environment, `status`, `compact`, runs that
found nothing to do, and files of kinds the job does not read.

Exit codes and signals are tested on the installed `figure-etl` in real subprocesses.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import SAMPLE
from etl.cli import main
from etl.job import exitcodes
from etl.job.status import STATUS_FAILED, STATUS_OK, STATUS_STALE, folder_status, parse_duration
from test_job import assert_consistent, make_kill_corpus, runs, same_rows, table, write_corpus

EXE = Path(sys.executable).parent / "figure-etl"
ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (debug|info|warning|error)\s+\S")


def run_exe(*args, env=None, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([str(EXE), *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          env=env)


def cli(*args, env=None):
    return CliRunner().invoke(main, [*map(str, args)], env=env)


# ---------------------------------------------------------------- exit 2 before any work

def test_a_named_input_that_does_not_exist_exits_2_before_any_work(tmp_path):
    out = tmp_path / "out"
    done = run_exe("run", tmp_path / "no" / "such" / "folder", "-o", out)
    assert done.returncode == exitcodes.EXIT_USAGE, done.stderr
    assert "no such file or folder" in done.stderr and str(tmp_path / "no") in done.stderr
    assert not out.exists()  # not even the lock file: nothing was done
    # one missing among existing ones is still a usage error
    assert cli("run", SAMPLE, tmp_path / "gone.txt", "-o", out).exit_code == exitcodes.EXIT_USAGE
    assert not out.exists()


@pytest.mark.parametrize("broken, problem", [
    ('{"name": "figures", "expectations": [', "not valid JSON"),
    ('{"name": "figures", "expectations": []}', 'no "expectations" list'),
    ('{"name": "figures", "expectations": [{"kwargs": {}}]}', 'no "type" string'),
    ('{"name": "figures", "expectations": [{"type": "expect_column_values_to_be_betwen", '
     '"kwargs": {"column": "value"}, "meta": {"check": "typo"}}]}', "GX dropped"),
])
def test_a_broken_suite_file_exits_2_naming_it_before_any_work(tmp_path, broken, problem):
    suites, out = tmp_path / "suites", tmp_path / "out"
    shutil.copytree(ROOT / "expectations", suites, ignore=shutil.ignore_patterns("__*"))
    (suites / "figures.json").write_text(broken, "utf-8")
    result = cli("run", SAMPLE, "-o", out, "--expectations", suites)
    assert result.exit_code == exitcodes.EXIT_USAGE, result.output
    assert str(suites / "figures.json") in result.output and problem in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_a_broken_suite_file_exits_2_in_a_real_process(tmp_path):
    suites, out = tmp_path / "suites", tmp_path / "out"
    shutil.copytree(ROOT / "expectations", suites, ignore=shutil.ignore_patterns("__*"))
    (suites / "documents.json").write_text("{oops", "utf-8")
    done = run_exe("run", SAMPLE, "-o", out, "--expectations", suites)
    assert done.returncode == 2 and "documents.json: not valid JSON" in done.stderr
    assert len(done.stderr.splitlines()) < 6 and not out.exists()


# ---------------------------------------------------------------- SIGTERM

def _staged(out: Path) -> int:
    staging = out / "_state" / "staging"
    return len(list(staging.rglob("*.parquet"))) if staging.exists() else 0


def test_sigterm_logs_records_an_interrupted_run_exits_143_and_the_next_run_finishes(tmp_path, final_clean):
    src, out = tmp_path / "in", tmp_path / "out"
    make_kill_corpus(src, final=True)
    proc = subprocess.Popen([str(EXE), "run", str(src), "-o", str(out), "--no-validate", "--batch-size", "8",
                             "-j", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while proc.poll() is None and _staged(out) < 2 and time.monotonic() < deadline:
        time.sleep(0.005)
    assert proc.poll() is None, "the run ended before it could be stopped"
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == exitcodes.EXIT_INTERRUPTED, stderr
    assert re.search(r"warning\s+run \S+ interrupted by SIGTERM before the commit", stderr), stderr
    record = runs(out).iloc[-1]
    assert (record.status, record.exit_code) == ("interrupted", 143) and "SIGTERM" in record.error
    assert not (out / "figures").exists()  # nothing committed, and no worker left behind writing
    last = json.loads((out / "_state" / "last_run.json").read_text("utf-8"))
    assert (last["status"], last["exit_code"]) == ("interrupted", 143)
    assert cli("status", out).exit_code == STATUS_FAILED

    done = run_exe("run", src, "-o", out, "--no-validate", "-q")
    assert done.returncode == 0, done.stderr
    assert_consistent(out)
    assert same_rows(table(out, "figures", "figure_id"), table(final_clean, "figures", "figure_id"), "figure_id")
    assert not (out / "_state" / "staging").exists()


def test_the_exit_code_of_an_interruption_is_128_plus_the_signal():
    from etl.job.interrupt import Interrupted

    assert Interrupted(signal.SIGTERM).exit_code == exitcodes.EXIT_INTERRUPTED == 143
    assert Interrupted(signal.SIGINT).exit_code == exitcodes.EXIT_CTRL_C == 130
    assert exitcodes.status_of(143) == exitcodes.status_of(130) == "interrupted"


# ---------------------------------------------------------------- logs and the environment

def test_text_log_lines_carry_an_iso_utc_time_and_a_level(tmp_path):
    done = run_exe("run", SAMPLE, "-o", tmp_path / "out", "--no-validate")
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines and all(STAMP.match(line) for line in lines), lines
    stamp = datetime.strptime(lines[0][:23], "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=timezone.utc)
    assert abs(datetime.now(timezone.utc) - stamp) < timedelta(minutes=5)  # UTC, not local time
    assert done.stdout.startswith("documents: 5 read")  # the summary block stays plain


def test_log_level_drops_lower_lines(tmp_path):
    quiet = cli("run", SAMPLE, "-o", tmp_path / "a", "--no-validate", "--log-level", "warning")
    assert quiet.exit_code == 0 and quiet.output == ""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bad.txt").write_bytes(bytes(range(256)) * 4)
    errors = cli("run", tmp_path / "in", "-o", tmp_path / "b", "--no-validate", "--log-level", "error")
    assert errors.exit_code == exitcodes.EXIT_INPUTS_FAILED
    assert errors.output.count("\n") == 1 and " error " in errors.output


def test_every_option_can_come_from_the_environment_as_click_names_it(tmp_path):
    env = {"FIGURE_ETL_RUN_OUTPUT": str(tmp_path / "from-env"), "FIGURE_ETL_RUN_VALIDATE": "false",
           "FIGURE_ETL_RUN_LOG_FORMAT": "json"}
    result = cli("run", SAMPLE, env=env)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "from-env" / "figures").is_dir()
    events = [json.loads(line) for line in result.output.splitlines()]
    assert events[-1]["event"] == "run_finished" and events[-1]["validation"] == "skipped"
    # the command line still wins over the environment
    assert cli("run", SAMPLE, "-o", tmp_path / "flag", "--no-validate", env=env).exit_code == 0
    assert (tmp_path / "flag" / "figures").is_dir()
    assert cli("status", tmp_path / "flag", env={"FIGURE_ETL_STATUS_MAX_AGE": "1h"}).exit_code == 0


def test_docs_name_the_environment_variables_click_reads():
    """Every option of every command, as click derives its variable, is in the docs' table."""
    import click

    doc = (ROOT / "docs" / "operations.md").read_text("utf-8")
    for name, command in main.commands.items():
        for param in command.params:
            if isinstance(param, click.Option) and param.name:
                var = f"FIGURE_ETL_{name.upper()}_{param.name.upper()}"
                assert f"| `{var}` |" in doc, f"{var} not documented"
    assert "docs/operations.md" in README.read_text("utf-8")


# ---------------------------------------------------------------- status

@pytest.fixture(scope="module")
def sample_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("status") / "out"
    assert cli("run", SAMPLE, "-o", out).exit_code == 0
    return out


def test_status_reports_the_last_run_and_exits_0(sample_out):
    result = cli("status", sample_out, "--json")
    assert result.exit_code == STATUS_OK, result.output
    facts = json.loads(result.output)
    last = facts["last_run"]
    assert last["run_id"] == runs(sample_out).iloc[-1].run_id and last["exit_code"] == 0
    assert (last["inputs_new"], last["expectations_success"], last["validation"]) == (5, True, "run")
    assert facts["pending"] == [] and facts["running"] is None and facts["health"] == "ok"
    text = cli("status", sample_out).output
    assert "health:    ok" in text and last["run_id"] in text and "pending:   nothing" in text


def synthetic_output(folder: Path, finished: datetime, exit_code: int = 0, documents: int = 10_000) -> Path:
    """An output folder of `documents` inputs as `status` sees it: a last_run.json, and
    table files that are not Parquet at all (status must not read them)."""
    for table_name, parts in (("figures", 20), ("articles", 20), ("checks", 20), ("documents", 1)):
        (folder / table_name).mkdir(parents=True)
        for i in range(parts):
            (folder / table_name / f"part-{i:04d}.parquet").write_bytes(b"not parquet" * 1000)
    record = {"run_id": "20260101T000000.000Z-abcdef", "started_at": (finished - timedelta(minutes=3)).isoformat(),
              "finished_at": finished.isoformat(), "status": exitcodes.status_of(exit_code),
              "exit_code": exit_code, "inputs": ["/data"], "inputs_seen": documents, "inputs_unchanged": 0,
              "inputs_touched": 0, "inputs_new": documents, "inputs_changed": 0,
              "inputs_failed": 2 if exit_code == 3 else 0, "figures_written": documents * 14,
              "figures_removed": 0, "articles_written": documents, "validation": "run",
              "expectations_success": True, "expectations_evaluated": 80, "expectations_failed": 0,
              "error": None, "pipeline_version": "0.1.0", "recorded": True}
    (folder / "_state").mkdir()
    (folder / "_state" / "last_run.json").write_text(json.dumps(record), "utf-8")
    return folder


def test_status_reads_no_table(tmp_path):
    out = synthetic_output(tmp_path / "out", datetime.now(timezone.utc) - timedelta(hours=2))
    result = cli("status", out, "--json")
    assert result.exit_code == STATUS_OK, result.output
    assert json.loads(result.output)["last_run"]["inputs_seen"] == 10_000
    assert cli("status", out, "--max-age", "1h").exit_code == STATUS_STALE
    assert "more than --max-age 1h 0m" in cli("status", out, "--max-age", "1h").output
    assert cli("status", out, "--max-age", "3h").exit_code == STATUS_OK


def test_status_imports_neither_pandas_nor_pyarrow(tmp_path):
    """What keeps `status` instant on any output: it reads no table, and the command does
    not even import the libraries that would."""
    out = synthetic_output(tmp_path / "out", datetime.now(timezone.utc))
    code = ("import sys\nfrom etl.cli import main\n"
            "try:\n    main(['status', sys.argv[1], '--json'])\n"
            "except SystemExit as exit:\n"
            "    print(exit.code, sorted(m for m in ('pandas', 'pyarrow', 'great_expectations') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, str(out)], capture_output=True, text=True, timeout=60)
    assert done.stdout.splitlines()[-1] == "0 []", done.stdout + done.stderr


def test_status_exits_1_on_a_failed_run_and_names_what_is_pending(tmp_path):
    out = synthetic_output(tmp_path / "out", datetime.now(timezone.utc), exit_code=3)
    (out / "_state" / "commit.json").write_text("{}", "utf-8")
    code, facts = folder_status(out)
    assert code == STATUS_FAILED and facts["health"] == "last run inputs_failed (exit 3)"
    assert any("rolls it forward" in p for p in facts["pending"])
    assert any("2 failed inputs" in p for p in facts["pending"])
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli("status", empty).exit_code == STATUS_FAILED  # no run yet
    assert cli("status", tmp_path / "missing").exit_code == 2


def test_status_of_a_folder_written_before_last_run_json_reads_the_newest_run_record(sample_out, tmp_path):
    out = tmp_path / "old"
    shutil.copytree(sample_out, out)
    (out / "_state" / "last_run.json").unlink()
    code, facts = folder_status(out)
    assert code == STATUS_OK and facts["last_run"]["run_id"] == runs(sample_out).iloc[-1].run_id


def test_status_sees_a_run_holding_the_lock(tmp_path):
    from etl.job.state import job_lock

    out = synthetic_output(tmp_path / "out", datetime.now(timezone.utc))
    with job_lock(out, "run-in-progress"):
        assert "run-in-progress" in folder_status(out)[1]["running"]
    assert folder_status(out)[1]["running"] is None  # the note stays in .lock, the lock does not


@pytest.mark.parametrize("text, seconds", [("90", 90), ("30s", 30), ("15m", 900), ("6h", 21600),
                                           ("2d", 172800), ("1w", 604800), ("1h30m", 5400), ("1.5h", 5400)])
def test_durations(text, seconds):
    assert parse_duration(text).total_seconds() == seconds


@pytest.mark.parametrize("text", ["", "h", "1x", "1h x", "-5m"])
def test_bad_durations(text):
    with pytest.raises(ValueError):
        parse_duration(text)


# ---------------------------------------------------------------- idle runs

def test_a_run_that_found_nothing_to_do_adds_no_run_record_unless_asked(tmp_path):
    out = tmp_path / "out"
    assert cli("run", SAMPLE, "-o", out, "--no-validate").exit_code == 0
    idle = cli("run", SAMPLE, "-o", out, "--no-validate")
    assert idle.exit_code == 0 and "not recorded in runs/" in idle.output
    assert len(list((out / "runs").glob("*.parquet"))) == 1
    last = json.loads((out / "_state" / "last_run.json").read_text("utf-8"))
    assert (last["inputs_unchanged"], last["recorded"]) == (5, False)  # status still sees it
    assert cli("run", SAMPLE, "-o", out, "--no-validate", "--record-idle-runs").exit_code == 0
    assert len(list((out / "runs").glob("*.parquet"))) == 2


# ---------------------------------------------------------------- compact

def test_compact_merges_parts_and_keeps_every_row_in_order(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    for start in (0, 30, 60):  # three runs, batches of 8 inputs: many small parts
        write_corpus(src, range(start, start + 30))
        assert cli("run", src, "-o", out, "--no-validate", "--batch-size", "8").exit_code == 0
    before = {t: pd.read_parquet(out / t) for t in ("figures", "articles", "checks", "runs")}
    assert len(list((out / "figures").glob("*.parquet"))) == 12
    result = cli("compact", out)
    assert result.exit_code == 0, result.output
    assert "figures 12 -> 1" in result.output and "runs 3 -> 1" in result.output
    for name, frame in before.items():
        assert len(list((out / name).glob("*.parquet"))) == 1
        pd.testing.assert_frame_equal(pd.read_parquet(out / name), frame)  # same rows, same order
    articles = {p.name for p in (out / "articles").glob("*.parquet")}
    assert articles == {p.name for p in (out / "checks").glob("*.parquet")}  # checks pair with articles
    assert "nothing to merge" in cli("compact", out).output

    # the job carries on over compacted parts: a changed input replaces its rows
    write_corpus(src, range(3), version=1)
    assert cli("run", src, "-o", out, "--no-validate").exit_code == 0
    assert cli("run", src, "-o", tmp_path / "clean", "--no-validate").exit_code == 0
    assert same_rows(table(out, "figures", "figure_id"), table(tmp_path / "clean", "figures", "figure_id"),
                     "figure_id")
    assert_consistent(out)


def test_a_crash_mid_compact_leaves_the_old_parts_or_is_rolled_forward(tmp_path, monkeypatch):
    from etl.job import state
    from etl.job.compact import compact

    src, out = tmp_path / "in", tmp_path / "out"
    write_corpus(src, range(40))
    assert cli("run", src, "-o", out, "--no-validate", "--batch-size", "8").exit_code == 0
    before = {t: pd.read_parquet(out / t) for t in ("figures", "articles", "checks")}
    names = {t: sorted(p.name for p in (out / t).glob("*.parquet")) for t in before}

    real_replace, moved = os.replace, []

    def crash_on_second_move_into_a_table(src_path, dst_path):
        if "_state" not in str(dst_path):  # staged writes and the journal are under _state
            moved.append(dst_path)
            if len(moved) == 2:
                raise OSError("simulated crash")
        real_replace(src_path, dst_path)

    monkeypatch.setattr(state.os, "replace", crash_on_second_move_into_a_table)
    with pytest.raises(OSError, match="simulated crash"):
        compact(out, "compact-test", 128)
    monkeypatch.undo()
    assert (out / "_state" / "commit.json").exists()  # the journal is the commit point

    assert cli("compact", out).exit_code == 0  # rolls the journal forward first
    assert not (out / "_state" / "commit.json").exists()
    for name, frame in before.items():
        pd.testing.assert_frame_equal(pd.read_parquet(out / name), frame)
        assert len(list((out / name).glob("*.parquet"))) == 1
        assert [p.name for p in (out / name).glob("*.parquet")] == names[name][:1]
    assert_consistent(out)


def test_a_crash_before_the_journal_leaves_the_old_parts(tmp_path, monkeypatch):
    from etl.job import compact as compact_module
    from etl.tables import write

    src, out = tmp_path / "in", tmp_path / "out"
    write_corpus(src, range(20))
    assert cli("run", src, "-o", out, "--no-validate", "--batch-size", "8").exit_code == 0
    before = {t: sorted(p.name for p in (out / t).glob("*.parquet")) for t in ("figures", "articles", "checks")}
    written, real_write = [], write.write_table

    def write_then_crash(*args, **kwargs):
        written.append(real_write(*args, **kwargs))
        if len(written) == 2:
            raise MemoryError("simulated crash while staging")
        return written[-1]

    monkeypatch.setattr(write, "write_table", write_then_crash)
    with pytest.raises(MemoryError):
        compact_module.compact(out, "compact-test", 128)
    monkeypatch.undo()
    assert {t: sorted(p.name for p in (out / t).glob("*.parquet")) for t in before} == before
    assert cli("run", src, "-o", out, "--no-validate").exit_code == 0  # drops the staged parts
    assert not (out / "_state" / "staging").exists()


def test_plan_groups_merges_neighbours_up_to_the_target():
    from etl.job.compact import plan_groups

    sizes = [("a", 10), ("b", 10), ("c", 100), ("d", 5), ("e", 5), ("f", 5)]
    assert plan_groups(sizes, 25) == [["a", "b"], ["d", "e", "f"]]  # c is too big to share
    assert plan_groups(sizes, 1000) == [["a", "b", "c", "d", "e", "f"]]
    assert plan_groups([("a", 1)], 10) == [] and plan_groups([], 10) == []


# ---------------------------------------------------------------- files the job does not read

def test_files_the_job_does_not_read_are_recorded_as_unsupported(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    write_corpus(src, range(2))
    (src / "scan.TIFF").write_bytes(b"II*\x00 not a text!!")
    (src / "sub").mkdir()
    (src / "sub" / "notes.xlsx").write_bytes(b"PK\x03\x04")
    (src / ".DS_Store").write_bytes(b"hidden")
    result = cli("run", src, "-o", out, "--no-validate")
    assert result.exit_code == 0, result.output  # not a failure: exit 0
    assert "documents: 2 read (2 ok); 2 unsupported" in result.output
    docs = pd.read_parquet(out / "documents").set_index("source")
    assert sorted(docs.index[docs.status == "unsupported"]) == ["notes.xlsx", "scan.TIFF"]
    assert "not read: .tiff" in docs.loc["scan.TIFF", "error"] and docs.loc["scan.TIFF", "size_bytes"] == 17
    assert ".DS_Store" not in docs.index

    again = cli("run", src, "-o", out, "--no-validate")
    assert "documents: 0 read; 4 unchanged" in again.output
    (src / "scan.TIFF").write_bytes(b"II*\x00 a longer scan!!!!")
    changed = cli("run", src, "-o", out, "--no-validate")
    assert "documents: 0 read; 1 unsupported" in changed.output
    docs = pd.read_parquet(out / "documents")
    assert (docs.source == "scan.TIFF").sum() == 1 and docs[docs.source == "scan.TIFF"].size_bytes.item() == 22


def test_validation_accepts_unsupported_rows(tmp_path):
    src = tmp_path / "in"
    shutil.copytree(SAMPLE, src)
    (src / "table.xlsx").write_bytes(b"PK")
    result = cli("run", src, "-o", tmp_path / "out", "--strict")
    assert result.exit_code == 0, result.output


def test_readable_suffixes_are_one_data_point():
    import tomllib

    from etl.read.ingest import readable_suffixes

    data = tomllib.loads((ROOT / "etl" / "data" / "inputs.toml").read_text("utf-8"))
    suffixes = data["readable_suffixes"]
    assert suffixes and readable_suffixes() == tuple(suffixes)
    assert all(s.startswith(".") and s == s.lower() and s.strip() == s for s in suffixes)
    assert len(set(suffixes)) == len(suffixes)


# ---------------------------------------------------------------- exit codes and orchestrators

def test_exit_code_table_matches_the_readme_and_the_orchestrator_actions():
    readme = README.read_text("utf-8")
    for code, entry in exitcodes.EXIT_CODES.items():
        assert re.search(rf"^\| {code} \| `?{entry.name}`? \|.*\| {entry.action} \|", readme, re.M), code
    assert [exitcodes.action_for(c) for c in (0, 1, 2, 3, 4, 5, 6, 143)] == [
        "ok", "fail", "fail", "fail", "fail", "skip", "retry", "retry"]
    assert exitcodes.action_for(-9) == "retry"  # killed: the next run recovers


def _readme_section(title: str) -> str:
    text = README.read_text("utf-8")
    start = text.index(title)
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


def test_orchestrator_snippets_compile_and_use_the_exit_code_table():
    section = _readme_section("### Orchestrators")
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 3
    for block, tool in zip(blocks, ("airflow", "dagster", "prefect")):
        compile(block, f"<README {tool} snippet>", "exec")
        assert f"import" in block and tool in block and "action_for" in block


def test_systemd_unit_counts_no_failure_as_success():
    unit = re.search(r"```ini\n(\[Unit\].*?)```", _readme_section("### systemd"), re.S).group(1)
    success = re.search(r"^SuccessExitStatus=(.*)$", unit, re.M)
    codes = {int(c) for c in success.group(1).split()} if success else set()
    assert all(exitcodes.action_for(c) in ("ok", "skip") for c in codes), codes
    assert exitcodes.EXIT_USAGE not in codes and exitcodes.EXIT_INPUTS_FAILED not in codes
