"""The incremental job: which inputs to read, processing in batches, and one atomic commit.

A run, with the output folder's lock held (`etl.state.job_lock`):

1. **Ledger**: the committed ``documents`` table is the index of inputs seen; its rows whose
   status is not ``superseded`` are *live*, at most one per path.
2. **Plan** (`plan`): an input whose path, size and mtime equal its live row is unchanged and
   is not opened. Every other input is read (unreadable ones are retried on every run: their
   cause is outside the bytes).
3. **Process** (`Batcher`, `process_path`): an input read with the same SHA-256 as its live
   row was only touched (its row gets the new mtime); otherwise it goes through
   `etl.pipeline.process_input`. Rows are written in batches under ``_state/staging`` so
   memory stays bounded by the batch, not by the run.
4. **Supersede**: when a path's content changed, its old row stays in ``documents`` with
   status ``superseded``, and its old figures and articles leave the dataset: the old parts
   that hold them are rewritten without them (or deleted when emptied).
5. **Commit** (`etl.state.commit`): rewritten old parts, then new parts, then ``documents``.

Content that is already live under another path is recorded as ``duplicate`` and not
extracted again; if that other path later changes, its duplicates are processed again so the
content keeps exactly one owner.
"""
from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .ingest import InputFile, doc_id, read_input
from .pipeline import FAILED_STATUSES, DocumentResult, process_input
from .state import commit, drop_staging, staging_dir

SUPERSEDED = "superseded"
#: Row limits of a staged batch; whichever is reached first closes the batch.
BATCH_INPUTS = 500
BATCH_ROWS = 200_000  # figures + articles rows
BATCH_CHARS = 50_000_000  # article text, the bulk of a batch's memory


@dataclass(frozen=True)
class JobOptions:
    full_refresh: bool = False  # forget the ledger: process every input, drop every old part
    max_input_bytes: int | None = None  # larger inputs are recorded unreadable, not read
    batch_inputs: int = BATCH_INPUTS
    batch_rows: int = BATCH_ROWS
    batch_chars: int = BATCH_CHARS


@dataclass
class JobResult:
    """What a run did; the CLI turns it into the summary, the run record and the exit code."""

    run_id: str
    seen: int = 0  # inputs discovered
    unchanged: int = 0  # skipped on path, size and mtime
    touched: int = 0  # read again, same content: only the mtime was updated
    documents: list[dict] = field(default_factory=list)  # rows of inputs processed this run
    superseded: int = 0  # inputs whose content changed: their earlier row turned superseded
    figures_written: int = 0
    articles_written: int = 0
    figures_removed: int = 0
    articles_removed: int = 0
    kinds: Counter = field(default_factory=Counter)
    new_parts: dict[str, list[Path]] = field(default_factory=lambda: {"figures": [], "articles": []})

    @property
    def failed(self) -> list[dict]:
        return [d for d in self.documents if d["status"] in FAILED_STATUSES]

    @property
    def wrote_data(self) -> bool:
        return bool(self.documents) or self.figures_removed > 0


# ---------------------------------------------------------------- ledger (pure)

class Ledger:
    """The documents table in memory: live rows by path, and which path owns each content."""

    def __init__(self, rows: list[dict]):
        self.rows: list[dict | None] = list(rows)  # None: dropped this run
        self.live: dict[str, int] = {}
        self.owners: dict[str, str] = {}  # doc_id -> path of its live ok row
        for i, row in enumerate(self.rows):
            if row["status"] != SUPERSEDED:
                self.live[row["path"]] = i
                if row["status"] == "ok":
                    self.owners[row["doc_id"]] = row["path"]
        self.removed_ids: set[str] = set()  # contents whose old rows must leave the dataset
        self.superseded = 0

    def get(self, path: str) -> dict | None:
        i = self.live.get(path)
        return None if i is None else self.rows[i]

    def touch(self, path: str, size: int | None, mtime: datetime | None) -> None:
        """Same content seen again: only the stat fields change, so the fast path works next time."""
        i = self.live[path]
        self.rows[i] = {**self.rows[i], "size_bytes": size, "mtime": mtime}

    def release(self, path: str, new_doc_id: str) -> None:
        """Retire the live row of `path` before its new version is added.

        A different content keeps the old row as ``superseded`` (history), except an
        unreadable row, which has no content; the same content just drops it. Rows of an
        old ok version are queued for removal from the dataset.
        """
        i = self.live.pop(path, None)
        if i is None:
            return
        old = self.rows[i]
        if old["status"] == "ok" and self.owners.get(old["doc_id"]) == path:
            del self.owners[old["doc_id"]]
            self.removed_ids.add(old["doc_id"])
        if old["doc_id"] != new_doc_id and old["status"] != "unreadable":
            self.rows[i] = {**old, "status": SUPERSEDED,
                            "error": f"replaced by a newer version of the file ({new_doc_id[:12]})"}
            self.superseded += 1
        else:
            self.rows[i] = None

    def add(self, row: dict) -> None:
        self.live[row["path"]] = len(self.rows)
        self.rows.append(row)
        if row["status"] == "ok":
            self.owners[row["doc_id"]] = row["path"]

    def orphaned_duplicates(self) -> list[str]:
        """Live duplicates whose content lost its owner this run: they must be processed again."""
        return [path for path, i in self.live.items()
                if self.rows[i]["status"] == "duplicate" and self.rows[i]["doc_id"] in self.removed_ids]

    def table(self) -> list[dict]:
        return [row for row in self.rows if row is not None]


