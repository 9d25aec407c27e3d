"""Labels of a figure: its metric (what it measures) and subject (what it is about).

Pure functions on short strings: the clause text before a figure and after it.
The words they look for live in `etl/data/metrics.toml` and `subjects.toml`.
"""
from __future__ import annotations

import re
from functools import cache, lru_cache
from itertools import accumulate
from types import SimpleNamespace

import regex

from .lexicon import (
    alternation, first_chars_guard, guarded, guarded_alternation, load_data, load_lexicon, longest_first, searcher_at_end,
)
from .numerals import MAX_NUMERAL_CHARS, NUMERAL_CHAR_CLASS
from .period import time_word_alternation

# Punctuation that ends a clause: labels never reach across it; nor across a table's cell
# delimiter (etl/data/tables.toml: 地区生产总值|1286.4亿元|5.6%, a TAB after the cleaner).
CLAUSE_DELIMITERS = "，,；;。！？!?：:\n|｜\t"


# The last of `CLAUSE_DELIMITERS`, searched from the end (regex's (?r)): one scan back to
# it, not one search of the whole text per delimiter.
_LAST_CLAUSE_MARK = regex.compile("(?r)[" + regex.escape(CLAUSE_DELIMITERS) + "]")


def last_clause_start(text: str) -> int:
    """Where the last clause of `text` begins: just after its last `CLAUSE_DELIMITERS` (0: none)."""
    mark = _LAST_CLAUSE_MARK.search(text)
    return mark.end() if mark else 0


def last_clause(text: str) -> str:
    """The clause that ends `text`."""
    return text[last_clause_start(text):]
# Words that open a label naming a share of something (占全国的, 完成目标值的), and those
# of them whose share has no label of its own (labels.toml, [share]).
SHARE_OPENERS = tuple(load_data("labels.toml")["share"]["openers"])
UNLABELLED_SHARE_OPENERS = tuple(load_data("labels.toml")["share"]["unlabelled"])
LABELLED_SHARE_GOALS = tuple(load_data("labels.toml")["share"]["labelled_goals"])
# Tried only where a run of numerals starts, and bounded: a run tried at each of its
# positions made the name scan quadratic in the length of the run (一二三 × 13,333).
_NUMERAL_RUN = f"(?<!{NUMERAL_CHAR_CLASS}){NUMERAL_CHAR_CLASS}{{1,{MAX_NUMERAL_CHARS}}}"


@cache
def _patterns() -> SimpleNamespace:
    """The label patterns, compiled with the standard `re`: on these short strings it runs
    them 2–5x faster than `regex`."""
    lex = load_lexicon()
    # Characters a name or a counted noun may hold besides Chinese characters.
    name_chars = rf"{lex.han}{lex.label_marks}A-Za-z0-9·"
    # Searched at every position of a clause: each word list behind a lookahead on its first characters.
    heads_alt = guarded_alternation(_all_heads(lex))
    phrase = load_data("labels.toml")["phrase"]
    works = phrase["works_acts"]
    label = (
        rf"(?:{guarded_alternation(lex.metric_modifiers)})*"
        rf"(?:{heads_alt}|[{lex.han}]{{0,2}}(?:{guarded_alternation(lex.stem_heads)})"
        rf"|(?:{guarded_alternation(lex.metric_heads['area'])})(?:{alternation(works)}))"
    )
    suffixes = alternation(lex.subject_suffixes)
    subjects = load_data("subjects.toml")  # parsed once: several patterns below read it
    return SimpleNamespace(
        label_at_end=re.compile(rf"{label}$"),
        label_at_start=re.compile(rf"^{label}"),
        connector_at_end=re.compile(rf"(?:{alternation(lex.metric_connectors)})$"),
        modifier=re.compile(alternation(lex.metric_modifiers)),
        long_boundary=re.compile(rf"{alternation(w for w in lex.metric_boundaries if len(w) > 1)}"),
        # Searched in the reversed text: its first match is the boundary that ends last.
        last_boundary_reversed=re.compile(rf"{_reversed_boundaries(lex.metric_boundaries)}|{_outside_name(name_chars)}"),
        count_stop=re.compile(rf"(?:{guarded_alternation(lex.count_stops)}){_not_stop_words(phrase, lex.count_stops)}"
                              rf"|[{re.escape(CLAUSE_DELIMITERS)}]"),
        count_modifiers=re.compile(rf"^(?:{alternation(lex.count_modifiers)}|{phrase['short_scope']})+"),
        # a quoted word inside what a count counts (专精特新“小巨人”企业) (round 13)
        quoted_in_noun=re.compile(rf"“[^“”]{{1,12}}”[{lex.han}]{{1,6}}$"),
        scope_at_end=re.compile(rf"(?:{alternation(lex.count_modifiers)})$"),
        name_cut=_name_cut(lex, name_chars, subjects),
        respective_list=_respective_list(subjects["respective"]),
        respective_kinds_list=_respective_kinds_list(load_data("labels.toml")["respective_kinds"]),
        # A suffix that begins or ends a longer word (市场; the 市 of 城市) ends no name, at the end either (城乡|社区, labels19).
        suffix=re.compile(rf"{first_chars_guard(lex.subject_suffixes)}"
                          rf"(?!{alternation(lex.not_suffix_words)}|{_word_tails(lex)})(?:{suffixes})"),
        suffix_at_end=re.compile(rf"(?:(?!{_word_tails(lex)})(?:{suffixes}))$"),
        suffix_starts=frozenset(w[0] for w in lex.subject_suffixes),
        han=re.compile(f"[{lex.han}]"),
        non_name=re.compile(f"(?:{_outside_name(name_chars + '“”')})+"),
        han_run=re.compile(f"[{lex.han}]+"),
        # the words of a label: Han and the Roman numerals of a grade (好于Ⅲ类|水体比例)
        label_word_run=re.compile(f"[{lex.han}{lex.label_marks}]+"),
        # A noun opened by a Latin abbreviation (PM2.5|平均浓度, PM10|年均浓度, GDP|总量); one letter
        # names a class of shares (A股|收报), no part of a label.
        latin_opened=re.compile(rf"[{lex.han}]*[A-Za-z]{{2,6}}[0-9.]{{0,4}}[{lex.han}]*"),
        name_boundary=re.compile(rf"{first_chars_guard(lex.name_boundaries)}{_inside_words(subjects['name_words'])}"
                                 rf"(?:{alternation(longest_first(lex.name_boundaries))})|[^{name_chars}]"),
        list_cut=re.compile(r"、|以及|和|及"),
        share_of=re.compile(rf"((?:{'|'.join(SHARE_OPENERS)})[{name_chars}]{{1,12}})的$"),
        bracket_at_end=re.compile(r"[（(]([^（()）]*)[）)]$"),
        # not an enumerator (主要指标（1）地区生产总值: digits alone number a row)
        abbreviation_at_end=re.compile(r"[（(](?![0-9]+[）)])[A-Za-z0-9.&+·-]{1,12}[）)]$"),
        brackets=re.compile(r"[（(][^（()）]*[）)]"),
        title_quote=re.compile(r"《[^《》\n]*》"),
        **_subject_patterns(lex, name_chars, subjects),
        **_phrase_patterns(),
        **_project_patterns(),
    )


def _subject_patterns(lex, name_chars: str, subjects: dict) -> dict:
    """The patterns of names that are subjects: plot codes, capacities, bracketed places,
    phases and subunits (`subjects.toml`)."""
    return dict(
        # A place in brackets before a company's legal form is part of its name (澜岭城投（香港）
        # 有限公司); `subjects.toml` `bracketed_place_before`.
        plot_word=re.compile(alternation(subjects["plot_codes"]["before"])),
        plot_code=re.compile(subjects["plot_codes"]["code"]),
        capacity_word=re.compile(alternation(subjects["capacities"]["words"])),
        capacity=re.compile(rf"(?:{'|'.join(f'(?<={re.escape(w)})' for w in subjects['capacities']['words'])})"
                            rf"{subjects['capacities']['number']}"),
        bracketed_place=re.compile(
            rf"[（(]([{lex.han}]{{2,6}})[）)](?={alternation(subjects['bracketed_place_before'])})"),
        generic=re.compile(rf"(?:{alternation(lex.generic_words)})*"),
        reference=re.compile(rf"^(?:{alternation(lex.reference_prefixes)})"),
        level_words=frozenset(subjects["level_words"]),
        place_then_name=re.compile(subjects["place_then_name"]),
        phase=re.compile(rf"{NUMERAL_CHAR_CLASS}+(?:{alternation(subjects['phase_counters'])})"),
        subunit=re.compile(rf"^(?:{alternation(lex.subunit_suffixes)})$"),
        numeral_start=re.compile(NUMERAL_CHAR_CLASS),
    )


def _project_patterns() -> dict:
    """What says an amount is a project's size or what is spent on it (`metrics.toml`
    [project_size], [project_spend])."""
    metrics = load_data("metrics.toml")
    size, spend = metrics["project_size"], metrics["project_spend"]
    return dict(
        project_size_after=re.compile(size["after"]),
        project_size_before=re.compile(size["before"]),
        project_spend_heads=tuple(spend["heads"]),
        project_spend_projects=tuple(spend["projects"]),
    )


def _outside_name(chars: str) -> str:
    """A regex for one character that is none of `chars` (a character class body), but for
    a decimal point between digits (PM2.5平均浓度: the label runs on through it); the same
    forwards and in reversed text."""
    return rf"(?:[^{chars}.]|(?<![0-9])\.|\.(?![0-9]))"


