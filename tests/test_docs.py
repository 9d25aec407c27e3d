"""The README stays true: its column tables are the schemas, its sections name the CLI.

Regenerate the tables with `python tests/test_docs.py TABLE`.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SCHEMAS = sorted((ROOT / "schemas").glob("*.json"))


def column_table(schema_path: Path) -> str:
    """The Markdown table of a schema's columns, as the README shows it."""
    spec = json.loads(schema_path.read_text("utf-8"))
    rows = ["| column | type | description |", "|---|---|---|"]
    for f in spec["fields"]:
        kind = f["type"] + ("" if f["nullable"] else ", not null")
        rows.append(f"| `{f['name']}` | {kind} | {f['description']} |")
    return "\n".join(rows)


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda p: p.stem)
def test_readme_documents_every_table_as_its_schema_says(schema):
    assert column_table(schema) in README.read_text("utf-8"), (
        f"README's table for {schema.stem} differs from schemas/{schema.name}; "
        f"regenerate it with: python tests/test_docs.py {schema.stem}")


def test_readme_shows_every_command_and_run_option():
    from click.testing import CliRunner

    from etl.cli import main

    readme = README.read_text("utf-8")
    for command in main.commands:
        assert f"figure-etl {command}" in readme
    for param in main.commands["run"].params:
        for opt in (*param.opts, *param.secondary_opts):
            if opt.startswith("--") and opt != "--help":
                assert opt in readme, f"run option {opt} is not in the README"
    assert CliRunner().invoke(main, ["--help"]).exit_code == 0


if __name__ == "__main__":
    print(column_table(ROOT / "schemas" / f"{sys.argv[1]}.json"))
