"""figure-etl's validation as Great Expectations users know it: the suites run in plain GX on
the Parquet tables, the results load back into GX, and GX's Data Docs work offline."""
from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pandas as pd
import pytest

from etl.quality import gxdocs
ROOT = Path(__file__).resolve().parent.parent
SUITES = sorted((ROOT / "expectations").glob("*.json"))  # the repository's suites, as shipped


@pytest.fixture(scope="module")
def gx():
    import great_expectations

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    return great_expectations


def plain_gx_validation(gx, suite: dict, frame: pd.DataFrame):
    """The suite file validated on `frame` as a GX user would: a fresh ephemeral context,
    the suite built from its JSON, a whole-dataframe batch. Nothing of figure-etl's."""
    context = gx.get_context(mode="ephemeral")
    suite = context.suites.add(gx.ExpectationSuite(**suite))
    batch = (context.data_sources.add_pandas("parquet").add_dataframe_asset(suite.name)
             .add_batch_definition_whole_dataframe(suite.name))
    definition = context.validation_definitions.add(gx.ValidationDefinition(name=suite.name, data=batch, suite=suite))
    return definition.run(batch_parameters={"dataframe": frame})


@pytest.mark.parametrize("path", SUITES, ids=lambda p: p.stem)
def test_each_suite_validates_the_parquet_in_plain_gx(gx, sample_output, path):
    """A suite on a table of the output passes in plain GX on the Parquet read with pandas; a
    suite that needs figure-etl's derived columns says so in its meta, names exactly the
    columns the Parquet lacks, and fails in plain GX on those alone."""
    suite = json.loads(path.read_text("utf-8"))
    meta = suite["meta"]
    tables = {p.name for p in sample_output.iterdir() if p.is_dir() and not p.name.startswith("_")}
    if "needs" not in meta:
        assert meta["table"] in tables and "derived_columns" not in meta, path.name
        frame = pd.read_parquet(sample_output / meta["table"])
        result = plain_gx_validation(gx, suite, frame)
        failed = [r.expectation_config.meta["check"] for r in result.results if not r.success]
        assert result.success and not failed, failed
        assert result.statistics["evaluated_expectations"] == len(suite["expectations"]) > 0
        return
    assert meta["needs"].startswith("figure-etl") and meta["table"] not in tables
    base = pd.read_parquet(sample_output / "figures")
    derived = set(meta["derived_columns"])
    assert derived.isdisjoint(base.columns)
    result = plain_gx_validation(gx, suite, base)
    for r in result.results:
        kwargs = r.expectation_config.kwargs
        reads = {kwargs.get(k) for k in ("column", "column_A", "column_B")} - {None}
        condition = kwargs.get("row_condition") or {}
        reads |= {condition["column"]["name"]} if isinstance(condition.get("column"), dict) else set()
        assert not r.success and reads & derived, r.expectation_config.meta["check"]


def test_validation_results_load_back_into_gx(gx, sample_output):
    from great_expectations.core.expectation_validation_result import ExpectationSuiteValidationResult

    validation = sample_output / "validation"
    summary = json.loads((validation / "results.json").read_text("utf-8"))
    assert sorted(summary["gx_results"]) == sorted(p.stem for p in SUITES)
    for suite in summary["suites"]:
        data = json.loads((validation / summary["gx_results"][suite["name"]]).read_text("utf-8"))
        result = gxdocs.load_result(data)
        assert isinstance(result, ExpectationSuiteValidationResult)
        assert result.suite_name == suite["name"] and result.success == suite["success"] is True
        assert result.statistics["evaluated_expectations"] == suite["evaluated"] == len(result.results)
        assert [r.expectation_config.meta["check"] for r in result.results] == [e["check"] for e in suite["expectations"]]
        assert result.meta["run_id"]["run_name"] == summary["run_id"]
        assert result.meta["batch_spec"] == {**result.meta["batch_spec"], "rows": suite["rows"],
                                             "scope": "the rows this run wrote"}
        assert result.to_json_dict()["results"] == data["results"]  # GX writes back what it read


