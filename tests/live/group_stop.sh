# group_stop.sh - kill -STOP / -CONT of an attached process behave as without a
# tracer (PTRACE_LISTEN), and a stopped process stays stopped after detach; a
# thread born while its group stops stays stopped with it.
. "$TESTS_DIR/lib/common.sh"

state_of() { awk '/^State:/ {print $2}' /proc/$1/status; }

"$FIXTURES/threads" 2 60 "$T/ready" >/dev/null &
target=$!
on_exit "kill_child CONT $target; kill_child TERM $target"
for _ in $(seq 100); do [ -s "$T/ready" ] && break; sleep 0.05; done

"$NSTRACE" -q -F json -o "$T/t.jsonl" -p "$target" &
tracer=$!
on_exit "kill_child KILL $tracer"
wait_traced "$target" "$tracer"
kill -STOP "$target"
sleep 0.3
[ "$(state_of "$target")" = T ] || [ "$(state_of "$target")" = t ] ||
	fail "SIGSTOP did not stop the traced process (state $(state_of "$target"))"
kill -CONT "$target"
sleep 0.3
case "$(state_of "$target")" in T | t) fail "SIGCONT did not continue the traced process" ;; esac

# stopped while we detach: stays stopped (as without us), and untraced
kill -STOP "$target"
sleep 0.2
kill -INT "$tracer"
wait "$tracer" || fail "nstrace failed on SIGINT"
tp=$(awk '/^TracerPid:/ {print $2}' /proc/$target/status)
[ "$tp" = 0 ] || fail "still traced after detach"
[ "$(state_of "$target")" = T ] || fail "a stopped process must stay stopped after detach"
kill -CONT "$target"
sleep 0.2
case "$(state_of "$target")" in T | t) fail "the process did not continue after detach" ;; esac

# A storm of threads: one created while the group-stop spreads starts with a
# stop signal in its first trap, and must stay stopped like its group.
"$FIXTURES/storm_tree" -s 30 "$T/storm.ready" "$T/storm.go" >"$T/storm.out" &
storm=$!
on_exit "kill_child CONT $storm; kill_child KILL $storm"
for _ in $(seq 100); do [ -s "$T/storm.ready" ] && break; sleep 0.05; done
"$NSTRACE" -q -o /dev/null -p "$storm" &
tracer2=$!
on_exit "kill_child KILL $tracer2"
wait_traced "$storm" "$tracer2"
touch "$T/storm.go"
sleep 0.3
for round in $(seq 15); do
	kill -STOP "$storm"
	sleep 0.15
	running=$(for st in /proc/"$storm"/task/*/stat; do
		awk '{ sub(/^.*\) /, ""); print $1 }' "$st" 2>/dev/null
	done | grep -c -v -E '^[tTZX]$' || true)
	[ "$running" = 0 ] || fail "round $round: $running threads run while their group is stopped"
	kill -CONT "$storm"
	sleep 0.05
done
kill -INT "$tracer2"
wait "$tracer2" || fail "nstrace failed on SIGINT (storm)"
pass