def as_duplicate(result: DocumentResult, first_path: str) -> DocumentResult:
    """The same bytes under another name: recorded, not extracted twice."""
    doc = {**result.document, "status": "duplicate", "n_articles": 0, "n_figures": 0,
           "error": f"same content as {first_path}"}
    return DocumentResult(doc)


# ---------------------------------------------------------------- plan (stat only)

def file_mtime(st: os.stat_result) -> datetime:
    """The mtime as the documents table stores it (the conversion `read_input` uses)."""
    return datetime.fromtimestamp(st.st_mtime, tz=timezone.utc)


def is_unchanged(path: Path, row: dict | None) -> bool:
    """The fast path: same path, size and mtime as the live row, and nothing to retry."""
    if row is None or row["status"] == "unreadable":
        return False
    try:
        st = os.stat(path)
    except OSError:
        return False
    return st.st_size == row["size_bytes"] and file_mtime(st) == row["mtime"]


def plan(paths: Iterable[Path], ledger: Ledger) -> tuple[list[Path], int]:
    """Split inputs into those to read and the count of unchanged ones; reads no file contents."""
    todo, unchanged = [], 0
    for path in paths:
        if is_unchanged(path, ledger.get(str(path))):
            unchanged += 1
        else:
            todo.append(path)
    return todo, unchanged


# ---------------------------------------------------------------- process

def process_path(inp: InputFile, ledger: Ledger, processed_at: datetime,
                 force: bool = False) -> DocumentResult | None:
    """Decide and process one read input against the ledger; None when it was only touched.

    Updates the ledger (the row of the path, ownership of the content). `force` processes
    unchanged bytes too (a duplicate whose original changed).
    """
    path = str(inp.path)
    old = ledger.get(path)
    if (not force and inp.ok and old is not None and old["status"] != "unreadable"
            and doc_id(inp.data) == old["doc_id"]):
        ledger.touch(path, inp.size, inp.mtime)
        return None
    result = process_input(inp, processed_at)
    ledger.release(path, result.document["doc_id"])
    owner = ledger.owners.get(result.document["doc_id"])
    if result.document["status"] == "ok" and owner not in (None, path):
        result = as_duplicate(result, owner)
    ledger.add(result.document)
    return result


class Batcher:
    """Collects the article and figure rows of processed inputs and stages them in parts.

    Batch *n* of run *r* becomes ``part-<r>-<n>.parquet`` in both tables, first under the
    run's staging folder; `etl.state.commit` moves them into the dataset.
    """

    def __init__(self, out_dir: Path, run_id: str, options: JobOptions, result: JobResult,
                 on_batch: Callable[[int], None] | None = None):
        self.staging = staging_dir(out_dir, run_id)
        self.run_id, self.options, self.result = run_id, options, result
        self.on_batch = on_batch
        self.n = 0
        self._reset()

    def _reset(self) -> None:
        self.articles, self.figures, self.inputs, self.chars = [], [], 0, 0

    def add(self, result: DocumentResult) -> None:
        self.articles.extend(result.articles)
        self.figures.extend(result.figures)
        self.inputs += 1
        self.chars += sum(len(a["text"]) for a in result.articles)
        self.result.kinds.update(f["kind"] for f in result.figures)
        o = self.options
        if (self.inputs >= o.batch_inputs or len(self.articles) + len(self.figures) >= o.batch_rows
                or self.chars >= o.batch_chars):
            self.flush()

    def flush(self) -> None:
        from .write import write_table  # pandas and pyarrow: only when there is something to write

        if self.articles or self.figures:
            part = f"part-{self.run_id}-{self.n:04d}"
            for table, rows in (("articles", self.articles), ("figures", self.figures)):
                if rows:
                    write_table(table, rows, self.staging, part=part)
                    self.result.new_parts[table].append(Path(table) / f"{part}.parquet")
            self.result.figures_written += len(self.figures)
            self.result.articles_written += len(self.articles)
            self.n += 1
            if self.on_batch:
                self.on_batch(self.n)
        self._reset()


