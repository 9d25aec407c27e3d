"""The blind gold (tests/blind) is well formed: checked against its documents only, with the
held-out set's checks. Its sentences are written after cleaning, so the text they are looked
for in has its spaces removed (the table rows of b1 and the headline of b3 have them)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from test_heldout_gold import gold_errors, read_gold
from etl.text.clean import clean_layout

BLIND = Path(__file__).parent / "blind"
DOCS, GOLD = BLIND / "docs", BLIND / "gold"
SPACES = re.compile(r"[ \u3000\t]")


def test_every_document_has_gold_and_back():
    docs = {p.stem for p in DOCS.glob("*.txt")}
    assert docs == {p.stem for p in GOLD.glob("*.jsonl")} and len(docs) == 5


@pytest.mark.parametrize("path", sorted(GOLD.glob("*.jsonl")), ids=lambda p: p.stem)
def test_gold_lines_are_well_formed(path):
    name = path.stem + ".txt"
    text = SPACES.sub("", (DOCS / name).read_text("utf-8"))
    assert gold_errors(name, text, read_gold(path)) == []


def test_inconsistencies_name_figures_of_the_gold():
    surfaces = {(row["file"], row["surface"]) for path in GOLD.glob("*.jsonl") for row in read_gold(path)}
    for line in (BLIND / "inconsistencies.jsonl").read_text("utf-8").splitlines():
        item = json.loads(line)
        assert item["figures"] and all((item["file"], s) in surfaces for s in item["figures"]), item["file"]


def test_aligned_gold_is_the_as_written_gold_after_the_round_2_rules():
    """tests/blind/gold is what align_round2.py makes of gold_as_written: no hand edits."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("align_round2", BLIND / "align_round2.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for path in sorted((BLIND / "gold_as_written").glob("*.jsonl")):
        rows = read_gold(path)
        module.align(rows)
        assert rows == read_gold(GOLD / path.name), path.name


BLIND2 = Path(__file__).parent / "blind2"


@pytest.mark.parametrize("path", sorted((BLIND2 / "gold").glob("*.jsonl")), ids=lambda p: p.stem)
def test_second_blind_gold_is_well_formed(path):
    name = path.stem + ".txt"
    text = SPACES.sub("", (BLIND2 / "docs" / name).read_text("utf-8"))
    assert gold_errors(name, text, read_gold(path)) == []


def test_second_blind_gold_is_its_as_written_gold_aligned():
    """gold/ differs from gold_as_written/ only by the one stated alignment (tools/align_change_metric.py)."""
    changed = 0
    for path in sorted((BLIND2 / "gold").glob("*.jsonl")):
        for aligned, written in zip(read_gold(path), read_gold(BLIND2 / "gold_as_written" / path.name), strict=True):
            diff = {k for k in aligned if aligned[k] != written[k]}
            assert diff <= {"metric"} and (not diff or aligned["relation"] in ("increase", "decrease"))
            changed += bool(diff)
    assert changed == 67


def _writer_offsets_hold(folder: Path, path: Path) -> None:
    """The writer's offsets (offsets/, one line per gold line) hold each surface in its document."""
    text = (folder / "docs" / (path.stem + ".txt")).read_text("utf-8")
    rows = read_gold(path)
    spans = [json.loads(line) for line in (folder / "offsets" / (path.stem + ".offsets.jsonl")).read_text("utf-8").splitlines()]
    assert len(spans) == len(rows)
    for row, span in zip(rows, spans):
        assert span["surface"] == row["surface"] == text[span["char_start"] : span["char_end"]]


WRITER_SETS = ("blind3", "blind4", "blind5", "blind6", "blind7", "blind8", "blind9", "blind10", "blind11", "blind12", "blind13", "blind14", "blind15", "blind16", "blind17", "blind18", "blind19")  # sets whose writers kept offsets beside the gold


@pytest.mark.parametrize("folder,path", [(Path(__file__).parent / name, path) for name in WRITER_SETS
                                         for path in sorted((Path(__file__).parent / name / "gold").glob("*.jsonl"))],
                         ids=lambda v: v.stem if isinstance(v, Path) and v.suffix else v.name)
def test_writer_gold_is_well_formed(folder, path):
    name = path.stem + ".txt"
    text = (folder / "docs" / name).read_text("utf-8")
    assert gold_errors(name, text, read_gold(path), clean_layout(text).text) == []
    _writer_offsets_hold(folder, path)


SECOND_ANNOTATOR_SETS = ("blind13", "blind14")  # a second annotator's gold of the same documents, on their own


@pytest.mark.parametrize("folder,path", [(Path(__file__).parent / name, path) for name in SECOND_ANNOTATOR_SETS
                                         for path in sorted((Path(__file__).parent / name / "second" / "gold").glob("*.jsonl"))],
                         ids=lambda v: v.stem if isinstance(v, Path) and v.suffix else v.name)
def test_second_annotator_gold_is_well_formed(folder, path):
    name = path.stem + ".txt"
    text = (folder / "docs" / name).read_text("utf-8")
    assert gold_errors(name, text, read_gold(path), clean_layout(text).text) == []


