# blind18 validator: blind16's, plus Markdown rows (outer pipes, |---| separator) and full-width ％.
# blind16 validator: blind15's, plus one cell per TAB (two-line TAB headers) and transposed tables (places as column headers = subjects).
# blind15 validator: blind14's, plus 万标箱 count columns (x1e4) and a minus kept inside the surface of a level cell.
# blind14 validator: blind13's, plus two-line table headers, a unit in the caption (单位：…), and no subject on a 合计 row.
# blind13 validator: blind12's, plus a 单位 column as the unit source of bare cells, and 项目名称 header rows.
# blind12 validator: blind11's, plus pipe-row cells and stacked table blocks (each block has its own header row).
# blind11 validator: blind10's, plus cells of TAB / multi-space tables (unit from the column header or row label; period_text from the header row or the caption).
# blind10 validator (blind9's; table lines may also be 'a|b|c' rows, and a caption may be a line ending in '：'). blind9: (blind8's, adapted from tests/blind2/tools/validate.py; adds the table-caption lead). Usage: python3 tools/validate.py [-w] [root]
import json, sys, os, re, datetime, glob
sys.path.insert(0, os.path.dirname(__file__))
from common import clean_text, sentences, paragraphs, parse_number, unit_factor, range_high, CN_CHARS, SEP, is_cell_row, UNIT_IN, header_index, header_cells, CAP_UNIT, cells as row_cells, col_of, is_md, MDSEP
args = [a for a in sys.argv[1:] if not a.startswith('-')]
WARN = '-w' in sys.argv
ROOT = args[0] if args else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEYS = ["file","kind","value","unit","surface","number_text","unit_text","counter","qualifier","metric","subject",
        "sentence","indicator","relation","period_start","period_end","period_text","modality"]
ref = json.loads(open('/work/main/tests/gold/000_3c889a2ed9e660c4.jsonl', encoding='utf-8').readline())
assert list(ref.keys()) == KEYS, list(ref.keys())
KU = {'area': {'m2'}, 'count': {'count'}, 'percent': {'percent','pp'}}
CUR = {'CNY','USD','HKD','EUR'}
NUMC = '0-9０-９,.．' + CN_CHARS
errs = []; warns = []
def err(f, i, m): errs.append(f"{f}#{i}: {m}")
def warn(f, i, m): warns.append(f"{f}#{i}: {m}")
total = 0
golds = sorted(glob.glob(f'{ROOT}/gold/*.jsonl'))
docs = sorted(glob.glob(f'{ROOT}/docs/*.txt'))
if sorted(os.path.splitext(os.path.basename(g))[0] for g in golds) != sorted(os.path.splitext(os.path.basename(d))[0] for d in docs):
    errs.append('gold and docs do not pair up')
QW = [('不低于','over'),('不超过','under'),('超过','over'),('突破','over'),('以上','over'),('以内','under'),('不足','under'),('不到','under'),
      ('左右','approx'),('约','approx'),('近','approx'),('逾','over'),('超','over'),('以下','under')]
