"""Integrity of the language data in etl/data/*.toml (as dateparser tests its locales)."""
from __future__ import annotations

import re
import tomllib
import warnings
from fractions import Fraction
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import regex

from etl.figures.extract import find_figures
from etl.figures.lexicon import load_lexicon
from etl.figures.numerals import SCALES

LEX = load_lexicon()
DATA_FILES = sorted(p.name for p in resources.files("etl.data").iterdir() if p.name.endswith(".toml"))


@pytest.mark.parametrize("name", DATA_FILES)
def test_data_file_has_no_empty_or_repeated_words(name):
    data = tomllib.loads(resources.files("etl.data").joinpath(name).read_text("utf-8"))

    def lists(node, path=""):
        if isinstance(node, dict):
            for key, value in node.items():
                assert key.strip() == key and key, f"{name}: blank key at {path}"
                yield from lists(value, f"{path}.{key}")
        elif isinstance(node, list):
            yield path, node

    for path, words in lists(data):
        assert all(isinstance(w, str) and w and w.strip() == w for w in words), f"{name}{path}"
        repeated = {w for w in words if words.count(w) > 1}
        assert not repeated, f"{name}{path} repeats {sorted(repeated)}"


def test_units_have_known_dimensions_and_positive_factors():
    for unit in LEX.units.values():
        assert unit.dimension in {"money", "area", "percent", "count"}
        assert unit.factor > 0
        if unit.dimension == "money":
            assert regex.fullmatch(r"[A-Z]{3}", unit.unit), unit
    assert LEX.units["亩"].factor == Fraction(10000, 15)
    assert LEX.units["平方公里"].factor == 10**6


def test_no_unit_starts_with_a_scale_word():
    # Scales are kept apart from units (万 × 元), so 万元 must never be a unit itself.
    for surface in LEX.units:
        assert not surface.startswith(tuple(SCALES)), surface


@pytest.mark.parametrize("counter", sorted(c for c, u in LEX.units.items() if u.dimension == "count"))
def test_every_counter_makes_a_count(counter):
    text = f"全市共计37{counter}。"
    figures = find_figures(text, [(0, len(text))])
    if counter in LEX.phase_counters:
        assert figures[0].counter == counter  # 共计37期: after 计 a phase counter counts
    assert [(f.kind, f.value, f.counter) for f in figures] == [("count", 37.0, counter)]


@pytest.mark.parametrize("surface", sorted(u for u, v in LEX.units.items() if v.dimension != "count"))
def test_every_unit_is_found_with_a_scale(surface):
    unit = LEX.units[surface]
    text = f"总额为12万{surface}。" if unit.dimension in ("money", "area") else f"增长为12{surface}。"
    figures = find_figures(text, [(0, len(text))])
    assert len(figures) == 1 and figures[0].unit == unit.unit, (text, figures)
    factor = 10**4 if unit.dimension in ("money", "area") else 1
    assert figures[0].value == pytest.approx(float(12 * factor * unit.factor))


def test_investment_heads_are_label_heads():
    money_heads = set(LEX.metric_heads["money"])
    assert set(LEX.investment_heads) - money_heads <= {"总投资", "總投資", "利用外资额"}


def test_slogans_hold_numerals():
    numeral = regex.compile(r"[0-9一二两三四五六七八九十百千万]")
    assert all(numeral.search(s) for s in LEX.slogans)


def test_han_ranges_are_the_han_script():
    # The `re` label patterns stand in for regex's \p{Han} with scripts.toml: they must
    # agree on every code point (a newer Unicode in `regex` shows up here).
    han_re, han_regex = re.compile(f"[{LEX.han}]"), regex.compile(r"\p{Han}")
    differ = [hex(c) for c in range(0x110000) if bool(han_re.match(chr(c))) != bool(han_regex.match(chr(c)))]
    assert differ == []


