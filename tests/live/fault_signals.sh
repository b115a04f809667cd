# fault_signals.sh - nstrace gets SIGINT, SIGTERM, SIGHUP or SIGKILL while it
# traces a busy process tree (storm_tree: processes and threads made and
# reaped all the time). Whatever the signal: every task is let go, none is
# stopped or killed (the fixture finishes its work and says so), and for the
# catchable signals nstrace exits 0 with complete JSON lines closed by an end
# record whose reason is "signal". After SIGKILL the kernel detaches the tree.
. "$TESTS_DIR/lib/common.sh"

# tree_of PID: PID and its current children
tree_of() { echo "$1" $(ps -o pid= --ppid "$1" 2>/dev/null || true); }

# one_run SIG FORMAT: attach to a busy tree, send SIG to nstrace mid-life, check.
one_run() {
	local sig=$1 fmt=$2 d="$T/$1.$2" fx tracer
	mkdir -p "$d"
	"$FIXTURES/storm_tree" -s 4 "$d/ready" "$d/go" >"$d/fixture.out" 2>&1 &
	fx=$!
	on_exit "kill_child CONT $fx; kill_child TERM $fx"
	for _ in $(seq 200); do [ -s "$d/ready" ] && break; sleep 0.05; done
	[ -s "$d/ready" ] || fail "$sig: the fixture did not start"

	"$NSTRACE" -q -F "$fmt" -e trace=all -o "$d/out" -p "$fx" 2>"$d/err" &
	tracer=$!
	on_exit "kill_child KILL $tracer"
	wait_traced "$fx" "$tracer" 20
	touch "$d/go"
	# mid-life: the tree has made processes and threads under the tracer
	sleep 1.5
	kill -0 "$fx" || fail "$sig: the fixture died under the tracer"
	kill -"$sig" "$tracer"
	wait_exit "$tracer" 20
	local rc=$WAIT_RC

	# the tree right after nstrace is gone: nobody traced, nobody stopped
	assert_untraced $(tree_of "$fx")
	[ "$(awk '/^Seccomp:/ {print $2}' "/proc/$fx/status")" = 0 ] || fail "$sig: a seccomp filter was left in the fixture"
	wait_exit "$fx" 30
	[ "$WAIT_RC" = 0 ] || fail "$sig: the fixture exited $WAIT_RC after nstrace got SIG$sig ($(cat "$d/fixture.out"))"
	grep -q '^done processes [1-9][0-9]* threads [1-9]' "$d/fixture.out" ||
		fail "$sig: the fixture did not finish its work: $(cat "$d/fixture.out")"

	if [ "$sig" = KILL ]; then
		[ "$rc" = 137 ] || fail "KILL: nstrace exit status $rc, expected 137"
		return
	fi
	[ "$rc" = 0 ] || { tail_of "$d/err"; fail "$sig: nstrace exited $rc, expected 0"; }
	case "$fmt" in
	json)
		assert_trace_wellformed "$d/out"
		jq_true "$d/out" '.[-1].reason == "signal"' "$sig: the end record does not say signal"
		jq_true "$d/out" 'any(.[]; .type == "spawn" and .is_thread == false)' "$sig: no process spawn traced"
		jq_true "$d/out" 'any(.[]; .type == "spawn" and .is_thread == true)' "$sig: no thread spawn traced"
		;;
	chrome)
		python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d' "$d/out" ||
			fail "$sig: the chrome trace is not one valid JSON document"
		;;
	text)
		[ -s "$d/out" ] || fail "$sig: empty text trace"
		[ "$(tail -c 1 "$d/out" | od -An -c | tr -d ' ')" = '\n' ] || fail "$sig: the text trace ends mid-line"
		;;
	esac
	echo "SIG$sig ($fmt): nstrace exit $rc, tree untraced, fixture: $(cat "$d/fixture.out")"
}

one_run INT json
one_run TERM json
one_run HUP json
one_run INT chrome
one_run TERM text
one_run KILL json
pass "SIGINT, SIGTERM, SIGHUP (json, chrome, text) and SIGKILL mid-life: tracees untouched"
