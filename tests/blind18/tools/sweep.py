# blind11: tabs in the context are shown as ⇥ (TAB tables) so excluded.tsv stays a TSV.
# List every Arabic digit run and Chinese numeral run not inside a gold surface (uses offsets/).
import json, sys, os, re, glob
sys.path.insert(0, os.path.dirname(__file__))
from common import CN_CHARS
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
def uncovered():
    for gp in sorted(glob.glob(f'{ROOT}/gold/*.jsonl')):
        stem = os.path.basename(gp)[:-6]
        rows = [json.loads(l) for l in open(gp, encoding='utf-8')]
        text = open(f"{ROOT}/docs/{rows[0]['file']}", encoding='utf-8').read()
        cov = [False] * len(text)
        for l in open(f'{ROOT}/offsets/{stem}.offsets.jsonl', encoding='utf-8'):
            o = json.loads(l)
            for k in range(o['char_start'], o['char_end']): cov[k] = True
        for m in re.finditer(r'[0-9０-９][0-9０-９,.．]*|[' + CN_CHARS + ']+|[①-⑳]', text):   # blind18: circled numerals too
            if not all(cov[m.start():m.end()]):
                ctx = (text[max(0, m.start()-10):m.start()] + '【' + m.group() + '】' + text[m.end():m.end()+10]).replace('\n', '⏎').replace('\t', '⇥')
                yield stem, m.start(), m.group(), ctx
if __name__ == '__main__':
    for t in uncovered(): print('\t'.join(map(str, t)))
