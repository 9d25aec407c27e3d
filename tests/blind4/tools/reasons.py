# Sort every numeral not covered by a gold surface into excluded.tsv with a reason (rules checked by hand).
import json, sys, os, re, glob
sys.path.insert(0, os.path.dirname(__file__))
from common import clean_text, CN_CHARS
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NUMCH = '0-9０-９,.．'
RULES = [
    (r'^(0593|6287415|0731|8462209)$', None, 'phone number'),
    (None, r'^CH2026-07', 'plot code (name)'),
    (r'^[0-9]+$', r'^—[0-9]+月', 'month range (date)'),
    (None, r'^个月', 'duration in months (去化周期/近6个月), not a figure'),
    (None, r'^年期|^年，票面', 'duration (bond tenor)'),
    (None, r'^倍', 'multiple (认购倍数), not a figure'),
    (r'^2\.2$', None, 'plot ratio 容积率, not a figure'),
    (r'^500$', None, 'rank/name 世界500强'),
    (r'^十四五$', None, 'plan-period name “十四五” (period_text)'),
    (r'^一$', r'^般', '一 inside the word 一般'),
    (r'^零$', r'^售', '零 inside the word 零售'),
    (r'^一$', r'^核算', '一 inside the word 统一'),
    (r'^二$', r'^手', '二 inside the word 二手'),
    (r'^两$', r'^年平均', '两年平均: duration inside the label of a change'),
    (r'^亿$', r'^元以上', 'bare scale word in the class label 亿元以上项目, no number'),
    (None, r'^(年|月|日)', 'date / year / month'),
    (r'^三$', r'^季度', 'period name 前三季度'),
    (r'^[一二]$', r'^季度', 'period name 一季度/二季度'),
    (r'^一$', r'^期', 'phase name / ordinal (一期, 第一期)'),
    (r'^[一二三四五六]$', r'^(、|）|节|产业)', 'section number / enumerator / ordinal (第X产业, 第X节)'),
]
rows_out = ['doc\tchar_start\tnumeral\tcontext\treason']
unsorted = 0
for gp in sorted(glob.glob(f'{ROOT}/gold/*.jsonl')):
    rows = [json.loads(l) for l in open(gp, encoding='utf-8')]
    doc = rows[0]['file']
    clean = clean_text(open(f"{ROOT}/docs/{doc}", encoding='utf-8').read())
    offs = [json.loads(l) for l in open(f"{ROOT}/offsets/{os.path.basename(gp)[:-6]}.offsets.jsonl", encoding='utf-8')]
    covered = [False] * len(clean)
    for o in offs:
        for k in range(o['char_start'], o['char_end']): covered[k] = True
    for m in re.finditer(r'[0-9０-９][0-9０-９,.．]*|[' + CN_CHARS + ']+', clean):
        if all(covered[m.start():m.end()]): continue
        after = clean[m.end():m.end()+6]; before = clean[max(0, m.start()-1):m.start()]
        reason = None
        for rn, ra, why in RULES:
            if rn and not re.search(rn, m.group()): continue
            if ra and not re.search(ra, (m.group() if why.startswith('plot code') else '') + after if why.startswith('plot code') else after): continue
            reason = why; break
        if m.group() == '2026' and clean[m.start()-2:m.start()] == 'CH': reason = 'plot code (name)'
        if m.group() == '07' and clean[m.start()-1] == '-': reason = 'plot code (name)'
        if reason is None: reason = 'UNSORTED'; unsorted += 1
        ctx = (clean[max(0, m.start()-8):m.start()] + '【' + m.group() + '】' + clean[m.end():m.end()+8]).replace('\n', '⏎')
        rows_out.append(f'{doc[:-4]}\t{m.start()}\t{m.group()}\t{ctx}\t{reason}')
open(f'{ROOT}/excluded.tsv', 'w', encoding='utf-8').write('\n'.join(rows_out) + '\n')
print(f'{len(rows_out)-1} excluded numerals, {unsorted} unsorted')
