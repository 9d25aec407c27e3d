"""Validate stage: check the figures and documents tables against the suites in expectations/.

The suites are reviewable JSON, one file per suite (`expectations/<name>.json`, written by
`suite_to_json`). Each suite's `meta` names the frame it checks (`table`), the columns that
identify an unexpected row in the report (`example_columns`) and the derived columns it uses.
`validate_tables` loads them into an ephemeral Great Expectations context, validates each
suite in batches of the columns its expectations read (`batch_plan`), and writes into `out_dir`:

- `results.json`: per suite and per expectation: success, counts and a few unexpected rows
  by their id, so a reviewer can trace a failure to the figure;
- `index.html`: a self-contained report (inline CSS, no script, no remote asset).

GX's own Data Docs are not built: every page pulls 13 assets from CDNs plus a logo from S3
and shows an empty run list without a network. Rendering the results ourselves needs no
setup step and no third-party files, and reads well with Chinese data.

Importing great_expectations costs ~3 s and ~280 MB, so it happens inside functions, once
per process (`_gx`), and importing `etl` stays light. A run starts it in a background thread
while its workers extract (`etl.outcome.import_gx_in_background`).
"""
from __future__ import annotations

import copy
import functools
import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

SUITES_DIR = Path(__file__).resolve().parent.parent / "expectations"
TEMPLATE = Path(__file__).resolve().parent / "templates" / "validation.html.j2"
N_EXAMPLES = 5  # unexpected rows kept per expectation: enough to trace, small on 100k rows
_GX_LOGGER = "great_expectations"


class SuiteError(ValueError):
    """A suite file that GX rejects or would silently shorten."""


@dataclass(frozen=True)
class SuiteSummary:
    name: str
    success: bool
    evaluated: int
    passed: int
    failed: int
    skipped: str = ""  # why the suite did not run, e.g. no documents table


@dataclass(frozen=True)
class ValidationSummary:
    """What the CLI prints; `success` decides the exit code under --strict."""

    suites: tuple[SuiteSummary, ...]
    results_path: Path
    index_path: Path

    @property
    def total(self) -> int:
        return sum(s.evaluated for s in self.suites)

    @property
    def passed(self) -> int:
        return sum(s.passed for s in self.suites)

    @property
    def failed(self) -> int:
        return sum(s.failed for s in self.suites)

    @property
    def success(self) -> bool:
        return all(s.success for s in self.suites)

    def __str__(self) -> str:
        head = "passed" if self.success else "FAILED"
        lines = [f"validation {head}: {self.passed}/{self.total} expectations passed, "
                 f"{self.failed} failed ({self.index_path})"]
        for s in self.suites:
            detail = (f"skipped: {s.skipped}" if s.skipped else
                      f"{s.passed}/{s.evaluated} passed, {s.failed} failed")
            lines.append(f"  {s.name:<22} {detail}")
        return "\n".join(lines)


# --- GX session ---------------------------------------------------------------------------

@functools.cache
def _gx():
    """Import GX once per process and quiet it (its INFO/WARNING lines are not ours to show)."""
    import great_expectations as gx

    logging.getLogger(_GX_LOGGER).setLevel(logging.ERROR)
    return gx


def _context(gx):
    """A fresh in-memory context: nothing persists, so runs never pile up results on disk."""
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,  # GX ships none today; this states the intent
        # TQDM_DISABLE does not stop GX's "Calculating Metrics" bars; this setting does.
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
    )
    return gx.get_context(project_config=config, mode="ephemeral")


# --- suites as reviewable JSON --------------------------------------------------------------

def read_suite_files(suites_dir: Path = SUITES_DIR) -> dict[str, dict]:
    """Every `<name>.json` in suites_dir, by name, in name order."""
    files = sorted(Path(suites_dir).glob("*.json"))
    if not files:
        raise SuiteError(f"no suite files in {suites_dir}")
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in files}


