# Validator for /work/blind2/gold (independent of the build script's output decisions).
import json, sys, os, re, datetime, glob
sys.path.insert(0, os.path.dirname(__file__))
from common import clean_text, sentences, paragraphs, parse_number, unit_factor, CN_CHARS
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEYS = ["file","kind","value","unit","surface","number_text","unit_text","counter","qualifier","metric","subject",
        "sentence","indicator","relation","period_start","period_end","period_text","modality"]
ref = json.loads(open('/work/main/tests/gold/000_3c889a2ed9e660c4.jsonl').readline())
assert list(ref.keys()) == KEYS, list(ref.keys())
KU = {'investment': None, 'money': None, 'area': {'m2'}, 'count': {'count'}, 'percent': {'percent','pp'}}
CUR = {'CNY','USD','HKD','EUR'}
errs = []
warns = []
def err(f, i, m): errs.append(f"{f}#{i}: {m}")
def iso(s):
    return datetime.date.fromisoformat(s)
total = 0
for gp in sorted(glob.glob(f'{ROOT}/gold/*.jsonl')):
    name = os.path.basename(gp)
    rows = [json.loads(l) for l in open(gp, encoding='utf-8') if l.strip()]
    doc = rows[0]['file']
    raw = open(f'{ROOT}/docs/{doc}', encoding='utf-8').read()
    clean = clean_text(raw); nows = re.sub(r'\s', '', clean)
    sents = [t for a, b, t in sentences(clean)]
    paras = paragraphs(clean)
    pos = 0
    if raw != clean: err(name, -1, 'raw text differs from cleaned text')
    op = f"{ROOT}/offsets/{os.path.splitext(name)[0]}.offsets.jsonl"
    offs = [json.loads(l) for l in open(op, encoding='utf-8') if l.strip()] if os.path.exists(op) else []
    if len(offs) != len(rows): err(name, -1, f'offsets lines {len(offs)} != gold lines {len(rows)}')
    sspans = sentences(clean)
    last_end = -1
    NUMC = '0-9０-９,.．' + CN_CHARS
    for i, d in enumerate(rows):
        if i < len(offs):
            o = offs[i]
            if list(o.keys()) != ['n','surface','char_start','char_end','value_high']: err(name, i, 'offsets keys')
            a, b = o['char_start'], o['char_end']
            if o['n'] != i or o['surface'] != d.get('surface'): err(name, i, 'offsets n/surface mismatch')
            if raw[a:b] != d.get('surface'): err(name, i, f'surface not at offsets: {raw[a:b]!r} vs {d.get("surface")!r}')
            if a < last_end: err(name, i, 'offsets out of order')
            last_end = b
            if a > 0 and re.match('[' + NUMC + ']', raw[a-1]): err(name, i, 'surface starts inside a number')
            if b < len(raw) and re.match('[0-9０-９]', raw[b]): err(name, i, 'surface ends inside a number')
            st = [t for x, y, t in sspans if x <= a < y]
            if not st or st[0] != d.get('sentence'): err(name, i, 'sentence at offsets != gold sentence')
            if (d.get('qualifier') == 'range') != (o['value_high'] is not None): err(name, i, 'value_high vs range')
            parts = re.split('至|—|~|-', d.get('number_text', '')[1:], maxsplit=1)
            if o['value_high'] is not None and len(parts) == 2:
                hi = parts[1]
                f = 1 if d['kind'] == 'count' else unit_factor(d['unit_text'])
                if abs(parse_number(hi) * f - o['value_high']) > 1e-6 * abs(o['value_high']): err(name, i, 'value_high wrong')
                if o['value_high'] <= d['value']: err(name, i, 'value_high <= value')
            # warnings
            ctx_b = raw[max(0, a-3):a]; ctx_a = raw[b:b+3]
            if re.search('约|近|逾|超|余|多|突破|不足|不到|以内|不超过', ctx_b) or re.match('左右|以上|以下|以内|余|多', ctx_a):
                if d.get('qualifier') == 'exact': warns.append(f'{name}#{i}: qualifier word near exact {d["surface"]}: {ctx_b}|{ctx_a}')
            if d.get('modality') == 'actual' and re.search('力争|预期|目标|预计|确保|到20\d\d年|将', d.get('sentence','')):
                warns.append(f'{name}#{i}: target word in sentence of actual {d["surface"]}')
        total += 1
        if list(d.keys()) != KEYS:
            err(name, i, 'keys'); continue
        if d['file'] != doc or os.path.splitext(doc)[0] != os.path.splitext(name)[0]: err(name, i, 'file')
        k, u = d['kind'], d['unit']
        if k in ('investment', 'money'):
            if u not in CUR: err(name, i, f'unit {u} for {k}')
        elif u not in KU[k]: err(name, i, f'unit {u} for {k}')
        if (k == 'count') != bool(d['counter']): err(name, i, 'counter')
        if k == 'count' and d['counter'] != d['unit_text']: err(name, i, 'counter!=unit_text')
        if k == 'percent' and (u == 'pp') != (d['unit_text'] == '个百分点'): err(name, i, 'pp')
        s = d['surface']
        inner = s[len(d['number_text']):len(s)-len(d['unit_text'])]
        if not (s.startswith(d['number_text']) and s.endswith(d['unit_text']) and inner in ('', '余', '多')):
            err(name, i, f'surface split {s}')
        if inner and d['qualifier'] != 'over': err(name, i, 'inner 余/多 but not over')
        if '亿' in d['number_text'] and d['unit_text'][:1] in '万亿' and not d['number_text'][:1].isdigit(): err(name, i, 'double scale word')
        if k in ('investment','money') and not (1e-3 <= abs(d['value']) <= 1e14): err(name, i, 'implausible money value')
        n = parse_number(d['number_text'])
        f = 1 if k == 'count' else unit_factor(d['unit_text'])
        if abs(n * f - d['value']) > 1e-6 * max(1, abs(d['value'])): err(name, i, f'value {d["value"]} vs {n*f}')
        if d['qualifier'] not in ('exact','approx','over','under','range'): err(name, i, 'qualifier')
        if (d['qualifier'] == 'range') != any(c in d['number_text'] for c in '至—~'): err(name, i, 'range')
        if d['relation'] not in ('level','increase','decrease','share'): err(name, i, 'relation')
        if d['modality'] not in ('actual','target'): err(name, i, 'modality')
        j = clean.find(s, pos)
        if j < 0: err(name, i, f'surface not in order: {s}')
        else: pos = j + len(s)
        if d['sentence'] not in sents: err(name, i, 'sentence not a cleaned sentence')
        if s not in d['sentence']: err(name, i, 'surface not in sentence')
        for fld in ('metric','subject','indicator','period_text'):
            if d[fld] and d[fld] not in nows: err(name, i, f'{fld} not in text: {d[fld]}')
        if d['metric'] and d['metric'] not in d['sentence']: err(name, i, f'metric not in sentence: {d["metric"]}')
        if d['subject'] and d['subject'] not in d['sentence']: err(name, i, f'subject not in sentence: {d["subject"]}')
        ps, pe = d['period_start'], d['period_end']
        if '-' in (ps or '') and len(ps) != 10 or '-' in (pe or '') and len(pe) != 10: err(name, i, 'date format')
        try:
            a = iso(ps) if ps else None; b = iso(pe) if pe else None
            if a and b and a > b: err(name, i, 'start > end')
        except Exception as e:
            err(name, i, f'date {e}')
        if (ps or pe) and not d['period_text']: err(name, i, 'date without period_text')
        if d['period_text']:
            para = next(t for a, b, t in paras if d['sentence'] in t)
            first = [t for t in sents if t in para][0]
            if d['period_text'] not in d['sentence'] and d['period_text'] not in first:
                err(name, i, f'period_text not in sentence or paragraph lead: {d["period_text"]}')
        if d['relation'] != 'level' and not d['indicator']: err(name, i, 'change/share without indicator')
        if d['value'] < 0 and d['relation'] != 'level': err(name, i, 'signed change')
        if d['kind'] == 'investment' and d['unit'] == 'pp': err(name, i, 'bad')
print(f'{total} lines checked, {len(errs)} errors, {len(warns)} warnings')
for e in errs: print(' ', e)
if '-w' in sys.argv:
    for w in warns: print(' W', w)
