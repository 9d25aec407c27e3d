"""Review decisions that last: ``<output>/review/decisions.csv``, read by every run.

A reviewer marks a figure wrong or right, or corrects one of its fields, in a CSV file of
the output folder (by hand or with ``figure-etl review mark``). Columns (`COLUMNS`):

- ``figure_id``: the figure (figures.figure_id);
- ``doc_id``: the SHA-256 of the document it was found in (figures.doc_id): a decision
  holds for that content only;
- ``decision``: ``wrong``, ``right`` or ``correct``;
- ``field``, ``value``: for ``correct``, the field corrected (one of `CORRECTABLE`) and
  its right value as text; empty otherwise;
- ``note``: free text, optional.

The figures table shows a decision in its review columns (`REVIEW_COLUMNS`:
``review_status`` rejected, confirmed or corrected, and field, value and note); the
extractor's values are never altered. The last valid line of a figure wins. A line that
cannot be applied (an unknown decision or field) is reported, never guessed.

Applied where rows are written: the batches of a run (`apply_decisions` on each figures
part staged) and, when the file changed since the last run (its SHA-256 against the one
kept in ``_state/decisions.json``), the committed parts whose review columns it changes
are rewritten in the run's commit (`etl.job.job`). A decision whose figure_id and doc_id
match no live figure (its document changed, or it was never there) is *stale*: it is
applied to nothing and the report lists it.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

DECISIONS_FILE = Path("review") / "decisions.csv"
APPLIED_FILE = "decisions.json"  # in the state folder: the fingerprint the committed parts carry
COLUMNS = ("figure_id", "doc_id", "decision", "field", "value", "note")
#: decision → review_status
STATUSES = {"wrong": "rejected", "right": "confirmed", "correct": "corrected"}
UNREVIEWED = "unreviewed"
REVIEW_STATUSES = (UNREVIEWED, "confirmed", "rejected", "corrected")
REVIEW_COLUMNS = ("review_status", "review_field", "review_value", "review_note")
#: Fields of a figure a reviewer may correct.
CORRECTABLE = ("kind", "value", "value_high", "unit", "counter", "qualifier", "metric", "subject",
               "indicator", "relation", "period_start", "period_end", "period_text", "modality", "part_of")


@dataclass(frozen=True)
class Decision:
    figure_id: str
    doc_id: str
    decision: str
    field: str = ""
    value: str = ""
    note: str = ""

    @property
    def status(self) -> str:
        return STATUSES[self.decision]

    def review(self) -> tuple[str, str | None, str | None, str | None]:
        """The review columns of the figure it applies to."""
        corrected = self.decision == "correct"
        return (self.status, self.field if corrected else None, self.value if corrected else None,
                self.note or None)


@dataclass(frozen=True)
class Decisions:
    """The decisions file as read: its valid lines in file order, the lines it could not
    use (line number and why), and its fingerprint (SHA-256 of its bytes; "" without a file)."""

    rows: tuple[Decision, ...] = ()
    problems: tuple[tuple[int, str], ...] = ()
    fingerprint: str = ""
    latest: dict[str, Decision] = field(default_factory=dict)  # figure_id → its last decision

    def __post_init__(self) -> None:
        for d in self.rows:
            self.latest[d.figure_id] = d


def parse_decisions(data: bytes) -> Decisions:
    """The decisions in the bytes of a decisions file (UTF-8, a header line of `COLUMNS`)."""
    fingerprint = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Decisions(problems=((0, f"not UTF-8 text: {exc}"),), fingerprint=fingerprint)
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("figure_id", "doc_id", "decision") if c not in (reader.fieldnames or ())]
    if missing:
        return Decisions(problems=((1, f"the header lacks {', '.join(missing)}"),), fingerprint=fingerprint)
    rows, problems = [], []
    for line in reader:
        values = {c: (line.get(c) or "").strip() for c in COLUMNS}
        problem = problem_of(values)
        if problem:
            problems.append((reader.line_num, problem))
        else:
            rows.append(Decision(**values))
    return Decisions(tuple(rows), tuple(problems), fingerprint)


def problem_of(v: dict[str, str]) -> str:
    if not v["figure_id"] or not v["doc_id"]:
        return "figure_id and doc_id are required"
    if v["decision"] not in STATUSES:
        return f"decision {v['decision']!r} is not one of {', '.join(STATUSES)}"
    if v["decision"] == "correct" and v["field"] not in CORRECTABLE:
        return f"a correction names a field of {', '.join(CORRECTABLE)}, not {v['field']!r}"
    if v["decision"] == "correct" and not v["value"]:
        return "a correction gives the right value"
    return ""


def read_decisions(out_dir: Path) -> Decisions:
    """The decisions file of an output folder (none: no decisions)."""
    try:
        return parse_decisions((Path(out_dir) / DECISIONS_FILE).read_bytes())
    except FileNotFoundError:
        return Decisions()


def apply_decisions(data: pa.Table, decisions: Decisions) -> tuple[pa.Table, int]:
    """`data` (figures rows) with its review columns set from `decisions`, and how many
    rows' review columns changed. A decision applies to the row with its figure_id and
    doc_id; every other row is unreviewed. Returns `data` itself when nothing changes."""
    n = data.num_rows
    current = [data.column(c) for c in REVIEW_COLUMNS]
    decided = pa.array(list(decisions.latest), type=pa.string())
    hit = pc.is_in(data.column("figure_id"), value_set=decided)
    reviewed = pc.and_(pc.is_valid(current[0]), pc.not_equal(current[0], UNREVIEWED))
    if not pc.any(pc.or_(hit, reviewed)).as_py() and current[0].null_count == 0:
        return data, 0  # the common case: nothing decided here, nothing to undo
    wanted = [[UNREVIEWED] * n, [None] * n, [None] * n, [None] * n]
    ids, docs = data.column("figure_id"), data.column("doc_id")
    for i in pc.indices_nonzero(hit).to_pylist():
        d = decisions.latest[ids[i].as_py()]
        if d.doc_id == docs[i].as_py():
            for column, value in zip(wanted, d.review()):
                column[i] = value
    old_rows = zip(*(column.to_pylist() for column in current))
    changed = sum(old != new for old, new in zip(old_rows, zip(*wanted)))
    for name, values in zip(REVIEW_COLUMNS, wanted):
        index = data.schema.get_field_index(name)
        data = data.set_column(index, data.schema.field(index), pa.array(values, type=pa.string()))
    return data, changed


def state_of(decision: Decision, live: dict | None) -> str:
    """Where a decision stands, given the committed row of its figure_id (None when there is
    none; figure_id, doc_id and review_status): ``applied`` (the row shows it), ``pending``
    (the next run applies it: the file changed since the last one) or ``stale`` (no live
    figure has its figure_id in its document: the document changed, or it never had it)."""
    if live is None or live["doc_id"] != decision.doc_id:
        return "stale"
    return "applied" if live.get("review_status") == decision.status else "pending"


def add_decision(out_dir: Path, decision: Decision) -> Path:
    """Append `decision` to the decisions file of `out_dir` (made with its header when
    missing); the file is replaced whole, so a run reads the old one or the new one. The
    caller holds the output folder's lock."""
    path = Path(out_dir) / DECISIONS_FILE
    path.parent.mkdir(exist_ok=True)
    data = with_decision(path.read_bytes() if path.is_file() else None, decision)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def with_decision(data: bytes | None, decision: Decision) -> bytes:
    """The bytes of a decisions file (`data`, None for none) with `decision` appended."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if not data:
        writer.writerow(COLUMNS)
    writer.writerow([getattr(decision, c) for c in COLUMNS])
    prefix = b"" if not data else data if data.endswith(b"\n") else data + b"\n"
    return prefix + out.getvalue().encode("utf-8")
