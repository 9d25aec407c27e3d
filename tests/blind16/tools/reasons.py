# blind16: blind15's reasons.py with this set's rules. blind15: blind14's reasons.py with this set's rules. blind14: blind13's reasons.py with this set's rules. blind13: blind12's reasons.py with this set's rules. blind12: blind11's reasons.py with rules new for this set.
# Sort each numeral not inside a gold surface into an exclusion reason (rules typed by hand, matched on the context).
# Writes excluded.tsv: doc, offset, numeral, context, reason. Unsorted numerals are reported and make the run fail.
import re, sys, os
sys.path.insert(0, os.path.dirname(__file__))
from sweep import uncovered, ROOT
RULES = [  # regex on the context with the numeral in 【】 (blind16; rules new for this set)
 # document dates and numbers
 (r'发布时间：【2026】-07-22|2026-【07】-22|07-【22】⏎', 'publication date of the web page (发布时间：2026-07-22), not a figure'),
 (r'⏎【2026】年5月18日⏎|年【5】月18日⏎|5月【18】日⏎', 'signature date at the end of the bulletin (2026年5月18日), not a figure'),
 (r'（【2026】年1月20日）|年【1】月20日）|1月【20】日）', 'date line of the report (2026年1月20日), not a figure'),
 (r'〔【2026】〕|〕【5】号', 'document number (霖农〔2026〕5号)'),
 (r'发布日期为【2026】年4月28日|年【4】月28日|4月【28】日', 'publication date of the report (发布日期), not a figure'),
 (r'日报｜【2026】-09-15|2026-【09】-15|09-【15】⏎', 'publication date in the source line (2026-09-15), not a figure'),
 (r'本站讯【7】月21日|7月【21】日', 'event date of the press briefing (7月21日), not a period'),
 (r'范围为【2025】年1月1日|2025年【1】月1日|年1月【1】日至|至【2025】年12月31日|2025年【12】月31日|12月【31】日，', 'the reporting period (2025年1月1日至2025年12月31日), a period, not a figure'),
 # periods and years
 (r'比【一】季度', 'quarter name (一季度), a comparison base, not a figure'),
 (r'【四】季度', 'quarter name (四季度), a period, not a figure'),
 (r'【6】月份|截至【6】月底|截至【8】月底|今年【1】—8月|今年1—【8】月|⏎【1】—8月|。【1】—8月|1—【8】月', 'period word (6月份 / 截至…月底 / 1—8月), not a figure'),
 (r'渭汀市【2025】年|关于【2025】年|⏎【20\d\d】年|。【2025】年|，【2025】年|截至【2025】年|附表：【2025】年|表1：【2025】年|问题和【2026】年|六、【2026】年|有限公司【2025】年度|力争到【2027】年', 'year (title, lead, caption, heading, time phrase): a period, not a figure'),
 (r'比【2022】年', 'comparison base year (比2022年), not a figure'),
 (r'住院日【8.2】日', 'duration (平均住院日8.2日), not a figure'),
 (r'时长累计【2.3】万小时|2.3【万】小时|培训时长【58.6】小时', 'duration in hours (小时), not a figure of this contract'),
 (r'力争【两】年内', 'duration (两年内), not a figure'),
 # structure
 (r'⏎【[一二三四五六]】、|（【[一二三四]】）', 'heading enumerator (一、… / （一）…)'),
 (r'⏎【一】是|；【二】是', 'list enumerator (一是/二是)'),
 (r'表【1】：', 'table number (表1), a label'),
 # names, slogans, events
 (r'“【一】带一路”|“一带【一】路”', 'name of an initiative (“一带一路”)'),
 (r'今年“【618】”', 'name of a shopping festival (“618”), not a figure'),
 # thresholds, ratios, rates that are not figures, other dimensions
 (r'超【亿】元的企业|新签约【亿】元以上|新引进【亿】元以上|其中【10】亿元以上|10【亿】元以上', 'threshold of a category (超亿元的企业 / 亿元以上项目 / 10亿元以上项目), not an amount'),
 (r'占地【5】亩以上', 'threshold of a category (占地5亩以上的企业), not an area figure'),
 (r'每【千】常住人口|床位【7.12】张', 'a density per 1,000 residents (每千常住人口…床位7.12张), not a number of entities; see README'),
 (r'医护比为【1】:|1:【1.25】', 'a ratio written as 1:1.25, not a figure'),
 (r'死亡率为【7.8】/10万|7.8/【10】万|7.8/10【万】|死亡率为【2.41】‰', 'a rate per 100,000 or per mille (/10万, ‰), not a percent of this contract'),
 (r'总产量【162.8】万吨|夏粮产量【58.3】万吨|秋粮产量【104.5】万吨|达到【165】万吨|损失约【6.2】万吨|减排量约【26.8】万吨|\d【万】吨', 'other dimension (万吨), not a figure of this contract'),
 (r'粮食单产【421.3】公斤', 'other dimension (公斤/亩, a yield), not a figure of this contract'),
 (r'万吨）\|[0-9.|]*【[0-9.]+】|\|【40.2】\|49.9⏎|24.1\|【48.6】\||\|【[0-9.]+】\|[0-9.|]*⏎高标准农田|\|【49.9】⏎', 'other dimension: 粮食总产量 cell in 万吨, not a figure of this contract'),
 (r'服务面积【152.6】万亩次|152.6【万】亩次', 'a service volume in 亩次 (area × times), not a land area; see README'),
 (r'（【万】亩）|（【万】吨）', 'unit in a table row label, not a number'),
 # words containing numerals
 (r'【零】售', 'word containing 零 (零售), not a numeral'),
 (r'【一】般|下【一】步|介绍【一】下|【一】次性', 'word containing 一 (一般 / 下一步 / 一下 / 一次性), not a quantity'),
 (r'【四】舍五入|四舍【五】入', 'fixed phrase (四舍五入), not a quantity'),
 (r'万吨【二】氧化碳', 'word containing 二 (二氧化碳), not a numeral'),
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
