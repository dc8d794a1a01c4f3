# Checks a `kstack report --format=json` document for the invariants its
# schema (docs/report-json.md) promises, and prints a one-line summary:
#   - schema "kstack-report", version 1, and the summary's counts agree with
#     the lists;
#   - ids are function indexes; each function's "next" chain ends;
#   - every entry's depth is the largest "stack" of its path, and each step's
#     stack is the previous stack (less the caller's red zone, which a call
#     overwrites, and less its frame after a tail call) plus its frame and
#     its red zone;
#   - headroom is budget minus depth.
#   check_report_json.py REPORT.json
import json
import sys

doc = json.load(open(sys.argv[1]))
assert doc["schema"] == "kstack-report" and doc["version"] == 1, doc.get("schema")
functions = doc["functions"]
summary = doc["summary"]
assert summary["functions"] == len(functions)
assert summary["entries"] == len(doc["entries"])
assert summary["failing"] == sum(1 for e in doc["entries"] if e["fails"])
for i, f in enumerate(functions):
    assert f["id"] == i
    assert f["next"] is None or 0 <= f["next"] < len(functions)
steps = 0
for e in doc["entries"]:
    path = e["path"]
    assert path[0]["id"] == e["id"] and path[0]["call"] is None
    assert max(step["stack"] for step in path) == e["depth"], e["function"]
    for prev, step in zip(path, path[1:]):
        if step.get("recursion") or prev.get("recursion") or step["call"] is None:
            continue
        base = prev["stack"] - prev["red_zone"] - (prev["frame"] if step["call"]["tail"] else 0)
        assert step["stack"] == base + step["frame"] + step["red_zone"], (e["function"],
                                                                          step["function"])
    if e["budget"] is not None:
        assert e["headroom"] == e["budget"] - e["depth"]
    steps += len(path)
print("report json ok: %d functions, %d entries, %d path steps"
      % (len(functions), len(doc["entries"]), steps))