def _name_cut(lex, name_chars: str, subjects: dict, quick: bool = True) -> re.Pattern:
    """What ends a name: boundary words, punctuation, a count inside a run (高新区|四个|制造业类
    项目), Arabic numbers, years, months (4月份|全市) and ranks (世界500强|企业). A phase right
    after a name goes on it (临川港三期码头工程); elsewhere it ends a name like a count
    (前五期|全省). Captured for split(). `quick` (the same cuts; False builds the plain form a
    test compares it with): a numeral is tried as a count or a phase only where a run of them
    starts and its counter or phase follows, before the guards (the words a cut may not start
    inside, a lookbehind for each name suffix) that every numeral of the text would try."""
    phases = subjects["phase_counters"]
    counters = guarded_alternation(c for c, u in lex.units.items() if u.dimension == "count" and c not in phases)
    not_after_name = "".join(f"(?<!{re.escape(w)})" for w in lex.subject_suffixes)
    inside = _inside_words(subjects["name_words"])
    return re.compile(
        rf"((?:{_name_boundaries(lex, subjects['name_verbs'], inside)})|[^{name_chars}]+"
        rf"|{_numeral_then(counters, inside, quick)}|{_numeral_then(alternation(phases), not_after_name, quick)}"
        r"|[0-9][0-9.,]*(?:年度?|月份?|日|强)?)"
    )


def _numeral_then(words: str, guards: str, quick: bool) -> str:
    """A run of numerals (`_NUMERAL_RUN`) and one of `words` right after it, where `guards`
    (zero-width) hold; `quick` tests the run's start and the words first, which decide most places."""
    run = f"{NUMERAL_CHAR_CLASS}{{1,{MAX_NUMERAL_CHARS}}}"
    if not quick:
        return rf"(?={NUMERAL_CHAR_CLASS}){guards}{_NUMERAL_RUN}(?:{words})"
    return rf"(?={NUMERAL_CHAR_CLASS})(?<!{NUMERAL_CHAR_CLASS})(?={run}(?:{words})){guards}{run}(?:{words})"


def _not_stop_words(phrase: dict, stops: list[str]) -> str:
    """Lookaheads, tried after a count stop matched, that fail where the stop begins a word that
    ends nothing (为|民办实事: 为民 is no copula; `not_count_stops`, round 14)."""
    guards = []
    for word in phrase["not_count_stops"]:
        stop = max((s for s in stops if word.startswith(s) and s != word), key=len, default="")
        if stop:
            guards.append(rf"(?!(?<={re.escape(stop)}){re.escape(word[len(stop):])})")
    return "".join(guards)


def _inside_words(words: list[str]) -> str:
    """A lookahead that fails where a cut would start inside one of `words` or at its start
    (`subjects.toml` `name_words`): the 据 of 数据 ends no name (汀州湾数据中心), nor does 零部
    count parts (汽车零部件产业园)."""
    inside = [rf"(?<={re.escape(w[:i])}){re.escape(w[i:])}" if i else re.escape(w)
              for w in words for i in range(len(w))]
    return f"(?!{'|'.join(inside)})" if inside else ""


def _name_boundaries(lex, verbs: list[str], inside: str = "") -> str:
    """A regex for the words that end a name, where `verbs` (`subjects.toml`'s
    `name_verbs`) end none when a suffix follows them (青禾路小学新建项目, 综合楼扩建项目),
    and none ends one inside a word that holds it (`inside`, a lookahead: 数|据|中心)."""
    others = [w for w in lex.name_boundaries if w not in verbs]
    # One lookahead on the first characters of both lists: tried at every position of a sentence.
    return (rf"{first_chars_guard([*verbs, *others])}{inside}(?:(?:{alternation(verbs)})(?!{alternation(lex.subject_suffixes)})"
            rf"|{alternation(others)})")


def _word_tails(lex) -> str:
    """A regex for a suffix that is the end of a word that ends no name: the 市 of 城市,
    written as `(?<=城)市` (each lookbehind of fixed width)."""
    tails = [rf"(?<={re.escape(w[:k])}){re.escape(w[k:])}" for w in lex.not_suffix_words
             for k in range(1, len(w)) if w[k:].startswith(tuple(lex.subject_suffixes))]
    return "|".join(tails) or "(?!)"


def _reversed_boundaries(words) -> str:
    """A regex for the boundary words, to search in reversed text, that skips a boundary
    standing inside a whole word of `labels.toml` (公|共: the 共 of 公共图书馆 ends no label;
    reversed, 共 followed by 公; 已|建成 in 已建成项目)."""
    phrase = load_data("labels.toml")["phrase"]
    whole = [*phrase["whole_words"], *phrase["completion_words"]]
    alternatives = []
    for word in longest_first(words):
        rev = re.escape(word[::-1])
        inside = [(w[i + len(word):][::-1], w[:i][::-1]) for w in whole if w != word
                  for i in range(len(w) - len(word) + 1) if w.startswith(word, i)]
        alternatives.append("".join(
            rf"(?!{f'(?<={re.escape(after)})' if after else ''}{rev}{re.escape(before)})"
            for after, before in inside) + rev)
    # behind a lookahead on the words' first characters: the lookaheads that open some of
    # them stop the engine's scan for those, and it entered each word at every position
    return f"(?:{guarded('|'.join(alternatives))})"


def _all_heads(lex) -> set[str]:
    heads = set(lex.investment_heads)
    for words in lex.metric_heads.values():
        heads.update(words)
    heads.update(load_data("labels.toml")["value_words"]["words"])
    return heads


def _change_words() -> list[str]:
    """The words of an increase or a decrease (`context.toml`, [relation])."""
    relation = load_data("context.toml")["relation"]
    return [*relation["increase"], *relation["decrease"]]


def _trailing_time(phrase: dict, every_time_word: bool = True) -> re.Pattern:
    """Words between a label and its number: the listed ones, a normaliser (每平方米) and,
    with `every_time_word`, any time word the period step finds (11月份, 1—11月, 前三季度;
    round 9)."""
    words = [*phrase["trailing_time_patterns"], *phrase["per_unit_patterns"]]
    if every_time_word:
        words.append(time_word_alternation())
    return re.compile(rf"(?:{'|'.join(words)})$")


def _phrase_patterns() -> dict:
    """Where a label's noun phrase begins: after a time expression or an opening verb,
    without the end of a time word before it; `labels.toml` holds the words."""
    data = load_data("labels.toml")
    phrase, value_words = data["phrase"], data["value_words"]
    lex = load_lexicon()
    boundaries = [w for w in lex.metric_boundaries if w not in phrase["phrase_keeps"]]
    return dict(
        phrase_boundary_reversed=re.compile(rf"{_reversed_boundaries(boundaries)}|{_outside_name(lex.han + lex.label_marks + 'A-Za-z0-9·')}"),
        label_reference=re.compile(rf"^(?:{alternation(phrase['references'])})"),
        rank=re.compile(alternation(phrase["ranks"])),
        reference_at_end=re.compile(rf"(?:{alternation(phrase['references'])})$"),
        referent=re.compile(rf"(?:{alternation(phrase['referents'])})"),
        # A noun with a head right after an amount (安排三千二百万元|专项资金): the shortest one.
        headed_noun_at_start=re.compile(rf"^[{lex.han}]{{0,6}}?(?:{alternation(_all_heads(lex))})"),
        label_verb_at_end=re.compile(rf"(?<=[{lex.han}])(?:{alternation(phrase['label_verbs'])})$"),
        works_act_at_end=re.compile(rf"(?<=[{lex.han}]{{2}})(?:{alternation(phrase['works_acts'])})$"),
        works_opener=re.compile(alternation(phrase["works_openers"])),
        term_before_noun=re.compile("|".join(phrase["terms"])),
        place_at_end=re.compile(rf"(?:{alternation(phrase['place_suffixes'])})$"),
        time_run=re.compile(rf"(?:{'|'.join(phrase['time_patterns'])})+"),
        trailing_time=_trailing_time(phrase),
        trailing_listed_time=_trailing_time(phrase, every_time_word=False),
        **_value_word_patterns(value_words, data["rates"]),
        phrase_longest=int(phrase["longest"]),
        conjunctions=frozenset(phrase["conjunctions"]),
        conjunctions_longest_first=longest_first(phrase["conjunctions"]),
        list_joins=frozenset([*phrase["conjunctions"], *phrase["list_separators"]]),
        conjunction_in=re.compile(alternation(phrase["conjunctions"])),
        numeral_words=tuple(phrase["numeral_words"]),
        leading_threshold=re.compile(phrase["leading_threshold"]),
        completion_opener=re.compile(phrase["completion_opener"]),
        event_before_investment=re.compile(phrase["event_before_investment"]),
        accumulation_opener=re.compile(rf"^(?:{alternation(phrase['accumulation_openers'])})"),
        all_heads=frozenset(_all_heads(lex)),
        place_kinds=frozenset(phrase["place_kinds"]),
        works_kinds=tuple(phrase["works_kinds"]),
        change_word_at_end=re.compile(rf"(?:{alternation(_change_words())})$"),
        share_word_at_end=re.compile(rf"(?:{alternation(load_data('context.toml')['relation']['share'])})$"),
        modifier_run=re.compile(rf"(?:{alternation(lex.metric_modifiers)})+"),
        not_scopes=tuple(phrase["not_scopes"]),
        bracket_qualifiers=tuple(phrase["bracket_qualifiers"]),
        completion_words=frozenset(phrase["completion_words"]),
        completion_verb=phrase["completion_verb"], completion_goals=tuple(phrase["completion_goals"]),
        completion_values=frozenset(phrase["completion_values"]),
        flow_heads=tuple(phrase["flow_heads"]),
        bare_heads=tuple(phrase["bare_heads"]),
        of_phrase=re.compile(rf"(?:{'|'.join(phrase['of_phrases'])})$"),
        **_holder_patterns(phrase, lex),
        **_count_patterns(phrase),
        phrase_opener=re.compile("|".join([*phrase["terms"], *phrase["time_patterns"], first_chars_guard(phrase["verbs"])
                                           + f"(?:{_guarded_verbs(phrase['verbs'], phrase['verb_nouns'])})"])),
        phrase_time=re.compile("|".join([*phrase["time_patterns"], *phrase["terms"]])),
        verb_noun_at_end=re.compile(rf"(?:{alternation(phrase['verb_nouns'])})$"),
        verb_labels=frozenset(phrase["verb_labels"]),
        leading_time=re.compile(rf"^(?:{alternation(phrase['leading_time'])})"),
        trailing_postposition=re.compile(rf"(?:{alternation(phrase['trailing_postpositions'])})$"),
        not_postpositions=tuple(phrase["not_postpositions"]),
        head_at_end=re.compile(rf"(?<=[{lex.han}]{{2}})(?:{alternation(_all_heads(lex))})$"),
    )