def run_job(paths: list[Path], out_dir: Path, run_id: str, started: datetime,
            options: JobOptions = JobOptions(),
            progress: Callable[[list[Path]], Iterable[Path]] = lambda todo: todo,
            on_batch: Callable[[int], None] | None = None) -> JobResult:
    """One incremental run over `paths` into `out_dir`; the caller holds the lock and has
    called `etl.state.recover`. Returns what was done; the commit has happened when it returns.
    """
    result = JobResult(run_id, seen=len(paths))
    old_rows = [] if options.full_refresh else read_documents(out_dir)
    ledger = Ledger(old_rows)
    todo, result.unchanged = plan(paths, ledger)
    if not todo and not options.full_refresh:
        return result  # the no-change path: nothing read, nothing written
    batcher = Batcher(out_dir, run_id, options, result, on_batch)
    for path in progress(todo):
        _step(read_limited(path, options.max_input_bytes), ledger, started, batcher, result)
    for path in ledger.orphaned_duplicates():
        _step(read_limited(Path(path), options.max_input_bytes), ledger, started, batcher, result, force=True)
    batcher.flush()
    result.superseded = ledger.superseded
    # No index of old rows means old parts cannot be matched to inputs: start over.
    drop_all = options.full_refresh or not old_rows
    moves, deletions = _retire_old_rows(out_dir, run_id, ledger.removed_ids, drop_all, result)
    moves += [(batcher.staging / p, out_dir / p) for t in ("articles", "figures") for p in result.new_parts[t]]
    doc_moves, doc_deletions = _stage_documents(out_dir, run_id, ledger.table())
    commit(out_dir, moves + doc_moves, deletions + doc_deletions)
    drop_staging(out_dir)  # emptied by the commit but for its folders
    result.new_parts = {t: [out_dir / p for p in parts] for t, parts in result.new_parts.items()}
    return result


def read_limited(path: Path, max_bytes: int | None) -> InputFile:
    """`read_input`, except that a file over `max_bytes` is not read: one huge file must not
    take the memory of a scheduled job. It is recorded unreadable, so it is retried on
    every run and processed once the limit is raised."""
    if max_bytes is not None:
        try:
            st = os.stat(path)
        except OSError:
            st = None  # read_input reports why
        if st is not None and st.st_size > max_bytes:
            return InputFile(path, path.name, st.st_size, file_mtime(st),
                             error=f"not read: {st.st_size / 2**20:.1f} MB is over the limit of "
                                   f"{max_bytes / 2**20:g} MB (--max-input-mb)")
    return read_input(path)


def _step(inp: InputFile, ledger: Ledger, started: datetime, batcher: Batcher, result: JobResult,
          force: bool = False) -> None:
    done = process_path(inp, ledger, started, force)
    if done is None:
        result.touched += 1
        return
    result.documents.append(done.document)
    batcher.add(done)


# ---------------------------------------------------------------- old rows and documents

def read_documents(out_dir: Path) -> list[dict]:
    """The committed documents rows (empty before the first run)."""
    from .write import read_table

    try:
        return read_table("documents", out_dir).to_pylist()
    except FileNotFoundError:
        return []


def _retire_old_rows(out_dir: Path, run_id: str, removed: set[str], drop_all: bool,
                     result: JobResult) -> tuple[list[tuple[Path, Path]], list[Path]]:
    """Stage rewrites of the old parts that hold rows of `removed` contents.

    Returns (moves, deletions) for the commit: a rewritten part replaces its old file under
    the same name (readers see it whole, before or after); an emptied part is deleted.
    """
    if not removed and not drop_all:
        return [], []
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from .write import _parts, write_table

    moves, deletions = [], []
    wanted = sorted(removed)
    for table in ("figures", "articles"):
        for part in _parts(table, out_dir):
            ids = pq.ParquetFile(part).read(columns=["doc_id"]).column(0)
            if drop_all:
                gone = len(ids)
            else:
                gone = pc.sum(pc.is_in(ids, value_set=_strings(wanted))).as_py() or 0
            if not gone:
                continue
            setattr(result, f"{table}_removed", getattr(result, f"{table}_removed") + gone)
            if gone == len(ids):
                deletions.append(part)
                continue
            data = pq.ParquetFile(part).read()
            kept = data.filter(pc.invert(pc.is_in(data.column("doc_id"), value_set=_strings(wanted))))
            staged = write_table(table, kept, staging_dir(out_dir, run_id), part=part.stem)
            moves.append((staged, part))
    return moves, deletions


def _strings(values: list[str]):
    import pyarrow as pa

    return pa.array(values, type=pa.string())


def _stage_documents(out_dir: Path, run_id: str, rows: list[dict]) -> tuple[list, list]:
    """The whole documents table, staged as its single part (other parts were read into
    `rows`, so they are dropped)."""
    from .write import _parts, write_table

    staged = write_table("documents", rows, staging_dir(out_dir, run_id), part="part-0")
    target = out_dir / "documents" / "part-0.parquet"
    return [(staged, target)], [p for p in _parts("documents", out_dir) if p != target]
