"""The incremental job: which inputs to read, processing in batches, and one atomic commit.

A run, with the output folder's lock held (`etl.job.state.job_lock`):

1. **Ledger**: the committed ``documents`` table is the index of inputs seen; its rows whose
   status is not ``superseded`` are *live*, at most one per path.
2. **Plan** (`plan`): an input whose path, size and mtime equal its live row is unchanged and
   is not opened. Every other input is read (unreadable ones are retried on every run: their
   cause is outside the bytes).
3. **Process** (`process_chunk` on an `etl.job.engine` engine, then `apply_outcome` and
   `Batcher`): workers read and process chunks of inputs in parallel; an input read with the
   same SHA-256 as its live row was only touched (its row gets the new mtime), the others go
   through `etl.pipeline.process_input`, and the worker converts their rows to Arrow: the
   parent receives a few Arrow tables per chunk and only slices, concatenates and writes
   them (with 2 workers on 2 cores, every CPU-second of the parent is taken from them).
   The parent applies the outcomes **in input order** (ledger, duplicates, batches), so
   the output does not depend on the number of workers.
   Rows are written in batches under ``_state/staging`` so memory stays bounded by the
   batch and the engine's window, not by the run.
4. **Supersede**: when a path's content changed, its old row stays in ``documents`` with
   status ``superseded``, and its old figures, articles and checks leave the dataset: the old
   parts that hold them are rewritten without them (or deleted when emptied).
5. **Commit** (`etl.job.state.commit`): rewritten old parts, then new parts, then ``documents``.

The checks of an article depend only on it and its figures, so they are computed with them
(`etl.quality.checks.article_checks`) and staged in the same batch: ``checks/<part>`` holds the
checks of the articles in ``articles/<part>``. A checks part lives and dies with the articles
part of its name (empty when those articles have no checks), so the review can tell a
dataset whose checks are complete from one written by an earlier version (`etl.review.report`).

Content that is already live under another path is recorded as ``duplicate`` and not
extracted again; if that other path later changes, its duplicates are processed again so the
content keeps exactly one owner.
"""
from __future__ import annotations

import os
import signal
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from functools import partial

import pyarrow as pa

from .engine import CHUNK_BYTES, Engine, chunked, default_workers, local_engine
from ..read.ingest import InputFile, doc_id, escaped, over_limit, raw_path, read_input
from ..pipeline import FAILED_STATUSES, DocumentResult, document_row, internal_error, process_input, unsupported_input
from ..figures.confidence import rows_with_checks
from ..quality.checks import article_checks
from ..read.urls import is_url
from .decisions import APPLIED_FILE, REVIEW_COLUMNS, Decisions, apply_decisions, read_decisions
from .state import DamagedState, commit, drop_staging, read_json, staging_dir, state_dir, write_json_atomic

SUPERSEDED = "superseded"
UNSUPPORTED = "unsupported"
#: The tables a batch writes, one part each (same name).
ROW_TABLES = ("articles", "figures", "checks")
#: Row limits of a staged batch; whichever is reached first closes the batch.
BATCH_INPUTS = 500
BATCH_ROWS = 200_000  # figures + articles rows
BATCH_CHARS = 50_000_000  # article text, the bulk of a batch's memory
#: Default of --max-input-seconds: far above what a legitimate input takes (a 100 MB file
#: takes about 2 minutes), low enough that a pathological one does not hold a nightly job.
MAX_INPUT_SECONDS = 600.0
ARROW_CHUNK_ROWS = 20_000  # dict rows of a table converted to Arrow at a time (see ArrowRows)


