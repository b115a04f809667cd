# group_stop.sh - kill -STOP / -CONT of an attached process behave as without a
# tracer (PTRACE_LISTEN), and a stopped process stays stopped after detach.
. "$TESTS_DIR/lib/common.sh"

state_of() { awk '/^State:/ {print $2}' /proc/$1/status; }

"$FIXTURES/threads" 2 60 "$T/ready" >/dev/null &
target=$!
on_exit "kill_child CONT $target; kill_child TERM $target"
for _ in $(seq 100); do [ -s "$T/ready" ] && break; sleep 0.05; done

"$NSTRACE" -q -F json -o "$T/t.jsonl" -p "$target" &
tracer=$!
on_exit "kill_child KILL $tracer"
for _ in $(seq 100); do
	[ "$(awk '/^TracerPid:/ {print $2}' /proc/$target/status)" = "$tracer" ] && break
	sleep 0.05
done
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
pass