def _value_word_patterns(value_words: dict, rates: dict) -> dict:
    """Words that name a value, a table row's column or a comparison, not a label, and the
    heads of rates (`labels.toml` [value_words], [rates])."""
    return dict(
        level_rates=tuple(rates["level_heads"]),
        rate_indicators=frozenset(rates["indicators"]),
        kept_change_modifier=re.compile(rf"(?:{alternation(rates['kept_change_modifiers'])})$"),
        value_word_at_end=re.compile(rf"(?:{alternation(value_words['words'])})$"),
        row_column_at_end=re.compile(rf"(?:{alternation(value_words['row_columns'])})$"),
        speaker=re.compile(rf"(?:{alternation(value_words['speakers'])})(?:[（(][^）)]*[）)])?"),
        count_amount_at_end=re.compile(rf"(?:{alternation(value_words['count_amount_suffixes'])})$"),
        per_capita=re.compile(value_words["per_capita"]),
        comparison_verb_at_end=re.compile(rf"(?:{alternation(value_words['comparison_verbs'])})$"),
        comparison_verbs=frozenset(value_words["comparison_verbs"]),
        comparison_verb=re.compile(alternation(value_words["comparison_verbs"])),
        # a comparison verb and its base (高于|时序进度, 高于|全国增速)
        comparison_with_base=re.compile(rf"(?P<verb>{alternation(value_words['comparison_verbs'])})"
                                        rf"{value_words['comparison_base']}$"),
    )


def _holder_patterns(phrase: dict, lex) -> dict:
    """Nouns that hold a label after them (开工项目|平均投资规模), and agents that do so
    before a verb of completion (建筑业企业|完成建筑业总产值)."""
    holders, agents, verbs = (alternation(phrase[k]) for k in ("holders", "agents", "agent_verbs"))
    return dict(
        # not before a rate of what it holds (重点项目开工率: the rate is the projects')
        holder=re.compile(rf"(?:{holders})(?=[{lex.han}])(?![{lex.han}]{{1,2}}(?:{alternation(lex.stem_heads)})$)"
                          rf"|(?:{agents})(?={verbs})"),
        holder_at_end=re.compile(rf"(?:{holders})$"),
        agent_verbs=tuple(phrase["agent_verbs"]),
        opening_holders=tuple(phrase["opening_holders"]),
        opening_verb_at_end=re.compile(rf"(?:{alternation(phrase['verbs'])})$"),
        verb_at_start=re.compile(rf"(?:{_guarded_verbs(phrase['verbs'], phrase['verb_nouns'])})"),
        agent_at_end=re.compile(rf"(?:{agents})$"),
    )


def _count_patterns(phrase: dict) -> dict:
    """Words around what a count counts: flow verbs, stages, holders counted, verbs and
    tails that end the counted noun (`labels.toml` [phrase])."""
    adverbs, flows, bare = (alternation(phrase[k]) for k in ("count_verb_adverbs", "count_flow_verbs", "bare_heads"))
    return dict(
        # At the start of the noun, or after an adverb anywhere in it (施工高峰期日均投入|工人); the
        # adverb alone goes before a flow verb that stays before a bare head (累计|签约项目) (round 13),
        # unless with it the verb is a flow of its own (累计开工项目 stays, labels19).
        count_flow_verb=re.compile(rf"(?:^|(?={adverbs}))(?:(?:{adverbs})?(?:(?:{flows})(?!(?:{bare})$)"
                                   rf"|(?:{_guarded_verbs(phrase['count_verbs'], phrase['not_count_verbs'])}))"
                                   rf"|(?!(?:{flows})(?:{bare})$)(?:{adverbs})(?=(?:{flows})(?:{bare})$))(?=[^\n]{{2}})"),
        count_flow_verbs=frozenset(phrase["count_flow_verbs"]),
        # longest first: 净减少 is tried before 净减 whatever order the data file lists them in
        count_changes=dict(sorted(phrase["count_changes"].items(), key=lambda item: -len(item[0]))),
        counted_holders=tuple(phrase["counted_holders"]),
        stage_words=tuple(phrase["stage_words"]),
        stage_counters=frozenset(phrase["stage_counters"]),
        count_flow_verb_at_end=re.compile(rf"(?:{alternation(phrase['count_flow_verbs'])})$"),
        not_count_verbs=tuple(phrase["not_count_verbs"]),
        count_trailing_verb=re.compile(rf"(?:{alternation(phrase['count_trailing_verbs'])})$"),
        counter_tail=re.compile("|".join(phrase["counter_tails"])),
        count_money_threshold=re.compile(phrase["count_money_threshold"]),
        restatements=frozenset(phrase["restatements"]),
    )


def _guarded_verbs(verbs: list[str], nouns: list[str]) -> str:
    """A regex for `verbs`, each that begins one of `nouns` (发行价格, 有效期) not followed by
    the rest of that noun, and each that ends one (水土保持) not preceded by its start (round 14):
    checked only where the verb matched, not at every position."""
    def guard(v: str) -> str:
        after = [n[len(v):] for n in nouns if n.startswith(v)]
        before = [n[: -len(v)] for n in nouns if n.endswith(v) and n != v]
        return ("".join(rf"(?<!{re.escape(b)})" for b in before) + re.escape(v)
                + (rf"(?!{alternation(after)})" if after else ""))
    plain = [v for v in verbs if not any(n.startswith(v) or n.endswith(v) for n in nouns)]
    guarded = [guard(v) for v in verbs if any(n.startswith(v) or n.endswith(v) for n in nouns)]
    return "|".join([*guarded, alternation(plain)])


@lru_cache(maxsize=64)  # one figure's steps ask for the same phrase several times
def strip_connectors(prefix: str) -> str:
    """Drop linking words between a label and its number (总投资达 → 总投资).

    A word that merely ends like a connector stays whole (签约 is not 签 + 约).
    """
    pat, keep = _patterns(), load_lexicon().not_qualifiers
    while not prefix.endswith(keep):
        m = _at_end(pat.connector_at_end, prefix) or _label_verb_at_end(prefix)
        if not m:
            break
        prefix = prefix[: m.start()]
    return prefix


def _label_verb_at_end(prefix: str) -> re.Match | None:
    """A verb of completion that ends `prefix` after a named label (地区生产总值|完成), not
    after a time word or a linking word (全年完成, 累计完成: the verb names the figure)."""
    pat = _patterns()
    m = _at_end(pat.label_verb_at_end, prefix)
    if m is None:
        return None
    before = prefix[: m.start()]
    named = not _at_end(pat.connector_at_end, before) and not _at_end(pat.trailing_time, before)
    return m if named else None


@lru_cache(maxsize=64)  # one figure's steps ask for the same phrase several times
def find_label(prefix: str) -> str:
    """The metric label that ends `prefix` (the clause text before a number)."""
    pat = _patterns()
    prefix = strip_connectors(prefix)
    bracket = pat.bracket_at_end.search(prefix)
    if bracket:
        # 占常住人口比重（常住人口城镇化率）为: the bracket names the figure best, unless it
        # only abbreviates the label before it (地区生产总值（GDP）).
        inner = bracket.group(1)
        if inner.startswith(pat.bracket_qualifiers):
            before = find_label(prefix[: bracket.start()])
            return before + bracket.group() if before else ""
        return (find_label(inner) if pat.han.search(inner) else "") or find_label(prefix[: bracket.start()])
    m = pat.label_at_end.search(prefix)
    if m:
        # A label that starts inside a time or linking word is cut after it
        # (比上年增长 → 增长, 全年地区生产总值 → 地区生产总值), unless nothing
        # that is a label is left (增加值 stays whole).
        first = pat.modifier.match(prefix, m.start())
        for b in pat.long_boundary.finditer(prefix, max(0, m.start() - 8), m.end()):
            inside = b.start() < m.start() < b.end()
            # 全年 opening 全年地区生产总值 is a time word; 建成 opening 建成区面积 is
            # only the start of the modifier 建成区.
            opens = b.start() == m.start() and first is not None and first.group() == b.group()
            if inside or opens:
                rest = pat.label_at_end.search(prefix, b.end())
                return rest.group() if rest else m.group()
        return m.group()
    share = pat.share_of.search(prefix)
    if share:
        # 完成目标值的79.1% → 完成目标值; 占年度计划的78.2%, 完成年度计划的62% → "" (the whole is no label)
        whole = share.group(1)
        return "" if whole.startswith(UNLABELLED_SHARE_OPENERS) and not whole.endswith(LABELLED_SHARE_GOALS) else whole
    tail = prefix[_after_last_boundary(prefix):]
    last = pat.list_cut.split(tail)[-1]  # each noun of 减税降费及退缓税费 is short
    if _a_place(tail, prefix):
        return ""  # 分区域看，…；临江新区|29.8万平方米: the place is the subject (labels16)
    if not 2 <= len(last) <= 6 or tail.endswith(load_lexicon().not_label_endings):
        return ""
    verb = pat.verb_at_start.match(tail)  # 用于|产业发展: a verb opening a headless phrase is no label
    return tail[verb.end():] if verb and len(tail) - verb.end() >= 2 else tail


def _a_place(noun: str, prefix: str) -> bool:
    """Whether `noun` is a place's name standing alone in the clause `prefix` ends (…，白鹭区|增长,
    临江新区|29.8万平方米): in a breakdown by place it is the figure's subject, and the label
    is the one named before (labels16). A kind of place after a verb (建成|节水型社会达标县) is none."""
    clause = last_clause(prefix)
    return (bool(noun) and clause == noun and _at_end(_patterns().place_at_end, noun) is not None
            and first_name(noun) == noun)


