"""Review: the checks table and the report a person reads to review a run.

`build_review(out_dir)` reads the tables a run wrote (figures, articles, documents),
runs the consistency checks (`etl.checks`), writes them as the ``checks`` table and
renders ``report.html``: one self-contained page (inline CSS and a little JS, no remote
asset) with a summary, every article's text with its figures highlighted, the checks,
and a sortable, filterable table of all figures. Expectation results come from
``validation/results.json`` when the run validated.

Only `build_review` touches the file system; `review_context` and `render_report` are
pure, so the page can be tested without writing anything.
"""
from __future__ import annotations

import json
import os
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ._version import __version__
from .checks import CHECKS, STATUSES, as_text, check_tables, format_value
from .figure import KINDS
from .write import read_table, remove_stale_parts, write_table

TEMPLATE = Path(__file__).resolve().parent / "templates" / "report.html.j2"
REPORT_NAME = "report.html"
#: Articles shown in full on the page; beyond it the page says how many it left out.
MAX_ARTICLES = 300
DATA_DOCS = Path("validation") / "index.html"
RESULTS = Path("validation") / "results.json"


@dataclass(frozen=True)
class ReviewSummary:
    """What `build_review` did: the CLI prints it."""

    checks_path: Path
    report_path: Path | None
    statuses: dict[str, int] = field(default_factory=dict)  # status → number of checks

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    def __str__(self) -> str:
        counts = ", ".join(f"{self.statuses.get(s, 0)} {s}" for s in STATUSES)
        lines = [f"checks:    {self.total} ({counts}) ({self.checks_path})"]
        if self.report_path is not None:
            lines.append(f"report:    {self.report_path}")
        return "\n".join(lines)


# --- the stage -------------------------------------------------------------------------------

def build_review(out_dir: Path, no_report: bool = False) -> ReviewSummary:
    """Compute the checks of the tables in `out_dir`, write ``checks/``, render ``report.html``.

    Raises FileNotFoundError when the figures or articles table is missing; a missing
    documents table or validation results only leave their part of the report empty.
    """
    out_dir = Path(out_dir)
    figures = read_table("figures", out_dir).to_pandas()
    articles = read_table("articles", out_dir).to_pandas()
    try:
        documents = read_table("documents", out_dir).to_pandas()
        documents = documents[documents["status"] != "superseded"]  # earlier versions of changed inputs
    except FileNotFoundError:
        documents = None
    checks = check_tables(articles, figures)
    write_table("checks", checks, out_dir)
    remove_stale_parts("checks", out_dir, keep=["part-0"])
    statuses = Counter(c["status"] for c in checks)
    report_path = None
    if not no_report:
        results_path = out_dir / RESULTS
        validation = json.loads(results_path.read_text("utf-8")) if results_path.is_file() else None
        context = review_context(documents, articles, figures, checks, validation,
                                 data_docs=(out_dir / DATA_DOCS).is_file())
        report_path = out_dir / REPORT_NAME
        _write_atomic(report_path, render_report(context))
    return ReviewSummary(out_dir / "checks", report_path, {s: statuses.get(s, 0) for s in STATUSES})


