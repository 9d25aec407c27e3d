"""The subject of a figure: the name (project, company, place) it is about, when its own clause
names none — the name an earlier clause of its sentence gives it, the project a clause opening with
项目 or 该地块 refers to, the name a bracketed figure is written after — and the names that are no
subject (an event's host, a kind of works counted, a place framing the sentence). Words are data in
etl/data/subjects.toml; finding names in a text is `labels.names_in`/`labels.first_name`.
"""
from __future__ import annotations

import re
from functools import cache
from types import SimpleNamespace

from . import labels
from .lexicon import alternation, guarded, load_data, load_lexicon, longest_first


def name_before(sentence: str, offset: int, own_start: int, label_end: int) -> str:
    """The first name in the figure's clause, else the one an earlier clause of its sentence
    gives it (`offset` is where the sentence starts in the text the other offsets index):
    the named project a clause that opens with 项目 or 该地块 refers to (…投资建设智能传感器生产
    基地项目，项目总投资约12亿元; none when the sentence names no project: 项目选址于高新区…，
    占地约150亩), none after a clause that tells of an event held (…经开区举行…签约活动，现场签约
    项目12个: the host is no subject of what was signed), else the sentence's first name but
    for a place that frames it (在高铁片区，…项目…)."""
    own, end = own_start - offset, label_end - offset
    found = labels.first_name(sentence, own, end)
    if found:
        return "" if _graded_or_counted(sentence, found, own) else found
    refers = [m for m in _subject_words().reference.finditer(sentence, 0, end)
              if m.start() <= own and (m.start() == 0 or sentence[m.start() - 1] in _CLAUSE_MARKS)]
    if refers:
        return _referred_name(sentence, refers[-1].start(), refers[-1].group("word"))
    if _subject_words().event.search(sentence, 0, own):
        return ""
    frame = _subject_words().framing_place.match(sentence)  # 在高铁片区，…项目…: the place of what the sentence tells of
    name = (frame and labels.first_name(sentence, frame.end(), end)) or labels.first_name(sentence, 0, end)
    return "" if _counted_kind(sentence, name, end) or _graded_or_counted(sentence, name, 0) else name


def _graded_or_counted(sentence: str, name: str, start: int) -> bool:
    """Whether `name` is a kind, not a name: a count of it or a grade's digit stands right before
    it or inside it (全市87家A级旅游景区, 7个高速公路服务区, 5A级景区)."""
    at = sentence.find(name, start) if name else -1
    if at < 0:
        return False
    count = _count_before()
    graded = sentence[at - 1 : at] in _DIGITS and name[:1].isascii() and name[:1].isalpha()  # 5|A级景区
    return graded or count.search(sentence[max(0, at - 8) : at] + name) is not None


_DIGITS = frozenset("0123456789０１２３４５６７８９")


@cache
def _count_before() -> re.Pattern:
    """A count written with digits and a counter, then the rest of a name (87家|A级旅游景区)."""
    return re.compile(rf"[0-9]+(?:{_counters()})(?=[A-Za-z\u4e00-\u9fff]+$)")


@cache
def _counters() -> str:
    """The counters of the lexicon (units of the count dimension), longest first, as an alternation."""
    return alternation(longest_first([c for c, u in load_lexicon().units.items() if u.dimension == "count"]))


def _counted_kind(sentence: str, name: str, end: int) -> bool:
    """Whether `name` is written right before a count of it that closes its clause (巩固提升
    农村供水工程4.3万处，…): a kind of works counted, no subject of the clauses after it (clause10)."""
    at = sentence.find(name, 0, end) if name else -1
    return at >= 0 and _count_after().match(sentence, at + len(name)) is not None


@cache
def _count_after() -> re.Pattern:
    """A count written with digits and a counter that closes its clause (4.3万处，; not
    8个|项目集中开工: the name's projects are counted there)."""
    return re.compile(rf"[0-9][0-9.,]*[万亿]?(?:{_counters()})(?=[{_CLAUSE_MARKS}。]|$)")


def bracketed_by(sentence: str, at: int) -> str:
    """The name right before the bracket a figure opens (分别为华屿智能物流枢纽项目（28亿元）、
    中科瀚海储能系统集成项目（15亿元）: each amount is of the name it is written after)."""
    if at < 2 or sentence[at - 1] not in "（(":
        return ""
    return next((n for _, e, n in labels.names_in(sentence) if e == at - 1), "")


_CLAUSE_MARKS = "，,；;：:"  # what ends a clause inside a sentence


def _referred_name(sentence: str, at: int, word: str) -> str:
    """The last name in sentence[:at] that ends with `word`, else the last that names no
    place (“紫荆网络信息安全科技园”位于…，项目分四期: the 科技园 is the project); "" when none."""
    names = [n for _, e, n in labels.names_in(sentence) if e <= at]
    places = _subject_words().places
    return next((n for n in reversed(names) if n.endswith(word)), "") or next(
        (n for n in reversed(names) if not n.endswith(places)), "")


@cache
def _subject_words() -> SimpleNamespace:
    words = load_data("subjects.toml")
    refers = words["clause_references"]
    return SimpleNamespace(
        event=re.compile(alternation(words["event_hosts"])),
        framing_place=re.compile(words["framing_place"]),
        places=tuple(words["level_words"]),
        reference=re.compile(guarded(rf"(?:{alternation(refers['prefixes'])})?(?P<word>{alternation(refers['words'])})")),
    )
