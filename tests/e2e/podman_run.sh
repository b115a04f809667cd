# podman_run.sh - `nstrace -- podman run --rm IMAGE CMD` with Debian's podman,
# conmon and crun: podman has no daemon, so the whole tree is the command's:
# podman (client) -> conmon (shim) -> `crun create` (runtime, with its re-exec)
# -> the container's init -> `crun start` -> the entrypoint as pid 1. One
# container, its phases in order, no failures, the exit status passed through.
# podman keeps everything under the test's directory (--root, --tmpdir, vfs
# storage, no events file) and one short runroot, so nothing is left behind.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/daemons.sh" # _unmount_under

# podman refuses a runroot longer than 50 characters, and the test's own
# directory can be deeper than that (a CI checkout's build tree): the runroot
# is a short private directory of its own, removed with the rest.
RUNROOT=$(mktemp -d /tmp/nstrace-pm.XXXXXX)
P=(podman --root "$T/storage" --runroot "$RUNROOT" --tmpdir "$T/tmp"
	--storage-driver vfs --cgroup-manager cgroupfs --events-backend none)
# What podman makes outside them whatever it is told (its image blob cache,
# netavark's lock, the parent cgroup of its containers) goes too, if it is new.
new_paths=()
for d in /var/lib/containers /run/containers /etc/containers/networks; do
	[ -e "$d" ] || new_paths+=("$d")
done
new_cgroup=
[ -d /sys/fs/cgroup/pids/libpod_parent ] || new_cgroup=1
podman_cleanup() {
	timeout 30 "${P[@]}" rm -af >/dev/null 2>&1 || true
	timeout 30 "${P[@]}" rmi -af >/dev/null 2>&1 || true
	_unmount_under "$T"
	_unmount_under "$RUNROOT"
	rm -rf "$RUNROOT"
	[ ${#new_paths[@]} -eq 0 ] || rm -rf "${new_paths[@]}"
	[ -z "$new_cgroup" ] || _remove_cgroups libpod_parent
}
on_exit podman_cleanup

make_busybox_rootfs "$T/rootfs"
tar -C "$T/rootfs" -c . | timeout 60 "${P[@]}" import - nstrace-busybox >/dev/null 2>"$T/import.err" ||
	{ cat "$T/import.err" >&2; fail "podman import of the busybox rootfs failed"; }

# As in crun_run.sh: crun 1.8 refuses this machine's hybrid cgroup layout, so
# the launch runs in a mount namespace without /sys/fs/cgroup/unified. podman's
# default rlimits (nofile 1048576) are above this machine's hard limits: the
# container asks for what any process here may have.
in_ns=()
if grep -q . /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null; then
	in_ns=(unshare -m --propagation private sh -c 'umount -l /sys/fs/cgroup/unified && exec "$@"' in-ns)
fi
run_podman() {
	local name=$1
	shift
	run_nstrace "$name" -F json -o "$T/$name.jsonl" -- "${in_ns[@]}" "${P[@]}" run --rm \
		--network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 nstrace-busybox "$@"
}

run_podman trace /bin/true
[ "$NSTRACE_RC" -eq 0 ] || { tail_of "$T/trace.stderr"; fail "nstrace exited $NSTRACE_RC, podman run of /bin/true exits 0"; }
f=$T/trace.jsonl
assert_trace_wellformed "$f"
jq_true "$f" '[.[] | select(.type == "container")] | length == 1' \
	"podman's container announced $(jq -c 'select(.type == "container")' "$f" | wc -l) times, once expected"
jq_true "$f" 'any(.[]; .type == "exec" and .role == "client" and (.filename | endswith("/podman")))' \
	"podman does not have the client role"
jq_true "$f" 'any(.[]; .type == "exec" and .role == "shim" and (.filename | endswith("/conmon")) and .container)' \
	"conmon is not the container's shim"
jq_true "$f" 'any(.[]; .type == "exec" and .role == "runtime" and (.argv | index("create")))' "no crun create"
jq_true "$f" 'any(.[]; .type == "exec" and .filename == "/bin/true" and .nspid == 1 and .role == "workload")' \
	"no exec of /bin/true as pid 1 of the container"
jq_true "$f" '[.[] | select(.type == "end") | .summary.containers[0]][0] as $c |
	$c.runtime == "crun" and ($c.failures | length) == 0 and $c.entrypoint == "/bin/true" and
	$c.entry_nspid == 1 and ($c.ns_created | index("mnt")) and ($c.ns_created | index("pid")) and
	([$c.phases[].name] as $p | $p | index("shim start") == 0 and
	 index("runtime create") < index("namespace setup") and
	 index("pivot_root") < index("wait for start") and index("wait for start") < index("workload"))' \
	"the summary is not podman's launch: $(jq -c 'select(.type == "end") | .summary.containers[0] | {runtime, failures, entrypoint, phases: [.phases[].name]}' "$f")"

run_podman status /bin/sh -c 'exit 7'
[ "$NSTRACE_RC" -eq 7 ] || { tail_of "$T/status.stderr"; fail "nstrace exited $NSTRACE_RC, the container exits 7"; }
assert_trace_wellformed "$T/status.jsonl"

[ -z "$(timeout 30 "${P[@]}" ps -aq 2>/dev/null)" ] || fail "podman run --rm left a container"
pass "podman run traced: client, conmon shim, crun create and start, entrypoint pid 1, phases, no failures, status passed through"
