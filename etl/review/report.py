"""Review: the report a person reads to review a run, and the checks table it shows.

A run stages the consistency checks with its batches (`etl.job.job`): ``checks/<part>`` holds
the checks of the articles in ``articles/<part>``. `build_review(out_dir)` first makes sure
the checks table has that layout (`write_checks`): it computes the checks of any articles
part without its checks part and removes checks parts whose articles part is gone, which
turns the layout of earlier versions (one ``checks/part-0.parquet`` for everything) into
this one, once. ``figure-etl report`` (``recheck``) recomputes every part, for when
checks.toml or the code changed. Part by part either way: memory is bounded by a part.

Then it renders ``report.html``: one self-contained page (inline CSS and a little JS, no
remote asset) with a summary, the text of the articles shown (at most `MAX_ARTICLES`) with
their figures highlighted, their checks, and a sortable, filterable table of their figures.
Expectation results come from ``validation/results.json`` when the run validated. The page
costs bounded memory whatever the size of the dataset: the summary numbers come from a few
narrow columns read part by part (`scan_tables`), the articles shown are chosen from them
(`ArticlePicker`), and only those articles' rows are read whole (`read_shown`).

Only `build_review`, `write_checks` and the readers touch the file system; `Tally`,
`ArticlePicker`, `review_context` and `render_report` are pure, so the page can be tested
without writing anything.
"""
from __future__ import annotations

import heapq
import json
import os
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._version import __version__
from ..quality.checks import CHECKS, STATUSES, as_text, format_value
from ..figures.confidence import load_doubts
from ..figures.figure import KINDS, MODALITIES, RELATIONS
from ..job.decisions import Decisions, read_decisions, state_of
from ..tables.write import _parts, matches_schema, read_part, remove_stale_parts, write_table

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "report.html.j2"
REPORT_NAME = "report.html"
#: Articles shown in full on the page; beyond it the page says how many it left out.
MAX_ARTICLES = 300
DATA_DOCS = Path("validation") / "index.html"
RESULTS = Path("validation") / "results.json"
#: Columns of the articles table the choice of the shown articles needs (no text).
PICK_COLUMNS = ["article_id", "source", "headline", "n_figures"]
#: Folder (in the output folder) of the page images of the PDF figures shown.
PAGES_DIR = "report_pages"
#: Figures in the "review first" list (the least sure ones not reviewed yet): a fifth of the
#: figures, within these bounds (the list is kept in memory and on the page).
REVIEW_FIRST = (100, 500)
#: Columns of the figures table the "review first" list shows (read for those rows only).
REVIEW_FIRST_COLUMNS = ["figure_id", "doc_id", "source", "article_id", "kind", "value", "value_high", "unit",
                        "surface", "metric", "sentence", "char_start", "page", "confidence", "confidence_reasons"]


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

def build_review(out_dir: Path, no_report: bool = False, recheck: bool = False) -> ReviewSummary:
    """Complete (or with `recheck` recompute) ``checks/``, then render ``report.html``.

    Raises FileNotFoundError when the figures or articles table is missing; a missing
    documents table or validation results only leave their part of the report empty.
    """
    out_dir = Path(out_dir)
    for table in ("figures", "articles"):
        if not (out_dir / table).is_dir():
            raise FileNotFoundError(f"no {table} table under {out_dir}")
    write_checks(out_dir, recheck)
    parts = _parts("articles", out_dir)
    decisions, least_sure = read_decisions(out_dir), LeastSure(0 if no_report else review_first_size(out_dir))
    tally, picker = scan_tables(out_dir, parts, decisions, least_sure)
    report_path = None
    if not no_report:
        results_path = out_dir / RESULTS
        validation = json.loads(results_path.read_text("utf-8")) if results_path.is_file() else None
        articles, figures, checks = read_shown(out_dir, parts, picker.shown)
        images = write_page_images(out_dir, figures)
        context = review_context(tally, picker, articles, figures, checks, validation,
                                 data_docs=(out_dir / DATA_DOCS).is_file(), images=images,
                                 least_sure=read_least_sure(out_dir, least_sure), decisions=decisions)
        report_path = out_dir / REPORT_NAME
        _write_atomic(report_path, render_report(context))
    return ReviewSummary(out_dir / "checks", report_path, {s: tally.statuses.get(s, 0) for s in STATUSES})


