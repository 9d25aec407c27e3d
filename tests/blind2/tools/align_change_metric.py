"""Align one convention (the same rule as tests/blind/README.md, "Convention aligned after
writing"): a figure with relation increase/decrease whose sentence has, right before its surface
(after 了/为), one of the change words takes that word as its metric. Gold only; no other field."""
import json, pathlib, re
WORDS = "增减 增长 下降 提高 增加 减少 上涨 上升 回落 降低 提升 增产 减产 下滑 扩大 收窄 加快 回升 下跌".split()
pat = re.compile("(" + "|".join(sorted(WORDS, key=len, reverse=True)) + ")(?:了|为)?$")
here = pathlib.Path(__file__).resolve().parent.parent
src, dst = here / "gold_as_written", here / "gold"
changed = 0
for f in sorted(src.glob("*.jsonl")):
    out = []
    for line in f.read_text("utf-8").splitlines():
        d = json.loads(line)
        if d["relation"] in ("increase", "decrease"):
            s = d["sentence"]; i = s.find(d["surface"])
            m = pat.search(s[:i]) if i >= 0 else None
            if m and d["metric"] != m.group(1):
                d["metric"] = m.group(1); changed += 1
        out.append(json.dumps(d, ensure_ascii=False))
    (dst / f.name).write_text("\n".join(out) + "\n", "utf-8")
print("changed", changed)
