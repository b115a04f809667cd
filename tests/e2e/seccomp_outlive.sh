# seccomp_outlive.sh - `nstrace --seccomp -- ctr run -d ...`: the container and its
# shim outlive the trace, so none of them, nor containerd, may carry a seccomp
# filter afterwards (a SECCOMP_RET_TRACE filter without a tracer makes the
# filtered syscalls fail with ENOSYS), and the container must keep running.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/daemons.sh"

# assert_no_seccomp PID...: no thread of these processes has a seccomp filter.
assert_no_seccomp() {
	local pid task mode
	for pid in "$@"; do
		for task in /proc/"$pid"/task/*; do
			[ -d "$task" ] || continue
			mode=$(awk '/^Seccomp:/ {print $2}' "$task/status" 2>/dev/null || echo 0)
			[ "${mode:-0}" = 0 ] || fail "$task ($(cat "$task/comm" 2>/dev/null)) has seccomp mode $mode after the trace"
		done
	done
}

containerd_start
make_busybox_rootfs "$T/rootfs"
id=e2e-seccomp-$$

run_nstrace trace -F json -o "$T/trace.jsonl" --seccomp --daemon "$CONTAINERD_PID" -- \
	"${CTR[@]}" run -d --env PATH=/bin --rootfs "$T/rootfs" "$id" /bin/sleep 1000
assert_daemons_ok
[ "$NSTRACE_RC" -eq 0 ] || { tail_of "$T/trace.stderr"; fail "nstrace exited $NSTRACE_RC, ctr run -d exits 0"; }

task_pid=$("${CTR[@]}" tasks ls | awk -v id="$id" '$1 == id && $3 == "RUNNING" { print $2 }')
[ -n "$task_pid" ] || { "${CTR[@]}" tasks ls >&2; fail "container $id is not running after the trace"; }
shims=$(_pids_with_arg "$CONTAINERD_SOCK")
[ -n "$shims" ] || fail "no shim of container $id after the trace"
sleep 1 # a filter left behind would show now: sleep's next syscalls would fail
_pid_alive "$task_pid" || fail "the container's process $task_pid died after the trace"

# shellcheck disable=SC2086
assert_untraced "$CONTAINERD_PID" $shims $(_descendants "$task_pid")
# shellcheck disable=SC2086
assert_no_seccomp "$CONTAINERD_PID" $shims $(_descendants "$task_pid")
# ctr run -d exits once the task is started, and nstrace with it: the entrypoint's
# exec may come after the detach, so only the launch up to the namespaces is sure.
assert_trace_wellformed "$T/trace.jsonl"
jq_launch "$T/trace.jsonl" 'any(.[]; .type == "container" and .container == $id)' --arg id "$id" >/dev/null ||
	fail "container $id not recognised"
jq_launch "$T/trace.jsonl" 'any(.[]; .syscall == "unshare" and is_stage("runc:[1:CHILD]") and .container == $id)' \
	--arg id "$id" >/dev/null || fail "no unshare of runc:[1:CHILD] traced for $id"

pass "after --seccomp, containerd, the shim and the running container carry no filter"
