# Validator for /work/blind3/gold (independent of build.py's decisions; adapted from blind2's validate.py).
import json, sys, os, re, datetime, glob
sys.path.insert(0, os.path.dirname(__file__))
from common import clean_text, sentences, paragraphs, parse_number, unit_factor, CN_CHARS
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEYS = ["file","kind","value","unit","surface","number_text","unit_text","counter","qualifier","metric","subject",
        "sentence","indicator","relation","period_start","period_end","period_text","modality"]
ref = json.loads(open('/work/main/tests/gold/000_3c889a2ed9e660c4.jsonl', encoding='utf-8').readline())
assert list(ref.keys()) == KEYS, list(ref.keys())
OKEYS = ["n", "surface", "char_start", "char_end", "value_high"]
KU = {'area': {'m2'}, 'count': {'count'}, 'percent': {'percent','pp'}}
CUR = {'CNY','USD','HKD','EUR'}
DIG = '0-9０-９,.．' + CN_CHARS
errs, warns = [], []
def err(f, i, m): errs.append(f"{f}#{i}: {m}")
def warn(f, i, m): warns.append(f"{f}#{i}: {m}")
total = 0
for gp in sorted(glob.glob(f'{ROOT}/gold/*.jsonl')):
    if gp.endswith('.offsets.jsonl'): continue
    name = os.path.basename(gp)
    rows = [json.loads(l) for l in open(gp, encoding='utf-8') if l.strip()]
    offs = [json.loads(l) for l in open(gp.replace('.jsonl', '.offsets.jsonl'), encoding='utf-8') if l.strip()]
    if len(offs) != len(rows): err(name, -1, 'offsets file length')
    doc = rows[0]['file']
    raw = open(f'{ROOT}/docs/{doc}', encoding='utf-8').read()
    clean = clean_text(raw)
    if clean != raw: err(name, -1, 'document not in cleaned form')
    nows = re.sub(r'\s', '', clean)
    sents = sentences(clean); stexts = [t for a, b, t in sents]
    paras = paragraphs(clean)
    pos = 0; prev_end = -1
    for i, d in enumerate(rows):
        total += 1
        if list(d.keys()) != KEYS: err(name, i, 'keys'); continue
        o = offs[i]
        if list(o.keys()) != OKEYS or o['n'] != i or o['surface'] != d['surface']: err(name, i, 'offsets row')
        a, b = o['char_start'], o['char_end']
        if raw[a:b] != d['surface']: err(name, i, f'offsets {a}:{b} -> {raw[a:b]!r} != {d["surface"]!r}')
        if a <= prev_end: err(name, i, 'offsets not in order / overlapping')
        prev_end = b - 1
        if a > 0 and re.match('[' + DIG + ']', raw[a-1]): err(name, i, 'surface starts inside a number')
        sent = next((t for s0, s1, t in sents if s0 <= a < s1), None)
        if sent != d['sentence']: err(name, i, 'sentence at offsets differs')
        if d['file'] != doc or os.path.splitext(doc)[0] != os.path.splitext(name)[0]: err(name, i, 'file')
        k, u = d['kind'], d['unit']
        if k in ('investment', 'money'):
            if u not in CUR: err(name, i, f'unit {u} for {k}')
            cur = 'USD' if '美元' in d['unit_text'] else 'HKD' if '港元' in d['unit_text'] else 'EUR' if '欧元' in d['unit_text'] else 'CNY'
            if cur != u: err(name, i, f'currency {u} vs {d["unit_text"]}')
        elif k in KU:
            if u not in KU[k]: err(name, i, f'unit {u} for {k}')
        else: err(name, i, f'kind {k}')
        if (k == 'count') != bool(d['counter']): err(name, i, 'counter')
        if k == 'count' and d['counter'] != d['unit_text']: err(name, i, 'counter!=unit_text')
        if k == 'percent' and (u == 'pp') != (d['unit_text'] == '个百分点'): err(name, i, 'pp')
        s = d['surface']
        inner = s[len(d['number_text']):len(s)-len(d['unit_text'])]
        if not (s.startswith(d['number_text']) and s.endswith(d['unit_text']) and inner in ('', '余', '多')):
            err(name, i, f'surface split {s}')
        if inner and d['qualifier'] != 'over': err(name, i, 'inner 余/多 but not over')
        if not isinstance(d['value'], float): err(name, i, 'value not float')
        n = parse_number(d['number_text'])
        f = 1 if k == 'count' else unit_factor(d['unit_text'])
        exp = n * f
        if d['relation'] in ('increase', 'decrease'): exp = abs(exp)
        if abs(exp - d['value']) > 1e-6 * max(1, abs(d['value'])): err(name, i, f'value {d["value"]} vs {exp}')
        if d['qualifier'] not in ('exact','approx','over','under','range'): err(name, i, 'qualifier')
        isrange = bool(re.search('[0-9一二三四五六七八九十](至|—|~)', d['number_text']))
        if (d['qualifier'] == 'range') != isrange: err(name, i, 'range')
        if isrange:
            hi = re.split('至|—|~', d['number_text'])[1]
            if o['value_high'] is None or abs(parse_number(hi) * f - o['value_high']) > 1e-6 * o['value_high']: err(name, i, 'value_high')
        elif o['value_high'] is not None: err(name, i, 'value_high without range')
        if d['relation'] not in ('level','increase','decrease','share'): err(name, i, 'relation')
        if d['modality'] not in ('actual','target'): err(name, i, 'modality')
        j = clean.find(s, pos)
        if j < 0: err(name, i, f'surface not in order: {s}')
        else: pos = j + len(s)
        if d['sentence'] not in stexts: err(name, i, 'sentence not a cleaned sentence')
        if s not in d['sentence']: err(name, i, 'surface not in sentence')
        for fld in ('metric','subject','indicator','period_text'):
            if d[fld] and d[fld] not in nows: err(name, i, f'{fld} not in text: {d[fld]}')
        if d['metric'] and d['metric'] not in d['sentence']: err(name, i, f'metric not in sentence: {d["metric"]}')
        if d['subject'] and d['subject'] not in d['sentence']: err(name, i, f'subject not in sentence: {d["subject"]}')
        ps, pe = d['period_start'], d['period_end']
        try:
            for x in (ps, pe):
                if x is not None and (len(x) != 10 or not re.fullmatch(r'\d{4}-\d\d-\d\d', x)): err(name, i, 'date format')
            da = datetime.date.fromisoformat(ps) if ps else None; db = datetime.date.fromisoformat(pe) if pe else None
            if da and db and da > db: err(name, i, 'start > end')
        except Exception as e:
            err(name, i, f'date {e}')
        if (ps or pe) and not d['period_text']: err(name, i, 'date without period_text')
        if d['period_text']:
            para = next(t for p0, p1, t in paras if p0 <= a < p1)
            first = [t for t in stexts if t in para][0]
            if d['period_text'] not in d['sentence'] and d['period_text'] not in first:
                err(name, i, f'period_text not in sentence or paragraph lead: {d["period_text"]}')
        if d['relation'] != 'level' and not d['indicator']: err(name, i, 'change/share without indicator')
        if d['value'] < 0 and d['relation'] != 'level': err(name, i, 'signed change')
        # cross-checks against the words around the surface (warnings, reviewed by hand)
        before, after = raw[max(0, a-3):a], raw[b:b+3]
        q = d['qualifier']
        if re.search('(约|近|大约)$', before) or re.match('(左右|上下)', after):
            if q != 'approx': warn(name, i, f'approx word near surface, qualifier {q}')
        elif re.search('(超|逾|超过|突破)$', before) or re.match('(以上|多)', after):
            if q != 'over': warn(name, i, f'over word near surface, qualifier {q}')
        elif re.search('(不足|不到|不超过)$', before) or re.match('(以下|以内)', after):
            if q != 'under': warn(name, i, f'under word near surface, qualifier {q}')
        elif q not in ('exact', 'range') and not inner: warn(name, i, f'qualifier {q} without a word')
        if re.search('(力争|预计|目标|到20\d\d年|将)', d['sentence']) and d['modality'] != 'target':
            warn(name, i, f'target word in sentence but actual: {s}')
        if d['modality'] == 'target' and not re.search('(力争|预计|目标|到20\d\d年|将|预案)', d['sentence'] + first if d['period_text'] else d['sentence']):
            warn(name, i, f'target without a target word in sentence: {s}')
print(f'{total} lines checked, {len(errs)} errors, {len(warns)} warnings')
for e in errs: print('  ERR', e)
for w in warns: print('  warn', w)
