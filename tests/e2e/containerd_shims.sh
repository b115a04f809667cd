# containerd_shims.sh - a container already running when nstrace attaches to
# containerd: `ctr task exec` goes through its shim, which containerd never
# forks. Without --shims nstrace says the shim exists and does not see the
# exec; with --shims it attaches the shim (events only) and traces the
# `runc exec` and the process it runs in the container; at the end the shim
# and the container are untraced, not stopped and still serving. Wrapping
# `ctr task exec` attaches the shims without being asked.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/daemons.sh"

containerd_start
make_busybox_rootfs "$T/rootfs"
id=e2e-shims-$$
timeout 60 "${CTR[@]}" run -d --env PATH=/bin --rootfs "$T/rootfs" "$id" /bin/sleep 1000 >/dev/null ||
	fail "ctr run -d of a sleeping container failed"
shim=$(_pids_with_arg "$CONTAINERD_SOCK" | head -1)
[ -n "$shim" ] || fail "no shim of the private containerd is running"
# the tasks of the shim and of the container, for the checks after each trace
shim_tree() { echo "$shim" $(_descendants "$shim"); }

# trace_exec NAME [OPTIONS...]: attach to containerd, run one exec, detach
trace_exec() {
	local name=$1 rc=0
	shift
	"$NSTRACE" -F json -o "$T/$name.jsonl" -p "$CONTAINERD_PID" "$@" \
		</dev/null >"$T/$name.stdout" 2>"$T/$name.stderr" &
	local tracer=$!
	on_exit "kill -INT $tracer 2>/dev/null"
	wait_traced "$CONTAINERD_PID" "$tracer" 30
	timeout 60 "${CTR[@]}" task exec --exec-id "$name" "$id" /bin/sh -c 'echo in-$$' \
		>"$T/$name.exec" 2>&1 || rc=$?
	[ "$rc" -eq 0 ] || { cat "$T/$name.exec" >&2; fail "$name: ctr task exec exited $rc"; }
	kill -INT "$tracer"
	wait_exit "$tracer" 30
	[ "$WAIT_RC" -eq 0 ] || { tail_of "$T/$name.stderr"; fail "$name: nstrace exited $WAIT_RC"; }
	assert_trace_wellformed "$T/$name.jsonl"
	# Safety first: whatever nstrace did, nothing is traced or stopped.
	assert_daemons_ok
	assert_untraced $(shim_tree)
}

trace_exec plain
grep -q "^nstrace: pid $CONTAINERD_PID has 1 running shim: what it runs .* without --shims$" "$T/plain.stderr" ||
	{ cat "$T/plain.stderr" >&2; fail "no line says containerd has a running shim"; }
jq_true "$T/plain.jsonl" "all(.[]; .pid != $shim)" "without --shims the shim was traced"

trace_exec shims --shims
f=$T/shims.jsonl
grep -q "^nstrace: attached to shim pid $shim$" "$T/shims.stderr" ||
	{ cat "$T/shims.stderr" >&2; fail "no 'attached to shim' line for $shim"; }
jq_true "$f" "any(.[]; .type == \"attach\" and .pid == $shim and .role == \"shim\" and .container == \"$id\")" \
	"the shim's attach event does not carry the shim role and container $id"
jq_true "$f" "any(.[]; .type == \"detach\" and .pid == $shim)" "no detach event for the shim"
jq_true "$f" 'any(.[]; .type == "exec" and .role == "runtime" and (.argv | index("exec")) and
	(.note // "" | test("runs a new process in container")))' \
	"the runc exec the shim ran is not traced"
jq_true "$f" "any(.[]; .type == \"syscall\" and .syscall == \"setns\" and .ret == 0)" \
	"the exec'd process's setns into the container is not traced"
jq_true "$f" "any(.[]; .type == \"exec\" and .filename == \"/bin/sh\" and (.note // \"\" | test(\"in container $id\")))" \
	"the process run in the container is not named as such"
grep -q "^in-" "$T/shims.exec" || fail "the exec's output is missing: $(cat "$T/shims.exec")"
jq_true "$f" "[.[] | select(.type == \"end\") | .summary][0] as \$s | (\$s.containers | length) == 0 and
	(\$s.execs | length) == 1 and \$s.execs[0].container == \"$id\" and \$s.execs[0].path == \"/bin/sh\" and
	\$s.execs[0].runtime == \"runc\" and \$s.execs[0].end == \"exited with 0\" and \$s.execs[0].nspid > 1" \
	"the summary does not hold the exec: $(jq -c 'select(.type == "end") | .summary.execs' "$f")"
# the container goes on: a last exec, untraced, answers
timeout 30 "${CTR[@]}" task exec --exec-id last "$id" /bin/true || fail "the container stopped serving execs"

# Wrapping the exec itself: the client runs an exec, so the shims come too.
run_nstrace wrap -F json -o "$T/wrap.jsonl" --daemon "$CONTAINERD_PID" -- \
	"${CTR[@]}" task exec --exec-id wrap "$id" /bin/true
[ "$NSTRACE_RC" -eq 0 ] || { tail_of "$T/wrap.stderr"; fail "nstrace -- ctr task exec exited $NSTRACE_RC"; }
grep -q "^nstrace: attached to shim pid $shim$" "$T/wrap.stderr" ||
	{ cat "$T/wrap.stderr" >&2; fail "wrapping ctr task exec did not attach the shim"; }
jq_true "$T/wrap.jsonl" 'any(.[]; .type == "exec" and .role == "runtime" and (.argv | index("exec")))' \
	"wrapping ctr task exec: the runc exec is not traced"
jq_true "$T/wrap.jsonl" "any(.[]; .type == \"end\" and any(.summary.execs[]; .path == \"/bin/true\" and
	.container == \"$id\" and .end == \"exited with 0\"))" "wrapping ctr task exec: no exec in the summary"
assert_daemons_ok
assert_untraced $(shim_tree)

# A shim someone else traces is skipped with a line; the trace goes on.
strace -f -o /dev/null -p "$shim" 2>/dev/null &
other=$!
on_exit "kill -INT $other 2>/dev/null"
wait_traced "$shim" "$other" 30
run_nstrace busy -F json -o "$T/busy.jsonl" -p "$CONTAINERD_PID" --shims --timeout 1
kill -INT "$other"
wait "$other" 2>/dev/null || true
[ "$NSTRACE_RC" -eq 0 ] || { tail_of "$T/busy.stderr"; fail "a shim traced by strace made nstrace exit $NSTRACE_RC"; }
grep -q "^nstrace: shim $shim skipped: .*already traced" "$T/busy.stderr" ||
	{ cat "$T/busy.stderr" >&2; fail "no line says the traced shim was skipped"; }
jq_true "$T/busy.jsonl" "any(.[]; .type == \"attach\" and .pid == $CONTAINERD_PID)" "containerd was not attached"
assert_daemons_ok
assert_untraced $(shim_tree)

pass "containerd's running shim: named without --shims, attached with it; runc exec and its setns traced; a shim traced by another skipped; all untraced after"
