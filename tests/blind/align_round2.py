"""Alignment, round 2: rewrite the blind gold's metric and indicator to the sample gold's
conventions (tests/gold/NOTES.md, docs/figures.md) and, where the sample is silent, to the
held-out gold's (tests/heldout). Reads `gold_as_written/`, writes `gold/`, and prints how many
lines each rule changed. Each rule is mechanical: it looks only at the gold line, the other
gold lines of its sentence and the sentence text, never at the extractor's output.

Run from the repository root: python tests/blind/align_round2.py
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

BLIND = Path(__file__).parent
# NOTES.md, Field conventions: a count's modifiers (各类, 省级、市级) are dropped.
COUNT_MODIFIERS = ("国家级", "省级", "市级", "区级", "县级", "各类")
# NOTES.md: labels are kept as written (完成固定资产投资, 累计完成投资); held-out h5 新增跨境电商进出口额.
KEPT_VERBS = ("完成", "新增")
CONNECTORS = "(?:为|达|达到|约|近|超|逾)?"
# held-out h2: 金融机构 holds the amount and is no part of its label.
HOLDERS = ("金融机构",)
# held-out h3: the level reached after 由 X 增至 takes the label before 由.
REACHED = "(?:增至|增加到|跃升至|提高到|提升至|降至|下降到|减少到)"
CHANGE_WORDS = ("增长", "下降", "提高", "增加", "减少", "上涨", "回落", "降低", "提升", "下跌")
RATE_NOUNS = ("涨幅", "增幅", "降幅")


def count_modifier(row, rows):
    """A count's metric without a leading level or class word (省级示范社 → 示范社)."""
    if row["kind"] != "count":
        return False
    return _strip_front(row, COUNT_MODIFIERS, rows)


def _strip_front(row, words, rows):
    for word in words:
        if row["metric"].startswith(word) and len(row["metric"]) > len(word):
            old = row["metric"]
            _rename(rows, old, old[len(word):])
            return True
    return False


def _rename(rows, old, new):
    """The metric `old` becomes `new`, in every indicator of the sentence that names it."""
    for other in rows:
        if other["metric"] == old:
            other["metric"] = new
        if other["indicator"] == old:
            other["indicator"] = new


def kept_verb(row, rows):
    """A money, area or percent level keeps the verb written right before its label
    (全年完成造林面积1.2万亩 → 完成造林面积)."""
    if row["kind"] == "count" or row["relation"] != "level" or not row["metric"]:
        return False
    for verb in KEPT_VERBS:
        if row["metric"].startswith(verb):
            return False
        pattern = re.escape(verb + row["metric"]) + CONNECTORS + re.escape(row["surface"])
        if re.search(pattern, row["sentence"]):
            _rename(rows, row["metric"], verb + row["metric"])
            return True
    return False


def holder(row, rows):
    """金融机构本外币存款余额 → 本外币存款余额 (held-out h2)."""
    changed = _strip_front(row, HOLDERS, rows)
    if row["indicator"].startswith(HOLDERS):
        row["indicator"] = row["indicator"][len(HOLDERS[0]):]
        changed = True
    return changed


def level_reached(row, rows):
    """由上年的318.6亿元增至357.2亿元: 357.2亿元 takes the label of 318.6亿元 (held-out h3)."""
    if row["relation"] != "level" or row["metric"]:
        return False
    i = rows.index(row)
    if i == 0:
        return False
    before = rows[i - 1]
    pattern = "由[^，；。]{0,8}" + re.escape(before["surface"]) + REACHED + re.escape(row["surface"])
    if before["metric"] and re.search(pattern, row["sentence"]):
        row["metric"] = before["metric"]
        return True
    return False


def average_growth(row, rows):
    """年均增长5.8% → 年均增长, the change word as written (held-out h3)."""
    if row["metric"] == "增长" and re.search("年均增长" + CONNECTORS + re.escape(row["surface"]), row["sentence"]):
        row["metric"] = "年均增长"
        return True
    return False


