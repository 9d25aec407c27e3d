"""Tests for etl/figures/numerals.py: the case table, round trips through our own
formatters, cn2an as an independent oracle, and the integrity of numerals.toml."""
from __future__ import annotations

import itertools
import re
import tomllib
from decimal import Decimal, localcontext
from importlib.resources import files
from pathlib import Path

import cn2an
import pytest
import regex
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from etl.figures import numerals
from etl.figures.numerals import NUMBER_PATTERN, NUMBER_START_CHARS, SCALES, NumeralError, parse_numeral, split_scale

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "numerals.yaml").read_text("utf-8"))
VALID = [c for c in CASES["parse"] if not c.get("error")]
INVALID = [c for c in CASES["parse"] if c.get("error")]
DATA = tomllib.loads(files("etl.data").joinpath("numerals.toml").read_text("utf-8"))


# ---------------------------------------------------------------- case table

@pytest.mark.parametrize("case", VALID, ids=[c["text"] for c in VALID])
def test_parse_valid(case):
    value = parse_numeral(case["text"])
    assert isinstance(value, Decimal)
    assert value == Decimal(case["value"])
    assert str(value) == case["value"]  # one canonical spelling per value
    assert regex.fullmatch(NUMBER_PATTERN, case["text"])


@pytest.mark.parametrize("case", INVALID, ids=[repr(c["text"]) for c in INVALID])
def test_parse_invalid(case):
    with pytest.raises(NumeralError, match="numeral"):
        parse_numeral(case["text"])
    assert not regex.fullmatch(NUMBER_PATTERN, case["text"])


@pytest.mark.parametrize("case", CASES["split"], ids=[c["text"] for c in CASES["split"]])
def test_split_scale(case):
    assert split_scale(case["text"]) == tuple(case["split"])


@pytest.mark.parametrize("case", VALID, ids=[c["text"] for c in VALID])
def test_split_scale_keeps_value(case):
    _check_split(case["text"])


def _check_split(text: str) -> None:
    head, scale = split_scale(text)
    assert head + scale == text
    if scale:
        with localcontext(prec=500):  # exact: hypothesis writes 30-digit numbers
            assert parse_numeral(head) * SCALES[scale] == parse_numeral(text)


def test_split_scale_rejects_non_numerals():
    with pytest.raises(NumeralError):
        split_scale("十余")


@pytest.mark.parametrize("bad", [None, 12, b"12"])
def test_parse_rejects_non_strings(bad):
    with pytest.raises(NumeralError):
        parse_numeral(bad)


def test_scales():
    assert SCALES["万"] == 10**4 and SCALES["亿"] == 10**8 and SCALES["万亿"] == 10**12
    assert SCALES["千"] == 10**3


# ---------------------------------------------------------------- the pattern in context

def test_pattern_has_no_groups_and_embeds():
    assert regex.compile(NUMBER_PATTERN).groups == 0
    re.compile(NUMBER_PATTERN)  # plain `re` too, so hypothesis can generate from it
    figure = regex.compile(rf"(?P<num>{NUMBER_PATTERN})(?P<unit>平方米|元|家|人)")
    text = "总投资二十三点五亿元，占地41万平方米，近百家企业，超千人，带动3万4000人"
    found = [(m["num"], m["unit"]) for m in figure.finditer(text)]
    # The numeral is greedy and takes its scale; split_scale hands it to the unit.
    assert found == [("二十三点五亿", "元"), ("41万", "平方米"), ("百", "家"),
                     ("千", "人"), ("3万4000", "人")]
    assert [split_scale(num) for num, _ in found[:2]] == [("二十三点五", "亿"), ("41", "万")]


def test_pattern_stops_before_qualifiers():
    assert [m.group() for m in regex.finditer(NUMBER_PATTERN, "十余个3万多人")] == ["十", "3万"]


def test_ascii_fast_path_skips_the_cache():
    before = numerals._parse.cache_info()
    assert parse_numeral("98765") == 98765 and parse_numeral("3.14") == Decimal("3.14")
    assert parse_numeral("41万") == 410000 and parse_numeral("1.5万亿") == Decimal("1.5e12")
    after = numerals._parse.cache_info()
    assert (after.hits, after.misses) == (before.hits, before.misses)


