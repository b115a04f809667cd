# fault_tracee.sh - things that happen to tracees must not stop the trace:
# a tracee SIGKILLed in the middle of a syscall (alone, or a whole thread
# group), tracees that exit while nstrace reads the memory their syscalls point
# to, an exec from a non-leader thread, SIGSTOP and SIGCONT of a busy
# multi-threaded child. The fault_tracee fixture makes them all, each step
# followed by a marker syscall; the trace must reach every marker, in run mode
# and in attach mode, and describe what happened.
. "$TESTS_DIR/lib/common.sh"

expected_output='killed_read signal 9
killed_busy signal 9
killed_group signal 9
vanish status 0
thread_exec status 0
stop_cont status 0
fault_tracee done'

# check_trace NAME FILE FIXTURE_OUTPUT
check_trace() {
	local name=$1 f=$2 out=$3 step
	[ "$(cat "$out")" = "$expected_output" ] || {
		cat "$out" >&2
		fail "$name: the fixture did not go through its steps as without a tracer"
	}
	assert_trace_wellformed "$f"
	# the trace went on past every fault, in order
	local prev=0 seq
	for step in killed vanish thread_exec stop_cont; do
		seq=$(jq -s --arg m "/nonexistent/nstrace-marker/$step" \
			'[.[] | select(.type == "syscall" and .syscall == "open" or .syscall == "openat")
			 | select(.call | contains($m)) | .seq] | min // 0' "$f")
		[ "$seq" -gt "$prev" ] || fail "$name: the trace does not reach the marker after step '$step'"
		prev=$seq
	done
	# every event about a task says which task, killed mid-syscall or not
	jq_true "$f" 'all(.[] | select(.type | IN("syscall", "spawn", "exec", "signal", "exit"));
		(.pid // 0) > 0 and (.tid // 0) > 0)' "$name: an event without pid/tid"
	jq_true "$f" '[.[] | select(.type == "exit" and .signal == "SIGKILL" and .pid == .tid)] | length >= 3' \
		"$name: the three SIGKILLed children are not reported killed by SIGKILL"
	jq_true "$f" 'any(.[]; .type == "syscall" and .syscall == "read" and .unfinished == true)' \
		"$name: the read(2) interrupted by SIGKILL is not reported unfinished"
	jq_true "$f" 'any(.[]; .type == "exec" and .filename == "/bin/true" and (.old_tid // 0) > 0 and .old_tid != .pid)' \
		"$name: the exec from a non-leader thread is not reported with its old tid"
	jq_true "$f" 'any(.[]; .type == "signal" and .signal == "SIGSTOP")' "$name: SIGSTOP of the child not reported"
	jq_true "$f" 'any(.[]; .type == "signal" and .signal == "SIGCONT")' "$name: SIGCONT of the child not reported"
	# memory going away under the reader: the decoded calls are still there
	jq_true "$f" 'any(.[]; .type == "syscall" and .syscall == "sethostname")' \
		"$name: no sethostname of the vanishing children decoded"
}

# --- run mode --------------------------------------------------------------
set +e
timeout -k 5 -s INT 60 "$NSTRACE" -q -F json -e trace=all -o "$T/run.jsonl" -- \
	"$FIXTURES/fault_tracee" >"$T/run.out" 2>"$T/run.err"
rc=$?
set -e
[ "$rc" = 0 ] || { tail_of "$T/run.err"; fail "run mode: nstrace exited $rc, the fixture exits 0"; }
check_trace "run mode" "$T/run.jsonl" "$T/run.out"

# --- attach mode -----------------------------------------------------------
"$FIXTURES/fault_tracee" "$T/ready" "$T/go" >"$T/attach.out" 2>&1 &
fx=$!
on_exit "kill_child CONT $fx; kill_child KILL $fx"
for _ in $(seq 200); do [ -s "$T/ready" ] && break; sleep 0.05; done
[ -s "$T/ready" ] || fail "the fixture did not start"
"$NSTRACE" -q -F json -e trace=all -o "$T/attach.jsonl" -p "$fx" 2>"$T/attach.err" &
tracer=$!
on_exit "kill_child INT $tracer"
wait_traced "$fx" "$tracer" 20
touch "$T/go"
wait_exit "$fx" 60
[ "$WAIT_RC" = 0 ] || fail "attach mode: the fixture exited $WAIT_RC"
wait_exit "$tracer" 20
[ "$WAIT_RC" = 0 ] || { tail_of "$T/attach.err"; fail "attach mode: nstrace exited $WAIT_RC after its tracee finished"; }
check_trace "attach mode" "$T/attach.jsonl" "$T/attach.out"
jq_true "$T/attach.jsonl" '.[-1].reason == "finished"' "attach mode: the end record does not say finished"
pass "killed mid-syscall, vanishing memory, exec from a thread, stop/continue: run and attach mode"
