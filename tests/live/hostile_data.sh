# hostile_data.sh - a tracee that feeds the decoders junk (fault_hostile:
# invalid UTF-8, control and escape bytes, strings without NUL up to an
# unmapped page, 1 MiB strings, pointers to nowhere, clone3 with sizes 0 and
# 4096, impossible flags, junk id maps, a comm of junk bytes), started from an
# executable whose own name is junk. Every output format stays valid: JSON
# Lines are strict UTF-8 JSON line by line, the Chrome trace is one strict JSON
# document, the text trace holds no raw control byte (a tracee cannot write
# escape sequences to the terminal of the person tracing it). nstrace does not
# crash (the ASan/UBSan build aborts on the first error).
. "$TESTS_DIR/lib/common.sh"

# the fixture under a name of junk: exe, filename, argv[0] and comm carry it
junk_name=$'\xff\xfe\x1b[31m"\\\n\x01hostile\xc0\x80'
mkdir -p "$T/bin"
cp "$FIXTURES/fault_hostile" "$T/bin/$junk_name"

check_json_lines() {
	python3 - "$1" <<'PY' || fail "$1: $(cat "$T/py.err" 2>/dev/null)"
import json, sys
n = 0
with open(sys.argv[1], "rb") as f:
    for n, raw in enumerate(f, 1):
        if not raw.endswith(b"\n"):
            sys.exit(f"line {n} is not terminated")
        try:
            json.loads(raw.decode("utf-8", errors="strict"))
        except Exception as e:
            sys.exit(f"line {n}: {e}: {raw[:200]!r}")
if n == 0:
    sys.exit("empty")
PY
}

check_json_doc() {
	python3 -c '
import json, sys
d = json.loads(open(sys.argv[1], "rb").read().decode("utf-8", errors="strict"))
ev = d["traceEvents"] if isinstance(d, dict) else d
assert len(ev) > 0, "no events"
' "$1" || fail "$1 is not one strict UTF-8 JSON document"
}

check_text() {
	python3 -c '
import sys
data = open(sys.argv[1], "rb").read()
data.decode("utf-8", errors="strict")
bad = [i for i, b in enumerate(data) if (b < 0x20 and b not in (0x0a, 0x09)) or b == 0x7f]
if bad:
    i = bad[0]
    sys.exit("raw control byte %#x at offset %d: %r" % (data[i], i, data[max(0, i - 60):i + 20]))
assert data.endswith(b"\n"), "does not end with a newline"
' "$1" || fail "text trace $1 is not terminal-safe UTF-8"
}

# run NAME ARGS...: trace the junk-named fixture; it must finish as without us
run() {
	local name=$1 rc
	shift
	set +e
	# in $T: the fixture makes directories of junk names in its working directory
	(cd "$T" && exec timeout -k 5 -s INT 60 "$NSTRACE" -q -e trace=all "$@" -o "$T/$name.out" -- "$T/bin/$junk_name" \
		>"$T/$name.fx" 2>"$T/$name.err")
	rc=$?
	set -e
	[ "$rc" = 0 ] || { tail_of "$T/$name.err" 30; fail "$name: nstrace exited $rc (the fixture exits 0)"; }
	grep -q '^hostile done [1-9]' "$T/$name.fx" || fail "$name: the fixture did not finish: $(cat "$T/$name.fx")"
	! grep -q -E 'runtime error|AddressSanitizer|LeakSanitizer' "$T/$name.err" ||
		{ tail_of "$T/$name.err" 30; fail "$name: a sanitizer report"; }
}

host_before=$(cat /proc/sys/kernel/hostname)
run json -F json
check_json_lines "$T/json.out"
run json_v -F json -v -s 65536
check_json_lines "$T/json_v.out"
run chrome -F chrome
check_json_doc "$T/chrome.out"
run text -F text
check_text "$T/text.out"
run text_v -F text -v -s 4096 -T -tt
check_text "$T/text_v.out"

f=$T/json.out
assert_trace_wellformed "$f"
# the calls were seen and decoded, the junk escaped, not dropped
jq_true "$f" '[.[] | select(.syscall == "clone3")] | length >= 8' "fewer clone3 calls than the fixture made"
jq_true "$f" 'any(.[]; .syscall == "clone3" and (.call | test("^clone3\\(0x[0-9a-f]+, 0\\)")))' \
	"no clone3 with size 0 (printed as a bare pointer: nothing read) in the trace"
jq_true "$f" 'any(.[]; .syscall == "clone3" and (.call | test(", 4096\\)")))' "no clone3 with size 4096 in the trace"
jq_true "$f" 'any(.[]; .type == "spawn" and .is_thread == false)' "the real clone3 fork (size 4096, zero tail) was not followed"
jq_true "$f" '[.[] | select(.syscall == "sethostname")] | length >= 10' "sethostname calls missing"
jq_true "$f" 'any(.[]; .type == "exec" and (.exe // "" | contains("hostile")))' "the exec of the junk-named fixture is missing"
jq_true "$f" 'any(.[]; .type == "syscall" and (.comm // "" | length) > 0 and (.comm | contains("hostile") | not))' \
	"no event carries the junk comm the fixture gave itself"
jq_true "$f" 'any(.[]; .syscall == "write" and (.call | test("uid_map|^write\\(")))' "no id map write seen"
[ "$(cat /proc/sys/kernel/hostname)" = "$host_before" ] || fail "the host's name changed: the fixture left its namespace"
pass "json, json -v, chrome, text, text -v: valid and terminal-safe; $(grep -o 'done [0-9]*' "$T/json.fx") calls"
