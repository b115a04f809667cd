# fault_eventmsg.sh - a task killed between its fork event and nstrace's
# PTRACE_GETEVENTMSG (injected: the call fails with ESRCH, as it does then).
# nstrace must not invent a child with pid 0: under --seccomp, ending such a
# trace killed "process 0", that is nstrace's own process group. Here the trace
# runs in a session of its own next to a witness process: both must survive.
. "$TESTS_DIR/lib/common.sh"

shim=$FIXTURES/fail_eventmsg.so
[ -f "$shim" ] || fail "fixture $shim not built"

# The 1st GETEVENTMSG is sh's exec, the 2nd the fork of `sleep 5 &`.
setsid bash -c '
	sleep 60 & echo $! >"$1/witness"
	LD_PRELOAD=$2 ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
		"$3" --seccomp --timeout 1 -o "$1/trace.txt" -- sh -c "sleep 5 & sleep 5" 2>"$1/err"
	echo "rc=$?" >"$1/rc"
	kill "$(cat "$1/witness")"' bash "$T" "$shim" "$NSTRACE" </dev/null &
wrapper=$!
on_exit "kill_child KILL $wrapper"
wait "$wrapper" || true

[ -f "$T/rc" ] || fail "the wrapper shell died (killed with nstrace's process group?): $(cat "$T/err")"
grep -q "=== trace ended: timeout" "$T/trace.txt" || fail "no end of trace: $(tail -3 "$T/trace.txt")"
# every event line has a pid after its time ("  6.458 32065 [sh] ...")
if grep -E '^ *[0-9]+\.[0-9]+ +\[' "$T/trace.txt" | grep -q .; then
	fail "a line with no pid: $(grep -E '^ *[0-9]+\.[0-9]+ +\[' "$T/trace.txt" | head -2)"
fi

# The child of that fork is held for its parent's event, which never comes: it
# must be let go (after 2 s), not left stopped with nstrace waiting for it.
set +e
LD_PRELOAD=$shim ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
	timeout -s KILL 30 "$NSTRACE" -q -o "$T/held.txt" -- \
	sh -c 'sh -c "echo child-ran >\"$1\"" & wait' sh "$T/held.out" 2>"$T/held.err"
rc=$?
set -e
[ "$rc" = 0 ] || fail "nstrace exited $rc with a held child (137: it hung): $(cat "$T/held.err")"
[ "$(cat "$T/held.out" 2>/dev/null)" = child-ran ] || fail "the held child never ran"
grep -q "parent was killed before reporting it: left to run untraced" "$T/held.err" ||
	fail "no word about the child let go: $(cat "$T/held.err")"
pass "a fork event whose task died before GETEVENTMSG: no pid-0 child, nothing killed beyond the trace ($(cat "$T/rc")); its child let go, not held"