def _write_atomic(path: Path, text: str) -> None:
    """Readers see the old page or the new one, never half a page."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


# --- what the page shows ---------------------------------------------------------------------

def failed_expectations(validation: dict | None) -> tuple[list[dict], dict[str, list[str]]]:
    """Failed expectations (suite, check, description, counts) and, per figure_id, the
    names of the failed expectations its row is an example of (results.json keeps a few
    example rows per expectation, not every failing row)."""
    failed, by_figure = [], defaultdict(list)
    for suite in (validation or {}).get("suites", []):
        for e in suite.get("expectations", []):
            if e.get("success", True):
                continue
            name = f"{suite['name']}.{e['check']}"
            failed.append({"name": name, "description": e.get("description", ""),
                           "unexpected": e.get("unexpected_count"), "rows": e.get("element_count")})
            for example in e.get("unexpected_examples") or []:
                if example.get("figure_id"):
                    by_figure[example["figure_id"]].append(name)
    return failed, dict(by_figure)


def review_context(documents: pd.DataFrame | None, articles: pd.DataFrame, figures: pd.DataFrame,
                   checks: list[dict], validation: dict | None, data_docs: bool = True) -> dict:
    """Everything the template shows, as plain lists and dicts."""
    expectations, exp_by_figure = failed_expectations(validation)
    checks_by_figure: dict[str, list[dict]] = defaultdict(list)
    for c in checks:
        for fid in c["figure_ids"]:
            checks_by_figure[fid].append(c)
    surfaces = dict(zip(figures["figure_id"], figures["surface"]))
    figure_rows = [_figure_row(f, checks_by_figure.get(f["figure_id"], []), exp_by_figure.get(f["figure_id"], []))
                   for f in figures.sort_values(["source", "char_start"]).to_dict("records")]
    rows_by_article: dict[str, list[dict]] = defaultdict(list)
    for row in figure_rows:
        rows_by_article[row["article_id"]].append(row)
    checks_by_article: dict[str, list[dict]] = defaultdict(list)
    for c in checks:
        checks_by_article[c["article_id"]].append(_check_row(c, surfaces))
    shown, quiet = [], []
    for a in articles.to_dict("records"):
        rows = rows_by_article.get(a["article_id"], [])
        if rows or checks_by_article.get(a["article_id"]):
            shown.append(_article(a, rows, checks_by_article.get(a["article_id"], [])))
        else:
            quiet.append({"article_id": a["article_id"], "source": a["source"], "headline": as_text(a["headline"])})
    shown, hidden = _cap_articles(shown, MAX_ARTICLES)
    if hidden:
        kept = {a["article_id"] for a in shown}
        figure_rows = [r for r in figure_rows if r["article_id"] in kept]
    check_rows = [r for a in shown for r in a["checks"]]
    kinds = Counter(figures["kind"])
    return {
        "version": __version__,
        "summary": {
            "documents": 0 if documents is None else len(documents),
            "document_statuses": {} if documents is None else dict(Counter(documents["status"])),
            "articles": len(articles),
            "figures": len(figures),
            "placed": sum(a["placed"] for a in shown),
            "kinds": {k: kinds.get(k, 0) for k in (*KINDS, *sorted(set(kinds) - set(KINDS)))},
            "checks": dict(Counter(c["status"] for c in checks)),
            "check_matrix": {name: {s: sum(c["check"] == name and c["status"] == s for c in checks)
                                    for s in STATUSES} for name in CHECKS},
            "validation": None if validation is None else {
                k: validation.get(k) for k in ("success", "evaluated", "passed", "failed")},
        },
        "expectations": expectations,
        "data_docs": str(DATA_DOCS) if data_docs else None,
        "articles": shown,
        "hidden_articles": hidden,
        "quiet_articles": quiet[:MAX_ARTICLES],
        "quiet_hidden": max(0, len(quiet) - MAX_ARTICLES),
        "checks": sorted(check_rows, key=lambda r: STATUSES.index(r["status"]), reverse=True),
        "figures": figure_rows,
        "kinds_order": list(KINDS),
        "statuses": list(STATUSES),
    }


def _cap_articles(articles: list[dict], limit: int) -> tuple[list[dict], int]:
    """At most `limit` articles, those with failed then warning checks first, in
    text order; and how many were left out. Keeps the page usable on big runs
    (about 1 KB per figure); the tables hold everything."""
    if len(articles) <= limit:
        return articles, 0
    rank = {"fail": 0, "warn": 1}
    order = sorted(range(len(articles)), key=lambda i: rank.get(articles[i]["status"], 2))
    keep = sorted(order[:limit])
    return [articles[i] for i in keep], len(articles) - limit


def _worst(statuses) -> str:
    """The worst of some check statuses, "" when there are none."""
    return max(statuses, key=STATUSES.index, default="")


def _figure_row(f: dict, checks: list[dict], expectations: list[str]) -> dict:
    value = format_value(f["value"], f["unit"])
    if pd.notna(f.get("value_high")):
        value += " – " + format_value(f["value_high"], f["unit"])
    return {
        "id": f["figure_id"], "article_id": f["article_id"], "source": f["source"],
        "kind": f["kind"], "surface": f["surface"], "value": f["value"], "value_text": value,
        "unit": f["unit"], "qualifier": f["qualifier"], "metric": f["metric"], "subject": f["subject"],
        "counter": f["counter"], "char_start": int(f["char_start"]), "char_end": int(f["char_end"]),
        "checks": [{"id": c["check_id"], "check": c["check"], "status": c["status"]} for c in checks],
        "status": _worst(c["status"] for c in checks),
        "expectations": expectations,
    }


def _check_row(c: dict, surfaces: dict) -> dict:
    def shown(x, digits=6):
        return None if x is None or pd.isna(x) else format_value(x, c["unit"], digits)

    return {**c, "figures": [(fid, surfaces.get(fid, fid)) for fid in c["figure_ids"]],
            "expected_text": shown(c["expected"]), "observed_text": shown(c["observed"]),
            "tolerance_text": shown(c["tolerance"], 2)}


def _article(a: dict, rows: list[dict], checks: list[dict]) -> dict:
    """The article's text cut into plain runs and figure marks.

    A figure whose span does not read as its surface here, or that overlaps the previous
    one, is not marked (it stays in the figures table); `placed` counts the marked ones.
    """
    text, base = a["text"], int(a["char_start"])
    segments, pos = [], 0
    for row in sorted(rows, key=lambda r: r["char_start"]):
        start, end = row["char_start"] - base, row["char_end"] - base
        if start < pos or end > len(text) or text[start:end] != row["surface"]:
            continue
        segments += [(text[pos:start], None), (row["surface"], row)]
        pos = end
    segments.append((text[pos:], None))
    return {
        "article_id": a["article_id"], "source": a["source"], "headline": as_text(a["headline"]),
        "opening": _opening(text),
        "date": as_text(a["article_date"]), "n_figures": len(rows),
        "placed": sum(row is not None for _, row in segments),
        "segments": [(t, r) for t, r in segments if t],
        "checks": checks, "status": _worst(c["status"] for c in checks),
        "expectations": sum(bool(r["expectations"]) for r in rows),
    }


def _opening(text: str, width: int = 40) -> str:
    """A title for an article without a headline: the start of its first line."""
    line = text.strip().split("\n", 1)[0]
    return line if len(line) <= width else line[:width] + "…"


def render_report(context: dict) -> str:
    """The report page from `review_context`'s output (Jinja2, autoescaped)."""
    import jinja2

    env = jinja2.Environment(autoescape=True, keep_trailing_newline=True,
                             trim_blocks=True, lstrip_blocks=True)
    return env.from_string(TEMPLATE.read_text(encoding="utf-8")).render(**context)
