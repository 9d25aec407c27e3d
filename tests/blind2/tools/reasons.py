# Sort each uncovered numeral (sweep_raw.txt) into an exclusion reason. Rules typed by hand, matched on the context.
import re, sys
RULES = [  # (regex on token+context, reason)
 (r'另【一】个', 'article (另一个)'),
 (r'进【一】步|【一】体|【一】定|【一】般|的【一】年', 'word containing 一, not a quantity'),
 (r'第【3】版', 'page number (第3版)'),
 (r'⏎【[一二三四五六七]】、|（【[一二三]】）', 'ordinal heading enumerator'),
 (r'^(7\.8|37\.4|54\.8)\t.*∶', 'ratio (三次产业结构 7.8∶37.4∶54.8), no unit'),
 (r'^1\.38\t', 'multiple (1.38倍), no unit'),
 (r'【[一二三四]】季度', 'period / ordinal (季度)'),
 (r'【一】期', 'phase name (一期)'),
 (r'第【[一二三]】产业', 'ordinal (第一/二/三产业)'),
 (r'【\d{4}】年', 'date or year'),
 (r'^\d{4}\t.*\d{4}年', 'date or year'),
 (r'^\d{1,2}\t.*(\d月\d|月\d+日|\d+日|年\d+月)', 'date (month/day)'),
 (r'星期五', 'weekday (星期五)'),
 (r'^10\t.*10月底', 'date (截至10月底: the period of other figures)'),
 (r'^2025\t.*编号', 'code (announcement number 2025-046)'),
 (r'^046\t|^688316\t', 'code (stock code / announcement number)'),
 (r'^[0-9]\.[0-9]?\t.*(\d\.\d?[本主股上募]|⏎\d\.|注：|。\d\.)', 'section / note enumerator'),
 (r'^3\t.*第3版', 'page number (第3版)'),
 (r'^[一二三四五六七]\t.*(⏎[一二三四五六七]、|（[一二三]）)', 'ordinal heading enumerator'),
 (r'第[一二三四五六七八九十]+[产节届次大]|第[一二三四五六七八九十]+大股东', 'ordinal / rank (第…)'),
 (r'^[一二三]\t.*[一二三]产业', 'ordinal (第一/二/三产业)'),
 (r'^三\t.*三次产业', 'name (三次产业)'),
 (r'十[三四五]五', 'plan name (“十三五/十四五/十五五”)'),
 
 (r'‰', 'per-mille rate (‰ is not % or 百分之)'),
 (r'^(2\.03|0\.04)\t', 'ratio (城乡居民收入比), no unit'),
 (r'^2\.5\t.*PM2\.5', 'name (PM2.5)'),
 (r'^(28|29)\t.*微克', 'other dimension (微克/立方米)'),
 (r'万吨|吨级|吨，|吨以上', 'other dimension (吨 / 万吨 / 万吨级)'),
 (r'^万\t', 'other dimension (万吨)'),
 (r'^2,386\.5\t', 'other dimension (万吨)'),
 (r'^五\t.*连续五年', 'duration (连续五年)'),
 (r'^五\t.*过去五年|^五\t.*五年来', 'time expression (过去五年 / 五年来), not a figure'),
 (r'^[四五]\t.*四舍五入', 'idiom (四舍五入)'),
 (r'^三\t.*前三季度|^[四三一]\t.*[四三一]季度', 'period / ordinal (季度)'),
 (r'一带一路', 'slogan (“一带一路”)'),
 (r'^零\t', 'word (零售 / 零部件), not a numeral'),
 (r'进一步|一体|一定|一般|新的一年', 'word containing 一, not a quantity'),
 (r'一批', '一批 as a quantifier without a number (a batch of)'),
 
 (r'^亿\t.*亿元以上', 'threshold without a number (亿元以上)'),
 (r'^四\t.*活动四次', 'frequency (四次)'),
 (r'^三\t.*长三角', 'place name (长三角)'),
 (r'^一\t.*一期', 'phase name (一期)'),
 
 (r'^一\t.*一个项目|^一\t.*一个专班|^一\t.*一抓到底', 'slogan (一个项目、一个专班、一抓到底)'),
 (r'^26\t.*26天', 'duration (26天)'),
 (r'^两\t.*两班倒', 'name of a shift pattern (两班倒)'),
 (r'^三\t.*超过三成', 'fraction (三成), no unit'),
 (r'^三\t.*三期码头', 'phase name inside a project name (临川港三期码头工程)'),
 (r'^两\t.*建设期两年', 'duration (两年)'),
 (r'^5\t.*5万吨级', 'other dimension (5万吨级)'),
 (r'^一\t.*第一节', 'ordinal (第一节)'),
 (r'^(6|30|8|29|3|12|15|1|11|17|18|19|20)\t', 'date (month/day)'),
]
out = []
for line in open(sys.argv[1], encoding='utf-8'):
    if line.startswith('=='):
        out.append(line.rstrip()); continue
    tok = line.strip('\n').lstrip()
    plain = tok.replace('【', '').replace('】', '')
    reason = next((r for pat, r in RULES if '【' in pat and re.search(pat, tok)), None) or \
             next((r for pat, r in RULES if '【' not in pat and re.search(pat, plain)), None)
    out.append(f'{tok}\t=> {reason or "??? UNSORTED"}')
print('\n'.join(out))
