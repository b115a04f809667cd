# idle_threads.sh - Go's sysmon thread goes unstopped, and only when that loses
# nothing: in a real `runc run`, sysmon is recognized by its stack and followed
# by events only with the default selection (the launch is all there); when a
# call sysmon makes is selected, it keeps its stops and its calls are shown.
. "$TESTS_DIR/lib/common.sh"

command -v runc >/dev/null || fail "runc missing: run scripts/deps.sh"
"$SOURCE_DIR/scripts/make-bundle.sh" "$T/bundle" >/dev/null
cd "$T/bundle"

# idle threads named in NSTRACE_STATS's line
idle_count() { sed -n 's/.*, \([0-9]*\) idle threads, .*$/\1/p' "$1"; }

# 1. default selection: runc run's sysmon and runc init's (Go from stage 2 on)
id=nstrace-idle-$$
on_exit "runc delete -f $id >/dev/null 2>&1"
NSTRACE_STATS=1 "$NSTRACE" -q -F json -o "$T/def.jsonl" -- runc run "$id" 2>"$T/def.err" ||
	fail "runc run under nstrace failed: $(tail -3 "$T/def.err")"
assert_valid_jsonl "$T/def.jsonl"
n=$(idle_count "$T/def.err")
[ -n "$n" ] || fail "no stats line: $(cat "$T/def.err")"
[ "$n" -ge 2 ] || fail "expected the sysmon threads of runc run and runc init, got $n"
for c in unshare pivot_root sethostname; do
	jq_true "$T/def.jsonl" "any(.[]; .type==\"syscall\" and .syscall==\"$c\")" "$c missing from the launch"
done
jq_true "$T/def.jsonl" 'any(.[]; .type=="exec" and .role=="workload")' "the entrypoint exec is missing"

# 2. nanosleep selected: sysmon keeps its stops, and -k shows whose they are
id=nstrace-idle2-$$
on_exit "runc delete -f $id >/dev/null 2>&1"
NSTRACE_STATS=1 "$NSTRACE" -q -k -F json -e trace=nanosleep -o "$T/ns.jsonl" -- runc run "$id" \
	2>"$T/ns.err" || fail "runc run under nstrace -e trace=nanosleep failed: $(tail -3 "$T/ns.err")"
[ "$(idle_count "$T/ns.err")" = 0 ] || fail "a thread went unstopped although nanosleep is selected"
jq_true "$T/ns.jsonl" 'any(.[]; .syscall=="nanosleep" and any(.stack[]?; .function=="runtime.sysmon"))' \
	"no nanosleep of runtime.sysmon shown with -e trace=nanosleep"
pass "sysmon: events only by default ($n threads), traced when its calls are selected"
