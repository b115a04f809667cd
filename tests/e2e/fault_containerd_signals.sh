# fault_containerd_signals.sh - nstrace attached to a private containerd gets
# SIGINT, SIGTERM, SIGHUP or SIGKILL in the middle of a launch (while runc is
# building the container). Every time: containerd, its shims and the container
# are untraced and not stopped, `ctr run --rm` completes with status 0 as if
# nstrace had never been there, and for the catchable signals nstrace exits 0
# with complete JSON lines closed by an end record saying "signal".
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/daemons.sh"

containerd_start
make_busybox_rootfs "$T/rootfs"

# mid_launch SIG: attach, start a launch, hit nstrace with SIG once runc runs.
mid_launch() {
	local sig=$1 d="$T/$1" id="fault-$1-$$" tracer ctr
	mkdir -p "$d"
	"$NSTRACE" -q -F json -o "$d/trace.jsonl" -p "$CONTAINERD_PID" 2>"$d/err" &
	tracer=$!
	on_exit "kill_child KILL $tracer"
	wait_traced "$CONTAINERD_PID" "$tracer" 30

	timeout 60 "${CTR[@]}" run --rm --env PATH=/bin --rootfs "$T/rootfs" "$id" \
		/bin/sh -c 'sleep 1; echo container-done' >"$d/ctr.out" 2>&1 &
	ctr=$!
	on_exit "kill_child TERM $ctr"
	# mid-launch: a shim or runc of this container exists (pgrep reads every
	# cmdline in C: fast enough to catch the launch in flight)
	local deadline=$((SECONDS + 15))
	until pgrep -f -- "(runc|shim).*$id" >/dev/null; do
		kill -0 "$ctr" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$ctr/stat" 2>/dev/null)" != Z ] ||
			{ cat "$d/ctr.out" >&2; fail "$sig: ctr run ended before its runtime was seen"; }
		[ "$SECONDS" -lt "$deadline" ] || fail "$sig: no runtime process for $id appeared in 15 s"
		sleep 0.02
	done
	kill -"$sig" "$tracer"
	wait_exit "$tracer" 30
	local rc=$WAIT_RC

	assert_daemons_ok
	[ "$(awk '/^Seccomp:/ {print $2}' "/proc/$CONTAINERD_PID/status")" = 0 ] ||
		fail "$sig: containerd was left with a seccomp filter"
	wait_exit "$ctr" 60
	[ "$WAIT_RC" = 0 ] || { cat "$d/ctr.out" >&2; fail "$sig: ctr run exited $WAIT_RC after nstrace got SIG$sig"; }
	grep -q container-done "$d/ctr.out" || fail "$sig: the container did not run to its end: $(cat "$d/ctr.out")"
	assert_daemons_ok

	if [ "$sig" = KILL ]; then
		[ "$rc" = 137 ] || fail "KILL: nstrace exit status $rc"
		echo "SIGKILL mid-launch: launch completed, containerd untraced"
		return
	fi
	[ "$rc" = 0 ] || { tail_of "$d/err"; fail "$sig: nstrace exited $rc, expected 0"; }
	assert_trace_wellformed "$d/trace.jsonl"
	jq_true "$d/trace.jsonl" '.[-1].reason == "signal"' "$sig: the end record does not say signal"
	jq_true "$d/trace.jsonl" 'any(.[]; .type == "spawn" or .type == "exec")' "$sig: nothing of the launch was traced"
	echo "SIG$sig mid-launch: nstrace exit 0, $(wc -l <"$d/trace.jsonl") records, launch completed"
}

mid_launch INT
mid_launch TERM
mid_launch HUP
mid_launch KILL
pass "SIGINT, SIGTERM, SIGHUP, SIGKILL mid-launch: containerd untouched, every launch completed"
