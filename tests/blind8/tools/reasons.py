# Sort each numeral not inside a gold surface into an exclusion reason (rules typed by hand, matched on the context).
# Writes excluded.tsv: doc, offset, numeral, context, reason. Unsorted numerals are reported and make the run fail.
import re, sys, os
sys.path.insert(0, os.path.dirname(__file__))
from sweep import uncovered, ROOT
RULES = [  # regex on the context with the numeral in 【】 (blind8)
 (r'【\d{4}】年\d+月\d+日|年【\d{1,2}】月\d+日|月【\d{1,2}】日|⏎【\d{1,2}】月\d+日', 'date (date line, 发布时间, event date, or the date of 截至…)'),
 (r'^【2025】年全国|⏎【2025】年全国|⏎【2025】年，各级|一、【2025】年和|二、【2026】年主要|⏎【2026】年是|澜平市【2026】年|澄岭省【2026】年省|看，【2026】年省|发布【2026】年半年度', 'year (title, heading or paragraph lead: a period, not a figure)'),
 (r'由【2020】年的|增加到【2025】年的|提高到【2025】年的', 'year (由2020年的…到2025年的…: the period of the levels, not a figure)'),
 (r'到【2030】年', 'year (到2030年: a period, not a figure)'),
 (r'截至【2025】年底|介绍，【2025】年全省', 'year (截至2025年底 / 2025年: the period of other figures)'),
 (r'计划【2028】年建成', 'year (a completion date)'),
 (r'举行【2026】年外资项目', 'year in the name of an event (2026年外资项目集中签约活动)'),
 (r'【1】—(9|10)月|1—【(9|10)】月', 'month range (1—10月 / 1—9月: a period or a base of comparison, not a figure)'),
 (r'【10】月份|【10】月末|截至【10】月末|澄州【10】月', 'month (10月份 / 10月末 / headline month), a period'),
 (r'截至【6】月|截至6月【30】日', 'date (截至6月30日)'),
 (r'前【三】季度|力争【一】季度', 'period name (前三季度 / 一季度)'),
 (r'⏎【[一二三四五六]】、|（【[一二三]】）|[：；]【[一二三四五六]】是', 'heading or list enumerator (一、… / （一）… / 一是…)'),
 (r'第【十八】届|第【六】次', 'ordinal (第十八届 / 第六次 of the People\'s Congress)'),
 (r'第【三】幼儿园', 'ordinal inside a name (城区第三幼儿园)'),
 (r'“【十[三四五]五】”', 'plan name (“十三五”/“十四五”/“十五五”)'),
 (r'过去【一】年|【一】年来', 'time expression (过去一年 / 一年来), not a figure'),
 (r'不平凡的【五】年|【五】年来|【五】年间', 'time expression / duration (五年), not a figure'),
 (r'【一】般', 'word containing 一 (一般公共预算), not a quantity'),
 (r'【一】下|团结【一】心', 'word containing 一 (一下 / 团结一心), not a quantity'),
 (r'【零】售|【零】部件', 'word containing 零 (零售 / 零部件), not a numeral'),
 (r'【二】手', 'word containing 二 (二手住房), not a quantity'),
 (r'【两】手发力', 'slogan (两手发力)'),
 (r'【三】色预警', 'name of a mechanism (“红黄绿”三色预警), not a quantity'),
 (r'【四】级河湖长|【5】级及以上', 'level or grade (四级河湖长 / 5级堤防), not a quantity'),
 (r'【亿】元以上', 'threshold without a number (亿元以上)'),
 (r'【[\d.]+】亿立方米|\d【亿】立方米', 'other dimension (亿立方米)'),
 (r'【[\d.]+】万公里|\d【万】公里|【\d+】公里', 'other dimension (公里 / 万公里)'),
 (r'【8260】万千瓦|\d【万千】瓦', 'other dimension (万千瓦)'),
 (r'。【万】元国内|，【万】元工业', 'normaliser (万元国内生产总值用水量 / 万元工业增加值用水量), not an amount'),
 (r'系数为【0.583】|提高【0.004】', 'coefficient without a unit (农田灌溉水有效利用系数) and its change'),
 (r'时期的【1.5】倍', 'multiple (1.5倍), no unit'),
 (r'【65】岁', 'age (65岁以上)'),
 (r'代码：【688452】', 'stock code'),
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