TABLE = re.compile(r'^(?!附表)(?:[^，。；：|]{2,40}：[^。]+|[^。；：]*\|[^。]*)$')  # blind10: '指标：值' lines (non-empty value) or 'a|b|c' rows
TW = ['目标','力争','确保','预计','预期','到20','将','达产后','拟','计划']
for gp in golds:
    name = os.path.basename(gp); stem = name[:-len('.jsonl')]
    rows = [json.loads(l) for l in open(gp, encoding='utf-8') if l.strip()]
    op = f'{ROOT}/offsets/{stem}.offsets.jsonl'
    offs = [json.loads(l) for l in open(op, encoding='utf-8') if l.strip()] if os.path.exists(op) else []
    if len(offs) != len(rows): err(name, -1, f'offsets lines {len(offs)} != gold lines {len(rows)}')
    doc = rows[0]['file']
    raw = open(f'{ROOT}/docs/{doc}', encoding='utf-8').read()
    clean = clean_text(raw)
    if clean != raw: err(name, -1, 'document is not in cleaned form')
    nows = re.sub(r'\s', '', clean)
    sents = sentences(clean); stexts = [t for a, b, t in sents]
    paras = paragraphs(clean)
    last = -1
    for i, d in enumerate(rows):
        total += 1
        if list(d.keys()) != KEYS: err(name, i, 'keys'); continue
        if d['file'] != doc or os.path.splitext(doc)[0] != stem: err(name, i, 'file')
        k, u = d['kind'], d['unit']
        # blind11 (new): a table cell without its own unit takes the unit of its column header, else of its row label
        ut = d['unit_text']; cellhead = ''; colhead = None
        if ut == '' and i < len(offs):
            a0 = offs[i]['char_start']; ls = clean.rfind('\n', 0, a0) + 1; le = clean.find('\n', a0); le = len(clean) if le < 0 else le
            line = clean[ls:le]; L = clean.split('\n'); li = clean.count('\n', 0, a0)
            if not is_cell_row(line): err(name, i, 'no unit_text outside a table row')
            else:
                kk = header_index(L, li)
                header = L[kk]; cellhead = header + '\n' + (L[kk-1] if kk > 0 else '')
                col = col_of(line, a0-ls); cells = row_cells(line); hcells = header_cells(L, kk)   # blind14: two-line headers
                if col >= len(cells) or d['surface'] not in (cells[col], cells[col].lstrip('-')): err(name, i, 'surface is not a whole cell')
                elif cells[col].startswith('-') and not (d['relation'] == 'decrease' or d['value'] < 0): err(name, i, 'minus cell neither decrease nor negative')
                hu = UNIT_IN.findall(hcells[col]) if col < len(hcells) else []
                # blind16 (new): a transposed table (places as columns, units in the row labels): the subject is the column header
                colhead = hcells[col] if col < len(hcells) else ''
                if not hu and hcells[0] == '指标' and col > 0 and d['subject'] != ('' if colhead in ('全市', '全省', '全县', '合计') else colhead):
                    err(name, i, f'cell under column {colhead} has subject {d["subject"]!r}')
                lu = UNIT_IN.findall(cells[0])
                # blind13 (new): a 单位 column gives the unit of the row's bare cells when the column header has none
                uc = [cells[hcells.index('单位')]] if ('单位' in hcells and hcells.index('单位') < len(cells) and not hu) else []
                # blind14 (new): a unit stated in the caption above the header row ('（单位：亿元）') is the last resort
                cu = CAP_UNIT.findall(L[kk-1]) if kk > 0 else []
                ut = (hu or uc or lu or cu or [''])[-1]
                if d['kind'] != 'count' and cells[0] in ('合计', '总计') and d['subject']: err(name, i, 'total row with a subject')
                if not ut: err(name, i, 'table cell without a unit in header or label')
                if k == 'count' and d['counter'] not in (ut, ut[1:] if ut.startswith('万') else None): err(name, i, 'counter != unit of the table cell')
                if k == 'count' and ut.startswith('万') and d['counter'] == ut[1:]: ut = '万'   # blind15: 万标箱 column, valued x1e4
                if k == 'percent' and ut not in ('%', '％'): err(name, i, 'percent cell not under (%)')
        # blind18 (new): a surface that carries its own unit inside a table row lies within one cell; the rest of the cell
        # may only be a qualifier (以上 …) or a change word (增加/减少); a Markdown row has as many cells as its header row
        if d['unit_text'] and i < len(offs) and is_cell_row(d['sentence']):
            a0 = offs[i]['char_start']; ls = clean.rfind('\n', 0, a0) + 1; le = clean.find('\n', a0); le = len(clean) if le < 0 else le
            line = clean[ls:le]; col = col_of(line, a0-ls); cl = row_cells(line)
            if col >= len(cl) or d['surface'] not in cl[col]: err(name, i, 'unit-carrying surface is not inside one cell')
            else:
                rest = cl[col].replace(d['surface'], '', 1)
                if rest not in ('', '以上', '以下', '左右', '约', '超', '近', '增加', '减少', '上升', '下降'): err(name, i, f'cell text around the surface: {rest!r}')
                if rest in ('增加', '上升') and d['relation'] != 'increase': err(name, i, 'cell says 增加 but relation is not increase')
                if rest in ('减少', '下降') and d['relation'] != 'decrease': err(name, i, 'cell says 减少 but relation is not decrease')
                if rest == '以上' and d['qualifier'] != 'over': err(name, i, 'cell says 以上 but qualifier is not over')
        if i < len(offs) and is_md(d['sentence']):
            L = clean.split('\n'); li = clean.count('\n', 0, offs[i]['char_start']); kk = header_index(L, li)
            if len(row_cells(L[li])) != len(row_cells(L[kk])): err(name, i, 'Markdown row and header differ in cell count')
            if not (kk + 1 < len(L) and MDSEP.match(L[kk+1])): err(name, i, 'Markdown table without a |---| row under its header')
        if k not in ('investment','money','area','count','percent'): err(name, i, 'kind')
        if k in ('investment', 'money'):
            if u not in CUR: err(name, i, f'unit {u} for {k}')
            exp = 'USD' if '美元' in ut else 'HKD' if '港元' in ut else 'EUR' if '欧元' in ut else 'CNY'
            if u != exp: err(name, i, f'currency {u} vs {ut}')
        elif u not in KU.get(k, ()): err(name, i, f'unit {u} for {k}')
        if k == 'area' and not any(x in ut for x in ('平方米','平方公里','公顷','亩')): err(name, i, 'area unit_text')
        if k in ('investment','money') and '元' not in ut: err(name, i, 'money unit_text')
        if (k == 'count') != bool(d['counter']): err(name, i, 'counter')
        if k == 'count' and d['unit_text'] and d['counter'] != d['unit_text']: err(name, i, 'counter!=unit_text')
        if k == 'percent' and (u == 'pp') != (ut == '个百分点'): err(name, i, 'pp')
        if k == 'percent' and ut not in ('%','％','个百分点','百分之'): err(name, i, 'percent unit_text')
        s = d['surface']
        if d['unit_text'] == '百分之':
            if s != '百分之' + d['number_text']: err(name, i, 'surface split 百分之')
        else:
            inner = s[len(d['number_text']):len(s)-len(d['unit_text'])]
            if not (s.startswith(d['number_text']) and s.endswith(d['unit_text']) and inner in ('', '余', '多')):
                err(name, i, f'surface split {s}')
            if inner and d['qualifier'] != 'over': err(name, i, 'inner 余/多 but not over')
        try: n = parse_number(d['number_text'])
        except Exception: err(name, i, f'number_text does not parse: {d["number_text"]}'); n = 0
        try: f = (1e4 if ut == '万' else 1) if k == 'count' else unit_factor(ut)
        except KeyError: err(name, i, f'unknown unit {ut}'); f = 1
        if abs(n * f - d['value']) > 1e-6 * max(1, abs(d['value'])): err(name, i, f'value {d["value"]} vs {n*f}')
        if d['qualifier'] not in ('exact','approx','over','under','range'): err(name, i, 'qualifier')
        isr = any(c in d['number_text'] for c in '至—~')
        if (d['qualifier'] == 'range') != isr: err(name, i, 'range')
        if d['relation'] not in ('level','increase','decrease','share'): err(name, i, 'relation')
        if d['modality'] not in ('actual','target'): err(name, i, 'modality')
        # offsets
        if i < len(offs):
            o = offs[i]
            if o.get('n') != i or o.get('surface') != s: err(name, i, 'offsets line misaligned')
            a, b = o['char_start'], o['char_end']
            if clean[a:b] != s: err(name, i, f'surface not at offsets: {clean[a:b]!r}')
            if a <= last: err(name, i, 'offsets not in order')
            last = a
            if a > 0 and re.match('[' + NUMC + ']', clean[a-1]) and not s.startswith('百分之'): err(name, i, 'starts inside a number')
            if b < len(clean) and re.match('[0-9０-９]', clean[b]): err(name, i, 'ends inside a number')
            st = next((t for x, y, t in sents if x <= a < y), None)
            if st != d['sentence']: err(name, i, 'sentence at offsets differs')
            hi = range_high(d['number_text'])
            if isr:
                if hi is None or o['value_high'] is None or abs(hi * f - o['value_high']) > 1e-6 * abs(hi * f): err(name, i, 'value_high')
            elif o['value_high'] is not None: err(name, i, 'value_high on non-range')
            # warnings: qualifier words near the surface
            if WARN:
                ctx_b = clean[max(0, a-4):a]; ctx_a = clean[b:b+3]
                found = None
                for w, q in QW:
                    if ctx_b.endswith(w) or ctx_a.startswith(w) or (w in ('约','近','超','逾','突破','不低于','超过','不超过') and w in ctx_b[-3:]):
                        found = (w, q); break
                if found and found[1] != d['qualifier']: warn(name, i, f'qualifier word {found[0]} near {s} but {d["qualifier"]}')
                if not found and d['qualifier'] not in ('exact', 'range'): warn(name, i, f'{d["qualifier"]} without a qualifier word near {s}')
                if d['modality'] == 'actual' and any(w in d['sentence'] for w in TW): warn(name, i, f'target word in sentence of actual {s}')
        if d['sentence'] not in stexts: err(name, i, 'sentence not a cleaned sentence')
        if s not in d['sentence']: err(name, i, 'surface not in sentence')
        for fld in ('metric','subject','indicator','period_text'):
            if d[fld] and d[fld] not in nows: err(name, i, f'{fld} not in text: {d[fld]}')
        if d['metric'] and d['metric'] not in d['sentence']: err(name, i, f'metric not in sentence: {d["metric"]}')
        if d['subject'] and d['subject'] not in d['sentence'] and d['subject'] != colhead: err(name, i, f'subject not in sentence: {d["subject"]}')   # blind16: or the column header of a transposed table
        ps, pe = d['period_start'], d['period_end']
        try:
            A = datetime.date.fromisoformat(ps) if ps else None; B = datetime.date.fromisoformat(pe) if pe else None
            if (ps and len(ps) != 10) or (pe and len(pe) != 10): err(name, i, 'date format')
            if A and B and A > B: err(name, i, 'start > end')
        except Exception as e:
            err(name, i, f'date {e}')
        if (ps or pe) and not d['period_text']: err(name, i, 'date without period_text')
        if d['period_text']:
            para = next((t for x, y, t in paras if d['sentence'] in t), None)
            first = [t for t in stexts if t in para][0] if para else ''
            cap = ''
            # blind9 (new): a table line "指标：…" takes its time word from the caption line "附表：…" above its block
            pi = next((k for k, (x, y, t) in enumerate(paras) if d['sentence'] in t), None)
            if pi is not None and TABLE.match(paras[pi][2]):
                k = pi - 1
                while k >= 0 and TABLE.match(paras[k][2]): k -= 1
                if k >= 0 and (paras[k][2].startswith('附表') or paras[k][2].endswith('：')): cap = paras[k][2]  # blind10: caption ending in ：
            if is_cell_row(d['sentence']) and i < len(offs):   # blind11 (new): a cell row takes its time word from its header row or caption
                a0 = offs[i]['char_start']; L = clean.split('\n'); kk = header_index(L, clean.count('\n', 0, a0))
                cap = L[kk] + '\n' + (L[kk-1] if kk > 0 else '')
            if d['period_text'] not in d['sentence'] and d['period_text'] not in first and d['period_text'] not in cap:
                err(name, i, f'period_text not in sentence, paragraph lead or table caption: {d["period_text"]}')
        if d['relation'] != 'level' and not d['indicator']: err(name, i, 'change/share without indicator')
        if d['value'] < 0 and d['relation'] != 'level': err(name, i, 'signed change')
        if d['unit'] == 'pp' and d['relation'] == 'level': err(name, i, 'pp as level')
        if d['relation'] == 'level' and d['metric'] in ('增长','下降','提高','增加','减少','上涨','降低','年均增长'): err(name, i, 'change word metric on a level')
print(f'{total} lines checked, {len(errs)} errors, {len(warns)} warnings')
for e in errs: print('  E', e)
for w in warns: print('  W', w)
sys.exit(1 if errs else 0)