@pytest.mark.parametrize("name", SECOND_ANNOTATOR_SETS)
def test_two_annotators_find_the_same_figures_and_differ_on_labels(name):
    """benchmarks/agreement.py: both annotators find every figure (value F1 1.0), and they disagree
    on some labels: the ceiling of label accuracy on text either of them annotated (docs/context.md)."""
    from etl.review.evaluate import evaluate, load_gold
    folder = Path(__file__).parent / name
    ev = evaluate(load_gold(folder / "gold"), load_gold(folder / "second" / "gold"))
    assert ev.overall.f1 == 1.0
    assert 0.85 < ev.accuracy("metric") < 1.0 and 0.85 < ev.accuracy("indicator") < 1.0


# Scores of each evaluation set (issue 11; raised as rules land), less 0.01 (0.99 at most):
# a rule that costs more than a figure or two on any set fails here, not weeks later.
FLOORS = {
    "heldout": {"f1": 0.99, "metric": 0.948, "indicator": 0.948, "subject": 0.974, "relation": 0.99, "period": 0.99, "modality": 0.99},
    "blind": {"f1": 0.989, "metric": 0.93, "indicator": 0.94, "subject": 0.982, "relation": 0.99, "period": 0.965, "modality": 0.982},
    "blind2": {"f1": 0.99, "metric": 0.926, "indicator": 0.923, "subject": 0.981, "relation": 0.99, "period": 0.99, "modality": 0.987},
    "blind3": {"f1": 0.987, "metric": 0.966, "indicator": 0.948, "subject": 0.969, "relation": 0.987, "period": 0.98, "modality": 0.976},
    "blind4": {"f1": 0.99, "metric": 0.955, "indicator": 0.92, "subject": 0.99, "relation": 0.99, "period": 0.99, "modality": 0.99},
    "blind5": {"f1": 0.99, "metric": 0.947, "indicator": 0.947, "subject": 0.986, "relation": 0.99, "period": 0.99, "modality": 0.99},
    "blind6": {"f1": 0.99, "metric": 0.971, "indicator": 0.949, "subject": 0.965, "relation": 0.987, "period": 0.971, "modality": 0.987},
    "blind7": {"f1": 0.99, "metric": 0.982, "indicator": 0.978, "subject": 0.978, "relation": 0.986, "period": 0.958, "modality": 0.974},
    "blind8": {"f1": 0.99, "metric": 0.951, "indicator": 0.943, "subject": 0.961, "relation": 0.99, "period": 0.976, "modality": 0.99},
    "blind9": {"f1": 0.983, "metric": 0.95, "indicator": 0.932, "subject": 0.976, "relation": 0.99, "period": 0.972, "modality": 0.972},
    "blind10": {"f1": 0.986, "metric": 0.917, "indicator": 0.917, "subject": 0.963, "relation": 0.99, "period": 0.952, "modality": 0.986},
    "blind11": {"f1": 0.986, "metric": 0.909, "indicator": 0.876, "subject": 0.968, "relation": 0.99, "period": 0.99, "modality": 0.99},
    "blind12": {"f1": 0.976, "metric": 0.91, "indicator": 0.881, "subject": 0.946, "relation": 0.986, "period": 0.975, "modality": 0.986},
    "blind13": {"f1": 0.979, "metric": 0.931, "indicator": 0.897, "subject": 0.945, "relation": 0.99, "period": 0.96, "modality": 0.968},
    "blind14": {"f1": 0.983, "metric": 0.898, "indicator": 0.839, "subject": 0.966, "relation": 0.99, "period": 0.99, "modality": 0.952},
    "blind15": {"f1": 0.981, "metric": 0.824, "indicator": 0.795, "subject": 0.921, "relation": 0.979, "period": 0.925, "modality": 0.947},
    "blind16": {"f1": 0.98, "metric": 0.86, "indicator": 0.795, "subject": 0.98, "relation": 0.987, "period": 0.98, "modality": 0.973},
    "blind17": {"f1": 0.988, "metric": 0.867, "indicator": 0.813, "subject": 0.882, "relation": 0.982, "period": 0.986, "modality": 0.978},
    "blind18": {"f1": 0.982, "metric": 0.794, "indicator": 0.728, "subject": 0.894, "relation": 0.986, "period": 0.963, "modality": 0.928},
    "blind19": {"f1": 0.988, "metric": 0.776, "indicator": 0.697, "subject": 0.975, "relation": 0.982, "period": 0.911, "modality": 0.926},
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_scores_stay_above_their_floors(name):
    from etl import extract_figures
    from etl.review.evaluate import evaluate, format_report, load_gold

    folder = Path(__file__).parent / name
    output = {p.name: [f.to_dict() for f in extract_figures(p.read_text("utf-8"))]
              for p in sorted((folder / "docs").glob("*.txt"))}
    ev = evaluate(load_gold(folder / "gold"), output)
    got = {"f1": ev.overall.f1, **{label: ev.accuracy(label) for label in FLOORS[name] if label != "f1"}}
    low = {k: round(v, 3) for k, v in got.items() if v < FLOORS[name][k]}
    assert not low, f"{name} below its floors: {low}\n" + format_report(ev, show_errors=False)
