"""The validation in Great Expectations' own formats: a result file per suite and Data Docs.

Next to figure-etl's summary (`results.json`, `index.html`), `validate_tables` writes

- `gx/<suite>.json`: the suite's `ExpectationSuiteValidationResult` as GX serialises it
  (`to_json_dict`); `load_result` (GX's own schema) reads it back into the GX object, so
  a team's GX tooling (checkpoints' actions, notebooks, its own Data Docs) can take it in;
- `docs/`: GX's Data Docs site for those results and the suites, built by GX's own site
  builder, with every CDN asset its pages load served from copies shipped in the package
  (`etl/assets/gx/`, the npm packages' files and licences; URL to file in
  `etl/data/datadocs.toml`), so the pages work offline.

Every page names the run (id and time) and the scope of rows validated: GX's pages in their
own Info and Batch Spec blocks, and a line figure-etl adds at the top of each page.
"""
from __future__ import annotations

import copy
import functools
import html
import json
import os
import re
import shutil
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets" / "gx"
ASSET_MAP_FILE = Path(__file__).resolve().parent.parent / "data" / "datadocs.toml"
VENDOR_DIR = Path("static") / "vendor"  # in the site, beside GX's own static/ files
RESULTS_DIR, DOCS_DIR = "gx", "docs"  # under the validation folder