def _after_last_boundary(text: str, boundary_reversed: re.Pattern | None = None) -> int:
    """Where the text after the last boundary word or non-name character begins (0: none).
    A conjunction joining two nouns is no boundary: the phrase holds both (中小学和幼儿园,
    超长期特别国债和地方政府专项债券资金), when the noun before it is Chinese words only."""
    pattern = boundary_reversed or _patterns().last_boundary_reversed
    m = pattern.search(text[::-1])
    if not m:
        return 0
    start = len(text) - m.start()
    if start == len(text):
        return start
    # A list joined by a conjunction is one noun back to its first item, also across the
    # 、 before the conjunction (电力、热力、燃气及水生产和供应业; `labels.toml` conjunctions).
    joining = _patterns().conjunctions
    while m is not None and m.group()[::-1] in joining and (joined := text[: len(text) - m.end()]):
        m = pattern.search(joined[::-1])
        first = joined[len(joined) - m.start():] if m else joined
        # 临港片区和综保片区开工项目: names joined are the subjects, not the label.
        if len(first) < 2 or not _patterns().han_run.fullmatch(first) or _patterns().suffix_at_end.search(first):
            break
        start, joining = len(joined) - len(first), _patterns().list_joins
        text = joined
    return start


def closes_a_list(clause: str) -> bool:
    """Whether `clause`, the text after a 、, holds a conjunction that closes a list of
    nouns (燃气及水生产和供应业): the list's items before the 、 are part of its label."""
    return _patterns().conjunction_in.search(clause) is not None


@lru_cache(maxsize=64)  # one figure's steps ask for the same phrase several times
def phrase_before(text: str) -> str:
    """The noun phrase that ends `text`: what follows its last boundary word, without
    scope words in front (全市城镇登记失业率 → 城镇登记失业率)."""
    pat = _patterns()
    phrase = strip_connectors(text)
    phrase = phrase[_after_last_boundary(phrase, pat.phrase_boundary_reversed):]
    return _after_opener(phrase, pat.phrase_opener)


def _after_opener(phrase: str, opener: re.Pattern) -> str:
    """`phrase` after the last match of `opener` (a time word or an opening verb) and
    without a scope word in front; "" when nothing follows the opener."""
    pat = _patterns()
    last = None
    for last in opener.finditer(phrase):
        pass
    phrase = phrase[last.end():] if last is not None else phrase
    holder = None
    for holder in pat.holder.finditer(phrase):
        pass
    phrase = phrase[holder.end():] if holder is not None else phrase
    lead = pat.leading_time.match(phrase)
    if lead and not phrase.startswith(pat.not_postpositions):  # 初中在校生 is no 初 + 中在校生
        phrase = phrase[lead.end():]
    return without_scope(phrase)


def without_scope(noun: str, keep: int = 0) -> str:
    """`noun` without the scope word that opens it (全市|重点项目, 各类|市场主体; metrics.toml
    count_modifiers), unless it is a noun of its own (所有者权益: `not_scopes`) or fewer than `keep`
    characters would be left."""
    pat = _patterns()
    scope = pat.count_modifiers.match(noun)
    if scope is None or noun.startswith(pat.not_scopes) or len(noun) - scope.end() < keep:
        return noun
    return noun[scope.end():]


# `(?:…)$` patterns are searched from this many characters before the end only: a plain
# search would try them at every position of a long clause.
_END_WINDOW = 24


_at_end = searcher_at_end(_END_WINDOW)


@lru_cache(maxsize=64)  # one figure's steps ask for the same phrase several times
def without_trailing_time(prefix: str, listed_only: bool = False) -> str:
    """The clause text before a number without the time words and linking words that
    stand between its label and the number (目标值为到2025年达到 → 目标值); with `listed_only`,
    only the words of labels.toml's lists, not every time word (年末 stays)."""
    pat = _patterns()
    trailing = pat.trailing_listed_time if listed_only else pat.trailing_time
    text = strip_connectors(prefix)
    while text and (m := _at_end(trailing, text)):
        text = strip_connectors(text[: m.start()])
    return text


def value_word(label: str) -> str:
    """The word for a value of an indicator that ends `label` (…目标值 → 目标值), or ""."""
    m = _at_end(_patterns().value_word_at_end, label)
    return m.group() if m else ""


@lru_cache(maxsize=64)  # one figure's steps ask for the same phrase several times
def metric_label(prefix: str) -> str:
    """The metric of a money, area or percent figure: the label that ends the clause text
    before it, grown to the whole noun phrase it ends (国内|生产总值, 粮食种植|面积). A
    change or a share is labelled by its relation word alone (增长, 比重), a value of an
    indicator by its value word (目标值): what changed or what has the value is the
    figure's indicator. A value word after a comparison verb is the base of a change,
    labelled by the verb (低于目标值 → 低于)."""
    prefix = without_trailing_time(prefix)
    if works := _works_label(prefix):
        return works
    label = _outside_time(prefix, find_label(prefix))
    if not label:
        # 高于全省平均水平0.6个百分点: a comparison with a base names the change by its verb.
        verb = _patterns().comparison_verb.search(prefix)
        return verb.group() if verb else ""
    if (compared := _compared_base(prefix)) and compared.end("verb") <= len(prefix) - len(label):
        return compared["verb"]  # 高于时序进度3.4个百分点: the base's label names no metric (round 9)
    if metric_head_dimension(label) == "percent":
        # 空气质量优良天数|比例: a rate, grown whole; 占净利润的比例: a share, the word alone.
        if label.endswith(_patterns().level_rates) and not prefix[: len(prefix) - len(label)].endswith("的"):
            return whole_label(prefix, label, _patterns().phrase_longest)
        return _bare_change(label)
    if label in _patterns().verb_labels:
        return label
    word = value_word(label)
    if not word or prefix.endswith("的"):  # 完成目标值的79.1%: a share of the value
        return _compared_or_whole(prefix, whole_label(prefix, label, _patterns().phrase_longest))
    verb = _at_end(_patterns().comparison_verb_at_end, prefix[: len(prefix) - len(word)])
    return verb.group() if verb else word


def _compared_or_whole(prefix: str, whole: str) -> str:
    """`whole`, the label grown before a figure, or the comparison verb before it or opening it
    (高于序时进度11.5个百分点, 快于时间进度: the label is the base compared with, and the verb
    names the change)."""
    pat = _patterns()
    if opening := pat.comparison_verb.match(whole):
        return opening.group()
    base = _at_end(pat.comparison_verb_at_end, prefix[: len(prefix) - len(whole)]) if prefix.endswith(whole) else None
    return base.group() if base else whole


def _works_label(prefix: str) -> str:
    """The label of an area or amount named by works done on something (完成高标准农田建设
    5.2万亩 → 高标准农田建设, 完成低效用地再开发 → 低效用地再开发): the noun phrase before the act
    with the act, without a verb of doing that opens it; "" when no act ends `prefix`."""
    pat = _patterns()
    act = _at_end(pat.works_act_at_end, prefix)
    if act is None:
        return ""
    noun = phrase_before(prefix[: act.start()])
    # 要完成|城镇低效用地, 推进实施|…: the noun starts after the last verb of doing
    openers = list(pat.works_opener.finditer(noun))
    noun = noun[openers[-1].end():] if openers else noun
    if len(noun) < 2 or not pat.han_run.fullmatch(noun) or len(noun) + len(act.group()) > pat.phrase_longest:
        return ""
    return noun + act.group()


def _compared_base(prefix: str) -> re.Match | None:
    """A comparison verb and the base after it that end `prefix` (高于|时序进度, 高于|全国增速)."""
    return _at_end(_patterns().comparison_with_base, prefix)


def _bare_change(label: str) -> str:
    """A change labelled by its relation word, without the modifiers before it that end the
    noun of what changed (农副食品加工|工业增长 → 增长), except those that say how it is
    counted (年均增长, 累计降低); so is a share (税收|占比 → 占比) (round 9)."""
    pat = _patterns()
    word = _at_end(pat.change_word_at_end, label) or _at_end(pat.share_word_at_end, label)
    if word is None or word.start() == 0:
        return label
    before = label[: word.start()]
    kept = _at_end(pat.kept_change_modifier, before)
    if not pat.modifier_run.fullmatch(before):
        return label
    return (kept.group() if kept else "") + word.group()


def _outside_time(text: str, label: str) -> str:
    """`label` (which ends `text`) without the end of a time word it starts inside
    (比2020年|提高 read as 年提高 → 提高; 1—10月|收窄 → 收窄)."""
    if not text.endswith(label):
        return label  # 完成全年目标任务|的: a share's label is whole, its time word part of it
    start = len(text) - len(label)
    last = None
    for m in _patterns().phrase_time.finditer(text, max(0, start - 12), len(text)):
        if start < m.end() < len(text):
            last = m  # 计划|全年|完成投资: a time word inside the label ends what comes before
    return text[last.end():] if last is not None else label


def count_metric(prefix: str) -> str | None:
    """What a count written as the value of an indicator counts (高新技术企业数量目标值为1500家
    → 高新技术企业; 每万人口高价值发明专利拥有量目标值为12件 → 高价值发明专利): the noun
    phrase before the value word without an amount word and a per-capita base; "" when
    only a value word is written (2022年完成值为7.3件: what the count before counts);
    None when no value word ends `prefix`."""
    pat = _patterns()
    text = without_trailing_time(prefix)
    word = value_word(text)
    if not word:
        return None
    noun = text[: -len(word)]
    if (amount := _at_end(pat.count_amount_at_end, noun)) and amount.start() > 0:
        noun = noun[: amount.start()]
    noun = phrase_before(noun)
    capita = pat.per_capita.match(noun)
    return noun[capita.end():] if capita and capita.end() < len(noun) else noun


