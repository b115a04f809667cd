# fault_containerd_output.sh - nstrace attached to a private containerd loses
# its output in the middle of a launch: the reader goes away (EPIPE: a reader
# that stops at the first spawn of the launch) or the filesystem fills up
# (ENOSPC: an 8 KiB tmpfs). nstrace detaches from everything and exits 1 with
# one line on stderr; containerd and its shims are untraced and not stopped,
# and `ctr run --rm` completes with status 0 as if nstrace had never been there;
# what was written is complete JSON lines.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/daemons.sh"

containerd_start
make_busybox_rootfs "$T/rootfs"

# launch NAME: a ctr run of a short container in the background, in CTR_JOB
launch() {
	timeout 60 "${CTR[@]}" run --rm --env PATH=/bin --rootfs "$T/rootfs" "fault-$1-$$" \
		/bin/sh -c 'sleep 1; echo container-done' >"$T/$1.ctr" 2>&1 &
	CTR_JOB=$!
	on_exit "kill_child TERM $CTR_JOB"
}

# wait_file FILE SECONDS: until FILE exists
wait_file() {
	local i
	for ((i = 0; i < $2 * 20; i++)); do [ -e "$1" ] && return 0; sleep 0.05; done
	fail "$1 did not appear in $2 s"
}

# launch_done NAME NSTRACE_RC: the launch NAME is unharmed, nstrace (stderr in
# $T/NAME.err) said why it stopped
launch_done() {
	local name=$1 rc=$2
	assert_daemons_ok
	wait_exit "$CTR_JOB" 60
	[ "$WAIT_RC" = 0 ] || { cat "$T/$name.ctr" >&2; fail "$name: ctr run exited $WAIT_RC"; }
	grep -q container-done "$T/$name.ctr" || fail "$name: the container did not run to its end"
	assert_daemons_ok
	[ "$rc" = 1 ] || { tail_of "$T/$name.err"; fail "$name: nstrace exited $rc, expected 1"; }
	[ "$(wc -l <"$T/$name.err")" = 1 ] && grep -q "output failed" "$T/$name.err" ||
		fail "$name: one 'output failed' line expected on stderr: $(cat "$T/$name.err")"
}

# --- EPIPE: the reader keeps lines until the launch's first spawn, then goes
mkfifo "$T/pipe"
(
	while IFS= read -r line; do
		printf '%s\n' "$line" >>"$T/pipe.jsonl"
		case $line in *'"type":"spawn"'*) break ;; esac
	done
) <"$T/pipe" &
reader=$!
on_exit "kill_child TERM $reader"
"$NSTRACE" -q -F json -o "$T/pipe" -p "$CONTAINERD_PID" 2>"$T/pipe.err" &
tracer=$!
on_exit "kill_child KILL $tracer"
wait_traced "$CONTAINERD_PID" "$tracer" 30
launch pipe
wait_exit "$tracer" 60
launch_done pipe "$WAIT_RC"
grep -q "Broken pipe" "$T/pipe.err" || fail "EPIPE: stderr does not say Broken pipe: $(cat "$T/pipe.err")"
assert_valid_jsonl "$T/pipe.jsonl"
jq_true "$T/pipe.jsonl" 'any(.[]; .type == "spawn")' "EPIPE: the reader did not see the launch begin"
echo "EPIPE mid-launch: nstrace exit 1, $(wc -l <"$T/pipe.jsonl") lines read, launch completed"

# --- ENOSPC: an 8 KiB tmpfs holds the start of the trace, not the launch
mkdir -p "$T/mnt"
mount -t tmpfs -o size=8k nstrace-test "$T/mnt" || fail "cannot mount a tmpfs on $T/mnt"
on_exit "umount -l '$T/mnt' 2>/dev/null"
"$NSTRACE" -q -F json -o "$T/mnt/trace.jsonl" -p "$CONTAINERD_PID" 2>"$T/full.err" &
tracer=$!
on_exit "kill_child KILL $tracer"
wait_traced "$CONTAINERD_PID" "$tracer" 30
launch full
wait_exit "$tracer" 60
launch_done full "$WAIT_RC"
grep -q "No space left" "$T/full.err" || fail "ENOSPC: stderr does not name the error: $(cat "$T/full.err")"
f=$T/mnt/trace.jsonl
[ "$(tail -c 1 "$f" | od -An -tx1 | tr -d ' ')" = 0a ] || fail "ENOSPC: the trace ends mid-line: $(tail -c 200 "$f")"
assert_valid_jsonl "$f"
jq_true "$f" '.[0].type == "start"' "ENOSPC: the records that fit do not start with the start record"
echo "ENOSPC mid-launch: nstrace exit 1, $(wc -l <"$f") complete lines kept, launch completed"
umount "$T/mnt"
pass "EPIPE and ENOSPC mid-launch: containerd untouched, launches completed, exit 1"
