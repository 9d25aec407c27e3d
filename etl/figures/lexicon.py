"""Language data, loaded once from `etl/data/*.toml`.

Code never lists words itself: units, counters, qualifiers, metric words and
exclusions are read here, so adding one is a one-line change to a data file.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from importlib import resources

import regex


@cache  # several stages read context.toml, labels.toml …: each file is parsed once
def _load(name: str) -> dict:
    return tomllib.loads(resources.files("etl.data").joinpath(name).read_text("utf-8"))


def load_data(name: str) -> dict:
    """One data file of `etl/data/` as parsed TOML (for stages with data of their own).
    Parsed once and shared by every caller: read it, never change it."""
    return _load(name)


@dataclass(frozen=True)
class Unit:
    """One unit as written (`surface`) and what it means."""

    surface: str
    dimension: str  # money | area | percent | count
    unit: str  # canonical unit code: CNY, USD, m2, percent, pp, count
    factor: Fraction | int  # into the canonical unit (亩 → 10000/15 m2); int when whole, cheaper to apply


@dataclass(frozen=True)
class Lexicon:
    units: dict[str, Unit]  # every unit surface written after a number
    percent_prefixes: dict[str, str]  # 百分之 → percent
    not_after_counter: tuple[str, ...]
    word_after_counter: dict[str, tuple[str, ...]]  # 本 → (公司, …): 本 opens a word there
    qualifiers_before: dict[str, str]
    qualifiers_inner: dict[str, str]
    qualifiers_after: dict[str, str]  # both tables of qualifiers.toml
    qualifiers_after_at_end: tuple[str, ...]
    not_qualifiers: tuple[str, ...]
    range_separators: tuple[str, ...]
    metric_heads: dict[str, tuple[str, ...]]  # dimension → label heads
    stem_heads: tuple[str, ...]
    metric_modifiers: tuple[str, ...]
    metric_boundaries: tuple[str, ...]
    metric_connectors: tuple[str, ...]
    not_label_endings: tuple[str, ...]
    investment_heads: tuple[str, ...]
    count_modifiers: tuple[str, ...]
    count_stops: tuple[str, ...]
    generic_counted: tuple[str, ...]
    subject_suffixes: tuple[str, ...]
    not_suffix_words: tuple[str, ...]
    name_boundaries: tuple[str, ...]
    reference_prefixes: tuple[str, ...]
    generic_words: tuple[str, ...]
    ordinal_prefixes: tuple[str, ...]
    rate_base_prefixes: tuple[str, ...]
    date_before: re.Pattern
    slogans: tuple[str, ...]
    bare_scale_qualifiers: dict[str, str]  # longest word first
    vague_prefixes: tuple[str, ...]
    max_quoted_name: int
    phase_counters: tuple[str, ...]
    phase_count_after: tuple[str, ...]
    subunit_suffixes: tuple[str, ...]
    not_after_scale: tuple[str, ...]
    other_dimension_units: tuple[str, ...]
    exchange_rate_words: tuple[str, ...]
    session_words: tuple[str, ...]
    session_counters: tuple[str, ...]
    package_counters: tuple[str, ...]
    package_nouns: tuple[str, ...]
    currency_subunits: dict[str, Fraction]  # 角 → 1/10 of the unit before it
    currency_subunit_after: tuple[str, ...]
    currency_before: dict[str, str]  # 新台币 → TWD, longest first
    currency_before_words: tuple[str, ...]  # its keys, for str.endswith
    currency_symbols: dict[str, str]  # $ → USD: written right before the number
    max_clause_chars: int
    signed_dimensions: tuple[str, ...]  # a written minus sign stays in the value of these
    han: str  # the Han script as the body of a `re` character class (\p{Han} in `regex`)
    label_marks: str  # other characters a label runs on through (Roman numerals), a class body


def longest_first(words) -> tuple[str, ...]:
    """Alternation order for regexes: longer words must be tried first."""
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


def alternation(words) -> str:
    """A regex alternation of literal `words`, longest first (万亿元 before 万元).

    Written as a trie (万(?:亿元|元)?|亿元 …): the engine tries the words that start with
    the character at hand, not each word of a long list in turn (a `units` alternation has
    hundreds). At one position only words that are prefixes of one another can match, and
    the trie tries them longest first, as the flat list does: the matches are the same."""
    ordered = longest_first(words)
    branches = _trie_branches([w for w in ordered if w])
    return "|".join(branches) + ("|" if "" in ordered else "")


def guarded_alternation(words) -> str:
    """`alternation(words)` behind a lookahead on their first characters, for an alternation
    inside a larger pattern (an optional unit after a number): where no word starts, one
    character class fails instead of a try of each branch of the trie (the units' has over
    a hundred). Not for a pattern that starts with it: the engine already scans for the
    first characters of a bare alternation, and a lookahead in front stops that."""
    ordered = longest_first(words)
    guard = first_chars_guard(ordered)
    return f"{guard}(?:{alternation(ordered)})" if guard else alternation(ordered)


def first_chars_guard(words) -> str:
    """A lookahead on the first characters of `words`; "" when there are none or one is
    empty (an empty word matches anywhere)."""
    words = list(words)
    if not words or "" in words:
        return ""
    return f"(?=[{''.join(regex.escape(c) for c in sorted({w[0] for w in words}))}])"


def guarded(pattern: str) -> str:
    """`pattern` behind a lookahead on the characters its matches can start with
    (`first_chars`), for a pattern searched at every position of a text that the engine
    cannot scan for by itself: one that opens with an optional part (上述?项目) or a class,
    which it enters at each position, where one character class now fails. The same
    matches; `pattern` unchanged when its first characters are not known."""
    chars = first_chars(pattern)
    return f"(?=[{''.join(map(re.escape, sorted(chars)))}])(?:{pattern})" if chars else pattern


def first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of the `re` pattern can start with, read from its parsed
    form; None when that is not known (an empty match, a negated or wide class, an
    unknown operation), which a caller must take as "any". A lookahead is passed over:
    the set is then larger than the truth, never smaller."""
    chars, nullable = _starts(re._parser.parse(pattern))
    return None if chars is None or nullable else frozenset(chars)


