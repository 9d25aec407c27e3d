# blind10: blind9's reasons.py with rules new for this set.
# Sort each numeral not inside a gold surface into an exclusion reason (rules typed by hand, matched on the context).
# Writes excluded.tsv: doc, offset, numeral, context, reason. Unsorted numerals are reported and make the run fail.
import re, sys, os
sys.path.insert(0, os.path.dirname(__file__))
from sweep import uncovered, ROOT
RULES = [  # regex on the context with the numeral in 【】 (blind10; rules new for this set)
 (r'【\d{4}】年\d+月\d+日|年【\d{1,2}】月\d+日|月【\d{1,2}】日|讯【\d{1,2}】月\d+日|。【\d{1,2}】月\d+日', 'date (发布时间, delivery/adoption date, masthead or event date)'),
 (r'星期【五】', 'weekday in the masthead (星期五)'),
 (r'第【2】版', 'page number (第2版)'),
 (r'琅溪市【2026】年|附表：【2026】年|集团【2026】年|集团【2025】年|提出，【2026】年|召开【2025】年度|、【202[56]】年|⏎【202[56]】年|截至【2025】年底', 'year (title, heading, caption, meeting name or period word: a period, not a figure)'),
 (r'由【2020】年|增加到【2025】年|提高到【2025】年', 'year (由2020年的…到2025年的…: the period of the levels, not a figure)'),
 (r'到【2030】年', 'year (到2030年: a period, not a figure)'),
 (r'预计【2027】年底', 'year of a planned completion (预计2027年底建成), not a figure'),
 (r'【1】—2月|1—【2】月', 'month range (1—2月: a base of comparison)'),
 (r'⏎【3】月末|⏎【3】月份|，【3】月份|截至【2】月', 'month (3月末 / 3月份 / 截至2月底 / 截至2月末), a period'),
 (r'【一】季度', 'period name (一季度)'),
 (r'⏎【[一二三四五]】、|（【[一二三四五]】）|：【一】是|；【[二三四五]】是', 'heading or list enumerator (一、… / （一）… / 一是…五是)'),
 (r'第【[一二三]】产业', 'ordinal in an industry name (第一/第二/第三产业)'),
 (r'第【[四八]】[届次]', 'ordinal (第四届 / 第八次 of the district Party committee)'),
 (r'第【十五】个|十五个【五】年', 'ordinal and plan length in a plan name (第十五个五年规划)'),
 (r'“【十[三四五]五】”', 'plan name (“十三五”/“十四五”/“十五五”)'),
 (r'过去【一】年|⏎【一】年来', 'time expression (过去一年 / 一年来), not a figure'),
 (r'⏎【五】年来|。【五】年来|平凡的【五】年', 'time expression (五年来 / 五年), not a figure'),
 (r'连续【十】年', 'duration (连续十年), not a figure'),
 (r'期限为【\d+】年|和【15】年', 'bond maturity (期限为10年和15年), a duration'),
 (r'发行后【3】个月', 'duration (3个月内), not a figure'),
 (r'【一】般|统【一】', 'word containing 一 (一般公共预算 / 统一), not a quantity'),
 (r'【零】售', 'word containing 零 (零售), not a numeral'),
 (r'至【三】级', 'administrative level (管理层级压减至三级以内), not a count of entities'),
 (r'【亿】元以上|【\d+】亿元以上|\d【亿】元以上|超【10】亿元|超10【亿】元', 'threshold of a category (亿元以上, 10亿元以上, 超10亿元), not an amount'),
 (r'【[\d.]+】亿斤|\d【亿】斤', 'other dimension (亿斤, grain output)'),
 (r'【\d+】公里', 'other dimension (公里, rural roads)'),
 (r'缩小到【2.06】', 'income ratio without a unit (城乡居民收入比2.06)'),
 (r'【[\d.]+】∶|∶【\d】', 'ratio without a unit (2.8∶1)'),
 (r'时期的【1.6】倍', 'multiple (1.6倍), no unit'),
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
