# blind17: blind16's reasons.py with this set's rules. blind16: blind15's reasons.py with this set's rules. blind15: blind14's reasons.py with this set's rules. blind14: blind13's reasons.py with this set's rules. blind13: blind12's reasons.py with this set's rules. blind12: blind11's reasons.py with rules new for this set.
# Sort each numeral not inside a gold surface into an exclusion reason (rules typed by hand, matched on the context).
# Writes excluded.tsv: doc, offset, numeral, context, reason. Unsorted numerals are reported and make the run fail.
import re, sys, os
sys.path.insert(0, os.path.dirname(__file__))
from sweep import uncovered, ROOT
RULES = [  # regex on the context with the numeral in 【】 (blind17; rules new for this set)
 # page furniture of the PDF page (b17_01)
 (r'⏎— 【\d】 —', 'page number line of the PDF page (— 3 —), page furniture'),
 (r'岭西市【2025】年水资源公报⏎', 'year in the running header / title of the PDF page (岭西市2025年水资源公报), page furniture'),
 # document dates, numbers, times
 (r'截⏎至【2025】年12月31日|2025年【12】月31日|12月【31】日，公报|公报于【2026】年6月18日|2026年【6】月18日|6月【18】日发布', 'the data cut-off and publication date in the 说明 (2025年12月31日, 2026年6月18日), not figures'),
 (r'编发日期：【2027】|2027年【1】月4日|1月【4】日⏎', 'compiled-on date of the roundup (编发日期：2027年1月4日), not a figure'),
 (r'发布时间：【20\d\d】|发布时间：20\d\d[-年]【\d+】|发布时间：20\d\d[-年]\d+[-月]【\d+】|：20\d\d[-年]\d+[-月]【\d+】|日【\d+】时\d+分|时【\d+】分', 'publication time of a roundup item (发布时间), not a figure'),
 (r'（【2026】年3月26日）|（2026年【3】月26日）|3月【26】日）', 'date line of the bulletin (2026年3月26日), not a figure'),
 (r'发布日期：【2026】/10/29|2026/【10】/29|10/【29】⏎', 'publication date of the web page (发布日期：2026/10/29), not a figure'),
 (r'岭民提〔【2026】〕|〕【27】号', 'document number (岭民提〔2026〕27号)'),
 (r'市政协【十五】届|十五届【四】次会议|第【0143】号提案', 'session and proposal numbers (十五届四次会议, 第0143号提案), ordinals/labels'),
 (r'联系电话：【0791】|0791-【86524317】', 'telephone number, not a figure'),
 (r'民政局⏎【二〇二六】年六月十五日|二〇二六年【六】月十五日|六月【十五】日', 'signature date of the reply in Chinese numerals (二〇二六年六月十五日), not a figure'),
 # event dates and other dates
 (r'⏎【12】月30日，沧桥|⏎12月【30】日，沧桥|⏎【1】月2日，汀州|⏎1月【2】日，汀州|商务局【3】日发布|记者【3】日从|⏎【10】月28日，岚州|⏎10月【28】日，岚州', 'event date of a news item (12月30日 / 1月2日 / 3日 / 10月28日), not a period'),
 (r'预计【2028】年6月投产|2028年【6】月投产', 'expected start-up date (2028年6月), a date, not a figure'),
 # periods and years
 (r'】年|【2025】年|【2026】年', None),
 (r'前【11】个月', 'period word (前11个月), not a count'),
 (r'，【1】—11月|1—【11】月|。【11】月末', 'period word (1—11月 / 11月末), not a figure'),
 (r'前【三】季度', 'period word (前三季度), not a figure'),
 (r'截至【9】月底', 'period word (截至9月底), not a figure'),
 (r'截至【二〇二五】年底|到【二〇二七】年底|【二〇二[五六]】年，', 'year in Chinese numerals (a period or its lead), not a figure'),
 (r'比【2025】年下', 'comparison base year (比2025年), not a figure'),
 (r'压缩至【3】个工作日', 'duration (3个工作日), not a figure'),
 (r'计划用【两】年时间', 'duration (两年时间), not a figure'),
 # structure
 (r'⏎(　　)?【[一二三四五六]】、|（【[一二三]】）', 'heading enumerator (一、… / （一）…)'),
 (r'⏎【一】是|；【[二三]】是', 'list enumerator (一是/二是/三是)'),
 # names, labels, slogans
 (r'编号TZ【2026】-41|TZ2026-【41】', 'lot number (TZ2026-41), a name'),
 (r'【一】期计划投资', 'phase name (一期), not a figure'),
 (r'“【十】项便民举措”', 'name of a measures package (“十项便民举措”), a slogan'),
 (r'河湖“【四】乱”', 'name of a campaign target (“四乱”), a slogan'),
 (r'市、区【两】级', 'administrative levels (两级), not a quantity'),
 (r'第【三】方评估', 'word containing 三 (第三方), not a quantity'),
 # thresholds, other dimensions, coefficients, non-% rates
 (r'全市【60】周岁|其中【80】周岁', 'age threshold of a category (60周岁及以上 / 80周岁及以上), not a figure'),
 (r'年降水量在【700】毫米', 'threshold of a category (700毫米以上), not a figure'),
 (r'平均年降水量【812.6】毫米', 'other dimension (毫米 of precipitation), not a figure of this contract'),
 (r'【[0-9.]+】亿立方米|[0-9.]【亿】立方米', 'other dimension (亿立方米 of water), not a figure of this contract'),
 (r'灌溉渠道【386】公里', 'other dimension (公里), not a figure of this contract'),
 (r'垃⏎圾【3.2】万吨|3.2【万】吨', 'other dimension (万吨), not a figure of this contract'),
 (r'年产【20】GWh', 'other dimension (GWh, a capacity), not a figure of this contract'),
 (r'【万】元地区生产总值用水量|【万】元工业增加值用水量', 'part of the indicator name (万元…用水量, water use per 10,000 yuan), not an amount'),
 (r'利用系数提高到【0.586】', 'a coefficient written without % (有效利用系数0.586), not a percent of this contract'),
 (r'约【三】成助餐点', 'a share written in 成 (三成), not with % or 百分之; see README'),
 (r'学前【三】年毛入园率|【九】年义务教育巩固率', 'part of an indicator name (学前三年 / 九年义务教育), not a figure'),
 # words containing numerals
 (r'【零】售', 'word containing 零 (零售), not a numeral'),
 (r'【一】般|下【一】步|【一】次性', 'word containing 一 (一般 / 下一步 / 一次性), not a quantity'),
 (r'【四】舍五入|四舍【五】入', 'fixed phrase (四舍五入), not a quantity'),
 (r'队【伍】', 'word containing 伍 (队伍), not a numeral'),
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