def test_currency_names_before_a_number_are_currencies():
    currencies = {u.unit for u in LEX.units.values() if u.dimension == "money"}
    assert LEX.currency_before and set(LEX.currency_before.values()) <= currencies
    for word, code in LEX.currency_before.items():
        (figure,) = find_figures(f"合同金额{word}3万元。", [(0, 10)])
        assert (figure.unit, figure.metric, figure.value) == (code, "合同金额", 30000.0), word


def test_currency_subunits_are_fractions_of_a_yuan():
    assert LEX.currency_subunits and all(0 < f < 1 for f in LEX.currency_subunits.values())
    assert all(10 ** 6 % f.denominator == 0 for f in LEX.currency_subunits.values())  # decimal fractions
    for unit in LEX.currency_subunit_after:
        assert unit in LEX.units and (LEX.units[unit].unit == "CNY" or LEX.units[unit].dimension == "count"), unit
        (figure,) = find_figures(f"售价8{unit}5角。", [(0, 8)])
        assert (figure.kind, figure.unit, figure.value) == ("money", "CNY", 8.5), unit


def test_signs_are_kept_by_known_dimensions():
    assert set(LEX.signed_dimensions) <= {"money", "area", "percent", "count"}


@pytest.mark.parametrize("unit", LEX.other_dimension_units)
def test_other_dimension_units_make_no_money(unit):
    assert unit not in LEX.units  # else it would be a figure of its own
    text = f"投资3600万{unit}。"
    assert find_figures(text, [(0, len(text))]) == [], unit


def test_exclusion_counters_are_counters():
    counters = {c for c, u in LEX.units.items() if u.dimension == "count"}
    assert set(LEX.session_counters) <= counters and set(LEX.package_counters) <= counters
    assert LEX.session_words and LEX.package_nouns and LEX.exchange_rate_words
    assert isinstance(LEX.max_clause_chars, int) and 50 <= LEX.max_clause_chars <= 2000


@pytest.mark.parametrize("noun", LEX.package_nouns)
def test_every_package_noun_names_a_package(noun):
    for counter in LEX.package_counters:
        text = f"出台八{counter}{noun}。"
        assert find_figures(text, [(0, len(text))]) == [], text


@pytest.mark.parametrize("symbol", sorted(LEX.currency_symbols))
def test_every_currency_symbol_makes_money_in_its_currency(symbol):
    assert regex.fullmatch(r"[A-Z]{3}", LEX.currency_symbols[symbol])
    text = f"融资{symbol}12万。"
    (figure,) = find_figures(text, [(0, len(text))])
    assert (figure.unit, figure.value, figure.surface) == (LEX.currency_symbols[symbol], 120000.0, f"{symbol}12万")


# --- alternation() writes a trie; it must match exactly what the flat longest-first list does ---

def _flat(words) -> str:
    from etl.figures.lexicon import longest_first

    return "|".join(regex.escape(w) for w in longest_first(words))


@settings(max_examples=300)
@given(st.lists(st.text(alphabet="万亿元平方米.$", max_size=4), max_size=8),
       st.text(alphabet="万亿元平方米.$x", max_size=12))
def test_alternation_matches_as_the_flat_list_does(words, text):
    from etl.figures.lexicon import alternation

    trie, flat = (re.compile(f"(?:{p})(?=x|$)") for p in (alternation(words), _flat(words)))
    # the lookahead makes the engine backtrack into the alternation: the order of tries shows
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)]
    assert ([m.span() for m in regex.finditer(alternation(words), text)]
            == [m.span() for m in regex.finditer(_flat(words), text)])


@pytest.mark.parametrize("words", [LEX.units, LEX.slogans, LEX.metric_modifiers, LEX.subject_suffixes])
def test_alternation_of_the_data_matches_as_the_flat_list_does(words):
    from etl.figures.lexicon import alternation

    text = "、".join(words) + "".join(words)  # every word, alone and run together
    trie, flat = re.compile(alternation(words)), re.compile(_flat(words))
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)]