def write_checks(out_dir: Path, recheck: bool = False) -> list[Path]:
    """Give every articles part its checks part (same name), computed from the tables; with
    `recheck` recompute those that exist too, and without it those of an earlier schema (a
    `check` column, now `rule`). Checks parts without an articles part are removed. Returns
    the parts written.

    One articles part and its figures in memory at a time.
    """
    from ..quality.checks import article_checks

    parts = _parts("articles", out_dir)
    have = {p.name for p in _parts("checks", out_dir) if matches_schema("checks", p)}
    written = []
    for part in parts:
        if recheck or part.name not in have:
            articles = read_part("articles", part).to_pylist()
            figures = figures_of(out_dir, part.name, articles)
            written.append(write_table("checks", article_checks(articles, figures), out_dir, part=part.stem))
    remove_stale_parts("checks", out_dir, keep=[p.stem for p in parts])
    return written


def figures_of(out_dir: Path, name: str, articles: list[dict]) -> list[dict]:
    """The figure rows of `articles` (rows of the articles part `name`), in table order.

    A run writes an article's figures in the figures part of the same name; the articles'
    `n_figures` tell whether they are all there. When they are not (parts written some
    other way), every figures part is searched.
    """
    ids = [a["article_id"] for a in articles]
    expected = sum(a["n_figures"] for a in articles)
    if not expected:
        return []
    same = out_dir / "figures" / name
    if same.is_file():
        rows = _of_articles(read_part("figures", same), ids)
        if len(rows) == expected:
            return rows
    return [row for part in _parts("figures", out_dir) for row in _of_articles(read_part("figures", part), ids)]


def _of_articles(data, article_ids: list[str]) -> list[dict]:
    """The rows of `data` (an Arrow table) that belong to `article_ids`, as dicts."""
    keep = pc.is_in(data.column("article_id"), value_set=pa.array(article_ids, type=pa.string()))
    return data.filter(keep).to_pylist()


# --- what the tables hold, read narrowly -----------------------------------------------------

@dataclass
class Tally:
    """The summary numbers of the page, added up part by part."""

    document_statuses: Counter = field(default_factory=Counter)  # of live documents (not superseded)
    articles: int = 0
    figures: int = 0
    kinds: Counter = field(default_factory=Counter)
    checks: Counter = field(default_factory=Counter)  # (rule, status) → n
    decided: dict[str, dict] = field(default_factory=dict)  # figure_id → its row, for the figures decided on

    @property
    def statuses(self) -> Counter:
        totals: Counter = Counter()
        for (_, status), n in self.checks.items():
            totals[status] += n
        return totals


class ArticlePicker:
    """The articles the page shows, chosen as the articles stream by in table order.

    Articles with figures or checks are candidates; at most `limit` are shown: those with
    failed checks first, then those with warnings, then the others, each in table order,
    and shown in table order. It keeps at most `limit` of each, so memory does not grow
    with the table. Articles without figures are listed by id (the first `limit`).
    """

    RANK = {"fail": 0, "warn": 1}  # anything else (pass, no checks): 2

    def __init__(self, limit: int):
        self.limit = limit
        self.doubtful: set[str] = set()  # articles of the "review first" figures: ranked as warnings
        self._groups: tuple[list, list, list] = ([], [], [])
        self.candidates = 0
        self.quiet: list[dict] = []
        self.n_quiet = 0

    def offer(self, key: tuple, article_id: str, source: str, headline, n_figures: int, status: str) -> None:
        """One article; `key` sorts as the table's order, `status` is the worst of its checks
        ("" when it has none)."""
        if n_figures or status:
            self.candidates += 1
            rank = self.RANK.get(status, 1 if article_id in self.doubtful else 2)
            group = self._groups[rank]
            if len(group) < self.limit:
                group.append((key, article_id))
        else:
            self.n_quiet += 1
            if len(self.quiet) < self.limit:
                self.quiet.append({"article_id": article_id, "source": source, "headline": as_text(headline)})

    @property
    def shown(self) -> list[tuple[tuple, str]]:
        """(key, article_id) of the articles shown, in table order."""
        first, second, third = self._groups
        return sorted([*first, *second, *third][: self.limit])

    @property
    def hidden(self) -> int:
        return max(0, self.candidates - self.limit)

    @property
    def quiet_hidden(self) -> int:
        return max(0, self.n_quiet - self.limit)


