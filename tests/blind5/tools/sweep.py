# List every Arabic digit run and Chinese numeral run not covered by a gold surface (for the exclusion pass).
import json, sys, os, re, glob
sys.path.insert(0, os.path.dirname(__file__))
from common import clean_text, CN_CHARS
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NUMCH = '0-9０-９,.．'
for gp in sorted(glob.glob(f'{ROOT}/gold/*.jsonl')):
    rows = [json.loads(l) for l in open(gp, encoding='utf-8')]
    clean = clean_text(open(f"{ROOT}/docs/{rows[0]['file']}", encoding='utf-8').read())
    covered = [False] * len(clean)
    pos = 0
    for d in rows:
        s = d['surface']
        while True:
            i = clean.find(s, pos)
            if i > 0 and re.match('[' + NUMCH + CN_CHARS + ']', clean[i-1]): pos = i + 1; continue
            break
        for k in range(i, i + len(s)): covered[k] = True
        pos = i + len(s)
    print('==', os.path.basename(gp), len(rows))
    for m in re.finditer(r'[0-9０-９][0-9０-９,.．]*|[' + CN_CHARS + ']+', clean):
        if not all(covered[m.start():m.end()]):
            ctx = (clean[max(0, m.start()-8):m.start()] + '【' + m.group() + '】' + clean[m.end():m.end()+8]).replace('\n', '⏎')
            print(f'  {m.group()}\t{ctx}')
