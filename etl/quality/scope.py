"""What scale a figure is about: a project, a company, a city or county, a province, the
country. Plausibility bounds depend on it (`etl.quality.checks.plausibility`): 1.19 million
km² is a country's sown area, not a project's site.

Pure functions over strings; the words are data (`[scale]` of etl/data/checks.toml).
"""
from __future__ import annotations

from ..text.genre import document_kind


def article_scale(text: str, words: dict) -> str:
    """The scale an article speaks at: that of the first scope word in its head (国家统计局,
    省人民政府, 全市, 股份有限公司), else the default of its document kind."""
    head = text[:words["head_chars"]]
    found = [(at, scale) for scale, scope in words["scope"].items() for w in scope
             if (at := head.find(w)) >= 0]
    if found:
        return min(found)[1]
    return words["default_by_kind"][document_kind(text)]


def figure_scale(before: str, labels: str, article: str, words: dict) -> str:
    """The scale of a figure, given its sentence up to the figure (`before`), its labels
    (subject, metric, indicator joined) and the article's scale.

    An aggregate word (全省) governs everything after it in its sentence, so the nearest one
    wins over an entity word (全省重点项目完成投资1.2万亿元 is a province's sum, not a
    project's); an entity word (该项目, 公司) in the labels or the sentence comes next.
    """
    aggregate = _nearest(before + labels, words["aggregate"])
    if aggregate:
        return aggregate
    return _nearest(labels, words["entity"]) or _nearest(before, words["entity"]) or article


def _nearest(text: str, table: dict[str, list[str]]) -> str:
    """The scale of the word of `table` that ends last in `text` ("" for none)."""
    best, best_end = "", -1
    for scale, scale_words in table.items():
        for w in scale_words:
            at = text.rfind(w)
            if at >= 0 and at + len(w) > best_end:
                best, best_end = scale, at + len(w)
    return best
