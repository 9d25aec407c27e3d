# Compact view of gold files for review.
import json, glob, sys
for gp in sorted(glob.glob('gold/*.jsonl')):
    if len(sys.argv) > 1 and sys.argv[1] not in gp: continue
    print('==', gp)
    for i, l in enumerate(open(gp, encoding='utf-8')):
        d = json.loads(l)
        per = f"{d['period_start'] or '_'}..{d['period_end'] or '_'} [{d['period_text']}]" if (d['period_start'] or d['period_end'] or d['period_text']) else '-'
        print(f"{i:>2} {d['surface']:<12} {d['kind'][:3]} {d['value']:<14g} {d['unit']:<7} {d['counter'] or ''} {d['qualifier'][:3]} m={d['metric']} | ind={d['indicator']} | {d['relation'][:3]} | sub={d['subject']} | {per} | {d['modality'][:3]}")
