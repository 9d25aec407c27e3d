# Sort every numeral not covered by a gold surface into an exclusion reason -> excluded.tsv.
# Rules typed by hand; matched on "left【token】right" context. Unsorted rows are reported.
import json, sys, os, re, glob
sys.path.insert(0, os.path.dirname(__file__))
from common import CN_CHARS
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RULES = [
 (r'【\d{4}】(年|-\d)', 'date or year'),
 (r'【\d{1,2}】—\d{1,2}月|【\d{1,2}】月|年【\d{1,2}】月|月【\d{1,2}】日|-【\d{1,2}】(-|｜)|—【\d{1,2}】月', 'date (month/day)'),
 (r'【二〇三五】年', 'year (二〇三五年)'),
 (r'星期【三】', 'weekday (星期三)'),
 (r'第【[一二三四五六七八九十]+】(届|次|章)', 'ordinal (第…届/次/章)'),
 (r'第【十五】个五年|十五个【五】年', 'plan name (第十五个五年规划)'),
 (r'“【十[四五]五】”', 'plan name (“十四五”/“十五五”)'),
 (r'⏎【[一二三四五]】、|（【[一二三]】）|（【\d{1,2}】）|专栏【1】', 'heading / list enumerator'),
 (r'【一】般|【零】售|【一】代|第【一】产业|【一】批', 'word containing a numeral, not a quantity (一般/零售/新一代/第一产业/一批)'),
 (r'过去【一】年|过去【五】年|【五】年累计', 'time expression (过去一年/过去五年/五年累计), not a figure'),
 (r'【[一二]】季度', 'period name (一季度/二季度)'),
 (r'【[一二]】期', 'phase name (一期/二期)'),
 (r'公里', 'length (公里), other dimension'),
 (r'【[0-9.]+】万吨|【万】吨', 'other dimension (万吨)'),
 (r'【\d+】GWh', 'other dimension (GWh capacity inside a project name)'),
 (r'收入比为【|缩小【', 'ratio (城乡居民收入比), no unit'),
 (r'【七】成', 'fraction (七成): not % or 百分之'),
 (r'【65】岁', 'age (65岁), not a figure'),
 (r'四舍五入|【四】舍|舍【五】入', 'idiom (四舍五入)'),
 (r'【亿】元以上', 'threshold class without a number (亿元以上)'),
 (r'世界【500】强', 'rank/name (世界500强)'),
 (r'【[百千十]亿】级', 'scale label (百亿级/十亿级/千亿级), no currency unit'),
 (r'周【一】鸣', 'person name (周一鸣)'),
 (r'建设期【18】个月', 'duration (18个月)'),
 (r'前【10】月', 'period (前10月)'),
]
rows = []; unsorted = 0
for gp in sorted(glob.glob(f'{ROOT}/gold/*.jsonl')):
    name = os.path.splitext(os.path.basename(gp))[0]
    text = open(f'{ROOT}/docs/{name}.txt', encoding='utf-8').read()
    covered = [False] * len(text)
    for l in open(f'{ROOT}/offsets/{name}.offsets.jsonl', encoding='utf-8'):
        o = json.loads(l)
        for k in range(o['char_start'], o['char_end']): covered[k] = True
    for m in re.finditer(r'[0-9０-９][0-9０-９,.．]*|[' + CN_CHARS + ']+', text):
        if all(covered[m.start():m.end()]): continue
        ctx = (text[max(0, m.start()-8):m.start()] + '【' + m.group() + '】' + text[m.end():m.end()+8]).replace('\n', '⏎')
        reason = next((r for pat, r in RULES if re.search(pat, ctx)), None)
        if not reason: unsorted += 1; reason = '??? UNSORTED'
        rows.append((name, str(m.start()), m.group(), ctx, reason))
with open(f'{ROOT}/excluded.tsv', 'w', encoding='utf-8') as fh:
    fh.write('doc\toffset\tnumeral\tcontext\treason\n')
    for r in rows: fh.write('\t'.join(r) + '\n')
print(f'{len(rows)} excluded numerals, {unsorted} unsorted')
for r in rows:
    if r[4].startswith('???'): print(' ', r)