def count_change_word(prefix: str) -> str:
    """The relation word that ends the text before a count naming nothing counted (比上年末增加
    412家, 比年初净增18家 → 增加, 净增): a count's change is labelled by its relation word, like
    a change of money or area; what changed is the figure's indicator (round 15)."""
    m = _at_end(_patterns().change_word_at_end, strip_connectors(without_trailing_time(prefix)))
    return m.group() if m and len(m.group()) > 1 else ""  # 新增12家: 增 alone is a flow's verb


def changed_share(before_share: str, part: str) -> str:
    """What a change in points after a share changed: the share, named whole by the clause
    text before the share's figure (`before_share`) from where its part (`part`, the share's
    indicator) is named (高技术制造业增加值占规模以上工业增加值的比重为17.2%，比上年提高1.1个百分点
    → 高技术制造业增加值占规模以上工业增加值的比重; 税收占比); "" when that text names no share
    of the part (round 15)."""
    text = strip_connectors(last_clause(before_share))
    at = text.rfind(part) if part else -1
    phrase = text[at:] if at >= 0 else ""
    if len(phrase) <= len(part) or not (_at_end(_patterns().share_word_at_end, phrase) or (
            phrase[len(part):].startswith(SHARE_OPENERS) and metric_head_dimension(phrase) == "percent")):
        return ""
    return phrase


def topic_phrase(text: str) -> str:
    """The noun phrase that ends `text`, cut only at punctuation and time words (not at
    verbs: 每千人口拥有3岁以下婴幼儿托位数 stays whole): an indicator named before a value
    word or a relation word, without a unit it is per closing it (粮食单位面积产量|每公顷, round 15)."""
    pat = _patterns()
    text = without_trailing_time(strip_connectors(text))
    cut = None
    for cut in pat.non_name.finditer(text):
        pass
    phrase = _after_opener(text[cut.end():] if cut else text, pat.phrase_opener)
    return _with_abbreviation(text[: len(text) - len(phrase)], phrase) if phrase else phrase


@lru_cache(maxsize=64)  # one figure's steps ask for the same phrase several times
def whole_label(prefix: str, label: str, longest: int = 10) -> str:
    """`label` grown to the whole noun phrase it ends (国内|生产总值, 粮食种植|面积), when the
    words before it are no name or reference (公司|总规模, 项目|总投资 stay 总规模, 总投资),
    with a phrase that 的 joins to it (经营活动产生的|现金流量净额) or the 已 of a label of
    completion (已|完成投资)."""
    text = strip_connectors(prefix)
    if not label or not text.endswith(label) or label == _works_label(text):
        return label  # 完成|高标准农田建设: works are named without the verb of doing them
    pat = _patterns()
    if (noun := _at_end(pat.verb_noun_at_end, text)) and noun.group().endswith(label):
        label = noun.group()  # 发行|价格: a verb that begins a label is part of it
    phrase = _grown_label(text, label, longest)
    if event := pat.event_before_investment.match(phrase):
        return phrase[event.end():]  # 86个项目集中开工|总投资: what the projects did (labels20)
    before = text[: -len(phrase)]
    if before.endswith("的") and (of := _at_end(pat.of_phrase, before)):
        return _after_opener(of.group(), pat.phrase_opener) + phrase
    if before.endswith("已") and "已" + phrase[:2] in pat.completion_words:
        return "已" + phrase
    return _with_abbreviation(before, phrase)


def _with_abbreviation(before: str, phrase: str) -> str:
    """`phrase` with an abbreviation in brackets standing inside the noun phrase before it
    and the noun it abbreviates (研究与试验发展（R&D）|经费支出, 细颗粒物（PM2.5）|年均浓度);
    one at the end of a label only abbreviates it and goes (地区生产总值（GDP）)."""
    if not before.endswith(("）", ")")) or not (abbr := _at_end(_patterns().abbreviation_at_end, before)):
        return phrase
    noun = phrase_before(before[: abbr.start()])
    return noun + abbr.group() + phrase if noun and _patterns().han_run.fullmatch(noun) else phrase


def _grown_label(text: str, label: str, longest: int) -> str:
    # The words before the label, read on their own: a boundary word inside the label
    # (增加 in 增加值) cuts nothing.
    before = text[: -len(label)]
    scope = _at_end(_patterns().scope_at_end, before)  # 发行人|资产负债率, not 中央和省级|资金 (a list's item)
    if strip_connectors(before) != before or (scope and not before[: scope.start()].endswith(tuple(_patterns().list_joins))):
        return label  # 可实现|年产值: a linking word stands before the label; a scope stands before it
    extra = phrase_before(before) or _joined_before(before)
    # A noun joined by a conjunction does not count towards the bound (超长期特别国债和|…资金).
    if not extra or len(_patterns().list_cut.split(extra)[-1]) + len(label) > longest:
        return label
    pat = _patterns()
    if extra in pat.opening_holders and _at_end(pat.opening_verb_at_end, before[: -len(extra)]):
        return extra + label  # 带动|项目总投资: the object of an opening verb is the projects' total (labels17)
    if pat.label_reference.match(extra) or (pat.suffix_at_end.search(extra) and not _of_a_kind(extra, label)):
        return label
    if _holds(extra, label, before[: -len(extra)].endswith("的")):
        return label
    if _at_end(pat.reference_at_end, before[: -len(extra)]) and (referent := pat.referent.match(extra)):
        # 该地块|用地面积: the noun after a reference word is what it refers to
        extra = extra[referent.end():]
        if not extra:
            return label
    if (threshold := pat.leading_threshold.match(extra)) and threshold.end() < len(extra):
        extra = extra[threshold.end():]  # 65岁以上|老年人健康|管理率
    if done := pat.completion_opener.match(extra):
        extra = extra[done.end():]  # 建成|标准|厂房: what was built, not the building of it
    if pat.numeral_start.match(extra) and not extra.startswith(pat.numeral_words):
        return label
    if not pat.label_word_run.fullmatch(extra.replace("、", "")) and not pat.latin_opened.fullmatch(extra):  # 交通运输、仓储和邮政业|增加值
        return label
    # 东部地区|投资: a name opening the phrase is the figure's subject, not its label.
    phrase = extra + label
    name = first_name(phrase)
    return phrase[len(name):] if name and phrase.startswith(name) and len(name) < len(phrase) else phrase


def _joined_before(before: str) -> str:
    """The noun and the conjunction that end `before` and join it to the label after it
    (水利管理及其他|完成投资, 公用事业及其他|业务收入), when that noun is Chinese words only and
    no label of its own (项目数量、总投资和|年度计划投资: a list of labels); "" otherwise (round 14)."""
    pat = _patterns()
    joined = next((c for c in pat.conjunctions_longest_first if before.endswith(c)), "") if before.endswith(
        pat.conjunctions_longest_first) else ""  # most: none, one C call
    noun = phrase_before(before[: -len(joined)]) if joined else ""
    if (len(noun) < 2 or not pat.han_run.fullmatch(noun) or pat.suffix_at_end.search(noun)
            or _at_end(pat.label_at_end, noun)):
        return ""
    return noun + joined


def _of_a_kind(extra: str, label: str) -> bool:
    """Whether `extra`, which ends like a name, is a kind of places or things that `label`
    is of, not a name: a rate of a kind (重点项目|开工率) or a kind of built-up place (城区|建成区面积,
    县城|建成区面积; `place_kinds`), or a kind of works no name is read in (重点工程|完成投资,
    `works_kinds`, round 14). 云州产业园项目|开工率 does not grow (the project is the subject),
    nor does 项目|开工率 (it refers to the project named before), nor 在建项目|完成投资 (a scope),
    nor 新区|完成投资 (the place the figure is about)."""
    pat = _patterns()
    if extra in pat.place_kinds:
        return True
    kind = _at_end(pat.suffix_at_end, extra)
    return (kind is not None and kind.start() > 0 and not first_name(extra)
            and (label.endswith(load_lexicon().stem_heads) or extra.endswith(pat.works_kinds)))


def _holds(noun: str, label: str, after_of: bool) -> bool:
    """Whether `noun`, the phrase before `label`, holds it instead of being part of it: a
    holder (群众|回迁率), or an agent (企业, 单位) before a verb of completion (国有企业|完成投资)
    or after a clause joined by 的 (具有资质等级的建筑业企业|利润: the label cannot start inside
    the phrase the clause qualifies; `after_of`) (round 8)."""
    pat = _patterns()
    if _at_end(pat.holder_at_end, noun):
        # 重点项目|开工率: a rate of the things held is theirs, and grows over them; not a rate
        # of people or bodies holding it (群众|满意率, `counted_holders`)
        return noun.endswith(pat.counted_holders) or not (len(label) <= 3 and label.endswith(load_lexicon().stem_heads))
    return _at_end(pat.agent_at_end, noun) is not None and (after_of or label.startswith(pat.agent_verbs))


@lru_cache(maxsize=256)  # a row's or a column's header is asked for each of its figures
def header_label(header: str, counted: bool = False) -> str:
    """The label of a value written after a colon, a table row written as text (营业收入：
    58.4亿元; 归属于上市公司股东的净利润：4.86亿元): the whole noun phrase that ends the text
    before the colon, when a label head ends it; "" otherwise (主要财务数据如下：). For a
    count, what the header counts (普通股股东总数：32615户 → 普通股股东, 区级重点项目：2026年
    安排120个 → 重点项目). A speaker's mark (答：, 记者：) heads no row."""
    phrase = topic_phrase(header)
    if len(phrase) > _HEADER_LONGEST or _patterns().speaker.fullmatch(header.strip()):
        return ""
    if _at_end(_patterns().share_word_at_end, phrase):
        return metric_label(header)  # …增加值占地区生产总值比重：2025年基数9.8% is labelled 比重
    if _patterns().label_at_end.search(phrase):
        return phrase
    return _noun_before(phrase) if counted else ""


# A row header longer than this is a sentence, not the name of a row.
_HEADER_LONGEST = 24


