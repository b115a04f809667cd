# chrome_trace.sh - real traces in -F chrome are valid Trace Event Format JSON
# with the structure docs/chrome.md promises (tests/live/chrome_check.py): the
# fields each ph requires, time order per track, nested slices, paired flows,
# named and sorted tracks; a runc launch shows syscall and phase slices,
# namespace and exec instants and spawn flows.
source "$(dirname "$0")/../lib/common.sh"

check() {
	local f=$1
	shift
	python3 "$TESTS_DIR/live/chrome_check.py" "$f" "$@" >"$T/check.out" 2>&1 || {
		cat "$T/check.out" >&2
		fail "$f: bad chrome trace"
	}
}

for fx in sc_ns forker threads; do
	run_nstrace "$fx" -F chrome -o "$T/$fx.json" -- "$FIXTURES/$fx"
	check "$T/$fx.json" --require syscall flow sort
done
check "$T/sc_ns.json" --require ns

bundle=$T/bundle
"$SOURCE_DIR/scripts/make-bundle.sh" "$bundle" >/dev/null
id=nstrace-chrome-$$
on_exit "runc delete --force $id >/dev/null 2>&1"
cd "$bundle"
run_nstrace runc -F chrome -o "$T/runc.json" -- runc run "$id"
[ "$NSTRACE_RC" -eq 0 ] || { tail_of "$T/runc.stderr"; fail "nstrace -F chrome -- runc run exited $NSTRACE_RC"; }
check "$T/runc.json" --require syscall phase ns exec flow sort

# the tracks are named "comm (pid, role, container)", init stages included
jq -e --arg id "$id" '[.traceEvents[] | select(.ph == "M" and .name == "process_name") | .args.name]
	| any(test("^runc:\\[2:INIT\\] \\([0-9]+, runtime-init, " + $id[0:12] + "\\)$"))' "$T/runc.json" >/dev/null ||
	fail "no process track named 'runc:[2:INIT] (pid, runtime-init, $id)': $(jq -c '[.traceEvents[] | select(.name == "process_name") | .args.name]' "$T/runc.json")"
jq -e '[.traceEvents[] | select(.ph == "X" and .cat == "syscall" and .name == "pivot_root")] | length == 1' \
	"$T/runc.json" >/dev/null || fail "no pivot_root slice"

pass "fixtures and a runc launch give well-formed chrome traces"
