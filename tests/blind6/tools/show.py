import json, sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    print(f"{d['surface']}|{d['kind'][:3]}|{d['value']:g}|{d['unit']}|{d['qualifier'][:2]}|m={d['metric']}|s={d['subject']}|i={d['indicator']}|{d['relation'][:3]}|{d['period_start']}..{d['period_end']} {d['period_text']}|{d['modality'][:3]}")
