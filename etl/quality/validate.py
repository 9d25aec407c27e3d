"""Validate stage: check the figures and documents tables against the suites in expectations/.

The suites are reviewable JSON, one file per suite (`expectations/<name>.json`, written by
`suite_to_json`). Each suite's `meta` names the frame it checks (`table`), the columns that
identify an unexpected row in the report (`example_columns`) and the derived columns it uses.
`validate_tables` loads them into an ephemeral Great Expectations context, validates each
suite in batches of the columns its expectations read (`batch_plan`), fed to GX a chunk of
rows at a time and merged into the results of the whole table (`suite_results`, `feeding`),
and writes into `out_dir`:

- `results.json`: per suite and per expectation: success, counts and a few unexpected rows
  by their id, so a reviewer can trace a failure to the figure;
- `index.html`: a self-contained report (inline CSS, no script, no remote asset).

and, in GX's own formats (`etl.quality.gxdocs`): `gx/<suite>.json`, each suite's
ExpectationSuiteValidationResult, and `docs/`, GX's Data Docs of them, made to work offline.

Importing great_expectations costs ~3 s and ~280 MB, so it happens inside functions, once
per process (`_gx`), and importing `etl` stays light. A run starts it in a background thread
while its workers extract (`etl.job.outcome.import_gx_in_background`).
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

from ..figures.context import change_label_pattern
from ..tables.chunks import Derivation, DerivedRows, FrameRows, JoinedRows, Rows
from .gxdocs import RESULTS_DIR, RunInfo, build_data_docs, suite_result, write_results
from .suites import SUITES_DIR, SuiteError, read_suite_files  # noqa: F401 (the module's API)

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "validation.html.j2"
N_EXAMPLES = 5  # unexpected rows kept per expectation: enough to trace, small on 100k rows
_GX_LOGGER = "great_expectations"


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


def check_suites_load(suites: dict[str, dict], folder) -> None:
    """Load every suite of a folder in GX (`load_suite`); SuiteError names the file."""
    _context(_gx())
    for name, data in suites.items():
        try:
            load_suite(data)
        except SuiteError as exc:
            raise SuiteError(f"{folder}/{name}.json: {exc}") from None


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


# --- tables ----------------------------------------------------------------------------------

# GX compares columns, not expressions, so length and offset arithmetic become derived
# columns, computed in every chunk (they read only their own row).
DERIVED_COLUMNS: dict[str, Derivation] = {
    "surface_len": (("surface",), lambda f: f["surface"].str.len()),
    "span_len": (("char_start", "char_end"), lambda f: f["char_end"] - f["char_start"]),
    "figure_id_expected": (("doc_id", "char_start", "char_end"),
                           lambda f: (f["doc_id"].str[:12] + ":" + f["char_start"].astype(str)
                                      + "-" + f["char_end"].astype(str))),
    # Whether the metric ends in a relation word (增长, 下降, 比重): such a figure is no level.
    "metric_names_change": (("metric",),
                            lambda f: f["metric"].astype(str).str.contains(change_label_pattern(), regex=True)),
}


def as_rows(table: pd.DataFrame | Rows) -> Rows:
    return table if isinstance(table, Rows) else FrameRows(table)


def derive_rows(figures: Rows, documents: Rows | None) -> dict[str, Rows]:
    """The tables the suites check, by the name in their `meta.table`: figures and documents
    as written (what plain GX reads from the Parquet), figures_derived (figures with their
    derived columns) and figures_in_documents (each figure with the n_chars of its
    document). None of them is read here but the documents' ok doc_id and n_chars."""
    tables: dict[str, Rows] = {"figures": figures, "figures_derived": DerivedRows(figures, DERIVED_COLUMNS)}
    if documents is not None:
        tables["documents"] = documents
        if {"doc_id", "n_chars"} <= set(documents.names) and {"doc_id", "char_end"} <= set(figures.names):
            # Only ok documents have figures; a repeated doc_id is a status-duplicate input.
            docs = documents.whole(["doc_id", "n_chars", "status"])
            ok = docs[docs["status"] == "ok"] if "status" in docs.columns else docs
            lengths = ok[["doc_id", "n_chars"]].drop_duplicates("doc_id")
            keep = [c for c in ("figure_id", "doc_id", "surface", "char_end") if c in figures.names]
            tables["figures_in_documents"] = JoinedRows(figures, keep, lengths, on="doc_id")
    return tables


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


