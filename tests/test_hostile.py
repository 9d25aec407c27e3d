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
