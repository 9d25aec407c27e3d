# Lay out cleaned paragraphs as a PDF text page: hard wraps at ~W characters, a running header and a page number
# line per page. A break is never placed inside a number or next to a unit (so no figure surface is split) and a
# line never starts with closing punctuation.
import sys
W = 33; PAGE = 13; FIRST_PAGE = 3
HEADER = '岭西市2025年水资源公报'
PROT = set('0123456789.,%万亿元平方公里米顷亩个百分点座处件名家人次所户份项宗批期轮辆套〇一二三四五六七八九十两千')
NOSTART = set('，。、；：）”％%')
def wrap(p):
    s = '\u3000\u3000' + p; out = []
    while len(s) > W:
        k = W
        while k > W - 16 and (s[k-1] in PROT or s[k] in PROT or s[k] in NOSTART):
            k -= 1
        out.append(s[:k]); s = s[k:]
    out.append(s)
    return out
paras = [l.rstrip('\n') for l in open(sys.argv[1], encoding='utf-8') if l.strip()]
lines = []
for p in paras: lines += wrap(p)
res = []; page = FIRST_PAGE
for i in range(0, len(lines), PAGE):
    res.append(HEADER); res += lines[i:i+PAGE]; res.append(f'— {page} —'); page += 1
open(sys.argv[2], 'w', encoding='utf-8').write('\n'.join(res) + '\n')
