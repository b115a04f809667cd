# seccomp_no_leftover.sh - --seccomp never leaves a filter behind: the run-mode
# command's processes end with the trace (their filter would make syscalls fail
# with ENOSYS once nstrace is gone), and attached processes never get one.
. "$TESTS_DIR/lib/common.sh"

# alive PID: running or stopped; a zombie (killed, not yet reaped by init) is gone
alive() { local st; st=$(awk '/^State:/ {print $2}' "/proc/$1/status" 2>/dev/null); [ -n "$st" ] && [ "$st" != Z ]; }
seccomp_mode() { awk '/^Seccomp:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo gone; }

# 1. a normal run: the filter is there while traced, the shown syscalls are seen
out=$("$NSTRACE" -q --seccomp -F json -o "$T/a.jsonl" -- sh -c 'grep ^Seccomp: /proc/self/status; unshare -U true')
[ "$out" = "Seccomp:	2" ] || fail "the command should run under nstrace's filter, got: $out"
jq_true "$T/a.jsonl" 'any(.[]; .type=="syscall" and .syscall=="unshare")' "unshare not seen with --seccomp"
jq_true "$T/a.jsonl" 'all(.[]; .type!="syscall" or .syscall!="getpid")' "a syscall outside the filter stopped"

# 2. the trace ends early (its output closes) while the command's tree runs:
#    every process of it ends too; none is left with the filter
"$NSTRACE" -q --seccomp -F json -o - -- sh -c 'echo $$ > '"$T/sh.pid"'; sleep 30 & echo $! > '"$T/bg.pid"'; while :; do unshare -U true; done' |
	{ head -c 1 >/dev/null; sleep 1; } || true # the output closes a second after it began
sleep 0.5
for f in sh.pid bg.pid; do
	pid=$(cat "$T/$f")
	if alive "$pid"; then
		on_exit "kill -KILL $pid 2>/dev/null"
		fail "process $pid ($f) of the filtered command outlived the trace (Seccomp: $(seccomp_mode "$pid"))"
	fi
done

# 3. attach mode: the attached process never gets a filter
sleep 30 &
victim=$!
on_exit "kill_child TERM $victim"
"$NSTRACE" --seccomp -F json -o "$T/c.jsonl" -p "$victim" 2>"$T/c.err" &
tracer=$!
for _ in $(seq 100); do
	[ "$(awk '/^TracerPid:/ {print $2}' /proc/$victim/status)" = "$tracer" ] && break
	sleep 0.05
done
kill -INT "$tracer"
wait "$tracer" || fail "nstrace failed on SIGINT"
grep -q "attached processes never get a filter" "$T/c.err" || fail "no note about --seccomp in attach mode"
[ "$(seccomp_mode "$victim")" = 0 ] || fail "the attached process carries a filter"
assert_untraced "$victim"
pass
