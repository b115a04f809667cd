# storm_attach.sh - attach to a process while it is busy making threads (and
# processes), four times over its life: each time the attach succeeds (a thread
# the kernel already gave us through a traced creator, or one dying under the
# seize, is no reason to give up), every thread ends up traced, including those
# created while the attach was going on, and the threads made afterwards are
# followed from their birth. Each detach leaves nothing traced or stopped; the
# process finishes its work.
. "$TESTS_DIR/lib/common.sh"

ROUNDS=4
"$FIXTURES/storm_tree" -s 24 "$T/ready" >"$T/fixture.out" 2>&1 &
fx=$!
on_exit "kill_child CONT $fx; kill_child TERM $fx"
for _ in $(seq 200); do [ -s "$T/ready" ] && break; sleep 0.05; done
[ -s "$T/ready" ] || fail "the fixture did not start"
sleep 0.5 # busy: threads and processes come and go, long-lived threads pile up

# untraced_tasks: "TID TRACERPID" of each task of the fixture not traced by
# nstrace, read by one awk (short-lived threads vanish under a slower reader)
untraced_tasks() {
	awk -v t="$tracer" '/^TracerPid:/ && $2 != t {split(FILENAME, p, "/"); print p[5], $2}' \
		/proc/"$fx"/task/*/status 2>/dev/null || true
}

for round in $(seq "$ROUNDS"); do
	f=$T/t.$round.jsonl
	"$NSTRACE" -q -F json -o "$f" -p "$fx" 2>"$T/err.$round" &
	tracer=$!
	on_exit "kill_child KILL $tracer"
	# every thread there is traced by us, within the bound
	for ((i = 0; i < 100; i++)); do
		[ "$(awk '{print $3}' "/proc/$tracer/stat" 2>/dev/null)" != Z ] ||
			{ wait "$tracer" || true; fail "round $round: nstrace gave up attaching: $(cat "$T/err.$round")"; }
		[ -z "$(untraced_tasks)" ] && [ -d "/proc/$fx/task" ] && break
		sleep 0.05
	done
	[ "$i" -lt 100 ] || fail "round $round: threads not traced 5 s after the attach began: $(untraced_tasks | head -5 | tr '\n' ' ') (nstrace: $(cat "$T/err.$round"))"
	n_at_attach=$(ls "/proc/$fx/task" | wc -l)

	# and stays so while threads keep coming: sample for 0.5 s
	seen=""
	for _ in $(seq 10); do
		bad=$(untraced_tasks)
		[ -z "$bad" ] || fail "round $round: threads not traced after the attach completed (TID TRACERPID): $(echo $bad | head -c 300) (nstrace: $(cat "$T/err.$round"))"
		seen="$seen $(ls "/proc/$fx/task")"
		sleep 0.05
	done
	n_seen=$(echo $seen | tr ' ' '\n' | sort -u | wc -l)

	kill -INT "$tracer"
	wait_exit "$tracer" 20
	[ "$WAIT_RC" = 0 ] || { tail_of "$T/err.$round"; fail "round $round: nstrace exited $WAIT_RC on SIGINT"; }
	assert_untraced "$fx" $(ps -o pid= --ppid "$fx" 2>/dev/null || true)
	kill -0 "$fx" || fail "round $round: the fixture is gone"
	assert_trace_wellformed "$f"
	jq_true "$f" '.[-1].reason == "signal"' "round $round: the end record does not say signal"
	jq_true "$f" 'any(.[]; .type == "spawn" and .is_thread == true)' "round $round: no thread made after the attach was traced"
	jq_true "$f" 'any(.[]; .type == "spawn" and .is_thread == false)' "round $round: no process made after the attach was traced"
	echo "round $round: $n_at_attach threads at attach, $n_seen seen traced, all followed"
done

wait_exit "$fx" 30
[ "$WAIT_RC" = 0 ] || fail "the fixture exited $WAIT_RC"
grep -q '^done processes' "$T/fixture.out" || fail "the fixture did not finish: $(cat "$T/fixture.out")"
pass "$ROUNDS attaches to a busy process: every thread traced and followed, every detach clean"
