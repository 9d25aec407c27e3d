# blind19: blind17's reasons.py with this set's rules. blind17: blind16's reasons.py with this set's rules. blind16: blind15's reasons.py with this set's rules. blind15: blind14's reasons.py with this set's rules. blind14: blind13's reasons.py with this set's rules. blind13: blind12's reasons.py with this set's rules. blind12: blind11's reasons.py with rules new for this set.
# Sort each numeral not inside a gold surface into an exclusion reason (rules typed by hand, matched on the context).
# Writes excluded.tsv: doc, offset, numeral, context, reason. Unsorted numerals are reported and make the run fail.
import re, sys, os
sys.path.insert(0, os.path.dirname(__file__))
from sweep import uncovered, ROOT
RULES = [  # regex on the context with the numeral in 【】 (blind19; rules new for this set)
 # document dates, numbers, times
 (r'（【2026】年4月10日）|（2026年【4】月10日）|4月【10】日）', 'date line of the bulletin (2026年4月10日), not a figure'),
 (r'发布日期：【2026】年2月26日|2026年【2】月26日|2月【26】日⏎', 'publication date (发布日期：2026年2月26日), not a figure'),
 (r'综合科，【2026】年10月20日|2026年【10】月20日|10月【20】日⏎', 'compiled-on date of the analysis (编印：…2026年10月20日), not a figure'),
 (r'发布时间：【2026】-03-16|2026-【03】-16|03-【16】⏎', 'publication time of the web page (发布时间：2026-03-16), not a figure'),
 (r'公示时间：【2026】年|2026年【3】月16日至|3月【16】日至|至【3】月25日|3月【25】日（', 'publicity period (2026年3月16日至3月25日), dates, not figures'),
 (r'（共【10】天）', 'duration of the publicity period (共10天), not a figure'),
 (r'财政局⏎【2026】年3月16日|⏎2026年【3】月16日⏎|2026年3月【16】日⏎【打印', 'signature date of the notice (2026年3月16日), not a figure'),
 (r'芦安委办〔【2026】〕|〕【41】号', 'document number (芦安委办〔2026〕41号)'),
 (r'办公室⏎【2026】年11月5日|⏎2026年【11】月5日|11月【5】日⏎抄送', 'signature date of the circular (2026年11月5日), not a figure'),
 (r'办公室【2026】年11月6日印发|2026年【11】月6日印发|11月【6】日印发', 'printed-on date (2026年11月6日印发), not a figure'),
 (r'电话：【0577】|0577-【66235180】', 'telephone number, not a figure'),
 # periods and years
 (r'恢复到【2019】年', 'comparison base year (恢复到2019年的…), not a figure'),
 (r'前【三】季度', 'period word (前三季度), not a figure'),
 (r'截至【9】月底', 'period word (截至9月底), not a figure'),
 (r'【1】—10月|1—【10】月', 'period word (1—10月), not a figure'),
 (r'⏎【10】月份', 'period word (10月份), not a figure'),
 (r'可支付月数【9.9】个月', 'duration (可支付月数9.9个月), not a figure'),
 (r'压缩至【1】个工作日', 'duration (1个工作日), not a figure'),
 # structure
 (r'⏎【[一二三四五六]】、', 'heading enumerator (一、…)'),
 (r'⏎【[123]】）', 'list enumerator (1）2）3）)'),
 (r'⏎【[1-6]】\|', 'row number in the 序号 column of the project table'),
 (r'注：【1.】|。【2.】“', 'note enumerator (1. / 2.)'),
 (r'⏎【一】是|；【[二三]】是', 'list enumerator (一是/二是/三是)'),
 # names, labels, slogans, units in captions
 (r'“双随机、【一】公开”', 'name of an inspection scheme (“双随机、一公开”), a slogan'),
 (r'（单位：【万】元）', 'unit in the table caption (单位：万元), not an amount'),
 (r'第【三】产业', 'name of a sector (第三产业), not a quantity'),
 (r'【三】地合计', 'anaphoric reference to the three places just named (三地), not a count figure; see README'),
 (r'全市【亿】元地区生产总值', 'part of the indicator name (亿元地区生产总值…死亡率, deaths per 100 million yuan), not an amount'),
 # other dimensions, ratios, densities, non-% rates
 (r'【[0-9,.]+】公里', 'other dimension (公里), not a figure of this contract'),
 (r'【[0-9,.]+】万吨|[0-9,]【万】吨', 'other dimension (万吨), not a figure of this contract'),
 (r'之比为【2.57】|2.57:【1】', 'a ratio (新设与注销之比2.57:1), not a figure of this contract'),
 (r'每【千】人拥有企业|拥有企业【58.6】户', 'a density (企业 per 1,000 people), not a count of entities; see README'),
 (r'死亡率为【0.021】', 'a rate written without % (死亡率0.021, per 100 million yuan), not a percent of this contract'),
 (r'均超过【五】成', 'a share written in 成 (五成), not with % or 百分之'),
 # words containing numerals
 (r'【零】售', 'word containing 零 (零售), not a numeral'),
 (r'【一】般|下【一】步', 'word containing 一 (一般 / 下一步), not a quantity'),
 (r'【四】舍五入|四舍【五】入', 'fixed phrase (四舍五入), not a quantity'),
 (r'】年', None),
]
rows = []; bad = 0
for stem, off, tok, ctx in uncovered():
    r = next((why for pat, why in RULES if why and re.search(pat, ctx)), None)
    if r is None and re.search(r'【20\d\d】年', ctx): r = 'year (title, lead, heading, caption or time phrase): a period, not a figure'
    if r is None:
        bad += 1; r = '??? UNSORTED'
    rows.append((stem, str(off), tok, ctx, r))
with open(f'{ROOT}/excluded.tsv', 'w', encoding='utf-8') as fh:
    fh.write('doc\toffset\tnumeral\tcontext\treason\n')
    for r in rows: fh.write('\t'.join(r) + '\n')
print(f'{len(rows)} excluded numerals, {bad} unsorted')
for r in rows:
    if r[4].startswith('???'): print('  ', r)
