# storm_attach.sh - attach to a process while it is busy making threads (and
# processes): every thread ends up traced, including those created while the
# attach was going on, and the threads made afterwards are followed from their
# first instruction. Then detach: nothing left traced or stopped, the process
# finishes its work.
. "$TESTS_DIR/lib/common.sh"

"$FIXTURES/storm_tree" -s 8 "$T/ready" >"$T/fixture.out" 2>&1 &
fx=$!
on_exit "kill -CONT $fx 2>/dev/null; kill $fx 2>/dev/null"
for _ in $(seq 200); do [ -s "$T/ready" ] && break; sleep 0.05; done
[ -s "$T/ready" ] || fail "the fixture did not start"
sleep 0.5 # busy: threads and processes come and go, long-lived threads pile up

# untraced_tasks: "TID TRACERPID" of each task of the fixture not traced by
# nstrace, read by one awk (short-lived threads vanish under a slower reader)
untraced_tasks() {
	awk -v t="$tracer" '/^TracerPid:/ && $2 != t {split(FILENAME, p, "/"); print p[5], $2}' \
		/proc/"$fx"/task/*/status 2>/dev/null || true
}

"$NSTRACE" -q -F json -o "$T/t.jsonl" -p "$fx" 2>"$T/err" &
tracer=$!
on_exit "kill -KILL $tracer 2>/dev/null"
# every thread there is traced by us, within the bound
for ((i = 0; i < 100; i++)); do
	[ -z "$(untraced_tasks)" ] && [ -d "/proc/$fx/task" ] && break
	sleep 0.05
done
[ "$i" -lt 100 ] || fail "threads not traced 5 s after the attach began: $(untraced_tasks | head -5 | tr '\n' ' ')"
n_at_attach=$(ls "/proc/$fx/task" | wc -l)

# and stays so while threads keep coming: sample for 1.5 s
samples=0 seen=""
for _ in $(seq 30); do
	bad=$(untraced_tasks)
	[ -z "$bad" ] || fail "threads not traced after the attach completed (TID TRACERPID): $bad"
	seen="$seen $(ls "/proc/$fx/task")"
	samples=$((samples + 1))
	sleep 0.05
done
n_seen=$(echo $seen | tr ' ' '\n' | sort -u | wc -l)

kill -INT "$tracer"
wait_exit "$tracer" 20
[ "$WAIT_RC" = 0 ] || { tail_of "$T/err"; fail "nstrace exited $WAIT_RC on SIGINT"; }
assert_untraced "$fx" $(ps -o pid= --ppid "$fx" 2>/dev/null || true)
wait_exit "$fx" 30
[ "$WAIT_RC" = 0 ] || fail "the fixture exited $WAIT_RC"
grep -q '^done processes' "$T/fixture.out" || fail "the fixture did not finish: $(cat "$T/fixture.out")"

assert_trace_wellformed "$T/t.jsonl"
jq_true "$T/t.jsonl" '.[-1].reason == "signal"' "the end record does not say signal"
jq_true "$T/t.jsonl" 'any(.[]; .type == "spawn" and .is_thread == true)' "no thread made after the attach was traced"
jq_true "$T/t.jsonl" 'any(.[]; .type == "spawn" and .is_thread == false)' "no process made after the attach was traced"
pass "$n_at_attach threads at attach, $n_seen seen traced over $samples samples; all followed"