def load_suite(data: dict):
    """Build a GX suite from its JSON dict; raise SuiteError on anything GX rejects or drops.

    GX raises on a bad keyword but only logs and drops an expectation of an unknown type, so
    the count is compared after loading. Needs a context to exist (`_context`).
    """
    gx = _gx()
    name = data.get("name")
    suite_log = logging.getLogger(f"{_GX_LOGGER}.core.expectation_suite")
    level = suite_log.level
    suite_log.setLevel(logging.CRITICAL)  # the drop is reported by the SuiteError below
    try:
        suite = gx.ExpectationSuite(**copy.deepcopy(data))
    except Exception as exc:  # pydantic errors for unknown or ill-typed kwargs
        raise SuiteError(f"suite {name!r}: {exc}") from exc
    finally:
        suite_log.setLevel(level)
    wanted = [_check_name(e) for e in data.get("expectations", [])]
    kept = [e.meta.get("check") for e in suite.expectations]
    if len(kept) != len(wanted):
        lost = [w for w in wanted if w not in kept]
        raise SuiteError(f"suite {name!r}: GX dropped {len(wanted) - len(kept)} invalid "
                         f"expectation(s): {lost}")
    if None in kept or len(set(kept)) != len(kept):
        raise SuiteError(f"suite {name!r}: every expectation needs a unique meta.check name")
    return suite


def _check_name(raw: dict) -> str:
    return (raw.get("meta") or {}).get("check") or raw.get("type", "?")


def suite_to_json(suite) -> str:
    """The canonical file text of a suite: no ids, no GX version, sorted keys, real CJK."""
    data = suite.to_json_dict()
    data.pop("id", None)
    data.get("meta", {}).pop("great_expectations_version", None)
    for exp in data.get("expectations", []):
        exp.pop("id", None)
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


# --- frames ----------------------------------------------------------------------------------

def derive_frames(figures: pd.DataFrame, documents: pd.DataFrame | None) -> dict[str, pd.DataFrame]:
    """The frames the suites check, by the name in their `meta.table`.

    GX compares columns, not expressions, so length and offset arithmetic become derived
    columns. A derivation that fails on malformed input is left out: the expectation that
    needs it then fails on the missing column instead of the stage crashing.
    """
    derived = {
        "surface_len": lambda f: f["surface"].str.len(),
        "span_len": lambda f: f["char_end"] - f["char_start"],
        "figure_id_expected": lambda f: (f["doc_id"].str[:12] + ":" + f["char_start"].astype(str)
                                         + "-" + f["char_end"].astype(str)),
    }
    extra = {}
    for column, make in derived.items():
        try:
            extra[column] = make(figures)
        except (KeyError, AttributeError, TypeError, ValueError):
            pass
    frames = {"figures": figures.assign(**extra)}
    if documents is not None:
        frames["documents"] = documents
        if {"doc_id", "n_chars"} <= set(documents.columns) and {"doc_id", "char_end"} <= set(figures.columns):
            # Only ok documents have figures; a repeated doc_id is a status-duplicate input.
            ok = documents[documents["status"] == "ok"] if "status" in documents.columns else documents
            lengths = ok[["doc_id", "n_chars"]].drop_duplicates("doc_id")
            keep = [c for c in ("figure_id", "doc_id", "surface", "char_end") if c in figures.columns]
            frames["figures_in_documents"] = figures[keep].merge(lengths, on="doc_id", how="left")
    # A fresh RangeIndex: GX reports unexpected rows by index label, looked up in `_examples`.
    return {name: frame.reset_index(drop=True) for name, frame in frames.items()}


# --- results -------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    """JSON-safe copy: numpy scalars to Python, NaN to null."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _error_text(info: dict) -> str:
    """GX reports one exception directly, or several keyed by metric."""
    if not info:
        return ""
    if "raised_exception" in info:
        return (info.get("exception_message") or "?") if info["raised_exception"] else ""
    return "; ".join(v.get("exception_message") or "" for v in info.values() if isinstance(v, dict))


def expectation_record(result: dict, frame: pd.DataFrame, example_columns: list[str]) -> dict:
    """One expectation's result as results.json keeps it, unexpected rows named by example_columns.

    GX's own `unexpected_index_column_names` computes the index of every unexpected row (5 s
    per failing expectation on 90k rows); SUMMARY's first row labels and a lookup cost nothing.
    """
    config = result["expectation_config"]
    res = result.get("result") or {}
    kwargs = {k: v for k, v in config["kwargs"].items() if k != "batch_id"}
    record = {
        "check": _check_name(config),
        "type": config["type"],
        "description": config.get("description") or "",
        "kwargs": kwargs,
        "success": bool(result["success"]),
    }
    if "observed_value" in res:
        record["observed_value"] = res["observed_value"]
    if "unexpected_count" in res:
        record["element_count"] = res.get("element_count")
        record["unexpected_count"] = res["unexpected_count"]
        record["unexpected_examples"] = _examples(frame, res.get("partial_unexpected_index_list") or [],
                                                  [*example_columns, *_columns(kwargs)])
    error = _error_text(result.get("exception_info") or {})
    if error:
        record["error"] = error
    return _plain(record)


