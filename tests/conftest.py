"""Shared helpers: table-driven cases live in YAML files beside the tests."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

# CI runs the property tests from a fixed seed and without a deadline, so a submission's
# result depends neither on the examples one run happened to draw nor on how loaded the
# machine is; runs on a developer's machine keep exploring.
settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

CASES = Path(__file__).parent / "cases"
GOLD = Path(__file__).parent / "gold"
SAMPLE = Path(__file__).resolve().parent.parent / "etl" / "sample"


def load_cases(name: str, known_failures: bool = True) -> list:
    """Cases from tests/cases/<name>.yaml as pytest params, grouped sections flattened.

    A case with an `xfail` key is a known failure: strict, so a fix is noticed.
    `known_failures=False` leaves those cases out (for tests of other properties).
    """
    data = yaml.safe_load((CASES / name).read_text("utf-8"))
    sections = data.items() if isinstance(data, dict) else [("", data)]
    params = []
    for section, cases in sections:
        for i, case in enumerate(cases):
            if case.get("xfail") and not known_failures:
                continue
            marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if case.get("xfail") else []
            params.append(pytest.param(case, id=f"{section}-{i}" if section else str(i), marks=marks))
    return params


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory) -> tuple:
    """`figure-etl run etl/sample` as a user types it (as `make run` does), made once: its output
    folder and click's result (test_cli reads the summary it printed). Read, never changed."""
    from click.testing import CliRunner

    from etl.cli import main

    out = tmp_path_factory.mktemp("sample-output") / "output"
    return out, CliRunner().invoke(main, ["run", str(SAMPLE), "--output", str(out)])


@pytest.fixture(scope="session")
def sample_output(sample_run) -> Path:
    """The output folder of `figure-etl run etl/sample`."""
    out, result = sample_run
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def final_clean(tmp_path_factory) -> Path:
    """A clean run over the final corpus the SIGKILL and SIGTERM tests converge to (made once:
    test_job and test_ops both compare with it)."""
    from click.testing import CliRunner

    from etl.cli import main
    from test_job import make_kill_corpus

    base = tmp_path_factory.mktemp("final")
    make_kill_corpus(base / "in", final=True)
    result = CliRunner().invoke(main, ["run", str(base / "in"), "-o", str(base / "out"), "--no-validate"])
    assert result.exit_code == 0, result.output
    return base / "out"