def ranks_a_noun(text: str, end: int) -> bool:
    """Whether the bare number ending at `end` is a rank inside a noun (世界500强企业)."""
    return _patterns().rank.match(text, end) is not None


def is_rate_indicator(label: str) -> bool:
    """Whether `label` is a rate of decline that a change of it names as its indicator
    (降幅比上年收窄3.5个百分点 → indicator 降幅), unlike a growth rate (增速比一季度加快 → what grew)."""
    return label in _patterns().rate_indicators


def is_comparison_verb(metric: str) -> bool:
    """Whether `metric` is a verb comparing the figure with a base (低于, 超过)."""
    return metric in _patterns().comparison_verbs


def names_nothing(prefix: str) -> bool:
    """Whether the clause text before a figure holds only time words, linking words and a
    verb of completion or a flow verb (2021—2022年累计完成, 已完成, 今年新增): it names nothing
    measured."""
    rest = without_trailing_time(prefix)
    if not rest or rest.endswith(load_lexicon().count_stops):
        return True
    # 年末累计达到, 今年新增: time words, with a flow verb or not, name nothing either (round 8)
    pat = _patterns()
    if flow := _at_end(pat.count_flow_verb_at_end, rest):
        rest = strip_connectors(rest[: flow.start()])
    return pat.time_run.fullmatch(rest) is not None


def without_row_column(prefix: str) -> str:
    """The clause text before a value of a table row written as text without the word that
    names its column after a time (2025年基数, 2030年目标 → 2025年, 2030年): the column is
    no label, the row's header is."""
    rest = without_trailing_time(prefix)
    column = _at_end(_patterns().row_column_at_end, rest)
    if column is None or not names_nothing(rest[: column.start()]) and rest[: column.start()]:
        return prefix
    return rest[: column.start()] + prefix[len(rest):]


def changed_total(label: str) -> str:
    """What changed when a change follows an accumulated total (累计完成全社会固定资产投资1426亿元，
    年均增长4.3% → 全社会固定资产投资): the thing, without the verb of accumulation, unless only
    a head would be left (累计完成投资986.4亿元，同比增长12% stays 累计完成投资) (round 13)."""
    pat = _patterns()
    m = pat.accumulation_opener.match(label)
    return label[m.end():] if m and label[m.end():] not in pat.all_heads else label


def inherits_metric(metric: str, prefix: str) -> bool:
    """Whether a figure takes the metric of the figure before it in its sentence:
    it has none of its own and only linking words, time words or a "those that …" (上涨的有)
    stand before it in its clause, or what it counts is a word like 总数."""
    lex = load_lexicon()
    if metric in lex.generic_counted:
        return True
    # 年末累计达到312家: a time word the lists do not hold (年末) is left, and names a stock of
    # its own, not the label of the figure before
    rest = without_trailing_time(prefix, listed_only=True)
    if _at_end(_patterns().share_of, rest):
        return False  # 占房地产开发投资的76.6%: a share has a label of its own, "" or not
    # 在70个大中城市中，房价上涨的有12个: "those that …" counts what the count before counts.
    # 住宅用地63.2公顷（约948亩）: a bracket restating the figure before in another unit.
    # 用地面积14.2公顷，合213亩: a word of restatement alone (labels.toml restatements) (round 9).
    return rest in _patterns().restatements or not metric and (not rest.strip("和及与、（(") or rest.endswith("的"))


def measured_in(label: str, dimension: str) -> bool:
    """Whether `label` (what a figure of another unit measures or counts) ends in a head of
    `dimension` (住宅用地 counted in 宗 is land, which an area measures too)."""
    return bool(label) and dimension != "count" and metric_head_dimension(label) == dimension


def label_after(after: str) -> str:
    """A label joined after the figure by 的 (4.6万平方米的建筑面积 → 建筑面积)."""
    if not after.startswith("的"):
        return ""
    m = _patterns().label_at_start.match(after[1:])
    return m.group() if m else ""


@lru_cache(maxsize=64)  # a label is asked for again by the value, label and context steps
def metric_head_dimension(label: str) -> str | None:
    """Which dimension's head ends `label` (money, area, percent, count) if any."""
    lex = load_lexicon()
    for dim, heads in lex.metric_heads.items():
        if label.endswith(heads):
            return dim
    return None


_TRAILING_BRACKET = re.compile(r"[（(][^（()）]*[)）]$")


def is_investment_label(label: str) -> bool:
    """Whether `label` names an investment; a bracket that qualifies it (固定资产投资（不含农户）)
    does not change what it names."""
    return _TRAILING_BRACKET.sub("", label).endswith(load_lexicon().investment_heads)


def sizes_a_project(before: str, after: str) -> bool:
    """Whether an unlabelled amount states the size of a project (超10亿元项目,
    华屿物流项目（28亿元）): that is the project's investment."""
    pat = _patterns()
    return bool(pat.project_size_after.match(after) or pat.project_size_before.search(before))


def spends_on_a_project(label: str, sentence_before: str) -> bool:
    """Whether an amount labelled 投入 is put into a project the sentence names before it
    (A项目…累计投入4.35亿元): that is the project's investment, not an outlay."""
    pat = _patterns()
    return label.endswith(pat.project_spend_heads) and any(p in sentence_before for p in pat.project_spend_projects)


def counted_noun(prefix: str, after: str, figure_follows: bool = False, counter: str = "") -> tuple[str, bool]:
    """What a count counts: the noun right after the counter, else the one before; nothing
    for a count of the stages of an act (分三期建设).

    `after` is the clause text after the figure, `prefix` the clause text
    before it (both already cut at clause punctuation); `figure_follows` says
    another figure starts where `after` ends. The returned flag says whether
    the noun came from after the figure.
    """
    pat = _patterns()
    if counter in pat.stage_counters and strip_connectors(prefix).endswith(pat.stage_words):
        return "", False
    if after.startswith("、"):
        return _noun_before(prefix), False  # 公交车120辆、充电桩…: the noun came first
    after = after[tail.end():] if (tail := pat.counter_tail.match(after)) else after
    if after.startswith(_BRACKETS):  # 3.5万人以上（预期性）, 6所（含…: a note on the figure, not what it counts
        return _noun_before(prefix), False
    stop = _joined_noun_end(after, pat.count_stop.search(after))
    noun = after[: stop.start()] if stop else after
    # Items of a list joined by 、 belong to the noun unless the next one is
    # another figure (48个基层党组织、1072名党员).
    items = noun.split("、")
    kept = [items[0]]
    for item in items[1:]:
        if not item or pat.numeral_start.match(item):
            break
        kept.append(item)
    noun = "、".join(kept)
    if figure_follows and noun == after:
        # The next figure's label is not ours (17个项目总投资76.6亿元 → 项目, 35家电商平台企业销售额达28.6亿元
        # → 电商平台企业: its linking word goes first).
        noun = strip_connectors(noun)
        label = pat.label_at_end.search(noun)
        if label and label.start() > 0:
            noun = noun[: label.start()]
    if "的" in noun:
        head, _, rest = noun.partition("的")
        # A long or listed part before 的 is a modifier clause (带动能力强、…的重大项目).
        noun = noun.rsplit("的", 1)[1] if ("、" in head or len(head) > 8) else head
    noun = _without_counting_act(_without_postposition(noun.strip("、")))
    if (time := pat.time_run.search(noun)) and time.start() > 0:
        noun = noun[: time.start()]  # 三个项目|上半年分别完成…: a time word ends what is counted (round 13)
    # 27个行业增加值保持增长: what is counted ends where the label of something else begins.
    # (only when a verb, not punctuation, ends it: 3宗国有建设用地 counts 国有建设用地), also
    # before the next figure (三个项目总投资分别为42亿元… → 项目) (round 7).
    if stop and pat.han.match(stop.group()) and (head := _at_end(pat.head_at_end, noun)):
        noun = noun[: head.start()]
    noun = _without_measured_change(noun)
    if noun:
        return noun, True
    noun = _without_postposition(_noun_before(prefix))  # 规模以上工业企业中|有41家
    # 白鹭区|增长6.2%: a place with no counter after it is the subject of a change, no noun (labels16)
    return ("" if not counter and _a_place(noun, prefix) else noun), False


def _without_measured_change(noun: str) -> str:
    """`noun` without a measure and its change closing it (41家|产值同比下降, 12家企业|利润增长):
    a clause about the counted things, not part of what is counted (round 15)."""
    if not _at_end(_patterns().change_word_at_end, noun):
        return noun
    for end in range(2, len(noun)):
        label = find_label(noun[:end])
        if label and metric_head_dimension(label) in ("money", "percent"):
            return noun[: end - len(label)]
    return noun


def _joined_noun_end(after: str, stop: re.Match | None) -> re.Match | None:
    """Where the noun after a count ends: a conjunction that joins it to another noun, not
    to another figure or a clause with 的, ends nothing (40余个国家和地区; but 3个项目和一批…,
    50条事项和近期下发的…) (round 8)."""
    pat = _patterns()
    while (stop and stop.start() > 0 and stop.group() in pat.conjunctions and pat.han.match(after, stop.end())
           and not pat.numeral_start.match(after, stop.end())):
        following = pat.count_stop.search(after, stop.end())
        if "的" in after[stop.end() : following.start() if following else len(after)]:
            break
        stop = following
    return stop


def _without_money_threshold(noun: str) -> str:
    """`noun` without a money threshold or scale opening it (亿元以上|在建项目 → 在建项目, also
    before a bare head: 亿元以上|项目 → 项目, round 15), unless a scale with no measure opening it
    would leave a bare head (百亿级项目 stays; 营业收入百亿级|企业 → 企业)."""
    pat = _patterns()
    m = pat.count_money_threshold.match(noun)
    scale = m is not None and m.group().endswith("级") and not m["measure"]
    if not m or not noun[m.end():] or (scale and noun[m.end():] in pat.bare_heads):
        return noun
    return noun[m.end():]