@given(st.decimals(min_value=0, max_value=10**9, places=5, allow_nan=False),
       st.sampled_from(["", "百", "千", "万", "亿", "万亿"]))
def test_fast_paths_agree_with_the_grammar(d, scale):
    text = plain(d) + scale
    slow = numerals._parse.__wrapped__(text)  # the pattern and the general reader
    fast = parse_numeral(text)
    assert (fast, str(fast)) == (slow, str(slow))


# ---------------------------------------------------------------- formatters for round trips

CN = "零一二三四五六七八九"


def cn_group(n: int, lead: bool) -> str:
    """1..9999 the school way: inner zeros read once as 零, trailing zeros silent."""
    out, gap = [], False
    for place, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // place % 10
        if not d:
            gap = bool(out)
            continue
        out.append(("零" if gap else "") + CN[d] + unit)
        gap = False
    text = "".join(out)
    return text[1:] if lead and text.startswith("一十") else text  # 十五, not 一十五


def cn_int(n: int, lead: bool = True) -> str:
    """Standard Chinese numeral for 0 <= n < 10**16."""
    if n == 0:
        return "零"
    for scale, word in ((10**8, "亿"), (10**4, "万")):
        if n >= scale:
            hi, lo = divmod(n, scale)
            text = cn_int(hi, lead) + word
            if lo:
                text += ("零" if lo < scale // 10 else "") + cn_int(lo, lead=False)
            return text
    return cn_group(n, lead)


def with_liang(text: str) -> str:
    """两 for 二 in front of 千/百, and for a lone 二 in front of 万/亿."""
    text = re.sub("二(?=[千百])", "两", text)
    return re.sub("(^|[亿])二(?=[万亿])", r"\1两", text)


def plain(d: Decimal) -> str:
    """Decimal as Arabic digits without exponent or trailing zeros."""
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")

ints = st.integers(min_value=0, max_value=10**16 - 1)


@given(ints, st.booleans())
def test_chinese_integers_round_trip(n, liang):
    text = with_liang(cn_int(n)) if liang else cn_int(n)
    assert parse_numeral(text) == n, text
    assert regex.fullmatch(NUMBER_PATTERN, text)
    _check_split(text)


@given(ints)
def test_chinese_integers_agree_with_cn2an(n):
    text = cn_int(n)
    assert parse_numeral(text) == cn2an.cn2an(text, "normal"), text


@given(st.integers(0, 9999), st.lists(st.integers(0, 9), min_size=1, max_size=6),
       st.sampled_from(["", "万", "亿", "万亿"]), st.booleans())
def test_chinese_decimals_round_trip(whole, frac, scale, ling):
    digits = "".join(CN[d] for d in frac)
    text = cn_int(whole) + "点" + (digits.replace("零", "〇") if ling else digits) + scale
    expected = Decimal(f"{whole}.{''.join(map(str, frac))}") * (SCALES[scale] if scale else 1)
    assert parse_numeral(text) == expected, text
    _check_split(text)


@given(ints)
def test_arabic_integers_round_trip(n):
    for text in (str(n), f"{n:,}", str(n).translate(FULLWIDTH)):
        assert parse_numeral(text) == n, text
        assert regex.fullmatch(NUMBER_PATTERN, text), text


@given(st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False),
       st.sampled_from(["", "千", "万", "亿", "万亿", "千万"]))
def test_arabic_with_scale_round_trip(d, scale):
    text = plain(d) + scale
    factor = {"千万": 10**7}.get(scale) or SCALES.get(scale, 1)
    assert parse_numeral(text) == d * factor, text
    _check_split(text)


@given(st.integers(1, 99999), st.integers(0, 9999), st.integers(0, 9999))
def test_arabic_with_remainder_round_trip(yi, wan, rest):
    assert parse_numeral(f"{wan}万{rest}") == wan * 10**4 + rest
    assert parse_numeral(f"{yi}亿{wan}万{rest}") == yi * 10**8 + wan * 10**4 + rest
    assert parse_numeral(f"{yi}亿{rest}") == yi * 10**8 + rest