# A reference that makes a browser fetch from elsewhere: a src/href or CSS url()/@import of an
# absolute or protocol-relative URL. (An SVG xmlns is a name, not a fetch.)
REMOTE_REFERENCE = re.compile(
    r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import\s+["']?(?:url\()?\s*["']?(?:https?:)?//""",
    re.I)
_REMOTE_ANCHOR = re.compile(r"""<a\b([^>]*?)\shref\s*=\s*["'](?:https?:)?//[^"']*["']""", re.I)


@dataclass(frozen=True)
class RunInfo:
    """Which run validated, when, and what rows (`scope`, e.g. "rows written by this run")."""

    run_id: str = ""
    run_time: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    scope: str = "the tables given"

    @property
    def name(self) -> str:
        return self.run_id or "validate-" + self.run_time.strftime("%Y%m%dT%H%M%S.%fZ")


# --- GX's validation result format --------------------------------------------------------------

def suite_result(gx_version: str, suite: str, table: str, num_rows: int, results: list[dict],
                 run: RunInfo) -> dict:
    """A suite's results (GX's ExpectationValidationResult dicts, merged over chunks) as
    GX's ExpectationSuiteValidationResult dict: statistics, run id and time, and the rows
    validated as the batch spec."""
    passed = sum(bool(r["success"]) for r in results)
    time = run.run_time.isoformat()
    return {
        "success": passed == len(results),
        "results": results,
        "suite_name": suite,
        "suite_parameters": {},
        "statistics": {"evaluated_expectations": len(results), "successful_expectations": passed,
                       "unsuccessful_expectations": len(results) - passed,
                       "success_percent": 100.0 * passed / len(results) if results else None},
        "meta": {
            "great_expectations_version": gx_version,
            "run_id": {"run_name": run.name, "run_time": time},
            "validation_time": time,
            "batch_spec": {"data_asset_name": table, "scope": run.scope, "rows": num_rows,
                           "validated_by": "figure-etl, in chunks merged into whole-table results"},
        },
    }


def load_result(data: dict):
    """GX's ExpectationSuiteValidationResult from its JSON dict, by GX's own schema."""
    from great_expectations.core.expectation_validation_result import ExpectationSuiteValidationResultSchema

    return ExpectationSuiteValidationResultSchema().load(data)


def write_results(results: dict[str, dict], validation_dir: Path) -> dict[str, Path]:
    """`gx/<suite>.json` for each suite's result dict; files of suites no longer validated go."""
    out = Path(validation_dir) / RESULTS_DIR
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, data in results.items():
        paths[name] = out / f"{name}.json"
        text = json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
        _write_atomic(paths[name], text)
    for stale in set(out.glob("*.json")) - set(paths.values()):
        stale.unlink()
    return paths


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# --- Data Docs ----------------------------------------------------------------------------------

def build_data_docs(gx, suites: dict[str, dict], results: dict[str, dict], validation_dir: Path,
                    run: RunInfo) -> Path:
    """GX's Data Docs site of `results` (suite name: result dict) and `suites` (name: suite
    file dict) in `validation_dir/docs/`, offline; returns its index page.

    Built aside and swapped in, so the site holds this validation only (GX's site keeps
    every result its store holds; ours is a fresh in-memory one per build).
    """
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    final = Path(validation_dir) / DOCS_DIR
    building = final.with_name(f".{DOCS_DIR}.building")
    shutil.rmtree(building, ignore_errors=True)
    context = _docs_context(gx, building)
    run_id = RunIdentifier(run_name=run.name, run_time=run.run_time)
    for name, data in results.items():
        suite = context.suites.add(gx.ExpectationSuite(**copy.deepcopy(suites[name])))
        key = ValidationResultIdentifier(ExpectationSuiteIdentifier(name=suite.name), run_id,
                                         batch_identifier=data["meta"]["batch_spec"]["data_asset_name"])
        context.validation_results_store.set(key, load_result(data))
    context.build_data_docs()
    rows = {name: "{rows} rows of {data_asset_name}".format(**data["meta"]["batch_spec"])
            for name, data in results.items()}
    make_offline(building, run, rows)
    old = final.with_name(f".{DOCS_DIR}.old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    building.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    return final / "index.html"


def _docs_context(gx, site_dir: Path):
    """An in-memory context whose one Data Docs site is the folder `site_dir`."""
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    site = {"class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(Path(site_dir).resolve())},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"}}
    config = DataContextConfig(store_backend_defaults=InMemoryStoreBackendDefaults(), analytics_enabled=False,
                               progress_bars=ProgressBarsConfig(globally=False), data_docs_sites={"local": site})
    return gx.get_context(project_config=config, mode="ephemeral")


@functools.cache
def asset_map() -> tuple[dict[str, str], dict[str, str]]:
    """(remote asset URL: file under etl/assets/gx/, remote image URL: GX static image name)."""
    data = tomllib.loads(ASSET_MAP_FILE.read_text(encoding="utf-8"))
    return data["assets"], data["images"]


def make_offline(site_dir: Path, run: RunInfo, rows: dict[str, str]) -> None:
    """Copy the vendored assets into the site and point every page and style sheet at them;
    drop the links of anchors to GX's web site; add the run line to every page, with the
    rows validated (`rows`, by suite) on a suite's pages."""
    site_dir = Path(site_dir)
    shutil.copytree(ASSETS_DIR, site_dir / VENDOR_DIR, dirs_exist_ok=True)
    for path in [*site_dir.rglob("*.html"), *(site_dir / "static" / "styles").glob("*.css")]:
        text = path.read_text(encoding="utf-8")
        text = localise(text, os.path.relpath(site_dir / "static", path.parent).replace(os.sep, "/"))
        if path.suffix == ".html":
            parts = path.relative_to(site_dir).parts  # validations/<suite>/..., expectations/<suite>.html
            suite = parts[1] if parts[0] == "validations" else path.stem if parts[0] == "expectations" else ""
            text = _with_run_line(text, run, rows.get(suite, ""))
        path.write_text(text, encoding="utf-8")


def localise(text: str, static: str) -> str:
    """`text` with each remote asset URL replaced by its copy under `static` (the relative
    path from the file to the site's static/ folder) and remote anchors unlinked."""
    assets, images = asset_map()
    # Longest first: a URL that is a prefix of another (vega@5) must not cut it short.
    for url in sorted(assets, key=len, reverse=True):
        text = text.replace(url, f"{static}/vendor/{assets[url]}")
    for url, image in images.items():
        text = re.sub(re.escape(url) + r"(?:\?[^\"')\s]*)?", f"{static}/images/{image}", text)
    # GX counts a page's depth from the suite name's dots (one short on validation pages): the
    # path from this file to static/ is known here.
    text = re.sub(r"""(["'(])(?:\./|(?:\.\./)+)static/""", lambda m: f"{m.group(1)}{static}/", text)
    return _REMOTE_ANCHOR.sub(r"<a\1", text)


def _with_run_line(page: str, run: RunInfo, rows: str) -> str:
    scope = f"{run.scope} ({rows})" if rows else run.scope
    line = (f'<div class="alert alert-secondary m-0 py-1 px-3" id="figure-etl-run">figure-etl run '
            f'<code>{html.escape(run.name)}</code> at {html.escape(run.run_time.isoformat(timespec="seconds"))}'
            f' · scope: {html.escape(scope)}</div>')
    return re.sub(r"(<body\b[^>]*>)", lambda m: m.group(1) + "\n" + line, page, count=1)
