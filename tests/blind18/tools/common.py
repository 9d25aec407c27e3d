# blind18: Markdown pipe rows '|a|b|' (outer pipes stripped by cells()/col_of()); a '|---|' separator row is a cell row but never a header or sub-header.
# blind16: SEP splits at each single TAB (empty TAB cells keep their column).
# blind15: HEAD also knows 港区 (port table); count cells may carry 万 in the column unit (万标箱).
# blind14: is_header also knows 企业名称; sub_header finds a second header line (first cell empty); CAP_UNIT reads 单位：X from a caption.
# blind13: is_header also knows 项目名称.
# blind12: SEP also splits pipe rows 'a|b|c'; is_header marks a table's header row (first cell 项目/序号/区县/指标).
# blind11: clean_line keeps cell separators (a whitespace run holding a TAB, or 2+ spaces); SEP/is_cell_row added.
# blind9: blind8's common.py plus 千公顷 (1e7 m2); blind8: blind7's common.py (blind2's, plus 百分之 and range_high), with 万公顷 and 万平方公里 added.
# Throwaway helpers: cleaning, sentence split, number parsing (mechanical only).
import re
LETTER = re.compile(r'[A-Za-z]')
def clean_line(line):
    out = []
    i = 0
    n = len(line)
    while i < n:
        if line[i].isspace():
            j = i
            while j < n and line[j].isspace():
                j += 1
            if '\t' in line[i:j] or j - i >= 2:   # blind11 (new): a table cell separator is kept as written
                out.append(line[i:j]); i = j; continue
            prev = line[i-1] if i > 0 else ''
            nxt = line[j] if j < n else ''
            if prev and nxt and (LETTER.match(prev) and LETTER.match(nxt)):
                out.append(' ')
            elif prev and nxt and (LETTER.match(prev) or LETTER.match(nxt)):
                out.append(' ')   # keep a space next to a Latin letter
            # else: drop (both neighbours non-letters, or line edge)
            i = j
        else:
            out.append(line[i]); i += 1
    return ''.join(out)

def clean_text(raw):
    return '\n'.join(clean_line(l) for l in raw.split('\n'))

TERM = '。！？；;'
CLOSE = '”’」』）)'
def sentences(clean):
    """yield (start, end, text) of sentences; split at TERM and line ends."""
    res = []
    pos = 0
    for line in clean.split('\n'):
        i = 0; start = 0
        while i < len(line):
            if line[i] in TERM:
                j = i + 1
                while j < len(line) and line[j] in CLOSE:
                    j += 1
                if line[start:j].strip():
                    res.append((pos+start, pos+j, line[start:j]))
                start = j; i = j
            else:
                i += 1
        if line[start:].strip():
            res.append((pos+start, pos+len(line), line[start:]))
        pos += len(line) + 1
    return res

def paragraphs(clean):
    res = []; pos = 0
    for line in clean.split('\n'):
        if line.strip(): res.append((pos, pos+len(line), line))
        pos += len(line) + 1
    return res

FW = str.maketrans('０１２３４５６７８９．，－', '0123456789.,-')
CN_DIG = {'零':0,'〇':0,'一':1,'二':2,'两':2,'三':3,'四':4,'五':5,'六':6,'七':7,'八':8,'九':9,
          '壹':1,'贰':2,'叁':3,'肆':4,'伍':5,'陆':6,'柒':7,'捌':8,'玖':9}
CN_SMALL = {'十':10,'拾':10,'百':100,'佰':100,'千':1000,'仟':1000}
CN_BIG = {'万':10**4,'亿':10**8}
CN_CHARS = ''.join(CN_DIG) + ''.join(CN_SMALL) + ''.join(CN_BIG)

def cn_to_num(s):
    total = 0; section = 0; digit = None
    for ch in s:
        if ch in CN_DIG:
            digit = CN_DIG[ch]
        elif ch in CN_SMALL:
            section += (digit if digit is not None else 1) * CN_SMALL[ch]; digit = None
        elif ch in CN_BIG:
            section += digit or 0; digit = None
            total = (total + section) * CN_BIG[ch] if CN_BIG[ch] > 10**4 else total + section * CN_BIG[ch]
            section = 0
        else:
            raise ValueError(s)
    return total + section + (digit or 0)

