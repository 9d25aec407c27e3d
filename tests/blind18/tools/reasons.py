# blind18: blind16's reasons.py with this set's rules. blind16: blind15's reasons.py with this set's rules. blind15: blind14's reasons.py with this set's rules. blind14: blind13's reasons.py with this set's rules. blind13: blind12's reasons.py with this set's rules. blind12: blind11's reasons.py with rules new for this set.
# Sort each numeral not inside a gold surface into an exclusion reason (rules typed by hand, matched on the context).
# Writes excluded.tsv: doc, offset, numeral, context, reason. Unsorted numerals are reported and make the run fail.
import re, sys, os
sys.path.insert(0, os.path.dirname(__file__))
from sweep import uncovered, ROOT
RULES = [  # regex on the context with the numeral in 【】 (blind18; rules new for this set)
 # document dates, numbers and codes
 (r'发布时间：【2026】-|发布时间：2026-【\d\d】-|间：2026-\d\d-【\d\d】', 'publication date of the web page (发布时间), not a figure'),
 (r'（【2026】年1月16日）|（2026年【1】月16日）|1月【16】日）', 'date line of the report (2026年1月16日), not a figure'),
 (r'董事会⏎【2026】年10月28日|⏎2026年【10】月28日|10月【28】日⏎', 'signature date of the board (2026年10月28日), not a figure'),
 (r'证券代码：【688517】', 'stock code, not a figure'),
 (r'公告编号：【2026】-047|公告编号：2026-【047】', 'announcement number (2026-047), not a figure'),
 (r'本网讯（记者林一帆）【12】月3日|12月【3】日上午', 'event date of the signing ceremony (12月3日), not a period'),
 (r'一期计划【2027】年6月|2027年【6】月建成', 'planned completion date (2027年6月), not a figure or a period'),
 (r'预计于【2026】年12月底前|2026年【12】月底前投产', 'planned start-of-production date (2026年12月底前), not a figure or a period'),
 # periods and years
 (r'前【三】季度', 'period word (前三季度), not a figure'),
 (r'第【四】季度招商|第【三】季度', 'quarter name of a report or an event (第三季度报告 / 第四季度…集中签约), an ordinal, not a figure'),
 (r'明年【二】季度|应对【四】季度', 'quarter name (二季度 / 四季度), a future time, not a figure'),
 (r'【9】月份|截至【9】月底|截至【９】月底|【９】月末|截至【10】月底|⏎【1】—9月|：【1】—9月|；【1】—9月|1—【9】月|，【1】—10月|1—【10】月', 'period word (9月份 / 截至…月底 / ９月末 / 1—9月 / 1—10月), not a figure'),
 (r'科学技术局【2025】年|和【2026】年工作安排|⏎【20\d\d】年|、【20\d\d】年|鹭汀区【2026】年第四季度|有限公司【2026】年第三季度|预计【2026】年度|由【2020】年的|提高到【2025】年的', 'year (title, lead, heading, event name, time phrase): a period, not a figure'),
 (r'“【十四五】”', 'plan period name (“十四五”), a period word, not a figure'),
 (r'末【3】个月期间', 'duration (3个月), not a figure'),
 # structure
 (r'⏎【[一二三四五六]】、|（【[一二三四]】）', 'heading enumerator (一、… / （一）…)'),
 (r'⏎【[1-9]\.】', 'list item number (1. 2. …), not a figure'),
 (r'⏎\|【[1-9]】\|', 'row number in the 序号 column of the Markdown table, not a figure'),
 (r'⏎【一】是|；【[二三]】是', 'list enumerator (一是/二是/三是)'),
 (r'【[①②③]】', 'circled list enumerator (①②③), not a figure'),
 # names, slogans, ranks, phases
 (r'列入市政府【十】件民生实事', 'name of a programme (十件民生实事), not a count of this document'),
 (r'前三季度，【三】项社会保险基金', 'fixed term (三项社会保险基金 = 养老、失业、工伤), a name, not a count; see README'),
 (r'科技创新园【[二三]】期|，【一】期计划', 'phase name (二期 / 三期 / 一期), an ordinal, not a figure'),
 (r'集中在前【20】家企业', 'rank (前20家企业, the top 20), not a count of this contract; see README'),
 (r'前【十】名股东', 'rank (前十名股东), not a count'),
 (r'“【一】对一”|“一对【一】”', 'slogan (“一对一”服务), not a quantity'),
 (r'“【2】\+3”|“2\+【3】”', 'name of an industrial system (“2+3”产业体系), not a figure'),
 (r'智能装备【两】大主导产业', 'fixed phrase (两大主导产业, “the two leading industries”), not a figure with a counter; see README'),
 (r'记者林【一】帆', "part of a person's name (林一帆)"),
 # thresholds and densities
 (r'看，【10】亿元以上|，10【亿】元以上|签约【亿】元以上', 'threshold of a category (亿元以上项目 / 10亿元以上项目), not an amount'),
 (r'每【万】人口|达到【12.6】件', 'a density per 10,000 residents (每万人口…12.6件), not a number of entities; see README'),
 (r'每【万】名就业人员', 'a density base (每万名就业人员), not a figure'),
 (r'老化管网【386】公里', 'other dimension (公里), not a figure of this contract'),
 # words containing numerals
 (r'下【一】步|【一】般|汽车【零】部件', 'word containing a numeral (下一步 / 一般 / 零部件), not a quantity'),
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
