"""The suite files: where the bundled ones live, how a folder of them is read, and the
check a run makes of them before it does any work.

The bundled suites are ``expectations/`` of the repository, shipped in the wheel as the
package ``etl.expectations``; they are read through `importlib.resources`, so a folder
given with ``--expectations`` (a `Path`) and the bundled one (a `Traversable`) are read
the same way. Light on purpose (no pandas, no Great Expectations): a run that changed
nothing fingerprints the suites with it.
"""
from __future__ import annotations

import json
from importlib.resources import files
from importlib.resources.abc import Traversable

#: The bundled suites (``expectations/`` of the repository).
SUITES_DIR: Traversable = files("etl.expectations")


class SuiteError(ValueError):
    """A suite file that GX rejects or would silently shorten."""


def suite_files(suites_dir: Traversable) -> list[Traversable]:
    """The ``*.json`` files of a suites folder, in name order (hidden names skipped)."""
    return sorted((p for p in suites_dir.iterdir()
                   if p.name.endswith(".json") and not p.name.startswith(".") and p.is_file()),
                  key=lambda p: p.name)


def read_suite_files(suites_dir: Traversable = SUITES_DIR) -> dict[str, dict]:
    """Every `<name>.json` in suites_dir, by name, in name order."""
    found = suite_files(suites_dir)
    if not found:
        raise SuiteError(f"no suite files in {suites_dir}")
    return {p.name.removesuffix(".json"): json.loads(p.read_text(encoding="utf-8")) for p in found}


def check_suite_files(suites_dir: Traversable) -> dict[str, dict]:
    """Read every suite file and check its shape; raise SuiteError naming the file and the problem.

    What is checked here is what can be checked without Great Expectations (a run calls
    this before any work): JSON syntax, a list of expectations, each a ``type`` with
    ``kwargs``. Whether GX knows the types and their arguments is `etl.quality.validate.load_suite`.
    """
    found = suite_files(suites_dir)
    if not found:
        raise SuiteError(f"{suites_dir}: no suite files (*.json)")
    suites = {}
    for path in found:
        where = str(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise SuiteError(f"{where}: not valid JSON: {exc}") from None
        problem = _shape_problem(data)
        if problem:
            raise SuiteError(f"{where}: {problem}")
        suites[path.name.removesuffix(".json")] = data
    return suites


def _shape_problem(data) -> str | None:
    if not isinstance(data, dict):
        return "a suite is a JSON object"
    expectations = data.get("expectations")
    if not isinstance(expectations, list) or not expectations:
        return "no \"expectations\" list (or an empty one)"
    for i, exp in enumerate(expectations):
        if not isinstance(exp, dict) or not isinstance(exp.get("type"), str):
            return f"expectation {i}: no \"type\" string"
        if not isinstance(exp.get("kwargs", {}), dict):
            return f"expectation {i} ({exp['type']}): \"kwargs\" is not an object"
    if not isinstance(data.get("meta", {}), dict):
        return "\"meta\" is not an object"
    return None
