import json, glob, os, collections
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
K = ['investment','money','area','count','percent']; R = ['level','increase','decrease','share']
print('| file | chars | ' + ' | '.join(K) + ' | total | ' + ' | '.join(R) + ' | actual | target | dated | period_text only | no period |')
print('|' + '---|' * (len(K) + len(R) + 8))
tot = collections.Counter(); q = collections.Counter(); u = collections.Counter()
for gp in sorted(glob.glob(f'{ROOT}/gold/*.jsonl')):
    G = [json.loads(l) for l in open(gp, encoding='utf-8')]
    c = collections.Counter()
    for g in G:
        c[g['kind']] += 1; c[g['relation']] += 1; c[g['modality']] += 1; q[g['qualifier']] += 1; u[g['unit']] += 1
        c['dated' if (g['period_start'] or g['period_end']) else ('ptext' if g['period_text'] else 'none')] += 1
    c['total'] = len(G); tot.update(c)
    n = len(open(f"{ROOT}/docs/{G[0]['file']}", encoding='utf-8').read())
    print(f'| {os.path.basename(gp)} | {n} | ' + ' | '.join(str(c[k]) for k in K + ['total'] + R + ['actual','target','dated','ptext','none']) + ' |')
print('| **all** | | ' + ' | '.join(str(tot[k]) for k in K + ['total'] + R + ['actual','target','dated','ptext','none']) + ' |')
print('qualifiers:', dict(sorted(q.items()))); print('units:', dict(sorted(u.items())))