@dataclass(frozen=True)
class JobOptions:
    full_refresh: bool = False  # forget the ledger: process every input, drop every old part
    max_input_bytes: int | None = None  # larger inputs are recorded unreadable, not read
    batch_inputs: int = BATCH_INPUTS
    batch_rows: int = BATCH_ROWS
    batch_chars: int = BATCH_CHARS
    workers: int = field(default_factory=default_workers)  # local processes (1: in-process)
    max_input_seconds: float | None = MAX_INPUT_SECONDS  # budget of one input's processing


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
    checks_removed: int = 0
    figures_reviewed: int = 0  # committed figures whose review columns a changed decisions file rewrote
    kinds: Counter = field(default_factory=Counter)
    new_parts: dict[str, list[Path]] = field(default_factory=lambda: {t: [] for t in ROW_TABLES})

    @property
    def failed(self) -> list[dict]:
        return [d for d in self.documents if d["status"] in FAILED_STATUSES]

    @property
    def idle(self) -> bool:
        """Nothing to do: every input was unchanged (nothing read, nothing written)."""
        return (self.unchanged == self.seen and not self.documents and not self.figures_removed
                and not self.figures_reviewed)

    @property
    def wrote_data(self) -> bool:
        return bool(self.documents) or self.figures_removed > 0 or self.figures_reviewed > 0


# ---------------------------------------------------------------- ledger (pure)

class Ledger:
    """The documents table in memory: live rows by path, and which path owns each content.

    Paths are keyed as the documents table holds them (`etl.read.ingest.path_text`): a
    file name that is not UTF-8 has its undecodable bytes escaped.
    """

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
        i = self.live.get(escaped(path))
        return None if i is None else self.rows[i]

    def touch(self, path: str, size: int | None, mtime: datetime | None) -> None:
        """Same content seen again: only the stat fields change, so the fast path works next time."""
        i = self.live[escaped(path)]
        self.rows[i] = {**self.rows[i], "size_bytes": size, "mtime": mtime}

    def release(self, path: str, new_doc_id: str) -> None:
        """Retire the live row of `path` before its new version is added.

        A different content keeps the old row as ``superseded`` (history), except an
        unreadable row, which has no content; the same content just drops it. Rows of an
        old ok version are queued for removal from the dataset.
        """
        i = self.live.pop(escaped(path), None)
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
        """Live duplicates whose content lost its owner this run: they must be processed again
        (their paths as the OS takes them)."""
        return [raw_path(path, self.rows[i].get("path_bytes")) for path, i in self.live.items()
                if self.rows[i]["status"] == "duplicate" and self.rows[i]["doc_id"] in self.removed_ids]

    def table(self) -> list[dict]:
        return [row for row in self.rows if row is not None]


@dataclass(frozen=True)
class InputRows:
    """One processed input: its documents row and, as Arrow, its rows of `ROW_TABLES`.

    Made in the worker with `counts` (its rows in the chunk's tables, see `ChunkRows`);
    `unpack` gives it `rows_at`: per table, the chunk's table and the position of this
    input's first row in it (its rows are the next `counts[table]`). Not a slice per input:
    the batch cuts one slice per run of consecutive inputs (`Batcher.add`).
    """

    document: dict
    counts: dict[str, int] = field(default_factory=dict)
    chars: int = 0  # article text, which bounds a batch's memory
    kinds: Counter = field(default_factory=Counter)
    rows_at: dict[str, tuple[pa.Table, int]] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        """Figures and articles rows (the batch limit counts these)."""
        return self.counts.get("articles", 0) + self.counts.get("figures", 0)


def as_duplicate(result: InputRows, first_path: str) -> InputRows:
    """The same bytes under another name: recorded, not extracted twice (no articles, figures
    or checks rows)."""
    doc = {**result.document, "status": "duplicate", "n_articles": 0, "n_figures": 0,
           "error": f"same content as {first_path}"}
    return InputRows(doc)


# ---------------------------------------------------------------- plan (stat only)

def file_mtime(st: os.stat_result) -> datetime:
    """The mtime as the documents table stores it (the conversion `read_input` uses)."""
    return datetime.fromtimestamp(st.st_mtime, tz=timezone.utc)