@settings(max_examples=300)
@given(st.lists(st.text(alphabet="万亿元平方米.$", max_size=4), max_size=8),
       st.text(alphabet="万亿元平方米.$x", max_size=12))
def test_guarded_alternation_matches_as_the_trie_does(words, text):
    from etl.figures.lexicon import alternation, guarded_alternation

    # inside a larger pattern, optional and followed by more, as the candidate pattern uses it
    guarded, trie = (re.compile(f"x?(?:{p})?(?=x|$)") for p in (guarded_alternation(words), alternation(words)))
    assert [m.span() for m in guarded.finditer(text)] == [m.span() for m in trie.finditer(text)]


@pytest.mark.parametrize("pattern, starts", [
    (r"(?P<y>[0-9]{4})年|(?P<r>去年|今年)", set("0123456789去今")),
    (r"(?:(?P<y>[0-9]{4})年)?上半年", set("0123456789上")),  # an optional part lets the next one start
    (r"[“\"]?十四五", set("“\"十")),
    (r"(?=的)到", {"到"}),  # a lookahead is passed over
    (r"a?", None), (r"[^a]b", None), (r"\w年", None), (r"(?:a|)", None),  # empty, negated, category
])
def test_first_chars_of_a_pattern(pattern, starts):
    from etl.figures.lexicon import first_chars

    assert first_chars(pattern) == (None if starts is None else frozenset(starts))


@settings(max_examples=300)
@given(st.text(alphabet="年月0１2一十上今去初底末(?:|)[]", max_size=10), st.text(alphabet="年月0１2一十上今去初底末", max_size=8))
def test_first_chars_hold_every_match(pattern, text):
    """No match starts with a character outside `first_chars` (when it says any)."""
    from etl.figures.lexicon import first_chars

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # "possible nested set" of a random [[
            compiled = re.compile(pattern)
            starts = first_chars(pattern)  # parses the pattern again: the same warning
    except re.error:
        return
    if starts is not None:
        assert all(text[i] in starts for i in range(len(text)) if compiled.match(text, i))


@pytest.mark.parametrize("pattern, after", [
    (r"(?P<y>[0-9]{4})年|(?P<r>去年|今年)", set("年")),
    (r"(?:(?P<y>[0-9]{4})年)?(?P<m>[0-9]{1,2}|[一二]{1,3})[—至]", set("年—至")),  # with or without the year
    (r"[0-9]{4}年?[—至]", set("年—至")),
    (r"(?=的)[0-9]月", {"月"}),  # a lookahead is passed over
    (r"上半年", set()),  # no match starts with a digit
    (r"[0-9]{4}[0-9]年", None), (r"[0-9]{2}年?", None), (r"[0-9]\w", None),  # a digit, nothing or a category next
    (r"a?[0-9]年", {"年"}),  # an optional part before: a match without it
    (r"[0-9一]年", None), (r"[0-9]?", None),  # a class of more than digits; an empty match
])
def test_after_digit_run_of_a_pattern(pattern, after):
    from etl.figures.lexicon import after_digit_run

    assert after_digit_run(pattern) == (None if after is None else frozenset(after))


@settings(max_examples=300)
@given(st.text(alphabet="年月012一上(?:|)[]{}", max_size=10), st.text(alphabet="年月012一上", max_size=8))
def test_after_digit_run_holds_every_match(pattern, text):
    """No match starts in a run of digits followed by a character outside `after_digit_run`
    (when it says which), nor in one the text ends with."""
    from etl.figures.lexicon import DIGITS, after_digit_run

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            compiled = re.compile(pattern)
            after = after_digit_run(pattern)
    except re.error:
        return
    if after is None:
        return
    for i in range(len(text)):
        if text[i] in DIGITS and compiled.match(text, i):
            last = next((j for j in range(i, len(text)) if text[j] not in DIGITS), len(text))
            assert last < len(text) and text[last] in after


