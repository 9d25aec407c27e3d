"""The scheduled job (issue #4): incremental, idempotent, crash-safe, one at a time, nothing
lost on bad input, exit codes and run records, scheduler logs, TOML configuration.

Each test would fail without the property it names. The SIGKILL tests run the installed
`figure-etl` executable and kill it at several moments.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import SAMPLE
from etl.job import job as job_module
from etl.cli import main
from etl.cli import run as run_command
from etl.job.config import find_config
from etl.job.job import JobOptions, run_job
from etl.job.outcome import EXIT_BUSY, EXIT_EXPECTATIONS_FAILED, EXIT_INPUTS_FAILED
from etl.job.state import job_lock, recover

EXE = Path(sys.executable).parent / "figure-etl"
README = Path(__file__).resolve().parent.parent / "README.md"
LIVE = "status != 'superseded'"


# ---------------------------------------------------------------- helpers

def doc_text(i: int, version: int = 0, paragraphs: int = 1) -> str:
    """A small news page with a few figures; distinct for each (i, version)."""
    body = "".join(
        f"本报讯 {i % 28 + 1}日，第{i}号项目签约，总投资{i + 1 + version * 1000}亿元，"
        f"占地{i % 90 + 10 + p}亩，新增企业{i % 40 + 2 + p}家，增长{p + 1}.5%。\n记者 张三\n\n"
        for p in range(paragraphs)
    )
    return body


def write_corpus(folder: Path, ids, version: int = 0, paragraphs: int = 1) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in ids:
        (folder / f"报告 {i:04d}.txt").write_text(doc_text(i, version, paragraphs), "utf-8")


def cli(*args: str) -> object:
    return CliRunner().invoke(main, ["run", *map(str, args)])


def table(out: Path, name: str, key: str) -> pd.DataFrame:
    return pd.read_parquet(out / name).sort_values(key).reset_index(drop=True)


def live_documents(out: Path) -> pd.DataFrame:
    docs = pd.read_parquet(out / "documents")
    return docs[docs["status"] != "superseded"]


def assert_consistent(out: Path) -> None:
    """What any reader must see at any instant: whole files, no row twice, in pandas and DuckDB."""
    con = duckdb.connect()
    for name, key in (("figures", "figure_id"), ("articles", "article_id"), ("checks", "check_id")):
        if not (out / name).exists():
            continue
        frame = pd.read_parquet(out / name)
        assert frame[key].is_unique, f"duplicate {key} in {name}"
        n = con.sql(f"SELECT count(*), count(DISTINCT {key}) FROM read_parquet('{out}/{name}/*.parquet')").fetchall()
        assert n[0] == (len(frame), len(frame))
        assert not [p for p in (out / name).iterdir() if not p.name.endswith(".parquet")], "stray files"
    if (out / "documents").exists():
        assert live_documents(out)["path"].is_unique
        con.sql(f"SELECT count(*) FROM read_parquet('{out}/documents/*.parquet')").fetchall()


def part_names(out: Path, name: str) -> list[str]:
    return sorted(p.name for p in (out / name).glob("*.parquet"))


def same_rows(a: pd.DataFrame, b: pd.DataFrame, key: str) -> bool:
    a, b = (f.sort_values(key).reset_index(drop=True) for f in (a, b))
    pd.testing.assert_frame_equal(a, b)
    return True


def runs(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "runs").sort_values("run_id").reset_index(drop=True)


# ---------------------------------------------------------------- incremental

def test_second_run_over_unchanged_inputs_reads_nothing_and_adds_nothing(tmp_path, monkeypatch):
    src, out = tmp_path / "in", tmp_path / "out"
    write_corpus(src, range(1000))
    assert cli(src, "-o", out, "--no-validate", "-q").exit_code == 0
    before = {p: p.stat().st_mtime_ns for t in ("figures", "articles", "documents") for p in (out / t).iterdir()}

    reads = []
    monkeypatch.setattr(job_module, "read_input", lambda path: reads.append(path))
    monkeypatch.setattr(job_module, "read_limited", lambda path, _: reads.append(path))
    t0 = time.perf_counter()
    result = cli(src, "-o", out, "--no-validate")
    elapsed = time.perf_counter() - t0
    print(f"\nsecond run over 1,000 unchanged files (in-process, warm imports): {elapsed:.2f} s")
    assert result.exit_code == 0, result.output
    assert reads == []  # the fast path: path, size and mtime; no file opened
    assert "documents: 0 read; 1000 unchanged" in result.output
    after = {p: p.stat().st_mtime_ns for t in ("figures", "articles", "documents") for p in (out / t).iterdir()}
    assert after == before  # not a single table file rewritten
    assert len(runs(out)) == 1  # and no run record for a run that found nothing to do
    last = json.loads((out / "_state" / "last_run.json").read_text("utf-8"))
    assert (last["inputs_seen"], last["inputs_unchanged"], last["inputs_new"], last["figures_written"]) == (1000, 1000, 0, 0)


def test_new_inputs_are_processed_alone_and_the_result_equals_a_clean_run(tmp_path):
    src, out, clean = tmp_path / "in", tmp_path / "out", tmp_path / "clean"
    write_corpus(src, range(20))
    assert cli(src, "-o", out, "--no-validate").exit_code == 0
    write_corpus(src, range(20, 25))
    result = cli(src, "-o", out, "--no-validate")
    assert "documents: 5 read (5 ok); 20 unchanged" in result.output
    assert cli(src, "-o", clean, "--no-validate").exit_code == 0
    assert same_rows(pd.read_parquet(out / "figures"), pd.read_parquet(clean / "figures"), "figure_id")
    assert same_rows(pd.read_parquet(out / "articles"), pd.read_parquet(clean / "articles"), "article_id")
    assert len(list((out / "figures").glob("*.parquet"))) == 2  # one part per run, none rewritten


def test_touched_file_with_same_bytes_is_not_extracted_again(tmp_path, monkeypatch):
    src, out = tmp_path / "in", tmp_path / "out"
    write_corpus(src, range(3))
    cli(src, "-o", out, "--no-validate")
    os.utime(src / "报告 0001.txt", (1, 1))
    calls = []
    real = job_module.process_input
    monkeypatch.setattr(job_module, "process_input", lambda *a: calls.append(a) or real(*a))
    result = cli(src, "-o", out, "--no-validate")
    assert calls == [] and "documents: 0 read; 3 unchanged" in result.output
    assert runs(out).iloc[-1].inputs_touched == 1
    # its new mtime is recorded, so the next run takes the fast path again
    monkeypatch.setattr(job_module, "read_limited", lambda *a: pytest.fail("read again"))
    assert cli(src, "-o", out, "--no-validate").exit_code == 0


# ---------------------------------------------------------------- idempotent, replacement

def test_changed_content_replaces_the_sources_rows_and_keeps_the_old_version_as_superseded(tmp_path):
    src, out, clean = tmp_path / "in", tmp_path / "out", tmp_path / "clean"
    write_corpus(src, range(10))
    cli(src, "-o", out, "--no-validate")
    old = live_documents(out).set_index("source").loc["报告 0003.txt"]
    write_corpus(src, [3], version=1)  # new content, same name
    result = cli(src, "-o", out, "--no-validate")
    assert result.exit_code == 0 and "1 changed" in result.output
    assert_consistent(out)

    figures = pd.read_parquet(out / "figures")
    assert not (figures["doc_id"] == old.doc_id).any()  # old rows gone from the dataset
    assert (figures["value"] == 1004e8).any()  # the new version's investment
    docs = pd.read_parquet(out / "documents")
    mine = docs[docs["source"] == "报告 0003.txt"].set_index("status")
    assert sorted(mine.index) == ["ok", "superseded"]
    assert mine.loc["superseded", "doc_id"] == old.doc_id and "newer version" in mine.loc["superseded", "error"]

    cli(src, "-o", clean, "--no-validate")
    assert same_rows(figures, pd.read_parquet(clean / "figures"), "figure_id")
    assert same_rows(pd.read_parquet(out / "articles"), pd.read_parquet(clean / "articles"), "article_id")
    assert runs(out).iloc[-1][["inputs_new", "inputs_changed", "figures_removed"]].tolist() == [1, 1, 4]


def test_a_worker_sends_arrow_tables_and_the_parent_finds_each_inputs_rows(tmp_path):
    """The parent gets each chunk as one Arrow table per table (no dict rows to unpickle and
    convert) and knows where each input's rows are in it; a touched input and an unreadable
    one have no rows."""
    import pickle

    from etl.read.ingest import doc_id
    from etl.job.job import ROW_TABLES, InputRows, Touched, process_chunk, unpack
    from etl.tables.write import load_schema

    shutil.copytree(SAMPLE, tmp_path / "in")
    paths = [*sorted(str(p) for p in (tmp_path / "in").iterdir()), str(tmp_path / "in" / "missing.txt")]
    touched = paths[1]  # read with the doc_id of its live row: only touched
    chunk = [(p, doc_id(Path(p).read_bytes()) if p == touched else None) for p in paths]
    now = pd.Timestamp.now(tz="UTC").to_pydatetime()
    made = process_chunk(chunk, None, now)
    sent = pickle.loads(pickle.dumps(made))  # as a pool returns it (the tables as IPC streams)
    for t in ROW_TABLES:
        assert sent.tables[t].schema.equals(load_schema(t), check_metadata=False)
        assert sent.tables[t].equals(made.tables[t], check_metadata=True)
    outcomes = list(unpack(sent))
    assert isinstance(outcomes[1], Touched)
    processed = [o for i, o in enumerate(outcomes) if i != 1]
    assert all(isinstance(o, InputRows) for o in processed)
    for o in processed:
        for t in ROW_TABLES:
            data, start = o.rows_at[t]
            assert data is sent.tables[t]
            assert set(data.slice(start, o.counts[t]).column("doc_id").to_pylist()) <= {o.document["doc_id"]}
        assert (o.counts["articles"], o.counts["figures"]) == (o.document["n_articles"], o.document["n_figures"])
        assert sum(o.kinds.values()) == o.counts["figures"]
    assert processed[-1].document["status"] == "unreadable" and processed[-1].rows == 0
    assert sum(o.counts["checks"] for o in processed) > 0
    assert sum(o.counts["figures"] for o in processed) == sent.tables["figures"].num_rows


def test_changing_one_input_replaces_exactly_its_checks_rows(tmp_path):
    """The sample's checks come with the batches; a changed input's old checks leave with its
    rows, its new ones arrive, every other row stays as it was, and each articles part keeps
    its checks part of the same name (empty where its articles have no checks)."""
    src, out, clean = tmp_path / "in", tmp_path / "out", tmp_path / "clean"
    shutil.copytree(SAMPLE, src)
    cli(src, "-o", out, "--no-validate", "-q", "--batch-size", "2")
    before = table(out, "checks", "check_id")
    assert len(before) > 0 and part_names(out, "checks") == part_names(out, "articles")
    changed = src / "003_2a4db6d38c1a978c.txt"
    old_id = live_documents(out).set_index("source").loc[changed.name, "doc_id"]
    assert (before["doc_id"] == old_id).sum() > 0
    changed.write_text(changed.read_text("utf-8").replace("。", "。\n", 1), "utf-8")  # new bytes, same figures
    result = cli(src, "-o", out, "--no-validate", "-q", "--batch-size", "2")
    assert result.exit_code == 0, result.output
    assert_consistent(out)

    after = table(out, "checks", "check_id")
    new_id = live_documents(out).set_index("source").loc[changed.name, "doc_id"]
    others = before[before["doc_id"] != old_id].reset_index(drop=True)
    assert same_rows(after[after["doc_id"] != new_id], others, "check_id")  # untouched
    assert not (after["doc_id"] == old_id).any()
    assert (after["doc_id"] == new_id).sum() == (before["doc_id"] == old_id).sum()
    assert part_names(out, "checks") == part_names(out, "articles")
    cli(src, "-o", clean, "--no-validate", "-q")
    assert same_rows(after, table(clean, "checks", "check_id"), "check_id")


def test_a_duplicate_has_no_checks_rows_until_it_owns_the_content(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(SAMPLE, src)
    original = src / "003_2a4db6d38c1a978c.txt"
    cli(src, "-o", out, "--no-validate", "-q")
    alone = table(out, "checks", "check_id")
    shutil.copy(original, src / "copy.txt")
    shutil.copy(original, src / "zz copy.txt")
    cli(src, "-o", out, "--no-validate", "-q", "--full-refresh")
    assert (live_documents(out)["status"] == "duplicate").sum() == 2
    assert same_rows(table(out, "checks", "check_id"), alone, "check_id")  # not one row more
    content = live_documents(out).set_index("source").loc[original.name, "doc_id"]
    original.write_text("本报讯 今年新建项目12个。\n", "utf-8")
    cli(src, "-o", out, "--no-validate", "-q")
    assert_consistent(out)
    checks = table(out, "checks", "check_id")
    assert same_rows(checks[checks["doc_id"] == content], alone[alone["doc_id"] == content], "check_id")
    holders = live_documents(out).query("doc_id == @content").set_index("source")["status"]
    assert holders.to_dict() == {"copy.txt": "ok", "zz copy.txt": "duplicate"}  # one copy took over, with its checks


def test_content_changing_back_and_forth_and_reruns_never_duplicate(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    write_corpus(src, range(4))
    cli(src, "-o", out, "--no-validate")
    for version in (1, 0, 1, 0):
        write_corpus(src, [2], version=version)
        cli(src, "-o", out, "--no-validate")
        cli(src, "-o", out, "--no-validate")  # and again, unchanged
        assert_consistent(out)
    assert len(pd.read_parquet(out / "figures")) == 4 * 4
    assert (pd.read_parquet(out / "documents")["status"] == "superseded").sum() == 4


def test_duplicate_takes_over_when_the_original_changes(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    write_corpus(src, [1])
    shutil.copy(src / "报告 0001.txt", src / "报告 0001 copy.txt")
    cli(src, "-o", out, "--no-validate")
    assert sorted(live_documents(out)["status"]) == ["duplicate", "ok"]
    owner = live_documents(out).set_index("status").loc["ok", "source"]
    (src / owner).write_text(doc_text(1, version=1), "utf-8")
    cli(src, "-o", out, "--no-validate")
    assert_consistent(out)
    assert list(live_documents(out)["status"]) == ["ok", "ok"]
    figures = pd.read_parquet(out / "figures")
    assert len(figures) == 8 and figures["source"].nunique() == 2  # the copy now owns the old content


def test_full_refresh_rebuilds_from_the_inputs(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    write_corpus(src, range(5))
    cli(src, "-o", out, "--no-validate")
    write_corpus(src, [0], version=1)
    cli(src, "-o", out, "--no-validate")
    result = cli(src, "-o", out, "--no-validate", "--full-refresh")
    assert "documents: 5 read (5 ok)" in result.output
    assert_consistent(out)
    assert len(pd.read_parquet(out / "figures")) == 20
    assert "superseded" not in set(pd.read_parquet(out / "documents")["status"])


def test_batches_bound_the_parts_and_give_the_same_rows(tmp_path):
    src = tmp_path / "in"
    write_corpus(src, range(25))
    cli(src, "-o", tmp_path / "one", "--no-validate")
    cli(src, "-o", tmp_path / "many", "--no-validate", "--batch-size", "10")
    assert len(list((tmp_path / "many" / "figures").glob("*.parquet"))) == 3
    assert same_rows(pd.read_parquet(tmp_path / "one" / "figures"),
                     pd.read_parquet(tmp_path / "many" / "figures"), "figure_id")


# ---------------------------------------------------------------- crash safety

class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing catches it."""


