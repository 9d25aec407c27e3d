"""The label model (metric, indicator, subject), case by case from tests/cases/labels.yaml,
and the integrity of its words in etl/data/labels.toml."""
from __future__ import annotations

import re
import tomllib
from importlib import resources

import pytest

from conftest import load_cases
from etl.figures import labels
from etl.figures.lexicon import load_lexicon
from etl.pipeline import process_text
from test_context import _field, _same

LABELS = tomllib.loads(resources.files("etl.data").joinpath("labels.toml").read_text("utf-8"))


@pytest.mark.parametrize("case", load_cases("labels.yaml"))
def test_label_case(case):
    figures = process_text(case["text"]).figures
    by_span = {(f.char_start, f.char_end): f for f in figures}
    found = iter(figures)
    for w in case["figures"]:
        f = next((g for g in found if g.surface == w["surface"]), None)
        assert f is not None, f"{case['text']}: no figure {w['surface']} in {[g.surface for g in figures]}"
        got = {k: _field(f, k, by_span) for k in w}
        assert all(_same(w[k], got[k]) for k in w), f"{case['text']}\n want {w}\n got  {got}"


@pytest.mark.parametrize("pattern", [*LABELS["phrase"]["time_patterns"], *LABELS["phrase"]["trailing_time_patterns"],
                                     LABELS["value_words"]["per_capita"]])
def test_label_patterns_compile_and_match_no_label_word(pattern):
    compiled = re.compile(pattern)
    words = [*LABELS["value_words"]["words"], *LABELS["phrase"]["verbs"], *LABELS["phrase"]["verb_labels"]]
    assert not [w for w in words if compiled.fullmatch(w)]


@pytest.mark.parametrize("text", ["2023年", "2021—2022年", "1—10月", "上半年", "年末", "“十四五”时期", "过去五年"])
def test_time_words_open_a_label(text):
    assert labels.phrase_before(text + "地区生产总值") == "地区生产总值"


def test_phrase_keeps_are_boundary_words_of_the_metric_lists():
    # A keep that is no boundary word would do nothing.
    assert set(LABELS["phrase"]["phrase_keeps"]) <= set(load_lexicon().metric_boundaries)
    # A flow verb kept before a bare head must not be cut as a boundary word either.
    boundaries = set(load_lexicon().metric_boundaries)
    assert {w for w in LABELS["phrase"]["count_flow_verbs"] if w in boundaries} <= set(LABELS["phrase"]["phrase_keeps"])


def test_conjunctions_are_boundary_words_of_the_metric_lists():
    # Only a boundary word can be read as a conjunction joining two nouns.
    assert set(LABELS["phrase"]["conjunctions"]) <= set(load_lexicon().metric_boundaries)


def test_whole_words_hold_a_boundary_word():
    # A whole word without a boundary word inside would protect nothing (公共: 共; 拥有量: 拥有;
    # 组织 in 经济组织).
    boundaries = load_lexicon().metric_boundaries
    assert [w for w in LABELS["phrase"]["whole_words"] if not any(b in w for b in boundaries)] == []


# A whole word that is an opening verb itself (分会场) opens the phrase after it instead.
@pytest.mark.parametrize("word", [w for w in LABELS["phrase"]["whole_words"] if w not in LABELS["phrase"]["verbs"]])
def test_a_boundary_inside_a_whole_word_cuts_nothing(word):
    assert labels.phrase_before("全县" + word + "面积").endswith(word + "面积")


def test_flow_heads_are_count_heads():
    # A flow head names what a count counts; any other word would never end a counted noun.
    assert set(LABELS["phrase"]["flow_heads"]) <= set(load_lexicon().metric_heads["count"])


@pytest.mark.parametrize("word", LABELS["phrase"]["completion_words"])
def test_yi_stays_before_a_verb_of_completion(word):
    assert word.startswith("已")
    assert labels.counted_noun(word + "项目", "，")[0] == word + "项目"


@pytest.mark.parametrize("verb", LABELS["phrase"]["count_verbs"])
def test_count_verbs_open_the_counted_noun(verb):
    assert labels.counted_noun(verb + "安置住房", "，")[0] == "安置住房"


def test_value_words_and_verb_labels_are_found_as_labels():
    for word in [*LABELS["value_words"]["words"], *LABELS["phrase"]["verb_labels"]]:
        assert labels.find_label("全市" + word) == word, word


def test_comparison_verbs_are_no_linking_words_after_a_value_word():
    for verb in LABELS["value_words"]["comparison_verbs"]:
        assert labels.metric_label(f"增速{verb}目标值") == verb


def test_labels_with_a_postposition_word_keep_it():
    for word in LABELS["phrase"]["not_postpositions"]:
        assert word.endswith(tuple(LABELS["phrase"]["trailing_postpositions"]))


SUBJECTS = tomllib.loads(resources.files("etl.data").joinpath("subjects.toml").read_text("utf-8"))


def test_round3_word_lists_hold_what_their_rules_need():
    phrase, lex = LABELS["phrase"], load_lexicon()
    # A verb noun begins with the opening verb it protects (round 5), or ends with it (水土保持, round 14).
    assert all(w.startswith(tuple(phrase["verbs"])) or w.endswith(tuple(phrase["verbs"])) for w in phrase["verb_nouns"])
    # Each exception starts with the word it protects, or it would protect nothing.
    assert all(w.startswith(tuple(lex.count_modifiers)) for w in phrase["not_scopes"])
    assert all(w.startswith(tuple([*phrase["count_verbs"], *phrase["count_flow_verbs"]])) for w in phrase["not_count_verbs"])
    assert all(labels._patterns().numeral_start.match(w) for w in phrase["numeral_words"])
    assert set(LABELS["share"]["unlabelled"]) <= set(LABELS["share"]["openers"])
    # The verbs that stay inside a name before a suffix are name boundaries elsewhere.
    assert set(SUBJECTS["name_verbs"]) <= set(lex.name_boundaries)
    assert all(len(w) == 1 and w in lex.subject_suffixes for w in SUBJECTS["level_words"])


@pytest.mark.parametrize("pattern", [*LABELS["phrase"]["per_unit_patterns"], *LABELS["phrase"]["counter_tails"]])
def test_per_unit_and_counter_patterns_compile_and_match_no_label_word(pattern):
    compiled = re.compile(pattern)
    assert not [w for w in [*LABELS["phrase"]["verbs"], "面积", "均价", "收入"] if compiled.fullmatch(w)]


@pytest.mark.parametrize("pattern", [*SUBJECTS["short_names"]["declared"], *SUBJECTS["short_names"]["declared_with_code"]])
def test_short_name_declarations_capture_one_name(pattern):
    assert re.compile(pattern).groups == 1


@pytest.mark.parametrize("pattern", SUBJECTS["short_names"]["declared_with_code"])
def test_short_name_declaration_with_a_code_holds_the_code(pattern):
    """`stock_code` only spares the search of a text that cannot match: every match holds one."""
    text = "砚川科技（603896）发布公告，华嘉能源(股票代码：600123.SH)披露，宁川精密（002345）表示"
    matches = list(re.finditer(pattern, text))
    assert matches and all(re.search(SUBJECTS["short_names"]["stock_code"], m.group()) for m in matches)
    assert labels.short_names(text.replace("（", "【").replace("(", "【")) == ()


def test_short_names_are_declared_or_derived_from_full_names():
    text = "证券简称：恒远电气公告编号：2026-008。全资子公司锦程智造科技有限公司成立。某集团股份有限公司（以下简称“某集团”）"
    assert set(labels.short_names(text)) == {"恒远电气", "锦程智造"}  # 某集团 is too short to be a name
