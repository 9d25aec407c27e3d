# blind15: a count cell under a column unit 万X (万标箱) is valued x1e4 with counter X.
# blind11: blind10's build.py plus the option u= (unit of a table cell, from its header or row label).
# blind9 (copied from blind8): expand hand-typed .ann lines into gold JSONL and offsets (mechanical work only).
# Adapted from tests/blind2/tools/build.py: adds 百分之 surfaces, offsets/ output and value_high.
import json, re, sys, os
sys.path.insert(0, os.path.dirname(__file__))
from common import *
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KIND = {'i':'investment','m':'money','a':'area','c':'count','p':'percent'}
REL = {'l':'level','i':'increase','d':'decrease','s':'share'}
QUAL = {'e':'exact','a':'approx','o':'over','u':'under','r':'range'}
NUMCH = '0-9０-９,.．' + CN_CHARS

def split_surface(surface, kind):
    if surface.startswith('百分之'):
        return surface[3:], '', '百分之'
    s = surface
    m = re.match(r'^([-负]?[0-9０-９][0-9０-９,.．]*(?:(?:至|—|~|-)[0-9０-９][0-9０-９,.．]*)?|[-负]?[' + CN_CHARS + r']+)', s)
    nt = m.group(1)
    rest = s[len(nt):]
    if kind != 'count':
        mm = re.match(r'^(.*?)(万亿|亿|万)$', nt)
        if mm and mm.group(1) and not ('亿' in mm.group(1) and mm.group(2) == '万') and (rest.startswith('元') or rest.startswith('美元') or rest.startswith('平方米') or rest.startswith('亩')):
            nt, rest = mm.group(1), mm.group(2) + rest
    if kind == 'count' and rest[:1] in ('万', '亿') and re.match('[-0-9０-９]', nt):
        nt, rest = nt + rest[0], rest[1:]
    inner = ''
    if rest[:1] in ('余', '多'):
        inner = rest[0]; rest = rest[1:]
    return nt, inner, rest

def build(annpath):
    lines = open(annpath, encoding='utf-8').read().split('\n')
    st = {'sub':'', 'per':None, 'mod':'actual', 'file':None}
    out = []
    for ln in lines:
        ln = ln.rstrip()
        if not ln or ln.startswith('#'): continue
        if ln.startswith('@'):
            key, _, val = ln[1:].partition(' ')
            val = val.strip()
            if key == 'per': st['per'] = None if val in ('', '-') else val
            elif key == 'mod': st['mod'] = {'a':'actual','t':'target'}.get(val, val)
            else: st[key] = val
            continue
        parts = [p.strip() for p in ln.split('|')]
        while len(parts) < 6: parts.append('')
        surface, k, metric, ind, rel, opts = parts[:6]
        o = {}
        for tok in opts.split():
            a, _, b = tok.partition('=')
            o[a] = b
        kind = KIND[k]
        nt, inner, ut = split_surface(surface, kind)
        if 'u' in o:   # blind11 (new): a table cell whose unit is in its column header or row label
            nt, inner, ut = surface, '', ''
        if kind == 'count' and 'u' in o:
            unit = 'count'; counter = o['u']; f = 1
            if counter.startswith('万') and len(counter) > 1: counter = counter[1:]; f = 1e4   # blind15: 万标箱 column
            val = parse_number(nt) * f
        elif 'u' in o:
            f = unit_factor(o['u']); counter = ''
            val = parse_number(nt) * f
            unit = {'percent':'percent','area':'m2'}.get(kind) or currency(o['u'])
        elif kind == 'count':
            unit = 'count'; val = parse_number(nt); counter = ut; f = 1
        else:
            f = unit_factor(ut); counter = ''
            val = parse_number(nt) * f
            if kind == 'percent': unit = 'pp' if ut == '个百分点' else 'percent'
            elif kind == 'area': unit = 'm2'
            else: unit = currency(ut)
        hi = range_high(nt)
        per = o['per'] if 'per' in o else st['per']
        if per in (None, '', '-'):
            ps = pe = None; pt = ''
        else:
            a, b, c = per.split(',')
            ps = None if a == '_' else a; pe = None if b == '_' else b; pt = c
        sub = o['sub'].replace('_', '') if 'sub' in o else st['sub']
        mod = {'a':'actual','t':'target'}.get(o.get('mod', ''), st['mod'])
        q = QUAL[o.get('q', 'e')]
        if metric == '_': metric = ''
        ind = metric if ind == '=' else ('' if ind == '_' else ind)
        out.append(dict(file=st['file'], kind=kind, value=float(f'{val:.15g}'), unit=unit, surface=surface,
            number_text=nt, unit_text=ut, counter=counter, qualifier=q, metric=metric, subject=sub,
            sentence=None, indicator=ind, relation=REL[rel],
            period_start=ps, period_end=pe, period_text=pt, modality=mod,
            _hi=None if hi is None else float(f'{hi*f:.15g}')))
    raw = open(f"{ROOT}/docs/{st['file']}", encoding='utf-8').read()
    clean = clean_text(raw)
    assert clean == raw, 'document not in cleaned form'
    sents = sentences(clean)
    pos = 0; offs = []
    for n, d in enumerate(out):
        s = d['surface']
        while True:
            i = clean.find(s, pos)
            if i < 0: raise SystemExit(f"not found in order: {s} after {pos} ({annpath})")
            before = clean[i-1] if i else ''
            if before and re.match('[' + NUMCH + ']', before) and not s.startswith('百分之'):
                pos = i + 1; continue
            break
        d['sentence'] = next(t for a, b, t in sents if a <= i < b)
        pos = i + len(s)
        offs.append(dict(n=n, surface=s, char_start=i, char_end=i+len(s), value_high=d.pop('_hi')))
    return st['file'], out, offs

if __name__ == '__main__':
    for ann in sys.argv[1:]:
        f, out, offs = build(ann)
        name = os.path.splitext(f)[0]
        with open(f"{ROOT}/gold/{name}.jsonl", 'w', encoding='utf-8') as fh:
            for d in out:
                fh.write(json.dumps(d, ensure_ascii=False) + '\n')
        with open(f"{ROOT}/offsets/{name}.offsets.jsonl", 'w', encoding='utf-8') as fh:
            for d in offs:
                fh.write(json.dumps(d, ensure_ascii=False) + '\n')
        print(name, len(out))