def range_high(nt):
    s = nt.translate(FW)
    for sep in ('至', '—', '~', '-'):
        if sep in s[1:]:
            return parse_number(s[s.index(sep, 1)+1:])
    return None

def parse_number(nt):
    """number_text -> float. Handles Arabic (full width, commas), a trailing 万/亿, Chinese numerals, sign, range low end."""
    s = nt.translate(FW)
    for sep in ('至', '—', '~', '-'):
        if sep in s[1:]:
            s = s[:s.index(sep, 1)]
            break
    sign = 1
    if s.startswith('-') or s.startswith('负'):
        sign = -1; s = s[1:]
    m = re.fullmatch(r'([0-9][0-9,]*(?:\.[0-9]+)?)(万亿|万|亿)?', s)
    if m:
        v = float(m.group(1).replace(',', ''))
        mult = {'万':1e4,'亿':1e8,'万亿':1e12,None:1}[m.group(2)]
        return sign * v * mult
    return sign * float(cn_to_num(s))

FACT = [('万亿元',1e12),('亿元人民币',1e8),('亿元',1e8),('万元',1e4),('千元',1e3),('元',1),
        ('亿美元',1e8),('万美元',1e4),('美元',1),('亿港元',1e8),('万港元',1e4),('港元',1),
        ('万平方米',1e4),('平方米',1),('万平方公里',1e10),('平方公里',1e6),('万公顷',1e8),('千公顷',1e7),('公顷',1e4),('万亩',1e4*10000/15),('亩',10000/15),
        ('个百分点',1),('百分之',1),('%',1),('％',1)]
def unit_factor(ut):
    for u, f in FACT:
        if ut == u: return f
    raise KeyError(ut)
def currency(ut):
    if '美元' in ut: return 'USD'
    if '港元' in ut: return 'HKD'
    if '欧元' in ut: return 'EUR'
    return 'CNY'

# blind11 (new): rows of TAB- or multi-space-separated tables
SEP = re.compile(r'\t| {2,}|\|')   # blind16: one TAB = one cell boundary, so empty cells of a two-line TAB header keep their place   # blind12: pipe rows too
def is_cell_row(line):
    return bool(SEP.search(line))
HEAD = ('项目', '序号', '区县', '指标', '项目名称', '企业名称', '港区')   # blind15: 港区   # blind13: 项目名称; blind14: 企业名称
def is_md(line):
    return len(line) > 1 and line.startswith('|') and line.endswith('|')
def cells(line):
    """cells of a table row; blind18: a Markdown row keeps no empty cell for its outer pipes"""
    return SEP.split(line[1:-1] if is_md(line) else line)
def col_of(line, off):
    """column index of position off in a table row"""
    return len(SEP.findall(line[:off])) - (1 if is_md(line) else 0)
MDSEP = re.compile(r'^\|?(?::?-{3,}:?\|)+(?::?-{3,}:?)?\|?$')
def is_header(line):
    return is_cell_row(line) and not MDSEP.match(line) and cells(line)[0] in HEAD
def header_index(L, li):
    """index of the header row of the table block holding line li (blind12: stops at a header, so stacked blocks keep their own header)"""
    kk = li
    while not is_header(L[kk]) and kk > 0 and is_cell_row(L[kk-1]): kk -= 1
    return kk
UNIT_IN = re.compile(r'[（(]([^（）()]+)[）)]')

# blind14 (new): a header of two lines -- the line right after the header row starts with an empty cell
def sub_header(L, kk):
    if kk + 1 < len(L) and is_cell_row(L[kk+1]) and not MDSEP.match(L[kk+1]) and cells(L[kk+1])[0] == '':
        return L[kk+1]
    return None
def header_cells(L, kk):
    """column headers of the table whose header row is L[kk]; with a two-line header, parent (spanning, filled to the right) + child"""
    h = cells(L[kk]); sub = sub_header(L, kk)
    if not sub: return h
    s = cells(sub); out = []; parent = ''
    for c in range(max(len(h), len(s))):
        if c < len(h) and h[c]: parent = h[c]
        out.append(parent + (s[c] if c < len(s) else ''))
    return out
CAP_UNIT = re.compile(r'单位：([^）)，,、]+)')
