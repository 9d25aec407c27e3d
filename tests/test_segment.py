"""split_articles / split_sentences: table-driven cases and the gold sentences of the samples."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.text.clean import clean_layout
from etl.text.segment import paragraph_start, section_headings, split_articles, split_sentences

HERE = Path(__file__).parent
CASES = yaml.safe_load((HERE / "cases" / "segment.yaml").read_text(encoding="utf-8"))
GOLD = sorted((HERE / "gold").glob("*.jsonl"))


def _cleaned_sample(gold_path: Path) -> str:
    return clean_layout((HERE.parent / "etl" / "sample" / f"{gold_path.stem}.txt").read_text(encoding="utf-8")).text


@pytest.mark.parametrize("case", CASES["sentences"], ids=[c["id"] for c in CASES["sentences"]])
def test_sentence_case(case):
    text = case["text"]
    spans = split_sentences(text, case.get("start", 0), case.get("end"))
    assert [text[s:e] for s, e in spans] == case["sentences"]


@pytest.mark.parametrize("case", CASES["articles"], ids=[c["id"] for c in CASES["articles"]])
def test_article_case(case):
    text = case["text"]
    articles = split_articles(text)
    assert [a.index for a in articles] == list(range(len(articles)))
    got = [{"text": text[a.start:a.end], "headline": a.headline, "dateline": a.dateline,
            "reporters": list(a.reporters), "body": text[a.body_start:a.end]} for a in articles]
    assert got == case["articles"]


@pytest.mark.parametrize("gold_path", GOLD, ids=[p.stem for p in GOLD])
def test_gold_sentences_are_sentence_spans(gold_path):
    """Each gold surface, found in order in the cleaned page, lies in a sentence span
    whose text is the gold sentence, and that span lies inside exactly one article."""
    text = _cleaned_sample(gold_path)
    spans = split_sentences(text)
    articles = split_articles(text)
    position = -1
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        position = text.index(gold["surface"], position + 1)  # gold lines are in order of appearance
        start, end = next((s, e) for s, e in spans if s <= position < e)
        assert text[start:end] == gold["sentence"]
        assert end >= position + len(gold["surface"])
        assert sum(a.start <= start and end <= a.end for a in articles) == 1


@pytest.mark.parametrize("gold_path", GOLD, ids=[p.stem for p in GOLD])
def test_articles_cover_every_line_in_order(gold_path):
    text = _cleaned_sample(gold_path)
    articles = split_articles(text)
    assert articles[0].start == 0 and articles[-1].end == len(text)
    for before, after in zip(articles, articles[1:]):
        assert text[before.end:after.start] == "\n"
    for article in articles:
        assert article.start <= article.body_start <= article.end


def test_sample_articles():
    by_file = {p.stem[:3]: split_articles(_cleaned_sample(p)) for p in GOLD}
    assert [(a.dateline, a.reporters) for a in by_file["000"]] == [
        ("7月26日", ("孙庆辉",)), ("7月30日", ("孙庆辉", "方宝岭")),
        ("7月20日", ("孙庆辉", "郑东海")), ("7月30日", ("孙庆辉",))]
    assert [a.headline for a in by_file["001"]][1:3] == [
        "区领导会见 上汽资产经营公司一行 尽快推进项目落地", "高新区开展第三季度 逐办观摩活动"]
    trailing = by_file["001"][-1]
    assert (trailing.dateline, trailing.body_start) == ("", trailing.end)
    assert trailing.headline.startswith("高新区召开网络安全科技馆 规划工作汇报会")
    assert len(by_file["002"]) == 7 and by_file["002"][1].reporters == ("孙庆辉",)  # byline glued to paragraph
    assert by_file["003"][2].headline == "17个项目总投资76.6亿元 高新区2020年第二批重大项目集中开工"
    assert by_file["003"][2].dateline == "6月5日"
    assert by_file["004"][0].headline.startswith("全区主题教育座谈会召开")


SENTENCE_PIECES = st.sampled_from(["项目", "12", "亿元", "。", "！", "？", "；", ";", "!", "?", "”", "）", "」",
                                   "，", " ", "\u3000", "\t", "\n", "\n\n", "a"])


@settings(max_examples=300, deadline=None)
@given(st.lists(SENTENCE_PIECES, max_size=40).map("".join), st.data())
def test_sentences_of_a_range_are_those_of_its_slice(text, data):
    # The pipeline splits each article as a range of the page; the checks take those spans
    # for the article's own text (etl.quality.checks.article_checks), shifted by its start.
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    shifted = [(s - start, e - start) for s, e in split_sentences(text, start, end)]
    assert shifted == split_sentences(text[start:end])


@pytest.mark.parametrize("case", CASES["headings"], ids=[c["id"] for c in CASES["headings"]])
def test_section_heading_case(case):
    assert [[h.level, h.text] for h in section_headings(case["text"])] == case["headings"]


@pytest.mark.parametrize("case", CASES["paragraphs"], ids=[c["id"] for c in CASES["paragraphs"]])
def test_paragraph_start_case(case):
    text = case["text"]
    start = paragraph_start(text, text.index(case["at"]))
    assert text.startswith(case["paragraph"], start), text[start : start + 20]