def is_unchanged(path: Path, row: dict | None) -> bool:
    """The fast path: same path, size and mtime as the live row, and nothing to retry."""
    if row is None or row["status"] in ("unreadable", UNSUPPORTED):
        return False  # retried; an unsupported file given by name is read (or its kind became readable)
    return same_stat(path, row)


def same_stat(path: Path, row: dict) -> bool:
    """The file has the size and mtime of its row."""
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


def plan_unsupported(paths: Iterable[Path], ledger: Ledger,
                     processed_at: datetime) -> tuple[list[tuple[str, InputRows]], int]:
    """Documents rows for files of a kind the job does not read (a stat, never a read),
    and the count of those recorded already with the same size and mtime."""
    from ..read.ingest import readable_suffixes

    rows, unchanged = [], 0
    for path in paths:
        row = ledger.get(str(path))
        if row is not None and row["status"] == UNSUPPORTED and same_stat(path, row):
            unchanged += 1
            continue
        try:
            st = os.stat(path)
            inp = InputFile(path, path.name, st.st_size, file_mtime(st))
        except OSError as exc:
            inp = InputFile(path, path.name, None, None, error=str(exc))
        rows.append((str(path), InputRows(unsupported_input(inp, processed_at, readable_suffixes()).document)))
    return rows, unchanged


# ---------------------------------------------------------------- process

@dataclass(frozen=True)
class Touched:
    """A read input whose bytes equal its live row's: only its stat fields change."""

    size: int | None
    mtime: datetime | None


def known_content(ledger: Ledger, path: str, force: bool = False) -> str | None:
    """The doc_id that makes a read of `path` a mere touch, or None when it must be processed.

    `force` processes unchanged bytes too (a duplicate whose original changed).
    """
    old = ledger.get(path)
    if force or old is None or old["status"] == "unreadable":
        return None
    return old["doc_id"]


def load_and_process(path: str, known: str | None, max_bytes: int | None,
                     processed_at: datetime, max_seconds: float | None = None) -> DocumentResult | Touched:
    """Read and process one input where it runs (a worker): the bytes never travel.

    Pure with respect to the ledger, so it can run in any process; `apply_outcome`
    makes the decisions that depend on the order of inputs. Processing that takes more
    than `max_seconds` is stopped and the input recorded failed (`time_budget`).
    """
    inp = load_input(path, max_bytes)
    if inp.ok and known is not None and doc_id(inp.data) == known:
        return Touched(inp.size, inp.mtime)
    try:
        with time_budget(max_seconds):
            return process_and_check(inp, processed_at)
    except InputTimeout:
        return DocumentResult({**document_row(inp, processed_at), "status": "failed",
                               "error": f"stopped after {max_seconds:g} s (--max-input-seconds): "
                                        "the input takes too long to process; it is retried when it changes"})


