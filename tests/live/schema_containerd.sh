# schema_containerd.sh - a real containerd launch (`ctr run` wrapped, the daemon
# side traced through --daemon) validates line by line against JSON Schema v1,
# and the same launch with -F chrome is a well-formed trace with daemon, shim,
# runtime and init-stage tracks, syscall and phase slices, instants and flows.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/daemons.sh"

SCHEMA=$SOURCE_DIR/docs/schema/nstrace-event-v1.schema.json
containerd_start
make_busybox_rootfs "$T/rootfs"
id=schema-ctr-$$

run_nstrace json -F json -o "$T/ctr.jsonl" --daemon "$CONTAINERD_PID" -- \
	"${CTR[@]}" run --rm --env PATH=/bin --rootfs "$T/rootfs" "$id" /bin/true
assert_daemons_ok
[ "$NSTRACE_RC" -eq 0 ] || { tail_of "$T/json.stderr"; fail "nstrace -F json exited $NSTRACE_RC"; }
python3 "$TESTS_DIR/live/schema_validate.py" "$SCHEMA" "$T/ctr.jsonl" >"$T/validate.out" 2>&1 || {
	cat "$T/validate.out" >&2
	fail "the containerd trace does not validate against the schema"
}
for r in daemon shim runtime runtime-init; do
	jq_true "$T/ctr.jsonl" "any(.[]; .role == \"$r\")" "no event of a $r in the containerd trace"
done

run_nstrace chrome -F chrome -o "$T/ctr.json" --daemon "$CONTAINERD_PID" -- \
	"${CTR[@]}" run --rm --env PATH=/bin --rootfs "$T/rootfs" "$id-2" /bin/true
assert_daemons_ok
[ "$NSTRACE_RC" -eq 0 ] || { tail_of "$T/chrome.stderr"; fail "nstrace -F chrome exited $NSTRACE_RC"; }
python3 "$TESTS_DIR/live/chrome_check.py" "$T/ctr.json" --require syscall phase ns exec flow sort \
	>"$T/check.out" 2>&1 || { cat "$T/check.out" >&2; fail "the containerd chrome trace is malformed"; }
jq -e '[.traceEvents[] | select(.name == "process_name") | .args.name] | any(test(", daemon[,)]"))' \
	"$T/ctr.json" >/dev/null || fail "no daemon process track in the chrome trace"

pass "a containerd launch validates as JSON v1 and as a chrome trace"
