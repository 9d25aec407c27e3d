# List every Arabic digit run and Chinese numeral run not covered by a gold surface (uses offsets/).
import json, sys, os, re, glob
sys.path.insert(0, os.path.dirname(__file__))
from common import CN_CHARS
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
def uncovered():
    for op in sorted(glob.glob(f'{ROOT}/offsets/*.offsets.jsonl')):
        stem = os.path.basename(op)[:-len('.offsets.jsonl')]
        text = open(f'{ROOT}/docs/{stem}.txt', encoding='utf-8').read()
        cov = [False] * len(text)
        for l in open(op, encoding='utf-8'):
            o = json.loads(l)
            for k in range(o['char_start'], o['char_end']): cov[k] = True
        for m in re.finditer(r'[0-9０-９][0-9０-９,.．:：\-]*[0-9]|[0-9０-９]|[' + CN_CHARS + ']+', text):
            if not all(cov[m.start():m.end()]):
                ctx = (text[max(0, m.start()-10):m.start()] + '【' + m.group() + '】' + text[m.end():m.end()+10]).replace('\n', '⏎')
                yield stem, m.start(), m.group(), ctx
if __name__ == '__main__':
    for r in uncovered(): print('\t'.join(map(str, r)))
