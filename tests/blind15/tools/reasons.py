# blind15: blind14's reasons.py with this set's rules. blind14: blind13's reasons.py with this set's rules. blind13: blind12's reasons.py with this set's rules. blind12: blind11's reasons.py with rules new for this set.
# Sort each numeral not inside a gold surface into an exclusion reason (rules typed by hand, matched on the context).
# Writes excluded.tsv: doc, offset, numeral, context, reason. Unsorted numerals are reported and make the run fail.
import re, sys, os
sys.path.insert(0, os.path.dirname(__file__))
from sweep import uncovered, ROOT
RULES = [  # regex on the context with the numeral in 【】 (blind15; rules new for this set)
 # dates of documents, page furniture, document numbers
 (r'编印【2026】年10月15日|年【10】月15日|10月【15】日|督查室【2026】年11月6日|年【11】月6日|11月【6】日', 'compiled-on date of the document (编印), not a figure'),
 (r'发布时间：【2026】-10-09|2026-【10】-09|10-【09】⏎', 'publication date of the web page (发布时间：2026-10-09)'),
 (r'——【2026】年6月24日|年【6】月24日|6月【24】日', 'delivery date in the subtitle, not a figure'),
 (r'签署日期：【2026】年4月|年【4】月⏎释义', 'signing date of the prospectus (签署日期), not a figure'),
 (r'（第【9】期）', 'issue number of the bulletin (第9期), an ordinal'),
 (r'⏎【1】-1-|1-【1】-|1-1-【\d+】⏎', 'page footer of the PDF (page number 1-1-n), page furniture'),
 (r'有限公司【2026】年面向|（第【一】期）募集说明书', 'running page header of the PDF (bond name with year and 第一期), page furniture'),
 (r'〔【2026】〕|〕【518】号', 'document number of the registration approval (证监许可〔2026〕518号)'),
 (r'表【5】-1|表5-【1】', 'table number (表5-1), a label'),
 # dates, periods, years, durations
 (r'前【三】季度|【四】季度', 'quarter name (前三季度 / 四季度): a period, not a figure'),
 (r'【9】月份|【9】月末|截至【9】月底|截至【10】月底|截至【2026】年5月底|2026年【5】月底|截至【2025】年底|截至【2025】年末', 'period word (9月份 / 9月末 / 截至…), not a figure'),
 (r'【1】—9月|1—【9】月', 'period word (1—9月), not a figure'),
 (r'（【10】月1日至8日|10月【1】日至8日|1日至【8】日', 'the holiday dates (10月1日至8日), a period, not a figure'),
 (r'假期【8】天|期限为【5】年', 'duration (假期8天 / 期限为5年), not a figure'),
 (r'恢复到【2019】年同期', 'comparison base year (恢复到2019年同期的), not a figure'),
 (r'计划【2027】年底', 'future completion date (2027年底), not a figure'),
 (r'于【2026】年3月12日|2026年【3】月12日|3月【12】日|于【9】月28日|9月【28】日|成立于【2003】年8月|2003年【8】月', 'event date (approval, opening, founding), not a period'),
 (r'确保【11】月底前|、【12】月底前', 'deadline date (11月底前 / 12月底前), not a figure'),
 (r'集团【2026】年前三季度|溟川市【2025】年度|报告【2025】年度|对【2025】年度|⏎【2025】年，|发现，【2025】年|基金【2025】年度|全市【2025】年计划|附表：【2026】年|柘湾市【2026】年|指【2023】年|、【202[45]】年|和【2025】年。|及【2025】年财务|发行人【2023】年|；【2025】年度|⏎项目  【2025】年|  【202[34]】年12月|/【202[345]】年度|年【12】月31日|12月【31】日', 'year (title, lead, caption, header cell, 报告期 definition): a period, not a figure'),
 # structure
 (r'⏎【[一二三四五六七]】、|（【[一二三四五六]】）', 'heading enumerator (一、… / （一）…)'),
 (r'：【一】是|。【[二三]】是', 'list enumerator (一是/二是/三是)'),
 (r'第【[一五]】节', 'section ordinal of the prospectus (第一节 / 第五节)'),
 (r'第【十七】届|第【三十一】次', 'ordinal of the session (第十七届 / 第三十一次会议)'),
 (r'码头【三】期|北区【三】期', 'phase name (三期工程)'),
 (r'市第【一】人民医院', 'name containing a numeral (市第一人民医院)'),
 (r'【5】A级', 'quality grade of scenic spots (5A级), a rank, not a count'),
 (r'新建【10】万吨级|10【万】吨级', 'berth class (10万吨级), a size class, not a figure'),
 (r'【二】级单位|其中【一】级子公司', 'administrative level (二级单位 / 一级子公司), a rank, not a count'),
 (r'市县【两】级', 'government levels (市县两级), not a count'),
 (r'确定的【十】件民生实事', 'name of the programme (十件民生实事), like 五项制度; see README'),
 (r'“【一】项目|一项目【一】专班', 'quoted slogan (“一项目一专班”)'),
 # thresholds and units, other dimensions
 (r'执行率低于【60】%', 'threshold of a category (执行率低于60%的部门), not a figure'),
 (r'滞后于序时进度【10】个|10个【百】分点以上', 'threshold of a category (滞后…10个百分点以上的项目), not a figure'),
 (r'（【万】吨）|（【万】标箱）|单位：【万】元', 'unit in a table header or caption, not a number'),
 (r'吞吐量【2.86】亿吨|2.86【亿】吨|吞吐量【1.12】亿吨|1.12【亿】吨', 'other dimension (亿吨), not a figure of this contract'),
 (r'⏎[^⏎]*港区  【\d+】  |⏎合计  【28600】', 'other dimension: 货物吞吐量 cell in 万吨, not a figure of this contract'),
 # words containing numerals
 (r'【一】般|下【一】步', 'word containing 一 (一般公共预算 / 下一步), not a quantity'),
 (r'供需【两】旺', 'fixed phrase (供需两旺), not a quantity'),
 (r'【陆】域', 'word containing 陆 (陆域 = land area), not a numeral'),
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