def test_a_failed_expectation_reaches_gx_with_its_counts(gx, tmp_path):
    from test_validate import CASES, documents

    from etl.quality.validate import validate_tables

    figures = CASES["negative_value"][0]
    validate_tables(figures, documents(), tmp_path, run=gxdocs.RunInfo("r-1", scope="a test frame"))
    result = gxdocs.load_result(json.loads((tmp_path / "gx" / "figures.json").read_text("utf-8")))
    (failed,) = [r for r in result.results if not r.success]
    assert not result.success and failed.expectation_config.meta["check"] == "value_positive"
    # value_positive reads the rows its condition selects: areas, counts and percents (not pp)
    selected = figures["kind"].isin(["area", "count", "percent"]) & (figures["unit"] != "pp")
    assert failed.result["unexpected_count"] == 1 and failed.result["element_count"] == selected.sum()
    assert result.meta["run_id"]["run_name"] == "r-1"


def test_data_docs_are_offline_and_name_the_run(sample_output):
    docs = sample_output / "validation" / "docs"
    summary = json.loads((sample_output / "validation" / "results.json").read_text("utf-8"))
    pages = sorted(docs.rglob("*.html"))
    suites = [p.stem for p in SUITES]
    assert {p.stem for p in (docs / "expectations").glob("*.html")} == set(suites)
    assert {p.relative_to(docs).parts[1] for p in (docs / "validations").rglob("*.html")} == set(suites)
    reference = re.compile(r"""(?:src|href)\s*=\s*["']([^"'#]+)["']""", re.I)
    for page in [*pages, *(docs / "static" / "styles").glob("*.css")]:
        text = page.read_text("utf-8")
        assert not gxdocs.REMOTE_REFERENCE.search(text), page
        for target in reference.findall(text):  # every local reference resolves to a file
            assert (page.parent / target).resolve().is_file(), (page, target)
    for page in pages:
        text = page.read_text("utf-8")
        assert summary["run_id"] in text and "scope: the rows this run wrote" in text, page
    summary_page = (sample_output / "validation" / "index.html").read_text("utf-8")
    assert summary["run_id"] in summary_page and "scope: the rows this run wrote" in summary_page
    figures_page = next((docs / "validations" / "figures").rglob("*.html")).read_text("utf-8")
    assert "(71 rows of figures)" in figures_page and "Run Name" in figures_page


def test_vendored_assets_keep_their_licences_and_cover_every_url():
    assets, _ = gxdocs.asset_map()
    for local in assets.values():
        assert (gxdocs.ASSETS_DIR / local).is_file(), local
    packages = {re.match(r"(@[^/]+/[^/@]+|[^/@]+)@[^/]+", local).group(0) for local in assets.values()}
    for package in packages:
        licences = list((gxdocs.ASSETS_DIR / package).glob("LICENSE*"))
        assert licences, f"{package} has no licence file"


@pytest.mark.parametrize("text, want", [
    ('<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>',
     '<script src="../static/vendor/vega@5.33.1/build/vega.min.js"></script>'),
    ('<script src="https://cdn.jsdelivr.net/npm/vega-lite@5"></script>',
     '<script src="../static/vendor/vega-lite@5.23.0/build/vega-lite.min.js"></script>'),
    ("url('https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/full_logo_dark.png') 0",
     "url('../static/images/logo-long.png') 0"),
    ('<img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=20261207T1Z">',
     '<img src="../static/images/logo-long.png">'),
    ('<a class="x" href="https://greatexpectations.io">GX</a>', '<a class="x">GX</a>'),
    ('<link href="../../../static/images/favicon.ico"/>', '<link href="../static/images/favicon.ico"/>'),
], ids=["vega", "vega-lite-not-cut-by-vega", "css-logo", "logo-cache-buster", "anchor", "depth"])
def test_localise_rewrites_each_kind_of_link(text, want):
    out = gxdocs.localise(text, "../static")
    assert out == want and not gxdocs.REMOTE_REFERENCE.search(out)
