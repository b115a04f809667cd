# containerd_only_mine.sh - while `nstrace --daemon <containerd> -- ctr run A`
# runs, another client launches B on the same containerd: B is shown but marked
# as not caused by the command, and --only-mine leaves B's events out.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/daemons.sh"

containerd_start
make_busybox_rootfs "$T/rootfs"

# trace_with_other NAME MINE OTHER [NSTRACE OPTIONS...]: wrap `ctr run MINE`, a
# shell that waits until the test creates /tmp/release-MINE in the rootfs (so it
# spans the other launch however slow that is), and launch OTHER meanwhile.
trace_with_other() {
	local name=$1 mine=$2 other=$3 tracer rc=0
	shift 3
	"$NSTRACE" -F json -o "$T/$name.jsonl" "$@" --daemon "$CONTAINERD_PID" -- \
		"${CTR[@]}" run --rm --env PATH=/bin --rootfs "$T/rootfs" "$mine" /bin/sh -c \
		"i=0; while [ ! -e /tmp/release-$mine ] && [ \$i -lt 900 ]; do sleep 0.1; i=\$((i + 1)); done" \
		</dev/null >"$T/$name.stdout" 2>"$T/$name.stderr" &
	tracer=$!
	on_exit "kill -INT $tracer 2>/dev/null"
	wait_traced "$CONTAINERD_PID" "$tracer" 30
	timeout 60 "${CTR[@]}" run --rm --env PATH=/bin --rootfs "$T/rootfs" "$other" /bin/true || rc=$?
	[ "$rc" -eq 0 ] || fail "the other ctr run exited $rc"
	_pid_alive "$tracer" || { tail_of "$T/$name.stderr"; fail "nstrace ended before its command was released"; }
	touch "$T/rootfs/tmp/release-$mine"
	wait_exit "$tracer" 60
	assert_daemons_ok
	[ "$WAIT_RC" -eq 0 ] || { tail_of "$T/$name.stderr"; fail "nstrace exited $WAIT_RC"; }
}

summary_caused() { # FILE ID: caused_by_command of container ID in the end summary
	jq -r -s --arg id "$2" '[.[] | select(.type == "end") | .summary.containers[] | select(.id == $id)
		| .caused_by_command] | if length == 1 then .[0] else "missing" end' "$1"
}

trace_with_other all mine-$$ other-$$
assert_launch "$T/all.jsonl" "mine-$$" /bin/sh
assert_launch "$T/all.jsonl" "other-$$" /bin/true
[ "$(summary_caused "$T/all.jsonl" "mine-$$")" = true ] || fail "mine-$$ not marked as caused by the command"
[ "$(summary_caused "$T/all.jsonl" "other-$$")" = false ] || fail "other-$$ not marked as not caused by the command"

trace_with_other only mine2-$$ other2-$$ --only-mine
assert_launch "$T/only.jsonl" "mine2-$$" /bin/sh
n=$(jq_count "$T/only.jsonl" ".container == \"other2-$$\"")
[ "$n" -eq 0 ] || fail "--only-mine still shows $n events of other2-$$"

pass "a concurrent launch is shown as not ours, and --only-mine hides it"