@pytest.mark.parametrize("pattern, ends", [
    (r"(?:增长|下降)$", set("长降")),
    (r"(?:达(?:到)?|为)$", set("达到为")),  # an optional part lets the one before end it
    (r"[（(]([^（()）]*)[）)]$", set("）)")),
    (r"(?<=[一-鿿])(?:完成|建成)$", {"成"}),  # a lookbehind is passed over
    (r"值(?!的)$", {"值"}),
    (r"增长", None), (r"(?:a$|b)", None), (r"a?$", None), (r"[^a]$", None), (r"\w$", None),  # not anchored, empty, negated
])
def test_last_chars_of_a_pattern(pattern, ends):
    from etl.figures.lexicon import last_chars

    assert last_chars(re.compile(pattern)) == (None if ends is None else frozenset(ends))


@settings(max_examples=300)
@given(st.text(alphabet="年月0１2一十上今去初底末(?:|)[]$\n", max_size=10), st.text(alphabet="年月0１2一十上今去初底末\n", max_size=8),
       st.integers(0, 10))
def test_search_at_end_is_the_search_it_spares(pattern, text, window):
    """What `search_at_end` answers is what the search from the window's start finds."""
    from etl.figures.lexicon import search_at_end

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # "possible nested set" of a random [[
            compiled = re.compile(pattern + "$")
            found = search_at_end(compiled, text, window)
    except re.error:
        return
    expected = compiled.search(text, max(0, len(text) - window))
    assert (found and (found.span(), found.groups())) == (expected and (expected.span(), expected.groups()))


@settings(max_examples=300)
@given(st.text(alphabet="年月0１2一十上今去初底末(?:|)[]", max_size=10), st.text(alphabet="年月0１2一十上今去初底末", max_size=8))
def test_a_guarded_pattern_finds_what_the_pattern_finds(pattern, text):
    from etl.figures.lexicon import guarded

    if (plain := _compiled_quietly(pattern)) is None:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        plain, guarded_ = plain[0], re.compile(guarded(pattern))
    assert [m.span() for m in guarded_.finditer(text)] == [m.span() for m in plain.finditer(text)]


def _compiled_quietly(*patterns: str) -> list[re.Pattern] | None:
    """The random `patterns` compiled, or None when one is no pattern."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # "possible nested set" of a random [[
            return [re.compile(p) for p in patterns]
    except re.error:
        return None


def _name_cuts():
    from etl.figures import labels
    from etl.figures.lexicon import load_data

    name_chars = rf"{LEX.han}{LEX.label_marks}A-Za-z0-9·"
    return (labels._name_cut(LEX, name_chars, load_data("subjects.toml"), quick=quick) for quick in (True, False))


_NAME_CUT_ALPHABET = "0１2一二三十百万亿个家期批项目区园公司中心建设新建的和、，年月强%."


@settings(max_examples=300)
@given(st.text(alphabet=_NAME_CUT_ALPHABET, max_size=16))
def test_the_quick_name_cut_cuts_where_the_plain_one_does(text):
    """`labels._name_cut` tests a numeral's run start and its counter or phase before its guards
    (speed9): the same pieces as the plain form, on random runs of numerals, counters, phases,
    name suffixes and boundary words, and on every line of the bundled and held-out texts."""
    quick, plain = _name_cuts()
    assert quick.split(text) == plain.split(text)


def test_the_quick_name_cut_cuts_the_documents_as_the_plain_one_does():
    from pathlib import Path

    quick, plain = _name_cuts()
    root = Path(__file__).resolve().parent.parent
    lines = [line for path in [*root.glob("etl/sample/*.txt"), *root.glob("tests/*/docs/*.txt")]
             for line in path.read_text("utf-8").splitlines()]
    assert len(lines) > 1000 and [quick.split(x) for x in lines] == [plain.split(x) for x in lines]