@pytest.mark.parametrize("crash_after", [0, 1, 2, 3, 4, 5])
def test_crash_between_any_two_commit_moves_is_rolled_forward(tmp_path, monkeypatch, crash_after):
    """A kill inside the commit leaves readable, duplicate-free tables; the next run finishes it."""
    src, out, clean = tmp_path / "in", tmp_path / "out", tmp_path / "clean"
    write_corpus(src, range(6))
    cli(src, "-o", out, "--no-validate")
    write_corpus(src, [1, 4], version=1)  # two changed: old parts are rewritten
    write_corpus(src, range(6, 9))  # and new ones
    real, moves = os.replace, []

    def dying_replace(a, b):
        if "staging" in str(a) and "staging" not in str(b):  # a commit move, not a staging write
            if len(moves) == crash_after:
                raise Crash
            moves.append(b)
        real(a, b)

    monkeypatch.setattr(os, "replace", dying_replace)
    now = pd.Timestamp.now(tz="UTC").to_pydatetime()
    with pytest.raises(Crash):
        run_job(sorted(src.iterdir()), out, "20260101T000000Z-crash0", now, JobOptions(batch_inputs=2))
    monkeypatch.setattr(os, "replace", real)
    assert_consistent(out)  # mid-commit: every file whole, no row twice

    assert recover(out)  # the journal was there
    assert not (out / "_state" / "staging").exists()
    cli(src, "-o", clean, "--no-validate")
    assert same_rows(pd.read_parquet(out / "figures"), pd.read_parquet(clean / "figures"), "figure_id")
    # and the next run has nothing left to do
    assert "documents: 0 read; 9 unchanged" in cli(src, "-o", out, "--no-validate").output