def _starts(items, backward: bool = False) -> tuple[set[str] | None, bool]:
    """The first characters of a parsed sequence (its last ones, read `backward`) and
    whether it can match empty."""
    c = re._constants
    chars: set[str] = set()
    for op, av in (reversed(items) if backward else items):
        if op is c.LITERAL:
            return chars | {chr(av)}, False
        if op is c.IN:
            inner = _class_chars(av)
            return (None if inner is None else chars | inner), False
        if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            continue  # zero-width
        if op is c.SUBPATTERN:
            alternatives, least = [av[3]], 1
        elif op is c.BRANCH:
            alternatives, least = av[1], 1
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            alternatives, least = [av[2]], av[0]
        else:
            return None, False
        nullable = least == 0
        for alternative in alternatives:
            inner, empty = _starts(alternative, backward)
            if inner is None:
                return None, False
            chars |= inner
            nullable = nullable or empty
        if not nullable:
            return chars, False
    return chars, True


def last_chars(pattern: re.Pattern) -> frozenset[str] | None:
    """The characters a match of a pattern that ends with `$` can end with, read from its
    parsed form as `first_chars` reads the first ones (a lookaround passed over: never too
    few); None when that is not known or the pattern is not so anchored."""
    if pattern.flags & (re.IGNORECASE | re.MULTILINE):
        return None
    items = re._parser.parse(pattern.pattern, pattern.flags)
    if not len(items) or items[-1] != (re._constants.AT, re._constants.AT_END):
        return None
    chars, nullable = _starts(items[:-1], backward=True)
    return None if chars is None or nullable else frozenset(chars)


# The characters a match of each pattern `search_at_end` was asked with can end with, and
# the newline (`$` also matches before a final one), by the pattern's id (a pattern hashes its
# whole code), with the pattern itself: an id may be used again. None: not known, search.
_LAST_CHARS: dict[int, tuple[re.Pattern, frozenset[str] | None]] = {}


def _ends_known(pattern: re.Pattern) -> tuple[re.Pattern, frozenset[str] | None]:
    chars = last_chars(pattern)
    known = _LAST_CHARS[id(pattern)] = (pattern, None if chars is None else chars | {"\n"})
    return known


def search_at_end(pattern: re.Pattern, text: str, window: int) -> re.Match | None:
    """A match of a `$`-anchored pattern that ends `text`, searched from `window` characters
    before its end only (a search for `(?:…)$` would try every position of a long clause).
    Most such questions are answered no by the last character alone (`last_chars`): then
    no search. `$` also matches before a final newline, which is searched as before. The
    label and context steps ask through `searcher_at_end`, one call per question."""
    return searcher_at_end(window)(pattern, text)


