# docker_wrap.sh - `nstrace --daemon <containerd> -- docker run --rm --network none
# IMAGE /bin/true` against a private dockerd: the launch dockerd asks containerd
# for is traced down to the entrypoint, docker's exit status passes through, and
# dockerd and containerd are left untraced and serving.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/daemons.sh"

dockerd_start
docker_import_busybox nstrace-busybox

run_nstrace trace -F json -o "$T/trace.jsonl" --daemon "$CONTAINERD_PID" -- \
	"${DOCKER[@]}" run --rm --network none --cidfile "$T/cid" nstrace-busybox /bin/true
# Safety first: whatever nstrace did, the daemons must be untraced and serving.
assert_daemons_ok
[ "$NSTRACE_RC" -eq 0 ] || { tail_of "$T/trace.stderr"; fail "nstrace exited $NSTRACE_RC, docker run of /bin/true exits 0"; }
[ -s "$T/cid" ] || fail "docker wrote no container id"
assert_launch "$T/trace.jsonl" "$(cat "$T/cid")" /bin/true
assert_via_shim "$T/trace.jsonl"
jq_true "$T/trace.jsonl" 'any(.[]; .type == "exec" and .role == "client" and .filename == "/usr/bin/docker")' \
	"the docker client has the client role"
# docker only talks to dockerd: both daemons are attached for the command's life.
for d in "dockerd $DOCKERD_PID" "containerd $CONTAINERD_PID"; do
	set -- $d
	for kind in attach detach; do
		jq_launch "$T/trace.jsonl" 'any(.[]; .type == $k and .pid == $p)' \
			--arg k "$kind" --argjson p "$2" >/dev/null || fail "no $kind event for $1 ($2)"
	done
done

run_nstrace status -F json -o "$T/status.jsonl" --daemon "$CONTAINERD_PID" -- \
	"${DOCKER[@]}" run --rm --network none nstrace-busybox /bin/sh -c 'exit 5'
assert_daemons_ok
[ "$NSTRACE_RC" -eq 5 ] || { tail_of "$T/status.stderr"; fail "nstrace exited $NSTRACE_RC, the container exits 5"; }

# Without --daemon: dockerd is the owner of the -H socket, containerd the owner of
# the socket dockerd's --containerd names.
run_nstrace found -F json -o "$T/found.jsonl" -- \
	"${DOCKER[@]}" run --rm --network none --cidfile "$T/cid2" nstrace-busybox /bin/true
assert_daemons_ok
[ "$NSTRACE_RC" -eq 0 ] || { tail_of "$T/found.stderr"; fail "nstrace exited $NSTRACE_RC without --daemon"; }
jq_true "$T/found.jsonl" "any(.[]; .type==\"attach\" and .pid==$DOCKERD_PID) and any(.[]; .type==\"attach\" and .pid==$CONTAINERD_PID)" \
	"without --daemon, dockerd and its containerd were not both attached"
assert_launch "$T/found.jsonl" "$(cat "$T/cid2")" /bin/true

pass "docker run wrapped, launch traced through dockerd and containerd, status passed through"