# ---------------------------------------------------------------- pattern ⇔ parser

CHINESE_CHARS = "".join(DATA["digits"]) + "".join(DATA["units"]) + "万亿点"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.from_regex(NUMBER_PATTERN, fullmatch=True)
       | st.from_regex(NUMBER_PATTERN, fullmatch=True, alphabet=CHINESE_CHARS))
def test_everything_the_pattern_matches_parses(text):
    assert isinstance(parse_numeral(text), Decimal)
    _check_split(text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.from_regex(NUMBER_PATTERN, fullmatch=True)
       | st.from_regex(NUMBER_PATTERN, fullmatch=True, alphabet=CHINESE_CHARS))
def test_every_numeral_starts_with_a_start_char(text):
    # extract scans for NUMBER_START_CHARS before it tries the pattern
    assert text[0] in NUMBER_START_CHARS


def test_no_other_character_starts_a_numeral():
    tails = ["", "0", "十", "万", "点五", "百"]
    number = regex.compile(NUMBER_PATTERN)
    starts = [chr(c) for c in range(0x30000) if chr(c) not in NUMBER_START_CHARS
              and any(number.match(chr(c) + tail) for tail in tails)]
    assert starts == []


NUMERAL_CHARS = "".join(DATA["digits"]) + "".join(DATA["units"]) + "万亿点0123456789,.１余多 a-"


@settings(max_examples=500)
@given(st.text(alphabet=NUMERAL_CHARS, max_size=8) | st.text(max_size=8))
def test_only_numeral_error_on_random_text(text):
    try:
        value = parse_numeral(text)
    except NumeralError:
        assert not regex.fullmatch(NUMBER_PATTERN, text.translate(numerals._FULLWIDTH))
    else:
        assert isinstance(value, Decimal)
        assert regex.fullmatch(NUMBER_PATTERN, text)


def test_agrees_with_cn2an_on_every_short_string():
    """All strings of up to 5 characters over a numeral alphabet: wherever both
    readers accept, the values are equal. (cn2an also accepts junk we reject:
    十百二 → 30, 一两 → 12, 零千零 → 0.)"""
    both = 0
    for n in range(1, 6):
        for chars in itertools.product("零一二两五十百千万亿", repeat=n):
            text = "".join(chars)
            if not regex.fullmatch(NUMBER_PATTERN, text):
                continue
            try:
                expected = cn2an.cn2an(text, "normal")
            except (ValueError, KeyError):
                continue  # 百, 万亿, 一亿五: cn2an refuses, we accept
            assert parse_numeral(text) == expected, text
            both += 1
    assert both > 1000


@given(st.text(alphabet="一二三四五六七八九十百千万亿", min_size=1, max_size=6))
def test_chinese_integers_agree_with_cn2an_where_both_accept(text):
    """On any integer both readers accept, they agree (cn2an's digit strings aside).

    Stacked 万万 (older writing for 亿) is left to the written-out cases in
    tests/cases/numerals.yaml: cn2an accepts it but reads 一万万一万一 as 1000000011000,
    where the form means 1亿 + 1.1万 = 100011000."""
    assume(regex.fullmatch(NUMBER_PATTERN, text) and "万万" not in text)
    try:
        expected = cn2an.cn2an(text, "normal")
    except (ValueError, KeyError):
        return
    assert parse_numeral(text) == expected, text


# ---------------------------------------------------------------- numerals.toml

def test_data_digits_map_to_0_9():
    assert all(isinstance(v, int) and 0 <= v <= 9 for v in DATA["digits"].values())
    assert set(DATA["digits"].values()) == set(range(10))
    assert all(len(c) == 1 for c in DATA["digits"])


def test_data_units_and_scales_are_powers_of_ten():
    for table in (DATA["units"], DATA["scales"], DATA["stacked_scales"]):
        for word, value in table.items():
            assert isinstance(value, int) and value > 1 and str(value).lstrip("1") == "0" * (
                len(str(value)) - 1
            ), word
    assert set(DATA["units"].values()) == {10, 100, 1000}  # the grammar expects these places
    assert {10**4, 10**8} <= set(DATA["scales"].values())


