"""Document kinds and the scale a figure is about (what the plausibility bounds depend on):
cases in tests/cases/scope.yaml, and the integrity of their data (genres.toml, [scale] and
[plausibility] of checks.toml)."""
from __future__ import annotations

import pytest

from conftest import load_cases
from etl.quality.checks import load_config
from etl.quality.scope import article_scale, figure_scale
from etl.text.genre import OTHER, document_kind, genre_data, kinds

SCALE = load_config()["scale"]


def _section(name: str) -> list:
    return [c for c in load_cases("scope.yaml") if c.id.startswith(name)]


@pytest.mark.parametrize("case", _section("document_kind"))
def test_document_kind(case):
    assert document_kind(case["text"]) == case["kind"]


@pytest.mark.parametrize("case", _section("figure_scale"))
def test_figure_scale(case):
    assert figure_scale(case["before"], case["labels"], case["article"], SCALE) == case["scale"]


@pytest.mark.parametrize("case", _section("article_scale"))
def test_article_scale(case):
    assert article_scale(case["text"], SCALE) == case["scale"]


def test_only_the_head_of_a_text_decides_its_kind():
    head = genre_data()["head_chars"]
    assert document_kind("本报讯" + "。" * head + "统计公报 统计公报") == OTHER


# ------------------------------------------------------------ data integrity

def _word_lists(table: dict) -> list[list[str]]:
    return [words for words in table.values()]


def test_genre_words_are_distinct_non_empty_strings():
    data = genre_data()
    assert isinstance(data["head_chars"], int) and data["head_chars"] > 0
    words = [w for entry in data["kinds"].values() for w in entry["words"]]
    assert words and all(isinstance(w, str) and w.strip() == w and w for w in words)
    assert len(words) == len(set(words)), "a word counts for one kind only"
    assert OTHER not in data["kinds"]


def test_scale_words_name_known_scales_and_every_kind_has_a_default():
    order = SCALE["order"]
    assert len(order) == len(set(order))
    assert all(isinstance(SCALE[k], int) and SCALE[k] > 0 for k in ("head_chars", "window"))
    for table in ("aggregate", "entity", "scope"):
        assert set(SCALE[table]) <= set(order), table
        for words in _word_lists(SCALE[table]):
            assert words and all(isinstance(w, str) and w for w in words)
    assert set(SCALE["default_by_kind"]) == set(kinds())
    assert set(SCALE["default_by_kind"].values()) <= set(order)


def test_plausibility_rules_are_well_formed():
    cfg = load_config()
    allowed = {"kinds", "units", "counters", "scales", "metric_ends", "metric_has", "subject_ends",
               "relations", "clause_has", "skip_per_unit", "warn_above", "warn_below", "fail_above",
               "fail_below", "why"}
    for name, rule in cfg["plausibility"].items():
        assert set(rule) <= allowed and rule["why"], name
        assert set(rule.get("scales", [])) <= set(SCALE["order"]), name
        assert set(rule.get("relations", [])) <= {"level", "increase", "decrease", "share"}, name
        assert all(rule.get("clause_has", ["x"])), name
        assert any(k in rule for k in ("warn_above", "warn_below", "fail_above", "fail_below")), name
        if "warn_above" in rule and "fail_above" in rule:
            assert rule["warn_above"] < rule["fail_above"], name
    assert cfg["per_unit"]["words"] and cfg["growth"]["base_words"]
    assert cfg["clause"]["marks"] and cfg["clause"]["window"] > 0
    assert all(cfg["growth"][k] for k in ("from_words", "to_words", "averaged"))
    assert cfg["parts"]["threshold_follow"] and cfg["parts"]["restated_open"]
    enumeration = cfg["enumeration"]
    assert set(enumeration["partial_markers"]) <= set(enumeration["markers"])
    assert isinstance(enumeration["max_count"], int) and enumeration["max_count"] > 0
