"""The wheel is self-contained (issue 15): built, installed alone into a fresh venv, its
`figure-etl run` works from another folder and writes the tables the repository's run writes.

"Alone": the fresh venv sees the wheel and, through a .pth file, the project venv's
site-packages for the dependencies; but not the repository (the project's own editable
install is a .pth hook that a path added by a .pth does not run, and the run's working
folder is elsewhere). The test checks that `etl` comes from the fresh venv.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
from pathlib import Path

import pandas as pd
import pytest

from conftest import SAMPLE

ROOT = Path(__file__).resolve().parent.parent
#: Columns that differ between two runs of the same inputs (when and where they ran).
RUN_COLUMNS = {"processed_at", "path"}


def test_pyproject_lists_every_package_of_etl():
    """The package list is explicit (two of its packages are mapped from the repository's
    top); a wing added under etl/ without being listed would be missing from the wheel."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "etl").rglob("__init__.py")}
    assert on_disk | {"etl.schemas", "etl.expectations"} == listed


def test_dependencies_cover_every_third_party_import():
    """`fsspec` was imported but not declared; every top-level import of etl/ that is not
    the standard library must be a dependency (or an optional one)."""
    import ast
    import re

    meta = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    declared = {re.split(r"[<>=\[ ]", d)[0].lower().replace("-", "_")
                for d in [*meta["dependencies"], *meta["optional-dependencies"]["dask"]]}
    declared |= {"great_expectations", "charset_normalizer", "distributed"}  # import names of the above
    imported = set()
    for path in (ROOT / "etl").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in sys.stdlib_module_names and m not in {"etl", "__future__"}}
    assert third_party <= declared, third_party - declared


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory):
    """A fresh venv with only the freshly built wheel installed (deps seen through a .pth)."""
    base = tmp_path_factory.mktemp("wheel")
    build = base / "src"
    # A copy without the build's leftovers: setuptools writes build/ and *.egg-info beside it.
    shutil.copytree(ROOT, build, ignore=shutil.ignore_patterns(".venv", ".git", "output", "build", "*.egg-info",
                                                                "__pycache__", ".pytest_cache"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                    "-q", "-w", str(base / "dist"), str(build)], check=True, capture_output=True, text=True)
    wheel = next((base / "dist").glob("figure_etl-*.whl"))
    env_dir = base / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          check=True, capture_output=True, text=True).stdout.strip()
    (Path(site) / "project-deps.pth").write_text(sysconfig.get_path("purelib") + "\n", "utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
                    "-q", str(wheel)], check=True, capture_output=True, text=True)
    return env_dir, wheel


def test_wheel_ships_schemas_suites_and_data(wheel_venv):
    import zipfile

    _, wheel = wheel_venv
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, suffix in (("schemas", ".json"), ("expectations", ".json")):
        for path in (ROOT / folder).glob(f"*{suffix}"):
            assert f"etl/{folder}/{path.name}" in names
    assert "etl/data/inputs.toml" in names and "etl/templates/report.html.j2" in names


def test_wheel_alone_runs_from_another_folder_with_the_repository_tables(wheel_venv, tmp_path):
    env_dir, _ = wheel_venv
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = subprocess.run([str(env_dir / "bin" / "python"), "-c", "import etl; print(etl.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(env_dir)), where  # the wheel's etl, not the repository's

    # Both runs at once (each mostly waits on its own Great Expectations import).
    wheel_run = subprocess.Popen([str(env_dir / "bin" / "figure-etl"), "run", str(SAMPLE), "-o", "out", "-j", "1"],
                                 cwd=elsewhere, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    repo_run = subprocess.Popen([str(Path(sys.executable).parent / "figure-etl"), "run", str(SAMPLE),
                                 "-o", str(tmp_path / "repo"), "-j", "1"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for proc in (wheel_run, repo_run):
        _, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr
    for table, key in (("figures", "figure_id"), ("articles", "article_id"), ("documents", "doc_id"),
                       ("checks", "check_id")):
        ours, theirs = (pd.read_parquet(d / table).drop(columns=list(RUN_COLUMNS), errors="ignore")
                        .sort_values(key).reset_index(drop=True) for d in (elsewhere / "out", tmp_path / "repo"))
        pd.testing.assert_frame_equal(ours, theirs)
    assert (elsewhere / "out" / "validation" / "index.html").is_file()
