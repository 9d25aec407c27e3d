# blind14: blind13's reasons.py with this set's rules. blind13: blind12's reasons.py with this set's rules. blind12: blind11's reasons.py with rules new for this set.
# Sort each numeral not inside a gold surface into an exclusion reason (rules typed by hand, matched on the context).
# Writes excluded.tsv: doc, offset, numeral, context, reason. Unsorted numerals are reported and make the run fail.
import re, sys, os
sys.path.insert(0, os.path.dirname(__file__))
from sweep import uncovered, ROOT
RULES = [  # regex on the context with the numeral in 【】 (blind14; rules new for this set)
 # page furniture, dates of documents, document numbers
 (r'发布时间：【2026】-10-23|2026-【10】-23|10-【23】⏎', 'publication date of the web page (发布时间：2026-10-23)'),
 (r'浏览次数：【1268】', 'page view counter of the web page (no counter word, page furniture)'),
 (r'滨江路【168】号|邮政编码：【311800】|联系电话：【0573】|0573-【86120352】', 'footer: street number, postcode, phone number'),
 (r'上【一】篇|下【一】篇|上一篇：【2026】年', 'web navigation (上一篇/下一篇 and the title of a linked page)'),
 (r'⏎【2026】年11月20日|年【11】月20日|11月【20】日|⏎【2026】年2月6日|年【2】月6日|2月【6】日|⏎【2025】年7月8日|年【7】月8日|7月【8】日', 'date line at the end of the document (成文日期)'),
 (r'发布日期：【2026】年3月28日|年【3】月28日|3月【28】日', 'publication date (发布日期)'),
 (r'发〔【2026】〕|〕【21】号|投资〔【2026】〕|〕【8】号', 'document number (文号)'),
 (r'⏎【10】月22日|10月【22】日', 'event date (10月22日 the release), not a period'),
 # period words and years (a period, not a figure)
 (r'前【三】季度|【[一二三四]】季度', 'quarter name (前三季度 / 一季度 / 三季度 …): a period or an ordinal, not a figure'),
 (r'【9】月份|【9】月末|截至【1?0?6?】月底|截至【10】月底|截至【6】月底|截至【2025】年末', 'period word (9月份 / 9月末 / 截至…月底 / 截至2025年末), not a figure'),
 (r'比【1】—8月|比1—【8】月', 'comparison base (比1—8月), a period word'),
 (r'(关于|现将|⏎|附表：|年)【1】—10月|1—【10】月', 'period word (1—10月), not a figure'),
 (r'(关于|发布|附表：|附件：|现将|下达|⏎|、)【202[056]】年|住房公积金【2025】年|由【2020】年|青岙镇【2025】年|\|【2026】年计划投资', 'year (title, heading, caption, header cell, paragraph lead or 由2020年的): a period, not a figure'),
 (r'\|【202[4-8]】—|—【202[4-8]】', 'construction years in the 建设起止年限 column, not a figure'),
 (r'“【十四五】”', 'plan period name (“十四五”), not a figure'),
 (r'每月【5】日', 'recurring deadline (每月5日前), a date'),
 (r'连续【2】个月', 'duration (连续2个月), not a figure'),
 # structure
 (r'⏎【[一二三四五]】、|（【[一二三四五]】）|⏎【[1-6]】\|', 'heading or row enumerator (一、… / （一）… / 序号 1–6)'),
 (r'：【一】是|；【[二三]】是', 'list enumerator (一是/二是/三是)'),
 (r'抓【三】件事', 'discourse frame (重点抓三件事：一是…), the number of points in a list, not a quantity'),
 (r'第【[一二三]】产业', 'ordinal (第一/第二/第三产业)'),
 (r'市第【二】人民医院', 'name containing a numeral (市第二人民医院)'),
 (r'快速路【二】期|产业园【一】期', 'phase name (二期 / 一期)'),
 (r'“【两】非”|“两非”“【两】资”', 'quoted slogan (“两非”“两资”)'),
 (r'“【一】件事|一件事【一】次办', 'quoted slogan (“一件事一次办”)'),
 (r'压缩至【三】级以内', 'management level (三级以内), a rank, not a count'),
 # thresholds and units
 (r'在建【亿】元以上|总投资【10】亿元以上|10【亿】元以上|其中【亿】元以上|签约【亿】元以上|超过【100】万元|100【万】元的村|不足【30】万元|30【万】元，', 'threshold of a category (亿元以上 / 10亿元以上 / 超过100万元的村 / 不足30万元), not an amount'),
 (r'（【亿】元）|单位：【亿】元', 'unit in a table header or caption, not a number'),
 (r'【5】万吨|5【万】吨|【18.6】公里|河道【42】公里|管网【126】公里|村道【8.6】公里', 'other dimension (万吨 / 公里), not a figure of this contract'),
 # words containing numerals
 (r'【零】售', 'word containing 零 (零售), not a quantity'),
 (r'【一】般', 'word containing 一 (一般公共预算), not a quantity'),
 (r'下【一】步', 'fixed phrase (下一步 = next steps), not a quantity'),
 (r'有【一】批|办了【一】批', '一 as an article (一批), not a quantity'),
 (r'【一】件事一件事|一件事【一】件事|总结【一】下|说【一】说|这【一】块|【一】些群众', 'fixed phrase with 一 (一件事一件事 / 总结一下 / 说一说 / 这一块 / 一些), not a quantity'),
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
