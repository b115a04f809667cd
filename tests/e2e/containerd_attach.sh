# containerd_attach.sh - `nstrace -p <containerd> --once` while `ctr run` starts a
# container: the launch is traced through the shim and runc, nstrace stops by
# itself after the entrypoint exec, and containerd is left untraced and serving.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/daemons.sh"

containerd_start
make_busybox_rootfs "$T/rootfs"
id=e2e-attach-$$

# A private containerd: -p its pid (-a containerd could match another one).
"$NSTRACE" -F json -o "$T/trace.jsonl" -p "$CONTAINERD_PID" --once --timeout 100 \
	</dev/null >"$T/trace.stdout" 2>"$T/trace.stderr" &
tracer=$!
on_exit "kill -INT $tracer 2>/dev/null"
wait_traced "$CONTAINERD_PID" "$tracer" 30

rc=0
timeout 60 "${CTR[@]}" run --rm --env PATH=/bin --rootfs "$T/rootfs" "$id" /bin/true || rc=$?
[ "$rc" -eq 0 ] || { tail_of "$T/trace.stderr"; fail "ctr run under the attached tracer exited $rc"; }

wait_exit "$tracer" 60
# Safety first: whatever nstrace did, containerd must be untraced and serving.
assert_daemons_ok
[ "$WAIT_RC" -eq 0 ] || { tail_of "$T/trace.stderr"; fail "nstrace --once exited $WAIT_RC"; }
assert_launch "$T/trace.jsonl" "$id" /bin/true
assert_via_shim "$T/trace.jsonl"
for kind in attach detach; do
	jq_launch "$T/trace.jsonl" 'any(.[]; .type == $k and .pid == $p)' \
		--arg k "$kind" --argjson p "$CONTAINERD_PID" >/dev/null || fail "no $kind event for containerd"
done

# Depth by what a runtime command does: runc create is traced in depth, runc
# start (it builds nothing) by its exec and exit only.
create=$(jq -r 'select(.type=="exec" and .role=="runtime" and (.argv | index("create"))) | .pid' "$T/trace.jsonl" | head -1)
start=$(jq -r 'select(.type=="exec" and .role=="runtime" and (.argv | index("start"))) | .pid' "$T/trace.jsonl" | head -1)
[ -n "$create" ] && [ -n "$start" ] || fail "no exec of runc create and runc start (create=$create start=$start)"
jq_true "$T/trace.jsonl" "any(.[]; .type==\"syscall\" and .pid==$create)" "runc create: no syscalls shown"
jq_true "$T/trace.jsonl" "all(.[]; .type!=\"syscall\" or .pid!=$start)" "runc start: syscalls shown, expected events only"

pass "attached to containerd, launch traced, --once stopped it, containerd untraced and serving"
