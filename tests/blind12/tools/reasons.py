# blind12: blind11's reasons.py with rules new for this set.
# Sort each numeral not inside a gold surface into an exclusion reason (rules typed by hand, matched on the context).
# Writes excluded.tsv: doc, offset, numeral, context, reason. Unsorted numerals are reported and make the run fail.
import re, sys, os
sys.path.insert(0, os.path.dirname(__file__))
from sweep import uncovered, ROOT
RULES = [  # regex on the context with the numeral in 【】 (blind12; rules new for this set)
 (r'代码：【\d+】|编号：【\d{4}】-|编号：\d{4}-【\d+】', 'code (证券代码 / 公告编号), not a quantity'),
 (r'期：\d{4}-【\d\d】-|日期：【\d{4}】-|时间：【\d{4}】-|[日间]：\d{4}-【\d\d】-|：\d{4}-\d\d-【\d\d】', 'date (披露日期 / 发布时间 line, YYYY-MM-DD)'),
 (r'——【2026】年1月|年【1】月12日|1月【12】日在', 'date of delivery (2026年1月12日 in the subtitle)'),
 (r'⏎【2026】年3月4日|年【3】月4日星|3月【4】日星|星期【三】|第【3】版', 'masthead (2026年3月4日星期三第3版)'),
 (r'⏎【2026】年6月3日|年【6】月3日|6月【3】日⏎', 'date line of the communiqué (2026年6月3日)'),
 (r'编⏎【2025】年11月|年【11】月6日|11月【6】日', 'date line of the brief (2025年11月6日)'),
 (r'）【3】月2日|3月【2】日，霁|道【2】月28日|2月【28】日|⏎【3】月1日|3月【1】日，临|记者【3】月3日|记者3月【3】日', 'event date (3月2日 / 2月28日 / 3月1日 / 3月3日), not a figure and not a period'),
 (r'【2025】年9月达到|2025年【9】月达到|预计于【2026】年12月|2026年【12】月达到', 'date of an event (达到预定可使用状态 in 2025年9月 / 2026年12月)'),
 (r'截至【2025】年12月31日|截至2025年【12】月31日|截至2025年12月【31】日|截至【2】月底|截至【10】月底|到【2026】年底', 'period word (截至2025年12月31日 / 截至2月底 / 截至10月底 / 到2026年底), not a figure'),
 (r'【20\d\d】年(?:年度报告|年度股东大会|生态环境、|各区县)|项目\|【202[45]】年|\|【2024】年|、【202[56]】年|⏎【202[56]】年|由【2020】年的|增加到【2025】年的|霁州市【2026】年|栖梧市【2026】年|举行【2026】年|表1：【2025】年|⏎【2025】年第10期', 'year (title, heading, table header or caption, event name or paragraph lead: a period, not a figure)'),
 (r'第【10】期|总第【118】期', 'issue number of the brief (第10期 / 总第118期)'),
 (r'【1】—(?:2|10)月|1—【(?:2|10)】月|【11】—12月|11—【12】月|⏎【10】月份|、【10】月份|确保【10】月份|比【9】月份', 'month or month range (1—2月 / 1—10月 / 11—12月 / 10月份 / 比9月份), a period or a base'),
 (r'年【一】季度', 'period name in an event name (2026年一季度重大项目集中开工)'),
 (r'⏎【[一二三四五]】、|（【[一二三]】）|第【[二三]】节|；【[一二三四五六七八九十]】是|：【一】是', 'heading or list enumerator (一、… / （一）… / 第二节 / 一是…十是)'),
 (r'第【三】届|第【十四】次|第【十八】届|第【六】次', 'ordinal (第三届董事会第十四次会议 / 第十八届人民代表大会第六次会议)'),
 (r'表【1】：', 'table number (表1)'),
 (r'⏎【[1-5]】  ', 'row number in the 序号 column'),
 (r'每【10】股', 'normaliser (每10股: the dividend is per 10 shares), not a figure'),
 (r'（【万】元）|（【万】亩）|（【亿】元）', 'unit in a table row label or header (万元 / 万亩 / 亿元), not a number'),
 (r'其中【亿】元以上|新开工【亿】元以上|新签约【亿】元以上|其中【10】亿元以上|个，【10】亿元以上|10【亿】元以上', 'threshold of a category (亿元以上 / 10亿元以上), not an amount'),
 (r'【十四五】|【十三五】', 'plan name (“十四五” / “十三五”)'),
 (r'【五】年来|【五】年累计', 'time expression (五年来 / 五年累计), not a figure'),
 (r'时期的【1.4】倍', 'multiple (是“十三五”时期的1.4倍): a ratio, not a figure of this contract'),
 (r'【186】公里', 'other dimension (公里, rural roads)'),
 (r'【12】万吨/日|12【万】吨|【86.5】万吨/日|86.5【万】吨', 'other dimension (万吨/日, sewage treatment capacity), not a figure (brief: not a kind)'),
 (r'【268.4】亿千瓦时|268.4【亿千】瓦时|【512】万千瓦|512【万千】瓦', 'other dimension (亿千瓦时 / 万千瓦), not a figure; its % change and share are figures'),
 (r'为【29】微克', 'other dimension (微克/立方米, a concentration)'),
 (r'PM【2.5】', 'name of a pollutant (PM2.5)'),
 (r'【65】周岁以上', 'age threshold (65周岁以上老年人), not a quantity'),
 (r'【一】般公共预算|零【一】般|占【一】般', 'word containing 一 (一般公共预算), not a quantity'),
 (r'消费品【零】售', 'word containing 零 (零售), not a quantity'),
 (r'的【一】年|这【一】年', 'time expression (这一年 / 极不平凡的一年), not a figure'),
 (r'【一】件事|件事【一】件|【一】锤|锤【一】锤', 'idiom (一件事一件事 / 一锤一锤), not a quantity'),
 (r'无【一】户', 'negation idiom (无一户返贫: "not a single household"), not a figure'),
 (r'【四】舍五入|四舍【五】入', 'fixed phrase (四舍五入)'),
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