def test_data_no_char_in_two_sets():
    rules = DATA["rules"]
    sets = {
        "digits": set(DATA["digits"]),
        "units": set(DATA["units"]),
        "scales": set("".join(DATA["scales"])),
        "decimal_point": set(rules["decimal_point"]),
    }
    names = list(sets)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert not sets[a] & sets[b], (a, b, sets[a] & sets[b])
    assert set(rules["coefficient_only"]) <= sets["digits"]
    assert set(rules["arabic_scale_units"]) <= sets["units"]
    # a compound scale is its parts multiplied: 万亿 = 万 × 亿
    single = {w: v for w, v in DATA["scales"].items() if len(w) == 1}
    for word, value in {**DATA["scales"], **DATA["stacked_scales"]}.items():
        product = 1
        for ch in word:
            product *= single[ch]
        assert product == value, word


def test_data_stacked_scales_double_one_scale():
    # 万万 is 万 written twice; it must not shadow a scale word of its own
    for word in DATA["stacked_scales"]:
        assert len(set(word)) == 1 and word[0] in DATA["scales"] and word not in DATA["scales"], word


def test_data_every_variant_has_an_everyday_twin():
    """A capital or traditional character reads exactly like an everyday one: each value
    of digits and units is also spelled by a character of the everyday set."""
    everyday = set("零〇一二两三四五六七八九十百千")
    for table in (DATA["digits"], DATA["units"]):
        for char, value in table.items():
            assert any(table[c] == value for c in everyday if c in table), char


def test_data_signs_and_limits():
    signs = DATA["signs"]["negative"]
    assert signs and len(set(signs)) == len(signs)
    numeral_chars = set(DATA["digits"]) | set(DATA["units"]) | set("".join(DATA["scales"]))
    assert not set("".join(signs)) & (numeral_chars | set("0123456789"))
    rules = DATA["rules"]
    assert isinstance(rules["max_digits"], int) and 15 <= rules["max_digits"] <= 100
    longest = "一千二百三十四亿五千六百七十八万九千零一十二"
    assert parse_numeral(longest) and len(longest) <= rules["max_numeral_chars"]


@pytest.mark.parametrize("variant, everyday", [
    ("壹佰贰拾叁万肆仟伍佰陆拾柒", "一百二十三万四千五百六十七"),
    ("玖仟零捌拾", "九千零八十"),
    ("兩萬參仟", "两万三千"),
    ("二十三點五", "二十三点五"),
])
def test_variants_read_like_everyday_characters(variant, everyday):
    assert parse_numeral(variant) == parse_numeral(everyday) == Decimal(str(cn2an.cn2an(everyday, "normal")))


def test_capitals_agree_with_cn2an():
    # cn2an reads 大写 integers too: the oracle where it accepts the form
    for text in ["壹佰零捌", "贰拾柒", "叁佰陆拾万", "肆万伍仟陆佰柒拾捌", "玖仟玖佰玖拾玖亿"]:
        assert parse_numeral(text) == cn2an.cn2an(text, "normal"), text


def test_long_digit_runs_are_no_numeral_and_scan_linearly():
    """A run longer than max_digits is not a numeral anywhere inside it: the pattern
    fails at its start and cannot start after a digit (the extractor's look-behind)."""
    run = "1" + "0" * 400
    assert regex.fullmatch(NUMBER_PATTERN, run) is None
    assert regex.match(NUMBER_PATTERN + "亩", run + "亩") is None
    with pytest.raises(NumeralError):
        parse_numeral(run)


def test_numeral_char_class_covers_the_data():
    cls = regex.compile(numerals.NUMERAL_CHAR_CLASS)
    for char in [*DATA["digits"], *DATA["units"], *"".join(DATA["scales"]), *"0123456789"]:
        assert cls.fullmatch(char), char
    assert not cls.fullmatch("余") and not cls.fullmatch("个")