def scan_tables(out_dir: Path, parts: list[Path], decisions: Decisions = Decisions(),
                least_sure: LeastSure | None = None) -> tuple[Tally, ArticlePicker]:
    """Summary numbers and the choice of articles from narrow columns, part by part:
    documents' status, figures' kind (and confidence and review, for `least_sure` and the
    figures `decisions` name), checks' rule and status, and `PICK_COLUMNS` of the articles
    parts (`parts`; key of an article: (index of its part, row)). Articles holding a
    figure of `least_sure` are shown before those that only pass their checks."""
    tally, picker = Tally(), ArticlePicker(MAX_ARTICLES)
    least_sure = least_sure if least_sure is not None else LeastSure(0)
    for part in _parts("documents", out_dir):
        statuses = read_part("documents", part, ["status"]).column(0).to_pylist()
        tally.document_statuses.update(s for s in statuses if s != "superseded")  # earlier versions
    for i, part in enumerate(_parts("figures", out_dir)):
        figures = read_part("figures", part, _present(part, FIGURE_SCAN_COLUMNS))
        kinds = figures.column("kind")
        tally.figures += len(kinds)
        counts = pc.value_counts(kinds)
        tally.kinds.update(dict(zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist())))
        least_sure.offer_part(i, figures)
        tally.decided.update(_decided(figures, decisions))
    picker.doubtful = least_sure.articles
    for i, part in enumerate(parts):
        worst: dict[str, str] = {}
        checks_part = out_dir / "checks" / part.name
        if checks_part.is_file():
            checks = read_part("checks", checks_part, ["article_id", "rule", "status"]).to_pydict()
            tally.checks.update(zip(checks["rule"], checks["status"]))
            for article_id, status in zip(checks["article_id"], checks["status"]):
                worst[article_id] = _worst((worst.get(article_id, status), status))
        articles = read_part("articles", part, PICK_COLUMNS).to_pydict()
        tally.articles += len(articles["article_id"])
        for row, (article_id, source, headline, n_figures) in enumerate(zip(*articles.values())):
            picker.offer((i, row), article_id, source, headline, n_figures, worst.get(article_id, ""))
    return tally, picker


#: Narrow columns of the figures scanned for the summary, the "review first" list and the decisions.
FIGURE_SCAN_COLUMNS = ["kind", "figure_id", "doc_id", "article_id", "confidence", "review_status"]


def _present(part: Path, columns: list[str]) -> list[str]:
    """The `columns` a part has (a part of an earlier version lacks the newer ones)."""
    import pyarrow.parquet as pq

    names = set(pq.read_schema(part).names)
    return [c for c in columns if c in names]