def _columns(kwargs: dict) -> list[str]:
    """The columns an expectation looks at, in its own order."""
    single = [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs]
    return single + list(kwargs.get("column_list") or [])


def _condition_columns(condition: Any) -> list[str] | None:
    """The columns a row_condition reads; None when unknown (a pandas query string)."""
    if not condition:
        return []
    if not isinstance(condition, dict):
        return None
    kind = condition.get("type")
    if kind in ("and", "or"):
        parts = [_condition_columns(c) for c in condition.get("conditions") or []]
        return None if None in parts else [c for part in parts for c in part]
    name = (condition.get("column") or {}).get("name") if kind in ("comparison", "nullity") else None
    return [name] if name else None


def expectation_columns(raw: dict) -> list[str] | None:
    """The columns GX reads to evaluate one expectation of a suite file; None: every column.

    A column, column-pair or multicolumn expectation reads the columns of its kwargs and of
    its row_condition. A table expectation (column set, count or position, row count) reads
    the whole table, and so does a condition GX cannot read either (a pandas query string).
    The domain is GX's own for the type, so a new expectation type needs no list here.
    """
    from great_expectations.core.metric_domain_types import MetricDomainTypes
    from great_expectations.expectations.registry import get_expectation_impl

    if get_expectation_impl(raw["type"]).domain_type == MetricDomainTypes.TABLE:
        return None
    kwargs = raw.get("kwargs") or {}
    condition = _condition_columns(kwargs.get("row_condition"))
    return None if condition is None else list(dict.fromkeys([*_columns(kwargs), *condition]))


def batch_plan(expectations: list[dict]) -> list[tuple[list[str] | None, list[dict]]]:
    """A suite's expectations split into GX batches: (its frame's columns, None for every
    column; the expectations validated on it), each expectation in exactly one.

    GX filters the whole batch frame again for every metric of an expectation with a
    row_condition (five or so each), copying every column, the long sentences included. So
    each set of columns read by conditioned expectations gets a batch of just those columns.
    The other expectations only select their column from the frame and share one batch: of
    the columns they read, or every column when one is a table expectation. A batch costs GX
    a fingerprint of its frame and ~20 ms of set-up, so one per expectation would not pay.
    """
    shared: list[tuple[dict, list[str] | None]] = []
    conditioned: dict[tuple[str, ...], list[dict]] = {}
    for raw in expectations:
        columns = expectation_columns(raw)
        if columns is not None and (raw.get("kwargs") or {}).get("row_condition"):
            conditioned.setdefault(tuple(sorted(columns)), []).append(raw)
        else:
            shared.append((raw, columns))
    plan: list[tuple[list[str] | None, list[dict]]] = []
    if shared:
        reads = [columns for _, columns in shared]
        union = None if None in reads else list(dict.fromkeys(c for columns in reads for c in columns))
        plan.append((union, [raw for raw, _ in shared]))
    return plan + [(list(columns), group) for columns, group in conditioned.items()]


def _examples(frame: pd.DataFrame, labels: list, columns: list) -> list[dict]:
    """The first unexpected rows with their id and the columns that failed."""
    labels = [x for x in labels[:N_EXAMPLES] if not isinstance(x, dict) and x in frame.index]
    keep = list(dict.fromkeys(c for c in columns if c in frame.columns))
    return frame.loc[labels, keep].to_dict("records") if labels and keep else []


def suite_record(name: str, table: str, frame: pd.DataFrame, results: list[dict],
                 order: list[str], example_columns: list[str]) -> dict:
    """A suite's block of results.json, expectations in file order (GX groups them by column)."""
    records = sorted((expectation_record(r, frame, example_columns) for r in results),
                     key=lambda r: order.index(r["check"]) if r["check"] in order else len(order))
    failed = sum(not r["success"] for r in records)
    return {"name": name, "table": table, "rows": len(frame), "skipped": "",
            "success": failed == 0, "evaluated": len(records),
            "passed": len(records) - failed, "failed": failed, "expectations": records}