def suite_record(name: str, table: str, num_rows: int, results: list[dict], order: list[str],
                 example_columns: list[str], examples: pd.DataFrame) -> dict:
    """A suite's block of results.json, expectations in file order (GX groups them by column).

    `examples` holds the unexpected rows the results name, indexed by position (`example_rows`).
    """
    records = sorted((expectation_record(r, examples, example_columns) for r in results),
                     key=lambda r: order.index(r["check"]) if r["check"] in order else len(order))
    failed = sum(not r["success"] for r in records)
    return {"name": name, "table": table, "rows": num_rows, "skipped": "",
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


# --- feeding GX a bounded number of rows --------------------------------------------------------

# A chunk holds at most CHUNK_BYTES of the columns it reads (as Parquet counts them
# uncompressed; pandas takes about as much), and at most CHUNK_ROWS rows. GX's cost is mostly
# per run and expectation (~25 ms each, whatever the rows), so chunks should be large: at
# 64 MB a chunk of every figures column is ~120k rows, one of two narrow columns the whole
# run. Validating 338k figures: 32 MB took 10-11 s CPU and 556 MiB, 64 MB 7.5-9 s and 656 MiB.
CHUNK_BYTES = 64 * 2**20
CHUNK_ROWS = 10_000_000
FEEDING_FILE = Path(__file__).resolve().parent.parent / "data" / "validation.toml"
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": N_EXAMPLES}


@functools.cache
def _feeding_table() -> dict[str, str]:
    import tomllib

    data = tomllib.loads(FEEDING_FILE.read_text(encoding="utf-8"))
    return {kind: how for how in ("rows", "schema", "dtype") for kind in data.get(how, [])}


def feeding(raw: dict) -> str:
    """How an expectation of a suite file is fed to GX: `rows` (chunk by chunk, results
    merged), `schema` (once, on rows with the whole table's dtypes), `dtype` (as schema,
    unless its column is of object dtype) or `whole` (once, every row of the columns it reads).

    The types of each are data, with the reasons: `etl/data/validation.toml`. Unlisted types
    are `whole`, the exact choice for any expectation whatever its statistics.
    """
    return _feeding_table().get(raw["type"], "whole")


class _Session:
    """One suite's GX objects: a batch definition for in-memory frames, and a validation
    definition per group of expectations, made once and run on every chunk.

    A validation definition loads its batch once (Batch.validate loads it again), and GX
    fingerprints the whole frame on every load: a hash of every value.
    """

    def __init__(self, gx, context, name: str, data: dict):
        self.gx, self.context, self.name, self.data = gx, context, name, data
        self.batches = (context.data_sources.add_pandas(f"etl_{name}")
                        .add_dataframe_asset(name)
                        .add_batch_definition_whole_dataframe(name))
        self.expectations: dict[str, Any] = {}  # check -> GX expectation, for its `mostly`
        self.made = 0

    def definition(self, group: list[dict]):
        suite = self.context.suites.add(load_suite({**self.data, "name": f"{self.name}-{self.made}",
                                                    "expectations": group}))
        self.made += 1
        self.expectations.update((e.meta["check"], e) for e in suite.expectations)
        return self.context.validation_definitions.add(
            self.gx.ValidationDefinition(name=suite.name, data=self.batches, suite=suite))

    @staticmethod
    def run(definition, frame: pd.DataFrame) -> list:
        """GX's ExpectationValidationResults, as GX made them (tuples of a column pair's
        values still tuples: `_format_map_output` counts them)."""
        return definition.run(batch_parameters={"dataframe": frame}, result_format=RESULT_FORMAT).results

    def validate(self, group: list[dict], frame: pd.DataFrame) -> list[dict]:
        return [r.to_json_dict() for r in self.run(self.definition(group), frame)] if group else []


class _Dtypes:
    """A few rows whose concatenation has the dtypes of the whole table: the first row of
    each chunk whose dtypes are new. pandas concatenates an int64 chunk and a float64 one
    (an int column with nulls) into float64, as the whole table converted at once would be."""

    def __init__(self):
        self.rows: list[pd.DataFrame] = []
        self.seen: set[tuple[str, ...]] = set()
        self.empty: pd.DataFrame | None = None

    def add(self, chunk: pd.DataFrame) -> None:
        # Takes, not slices (nor copies of slices, which pandas does not deepen for Arrow-backed
        # text): a slice keeps the buffers of the whole chunk alive to the end of the validation.
        if self.empty is None:
            self.empty = chunk.iloc[[]]
        key = tuple(map(str, chunk.dtypes))
        if len(chunk) and key not in self.seen:
            self.seen.add(key)
            self.rows.append(chunk.iloc[[0]])

    def frame(self) -> pd.DataFrame:
        return pd.concat(self.rows) if self.rows else self.empty


class _MapResult:
    """A row-decomposable expectation's chunk results, merged into the result GX gives on the
    whole table: counts summed, the first unexpected rows in row order (each chunk reports
    its first N, so the table's first N are among them), success and percentages from the
    sums by GX's own `_mostly_success` and `_format_map_output`. A chunk that raised (a
    column missing) raises on the whole table too: its result is kept as it is."""

    def __init__(self):
        self.first: dict | None = None
        self.failed: dict | None = None
        self.element = self.missing = self.unexpected = 0
        self.has_missing = self.has_unexpected = self.has_values = self.has_index = False
        self.values: list = []
        self.index: list = []

    def add(self, result) -> None:
        """One chunk's ExpectationValidationResult."""
        self.first = self.first or result
        if _error_text(result.exception_info or {}):
            self.failed = self.failed or result
            return
        res = result.result or {}
        self.element += res.get("element_count") or 0
        if "missing_count" in res:
            self.has_missing = True
            self.missing += res["missing_count"] or 0
        if res.get("unexpected_count") is not None:
            self.has_unexpected = True
            self.unexpected += res["unexpected_count"]
        if "partial_unexpected_list" in res:
            self.has_values = True
            self.values += res["partial_unexpected_list"][:N_EXAMPLES - len(self.values)]
        if "partial_unexpected_index_list" in res:
            self.has_index = True
            self.index += res["partial_unexpected_index_list"][:N_EXAMPLES - len(self.index)]

    def result(self, expectation) -> dict:
        """The merged result, serialised by GX as a whole-table result is."""
        if self.failed is not None:
            return self.failed.to_json_dict()
        from great_expectations.expectations.expectation import _format_map_output, _mostly_success
        from great_expectations.expectations.expectation_configuration import parse_result_format

        nonnull = self.element - self.missing if self.has_missing else None
        considered = self.element if nonnull is None else nonnull
        if not self.has_unexpected or self.element == 0 or considered == 0:
            success = True  # vacuously, as GX decides for an empty domain
        else:
            success = _mostly_success(considered, self.unexpected, expectation._get_success_kwarg("mostly"))
        merged = _format_map_output(
            result_format=parse_result_format(RESULT_FORMAT), success=success,
            element_count=self.element, nonnull_count=nonnull,
            unexpected_count=self.unexpected if self.has_unexpected else None,
            unexpected_list=self.values if self.has_values else None,
            unexpected_index_list=self.index if self.has_index else None)
        whole = copy.copy(self.first)
        whole.success, whole.result = merged["success"], merged.get("result", {})
        return whole.to_json_dict()


def _frame_columns(frame: pd.DataFrame, columns: list[str] | None) -> pd.DataFrame:
    # A column absent from the frame stays absent: its expectations fail as on the whole frame.
    return frame if columns is None else frame[[c for c in columns if c in frame.columns]]


def suite_results(session: _Session, expectations: list[dict], rows: Rows, chunk_rows: int = CHUNK_ROWS,
                  chunk_bytes: int = CHUNK_BYTES) -> tuple[list[dict], pd.DataFrame]:
    """GX's results for every expectation of a suite on `rows`, as a validation of the whole
    table gives them, holding a chunk at a time (`CHUNK_BYTES`, `CHUNK_ROWS`; plus `whole` inputs);
    and a frame of a few rows with the whole table's dtypes (`_Dtypes`).

    - `rows` expectations run on every chunk, in the batches of `batch_plan`, and merge
      (`_MapResult`);
    - `schema` and `dtype` expectations run once on the rows of `_Dtypes`;
    - `whole` expectations (uniqueness, table statistics, any type not known to decompose)
      run once on every row of just the columns they read: exact, and narrow for the
      bundled suites (figure_id; doc_id and offsets; path; doc_id and status). Memory for
      these grows with the run, a few dozen bytes per row instead of the ~1 kB of a whole
      figures row; finding duplicates exactly needs every key at once anyway. One batch per
      set of columns, so they are held one set at a time. A table-level one of them (a row
      count) would read every column: none of the bundled suites has one.
    """
    how = {_check_name(raw): feeding(raw) for raw in expectations}
    by_feeding = {kind: [raw for raw in expectations if how[_check_name(raw)] == kind]
                  for kind in ("rows", "schema", "dtype", "whole")}
    results, witness = _chunked_results(session, by_feeding["rows"], rows, chunk_rows, chunk_bytes)

    def on_object_column(raw: dict) -> bool:
        column = (raw.get("kwargs") or {}).get("column")
        return column in witness.columns and witness[column].dtype == object

    schema = by_feeding["schema"] + [raw for raw in by_feeding["dtype"] if not on_object_column(raw)]
    results += session.validate(schema, witness)
    whole: dict[tuple[str, ...] | None, list[dict]] = {}
    for raw in by_feeding["whole"] + [raw for raw in by_feeding["dtype"] if on_object_column(raw)]:
        columns = expectation_columns(raw)
        whole.setdefault(None if columns is None else tuple(sorted(columns)), []).append(raw)
    for columns, group in whole.items():
        results += session.validate(group, rows.whole(columns))
    return results, witness


def _chunked_results(session: _Session, expectations: list[dict], rows: Rows, chunk_rows: int,
                     chunk_bytes: int) -> tuple[list[dict], pd.DataFrame]:
    """The merged results of the `rows` expectations of `suite_results`, run chunk by chunk,
    and the `_Dtypes` witness frame of the whole table."""
    def rows_per_chunk(columns: list[str] | None) -> int:
        return max(1, min(chunk_rows, int(chunk_bytes / max(rows.row_bytes(columns), 1.0))))

    merged = {_check_name(raw): _MapResult() for raw in expectations}

    def run(definition, frame: pd.DataFrame) -> None:
        for result in session.run(definition, frame):
            merged[result.expectation_config.meta["check"]].add(result)

    # One pass reads every column, for `_Dtypes`; a batch of columns less than half as wide
    # gets a pass of its own, in chunks of as many more rows (fewer GX runs).
    wide = rows_per_chunk(None)
    plan = [(columns, session.definition(group), rows_per_chunk(columns))
            for columns, group in batch_plan(expectations)]
    dtypes = _Dtypes()
    for chunk in rows.chunks(None, wide):
        dtypes.add(chunk)
        for columns, definition, size in plan:
            if size < 2 * wide:
                run(definition, _frame_columns(chunk, columns))
        del chunk
    for columns, definition, size in plan:
        if size >= 2 * wide:
            for chunk in rows.chunks(columns, size):
                run(definition, chunk)
    return [m.result(session.expectations[check]) for check, m in merged.items()], dtypes.frame()


def example_rows(rows: Rows, results: list[dict], example_columns: list[str],
                 dtypes: pd.DataFrame) -> pd.DataFrame:
    """The rows the results name as unexpected (the first N of each), read back from `rows`
    with the columns their records show, in the whole table's dtypes (an int of a column
    with nulls elsewhere reads 12.0, as on the whole frame)."""
    positions: set[int] = set()
    columns = list(example_columns)
    for result in results:
        labels = [x for x in ((result.get("result") or {}).get("partial_unexpected_index_list") or [])[:N_EXAMPLES]
                  if isinstance(x, int) and not isinstance(x, bool)]
        if labels:
            positions.update(x for x in labels if 0 <= x < rows.num_rows)
            columns += _columns(result["expectation_config"]["kwargs"])
    frame = rows.take(sorted(positions), list(dict.fromkeys(columns)))
    cast = {c: dtypes[c].dtype for c in frame.columns if c in dtypes.columns and frame[c].dtype != dtypes[c].dtype}
    return frame.astype(cast) if cast else frame


# --- the stage -------------------------------------------------------------------------------

def validate_tables(figures: pd.DataFrame | Rows, documents: pd.DataFrame | Rows | None, out_dir: Path,
                    suites_dir: Path = SUITES_DIR, chunk_rows: int = CHUNK_ROWS,
                    chunk_bytes: int = CHUNK_BYTES, run: RunInfo | None = None,
                    data_docs: bool = True) -> ValidationSummary:
    """Validate the tables against every suite in suites_dir; write into out_dir results.json
    and index.html (figure-etl's summary), gx/<suite>.json (GX's own result per suite) and
    docs/ (GX's Data Docs, offline): see `etl.quality.gxdocs`.

    The tables are frames or `etl.tables.chunks.Rows` (Parquet parts, read a chunk of at most
    `chunk_rows` rows and about `chunk_bytes` at a time); either way the report is the one a
    validation of each whole table gives (`suite_results`). A suite whose table is absent (no
    documents table given) is reported as skipped, not failed. `run` names the run, its time
    and the scope of the rows on every page; `data_docs=False` skips GX's Data Docs (~1 s).
    Raises SuiteError if a suite file does not load whole.
    """
    gx = _gx()
    run = run or RunInfo()
    context = _context(gx)
    tables = derive_rows(as_rows(figures), None if documents is None else as_rows(documents))
    suites = read_suite_files(suites_dir)
    report_suites, gx_results = [], {}
    for name, data in suites.items():
        load_suite(data)  # the whole file first: GX's drops are counted per suite, not per batch
        meta = data.get("meta") or {}
        table = meta.get("table", name)
        rows = tables.get(table)
        if rows is None:
            report_suites.append({"name": name, "table": table, "rows": 0, "success": True,
                                  "skipped": f"no {table} table", "evaluated": 0, "passed": 0,
                                  "failed": 0, "expectations": []})
            continue
        session = _Session(gx, context, name, data)
        results, dtypes = suite_results(session, data["expectations"], rows, chunk_rows, chunk_bytes)
        examples = meta.get("example_columns", [])
        order = [_check_name(e) for e in data["expectations"]]
        results.sort(key=lambda r: order.index(_check_name(r["expectation_config"])))
        gx_results[name] = _plain(suite_result(gx.__version__, name, table, rows.num_rows, results, run))
        report_suites.append(suite_record(name, table, rows.num_rows, results, order, examples,
                                          example_rows(rows, results, examples, dtypes)))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_results(gx_results, out_dir)
    docs = build_data_docs(gx, suites, gx_results, out_dir, run) if data_docs else None
    return write_summary(out_dir, report_suites, gx.__version__, run, sorted(gx_results),
                         docs.relative_to(out_dir).as_posix() if docs else None)


def write_summary(out_dir: Path, report_suites: list[dict], gx_version: str, run: RunInfo,
                  gx_suites: list[str], data_docs: str | None) -> ValidationSummary:
    """figure-etl's own summary of the suites' records: results.json and index.html."""
    report = {
        "success": all(s["success"] for s in report_suites),
        "evaluated": sum(s["evaluated"] for s in report_suites),
        "passed": sum(s["passed"] for s in report_suites),
        "failed": sum(s["failed"] for s in report_suites),
        "great_expectations_version": gx_version,
        "run_id": run.name,
        "run_time": run.run_time.isoformat(),
        "scope": run.scope,
        "data_docs": data_docs,
        "gx_results": {name: f"{RESULTS_DIR}/{name}.json" for name in gx_suites},
        "suites": report_suites,
    }
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