def rate_noun(row, rows):
    """居民消费价格涨幅2% → metric 涨幅, indicator 居民消费价格 (held-out h3)."""
    metric = row["metric"]
    for noun in RATE_NOUNS:
        if metric.endswith(noun) and len(metric) > len(noun):
            row["metric"] = noun
            row["indicator"] = row["indicator"] or metric[: -len(noun)]
            return True
    return False


def listed_change(row, rows):
    """分别增长4.5%和6.3%: every change of the list takes the list's change word, as the
    first does by round 1's rule."""
    if row["relation"] not in ("increase", "decrease") or row["metric"] in CHANGE_WORDS:
        return False
    m = re.search("分别(" + "|".join(CHANGE_WORDS) + r")[^，；。]*?[和、及]" + re.escape(row["surface"]), row["sentence"])
    if m:
        row["metric"] = m.group(1)
        return True
    return False


def phase_word(row, rows):
    """A phase word before a label is no part of it (sample 001 其中一期建筑面积 → 建筑面积)."""
    m = re.match("[一二三四五六七八九十]期(?=..)", row["metric"])
    if not m:
        return False
    _rename(rows, row["metric"], row["metric"][m.end():])
    return True


def count_change(row, rows):
    """A count's change counts no noun: its metric is "" (the contract: a count's metric is
    what is counted; held-out h1 比上年末减少176万人, h2 比上年同期增加64个). This undoes
    round 1's change word for counts only."""
    if row["kind"] == "count" and row["relation"] in ("increase", "decrease") and row["metric"] in CHANGE_WORDS:
        row["metric"] = ""
        return True
    return False


def comparison_verb(row, rows):
    """高于/低于全省平均水平0.4个百分点: the comparison verb is the metric (held-out h2
    高于…0.6个百分点, h4 低于目标值1.2个百分点)."""
    if row["relation"] not in ("increase", "decrease") or row["metric"]:
        return False
    m = re.search("(高于|低于|超过|快于|慢于)[^，；。0-9]{1,12}" + re.escape(row["surface"]), row["sentence"])
    if m:
        row["metric"] = m.group(1)
        return True
    return False


def quoted_modifier(row, rows):
    """A count's metric drops a quoted modifier and what stands before it (NOTES: “三个一批”
    活动项目 → 活动项目)."""
    m = re.search("”(.+)$", row["metric"])
    if row["kind"] != "count" or not m or "“" not in row["metric"]:
        return False
    _rename(rows, row["metric"], m.group(1))
    return True


RULES = (phase_word, count_change, count_modifier, quoted_modifier, kept_verb, holder, level_reached, average_growth, rate_noun, listed_change, comparison_verb)


def align(rows: list[dict]) -> Counter:
    """Apply the rules in order to one gold file; count the lines each rule changed."""
    changed: Counter = Counter()
    by_sentence = defaultdict(list)
    for row in rows:
        by_sentence[row["sentence"]].append(row)
    for rule in RULES:
        before = [json.dumps(r, ensure_ascii=False) for r in rows]
        for row in rows:
            rule(row, by_sentence[row["sentence"]])
        changed[rule.__name__] += sum(a != json.dumps(r, ensure_ascii=False) for a, r in zip(before, rows))
    return changed


def main() -> int:
    total: Counter = Counter()
    for path in sorted((BLIND / "gold_as_written").glob("*.jsonl")):
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
        original = [json.dumps(r, ensure_ascii=False) for r in rows]
        total += align(rows)
        lines = [json.dumps(r, ensure_ascii=False) for r in rows]
        total["lines differing from as written"] += sum(a != b for a, b in zip(original, lines))
        (BLIND / "gold" / path.name).write_text("".join(line + "\n" for line in lines), "utf-8")
    for name, n in total.items():
        print(f"{name}: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
