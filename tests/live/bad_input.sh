# bad_input.sh - bad targets and options: one clear line on stderr, a non-zero
# exit (2), and nothing attached.
. "$TESTS_DIR/lib/common.sh"

# expect_error EXPECTED_TEXT ARGS...: nstrace must fail with exit 2 and one line
expect_error() {
	local want=$1 rc
	shift
	set +e
	"$NSTRACE" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	set -e
	[ "$rc" = 2 ] || fail "nstrace $*: exit 2 expected, got $rc"
	[ "$(wc -l <"$T/err")" = 1 ] || fail "nstrace $*: one line expected, got: $(cat "$T/err")"
	grep -q -- "$want" "$T/err" || fail "nstrace $*: '$want' expected in: $(cat "$T/err")"
}

expect_error "no such process" -p 999999999
expect_error "not a process id" -p abc
expect_error "not a process id" -p -5
expect_error "kernel thread" -p 2
expect_error "nothing to trace"
expect_error "unknown option" --no-such-option -- true
expect_error "unknown syscall" -e trace=nosuchcall -- true
expect_error "unknown format" -F xml -- true
expect_error "cannot open output" -o /nonexistent/dir/out -- true
expect_error "no running process is named" -a no-such-process-name

# nstrace itself: the shell execs into nstrace, so $$ is its pid
set +e
sh -c 'exec "$0" -p $$' "$NSTRACE" 2>"$T/err"
rc=$?
set -e
[ "$rc" = 2 ] && grep -q "nstrace itself" "$T/err" || fail "self attach: $rc $(cat "$T/err")"

# a process already traced (by strace)
sleep 30 &
victim=$!
on_exit "kill_child TERM $victim"
strace -qq -p "$victim" -o /dev/null &
st=$!
on_exit "kill_child TERM $st"
for _ in $(seq 100); do
	[ "$(awk '/^TracerPid:/ {print $2}' /proc/$victim/status)" != 0 ] && break
	sleep 0.05
done
expect_error "already traced by pid $st" -p "$victim"
kill "$st"
wait "$st" 2>/dev/null || true
assert_untraced "$victim"
pass
