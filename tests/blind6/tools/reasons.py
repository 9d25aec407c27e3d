# Sort each uncovered numeral (from sweep.py) into an exclusion reason; rules typed by hand, matched on the context.
import re, sys, os
sys.path.insert(0, os.path.dirname(__file__))
from sweep import uncovered
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RULES = [  # regex on context with the numeral in 【】 -> reason
 (r'【[一二三四五六七八九]】、', 'heading enumerator (一、二、…)'),
 (r'（【[一二三1-7]】）', 'list/heading enumerator (（一）/（1）)'),
 (r'第【[一二三]】产业', 'ordinal (第一/二/三产业)'),
 (r'第【十七】届|第【五】次', 'ordinal (第十七届…第五次会议)'),
 (r'第【十四】个|十四个【五】年规划', 'plan name (第十四个五年规划)'),
 (r'【二〇三五】年', 'year (二〇三五年远景目标)'),
 (r'“【十[三四五]五】”', 'plan name (“十三五/十四五/十五五”)'),
 (r'【\d{4}】年', 'year / date'),
 (r'年【\d{1,2}】月|月【\d{1,2}】日|【\d{1,2}】月\d|【\d{1,2}】月份|【\d{1,2}】月末|【\d{1,2}】月底|前【\d{1,2}】月', 'date or period (month/day), not a figure'),
 (r'【\d{1,2}】—\d{1,2}月|\d—【\d{1,2}】月', 'period (1—11月 etc.), not a figure'),
 (r'日【20:41】', 'time of day'),
 (r'（【603896】）', 'stock code'),
 (r'YT【2026-15】', 'plot code (YT2026-15号地块)'),
 (r'前【三】季度|【二】季度', 'period name (季度)'),
 (r'【[一二]】期|【二】期项目', 'phase name (一期/二期)'),
 (r'【零】售|【零】部件', 'word containing 零 (零售/零部件), not a numeral'),
 (r'【一】般|统【一】', 'word containing 一 (一般/统一), not a quantity'),
 (r'过去【一】年', 'time expression (过去一年), the period of other figures'),
 (r'过去【五】年|【五】年间', 'time expression (过去五年/五年间), the period of other figures'),
 (r'不平凡的【五】年', 'duration (五年), not a figure'),
 (r'【亿】元以上', 'threshold without a number (亿元以上)'),
 (r'万吨|【万】吨', 'other dimension (万吨), not a figure in this contract'),
 (r'【1\.4】倍', 'multiple (1.4倍), no unit'),
 (r'比值为【2\.17】|缩小【0\.04】', 'ratio (城乡居民人均可支配收入比值), no unit'),
 (r'【四】舍|舍【五】入', 'idiom (四舍五入)'),
 (r'星期【五】', 'weekday (星期五)'),
 (r'第【2】版', 'page number (第2版)'),
 (r'建设期【24】个月', 'duration (24个月)'),
 (r'出让年限【50】年', 'duration (50年)'),
 (r'【一】宗工业用地', 'article (一宗 = "a plot", 一 as an article in a headline)'),
]
rows = []; uns = 0
for stem, off, tok, ctx in uncovered():
    reason = next((r for pat, r in RULES if re.search(pat, ctx)), None)
    if reason is None: reason = '??? UNSORTED'; uns += 1
    rows.append((stem, str(off), tok, ctx, reason))
with open(f'{ROOT}/excluded.tsv', 'w', encoding='utf-8') as fh:
    fh.write('doc\toffset\tnumeral\tcontext\treason\n')
    for r in rows: fh.write('\t'.join(r) + '\n')
print(f'{len(rows)} excluded numerals, {uns} unsorted')
for r in rows:
    if r[4].startswith('???'): print(' ', r)
