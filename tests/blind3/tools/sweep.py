# List every Arabic digit run, Chinese numeral run and circled number not covered by a gold surface (offsets file).
import json, sys, os, re, glob
sys.path.insert(0, os.path.dirname(__file__))
from common import CN_CHARS
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for gp in sorted(glob.glob(f'{ROOT}/gold/*.offsets.jsonl')):
    offs = [json.loads(l) for l in open(gp, encoding='utf-8')]
    doc = json.loads(open(gp.replace('.offsets', ''), encoding='utf-8').readline())['file']
    raw = open(f'{ROOT}/docs/{doc}', encoding='utf-8').read()
    cov = [False] * len(raw)
    for o in offs:
        for k in range(o['char_start'], o['char_end']): cov[k] = True
    for m in re.finditer(r'-?[0-9０-９][0-9０-９,.．]*|[' + CN_CHARS + r']+|[①-⑳]', raw):
        if not all(cov[m.start():m.end()]):
            ctx = (raw[max(0, m.start()-8):m.start()] + '【' + m.group() + '】' + raw[m.end():m.end()+8]).replace('\n', '⏎')
            print(f'{doc}\t{m.start()}\t{m.group()}\t{ctx}')
