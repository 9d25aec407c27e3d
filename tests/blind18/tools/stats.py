import os
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
import json, glob, os, re, collections
rows_all = []
print('| file | chars (CJK) | investment | money | area | count | percent | total | level | increase | decrease | share | actual | target | dated | period_text only | no period |')
print('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|')
tot = collections.Counter()
for gp in sorted(glob.glob(ROOT + '/gold/*.jsonl')):
    R = [json.loads(l) for l in open(gp)]
    t = open(ROOT + '/docs/' + R[0]['file']).read()
    ch = len(re.sub(r'\s', '', t)); cjk = len(re.findall(r'[\u4e00-\u9fff]', t))
    c = collections.Counter()
    for d in R:
        c[d['kind']] += 1; c[d['relation']] += 1; c[d['modality']] += 1; c['q_' + d['qualifier']] += 1; c['unit_' + d['unit']] += 1
        dated = bool(d['period_start'] or d['period_end'])
        c['dated' if dated else ('ptext' if d['period_text'] else 'noper')] += 1
    c['total'] = len(R)
    tot.update(c)
    name = os.path.basename(gp)
    print(f"| {name} | {ch} ({cjk}) | " + ' | '.join(str(c[k]) for k in ['investment','money','area','count','percent','total','level','increase','decrease','share','actual','target','dated','ptext','noper']) + ' |')
print('| **all** | | ' + ' | '.join(str(tot[k]) for k in ['investment','money','area','count','percent','total','level','increase','decrease','share','actual','target','dated','ptext','noper']) + ' |')
print()
print('qualifiers:', {k[2:]: v for k, v in tot.items() if k.startswith('q_')})
print('units:', {k[5:]: v for k, v in tot.items() if k.startswith('unit_')})
