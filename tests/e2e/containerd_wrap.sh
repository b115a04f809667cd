# containerd_wrap.sh - `nstrace --daemon <containerd> -- ctr run ...`: wrapping the
# client also traces the daemon side (shim, runc, the container) for the life of
# the command, passes ctr's exit status through, and detaches from containerd.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/daemons.sh"

containerd_start
make_busybox_rootfs "$T/rootfs"
id=e2e-wrap-$$

run_nstrace trace -F json -o "$T/trace.jsonl" --daemon "$CONTAINERD_PID" -- \
	"${CTR[@]}" run --rm --env PATH=/bin --rootfs "$T/rootfs" "$id" /bin/true
# Safety first: whatever nstrace did, the daemons must be untraced and serving.
assert_daemons_ok
[ "$NSTRACE_RC" -eq 0 ] || { tail_of "$T/trace.stderr"; fail "nstrace exited $NSTRACE_RC, ctr run of /bin/true exits 0"; }
assert_launch "$T/trace.jsonl" "$id" /bin/true
assert_via_shim "$T/trace.jsonl"
for kind in attach detach; do
	jq_launch "$T/trace.jsonl" 'any(.[]; .type == $k and .pid == $p)' \
		--arg k "$kind" --argjson p "$CONTAINERD_PID" >/dev/null || fail "no $kind event for containerd"
done

# ctr's exit status (the container's) is nstrace's.
run_nstrace status -F json -o "$T/status.jsonl" --daemon "$CONTAINERD_PID" -- \
	"${CTR[@]}" run --rm --env PATH=/bin --rootfs "$T/rootfs" "$id-3" /bin/sh -c 'exit 3'
assert_daemons_ok
[ "$NSTRACE_RC" -eq 3 ] || { tail_of "$T/status.stderr"; fail "nstrace exited $NSTRACE_RC, the container exits 3"; }

# A launch that fails under the shim: runc create's error goes to the --log
# file the shim gives it (JSON lines); the summary carries its message.
run_nstrace nope -F json -o "$T/nope.jsonl" --daemon "$CONTAINERD_PID" -- \
	"${CTR[@]}" run --rm --env PATH=/bin --rootfs "$T/rootfs" "$id-nope" /bin/nope
assert_daemons_ok
[ "$NSTRACE_RC" -ne 0 ] || fail "ctr run of a missing entrypoint exited 0 under nstrace"
jq_true "$T/nope.jsonl" '[.[] | select(.type == "end") | .summary.containers[].failures[]] |
	any(startswith("runc (pid ") and contains("exited with 1: ") and contains("/bin/nope"))' \
	"the failed launch's summary does not carry runc create's error from its log file"

# Without --daemon: containerd is found as the owner of the socket ctr --address names.
run_nstrace found -F json -o "$T/found.jsonl" -- \
	"${CTR[@]}" run --rm --env PATH=/bin --rootfs "$T/rootfs" "$id-4" /bin/true
assert_daemons_ok
[ "$NSTRACE_RC" -eq 0 ] || { tail_of "$T/found.stderr"; fail "nstrace exited $NSTRACE_RC without --daemon"; }
jq_true "$T/found.jsonl" "any(.[]; .type==\"attach\" and .pid==$CONTAINERD_PID)" \
	"without --daemon, the containerd behind ctr's --address was not attached"
assert_launch "$T/found.jsonl" "$id-4" /bin/true

pass "ctr run wrapped, launch traced through containerd, status passed through, containerd untraced"
