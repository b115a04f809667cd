# attach_detach.sh - attach to a running multi-threaded process, trace it,
# detach on SIGINT: every thread untraced, none stopped, the process goes on.
. "$TESTS_DIR/lib/common.sh"

"$FIXTURES/threads" 8 60 "$T/ready" >"$T/threads.out" &
target=$!
on_exit "kill_child TERM $target; wait $target 2>/dev/null"
for _ in $(seq 100); do [ -s "$T/ready" ] && break; sleep 0.05; done
[ -s "$T/ready" ] || fail "fixture did not start"

"$NSTRACE" -F json -e trace=all -o "$T/t.jsonl" -p "$target" 2>"$T/err" &
tracer=$!
on_exit "kill_child KILL $tracer"
wait_traced "$target" "$tracer"
sleep 0.5
for task in /proc/$target/task/*; do
	tp=$(awk '/^TracerPid:/ {print $2}' "$task/status")
	[ "$tp" = "$tracer" ] || fail "thread $(basename "$task") not traced (TracerPid $tp)"
done
kill -INT "$tracer"
set +e
wait "$tracer"
rc=$?
set -e
[ "$rc" = 0 ] || fail "nstrace exit status $rc after SIGINT, expected 0 ($(cat "$T/err"))"
assert_untraced "$target"
kill -0 "$target" || fail "the traced process died"
assert_valid_jsonl "$T/t.jsonl"
jq_true "$T/t.jsonl" 'any(.[]; .type=="attach")' "no attach record"
jq_true "$T/t.jsonl" '[.[] | select(.type=="end")][0].reason == "signal"' "end record must say signal"
jq_true "$T/t.jsonl" 'any(.[]; .type=="syscall" and .syscall=="getpid")' "no syscall traced while attached"
# still running untraced: its threads keep making progress
s1=$(awk '{print $14+$15}' /proc/$target/stat)
sleep 0.3
s2=$(awk '{print $14+$15}' /proc/$target/stat)
state=$(awk '/^State:/ {print $2}' /proc/$target/status)
case "$state" in T | t) fail "process left stopped" ;; esac
pass