def render_html(report: dict) -> str:
    """The offline report page: one section per suite, failures first within each."""
    import jinja2

    env = jinja2.Environment(autoescape=True, keep_trailing_newline=True)
    env.filters["condition"] = _condition_text
    env.filters["tojson_cjk"] = lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True, default=str)
    return env.from_string(TEMPLATE.read_text(encoding="utf-8")).render(report=report)


def _condition_text(cond: dict | str | None) -> str:
    """A row_condition as a reviewer reads it: `kind IN [money, investment]`."""
    if not cond or isinstance(cond, str):
        return cond or ""
    kind = cond.get("type")
    if kind in ("and", "or"):
        return f" {kind.upper()} ".join(_condition_text(c) for c in cond["conditions"])
    column = cond.get("column", {}).get("name", "?")
    if kind == "nullity":
        return f"{column} IS {'NULL' if cond['is_null'] else 'NOT NULL'}"
    param = cond.get("parameter")
    shown = f"[{', '.join(map(str, param))}]" if isinstance(param, list) else str(param)
    return f"{column} {cond.get('operator')} {shown}"


# --- the stage -------------------------------------------------------------------------------

def validate_tables(figures: pd.DataFrame, documents: pd.DataFrame | None, out_dir: Path,
                    suites_dir: Path = SUITES_DIR) -> ValidationSummary:
    """Validate the tables against every suite in suites_dir; write results.json and index.html.

    A suite whose table is absent (no documents table given) is reported as skipped, not
    failed. Raises SuiteError if a suite file does not load whole.
    """
    gx = _gx()
    context = _context(gx)
    frames = derive_frames(figures, documents)
    report_suites = []
    for name, data in read_suite_files(suites_dir).items():
        load_suite(data)  # the whole file first: GX's drops are counted per suite, not per batch
        meta = data.get("meta") or {}
        table = meta.get("table", name)
        frame = frames.get(table)
        if frame is None:
            report_suites.append({"name": name, "table": table, "rows": 0, "success": True,
                                  "skipped": f"no {table} table", "evaluated": 0, "passed": 0,
                                  "failed": 0, "expectations": []})
            continue
        batches = (context.data_sources.add_pandas(f"etl_{name}")
                   .add_dataframe_asset(name)
                   .add_batch_definition_whole_dataframe(name))
        result_format = {"result_format": "SUMMARY", "partial_unexpected_count": N_EXAMPLES}
        results = []
        for i, (columns, group) in enumerate(batch_plan(data["expectations"])):
            # A column absent from the frame stays absent: its expectations fail as on the whole frame.
            part = frame if columns is None else frame[[c for c in columns if c in frame.columns]]
            # A validation definition loads the batch once (Batch.validate loads it again), and
            # GX fingerprints the whole frame on every load: a hash of every value.
            suite = context.suites.add(load_suite({**data, "name": f"{name}-{i}", "expectations": group}))
            run = context.validation_definitions.add(gx.ValidationDefinition(name=suite.name, data=batches,
                                                                            suite=suite))
            results += run.run(batch_parameters={"dataframe": part},
                               result_format=result_format).to_json_dict()["results"]
        order = [_check_name(e) for e in data["expectations"]]
        report_suites.append(suite_record(name, table, frame, results, order,
                                          meta.get("example_columns", [])))

    report = {
        "success": all(s["success"] for s in report_suites),
        "evaluated": sum(s["evaluated"] for s in report_suites),
        "passed": sum(s["passed"] for s in report_suites),
        "failed": sum(s["failed"] for s in report_suites),
        "great_expectations_version": gx.__version__,
        "suites": report_suites,
    }
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    results_path, index_path = out_dir / "results.json", out_dir / "index.html"
    # default=str: a timestamp or pd.NA in an example row must not lose the whole report
    results_path.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n",
                            encoding="utf-8")
    index_path.write_text(render_html(report), encoding="utf-8")
    return ValidationSummary(
        suites=tuple(SuiteSummary(s["name"], s["success"], s["evaluated"], s["passed"],
                                  s["failed"], s["skipped"]) for s in report_suites),
        results_path=results_path,
        index_path=index_path,
    )
