# blind11: blind10's reasons.py with rules new for this set.
# Sort each numeral not inside a gold surface into an exclusion reason (rules typed by hand, matched on the context).
# Writes excluded.tsv: doc, offset, numeral, context, reason. Unsorted numerals are reported and make the run fail.
import re, sys, os
sys.path.insert(0, os.path.dirname(__file__))
from sweep import uncovered, ROOT
RULES = [  # regex on the context with the numeral in 【】 (blind11; rules new for this set)
 (r'时间：【\d{4}】-|时间：\d{4}-【\d\d】-|-\d\d-【\d\d】', 'date (发布时间 line, YYYY-MM-DD)'),
 (r'——【2026】年1月|年【1】月14日|月【14】日在', 'date of delivery (2026年1月14日 in the subtitle)'),
 (r'第【十七】届|大会第【五】次', 'ordinal (第十七届 / 第五次 of the People\'s Congress)'),
 (r'⏎【1】月2\d日|\d月【21】日|⏎【1】月9日|1月【9】日', 'event date (1月21日 press conference / 1月9日 signing)'),
 (r'（【1】月1日|1月【1】日至|日至【3】日', 'dates of the holiday (1月1日至3日), not a figure (the period is 元旦假期)'),
 (r'【20\d\d】年(?:预算|1—11月|11月份|接待游客|度|招商引资|年末全县)|槐川市【2025】|全市【2025】年预算|和【2026】年预算|介绍【2025】年|及【2026】年工作|、【202[56]】年|⏎【202[56]】年|问：【2025】年|答：【202[56]】年|获悉，【2025】年|统计，【2025】年|表\d：【2025】年|请介绍一下【2025】', 'year (title, heading, caption, event name or paragraph lead: a period, not a figure)'),
 (r'截至【2025】年底|到【2027】年|截至【12】月底', 'period word (截至2025年底 / 截至12月底 / 到2027年), not a figure'),
 (r'全市【2000】年底前', 'year (2000年底前建成的小区: a date of construction), not a figure'),
 (r'恢复到【2019】年同期|比【2020】年下降', 'base year of a comparison (2019年同期 / 比2020年), not a figure'),
 (r'【1】—1[01]月|1—【1[01]】月|比【10】月份', 'month or month range (1—11月 / 1—10月 / 10月份), a period or a base'),
 (r'⏎【11】月[份末]|\d年【11】月份|⇥【11】月份', 'month (11月份 / 11月末), a period'),
 (r'表【[12]】：', 'table number (表1 / 表2)'),
 (r'⏎【[一二三四五]】、|（【[一二三四]】）', 'heading enumerator (一、… / （一）…)'),
 (r'第【[一二三]】产业', 'ordinal in an industry name (第一/第二/第三产业)'),
 (r'【一】般|【一】次性|介绍【一】下|新的【一】年', 'word containing 一 (一般公共预算 / 一次性 / 一下 / 新的一年), not a quantity'),
 (r'【二】手房', 'word containing 二 (二手房), not a quantity'),
 (r'（【亿】元）|（【万】平方米）|（【万】吨）|（【亿千】瓦时）', 'unit in a table row label (亿元 / 万平方米 / 万吨 / 亿千瓦时), not a number'),
 (r'计划总投资【500】万元及以上|500【万】元及以上|其中【10】亿元以上|10【亿】元以上|新签约【亿】元以上', 'threshold of a category (500万元及以上, 10亿元以上, 亿元以上), not an amount'),
 (r'【四】舍五入|四舍【五】入', 'fixed phrase (四舍五入)'),
 (r'【960】公里', 'other dimension (公里, pipe network)'),
 (r'去化周期为【15.7】个月', 'duration (去化周期15.7个月), not a figure'),
 (r'国家【4】A级', 'grade name (4A级), not a quantity'),
 (r'“【十四五】”', 'plan name (“十四五”)'),
 (r'连续【五】年', 'duration (连续五年), not a figure'),
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