class InputTimeout(BaseException):
    """An input ran over its time budget. A BaseException: the `except Exception` that
    turns a bug into a failed row must not catch it halfway down the stages."""


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise `InputTimeout` in this thread once `seconds` of wall time have passed.

    A SIGALRM timer, so it stops pure-Python loops and `re` searches alike (both check for
    signals) in the main thread of a process: the caller's, or a pool worker's. Elsewhere
    (a Dask worker runs tasks in threads, where signals cannot be handled) there is no
    budget. Code that never returns to the interpreter (a C call) is not stopped.
    """
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise InputTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def process_and_check(inp: InputFile, processed_at: datetime) -> DocumentResult:
    """`process_input`, then the consistency checks of its articles, from the sentence spans
    the extraction found, which lower the confidence of the figures they fail or warn; a bug in the checks fails the input like a bug in the extraction."""
    result = process_input(inp, processed_at)
    if result.sentences is None:
        return result
    try:
        add_checks(result)
    except Exception as exc:  # one input's bug must not stop the run
        return internal_error({**result.document, "n_articles": 0, "n_figures": 0}, exc)
    return result


def add_checks(result: DocumentResult) -> None:
    """The checks of `result`'s articles (from its sentence spans, then dropped), and the
    confidence of the figures a check failed or warned about lowered."""
    result.checks = article_checks(result.articles, result.figures, result.sentences)
    rows_with_checks(result.figures, result.checks)
    result.sentences = None


class ArrowRows:
    """Dict rows of one table converted to Arrow `ARROW_CHUNK_ROWS` at a time.

    Memory: Arrow is a few times smaller than dict rows, and `extend` empties the lists it
    is given as it converts them, so a huge input's dicts are freed chunk by chunk.
    """

    def __init__(self, table: str):
        self.name = table
        self.pending: list[dict] = []
        self.chunks: list[pa.Table] = []

    def extend(self, rows: list[dict]) -> None:
        while rows:
            take = ARROW_CHUNK_ROWS - len(self.pending)
            self.pending += rows[:take]
            del rows[:take]
            if len(self.pending) >= ARROW_CHUNK_ROWS:
                self._convert()

    def _convert(self) -> None:
        from ..tables.write import to_arrow

        if self.pending:
            self.chunks.append(to_arrow(self.name, self.pending))
            self.pending = []

    def table(self) -> pa.Table:
        from ..tables.write import load_schema

        self._convert()
        return pa.concat_tables(self.chunks) if self.chunks else load_schema(self.name).empty_table()


@dataclass(frozen=True)
class ChunkRows:
    """What a worker sends back for a chunk: one outcome per input, in input order, and the
    rows of its processed inputs as one Arrow table per table (each input's rows follow
    the previous one's). A few Arrow buffers pickle in a fraction of the time of dict rows,
    and a slice would pickle its whole parent buffer, hence one table per chunk.

    Pickled (by a process pool or Dask), each table travels as one Arrow IPC stream: a
    pickled `pa.Table` rebuilds its schema, every column and every buffer one object at a
    time, which cost the parent more CPU than anything else it did per chunk; reading an
    IPC stream is a few header reads over one buffer, whose memory the table then uses.
    """

    outcomes: list[InputRows | Touched]
    tables: dict[str, pa.Table]

    def __reduce__(self):
        return _chunk_from_ipc, (self.outcomes, {t: _ipc_stream(data) for t, data in self.tables.items()})


def _ipc_stream(data: pa.Table) -> pa.Buffer:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, data.schema) as writer:
        writer.write_table(data)
    return sink.getvalue()


def _chunk_from_ipc(outcomes: list[InputRows | Touched], streams: dict[str, pa.Buffer]) -> ChunkRows:
    return ChunkRows(outcomes, {t: pa.ipc.open_stream(buf).read_all() for t, buf in streams.items()})


def process_chunk(chunk: list[tuple[str, str | None]], max_bytes: int | None,
                  processed_at: datetime, max_seconds: float | None = None) -> ChunkRows:
    """`load_and_process` over a chunk of (path, known doc_id), rows converted to Arrow:
    the unit a worker runs."""
    arrow = {t: ArrowRows(t) for t in ROW_TABLES}
    outcomes: list[InputRows | Touched] = []
    for path, known in chunk:
        outcome = load_and_process(path, known, max_bytes, processed_at, max_seconds)
        if isinstance(outcome, DocumentResult):
            counts = {t: len(getattr(outcome, t)) for t in ROW_TABLES}
            chars = sum(len(a["text"]) for a in outcome.articles)
            kinds = Counter(f["kind"] for f in outcome.figures)
            for t in ROW_TABLES:
                arrow[t].extend(getattr(outcome, t))
            outcome = InputRows(outcome.document, counts, chars, kinds)
        outcomes.append(outcome)
    return ChunkRows(outcomes, {t: rows.table() for t, rows in arrow.items()})


def unpack(chunk: ChunkRows) -> Iterable[InputRows | Touched]:
    """The outcomes of a chunk, each processed input with where its rows start in the
    chunk's tables."""
    start = dict.fromkeys(ROW_TABLES, 0)
    for outcome in chunk.outcomes:
        if isinstance(outcome, InputRows):
            rows_at = {t: (chunk.tables[t], start[t]) for t in ROW_TABLES}
            for t in ROW_TABLES:
                start[t] += outcome.counts[t]
            outcome = InputRows(outcome.document, outcome.counts, outcome.chars, outcome.kinds, rows_at)
        yield outcome


def apply_outcome(path: str, outcome: InputRows | Touched, ledger: Ledger) -> InputRows | None:
    """Record one processed input in the ledger, in input order; None when it was only touched.

    Content already owned by another path becomes a duplicate (its rows are dropped).
    """
    if isinstance(outcome, Touched):
        ledger.touch(path, outcome.size, outcome.mtime)
        return None
    result = outcome
    ledger.release(path, result.document["doc_id"])
    owner = ledger.owners.get(result.document["doc_id"])
    if result.document["status"] == "ok" and owner not in (None, escaped(path)):
        result = as_duplicate(result, owner)
    ledger.add(result.document)
    return result


class Batcher:
    """Collects the article, figure and check rows of processed inputs and stages them in parts.

    Batch *n* of run *r* becomes ``part-<r>-<n>.parquet`` in each table, first under the
    run's staging folder; `etl.job.state.commit` moves them into the dataset. Every batch has
    a checks part, empty or not (see the module docstring).
    """

    def __init__(self, out_dir: Path, run_id: str, options: JobOptions, result: JobResult,
                 on_batch: Callable[[int], None] | None = None, decisions: Decisions = Decisions()):
        self.staging = staging_dir(out_dir, run_id)
        self.decisions = decisions  # applied to the figures of every part staged
        self.run_id, self.options, self.result = run_id, options, result
        self.on_batch = on_batch
        self.n = 0
        self._reset()

    def _reset(self) -> None:
        # This batch's rows: per table, runs [chunk table, start, stop) of consecutive inputs.
        self.runs: dict[str, list[list]] = {t: [] for t in ROW_TABLES}
        self.rows = self.inputs = self.chars = 0

    def add(self, result: InputRows) -> None:
        """Take the rows of one input; close the batch when it is full."""
        self.rows += result.rows
        self.inputs += 1
        self.chars += result.chars
        self.result.kinds.update(result.kinds)
        self.result.figures_written += result.counts.get("figures", 0)
        self.result.articles_written += result.counts.get("articles", 0)
        for table, (data, start) in result.rows_at.items():
            n = result.counts[table]
            if not n:
                continue
            runs = self.runs[table]
            if runs and runs[-1][0] is data and runs[-1][2] == start:
                runs[-1][2] += n  # the next input of the same chunk: one slice for both
            else:
                runs.append([data, start, start + n])
        o = self.options
        if self.inputs >= o.batch_inputs or self.rows >= o.batch_rows or self.chars >= o.batch_chars:
            self.flush()

    def flush(self) -> None:
        from ..tables.write import load_schema, write_table

        if self.rows:
            part = f"part-{self.run_id}-{self.n:04d}"
            for table in ROW_TABLES:
                if self.runs[table] or table == "checks":
                    chunks = ([data.slice(start, stop - start) for data, start, stop in self.runs[table]]
                              or [load_schema(table).empty_table()])
                    # contiguous again: a table of many chunks is written to a bigger file
                    data = pa.concat_tables(chunks).combine_chunks()
                    if table == "figures":
                        data, _ = apply_decisions(data, self.decisions)
                    write_table(table, data, self.staging, part=part)
                    self.result.new_parts[table].append(Path(table) / f"{part}.parquet")
            self.n += 1
            if self.on_batch:
                self.on_batch(self.n)
        self._reset()


def run_job(paths: list[Path], out_dir: Path, run_id: str, started: datetime,
            options: JobOptions = JobOptions(),
            progress: Callable[[list[Path]], Iterable[Path]] = lambda todo: todo,
            on_batch: Callable[[int], None] | None = None,
            engine: Callable[[int], Engine] | None = None,
            on_first_document: Callable[[], None] | None = None,
            unsupported: list[Path] = ()) -> JobResult:
    """One incremental run over `paths` into `out_dir`; the caller holds the lock and has
    called `etl.job.state.recover`. Returns what was done; the commit has happened when it returns.

    `engine(n_inputs)` gives the engine that processes the inputs (default: one local
    process per core); it is closed before the commit. `on_first_document()` is called
    once, when the run takes in its first document (so it will write and validate rows);
    local workers are forked by then. `unsupported` are files found in the input folders
    that the job does not read: they get a documents row each (`plan_unsupported`).
    """
    result = JobResult(run_id, seen=len(paths) + len(unsupported))
    if not options.full_refresh:  # a full refresh replaces every part, readable or not
        check_parts(out_dir)
    old_rows = [] if options.full_refresh else read_documents(out_dir)
    ledger = Ledger(old_rows)
    todo, result.unchanged = plan(paths, ledger)
    others, unchanged_others = plan_unsupported(unsupported, ledger, started)
    result.unchanged += unchanged_others
    decisions = read_decisions(out_dir)
    new_decisions = decisions.fingerprint != applied_decisions(out_dir)
    if not todo and not others and not options.full_refresh and not new_decisions:
        return result  # the no-change path: nothing read, nothing written
    for path, outcome in others:
        result.documents.append(apply_outcome(path, outcome, ledger).document)
    batcher = Batcher(out_dir, run_id, options, result, on_batch, decisions)
    eng = (engine or (lambda n: local_engine(options.workers, n)))(len(todo))
    try:
        _process_all(eng, [str(p) for p in todo], ledger, started, batcher, result, options, progress,
                     on_first_document=on_first_document)
        # Duplicates whose original changed: only known once every input above is applied.
        _process_all(eng, ledger.orphaned_duplicates(), ledger, started, batcher, result, options,
                     force=True, on_first_document=on_first_document)
    finally:
        eng.close()
    batcher.flush()
    result.superseded = ledger.superseded
    # No index of old rows means old parts cannot be matched to inputs: start over.
    drop_all = options.full_refresh or not old_rows
    moves, deletions = _retire_old_rows(out_dir, run_id, ledger.removed_ids, drop_all, result, decisions)
    if new_decisions and not drop_all:
        moves += _restage_reviews(out_dir, run_id, decisions, result, {*deletions, *(t for _, t in moves)})
    moves += [(batcher.staging / p, out_dir / p) for t in ROW_TABLES for p in result.new_parts[t]]
    moves.append(_stage_applied_decisions(out_dir, run_id, decisions))
    doc_moves, doc_deletions = _stage_documents(out_dir, run_id, ledger.table())
    if result.wrote_data:  # rows change: no validation covers them until this run's is done
        doc_moves.append(_stage_pending_validation(out_dir, run_id, drop_all))
    commit(out_dir, moves + doc_moves, deletions + doc_deletions)
    drop_staging(out_dir)  # emptied by the commit but for its folders
    result.new_parts = {t: [out_dir / p for p in parts] for t, parts in result.new_parts.items()}
    return result


def _process_all(eng: Engine, paths: list[str], ledger: Ledger, started: datetime, batcher: Batcher,
                 result: JobResult, options: JobOptions, progress=lambda todo: todo,
                 force: bool = False, on_first_document: Callable[[], None] | None = None) -> None:
    """Run `paths` through the engine; apply and batch the outcomes in input order."""
    if not paths:
        return
    tasks = ((p, known_content(ledger, p, force)) for p in paths)
    work = partial(process_chunk, max_bytes=options.max_input_bytes, processed_at=started,
                   max_seconds=options.max_input_seconds)
    chunks = chunked(tasks, weight=lambda task: input_weight(task[0]))
    outcomes = (o for chunk in eng.map(work, chunks) for o in unpack(chunk))
    for path, outcome in zip(progress(paths), outcomes):
        done = apply_outcome(path, outcome, ledger)
        if done is None:
            result.touched += 1
            continue
        result.documents.append(done.document)
        if on_first_document and len(result.documents) == 1:
            on_first_document()
        batcher.add(done)


def input_weight(path: str) -> int:
    """What an input weighs in a chunk (`etl.job.engine.chunked`): its size in bytes. A URL's
    size is not known without asking its store, so it counts as an eighth of a chunk
    (eight URLs a task); a file that cannot be stat'ed is cheap (it is unreadable)."""
    if is_url(path):
        return CHUNK_BYTES // 8
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def load_input(path: str, max_bytes: int | None) -> InputFile:
    """One input by path or fsspec URL (``file://``, ``memory://``, ``s3://`` ...)."""
    if is_url(path):
        from ..read.urls import read_url

        return read_url(path, max_bytes)
    return read_limited(Path(path), max_bytes)


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
            return InputFile(path, path.name, st.st_size, file_mtime(st), error=over_limit(st.st_size, max_bytes))
    return read_input(path)


# ---------------------------------------------------------------- old rows and documents

def check_parts(out_dir: Path) -> None:
    """Raise `DamagedState` naming the first part of a table that cannot be opened as
    Parquet (garbage, truncated): found before the run writes anything, not after its
    commit. Reads each part's footer only."""
    import pyarrow.parquet as pq

    from ..tables.write import _parts

    for table in ("documents", *ROW_TABLES):
        for part in _parts(table, out_dir):
            try:
                pq.read_metadata(part)
            except (OSError, pa.ArrowException) as exc:
                raise DamagedState(part, f"not a Parquet file: {exc}") from None


def read_documents(out_dir: Path) -> list[dict]:
    """The committed documents rows (empty before the first run)."""
    from ..tables.write import read_table

    try:
        return read_table("documents", out_dir).to_pylist()
    except FileNotFoundError:
        return []
    except (OSError, pa.ArrowException) as exc:  # a footer that reads over damaged pages
        raise DamagedState(out_dir / "documents", f"{type(exc).__name__}: {exc}") from None


def _retire_old_rows(out_dir: Path, run_id: str, removed: set[str], drop_all: bool,
                     result: JobResult, decisions: Decisions = Decisions()) -> tuple[list[tuple[Path, Path]], list[Path]]:
    """Stage rewrites of the old parts that hold rows of `removed` contents.

    Returns (moves, deletions) for the commit: a rewritten part replaces its old file under
    the same name (readers see it whole, before or after); an emptied part is deleted. A
    checks part goes with the articles part of its name: deleted with it, kept (empty if
    need be) while it stays.
    """
    if not removed and not drop_all:
        return [], []
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from ..tables.write import _parts, read_part, write_table

    moves, deletions = [], []
    wanted = sorted(removed)
    deleted: set[str] = set()  # names of the articles parts deleted
    for table in ("figures", "articles", "checks"):
        for part in _parts(table, out_dir):
            if drop_all:  # not read: a full refresh also replaces parts that cannot be read
                deletions.append(part)
                setattr(result, f"{table}_removed", getattr(result, f"{table}_removed") + _rows_in(part))
                continue
            ids = pq.ParquetFile(part).read(columns=["doc_id"]).column(0)
            gone = pc.sum(pc.is_in(ids, value_set=_strings(wanted))).as_py() or 0
            if table == "checks" and part.name in deleted:
                deletions.append(part)
                result.checks_removed += gone
                continue
            if not gone:
                continue
            setattr(result, f"{table}_removed", getattr(result, f"{table}_removed") + gone)
            keep_empty = table == "checks" and (out_dir / "articles" / part.name).exists()
            if gone == len(ids) and not keep_empty:
                deletions.append(part)
                if table == "articles":
                    deleted.add(part.name)
                continue
            data = read_part(table, part)  # a part of an earlier schema: new columns null
            kept = data.filter(pc.invert(pc.is_in(data.column("doc_id"), value_set=_strings(wanted))))
            if table == "figures":  # rewritten anyway: with the decisions of this run
                kept, reviewed = apply_decisions(kept, decisions)
                result.figures_reviewed += reviewed
            staged = write_table(table, kept, staging_dir(out_dir, run_id), part=part.stem)
            moves.append((staged, part))
    return moves, deletions


def _rows_in(part: Path) -> int:
    try:
        import pyarrow.parquet as pq

        return pq.read_metadata(part).num_rows
    except (OSError, pa.ArrowException):
        return 0


def _strings(values: list[str]):
    import pyarrow as pa

    return pa.array(values, type=pa.string())


def _restage_reviews(out_dir: Path, run_id: str, decisions: Decisions, result: JobResult,
                     taken: set[Path]) -> list[tuple[Path, Path]]:
    """Moves that rewrite the committed figures parts (but those in `taken`, which the run
    rewrites or deletes already) whose review columns `decisions` change: the decisions
    file changed since the last commit, and an unchanged document is not processed again.
    Only the ids and review columns are read to find out; a part is rewritten whole."""
    import pyarrow.parquet as pq

    from ..tables.write import _parts, read_part, write_table

    moves = []
    for part in _parts("figures", out_dir):
        if part in taken:
            continue
        present = set(pq.read_schema(part).names)
        columns = ["figure_id", "doc_id", *REVIEW_COLUMNS]
        if not set(columns) <= present:  # a part of an earlier version: read it whole
            columns = None
        narrow = read_part("figures", part, columns)
        if not apply_decisions(narrow, decisions)[1]:
            continue
        data, reviewed = apply_decisions(read_part("figures", part), decisions)
        result.figures_reviewed += reviewed
        moves.append((write_table("figures", data, staging_dir(out_dir, run_id), part=part.stem), part))
    return moves


def applied_decisions(out_dir: Path) -> str:
    """The fingerprint of the decisions file the committed figures carry ("" for none)."""
    return (read_json(state_dir(out_dir) / APPLIED_FILE) or {}).get("fingerprint", "")


def _stage_applied_decisions(out_dir: Path, run_id: str, decisions: Decisions) -> tuple[Path, Path]:
    """The move that commits, with the rows, which decisions file they carry."""
    staged = staging_dir(out_dir, run_id) / APPLIED_FILE
    write_json_atomic(staged, {"fingerprint": decisions.fingerprint})
    return staged, state_dir(out_dir) / APPLIED_FILE


def _stage_pending_validation(out_dir: Path, run_id: str, replaces_all: bool) -> tuple[Path, Path]:
    """The move that commits `etl.job.outcome.pending_marker` with the rows."""
    from .outcome import VALIDATION_FILE, pending_marker

    staged = staging_dir(out_dir, run_id) / VALIDATION_FILE
    write_json_atomic(staged, pending_marker(out_dir, run_id, replaces_all))
    return staged, state_dir(out_dir) / VALIDATION_FILE


def _stage_documents(out_dir: Path, run_id: str, rows: list[dict]) -> tuple[list, list]:
    """The whole documents table, staged as its single part (other parts were read into
    `rows`, so they are dropped)."""
    from ..tables.write import _parts, write_table

    staged = write_table("documents", rows, staging_dir(out_dir, run_id), part="part-0")
    target = out_dir / "documents" / "part-0.parquet"
    return [(staged, target)], [p for p in _parts("documents", out_dir) if p != target]
