#!/usr/bin/env python3
"""chrome_check.py FILE [--require KIND...] - check the structure of an nstrace
-F chrome trace (docs/chrome.md):

  * the file is one JSON object with a traceEvents array and displayTimeUnit;
  * every event has the fields its phase type requires (Trace Event Format);
  * on every track (pid, tid), events are written in time order (their end:
    ts + dur for complete slices, ts otherwise), and complete slices nest;
  * every flow start (ph s) has exactly one flow end (ph f) with its id, cat
    and name, and the reverse;
  * every pid with events has a process_name, every (pid, tid) a thread_name.

--require KIND (syscall, phase, ns, exec, flow, sort) also fails when the trace
has no such event. Exit 0 and a one-line count when all holds, else 1."""
import json
import sys
from collections import defaultdict

REQUIRED = {
    "X": ("name", "ts", "dur", "pid", "tid"),
    "i": ("name", "ts", "pid", "tid", "s"),
    "s": ("name", "cat", "id", "ts", "pid", "tid"),
    "f": ("name", "cat", "id", "ts", "pid", "tid"),
    "M": ("name", "pid", "args"),
}
META = {"process_name": "name", "thread_name": "name",
        "process_sort_index": "sort_index", "thread_sort_index": "sort_index"}
EPS = 1e-3  # us: the file holds ts to the nanosecond


def fail(msg):
    print("chrome_check: " + msg, file=sys.stderr)
    sys.exit(1)


def main():
    args = sys.argv[1:]
    if not args:
        fail("usage: chrome_check.py FILE [--require KIND...]")
    path, want = args[0], [a for a in args[1:] if a != "--require"]
    with open(path, "rb") as f:
        doc = json.loads(f.read().decode("utf-8"))
    if not isinstance(doc, dict) or not isinstance(doc.get("traceEvents"), list):
        fail("not an object with a traceEvents array")
    if doc.get("displayTimeUnit") not in ("ms", "ns"):
        fail("displayTimeUnit missing")
    evs = doc["traceEvents"]
    last_end = {}
    slices = defaultdict(list)
    flows = defaultdict(lambda: {"s": 0, "f": 0})
    named_p, named_t, used_p, used_t = set(), set(), set(), set()
    seen = defaultdict(int)
    for n, e in enumerate(evs):
        ph = e.get("ph")
        if ph not in REQUIRED:
            fail(f"event {n}: unexpected ph {ph!r}: {e}")
        for k in REQUIRED[ph]:
            if k not in e:
                fail(f"event {n}: ph {ph} without {k}: {e}")
        if not isinstance(e["pid"], int) or ("tid" in e and not isinstance(e["tid"], int)):
            fail(f"event {n}: pid/tid not integers: {e}")
        track = (e["pid"], e.get("tid"))
        if ph == "M":
            key = META.get(e["name"])
            if key is None or key not in e["args"]:
                fail(f"event {n}: metadata {e['name']!r} without args.{key}: {e}")
            if e["name"] == "process_name":
                named_p.add(e["pid"])
            elif e["name"] == "thread_name":
                named_t.add(track)
            elif e["name"] == "process_sort_index":
                seen["sort"] += 1
            continue
        ts = e["ts"]
        if not isinstance(ts, (int, float)) or ts < 0:
            fail(f"event {n}: bad ts: {e}")
        end = ts
        if ph == "X":
            if not isinstance(e["dur"], (int, float)) or e["dur"] < 0:
                fail(f"event {n}: bad dur: {e}")
            end = ts + e["dur"]
            slices[track].append((ts, end, n))
            seen["phase" if e.get("cat") == "phase" else e.get("cat") or "X"] += 1
        elif ph == "i":
            if e["s"] not in ("t", "p", "g"):
                fail(f"event {n}: instant scope {e['s']!r}")
            seen[e.get("cat") or "i"] += 1
        else:
            if ph == "f" and e.get("bp") not in (None, "e"):
                fail(f"event {n}: flow end binding {e.get('bp')!r}")
            flows[(e["id"], e["cat"], e["name"])][ph] += 1
            seen["flow"] += 1
        if ph == "i" and e["s"] == "g":
            continue  # global instants are on no process track
        used_p.add(e["pid"])
        used_t.add(track)
        if end + EPS < last_end.get(track, 0):
            fail(f"event {n}: time goes back on track {track}: ends {end} after {last_end[track]}")
        last_end[track] = max(end, last_end.get(track, 0))
    for key, c in flows.items():
        if c["s"] != 1 or c["f"] != 1:
            fail(f"flow {key}: {c['s']} starts and {c['f']} ends")
    for track, ss in slices.items():
        stack = []
        for ts, end, n in sorted(ss, key=lambda s: (s[0], -s[1])):
            while stack and stack[-1] <= ts + EPS:
                stack.pop()
            if stack and end > stack[-1] + EPS:
                fail(f"event {n}: slice [{ts}, {end}] overlaps its parent ending {stack[-1]} on {track}")
            stack.append(end)
    for p in used_p - named_p:
        fail(f"pid {p} has events but no process_name")
    for t in used_t - named_t:
        fail(f"track {t} has events but no thread_name")
    for w in want:
        if not seen.get(w):
            fail(f"no {w} events in the trace (have {dict(seen)})")
    print(f"chrome_check: {len(evs)} events, {len(flows)} flows, "
          f"{len(used_p)} processes: ok ({dict(seen)})")


if __name__ == "__main__":
    main()
