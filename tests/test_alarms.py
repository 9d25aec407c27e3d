"""Alarms that are real (issue 14): on documents written for these tests (tests/alarms/docs:
a national communiqué, a work report, a project news page that all agree, and one with
each kind of real inconsistency) the checks raise exactly the inconsistencies of
tests/alarms/truth.toml; on the held-out set every alarm points at a wrongly extracted
figure; `figure-etl alarms` counts and judges them."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from etl.cli import main
from etl.review.alarms import ALARMS, Alarm, checked_rows, format_alarms, is_true, load_truth
from etl.review.evaluate import load_gold

HERE = Path(__file__).parent
DOCS, TRUTH = HERE / "alarms" / "docs", HERE / "alarms" / "truth.toml"
HELDOUT = HERE / "heldout"


@pytest.fixture(scope="module")
def own_rows() -> list[Alarm]:
    return checked_rows([DOCS])


def test_every_real_inconsistency_alarms_and_nothing_else(own_rows):
    truth = load_truth(TRUTH)
    alarms = [r for r in own_rows if r.status in ALARMS]
    false = [f"{a.file} {a.rule}: {a.message}" for a in alarms if not is_true(a, None, truth)]
    missed = [t for t in truth if not any(is_true(a, None, [t]) for a in alarms)]
    assert false == [] and missed == []
    assert len(alarms) == len(truth)


def test_documents_that_agree_still_pass_their_checks(own_rows):
    # The checks are not silenced: the agreeing documents keep passing rows.
    agreeing = [r for r in own_rows if not r.file.startswith("a4")]
    assert {r.status for r in agreeing} == {"pass"}
    assert {r.rule for r in agreeing} >= {"parts_and_total", "stated_rate"}


def test_every_alarm_names_both_numbers(own_rows):
    for alarm in (r for r in own_rows if r.status in ALARMS):
        shown = [s for s in alarm.surfaces if s in alarm.message]
        assert shown, alarm.message
        assert sum(ch.isdigit() for ch in alarm.message.replace(shown[0], "", 1)) > 0, alarm.message


def test_documents_written_after_the_rules_alarm_with_precision():
    # tests/alarms/unseen was written once the rules stood, to measure them on text they were
    # not written for (one rule, the named whole of a share, came from its first run); two of its
    # six inconsistencies are known gaps (strict xfail cases in checks.yaml).
    truth = load_truth(HERE / "alarms" / "unseen_truth.toml")
    alarms = [r for r in checked_rows([HERE / "alarms" / "unseen"]) if r.status in ALARMS]
    true = sum(bool(is_true(a, None, truth)) for a in alarms)
    assert true >= 4 and true / len(alarms) >= 0.8


def test_heldout_alarms_point_at_wrong_figures():
    gold = load_gold(HELDOUT / "gold")
    alarms = [r for r in checked_rows([HELDOUT / "docs"]) if r.status in ALARMS]
    assert [a.message for a in alarms if not is_true(a, gold, None)] == []


def _alarm(file: str, rule: str, status: str, *figures: dict) -> Alarm:
    return Alarm(file, rule, status, "m", figures)


def test_judging_by_gold_and_truth():
    fig = {"surface": "19亿元", "kind": "investment", "value": 1.9e9, "indicator": "总投资"}
    gold = {"a.txt": [dict(fig)]}
    assert is_true(_alarm("a.txt", "plausibility", "warn", fig), gold, None) is False
    assert is_true(_alarm("a.txt", "plausibility", "warn", {**fig, "indicator": "用地"}), gold, None) is True
    assert is_true(_alarm("c.txt", "duplicate", "warn", fig), gold, None) is None
    truth = [{"file": "b.txt", "rule": "plausibility", "surfaces": ["19亿元"]}]
    assert is_true(_alarm("b.txt", "plausibility", "warn", fig), gold, truth) is True
    assert is_true(_alarm("b.txt", "duplicate", "warn", fig), gold, truth) is False
    assert is_true(_alarm("c.txt", "duplicate", "warn", fig), gold, truth) is False  # truth covers every file


def test_format_counts_by_rule_and_status_and_gives_precision():
    fig = {"surface": "5家", "kind": "count", "value": 5.0, "indicator": ""}
    rows = [_alarm("a.txt", "count_and_enumeration", "fail", fig),
            _alarm("a.txt", "count_and_enumeration", "pass", fig),
            _alarm("a.txt", "plausibility", "warn", fig)]
    truth = [{"file": "a.txt", "rule": "count_and_enumeration", "surfaces": ["5家"]}]
    text = format_alarms(rows, None, truth)
    lines = text.splitlines()
    assert lines[0].split() == ["rule", "pass", "warn", "fail"]
    assert next(l for l in lines if l.startswith("count_and_enumeration")).split()[1:] == ["1", "0", "1"]
    assert next(l for l in lines if l.startswith("plausibility")).split()[1:] == ["0", "1", "0"]
    assert "alarms: 2 (2 judged, 1 true); precision 0.50" in text


def test_alarms_command(tmp_path):
    doc = tmp_path / "d.txt"
    doc.write_text("全县获评省级示范企业共5家，分别为鹤川机械、远川电子以及新川物流。", "utf-8")
    truth = tmp_path / "truth.toml"
    truth.write_text('[[inconsistency]]\nfile = "d.txt"\nrule = "count_and_enumeration"\nsurfaces = ["5家"]\n', "utf-8")
    result = CliRunner().invoke(main, ["alarms", str(tmp_path / "d.txt"), "--truth", str(truth)])
    assert result.exit_code == 0, result.output
    assert "TRUE  d.txt count_and_enumeration fail" in result.output
    assert "precision 1.00" in result.output
