# signals.sh - signals reach tracees as without a tracer: Go's SIGURG passes
# untouched and unprinted, and in run mode a signal sent to nstrace alone is
# passed on to the command, whose death by it becomes nstrace's status.
. "$TESTS_DIR/lib/common.sh"

out=$("$NSTRACE" -q -F json -o "$T/urg.jsonl" -- "$FIXTURES/sigurg" 300)
[ "$out" = "sent 300 got 300" ] || fail "SIGURG lost or duplicated under the tracer: $out"
[ "$(jq_count "$T/urg.jsonl" '.type=="signal" and .signal=="SIGURG"')" = 0 ] ||
	fail "SIGURG must pass unprinted"

"$NSTRACE" -q -o "$T/term.txt" -- sleep 30 &
tracer=$!
on_exit "kill_child KILL $tracer"
for _ in $(seq 100); do pgrep -P "$tracer" -x sleep >/dev/null && break; sleep 0.05; done
child=$(pgrep -P "$tracer" -x sleep) || fail "the command did not start"
kill -TERM "$tracer"
set +e
wait "$tracer"
rc=$?
set -e
[ "$rc" = $((128 + 15)) ] || fail "SIGTERM to nstrace must end the command by SIGTERM: status $rc"
kill -0 "$child" 2>/dev/null && fail "the command survived"
grep -q "killed by SIGTERM" "$T/term.txt" || fail "the trace does not show the command killed by SIGTERM"
pass
