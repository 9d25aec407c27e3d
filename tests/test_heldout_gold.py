"""The held-out gold (tests/heldout) is well formed: checked against its documents only.

These checks never run the extractor: the held-out set must stay independent of it.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path

import pytest

HELDOUT = Path(__file__).parent / "heldout"
DOCS = HELDOUT / "docs"
GOLD = HELDOUT / "gold"

KEYS = ["file", "kind", "value", "unit", "surface", "number_text", "unit_text", "counter",
        "qualifier", "metric", "subject", "sentence", "indicator", "relation",
        "period_start", "period_end", "period_text", "modality"]
CURRENCY = re.compile(r"[A-Z]{3}")
UNITS = {"area": {"m2"}, "count": {"count"}, "percent": {"percent", "pp"}}
QUALIFIERS = {"exact", "approx", "over", "under", "range"}
RELATIONS = {"level", "increase", "decrease", "share"}
MODALITIES = {"actual", "target"}
# A surface must not start inside a longer number: "5.1%" is not the tail of "15.1%".
NUMBER_CHARS = "0123456789.零一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟"


def read_gold(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def unit_error(row: dict) -> str | None:
    kind, unit = row["kind"], row["unit"]
    if kind in ("investment", "money"):
        return None if CURRENCY.fullmatch(unit) else f"{kind} in {unit}"
    if unit not in UNITS.get(kind, set()):
        return f"kind {kind!r} with unit {unit!r}"
    if (unit == "pp") != (row["unit_text"] == "个百分点"):
        return f"unit {unit} with unit_text {row['unit_text']}"
    if bool(row["counter"]) != (kind == "count"):
        return f"counter {row['counter']!r} on a {kind}"
    return None


def surface_error(row: dict) -> str | None:
    surface, number, unit = row["surface"], row["number_text"], row["unit_text"]
    if unit and surface == unit + number:
        return None  # a unit written before its number: 百分之五点一
    inner = surface[len(number):len(surface) - len(unit)] if unit else surface[len(number):]
    if not (surface.startswith(number) and surface.endswith(unit) and inner in ("", "余", "多")):
        return f"surface {surface!r} is not {number!r} + {unit!r}"
    return None


def parse_date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def context_error(row: dict) -> str | None:
    if row["qualifier"] not in QUALIFIERS or row["relation"] not in RELATIONS:
        return f"qualifier {row['qualifier']!r} / relation {row['relation']!r}"
    if row["modality"] not in MODALITIES:
        return f"modality {row['modality']!r}"
    try:
        start, end = parse_date(row["period_start"]), parse_date(row["period_end"])
    except (TypeError, ValueError):
        return f"period {row['period_start']!r}..{row['period_end']!r} is not ISO"
    if start and end and start > end:
        return f"period {start} after {end}"
    if (start or end) and not row["period_text"]:
        return "dated period without period_text"
    return None


def find_surface(text: str, surface: str, start: int) -> int:
    """Offset of the next occurrence of surface at or after start that begins a number, or -1."""
    at = text.find(surface, start)
    while at > 0 and surface[0] in NUMBER_CHARS and text[at - 1] in NUMBER_CHARS:
        at = text.find(surface, at + 1)
    return at


def gold_errors(name: str, text: str, rows: list[dict], cleaned: str | None = None) -> list[str]:
    """Every fault of one document's gold lines, with the 0-based line index. A sentence or
    label may stand in `cleaned` instead of `text` (a page with hard line wraps: its gold
    sentences are joined, its surfaces and offsets point into the page as written)."""
    errors, position = [], 0
    for i, row in enumerate(rows):
        if list(row) != KEYS:
            errors.append(f"{i}: keys {list(row)}")
            continue
        if row["file"] != name:
            errors.append(f"{i}: file {row['file']!r}")
        for check in (unit_error, surface_error, context_error):
            if (fault := check(row)) is not None:
                errors.append(f"{i}: {fault}")
        if row["surface"] not in row["sentence"] or (row["sentence"] not in text
                                                     and (cleaned is None or row["sentence"] not in cleaned)):
            errors.append(f"{i}: sentence does not hold {row['surface']!r} or is not in the text")
        for field in ("period_text", "metric", "indicator", "subject"):
            if row[field] not in text and (cleaned is None or row[field] not in cleaned):
                errors.append(f"{i}: {field} {row[field]!r} is not in the text")
        at = find_surface(text, row["surface"], position)
        if at < 0:
            errors.append(f"{i}: surface {row['surface']!r} not found after offset {position}")
        else:
            position = at + len(row["surface"])
    return errors


def gold_files() -> list[Path]:
    return sorted(GOLD.glob("*.jsonl"))


def test_every_document_has_gold_and_back():
    docs = {p.stem for p in DOCS.glob("*.txt")}
    assert docs == {p.stem for p in gold_files()}
    assert len(docs) == 6


@pytest.mark.parametrize("path", sorted(DOCS.glob("*.txt")), ids=lambda p: p.stem)
def test_document_length_is_within_the_brief(path):
    text = path.read_text("utf-8")
    assert len(re.findall(r"[\u4e00-\u9fff]", text)) >= 1500
    assert len(re.sub(r"\s", "", text)) <= 3000


@pytest.mark.parametrize("path", gold_files(), ids=lambda p: p.stem)
def test_gold_lines_are_well_formed(path):
    name = path.stem + ".txt"
    rows = read_gold(path)
    assert rows, "empty gold file"
    assert gold_errors(name, (DOCS / name).read_text("utf-8"), rows) == []


@pytest.fixture
def sample():
    """The communiqué's name, text and first three gold lines (a line is corrupted in each test)."""
    path = GOLD / "h1_national_communique.jsonl"
    return path.stem + ".txt", (DOCS / (path.stem + ".txt")).read_text("utf-8"), read_gold(path)[:3]


@pytest.mark.parametrize("change, expected", [
    (lambda r: r.pop("modality"), "keys"),
    (lambda r: r.update(unit="m2"), "money in m2"),
    (lambda r: r.update(kind="count"), "kind 'count' with unit 'CNY'"),
    (lambda r: r.update(surface="1386520万元"), "is not '1386520' + '亿元'"),
    (lambda r: r.update(sentence="全年国内生产总值。"), "sentence does not hold"),
    (lambda r: r.update(relation="up"), "relation 'up'"),
    (lambda r: r.update(period_start="2025-13-01"), "is not ISO"),
    (lambda r: r.update(period_start="2026-01-01"), "after"),
    (lambda r: r.update(period_text=""), "dated period without period_text"),
    (lambda r: r.update(metric="国民总收入"), "metric '国民总收入' is not in the text"),
])
def test_checks_catch_a_corrupted_line(sample, change, expected):
    name, text, rows = sample
    broken = copy.deepcopy(rows)
    change(broken[0])
    errors = gold_errors(name, text, broken)
    assert any(expected in e for e in errors), errors


def test_checks_catch_lines_out_of_order_and_a_tail_match(sample):
    name, text, rows = sample
    assert gold_errors(name, text, [rows[1], rows[0]]) != []
    # "1.6个百分点" exists, but "6个百分点" must not match its tail.
    tail = dict(rows[0], surface="6个百分点", number_text="6", unit_text="个百分点",
                kind="percent", unit="pp", sentence=text)
    assert any("not found" in e for e in gold_errors(name, text, [tail]))
