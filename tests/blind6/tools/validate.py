# Validator for /work/blind6 (independent recomputation; does not reuse build.py's decisions).
import json, sys, os, re, datetime, glob
sys.path.insert(0, os.path.dirname(__file__))
from common import clean_text, sentences, paragraphs, parse_number, unit_factor, CN_CHARS
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEYS = ["file","kind","value","unit","surface","number_text","unit_text","counter","qualifier","metric","subject",
        "sentence","indicator","relation","period_start","period_end","period_text","modality"]
ref = json.loads(open('/work/main/tests/gold/000_3c889a2ed9e660c4.jsonl', encoding='utf-8').readline())
assert list(ref.keys()) == KEYS, list(ref.keys())
CUR = {'美元':'USD','港元':'HKD','欧元':'EUR','元':'CNY'}
AREA_U = {'平方米','万平方米','亿平方米','平方公里','公顷','万公顷','亩','万亩'}
QW = {'approx': ['约','左右','近','大约','上下'], 'over': ['超过','以上','逾','突破','超','余','多'], 'under': ['不足','不到','以下','不超过','以内']}
TARGET_WORDS = ['预期目标','力争','预计','目标','确保','将','到20','拟','达产后','建成后','投产后']
WARN = '-w' in sys.argv
errs = []; warns = []
def err(f, i, m): errs.append(f"{f}#{i}: {m}")
def warn(f, i, m): warns.append(f"{f}#{i}: {m}")
NUMCH = '0-9０-９,.．' + CN_CHARS + '点'
total = 0
golds = sorted(glob.glob(f'{ROOT}/gold/*.jsonl'))
docs = sorted(os.path.splitext(os.path.basename(d))[0] for d in glob.glob(f'{ROOT}/docs/*.txt'))
if [os.path.splitext(os.path.basename(g))[0] for g in golds] != docs: errs.append('docs and gold files differ')
for gp in golds:
    name = os.path.basename(gp); stem = os.path.splitext(name)[0]
    rows = [json.loads(l) for l in open(gp, encoding='utf-8') if l.strip()]
    offp = f'{ROOT}/offsets/{stem}.offsets.jsonl'
    offs = [json.loads(l) for l in open(offp, encoding='utf-8') if l.strip()] if os.path.exists(offp) else []
    if len(offs) != len(rows): err(name, -1, f'offsets lines {len(offs)} != gold lines {len(rows)}')
    doc = stem + '.txt'
    raw = open(f'{ROOT}/docs/{doc}', encoding='utf-8').read()
    clean = clean_text(raw)
    if clean != raw: err(name, -1, 'raw document is not in cleaned form')
    nows = re.sub(r'\s', '', clean)
    sents = sentences(clean)
    paras = paragraphs(clean)
    last_end = -1
    for i, d in enumerate(rows):
        total += 1
        if list(d.keys()) != KEYS:
            err(name, i, 'keys'); continue
        if d['file'] != doc: err(name, i, 'file')
        k, u, s, nt, ut = d['kind'], d['unit'], d['surface'], d['number_text'], d['unit_text']
        # offsets
        o = offs[i] if i < len(offs) else None
        if o is None: err(name, i, 'no offsets line'); continue
        if o.get('n') != i or o.get('surface') != s: err(name, i, 'offsets n/surface mismatch')
        a, b = o['char_start'], o['char_end']
        if raw[a:b] != s: err(name, i, f'surface not at offsets: {raw[a:b]!r} vs {s!r}')
        if a <= last_end: err(name, i, 'offsets not in order')
        last_end = a
        if a > 0 and re.match('[' + NUMCH + ']', raw[a-1]): err(name, i, 'surface starts inside a number')
        if b < len(raw) and re.match('[0-9]', raw[b]): err(name, i, 'surface ends inside a number')
        sent = next((t for x, y, t in sents if x <= a < y), None)
        if sent != d['sentence']: err(name, i, 'sentence at offsets differs from gold sentence')
        # kind / unit
        if k in ('investment', 'money'):
            cur = next((c for key, c in CUR.items() if ut.endswith(key) or ut.endswith(key + '人民币')), None)
            if cur is None or u != cur: err(name, i, f'currency {u} vs unit_text {ut}')
        elif k == 'area':
            if u != 'm2' or ut not in AREA_U: err(name, i, f'area unit {u}/{ut}')
        elif k == 'count':
            if u != 'count' or d['counter'] != ut or not ut: err(name, i, 'count unit/counter')
        elif k == 'percent':
            exp = 'pp' if ut == '个百分点' else 'percent'
            if ut not in ('%', '个百分点', '百分之') or u != exp: err(name, i, f'percent unit {u}/{ut}')
        else: err(name, i, f'kind {k}')
        if k != 'count' and d['counter']: err(name, i, 'counter on non-count')
        # surface split
        if ut == '百分之':
            if s != ut + nt: err(name, i, 'surface split 百分之')
        else:
            inner = s[len(nt):len(s)-len(ut)]
            if not (s.startswith(nt) and s.endswith(ut) and inner in ('', '余', '多')): err(name, i, f'surface split {s}')
            if inner and d['qualifier'] != 'over': err(name, i, 'inner 余/多 but not over')
        # value
        n = parse_number(nt)
        f = 1 if k == 'count' else unit_factor(ut)
        if abs(n * f - d['value']) > 1e-6 * max(1, abs(d['value'])): err(name, i, f'value {d["value"]} vs {n*f}')
        is_range = any(c in nt for c in '至—~')
        if (d['qualifier'] == 'range') != is_range: err(name, i, 'range qualifier')
        vh = o.get('value_high')
        if is_range:
            hi = parse_number(nt, high=True) * f
            if vh is None or abs(vh - hi) > 1e-6 * max(1, hi): err(name, i, f'value_high {vh} vs {hi}')
        elif vh is not None: err(name, i, 'value_high on non-range')
        if d['qualifier'] not in ('exact','approx','over','under','range'): err(name, i, 'qualifier')
        if d['relation'] not in ('level','increase','decrease','share'): err(name, i, 'relation')
        if d['modality'] not in ('actual','target'): err(name, i, 'modality')
        if s not in d['sentence']: err(name, i, 'surface not in sentence')
        for fld in ('metric','subject','indicator','period_text'):
            if d[fld] and d[fld] not in nows: err(name, i, f'{fld} not in text: {d[fld]}')
        if d['metric'] and d['metric'] not in d['sentence']: err(name, i, f'metric not in sentence: {d["metric"]}')
        if d['subject'] and d['subject'] not in d['sentence']: err(name, i, f'subject not in sentence: {d["subject"]}')
        ps, pe = d['period_start'], d['period_end']
        try:
            da = datetime.date.fromisoformat(ps) if ps else None; db = datetime.date.fromisoformat(pe) if pe else None
            for x in (ps, pe):
                if x is not None and not re.fullmatch(r'\d{4}-\d\d-\d\d', x): err(name, i, 'date format')
            if da and db and da > db: err(name, i, 'start > end')
        except Exception as e:
            err(name, i, f'date {e}')
        if (ps or pe) and not d['period_text']: err(name, i, 'date without period_text')
        if d['period_text']:
            para = next(t for x, y, t in paras if x <= a < y)
            px = next(x for x, y, t in paras if x <= a < y)
            first = next(t for x, y, t in sents if x == px)
            if d['period_text'] not in d['sentence'] and d['period_text'] not in first:
                err(name, i, f'period_text not in sentence or paragraph lead: {d["period_text"]}')
        if d['relation'] != 'level' and not d['indicator']: err(name, i, 'change/share without indicator')
        if d['relation'] == 'level' and d['metric'] and d['indicator'] != d['metric'] and k != 'count': warn(name, i, f'level with indicator != metric ({d["indicator"]} / {d["metric"]})')
        if d['value'] < 0 and d['relation'] != 'level': err(name, i, 'signed change')
        if u == 'pp' and d['relation'] == 'level': err(name, i, 'pp as level')
        # warnings: qualifier words next to the surface, target words in actual sentences
        ctx_b, ctx_a = raw[max(0, a-3):a], raw[b:b+3]
        hits = sorted(((len(w), w, q) for q, ws in QW.items() for w in ws if ctx_b.endswith(w) or ctx_a.startswith(w)), reverse=True)
        if hits and hits[0][2] != d['qualifier'] and not (hits[0][1] in ('余','多') and d['qualifier'] == 'over'):
            warn(name, i, f'qualifier word {hits[0][1]} next to {s} but qualifier {d["qualifier"]}')
        if d['qualifier'] != 'exact' and d['qualifier'] != 'range' and not any((ctx_b.endswith(w) or ctx_a.startswith(w) or w in s) for w in QW[d['qualifier']]):
            warn(name, i, f'qualifier {d["qualifier"]} without a word next to {s}')
        if d['modality'] == 'actual':
            tw = [w for w in TARGET_WORDS if w in d['sentence']]
            if tw: warn(name, i, f'actual but sentence has {tw}: {s}')
print(f'{total} lines checked, {len(errs)} errors, {len(warns)} warnings')
for e in errs: print('  E', e)
if WARN:
    for w in warns: print('  W', w)
