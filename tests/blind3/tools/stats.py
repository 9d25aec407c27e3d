import json, glob, os, re, collections
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
K = ['investment','money','area','count','percent','total','level','increase','decrease','share','actual','target','dated','ptext','noper']
print('| file | chars | ' + ' | '.join(K).replace('ptext', 'period_text only').replace('noper', 'no period') + ' |')
print('|' + '---|' * (len(K) + 2))
tot = collections.Counter()
for gp in sorted(glob.glob(f'{ROOT}/gold/*.jsonl')):
    if 'offsets' in gp: continue
    R = [json.loads(l) for l in open(gp, encoding='utf-8')]
    t = open(f"{ROOT}/docs/{R[0]['file']}", encoding='utf-8').read()
    c = collections.Counter()
    for d in R:
        c[d['kind']] += 1; c[d['relation']] += 1; c[d['modality']] += 1; c['q_' + d['qualifier']] += 1; c['unit_' + d['unit']] += 1
        c['dated' if (d['period_start'] or d['period_end']) else ('ptext' if d['period_text'] else 'noper')] += 1
    c['total'] = len(R); tot.update(c)
    n = len(re.sub(r'\s', '', t))
    print(f"| {os.path.basename(gp)} | {n} | " + ' | '.join(str(c[k]) for k in K) + ' |')
print('| **all** | | ' + ' | '.join(str(tot[k]) for k in K) + ' |')
print()
print('qualifiers:', {k[2:]: v for k, v in sorted(tot.items()) if k.startswith('q_')})
print('units:', {k[5:]: v for k, v in sorted(tot.items()) if k.startswith('unit_')})
