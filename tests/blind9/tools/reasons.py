# blind9: blind8's reasons.py with new rules.
# Sort each numeral not inside a gold surface into an exclusion reason (rules typed by hand, matched on the context).
# Writes excluded.tsv: doc, offset, numeral, context, reason. Unsorted numerals are reported and make the run fail.
import re, sys, os
sys.path.insert(0, os.path.dirname(__file__))
from sweep import uncovered, ROOT
RULES = [  # regex on the context with the numeral in 【】 (blind9; rules new for this set)
 (r'【\d{4}】年\d+月\d+日|年【\d{1,2}】月\d+日|月【\d{1,2}】日|⏎【\d{1,2}】月\d+日|）【\d{1,2}】月\d+日', 'date (date line, delivery date, masthead, 发布时间 or event date)'),
 (r'星期【四】', 'weekday in the masthead (星期四)'),
 (r'第【3】版', 'page number (第3版)'),
 (r'渚川省【2025】年农业|岑渡经济开发区【2026】年上半年|渌原县【2026】年1|、【2025】年和|、【2026】年工作|⏎【2026】年经济社会', 'year (title, heading or paragraph lead: a period, not a figure)'),
 (r'由【2020】年的|增加到【2025】年的|提高到【2025】年的', 'year (由2020年的…到2025年的…: the period of the levels, not a figure)'),
 (r'到【2030】年', 'year (到2030年: a period, not a figure)'),
 (r'枫渚市【2026】年第二季度|第【二】季度', 'year or ordinal in the name of an event batch (2026年第二季度重大项目集中开工)'),
 (r'【1】—[89]月|1—【[89]】月', 'month range (1—9月 / 1—8月: a period or a base of comparison, not a figure)'),
 (r'【9】月末', 'month (9月末), a period'),
 (r'截至【[36]】月', 'month (截至6月底 / 截至3月末), a period'),
 (r'前【三】季度|⏎【[一三四]】季度|【三】季度力争|比【一】季度', 'period name (前三季度 / 一季度 / 三季度 / 四季度)'),
 (r'⏎【[一二三四五]】、|（【[一二三四五]】）|⏎【一】是|，【[二三]】是', 'heading or list enumerator (一、… / （一）… / 一是…)'),
 (r'第【九】届|第【五】次', 'ordinal (第九届 / 第五次 of the People\'s Congress)'),
 (r'第【一】人民医院', 'ordinal inside a name (市第一人民医院)'),
 (r'第【[35]】位', 'rank (居全市第3位 / 排名全市第5位)'),
 (r'项目【一】期|【二】期', 'phase name (一期 / 二期)'),
 (r'【三】次产业|【[\d.]+】∶|∶【[\d.]+】', 'industry-structure ratio 11.5∶42.3∶46.2 (no unit) and 三次产业'),
 (r'“【十[三四五]五】”', 'plan name (“十三五”/“十四五”/“十五五”)'),
 (r'过去【一】年|⏎【一】年来', 'time expression (过去一年 / 一年来), not a figure'),
 (r'⏎【五】年来|⏎【五】年间', 'time expression (五年来 / 五年间), not a figure'),
 (r'【一】般', 'word containing 一 (一般公共预算), not a quantity'),
 (r'下【一】步|团结【一】心', 'word containing 一 (下一步 / 团结一心), not a quantity'),
 (r'【零】售', 'word containing 零 (零售), not a numeral'),
 (r'【四】舍|四舍【五】入', 'phrase 四舍五入'),
 (r'连跨【两】个|两个【千亿】台阶', 'rhetoric (连跨两个千亿台阶), not an amount'),
 (r'【亿】元以上|【\d+】亿元以上|\d【亿】元以上|超【百亿】元', 'threshold of a category (亿元以上, 50亿元以上, 10亿元以上, 超百亿元), not an amount'),
 (r'【[\d.]+】万吨|\d【万】吨|【[\d.]+】亿吨|\d【亿】吨', 'other dimension (万吨 / 亿吨标准煤)'),
 (r'【\d+】公斤', 'other dimension (公斤 per hectare)'),
 (r'【[\d.]+】万千瓦|\d【万千】瓦|【[\d.]+】亿千瓦时|\d【亿千】瓦时', 'other dimension (万千瓦 / 亿千瓦时)'),
 (r'时期的【1.4】倍', 'multiple (1.4倍), no unit'),
 (r'收入比为【2.02】|缩小【0.05】', 'income ratio without a unit and its change'),
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
