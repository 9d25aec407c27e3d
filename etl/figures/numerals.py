"""Numerals as written in cleaned text → exact `Decimal` values.

`NUMBER_PATTERN` finds one numeral (Arabic, Chinese, or Arabic with scale
words: 1,200 / 二十三点五亿 / 3万4000 / 近百家's 百); `parse_numeral` gives its
exact value; `split_scale` cuts off a trailing scale word that belongs to the
unit (41万平方米 → 41 + 万平方米). Qualifiers (余, 多, 近) are not numerals.

The pattern *is* the grammar: `parse_numeral` first checks the text against
it, so whatever the pattern matches parses, and anything else raises
`NumeralError`. The Chinese reader is our own ~40 lines instead of cn2an:
cn2an returns floats for decimals and raises on long ones, raises on a decimal
with a scale (二十三点五亿), on separators and on bare 百/万, reads digit strings
(二〇二二 → 2022, 两两 → 22), accepts junk (十百二 → 30, 两十 → 20), leaks KeyError
on 五十零, and is slower. The tests use cn2an as an oracle for Chinese integers.
"""
from __future__ import annotations

import tomllib
from decimal import Context, Decimal, Inexact, InvalidOperation, Overflow, localcontext
from functools import lru_cache
from importlib.resources import files

import re

__all__ = [
    "DIGIT_CLASS", "MAX_DIGITS", "MAX_NUMERAL_CHARS", "NEGATIVE_SIGNS", "NUMBER_PATTERN", "NUMBER_START_CHARS",
    "NUMERAL_CHAR_CLASS", "PLACE_CHAR_CLASS", "SCALES", "ZERO_CLASS", "NumeralError", "parse_numeral", "split_scale",
]


class NumeralError(ValueError):
    """The text is not one numeral that `NUMBER_PATTERN` accepts."""


def _load() -> dict:
    return tomllib.loads(files("etl.data").joinpath("numerals.toml").read_text("utf-8"))


_DATA = _load()
_DIGITS: dict[str, int] = _DATA["digits"]
_UNITS: dict[str, int] = _DATA["units"]
_SCALE_WORDS: dict[str, int] = _DATA["scales"]
_STACKED: dict[str, int] = _DATA["stacked_scales"]
_RULES = _DATA["rules"]
_POINTS: list[str] = _RULES["decimal_point"]
#: Most digits on either side of the point of an Arabic number (a longer run is no amount).
MAX_DIGITS: int = _RULES["max_digits"]
#: Most characters of a numeral written with Chinese places.
MAX_NUMERAL_CHARS: int = _RULES["max_numeral_chars"]
#: Written right before a number, these make it negative (-, −, 负 …).
NEGATIVE_SIGNS: tuple[str, ...] = tuple(_DATA["signs"]["negative"])

#: Scale word → factor: 万, 亿, 万亿, 万万, and the units that are scales after Arabic digits (千, 百).
SCALES: dict[str, int] = {
    **{u: _UNITS[u] for u in _RULES["arabic_scale_units"]},
    **_SCALE_WORDS,
    **_STACKED,
}


def _cls(chars) -> str:
    """A regex character class for `chars` (escaped, sorted for a stable pattern)."""
    return "[" + "".join(re.escape(c) for c in sorted(set(chars))) + "]"


#: Regex character classes: every character of a numeral (digits, places, scales); one
#: digit 1–9 in any script; a zero; a place from 百 up or a scale (百, 仟, 万, 億 …), which
#: alone make a round number (近百家, 上萬人; 十 alone is just ten).
NUMERAL_CHAR_CLASS: str = _cls([*"0123456789０１２３４５６７８９", *_DIGITS, *_UNITS, *"".join(_SCALE_WORDS)])
DIGIT_CLASS: str = _cls([*"123456789", *(c for c, v in _DIGITS.items() if v)])
ZERO_CLASS: str = _cls(c for c, v in _DIGITS.items() if v == 0)
PLACE_CHAR_CLASS: str = _cls([*(c for c, v in _UNITS.items() if v >= 100), *"".join(_SCALE_WORDS)])


@lru_cache(maxsize=64)
def _context(length: int) -> Context:
    """Arithmetic exact for any numeral of `length` characters.

    A value has at most one digit per character plus 12 zeros from 万亿 and a few
    colloquial places, so this precision never rounds; the Inexact trap proves it.
    """
    return Context(prec=2 * length + 40, Emax=10**6, traps=[Inexact, InvalidOperation, Overflow])