def _without_postposition(noun: str) -> str:
    """`noun` without a postposition closing it (大中城市中 → 大中城市; 高中 stays)."""
    pat = _patterns()
    m = _at_end(pat.trailing_postposition, noun)
    if not m or m.start() < 2 or noun.endswith(pat.not_postpositions):
        return noun
    return noun[: m.start()]


def _without_counting_act(noun: str) -> str:
    """`noun` without an act that ends it (二手住房成交4218套, 4000人次求职者入场): what is
    counted is the thing sold or the people who came, not the act."""
    if (act := _at_end(_patterns().count_trailing_verb, noun)) and act.start() >= 2:
        return noun[: act.start()]
    return noun


def _noun_before(prefix: str) -> str:
    """What a count counts, named before it; kinds listed with 、 right before the number are
    counted together (新建改扩建中小学、幼儿园21所 → 中小学、幼儿园) (round 9)."""
    noun = _one_noun_before(prefix)
    rest = without_trailing_time(prefix)
    while noun and rest.endswith(noun) and rest[: -len(noun)].endswith("、"):
        rest = rest[: -len(noun) - 1]
        kind = _one_noun_before(rest)
        if not kind or not rest.endswith(kind) or _DIGIT.search(kind):
            break
        noun = f"{kind}、{noun}"
    return noun


_DIGIT = re.compile(r"[0-9]")
_BRACKETS = ("（", "(", "）", ")")


def _one_noun_before(prefix: str) -> str:
    pat = _patterns()
    # 高新技术企业由2020年的126家: the time of a change's base stands between noun and count.
    prefix = without_trailing_time(prefix)
    if (bracket := _at_end(pat.bracket_at_end, prefix)) and bracket.start() > 0:
        # 人民币普通股（A股）3660万股: a bracket naming the class of what is counted is part of it
        noun = _noun_before(prefix[: bracket.start()])
        return noun + bracket.group() if noun else ""
    # 新增专精特新“小巨人”企业: a quote right after words of the noun is part of it (not after a
    # scope or verb: 全省“三个一批”活动项目 → 活动项目)
    if ((quoted := _at_end(pat.quoted_in_noun, prefix)) and (head := _one_noun_before(prefix[: quoted.start()]))
            and prefix[: quoted.start()].endswith(head) and not _at_end(pat.scope_at_end, head)):
        return head + quoted.group()
    for sep in ("”", "的", "’", "》"):
        prefix = prefix.rsplit(sep, 1)[-1]
    items = prefix.rsplit("、", 1)
    if not closes_a_list(items[-1]):  # 文化馆、图书馆和体育馆: a list closed by 和 is one noun
        prefix = items[-1]
    tail = prefix[_after_last_boundary(prefix, pat.phrase_boundary_reversed):]
    # 惠及群众12万人: a holder with nothing after it is what is counted.
    noun = _after_opener(tail, pat.phrase_opener) or (
        next(h for h in pat.counted_holders if tail.endswith(h)) if tail.endswith(pat.counted_holders) else "")
    name = first_name(noun)
    if name and noun.startswith(name) and len(noun) > len(name):
        noun = noun[len(name):]  # 云州经开区|累计开工亿元以上项目: the place is the subject
    flow = pat.count_flow_verb.search(noun)
    # 新增城镇就业: before a head that is a flow itself the verb names it and stays.
    if flow and not noun.endswith(pat.flow_heads) and not noun.startswith(pat.not_count_verbs):
        noun = noun[flow.end():]
        # 新建和改造|农村供水工程, 新开工改造|城镇老旧小区: a second verb, joined to the first or
        # right after it, goes too (labels19)
        joined = next((c for c in pat.conjunctions if noun.startswith(c)), "")
        if second := pat.count_flow_verb.match(noun[len(joined):]):
            noun = noun[len(joined) + second.end():]
        # 新增|省级以上|企业技术中心: a scope after the verb goes like one before it
        noun = without_scope(noun, keep=1)
    noun = _without_counting_act(noun)
    # 高新技术企业总数达到1038家: what is counted is the thing, not its number (人数 is a
    # noun of its own: 登记人数).
    # 规模以上工业企业数：2025年基数2860家: 数 after a bare head is its number too (人数 stays).
    if ((amount := _at_end(pat.count_amount_at_end, noun)) and amount.start() >= 2
            and (len(amount.group()) > 1 or noun[: amount.start()].endswith(pat.bare_heads))):
        noun = noun[: amount.start()]
        # 每万人口高价值发明专利拥有量达到18.6件: what is counted, without the base per head.
        capita = pat.per_capita.match(noun)
        noun = noun[capita.end():] if capita and capita.end() < len(noun) else noun
    noun = _without_money_threshold(noun)
    # 重点项目开工在建项目: the noun is the last of two phrases with one head.
    head = noun[-2:]
    if len(noun) > 4 and head in noun[:-2]:
        noun = noun[noun.index(head) + 2 :]
    # 已开工468个, 累计完成13.6万人, 比上年末减少176万人: a verb or a change before the
    # number names no counted thing.
    # 今年新增2100个: a flow verb alone names no counted thing either.
    if noun.endswith(load_lexicon().count_stops) or noun in pat.count_flow_verbs or metric_head_dimension(noun) == "percent":
        return ""
    return noun


@lru_cache(maxsize=4096)
def names_in(text: str) -> tuple[tuple[int, int, str], ...]:
    """Names in `text` as (start, end, name), left to right; cached per sentence."""
    pat = _patterns()
    # A bracket explains or abbreviates; the names that matter stand outside it.
    masked = _masked_brackets(text) if "(" in text or "（" in text else text
    if "《" in masked:  # 《澄岭省2026年省重点建设项目名单》: a document's title names no subject
        masked = pat.title_quote.sub(lambda m: "，" * len(m.group()), masked)
    if pat.plot_word.search(masked):  # 城东新区CH2026-07号地块: the code is part of the name
        masked = pat.plot_code.sub(lambda m: "·" * len(m.group()), masked)
    if pat.capacity_word.search(masked):  # 年产5万吨锂电池隔膜项目: the capacity is part of the name
        masked = pat.capacity.sub(lambda m: "·" * len(m.group()), masked)
    # split() with the cut captured gives chunk, cut, chunk, …: positions without Match objects.
    pieces = pat.name_cut.split(masked)
    offsets = list(accumulate(map(len, pieces), initial=0))
    names = []
    for i, (chunk, pos) in enumerate(zip(pieces[::2], offsets[::2])):
        if pat.suffix_starts.isdisjoint(chunk):
            continue  # most chunks: no character a suffix starts with
        span = _name_span(chunk)
        if span:
            start = offsets[2 * i - 2] if span[0] == 0 and _joined_by_and(pieces, i) else pos + span[0]
            names.append((start, pos + span[1], text[start : pos + span[1]]))
    return tuple(names)


def _joined_by_and(pieces: list[str], i: int) -> bool:
    """Whether the i-th chunk of `pieces` (chunk, cut, chunk, …) goes on a chunk before it
    that names nothing across 及: one name (高标准农田提升及农文旅融合项目, 储能电池及系统集成
    基地项目), not two (临港片区及综保片区)."""
    return i > 0 and pieces[2 * i - 1] == "及" and len(pieces[2 * i - 2]) > 1 and _name_span(pieces[2 * i - 2]) is None


def _masked_brackets(text: str) -> str:
    """`text` with its brackets made clause marks, but for a place in a company's name, whose
    brackets become name characters (澜岭城投·香港·有限公司); lengths are kept."""
    pat = _patterns()
    kept = pat.bracketed_place.sub(lambda m: f"·{m.group(1)}·", text)
    return pat.brackets.sub(lambda m: "，" * len(m.group()), kept)


def _name_span(chunk: str) -> tuple[int, int] | None:
    """Where the name in a run of text is, or None when it holds none.

    A name ends with a suffix (区, 公司, 项目 …) after a real stem. It grows
    suffix by suffix while each step adds real words (赵村 → 赵村城中村 → …项目,
    中国民生银行 → 中国民生银行郑州分行) and stops before a generic tail
    (高新区 | 重点项目).
    """
    pat = _patterns()
    start = end = None
    pos = 0
    for m in pat.suffix.finditer(chunk):
        stem = chunk[pos : m.start()]
        has_words = pat.han.search(stem) is not None
        generic = has_words and pat.generic.fullmatch(stem) is not None
        if end is None:
            # 一期项目: a phase alone names nothing; after a name it goes on it (产业园二期项目).
            if has_words and not generic and not pat.reference.match(stem) and not pat.phase.fullmatch(stem):
                # 县|经济开发区, 区|人民医院: a level word alone before the name is its first word.
                start, end = 0 if chunk[:pos] in pat.level_words else pos, m.end()
        elif generic and not pat.subunit.match(m.group()):
            break
        else:
            end = m.end()
        pos = m.end()
    if end is not None and pat.phase.fullmatch(chunk, end):
        end = len(chunk)  # a phase closing the run goes on the name (澜江智能装备产业园二期、…)
    return (start, end) if end is not None else None


def first_name(text: str, start: int = 0, end: int | None = None) -> str:
    """The first name lying wholly inside text[start:end] (names found in all of `text`).
    A name that a 的 phrase or a verb of building joins to a later name is the place of that
    name, which is the one meant (临港片区开工的|冷链物流园项目, 在南屿市高新区投资建设|…基地项目:
    the project)."""
    end = len(text) if end is None else end
    found = None
    for s, e, name in names_in(text):
        if s < start or e > end:
            continue
        if found is not None:
            between = text[found[1] : s]
            pat = _patterns()
            joined = between.endswith("的") and pat.han_run.fullmatch(between)
            return name if joined or pat.place_then_name.fullmatch(between) else found[2]
        found = (s, e, name)
    return found[2] if found else ""


