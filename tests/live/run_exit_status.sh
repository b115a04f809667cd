# run_exit_status.sh - run mode passes the command's exit status through:
# its exit code, 128+N when a signal killed it, 127 when it cannot run.
. "$TESTS_DIR/lib/common.sh"

set +e
"$NSTRACE" -q -F json -o "$T/a.jsonl" -- "$FIXTURES/forker" 7 >/dev/null
rc=$?
set -e
[ "$rc" = 7 ] || fail "exit code 7 expected, got $rc"
assert_valid_jsonl "$T/a.jsonl"
jq_true "$T/a.jsonl" '[.[] | select(.type=="end")] | length == 1 and .[0].exit_status == 7' \
	"the end record carries the exit status"

set +e
"$NSTRACE" -q -F json -o "$T/b.jsonl" -- sh -c 'kill -KILL $$'
rc=$?
set -e
[ "$rc" = 137 ] || fail "killed by SIGKILL: 137 expected, got $rc"

set +e
"$NSTRACE" -q -o "$T/c.txt" -- /nonexistent/command 2>"$T/c.err"
rc=$?
set -e
[ "$rc" = 127 ] || fail "a command that cannot run: 127 expected, got $rc"
[ "$(wc -l <"$T/c.err")" = 1 ] || fail "one line of error expected: $(cat "$T/c.err")"
grep -q "cannot run '/nonexistent/command'" "$T/c.err" || fail "unclear error: $(cat "$T/c.err")"

# the trace goes to stderr by default: still one line, no trace begun
set +e
"$NSTRACE" -- /nonexistent/command 2>"$T/d.err"
rc=$?
set -e
[ "$rc" = 127 ] || fail "a command that cannot run, stderr output: 127 expected, got $rc"
[ "$(wc -l <"$T/d.err")" = 1 ] || fail "one line of error expected on stderr: $(cat "$T/d.err")"
set +e
"$NSTRACE" -- no-such-command-in-path 2>"$T/e.err"
rc=$?
set -e
[ "$rc" = 127 ] && [ "$(wc -l <"$T/e.err")" = 1 ] && grep -q "not found in PATH" "$T/e.err" ||
	fail "a name not in PATH: $rc $(cat "$T/e.err")"
pass