def review_first_size(out_dir: Path) -> int:
    """How many figures the "review first" list holds: a fifth of the figures (counted from
    the parts' footers), within `REVIEW_FIRST`."""
    import pyarrow.parquet as pq

    total = sum(pq.read_metadata(part).num_rows for part in _parts("figures", out_dir))
    low, high = REVIEW_FIRST
    return min(high, max(low, -(-total // 5)))


class LeastSure:
    """The `limit` figures with the lowest confidence not reviewed yet, kept as the figures
    parts stream by (memory bounded by `limit`); ties in table order."""

    def __init__(self, limit: int):
        self.limit = limit
        self._heap: list[tuple[float, tuple[int, int], str]] = []  # (-confidence, -key, article)

    def offer_part(self, i: int, figures: pa.Table) -> None:
        """The figures of part `i` (the FIGURE_SCAN_COLUMNS it has)."""
        if not self.limit or "confidence" not in figures.column_names:
            return
        keep = pc.is_valid(figures.column("confidence"))
        if "review_status" in figures.column_names:
            keep = pc.and_(keep, pc.fill_null(pc.equal(figures.column("review_status"), "unreviewed"), True))
        rows = pc.indices_nonzero(keep).to_numpy()
        confidence = pc.take(figures.column("confidence"), rows).to_numpy()
        # At most `limit` of a part can be kept: those first (lowest, then in table order).
        best = rows[np.lexsort((rows, confidence))[: self.limit]]
        chosen = figures.select(["confidence", "article_id"]).take(best).to_pylist()
        for row, values in zip(best.tolist(), chosen):
            item = (-values["confidence"], (-i, -row), values["article_id"])
            if len(self._heap) < self.limit:
                heapq.heappush(self._heap, item)
            elif item > self._heap[0]:
                heapq.heapreplace(self._heap, item)

    @property
    def shown(self) -> list[tuple[int, int]]:
        """(part index, row) of the figures kept, least sure first."""
        return [(-i, -row) for _, (i, row), _ in sorted(self._heap, reverse=True)]

    @property
    def articles(self) -> set[str]:
        return {article for *_, article in self._heap}


def _decided(figures: pa.Table, decisions: Decisions) -> dict[str, dict]:
    """The rows (figure_id, doc_id, review_status) of the figures `decisions` name."""
    if not decisions.latest or "figure_id" not in figures.column_names:
        return {}
    hit = pc.is_in(figures.column("figure_id"), value_set=pa.array(list(decisions.latest), type=pa.string()))
    columns = [c for c in ("figure_id", "doc_id", "review_status") if c in figures.column_names]
    return {row["figure_id"]: row for row in figures.filter(hit).select(columns).to_pylist()}


def read_least_sure(out_dir: Path, least_sure: LeastSure) -> list[dict]:
    """The `REVIEW_FIRST_COLUMNS` of the figures `least_sure` kept, least sure first."""
    figure_parts = _parts("figures", out_dir)
    by_part: dict[int, list[int]] = defaultdict(list)
    for i, row in least_sure.shown:
        by_part[i].append(row)
    rows: dict[tuple[int, int], dict] = {}
    for i, wanted in by_part.items():
        wanted.sort()
        read = read_part("figures", figure_parts[i], REVIEW_FIRST_COLUMNS, rows=wanted).to_pylist()
        rows.update(zip(((i, r) for r in wanted), read))
    return [rows[key] for key in least_sure.shown]


def read_shown(out_dir: Path, parts: list[Path],
               shown: list[tuple[tuple, str]]) -> tuple[list[dict], list[dict], list[dict]]:
    """The whole rows of the shown articles, of their figures and of their checks, in table
    order; read from the parts that hold them, and only those rows kept."""
    by_part: dict[int, list[int]] = defaultdict(list)
    for (i, row), _ in shown:
        by_part[i].append(row)
    articles, figures, checks = [], [], []
    for i, rows in sorted(by_part.items()):
        part = parts[i]
        chosen = read_part("articles", part, rows=rows).to_pylist()
        articles += chosen
        figures += figures_of(out_dir, part.name, chosen)
        checks += _of_articles(read_part("checks", out_dir / "checks" / part.name), [a["article_id"] for a in chosen])
    return articles, figures, checks


def write_page_images(out_dir: Path, figures: list[dict]) -> dict[str, str]:
    """Render, for each shown figure of a PDF, the region of its page around it with the
    figure outlined, as ``PAGES_DIR/<figure>.png``; return figure_id -> path relative to
    `out_dir` (what the report links). Images of figures no longer shown are deleted.

    The PDF is read again from the path its documents row gives; a file that is gone or
    whose bytes changed since the run (another SHA-256) gets no image, never a wrong one.
    """
    placed = [f for f in figures if f.get("page") is not None and f.get("bbox") is not None]
    folder = out_dir / PAGES_DIR
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for f in placed:
        by_doc[f["doc_id"]].append(f)
    paths = _document_paths(out_dir, set(by_doc))
    images: dict[str, str] = {}
    for doc_id, rows in by_doc.items():
        data = _bytes_if_same(paths.get(doc_id), doc_id)
        if data is None:
            continue
        from ..read.pdf import render_regions

        folder.mkdir(exist_ok=True)
        for row, image in zip(rows, render_regions(data, [(int(r["page"]), list(r["bbox"])) for r in rows])):
            name = row["figure_id"].replace(":", "_") + ".png"
            image.save(folder / name, optimize=True)
            images[row["figure_id"]] = f"{PAGES_DIR}/{name}"
    if folder.is_dir():
        keep = {Path(p).name for p in images.values()}
        for old in folder.glob("*.png"):
            if old.name not in keep:
                old.unlink()
    return images


def _document_paths(out_dir: Path, doc_ids: set[str]) -> dict[str, str]:
    """The path of the live ok row of each of `doc_ids` in the documents table."""
    if not doc_ids:
        return {}
    try:
        rows = pd.read_parquet(out_dir / "documents", columns=["doc_id", "path", "status"])
    except (FileNotFoundError, OSError, ValueError):
        return {}
    rows = rows[(rows["status"] == "ok") & rows["doc_id"].isin(doc_ids)]
    return dict(zip(rows["doc_id"], rows["path"]))


def _bytes_if_same(path: str | None, doc_id: str) -> bytes | None:
    from ..read.ingest import doc_id as content_id

    try:
        data = Path(path).read_bytes() if path else None
    except OSError:
        return None
    return data if data is not None and content_id(data) == doc_id else None


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


def review_context(tally: Tally, picker: ArticlePicker, articles: list[dict], figures: list[dict],
                   checks: list[dict], validation: dict | None, data_docs: bool = True,
                   images: dict[str, str] | None = None, least_sure: list[dict] = (),
                   decisions: Decisions = Decisions()) -> dict:
    """Everything the template shows, as plain lists and dicts.

    `articles` are the rows of the articles `picker` chose (text included), in table
    order; `figures` and `checks` their rows of those tables, in table order; `images` the
    page image of a PDF figure by figure_id (`write_page_images`); `least_sure` the rows
    of the "review first" list (`read_least_sure`), `decisions` the reviewers' decisions.
    """
    images = images or {}
    expectations, exp_by_figure = failed_expectations(validation)
    checks_by_figure: dict[str, list[dict]] = defaultdict(list)
    for c in checks:
        for fid in c["figure_ids"]:
            checks_by_figure[fid].append(c)
    surfaces = {f["figure_id"]: f["surface"] for f in figures}
    figure_rows = [_figure_row(f, checks_by_figure.get(f["figure_id"], []), exp_by_figure.get(f["figure_id"], []),
                               images.get(f["figure_id"]))
                   for f in sorted(figures, key=lambda f: (f["source"], f["char_start"]))]
    rows_by_article: dict[str, list[dict]] = defaultdict(list)
    for row in figure_rows:
        rows_by_article[row["article_id"]].append(row)
    checks_by_article: dict[str, list[dict]] = defaultdict(list)
    for c in checks:
        checks_by_article[c["article_id"]].append(_check_row(c, surfaces))
    shown = [_article(a, rows_by_article.get(a["article_id"], []), checks_by_article.get(a["article_id"], []))
             for a in articles]
    check_rows, marked = [r for a in shown for r in a["checks"]], {row["id"] for row in figure_rows}
    kinds, statuses = tally.kinds, tally.statuses
    return {
        "version": __version__,
        "summary": {
            "documents": tally.document_statuses.total(),
            "document_statuses": dict(tally.document_statuses),
            "articles": tally.articles,
            "figures": tally.figures,
            "placed": sum(a["placed"] for a in shown),
            "kinds": {k: kinds.get(k, 0) for k in (*KINDS, *sorted(set(kinds) - set(KINDS)))},
            "checks": dict(statuses),
            "check_matrix": {name: {s: tally.checks.get((name, s), 0) for s in STATUSES} for name in CHECKS},
            "validation": None if validation is None else {
                k: validation.get(k) for k in ("success", "evaluated", "passed", "failed")},
        },
        "expectations": expectations,
        "data_docs": str(DATA_DOCS) if data_docs else None,
        "articles": shown,
        "hidden_articles": picker.hidden,
        "quiet_articles": picker.quiet,
        "quiet_hidden": picker.quiet_hidden,
        "checks": sorted(check_rows, key=lambda r: STATUSES.index(r["status"]), reverse=True),
        **_review_lists(least_sure, decisions, tally.decided, marked),
        "figures": figure_rows,
        "kinds_order": list(KINDS),
        "relations": list(RELATIONS),
        "modalities": list(MODALITIES),
        "statuses": list(STATUSES),
    }


def _review_lists(least_sure: list[dict], decisions: Decisions, decided: dict[str, dict],
                  marked: set[str]) -> dict:
    """The "review first" list and the decisions, as the template shows them; `marked` are
    the figures the page shows in their article (the others cannot be linked)."""
    return {
        "review_first": [_least_sure_row(f, f["figure_id"] in marked) for f in least_sure],
        "doubts": load_doubts().why,
        "decisions": [{**d, "shown": d["figure_id"] in marked} for d in decision_rows(decisions, decided)],
        "decision_problems": list(decisions.problems),
    }


def _least_sure_row(f: dict, marked: bool) -> dict:
    """A row of the "review first" list: the figure, why it is doubted, its sentence with
    the figure's surface apart (so the page can mark it), whether the page shows it."""
    sentence, surface = f["sentence"] or "", f["surface"]
    at = sentence.find(surface)
    parts = (sentence[:at], surface, sentence[at + len(surface):]) if at >= 0 else (sentence, "", "")
    return {"id": f["figure_id"], "article_id": f["article_id"], "source": f["source"], "kind": f["kind"],
            "surface": surface, "value_text": format_value(f["value"], f["unit"]), "metric": f["metric"],
            "confidence": f["confidence"], "reasons": list(f["confidence_reasons"] or ()),
            "sentence": parts, "page": None if pd.isna(f.get("page")) else int(f["page"]), "marked": marked}


def decision_rows(decisions: Decisions, decided: dict[str, dict]) -> list[dict]:
    """The reviewers' decisions as the page lists them, each with its state: applied (the
    figures table shows it), pending (the next run applies it: the file changed since) or
    stale (no live figure has its figure_id in its document: the document changed)."""
    return [{"figure_id": d.figure_id, "doc_id": d.doc_id, "decision": d.decision, "status": d.status,
             "field": d.field, "value": d.value, "note": d.note, "state": state_of(d, decided.get(d.figure_id))}
            for d in decisions.latest.values()]


def _worst(statuses) -> str:
    """The worst of some check statuses, "" when there are none."""
    return max(statuses, key=STATUSES.index, default="")


def _figure_row(f: dict, checks: list[dict], expectations: list[str], image: str | None = None) -> dict:
    value = format_value(f["value"], f["unit"])
    if pd.notna(f.get("value_high")):
        value += " – " + format_value(f["value_high"], f["unit"])
    return {
        "id": f["figure_id"], "article_id": f["article_id"], "source": f["source"],
        "kind": f["kind"], "surface": f["surface"], "value": f["value"], "value_text": value,
        "unit": f["unit"], "qualifier": f["qualifier"], "metric": f["metric"], "subject": f["subject"],
        "indicator": f["indicator"], "relation": f["relation"], "period": period_text(f),
        "modality": f["modality"], "part_of": f["part_of"], "counter": f["counter"], "char_start": int(f["char_start"]), "char_end": int(f["char_end"]),
        "checks": [{"id": c["check_id"], "rule": c["rule"], "status": c["status"]} for c in checks],
        "status": _worst(c["status"] for c in checks),
        "expectations": expectations,
        "page": None if pd.isna(f.get("page")) else int(f["page"]), "image": image,
        "confidence": f.get("confidence"), "review_status": f.get("review_status") or "unreviewed",
        "review": _review_text(f),
    }


def _review_text(f: dict) -> str:
    """A figure's review status as the figures table shows it ("" when unreviewed)."""
    status = f.get("review_status") or "unreviewed"
    if status == "unreviewed":
        return ""
    if status == "corrected":
        return f"corrected: {f.get('review_field')} = {f.get('review_value')}"
    return status


def period_text(f: dict) -> str:
    """A figure's period as the report shows it: its dates (an open side as …) and the time
    words they come from, e.g. "2022-01-01 – 2022-12-31 (2022年)", "… – 2022-06-30 (截至6月底)";
    the words alone when they fix no date (近年来); "" without a period."""
    start, end, words = f.get("period_start"), f.get("period_end"), f.get("period_text") or ""
    if pd.isna(start) and pd.isna(end):
        return words
    dates = f"{'…' if pd.isna(start) else start} – {'…' if pd.isna(end) else end}"
    return f"{dates} ({words})" if words else dates


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