def searcher_at_end(window: int) -> Callable[[re.Pattern, str], re.Match | None]:
    """`search_at_end` with its window fixed, as one call: most of the two dozen such questions
    a figure asks are answered by the last character, and a second Python call in front (a
    wrapper passing the window) cost as much as the answer."""
    last_chars_of = _LAST_CHARS.get

    def search(pattern: re.Pattern, text: str) -> re.Match | None:
        known = last_chars_of(id(pattern))
        if known is None or known[0] is not pattern:
            known = _ends_known(pattern)
        if known[1] is not None and (not text or text[-1] not in known[1]):
            return None
        start = len(text) - window
        return pattern.search(text, start if start > 0 else 0)

    return search


DIGITS = frozenset("0123456789")


def after_digit_run(pattern: str) -> frozenset[str] | None:
    """The characters that can stand right after the leading digits of a match of the `re`
    pattern that starts with a digit ([0-9]{4}年 → 年): where the run of digits a place
    opens is followed by none of them, no place of that run starts a match. None when that
    is not known (a digit may follow them, what follows may be empty, a part this reading
    does not know), which a caller must take as "any"; a lookahead is passed over."""
    chars = _after_digits(list(re._parser.parse(pattern)))
    return None if chars is None or chars & DIGITS else frozenset(chars)


def _after_digits(items: list) -> set[str] | None:
    """`after_digit_run` of a parsed sequence: each way it can start with a digit, read
    up to the end of its leading digits (those of a class or literal of digits only, once
    or repeated), and the first characters of what must come next."""
    c = re._constants
    if not items:
        return None  # an empty match: it may start anywhere
    (op, av), rest = items[0], items[1:]
    if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
        return _after_digits(rest)
    if op is c.SUBPATTERN:
        return _after_digits([*av[3], *rest])
    if op is c.BRANCH:
        found: set[str] = set()
        for alternative in av[1]:
            chars = _after_digits([*alternative, *rest])
            if chars is None:
                return None
            found |= chars
        return found
    if op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] == 0 and av[1] == 1:  # (?:…)? : with it, or without it
        with_it, without = _after_digits([*av[2], *rest]), _after_digits(rest)
        return None if with_it is None or without is None else with_it | without
    if _is_digits(op, av):
        following, empty = _starts(rest)
        return None if following is None or empty else following
    starts, empty = _starts([items[0]])
    return set() if starts is not None and not empty and not starts & DIGITS else None


def _is_digits(op, av) -> bool:
    """Whether a parsed item matches digits only: a digit, a class of digits, one repeated."""
    c = re._constants
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        return av[0] >= 1 and len(av[2]) == 1 and _is_digits(*av[2][0])
    if op is c.IN:
        chars = _class_chars(av)
        return bool(chars) and chars <= DIGITS
    return op is c.LITERAL and chr(av) in DIGITS


def _class_chars(items, widest: int = 256) -> set[str] | None:
    """The characters of a parsed character class; None for a negated, categorised or
    wide one."""
    c = re._constants
    chars: set[str] = set()
    for op, av in items:
        if op is c.LITERAL:
            chars.add(chr(av))
        elif op is c.RANGE and av[1] - av[0] < widest:
            chars.update(map(chr, range(av[0], av[1] + 1)))
        else:
            return None
    return chars


def _trie_branches(words: list[str]) -> list[str]:
    """The branches of a trie of non-empty `words` (longest first), one per first character."""
    tails: dict[str, list[str]] = {}
    for word in words:
        tails.setdefault(word[0], []).append(word[1:])
    branches = []
    for first, rest in tails.items():
        inner = _trie_branches([t for t in rest if t])
        optional = "" in rest  # the word may end here: tried after the longer ones
        if not inner:
            branches.append(regex.escape(first))
        elif len(inner) == 1 and not optional:
            branches.append(regex.escape(first) + inner[0])
        else:
            branches.append(f"{regex.escape(first)}(?:{'|'.join(inner)}){'?' if optional else ''}")
    return branches


def _units(units_data: dict, counters: list[str]) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for surface, code in units_data["currency"].items():
        units[surface] = Unit(surface, "money", code, 1)
    for surface, factor in units_data["area"].items():
        exact = Fraction(factor)
        units[surface] = Unit(surface, "area", "m2", exact.numerator if exact.denominator == 1 else exact)
    for surface, code in units_data["percent"].items():
        units[surface] = Unit(surface, "percent", code, 1)
    for surface in counters:
        units.setdefault(surface, Unit(surface, "count", "count", 1))
    return units


