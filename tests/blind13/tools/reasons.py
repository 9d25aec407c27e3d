# blind13: blind12's reasons.py with this set's rules. blind12: blind11's reasons.py with rules new for this set.
# Sort each numeral not inside a gold surface into an exclusion reason (rules typed by hand, matched on the context).
# Writes excluded.tsv: doc, offset, numeral, context, reason. Unsorted numerals are reported and make the run fail.
import re, sys, os
sys.path.insert(0, os.path.dirname(__file__))
from sweep import uncovered, ROOT
RULES = [  # regex on the context with the numeral in 【】 (blind13; rules new for this set)
 (r'⏎【2026】年3月12日|年【3】月12日|3月【12】日⏎', 'date line of the communiqué (2026年3月12日)'),
 (r'（【2026】年1月9日|年【1】月9日在|1月【9】日在', 'date of delivery (2026年1月9日, subtitle)'),
 (r'⏎【2026】年2月10日|年【2】月10日星|2月【10】日星|星期【[二五]】|第【[34]】版|⏎【2026】年7月3日|年【7】月3日星|7月【3】日星', 'masthead date, weekday or page number'),
 (r'编【2026】年4月30日|年【4】月30日|4月【30】日', 'date line of the brief (2026年4月30日)'),
 (r'）【2】月[98]日|2月【[98]】日', 'dateline / event date (2月9日, 2月8日), not a figure and not a period'),
 (r'今年【3】月开工', 'event date (今年3月开工), not a period'),
 (r'截至【[1456]】月底|截至【4】月25日|截至4月【25】日|截至【2025】年末', 'period word (截至…月底 / 截至4月25日 / 截至2025年末), not a figure'),
 (r'◆【[45]】月份|◆【1】—4月|◆1—【4】月', 'period word (4月份 / 5月份 / 1—4月), not a figure'),
 (r'【20\d\d】年(?:国民经济|工作总结|工作思路|全省主要|末全省主要|重点项目|年末|全市金融|，开发区|第4期)|、【202[56]】年|附：【2026】年|⏎【2025】年末|截至【2025】年末|发布【2025】年', 'year (title, heading, table caption, paragraph lead or issue line: a period, not a figure)'),
 (r'第【4】期|总第【52】期', 'issue number of the brief (第4期 / 总第52期)'),
 (r'⏎【[一二三四五六七]】、|（【[一二三]】）|⏎【[1-5]\.】', 'heading or list enumerator (一、… / （一）… / 1.…5.)'),
 (r'第【[一二三]】产业', 'ordinal (第一/第二/第三产业)'),
 (r'附表【[12]】：', 'table number (附表1 / 附表2)'),
 (r'\|【亿】元\||\|【万】亩\||（【亿】元）', 'unit in the 单位 column or a table header (亿元 / 万亩), not a number'),
 (r'新开工【亿】元以上|其中【10】亿元以上|10【亿】元以上', 'threshold of a category (亿元以上 / 10亿元以上), not an amount'),
 (r'园【二】期', 'phase name (二期 in a project name)'),
 (r'【1213.6】万吨|1213.6【万】吨|【3200】万立方米|3200【万】立方米|【68.4】公里', 'other dimension (万吨 / 万立方米 / 公里), not a figure of this contract'),
 (r'工期【4】年|工期【36】个月|存续期【10】年', 'duration (建设工期4年 / 36个月, 存续期10年), not a figure'),
 (r'按照【1】:4|1:【4】的', 'ratio (1:4的放大比例), not a figure of this contract'),
 (r'【一】般', 'word containing 一 (一般公共预算), not a quantity'),
 (r'【零】售', 'word containing 零 (零售), not a quantity'),
 (r'【一】次性', 'word containing 一 (一次性补贴), not a quantity'),
 (r'下【一】步', 'fixed phrase (下一步 = next steps), not a quantity'),
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