def make_kill_corpus(src: Path, final: bool) -> None:
    write_corpus(src, range(150), paragraphs=8)
    if final:
        write_corpus(src, range(150, 300), paragraphs=8)
        write_corpus(src, range(5), version=1, paragraphs=8)


def _staged(out: Path) -> int:
    return len(list((out / "_state" / "staging").rglob("*.parquet"))) if (out / "_state").exists() else 0


MOMENTS = {
    "lock taken": lambda out, pid: f"pid {pid}," in _read(out / ".lock"),
    "first batch staged": lambda out, pid: _staged(out) >= 1,
    "many batches staged": lambda out, pid: _staged(out) >= 16,
    "committing": lambda out, pid: (out / "_state" / "commit.json").exists(),
}


def _read(path: Path) -> str:
    try:
        return path.read_text("utf-8", "replace")
    except OSError:
        return ""


@pytest.mark.parametrize("moment", list(MOMENTS))
def test_sigkill_at_any_moment_keeps_output_whole_and_next_run_finishes(tmp_path, final_clean, moment):
    src, out = tmp_path / "in", tmp_path / "out"
    make_kill_corpus(src, final=False)
    assert cli(src, "-o", out, "--no-validate").exit_code == 0
    before = table(out, "figures", "figure_id")
    make_kill_corpus(src, final=True)

    proc = subprocess.Popen([str(EXE), "run", str(src), "-o", str(out), "--no-validate", "-q",
                             "--batch-size", "8"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    hit = False
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if MOMENTS[moment](out, proc.pid):
            proc.send_signal(signal.SIGKILL)
            hit = True
            break
        time.sleep(0.001)
    proc.wait(timeout=60)
    assert hit or moment == "committing", f"the run ended before '{moment}'"  # a commit takes ms
    print(f"\n{moment}: {'killed' if hit else 'finished first'}")

    assert_consistent(out)
    after_kill = table(out, "figures", "figure_id")
    if moment != "committing":  # killed before its commit: the previous output, exactly
        assert same_rows(after_kill, before, "figure_id")
    final = table(final_clean, "figures", "figure_id")
    assert set(after_kill["figure_id"]) <= set(before["figure_id"]) | set(final["figure_id"])

    done = subprocess.run([str(EXE), "run", str(src), "-o", str(out), "--no-validate", "-q"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert_consistent(out)
    assert same_rows(table(out, "figures", "figure_id"), final, "figure_id")
    assert same_rows(table(out, "articles", "article_id"), table(final_clean, "articles", "article_id"), "article_id")
    assert not (out / "_state" / "staging").exists() and not (out / "_state" / "commit.json").exists()


# ---------------------------------------------------------------- one at a time

def test_second_run_exits_at_once_while_one_holds_the_lock(tmp_path):
    out = tmp_path / "out"
    with job_lock(out, "holder-run"):
        t0 = time.monotonic()
        result = cli(SAMPLE, "-o", out, "--no-validate")
        assert time.monotonic() - t0 < 5
    assert result.exit_code == EXIT_BUSY
    assert "another run is working on" in result.output and "holder-run" in result.output
    assert not (out / "figures").exists()  # it touched nothing


def test_wait_runs_after_the_holder_ends(tmp_path):
    out = tmp_path / "out"
    released = threading.Event()

    def hold():
        with job_lock(out, "holder-run"):
            time.sleep(0.5)
        released.set()

    threading.Thread(target=hold).start()
    time.sleep(0.1)
    result = cli(SAMPLE, "-o", out, "--no-validate", "--wait")
    assert released.is_set() and result.exit_code == 0, result.output
    assert "waiting for the run holding" in result.output


def test_concurrent_real_runs_do_not_corrupt_each_other(tmp_path, final_clean):
    src, out = tmp_path / "in", tmp_path / "out"
    make_kill_corpus(src, final=True)
    first = subprocess.Popen([str(EXE), "run", str(src), "-o", str(out), "--no-validate", "-q"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while first.poll() is None and f"pid {first.pid}," not in _read(out / ".lock"):
        time.sleep(0.005)
    second = subprocess.run([str(EXE), "run", str(src), "-o", str(out), "--no-validate"],
                            capture_output=True, text=True, timeout=60)
    assert first.wait(timeout=120) == 0
    assert second.returncode == EXIT_BUSY and "another run is working" in second.stderr
    assert same_rows(table(out, "figures", "figure_id"), table(final_clean, "figures", "figure_id"), "figure_id")


# ---------------------------------------------------------------- bad input

def test_every_bad_input_gets_a_status_and_an_error_and_the_run_goes_on(tmp_path):
    src, out = tmp_path / "in 输入", tmp_path / "out"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (src / "undecodable.txt").write_bytes(b"\x00\xff\xfe\x81" * 500)
    (src / "mixed encodings.txt").write_bytes("项目总投资5亿元。".encode() + "占地183亩。".encode("gbk"))
    (src / "gbk 报告.txt").write_bytes("本报讯 该项目总投资7亿元。".encode("gb18030"))
    (src / "空格 与 中文 名.txt").write_text("本报讯 该项目总投资9亿元。", "utf-8")
    os.mkfifo(src / "pipe.txt")  # would block a naive reader forever
    (src / "broken link.txt").symlink_to(src / "nowhere.txt")
    result = cli(src, "-o", out, "--no-validate")
    assert result.exit_code == EXIT_INPUTS_FAILED

    docs = pd.read_parquet(out / "documents").set_index("source")
    assert len(docs) == 8  # every input, none lost
    assert docs.loc["empty.txt", "status"] == "empty"
    assert docs.loc["binary.txt", "status"] == "undecodable"
    assert docs.loc["undecodable.txt", "status"] == "undecodable"
    assert docs.loc["gbk 报告.txt", "status"] == "ok" and docs.loc["空格 与 中文 名.txt", "status"] == "ok"
    for name in ("pipe.txt", "broken link.txt"):
        assert docs.loc[name, "status"] == "unreadable"
    assert "broken symlink" in docs.loc["broken link.txt", "error"]
    not_ok = docs[docs["status"] != "ok"]
    assert not_ok["error"].str.len().gt(10).all()  # a sentence, not a code
    assert {7e8, 9e8} <= set(pd.read_parquet(out / "figures")["value"])
    for name in ("binary.txt", "pipe.txt", "broken link.txt"):
        assert f"{name}: " in result.output  # one error line each on stderr

    # unreadable inputs are retried (their cause is outside the bytes); the rest are not
    again = cli(src, "-o", out, "--no-validate")
    assert again.exit_code == EXIT_INPUTS_FAILED
    assert runs(out).iloc[-1].inputs_new == 2
    assert len(pd.read_parquet(out / "documents")) == 8


def test_ten_thousand_small_files(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for i in range(10_000):
        (src / f"{i:05d}.txt").write_text(f"第{i}号项目总投资{i + 1}亿元。", "utf-8")
    t0 = time.perf_counter()
    assert cli(src, "-o", out, "--no-validate", "-q", "--batch-size", "2500").exit_code == 0
    print(f"\n10,000 small files: {time.perf_counter() - t0:.1f} s")
    assert len(pd.read_parquet(out / "documents")) == 10_000
    assert len(pd.read_parquet(out / "figures")) == 10_000
    assert_consistent(out)
    assert "0 read; 10000 unchanged" in cli(src, "-o", out, "--no-validate").output


def test_100_mb_file_is_processed_within_bounded_memory(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    unit = "园区道路绿化工程进展顺利，群众满意。"
    with open(src / "大 文件.txt", "w", encoding="utf-8") as fh:
        fh.write("本报讯 该项目总投资5亿元。")
        for _ in range(100):
            fh.write(unit * (1_000_000 // len(unit.encode())))
    assert (src / "大 文件.txt").stat().st_size > 99_000_000
    code = ("import resource, sys; from etl.cli import main\n"
            "try: main()\nexcept SystemExit as e: code = e.code\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(code)")
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, "run", str(src), "-o", str(out), "--no-validate", "-q"],
                          capture_output=True, text=True, timeout=120)
    rss_mb = int(done.stderr.strip().splitlines()[-1]) / 1024
    print(f"\n100 MB file: {time.perf_counter() - t0:.1f} s, peak RSS {rss_mb:.0f} MB")
    assert done.returncode == 0, done.stderr
    assert pd.read_parquet(out / "documents")["status"].tolist() == ["ok"]
    assert pd.read_parquet(out / "figures")["value"].tolist() == [5e8]
    assert rss_mb < 2048

    # over --max-input-mb it is not even read: recorded unreadable, with the way out
    small = cli(src, "-o", tmp_path / "limited", "--no-validate", "--max-input-mb", "50")
    assert small.exit_code == EXIT_INPUTS_FAILED and "--max-input-mb" in small.output


# ---------------------------------------------------------------- exit codes, run records

def test_exit_codes_are_distinct_and_documented():
    from etl.job import exitcodes

    codes = {name: getattr(exitcodes, name) for name in dir(exitcodes) if name.startswith("EXIT_") and name != "EXIT_CODES"}
    assert len(set(codes.values())) == len(codes) == len(exitcodes.EXIT_CODES) == 10
    readme = README.read_text("utf-8")
    for code in codes.values():
        assert re.search(rf"^\| {code} \|", readme, re.M), f"exit code {code} not in README"


def test_usage_errors_exit_2(tmp_path):
    assert cli().exit_code == 2  # no inputs at all
    assert cli(tmp_path, "-o", tmp_path / "o").exit_code == 2  # no files
    assert cli(SAMPLE, "--batch-size", "0").exit_code == 2
    (tmp_path / "bad.toml").write_text('no_such_option = 1\n', "utf-8")
    result = cli("--config", tmp_path / "bad.toml", SAMPLE)
    assert result.exit_code == 2 and "unknown option 'no_such_option'" in result.output


def test_each_run_appends_a_record(tmp_path):
    out = tmp_path / "out"
    cli(SAMPLE, "-o", out)
    cli(SAMPLE, "-o", out, "--no-validate", "--record-idle-runs")  # found nothing to do: recorded on request
    cli(SAMPLE, "-o", out, "--record-idle-runs")
    record = runs(out)
    assert len(record) == 3 and record["run_id"].is_unique
    first, skipped, cached = record.to_dict("records")
    assert first["status"] == "ok" and first["exit_code"] == 0 and first["inputs_new"] == 5
    assert first["figures_written"] == len(pd.read_parquet(out / "figures"))
    assert first["validation"] == "run" and first["expectations_success"] and first["expectations_evaluated"] > 20
    assert first["finished_at"] >= first["started_at"] and first["pipeline_version"]
    assert skipped["validation"] == "skipped" and skipped["expectations_success"] is None or pd.isna(skipped["expectations_success"])
    assert cached["validation"] == "cached" and cached["inputs_new"] == 0  # no GX for a no-change run


def test_strict_still_fails_on_unchanged_data_and_changed_suites_revalidate_everything(tmp_path):
    suites = tmp_path / "suites"
    shutil.copytree(Path(__file__).resolve().parent.parent / "expectations", suites)
    out = tmp_path / "out"
    assert cli(SAMPLE, "-o", out, "--expectations", suites, "--strict").exit_code == 0
    figures = json.loads((suites / "figures.json").read_text("utf-8"))
    figures["expectations"].append({"type": "expect_column_values_to_be_between",
                                    "kwargs": {"column": "value", "max_value": 1}, "meta": {"check": "impossible"},
                                    "description": "fails on purpose", "severity": "critical"})
    (suites / "figures.json").write_text(json.dumps(figures, ensure_ascii=False), "utf-8")
    assert cli(SAMPLE, "-o", out, "--expectations", suites, "--strict").exit_code == EXIT_EXPECTATIONS_FAILED
    assert cli(SAMPLE, "-o", out, "--expectations", suites, "--strict").exit_code == EXIT_EXPECTATIONS_FAILED
    assert runs(out)["validation"].tolist() == ["run", "all", "cached"]


# ---------------------------------------------------------------- logs

def test_logs_without_a_terminal_are_plain_lines(tmp_path):
    done = subprocess.run([str(EXE), "run", str(SAMPLE), "-o", str(tmp_path), "--no-validate"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0
    assert "\r" not in done.stderr and "\x1b" not in done.stderr  # no progress bar
    assert re.match(r"\d{4}-\d\d-\d\dT[\d:.]+Z info    run ", done.stderr) and "documents: 5 read" in done.stdout


def test_json_logs_are_one_object_per_line(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bad.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "in" / "good.txt").write_text("本报讯 该项目总投资5亿元。", "utf-8")
    done = subprocess.run([str(EXE), "run", str(tmp_path / "in"), "-o", str(tmp_path / "o"), "--no-validate",
                           "--log-format", "json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == EXIT_INPUTS_FAILED and done.stderr == ""
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert [e["event"] for e in events] == ["start", "batch", "run_finished", "input_failed"]
    finished = events[2]
    assert finished["inputs_new"] == 2 and finished["inputs_failed"] == 1 and finished["exit_code"] == 3
    assert events[3]["level"] == "error" and events[3]["status"] == "undecodable"


def test_quiet_prints_only_errors(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bad.txt").write_bytes(bytes(range(256)) * 8)
    result = subprocess.run([str(EXE), "run", str(tmp_path / "in"), "-o", str(tmp_path / "o"), "-q", "--no-validate"],
                            capture_output=True, text=True, timeout=120)
    assert result.stdout == "" and len(result.stderr.splitlines()) == 1
    assert re.match(r"\d{4}-\d\d-\d\dT[\d:.]+Z error   ", result.stderr)


# ---------------------------------------------------------------- configuration

def test_config_file_gives_every_option_and_the_command_line_wins(tmp_path, monkeypatch):
    shutil.copytree(SAMPLE, tmp_path / "in")
    (tmp_path / "figure-etl.toml").write_text(
        'inputs = ["in"]\noutput = "out"\nvalidate = false\nlog-format = "json"\nbatch_size = 2\n'
        "quiet = false\nstrict = true\nwait = false\nfull-refresh = false\nmax-input-mb = 10\n", "utf-8")
    monkeypatch.chdir(tmp_path / "in")  # relative paths are taken from the file's folder
    result = cli("--config", tmp_path / "figure-etl.toml")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.splitlines()[-1])["event"] == "run_finished"
    assert len(list((tmp_path / "out" / "figures").glob("*.parquet"))) == 3  # batch_size 2 on 5 inputs
    assert not (tmp_path / "out" / "validation").exists()
    result = cli("--config", tmp_path / "figure-etl.toml", "--log-format", "text", "-o", tmp_path / "other")
    assert "documents: 5 read" in result.output and (tmp_path / "other" / "documents").exists()


def test_pyproject_tool_table_in_the_working_directory(tmp_path, monkeypatch):
    shutil.copytree(SAMPLE, tmp_path / "in")
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.figure-etl]\ninputs = ["in"]\noutput = "out"\nno-validate = true\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    result = cli()
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "figures").exists() and not (tmp_path / "out" / "validation").exists()


def test_readme_config_example_is_valid(tmp_path):
    section = README.read_text("utf-8").split("## Scheduling", 1)[1].split("\n## ", 1)[0]
    example = re.search(r"```toml\n(.*?)```", section, re.S).group(1)
    (tmp_path / "figure-etl.toml").write_text(example, "utf-8")
    _, options = find_config(tmp_path / "figure-etl.toml", tmp_path)
    ctx = run_command.make_context("run", ["--config", str(tmp_path / "figure-etl.toml")])
    assert options and ctx.params["inputs"]  # an unknown key would have raised a usage error
    for word in ("_state", ".lock", "--full-refresh", "OnCalendar", "crontab"):
        assert word in section, word


# ---------------------------------------------------------------- GX imported during extraction

def test_gx_is_imported_in_the_background_only_by_a_run_that_validates_new_inputs(tmp_path, monkeypatch):
    from etl.job import outcome

    calls = []
    validate = outcome.validate
    monkeypatch.setattr(outcome, "import_gx_in_background", lambda: calls.append("import"))
    monkeypatch.setattr(outcome, "validate", lambda *args: calls.append("validate") or validate(*args))
    src, out = tmp_path / "in", tmp_path / "out"
    write_corpus(src, range(3))
    assert cli(src, "-o", out, "--no-validate", "-q").exit_code == 0
    assert calls == []
    write_corpus(src, range(3, 6))
    assert cli(src, "-o", out, "-q").exit_code == 0
    assert calls == ["import", "validate"]  # started with the first document, before validation
    calls.clear()
    assert cli(src, "-o", out, "-q").exit_code == 0  # nothing new: the last outcome, GX not needed
    for path in src.iterdir():  # read again, the same bytes: nothing new either
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert cli(src, "-o", out, "-q").exit_code == 0
    assert calls == ["validate", "validate"]


def test_a_failed_background_import_raises_at_validation_not_in_the_thread(tmp_path, monkeypatch):
    from etl.job import outcome
    from etl.quality import validate as validate_module

    def no_gx():
        raise ImportError("no module named great_expectations")

    unhandled = []
    monkeypatch.setattr(validate_module, "_gx", no_gx)
    monkeypatch.setattr(threading, "excepthook", unhandled.append)
    outcome.import_gx_in_background()
    for thread in threading.enumerate():
        if thread.name == "import-great-expectations":
            thread.join()
    assert unhandled == []
    with pytest.raises(ImportError, match="great_expectations"):
        validate_module.validate_tables(pd.DataFrame(), None, tmp_path)