@cache
def load_lexicon() -> Lexicon:
    units_data = _load("units.toml")
    counters = _load("counters.toml")
    qualifiers = _load("qualifiers.toml")
    metrics = _load("metrics.toml")
    exclusions = _load("exclusions.toml")
    subjects = _load("subjects.toml")

    return Lexicon(
        units=_units(units_data, counters["counters"]),
        percent_prefixes=dict(units_data["percent_prefix"]),
        not_after_counter=longest_first(counters["not_after_counter"]),
        word_after_counter={c: longest_first(w) for c, w in counters["word_after_counter"].items()},
        qualifiers_before=dict(qualifiers["before"]),
        qualifiers_inner=dict(qualifiers["inner"]),
        qualifiers_after={**qualifiers["after"], **qualifiers["after_at_clause_end"]},
        qualifiers_after_at_end=longest_first(qualifiers["after_at_clause_end"]),
        not_qualifiers=longest_first(qualifiers["not_qualifiers"]["words"]),
        range_separators=longest_first(qualifiers["range"]["separators"]),
        metric_heads={dim: longest_first(words) for dim, words in metrics["heads"].items()},
        stem_heads=longest_first(metrics["stem_heads"]["heads"]),
        metric_modifiers=longest_first(metrics["modifiers"]),
        metric_boundaries=longest_first(metrics["boundaries"]),
        metric_connectors=longest_first(metrics["connectors"]),
        not_label_endings=tuple(metrics["not_label_endings"]),
        investment_heads=longest_first(metrics["investment_heads"]),
        count_modifiers=longest_first(metrics["count_modifiers"]),
        count_stops=longest_first(metrics["count_stops"]),
        generic_counted=tuple(metrics["generic_counted"]),
        subject_suffixes=longest_first(subjects["suffixes"]),
        not_suffix_words=longest_first(subjects["not_suffix_words"]),
        name_boundaries=longest_first(subjects["name_boundaries"]),
        reference_prefixes=longest_first(subjects["reference_prefixes"]),
        generic_words=longest_first(subjects["generic_words"]),
        ordinal_prefixes=longest_first(exclusions["ordinal_prefixes"]),
        rate_base_prefixes=longest_first(exclusions["rate_base_prefixes"]),
        date_before=re.compile(exclusions["date_before"]),
        slogans=longest_first(exclusions["slogans"]),
        bare_scale_qualifiers={w: exclusions["bare_scale_qualifiers"][w] for w in longest_first(exclusions["bare_scale_qualifiers"])},
        vague_prefixes=longest_first(exclusions["vague_prefixes"]),
        max_quoted_name=int(exclusions["max_quoted_name"]),
        phase_counters=longest_first(exclusions["phase_counters"]),
        phase_count_after=longest_first(exclusions["phase_count_after"]),
        subunit_suffixes=longest_first(subjects["subunit_suffixes"]),
        not_after_scale=longest_first(exclusions["not_after_scale"]),
        other_dimension_units=longest_first(exclusions["other_dimension_units"]),
        exchange_rate_words=longest_first(exclusions["exchange_rate_words"]),
        session_words=longest_first(exclusions["session_words"]),
        session_counters=longest_first(exclusions["session_counters"]),
        package_counters=longest_first(exclusions["package_counters"]),
        package_nouns=longest_first(exclusions["package_nouns"]),
        currency_subunits={w: Fraction(f) for w, f in units_data["currency_subunits"].items()},
        currency_subunit_after=longest_first(units_data["currency_subunit_after"]["units"]),
        currency_before={w: units_data["currency_before"][w] for w in longest_first(units_data["currency_before"])},
        currency_before_words=longest_first(units_data["currency_before"]),
        currency_symbols=dict(units_data["currency_symbol"]),
        max_clause_chars=int(metrics["max_clause_chars"]),
        signed_dimensions=tuple(units_data["signs"]["kept_by"]),
        han=char_ranges(_load("scripts.toml")["han"]),
        label_marks=char_ranges(_load("scripts.toml")["label_marks"]),
    )


def char_ranges(ranges: list[str]) -> str:
    """Code point ranges ("4E00..9FFF" or "3005") as the body of a regex character class."""
    pairs = ((chr(int(r.split("..")[0], 16)), chr(int(r.split("..")[-1], 16))) for r in ranges)
    return "".join(a if a == b else f"{a}-{b}" for a, b in pairs)
