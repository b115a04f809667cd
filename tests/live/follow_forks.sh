# follow_forks.sh - every task the forker fixture makes shows up as a spawn,
# CLONE_PARENT keeps spawner and parent apart, exec from a non-leader thread
# is reported with its old tid, signals and stop/continue go through.
. "$TESTS_DIR/lib/common.sh"

"$NSTRACE" -q -F json -e trace=all -o "$T/t.jsonl" -- "$FIXTURES/forker" >"$T/out.txt"
assert_valid_jsonl "$T/t.jsonl"

# the fixture prints "made KIND PID" for every process it creates
for pid in $(awk '/^made (fork|vfork|clone_parent) / {print $3}' "$T/out.txt"); do
	jq_true "$T/t.jsonl" "any(.[]; .type==\"spawn\" and .tid==$pid)" "no spawn event for pid $pid"
	jq_true "$T/t.jsonl" "any(.[]; .type==\"exit\" and .tid==$pid)" "no exit event for pid $pid"
done
jq_true "$T/t.jsonl" 'any(.[]; .type=="spawn" and .is_thread==true)' "thread creation not seen"

# CLONE_PARENT: spawned by the child, parented by the fixture itself
cp=$(awk '/^made clone_parent/ {print $3}' "$T/out.txt")
main=$(jq -s -r '[.[] | select(.type=="exec" and (.filename // "" | endswith("forker")))][0].pid' "$T/t.jsonl")
jq_true "$T/t.jsonl" "any(.[]; .type==\"spawn\" and .tid==$cp and .ppid==$main and .spawner!=$main)" \
	"CLONE_PARENT child: ppid must be the fixture ($main), spawner its child"

# exec from a non-leader thread: the exec event names the old tid
jq_true "$T/t.jsonl" 'any(.[]; .type=="exec" and (.old_tid // 0) > 0 and .old_tid != .pid)' \
	"exec by a non-leader thread not reported with old_tid"
grep -q "exec_thread status 0" "$T/out.txt" || fail "the exec'd thread's process did not exit 0"

# signals: SIGUSR1 delivered to the fixture; the stopped child finished normally
jq_true "$T/t.jsonl" 'any(.[]; .type=="signal" and .signal=="SIGUSR1")' "SIGUSR1 not reported"
grep -q "stopped 1" "$T/out.txt" || fail "SIGSTOP did not stop the child under the tracer"
grep -q "child status 0" "$T/out.txt" || fail "the stopped and continued child did not exit 0"

# the execve is the first syscall of the command: traced from its first instruction
jq_true "$T/t.jsonl" '[.[] | select(.type=="syscall")][0].syscall == "execve"' \
	"the first syscall seen is not the command's execve"
pass
