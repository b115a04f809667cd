# hostile_nonroot.sh - nstrace without the right to trace: run as `nobody`
# against a root process (by -p and by -a), and as root without CAP_SYS_PTRACE
# against another user's process. Each: exit 2, one clear line on stderr that
# names the pid and says the operation is not permitted, the target untouched.
# The rights nobody does have still work: tracing its own command, attaching
# to its own process.
. "$TESTS_DIR/lib/common.sh"

as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
# the build dir may sit under a directory `nobody` cannot enter: a copy of the
# binary in a world-readable dir
bin=$(mktemp -d /tmp/nstrace-nobody.XXXXXX)
on_exit "rm -rf '$bin'"
chmod 755 "$bin"
cp "$NSTRACE" "$bin/nstrace"
chmod 755 "$bin/nstrace"
out=$bin/out
mkdir -m 1777 "$out"

# expect_denied PID ARGS...: nstrace ARGS (as set up by the caller) fails as it should
expect_denied() {
	local pid=$1 rc
	shift
	set +e
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	set -e
	[ "$rc" = 2 ] || fail "$*: exit 2 expected, got $rc ($(cat "$T/err"))"
	[ "$(wc -l <"$T/err")" = 1 ] || fail "$*: one line expected on stderr, got: $(cat "$T/err")"
	grep -q "pid $pid" "$T/err" && grep -qi "not permitted" "$T/err" ||
		fail "$*: the line must name pid $pid and say it is not permitted: $(cat "$T/err")"
	assert_untraced "$pid"
	kill -0 "$pid" || fail "$*: the target died"
}

# a root process with a name of its own, for -a
cp /bin/sleep "$T/nsvictim"
"$T/nsvictim" 60 &
root_pid=$!
on_exit "kill_child TERM $root_pid"
sleep 0.2
expect_denied "$root_pid" "${as_nobody[@]}" "$bin/nstrace" -q -F json -o "$out/a.jsonl" -p "$root_pid"
grep -q "not root" "$T/err" || fail "as nobody: the line should say nstrace is not root: $(cat "$T/err")"
expect_denied "$root_pid" "${as_nobody[@]}" "$bin/nstrace" -q -F json -o "$out/b.jsonl" -a nsvictim

# nobody's own process: allowed
"${as_nobody[@]}" sleep 60 &
nb_pid=$!
on_exit "kill_child TERM $nb_pid"
sleep 0.2
# root without CAP_SYS_PTRACE against nobody's process: denied
expect_denied "$nb_pid" setpriv --bounding-set=-sys_ptrace -- "$bin/nstrace" -q -o "$out/c.txt" -p "$nb_pid"

"${as_nobody[@]}" "$bin/nstrace" -q -F json -o "$out/own.jsonl" -p "$nb_pid" 2>"$T/own.err" &
tracer=$!
on_exit "kill_child KILL $tracer"
wait_traced "$nb_pid" "$tracer" 10
kill -INT "$tracer"
wait_exit "$tracer" 10
[ "$WAIT_RC" = 0 ] || fail "nobody attaching to its own process: exit $WAIT_RC ($(cat "$T/own.err"))"
assert_untraced "$nb_pid"

# and its own command, run mode
set +e
"${as_nobody[@]}" "$bin/nstrace" -q -F json -o "$out/run.jsonl" -- /bin/sh -c 'exit 7' 2>"$T/run.err"
rc=$?
set -e
[ "$rc" = 7 ] || fail "nobody tracing its own command: exit $rc, the command exits 7 ($(cat "$T/run.err"))"
jq_true "$out/run.jsonl" 'any(.[]; .type == "exec")' "nobody's run-mode trace has no exec"
pass "denied as nobody (-p, -a) and without CAP_SYS_PTRACE: exit 2, one line; own process and command traced"
