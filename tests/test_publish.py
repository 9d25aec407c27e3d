"""--publish: the output folder mirrored to an fsspec URL, incrementally and resumably."""
from __future__ import annotations

import shutil
from pathlib import Path

import fsspec
import pandas as pd
from click.testing import CliRunner

from conftest import SAMPLE
from etl.cli import main
from etl.job.publish import Operation, local_files, plan, publish


def run(inputs: Path, out: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["run", str(inputs), "-o", str(out), "--workers", "1",
                                       "--no-validate", *extra])
    return result.exit_code, result.output


def published_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_plan_deletes_first_then_parts_then_documents_runs_and_pages():
    local = {"figures/part-b.parquet": [2, 2], "documents/part-0.parquet": [5, 9], "report.html": [1, 1],
             "runs/run-2.parquet": [1, 1], "articles/part-b.parquet": [3, 3], "figures/part-a.parquet": [1, 1]}
    published = {"figures/part-a.parquet": [1, 1], "figures/part-old.parquet": [4, 4],
                 "documents/part-0.parquet": [5, 8]}
    assert plan(local, published) == [
        Operation("delete", "figures/part-old.parquet"),
        Operation("upload", "articles/part-b.parquet"),
        Operation("upload", "figures/part-b.parquet"),  # part-a is unchanged: not sent again
        Operation("upload", "documents/part-0.parquet"),
        Operation("upload", "runs/run-2.parquet"),
        Operation("upload", "report.html"),
    ]
    assert plan(local, local) == []


def test_run_publishes_the_tables_and_pages_but_not_the_job_state(tmp_path):
    out, remote = tmp_path / "out", tmp_path / "remote"
    code, output = run(SAMPLE, out, "--publish", f"file://{remote}")
    assert code == 0, output
    assert f"published: file://{remote}" in output
    mirrored = published_files(remote)
    assert set(mirrored) == set(local_files(out))
    assert {"report.html", "documents/part-0.parquet"} <= set(mirrored)
    assert not any(p.startswith("_state") or p == ".lock" or "/." in p for p in mirrored)
    for path, data in mirrored.items():
        assert data == (out / path).read_bytes()
    pd.testing.assert_frame_equal(pd.read_parquet(remote / "figures"), pd.read_parquet(out / "figures"))


def test_a_second_run_sends_only_what_changed_and_removes_what_left(tmp_path):
    inputs, out, remote = tmp_path / "in", tmp_path / "out", tmp_path / "remote"
    shutil.copytree(SAMPLE, inputs)
    url = f"file://{remote}"
    assert run(inputs, out, "--publish", url, "--batch-size", "1")[0] == 0
    first = published_files(remote)
    changed = sorted(inputs.glob("*.txt"))[0]
    changed.write_text("本报讯 全区新开工项目12个，总投资30亿元。\n", encoding="utf-8")
    code, output = run(inputs, out, "--publish", url, "--batch-size", "1")
    assert code == 0, output
    second = published_files(remote)
    assert set(second) == set(local_files(out))  # the changed input's old parts are gone remotely too
    kept = {p for p in first if p in second and first[p] == second[p]}
    assert any(p.startswith("figures/") for p in kept)  # the other inputs' parts were not sent again
    assert second["documents/part-0.parquet"] == (out / "documents" / "part-0.parquet").read_bytes()
    remote_figures = pd.read_parquet(remote / "figures")
    assert 3e9 in set(remote_figures["value"]) and len(remote_figures) == len(pd.read_parquet(out / "figures"))


def test_a_failed_publish_exits_6_and_the_next_run_finishes_it(tmp_path, monkeypatch):
    out, remote = tmp_path / "out", tmp_path / "remote"
    url = f"file://{remote}"
    real_put = fsspec.implementations.local.LocalFileSystem.put_file
    sent = []

    def flaky_put(self, lpath, rpath, **kwargs):
        if len(sent) == 3:
            raise ConnectionError("network down")
        sent.append(rpath)
        return real_put(self, lpath, rpath, **kwargs)

    monkeypatch.setattr(fsspec.implementations.local.LocalFileSystem, "put_file", flaky_put)
    code, output = run(SAMPLE, out, "--publish", url)
    assert code == 6, output
    assert "could not publish" in output and "network down" in output
    assert (out / "documents" / "part-0.parquet").is_file()  # the local output is whole
    monkeypatch.setattr(fsspec.implementations.local.LocalFileSystem, "put_file", real_put)
    done = publish(out, url)  # what the next run does after its own work
    assert len(done) == len(local_files(out)) - 3  # the three sent before the failure are not sent again
    assert set(published_files(remote)) == set(local_files(out))


def test_publishing_elsewhere_starts_over(tmp_path):
    out = tmp_path / "out"
    assert run(SAMPLE, out)[0] == 0
    first = publish(out, "memory://first")
    assert publish(out, "memory://first") == []
    assert len(publish(out, "memory://second")) == len(first)
    fsspec.filesystem("memory").rm("/first", recursive=True)
    fsspec.filesystem("memory").rm("/second", recursive=True)


def test_publish_command_and_output_url_refused(tmp_path):
    out, remote = tmp_path / "out", tmp_path / "remote"
    assert run(SAMPLE, out)[0] == 0
    result = CliRunner().invoke(main, ["publish", str(out), str(remote)])
    assert result.exit_code == 0, result.output
    assert set(published_files(remote)) == set(local_files(out))
    result = CliRunner().invoke(main, ["run", str(SAMPLE), "-o", "s3://bucket/out"])
    assert result.exit_code == 2 and "--publish" in result.output


def test_publish_command_needs_an_output_folder(tmp_path):
    result = CliRunner().invoke(main, ["publish", str(tmp_path / "missing"), "memory://x"])
    assert result.exit_code == 2