def respective_name(sentence: str, previous: str, end: int) -> str:
    """The name listed right after `previous` in a list of names that 分别 distributes over
    the figures after it (临川区、青梧区和滨湖新区分会场开工项目分别为21个、18个和17个: 18个 is
    青梧区's), read in `sentence` before `end`; "" when there is none."""
    cut = sentence.rfind("分别", 0, end)
    if cut < 0:
        return ""
    names = [(s, e, n) for s, e, n in names_in(sentence) if e <= cut]
    for (_, e, name), (s, _, following) in zip(names, names[1:]):
        if name == previous and sentence[e:s] in _LIST_JOINS:
            return following
    return ""


_LIST_JOINS = frozenset(("、", "和", "及", "与", "以及"))


def _respective_list(words: dict) -> re.Pattern:
    """A list of short items that opens its clause and that a summary of the items and 分别
    follow (云屏、望江、石门三个会场分别): the summary says they are places or units (a list of
    business lines, 火电、新能源和综合能源服务业务分别实现收入…, names no subjects)."""
    item, joins = words["item"], alternation(words["joins"])
    return re.compile(rf"(?:^|(?<=[，,：:；;]))(?P<items>{item}(?:(?:{joins}){item})+)"
                      rf"(?:{words['summary']}){re.escape(words['word'])}"), re.compile(joins)


def respective_items(sentence: str, end: int, count: int) -> tuple[list[str], str]:
    """The items of the last list in `sentence` before `end` that 分别 distributes, when it
    has `count` items (云屏、望江、石门三个会场分别…96个、64个和52个 → 云屏, 望江, 石门), and the
    list's text with its summary; ([], "") otherwise. A list of labels (工业用地、商服用地分别为
    7800亩和4200亩) names what is measured, not whose."""
    pat = _patterns()
    listed, joins = pat.respective_list
    lists = [(joins.split(m["items"]), m.group()) for m in listed.finditer(sentence, 0, end)]
    found, written = next((found for found in reversed(lists) if len(found[0]) == count), ([], ""))
    return ([], "") if any(pat.label_at_end.search(item) for item in found) else (found, written)


def _respective_kinds_list(words: dict) -> tuple[re.Pattern, re.Pattern]:
    """A list of kinds that opens a clause and that 分别 ends (`labels.toml` [respective_kinds])."""
    item, joins = words["item"], alternation(words["joins"])
    return (re.compile(rf"(?:^|(?<=[，,：:；;]))(?P<items>{item}(?:(?:{joins}){item})+){words['word']}$"),
            re.compile(joins))


def respective_kinds(before: str, count: int) -> list[str]:
    """The kinds counted in a list that opens the clause ending `before` and that 分别
    distributes over `count` counts after it (先进制造业项目、现代服务业项目和科技创新类项目
    分别为 → the three kinds); [] otherwise."""
    pat = _patterns()
    listed, joins = pat.respective_kinds_list
    m = listed.search(before, max(0, len(before) - 80))
    kinds = joins.split(m["items"]) if m else []
    if kinds:
        kinds[0] = without_scope(kinds[0], keep=2)  # 全市|失业保险、工伤保险参保人数: the scope opens the list
    return kinds if len(kinds) == count else []


@lru_cache(maxsize=64)  # one figure's steps ask for the same phrase several times
def name_after(after: str) -> str:
    """A name the figure describes, written right after it (8.5亿元的…项目)."""
    pat = _patterns()
    chunk = after[1:] if after.startswith("的") else after
    chunk = pat.list_cut.split(chunk, 1)[0]
    cut = pat.name_boundary.search(chunk)
    piece = chunk[: cut.start()] if cut else chunk
    last = None
    for last in pat.suffix.finditer(piece):
        pass
    if last is None or last.end() != len(piece):
        return ""  # the name must run up to the next boundary: 产城|更新板块 is no name
    stem = piece[: last.start()]
    if not pat.han.search(stem) or pat.reference.match(stem):
        return ""
    if pat.generic.fullmatch(stem) is not None:
        return ""
    return piece[: last.end()]


def name_head(prefix: str) -> str:
    """The start of a name that runs on through a figure (汉威年产|150万只|…项目)."""
    cut = None
    for cut in _patterns().name_boundary.finditer(prefix):
        pass
    return prefix[cut.end():] if cut else prefix


@lru_cache(maxsize=4)  # one document's sentences ask for it, keyed by the whole text
def short_names(text: str) -> tuple[str, ...]:
    """The short names of companies in `text`, longest first: those it declares (以下简称
    “华嘉能源”, 证券简称：宁川精密) and its full names without legal form and trade words
    (宁川新材料科技有限公司 → 宁川新材料); `subjects.toml`, [short_names]."""
    pat = _short_name_patterns()
    found = {m.group(1) for p, needs in pat.declared if needs is None or needs.search(text) for m in p.finditer(text)}
    for form in pat.legal_form.finditer(text):
        if not (before := pat.name_before.search(text, max(0, form.start() - 16), form.start())):
            continue
        run = _patterns().name_cut.split(before.group())[-1]
        found.add(run[: trade.start()] if (trade := pat.trade.search(run)) else run)
    return tuple(sorted((n for n in found if len(n) >= pat.shortest), key=len, reverse=True))


@cache
def _short_name_patterns() -> SimpleNamespace:
    data = load_data("subjects.toml")["short_names"]
    return SimpleNamespace(
        # (pattern, what a text must hold for it to match, or None): subjects.toml, `stock_code`
        declared=tuple([(re.compile(p), None) for p in data["declared"]]
                       + [(re.compile(p), re.compile(data["stock_code"])) for p in data["declared_with_code"]]),
        # The legal form is found first, then the name before it: a run of Chinese tried at
        # every position of the text would be slow.
        legal_form=re.compile(alternation(data["legal_forms"])),
        name_before=re.compile(rf"[{load_lexicon().han}]{{2,16}}$"),
        trade=re.compile(rf"(?:{alternation(data['trade_words'])})+$"),
        shortest=int(data["shortest"]),
    )


def _short_name_opening(label: str, names: tuple[str, ...]) -> str:
    return next((n for n in names if label.startswith(n) and len(label) > len(n)), "")


def without_short_name(label: str, names: tuple[str, ...]) -> str:
    """`label` without a short name of a company opening it (华嘉能源|总资产 → 总资产)."""
    return label[len(_short_name_opening(label, names)):] if names else label


def with_short_name(metric: str, subject: str, sentence_before: str, names: tuple[str, ...]) -> tuple[str, str]:
    """`metric` and `subject` of a figure in a document that names companies by `names`: a
    short name opening the label is the subject (华嘉能源|总资产), and a figure with no subject
    takes the first short name its sentence holds before it (华嘉能源2023年营收…，净利润…)."""
    if (name := _short_name_opening(metric, names)):
        return metric[len(name):], subject or name
    if subject:
        return metric, subject
    first = min(((at, name) for name in names if (at := sentence_before.find(name)) >= 0), default=None)
    return metric, first[1] if first else ""


def strip_suffix(name: str) -> str:
    """`name` without its final suffix (气体传感器项目 → 气体传感器)."""
    m = _patterns().suffix_at_end.search(name)
    return name[: m.start()] if m and m.start() > 0 else name


def amount_label(prefix: str, after: str, dimension: str) -> str:
    """The metric of a money, area or percent figure (`metric_label`), but "" when what
    stands before it has no label head and a noun with a head of its dimension follows the
    number: that noun is what the amount measures, written after it without 的, so no label
    (区财政安排三千二百万元专项资金 → "", not 区财政; its indicator is 专项资金)."""
    label = metric_label(prefix)
    if label and metric_head_dimension(label) is None and _headed_noun_after(after, dimension):
        return ""
    return _without_completion_verb(label)


def count_change(metric: str) -> tuple[str, str, str] | None:
    """A count's noun opened by a word of a change (净增单位 → 净增, 单位, increase; 压减法人户数 →
    压减, 法人户数, decrease), or None."""
    for word, direction in _patterns().count_changes.items():
        if metric.startswith(word) and len(metric) > len(word):
            return word, metric[len(word):], direction
    return None


def _without_completion_verb(label: str) -> str:
    """A label without the 完成 that opens it as the verb of doing what it names (完成集装箱吞吐量 →
    集装箱吞吐量), but not before an investment (完成投资) or the value or rate it makes (完成率,
    完成全年目标值的91%)."""
    pat = _patterns()
    rest = label[len(pat.completion_verb):]
    if (not label.startswith(pat.completion_verb) or not rest or rest in pat.completion_values
            or rest.endswith(pat.completion_goals) or is_investment_label(rest)):
        return label
    return rest


def _headed_noun_after(after: str, dimension: str) -> str:
    """The shortest noun right after a figure that ends in a label head of its dimension
    (三千二百万元|专项资金支持… → 专项资金), or ""."""
    if dimension not in _AMOUNT_DIMENSIONS:
        return ""  # 城镇化率由61.2%提高到…: a rate's change words are no noun
    m = _patterns().headed_noun_at_start.match(after)
    return m.group() if m and metric_head_dimension(m.group()) == dimension else ""


_AMOUNT_DIMENSIONS = frozenset(("money", "area"))


def noun_after(after: str, dimension: str = "") -> str:
    """The noun phrase right after a figure that its number measures when no label
    stands before it (17.5平方公里产城更新板块 → 产城更新板块; 三千二百万元专项资金支持企业… →
    专项资金, a noun with a head of the figure's dimension)."""
    pat = _patterns()
    if dimension and (headed := _headed_noun_after(after, dimension)):
        return headed
    chunk = after[1:] if after.startswith("的") else after
    chunk = chunk[term.end():] if (term := pat.term_before_noun.match(chunk)) else chunk  # 5亿美元|3年期|绿色债券
    for stop in (pat.count_stop, pat.name_boundary):
        cut = stop.search(chunk)
        chunk = chunk[: cut.start()] if cut else chunk
    run = pat.han_run.match(chunk)
    noun = run.group() if run else ""
    return noun if 2 <= len(noun) <= 10 else ""