_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


def _by_value(table: dict[str, int], value: int) -> str:
    return _cls(c for c, v in table.items() if v == value)


def _alt(words) -> str:
    """Alternation, longest first, so 万亿 wins over 万."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


def _build_pattern() -> str:
    zero_chars = [c for c, v in _DIGITS.items() if v == 0]
    coef_only = _RULES["coefficient_only"]
    Z = _cls(zero_chars)
    C = _cls(c for c, v in _DIGITS.items() if v)                        # coefficient: 两 allowed
    L = _cls(c for c, v in _DIGITS.items() if v and c not in coef_only)  # last digit, tens coefficient
    DEC = _cls(c for c in _DIGITS if c not in coef_only)                 # after the decimal point
    T, H, K = (_by_value(_UNITS, v) for v in (10, 100, 1000))
    W = _by_value(_SCALE_WORDS, 10**4)
    Y = _by_value(_SCALE_WORDS, 10**8)
    YS = _alt(_STACKED)  # 万万: after a plain number only (两万万, not 两万万万)
    P = _cls(_POINTS)
    scale = _alt(_SCALE_WORDS)
    n = MAX_DIGITS

    # One four-digit group that ends the numeral: a lone last digit after a unit is
    # colloquial (一百五 = 150), after 零 it is literal (一百零五 = 105); after 零 a
    # group may drop the 一 of its tens (一万零十五).
    tens = f"{L}{T}{L}?"
    tens_z = f"(?:{tens}|{T}{L}?)"
    hund = f"{C}{H}(?:{tens}|{Z}{L}|{L})?"
    thou = f"{C}{K}(?:{hund}|{Z}(?:{tens_z}|{L})|{L})?"
    sec = f"(?:{thou}|{hund}|{tens}|{L})"
    # A group in front of 万/亿: no colloquial last digit (三千五万 would be ambiguous).
    hund_c = f"{C}{H}(?:{tens}|{Z}{L})?"
    thou_c = f"{C}{K}(?:{hund_c}|{Z}(?:{tens_z}|{L}))?"
    sec_c = f"(?:{thou_c}|{hund_c}|{tens}|{C})"
    # Only the first group of a numeral may drop its 一: 十五, 十万, 百万, 千亿, 千五.
    lead = f"(?:{sec}|{T}{L}?|{H}{L}?|{K}{L}?)"
    lead_c = f"(?:{sec_c}|{T}{L}?|{H}|{K})"

    # After a scale, a group below its top place needs 零 (一万零五百), else it reads
    # as colloquial (一万五百? 七亿八千 = 7.8亿?): those stay unmatched, not guessed.
    wan_tail = f"(?:{Z}?{thou}|{Z}(?:{hund}|{tens_z}|{L})|{L})"
    wan_tail_c = f"(?:{Z}?{thou_c}|{Z}(?:{hund_c}|{tens_z}|{C}))"
    yi_tail = f"(?:(?:{Z}?{sec_c}|{Z}{T}{L}?){W}{wan_tail}?|{Z}(?:{sec}|{T}{L}?)|{L})"
    yi_coef = f"(?:{lead_c}{W}{wan_tail_c}?|{lead_c})"  # 三万四千亿
    cn_int = f"(?:(?:{yi_coef}{Y}|{lead_c}{YS}){yi_tail}?|{lead_c}{W}{wan_tail}?|{lead})"
    cn_dec = f"(?:{lead}|{C}|{Z}){P}{DEC}{{1,{n}}}{scale}?"
    bare = f"(?:{scale}|{C}|{Z})"  # 万, 亿, 万亿, 两, 零 on their own

    D = "[0-9０-９]"
    no_digit = "(?![0-9０-９])"
    ar_int = f"(?:{D}{{1,3}}(?:,{D}{{3}}){{1,{n // 3}}}{no_digit}|{D}{{1,{n}}}{no_digit})"
    ar_num = f"{ar_int}(?:[.．]{D}{{1,{n}}}{no_digit})?"
    # Arabic digits as coefficients of Chinese places: 3千2百, 2千零40, 1千250.
    hund_m = f"{D}{H}(?:{D}{{2}}{no_digit}|{Z}{D}{no_digit})"
    thou_m = f"{D}{K}(?:{hund_m}|{D}{H}|{D}{{3}}{no_digit}|{Z}{D}{{1,2}}{no_digit})"
    mixed = f"(?:{thou_m}|{hund_m}|{D}(?:{H}|{K}))"
    rest = f"(?:{mixed}|{D}{{1,4}}{no_digit})"  # what follows a scale word: 3万4000, 6万3千2百
    wan_head = f"(?:{mixed}|{D}{{1,4}})"  # a group in front of 万: 1亿2000万, 3亿2千万
    aru = _cls(_RULES["arabic_scale_units"])
    arabic = (
        f"(?:{mixed}(?:{YS}|{Y}|{W}){rest}?"  # 4千零60万, 3千2百万
        f"|{ar_int}(?:(?:{YS}|{Y})(?:{wan_head}{W}{rest}?|{rest})|{W}{rest})"
        f"|{thou_m}|{hund_m}"
        f"|{ar_num}(?:{aru}?(?:{YS}|{scale})|{aru})?)"
    )
    # Longer readings first; only Arabic ones start with a digit (the lookaheads spare branches).
    return f"(?:(?={D})(?:{arabic})|(?!{D})(?:{cn_dec}|{cn_int}|{bare}))"


#: Regex source matching one numeral; no capturing groups, usable inside larger patterns.
NUMBER_PATTERN: str = _build_pattern()
#: Every character a numeral can start with: Arabic digits, Chinese digits, places, scales.
NUMBER_START_CHARS: frozenset[str] = frozenset(
    "0123456789０１２３４５６７８９" + "".join(_DIGITS) + "".join(_UNITS) + "".join(w[0] for w in _SCALE_WORDS))
_NUMBER = re.compile(NUMBER_PATTERN)
_TOKEN = re.compile(r"[0-9]+(?:\.[0-9]+)?|.", re.S)
_SCALE_CHARS = {w: v for w, v in _SCALE_WORDS.items() if len(w) == 1}
_SCALES_LONGEST_FIRST = sorted(SCALES, key=len, reverse=True)  # 万亿 before 亿
_SCALE_LENGTHS = sorted({len(w) for w in SCALES}, reverse=True)


def _integer(text: str) -> Decimal:
    """Value of a validated numeral without a Chinese decimal point.

    One left-to-right pass: units add digit × unit to the current group; a scale
    larger than any before multiplies everything so far (三万四千亿), a smaller one
    only the current group (一亿五千万); a scale right after a scale multiplies
    everything so far too (两万万 = 2亿).
    """
    total = group = Decimal(0)
    pending: Decimal | None = None
    chinese_pending = after_zero = after_scale = False
    last_place = top_scale = 0
    for i, tok in enumerate(_TOKEN.findall(text)):
        if tok in _SCALE_CHARS:  # the pattern admits no other character but these below
            last_place = _SCALE_CHARS[tok]
            if i == 0:
                group = Decimal(1)  # bare 万 / 亿 / 万亿
            elif pending is not None:
                group += pending
            if after_scale:  # 两万万: the second 万 multiplies the first
                total, top_scale = total * last_place, top_scale * last_place
            elif last_place > top_scale:
                total, top_scale = (total + group) * last_place, last_place
            else:
                total += group * last_place
            group, pending, after_zero, after_scale = Decimal(0), None, False, True
            continue
        after_scale = False
        if tok[0].isascii() and tok[0].isdigit():
            pending, chinese_pending = Decimal(tok), False
        elif tok in _DIGITS:
            if _DIGITS[tok]:
                pending, chinese_pending = Decimal(_DIGITS[tok]), True
            else:
                after_zero = True
        else:  # a place: 三百 adds to the current four-digit group
            last_place = _UNITS[tok]
            group += (1 if pending is None else pending) * last_place
            pending, after_zero = None, False
    if pending is not None:
        # 一百五 = 150, 一万五 = 15000: a last Chinese digit right after a place
        # stands one place lower. After 零 (一百零五) or Arabic (3万4000) it is literal.
        if chinese_pending and last_place and not after_zero:
            pending *= last_place // 10
        group += pending
    return total + group


def _tidy(value: Decimal, ctx: Context) -> Decimal:
    """One spelling per value: no exponent, no trailing fractional zeros."""
    value = value.normalize(ctx)
    return value.quantize(Decimal(1), context=ctx) if value.as_tuple().exponent > 0 else value


@lru_cache(maxsize=1 << 16)
def _parse(text: str) -> Decimal:
    norm = text.translate(_FULLWIDTH)
    if not _NUMBER.fullmatch(norm):
        raise NumeralError(f"not a numeral: {text!r}")
    norm = norm.replace(",", "")
    ctx = _context(len(norm))
    try:
        with localcontext(ctx):
            for point in _POINTS:
                if point in norm:  # 二十三点五亿: whole part, fraction digits, scale
                    whole, _, rest = norm.partition(point)
                    n = len(rest.rstrip("".join(_SCALE_WORDS)))
                    digits = "".join(str(_DIGITS[c]) for c in rest[:n])
                    value = _integer(whole) + Decimal("0." + digits)
                    return _tidy(value * SCALES.get(rest[n:], 1), ctx)
            return _tidy(_integer(norm), ctx)
    except (Inexact, InvalidOperation, Overflow) as exc:  # a bug, not bad input
        raise NumeralError(f"cannot evaluate {text!r} exactly") from exc


def parse_numeral(text: str) -> Decimal:
    """Exact value of one numeral that `NUMBER_PATTERN` matches in full.

    >>> parse_numeral("二十三点五亿"), parse_numeral("3万4000"), parse_numeral("1,200")
    (Decimal('2350000000'), Decimal('34000'), Decimal('1200'))

    Raises `NumeralError` for anything else (including qualifiers: 十余, 3万多).
    """
    if not isinstance(text, str):
        raise NumeralError(f"not a string: {text!r}")
    # Most numbers in the corpus are plain ASCII digits, with or without one scale word
    # (41万, 3.5亿): no regex, no cache churn. Both always match the pattern.
    if text.isascii():
        if _is_plain_decimal(text):
            return Decimal(text) if "." not in text else _tidy(Decimal(text), _context(len(text)))
    elif scaled := _plain_decimal_and_scale(text):
        head, word = scaled
        ctx = _context(len(text))  # exact, however many digits
        value = ctx.multiply(Decimal(head), SCALES[word])
        return value if "." not in head else _tidy(value, ctx)  # digits × scale has no exponent to tidy
    return _parse(text)


def _is_plain_decimal(text: str) -> bool:
    """ASCII digits with at most one decimal point between digits: 12, 3.5 (not 1,200)."""
    whole, dot, frac = text.partition(".")
    return whole.isdigit() and len(whole) <= MAX_DIGITS and (not dot or (frac.isdigit() and len(frac) <= MAX_DIGITS))


def _plain_decimal_and_scale(text: str) -> tuple[str, str] | None:
    """("41", "万") for 41万 or 41.5万: ASCII digits and one trailing scale word, the most
    common numeral after plain digits; None for anything else."""
    for length in _SCALE_LENGTHS:  # the longest scale word the text ends with: a lookup per length
        word = text[-length:]
        if len(word) == length and word in SCALES:
            head = text[:-length]
            return (head, word) if head.isascii() and _is_plain_decimal(head) else None
    return None


def _is_arabic_digit(ch: str) -> bool:
    return ch.translate(_FULLWIDTH) in "0123456789"


@lru_cache(maxsize=1 << 14)
def split_scale(text: str) -> tuple[str, str]:
    """Split a trailing scale word off a numeral: "41万" → ("41", "万").

    The scale is split only when it multiplies everything before it, so
    "1亿2000万" and "3万4000" stay whole; a bare scale numeral (万, 亿) is the
    number itself; 千 and 百 count as scales only after Arabic digits (3千 →
    ("3", "千"), but 三千 stays). Raises `NumeralError` if `text` is not a numeral.
    """
    if scaled := _plain_decimal_and_scale(text):
        return scaled  # 41万: the scale always multiplies the whole number
    value = parse_numeral(text)
    if text in _SCALE_WORDS:
        return text, ""  # 万亿 on its own is one number, not 万 × 亿
    for word in _SCALES_LONGEST_FIRST:
        head = text[: -len(word)]
        if not head or not text.endswith(word):
            continue
        if word in _UNITS and not _is_arabic_digit(head[-1]):
            continue  # 三千: 千 is a place inside a Chinese numeral
        try:
            if _context(len(text)).multiply(parse_numeral(head), SCALES[word]) == value:
                return head, word
        except NumeralError:
            continue
    return text, ""
