# containerd_attach_name.sh - `nstrace -a containerd --once` finds containerd by
# name, traces one `ctr run`, and exits by itself, leaving containerd serving.
#
# By name means any containerd on the machine would match, so the test runs in a
# pid namespace of its own (with its own /proc) where the private containerd is
# the only one. The namespace also guarantees that nothing it started survives it.
if [ -z "${NSTRACE_E2E_PIDNS:-}" ]; then
	exec unshare --pid --fork --mount-proc env NSTRACE_E2E_PIDNS=1 bash "$0" "$@"
fi
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/daemons.sh"

containerd_start
[ "$(pgrep -x containerd | wc -l)" -eq 1 ] || fail "more than one containerd in the test's pid namespace"
make_busybox_rootfs "$T/rootfs"
id=e2e-name-$$

"$NSTRACE" -F json -o "$T/trace.jsonl" -a containerd --once --timeout 100 \
	</dev/null >"$T/trace.stdout" 2>"$T/trace.stderr" &
tracer=$!
on_exit "kill -INT $tracer 2>/dev/null"
wait_traced "$CONTAINERD_PID" "$tracer" 30

rc=0
timeout 60 "${CTR[@]}" run --rm --env PATH=/bin --rootfs "$T/rootfs" "$id" /bin/true || rc=$?
[ "$rc" -eq 0 ] || { tail_of "$T/trace.stderr"; fail "ctr run under the attached tracer exited $rc"; }

wait_exit "$tracer" 60
assert_daemons_ok
[ "$WAIT_RC" -eq 0 ] || { tail_of "$T/trace.stderr"; fail "nstrace -a containerd --once exited $WAIT_RC"; }
assert_launch "$T/trace.jsonl" "$id" /bin/true
assert_via_shim "$T/trace.jsonl"

pass "-a containerd found it, --once ended the trace after one launch"
