"""The bundled sample scored against its hand-annotated gold (a regression guard)."""
from __future__ import annotations

import pytest

from conftest import GOLD, SAMPLE
from etl import extract_figures
from etl.review.evaluate import evaluate, format_report, load_gold

# The targets on the sample: F1 >= 0.97 on (source, kind, value);
# metric >= 0.90, subject >= 0.85, qualifier >= 0.97 on the matched figures.
TARGETS = {"f1": 0.97, "metric": 0.90, "subject": 0.85, "qualifier": 0.97}


@pytest.fixture(scope="module")
def evaluation():
    output = {
        path.name: [f.to_dict() for f in extract_figures(path.read_text("utf-8"))]
        for path in sorted(SAMPLE.glob("*.txt"))
    }
    return evaluate(load_gold(GOLD), output)


def test_gold_covers_every_sample_page():
    assert set(load_gold(GOLD)) == {p.name for p in SAMPLE.glob("*.txt")}


def test_sample_f1_meets_target(evaluation):
    assert evaluation.overall.f1 >= TARGETS["f1"], format_report(evaluation)
    for kind, score in evaluation.by_kind.items():
        assert score.f1 >= 0.9, f"{kind}\n" + format_report(evaluation)


@pytest.mark.parametrize("label", ["metric", "subject", "qualifier"])
def test_sample_label_accuracy_meets_target(evaluation, label):
    assert evaluation.accuracy(label) >= TARGETS[label], format_report(evaluation)


def test_scoring_counts_misses_and_extras():
    gold = {"a.txt": [{"kind": "count", "value": 4.0, "surface": "4个", "sentence": "s", "metric": "项目"}]}
    output = {"a.txt": [{"kind": "count", "value": 4.0, "surface": "4个", "metric": "企业"},
                        {"kind": "money", "value": 5.0, "surface": "5元", "sentence": "s"}]}
    ev = evaluate(gold, output)
    assert (ev.by_kind["count"].tp, ev.by_kind["money"].fp, ev.overall.fn) == (1, 1, 0)
    assert ev.accuracy("metric") == 0.0 and ev.accuracy("qualifier") == 1.0
    assert "extra (1)" in format_report(ev)
