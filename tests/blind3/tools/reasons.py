# Sort each numeral the sweep lists into an exclusion reason (rules typed by hand, matched on the context).
import re, sys, subprocess, os
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RULES = [  # (regex on the context with the token in 【】, reason)
 (r'【[①-⑳]】', 'list enumerator (①②…)'),
 (r'^[⏎]?.*⏎【[一二三四五六七八九十]】、|（【[一二三]】）', 'heading enumerator (一、 / （一）)'),
 (r'第【[一二三四五]】节', 'ordinal (第…节, section of the report)'),
 (r'【5\.[123]】', 'section number (5.1 / 5.2 / 5.3)'),
 (r'第【[一二三]】产业', 'ordinal (第一/二/三产业)'),
 (r'【三】次产业', 'name (三次产业)'),
 (r'∶|【[0-9.]+】∶', 'ratio (三次产业结构 6.1∶39.9∶54.0), no unit'),
 (r'【6\.47】‰', 'per-mille rate (‰ is not % or 百分之)'),
 (r'万吨|【68\.3】', 'other dimension (万吨)'),
 (r'【万】吨', 'other dimension (万吨)'),
 (r'【零】售', 'word (零售), not a numeral'),
 (r'【一】般', 'word (一般公共预算), not a numeral'),
 (r'【亿】元以上', 'threshold without a number (亿元以上 names a class of projects)'),
 (r'世界【500】强', 'name / rank (世界500强)'),
 (r'【十[三四五]五】', 'plan name (“十三五/十四五/十五五”); the period words are in period_text'),
 (r'第【十八】届|【十八】届人大|第【五】次会议|人大【四】次会议|第【十】届', 'ordinal (届 / 次 of a congress or fair)'),
 (r'过去【一】年|【一】年来', 'time expression (过去一年 / 一年来), not a figure'),
 (r'过去【五】年|【五】年间', 'time expression (过去五年 / 五年间), not a figure'),
 (r'最近【一】期', 'word (最近一期 = the latest period), not a quantity'),
 (r'【[一二]】期', 'phase name (一期 / 二期)'),
 (r'“【三】农”', 'slogan (“三农”)'),
 (r'【[0-9.]+】公里', 'other dimension (公里)'),
 (r'【1\.4】倍', 'multiple (1.4倍), no unit'),
 (r'【[一二]】季度', 'period (一季度 / 二季度); 二季度 in 澜州二季度重大项目集中开工 names the batch'),
 (r'【5】G', 'name (5G)'),
 (r'何【一】舟', 'personal name (何一舟)'),
 (r'星期【四】', 'weekday (星期四)'),
 (r'第【3】版', 'page number (第3版)'),
 (r'代码：【\d+】', 'code (stock code)'),
 (r'编号：【2026】|【-011】', 'code (announcement number 2026-011)'),
 (r'每【10】股', 'rate basis (每10股派发…: per 10 shares), not a count of shares'),
 (r'【14\.6】亿平方米|【亿】平方米|年产【8】亿', 'product quantity in 平方米 of membrane (shipments / capacity), not land or floor area'),
 (r'【20\d\d】年(末|度)?', 'year (date or period word, not a figure)'),
 (r'【\d{1,2}】月|月【\d{1,2}】日', 'date (month / day)'),
]
out = subprocess.run([sys.executable, os.path.join(ROOT, 'tools', 'sweep.py')], capture_output=True, text=True).stdout
rows = ['doc\toffset\ttoken\tcontext\treason']
bad = 0
for line in out.splitlines():
    doc, off, tok, ctx = line.split('\t')
    reason = next((r for pat, r in RULES if re.search(pat, ctx)), None)
    if reason is None: bad += 1; reason = '??? UNSORTED'
    rows.append('\t'.join([doc, off, tok, ctx, reason]))
open(os.path.join(ROOT, 'excluded.tsv'), 'w', encoding='utf-8').write('\n'.join(rows) + '\n')
print(len(rows) - 1, 'excluded numerals,', bad, 'unsorted')
