# daemons.sh - private containerd and dockerd instances for the end-to-end tests.
#
# Source it after common.sh. Each daemon gets its own config, root, state, exec
# and socket dirs, so it never touches (or is confused with) a daemon the machine
# already runs, and two tests can run side by side. Stopping is registered with
# on_exit when a daemon starts, so it happens whether the test passes or fails:
# containers deleted, daemons TERMed then KILLed after a bound, leftover shims
# killed, mounts under the daemon dir unmounted, the dir removed.
#
#   containerd_start       CONTAINERD_PID, CONTAINERD_SOCK, CTR_NS, CTR=(ctr ...)
#   dockerd_start          DOCKERD_PID, DOCKER_SOCK, DOCKER=(/usr/bin/docker -H ...)
#   docker_import_busybox [IMAGE]   an image from a busybox rootfs (nstrace-busybox)
#   assert_daemons_ok      both answer, and no thread of theirs is traced or stopped
#
# The machines have no systemd and a hybrid cgroup v1 layout: both daemons then
# use the cgroupfs driver, which is their default; nothing needs configuring.

: "${T:?source common.sh before daemons.sh}"

# The daemons' directory. Unix socket paths are limited to 108 bytes and dockerd
# and containerd put sockets a few levels below their dirs, so fall back to a
# short dir in /tmp when the test's temp dir is deep.
# Registered first, so it runs after the daemons are stopped.
if [ "${#T}" -le 60 ]; then
	DAEMONS_DIR=$T/d
	mkdir -p "$DAEMONS_DIR"
	on_exit '_unmount_under "$DAEMONS_DIR"' # common.sh removes $T
else
	DAEMONS_DIR=$(mktemp -d /tmp/nstrace-d.XXXXXX)
	on_exit _daemons_remove_dir
fi

CONTAINERD_PID= CONTAINERD_SOCK= CTR_NS= DOCKERD_PID= DOCKER_SOCK= DOCKER_CGROUP_NEW=
CTR=() DOCKER=()
DAEMON_STOP_TIMEOUT=${DAEMON_STOP_TIMEOUT:-10}

# Debian's docker client, not whatever newer one /usr/local/bin may hold: the API
# versions must match dockerd 20.10.
DOCKER_CLIENT=/usr/bin/docker

# _pid_alive PID: the process exists and is not a zombie.
_pid_alive() {
	local st
	[ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 1
	st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# _wait_gone PID SECONDS: wait for the process to end; non-zero if it did not.
_wait_gone() {
	local pid=$1 i n=$(($2 * 10))
	for ((i = 0; i < n; i++)); do
		_pid_alive "$pid" || return 0
		sleep 0.1
	done
	! _pid_alive "$pid"
}

# _stop_pid PID NAME: TERM, wait, KILL after the bound, reap if it is our child.
# A process left in a ptrace-stop (a tracer that died badly) ignores TERM until
# resumed, which is one reason for the KILL.
_stop_pid() {
	local pid=$1 name=$2
	_pid_alive "$pid" || { wait "$pid" 2>/dev/null || true; return 0; }
	kill -TERM "$pid" 2>/dev/null || true
	kill -CONT "$pid" 2>/dev/null || true # a job-control stop would hold the TERM
	if ! _wait_gone "$pid" "$DAEMON_STOP_TIMEOUT"; then
		echo "daemons: $name ($pid) ignored SIGTERM for ${DAEMON_STOP_TIMEOUT}s, killing" >&2
		kill -KILL "$pid" 2>/dev/null || true
		_wait_gone "$pid" 5 || echo "daemons: $name ($pid) survived SIGKILL" >&2
	fi
	wait "$pid" 2>/dev/null || true
}

# _pids_with_arg WORD: pids whose command line has WORD as one argument.
_pids_with_arg() {
	local d
	for d in /proc/[0-9]*; do
		[ -r "$d/cmdline" ] || continue
		tr '\0' '\n' <"$d/cmdline" 2>/dev/null | grep -qxF -- "$1" && echo "${d#/proc/}"
	done
	return 0
}

# _descendants PID: the pid and all its descendants, parents first.
_descendants() {
	local kid
	echo "$1"
	for kid in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		_descendants "$kid"
	done
}

# _shim_socket PID: the socket a containerd v2 shim listens on. containerd 1.6
# names it /run/containerd/s/sha256(ADDRESS/NAMESPACE/ID) whatever its own state
# dir, so a killed shim leaves it there unless we remove it.
_shim_socket() {
	local ns= id= addr= prev= arg
	while IFS= read -r -d '' arg; do
		case $prev in
		-namespace) ns=$arg ;;
		-id) id=$arg ;;
		-address) addr=$arg ;;
		esac
		prev=$arg
	done <"/proc/$1/cmdline"
	[ -n "$ns" ] && [ -n "$id" ] && [ -n "$addr" ] || return 0
	echo "/run/containerd/s/$(printf '%s' "$addr/$ns/$id" | sha256sum | cut -d' ' -f1)"
}

# _runc_delete_all ROOT: force-delete every container runc knows under ROOT.
_runc_delete_all() {
	local root=$1 id
	[ -d "$root" ] || return 0
	for id in $(runc --root "$root" list -q 2>/dev/null); do
		echo "daemons: deleting leftover container $id" >&2
		timeout 20 runc --root "$root" delete --force "$id" >/dev/null 2>&1 || true
	done
}

# _unmount_under DIR: unmount every mount point at or below DIR, deepest first.
_unmount_under() {
	local dir=$1 mp
	# mountinfo field 5 is the mount point, octal-escaped (\040 for a space).
	awk -v d="$dir" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo |
		sort -r | while read -r mp; do
		mp=$(printf '%b' "$mp")
		umount "$mp" 2>/dev/null || umount -l "$mp" 2>/dev/null ||
			echo "daemons: cannot unmount $mp" >&2
	done
}

# _remove_cgroups NAME: remove the cgroup NAME, and the empty ones below it, in
# every hierarchy (cgroup v1 controllers and v2). containerd puts its
# containers under /NAMESPACE/ID and dockerd under /docker/ID; the runtime
# removes the ID ones, the parent stays behind unless we remove it.
_remove_cgroups() {
	local d
	for d in /sys/fs/cgroup/*/"$1" /sys/fs/cgroup/"$1"; do
		[ -d "$d" ] || continue
		find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
	done
}

_daemons_remove_dir() {
	_unmount_under "$DAEMONS_DIR"
	# Keep the logs of a failed test next to its other files.
	cp "$DAEMONS_DIR"/*.log "$T"/ 2>/dev/null || true
	rm -rf "$DAEMONS_DIR"
}

# containerd_start: a private containerd; waits until `ctr version` answers.
containerd_start() {
	local d=$DAEMONS_DIR/containerd i
	mkdir -p "$d/root" "$d/state"
	CONTAINERD_SOCK=$d/containerd.sock
	# A namespace of our own keeps runc's state dir (/run/containerd/runc/NS,
	# shared by every containerd on the machine) apart from anyone else's.
	CTR_NS=nstrace-e2e-$$
	# The CRI plugin wants CNI and would only slow the start down.
	cat >"$d/config.toml" <<-EOF
		version = 2
		root = "$d/root"
		state = "$d/state"
		disabled_plugins = ["io.containerd.grpc.v1.cri"]
		[grpc]
		  address = "$CONTAINERD_SOCK"
		[ttrpc]
		  address = "$CONTAINERD_SOCK.ttrpc"
		[debug]
		  address = "$d/debug.sock"
		[plugins."io.containerd.internal.v1.opt"]
		  path = "$d/opt"
	EOF
	containerd --config "$d/config.toml" </dev/null >"$DAEMONS_DIR/containerd.log" 2>&1 &
	CONTAINERD_PID=$!
	on_exit containerd_stop
	CTR=(ctr --address "$CONTAINERD_SOCK" --namespace "$CTR_NS")
	for ((i = 0; i < 200; i++)); do
		"${CTR[@]}" version >/dev/null 2>&1 && return 0
		_pid_alive "$CONTAINERD_PID" || break
		sleep 0.1
	done
	tail -n 20 "$DAEMONS_DIR/containerd.log" >&2
	fail "containerd did not come up (log above)"
}

containerd_stop() {
	local pid shim sock
	[ -n "$CONTAINERD_PID" ] || return 0
	# Containers first, while containerd can still clean up after them.
	if _pid_alive "$CONTAINERD_PID"; then
		kill -CONT "$CONTAINERD_PID" 2>/dev/null || true # left stopped by a failed test?
		for pid in $(timeout 10 "${CTR[@]}" tasks ls -q 2>/dev/null); do
			timeout 10 "${CTR[@]}" tasks kill -s KILL "$pid" >/dev/null 2>&1 || true
		done
	fi
	_runc_delete_all "/run/containerd/runc/$CTR_NS"
	_stop_pid "$CONTAINERD_PID" containerd
	# Shims outlive containerd by design; ours carry its socket in their argv.
	for shim in $(_pids_with_arg "$CONTAINERD_SOCK"); do
		sock=$(_shim_socket "$shim" 2>/dev/null) || sock=
		for pid in $(_descendants "$shim"); do
			kill -KILL "$pid" 2>/dev/null || true
		done
		[ -z "$sock" ] || rm -f "$sock"
	done
	rm -rf "/run/containerd/runc/$CTR_NS"
	_remove_cgroups "$CTR_NS"
	CONTAINERD_PID=
}

# dockerd_start: a private dockerd on the private containerd (started if needed).
dockerd_start() {
	local d=$DAEMONS_DIR/docker i
	[ -n "$CONTAINERD_PID" ] || containerd_start
	mkdir -p "$d/data" "$d/exec"
	echo '{}' >"$d/daemon.json" # not /etc/docker/daemon.json
	DOCKER_SOCK=$d/docker.sock
	# dockerd makes a /docker cgroup for its containers: ours to remove if new
	DOCKER_CGROUP_NEW=1
	[ ! -d /sys/fs/cgroup/pids/docker ] && [ ! -d /sys/fs/cgroup/docker ] || DOCKER_CGROUP_NEW=
	dockerd --config-file "$d/daemon.json" \
		--iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
		--bridge=none --userland-proxy=false --storage-driver=vfs \
		--shutdown-timeout=2 \
		--containerd="$CONTAINERD_SOCK" \
		--data-root "$d/data" --exec-root "$d/exec" \
		-H "unix://$DOCKER_SOCK" --pidfile "$d/docker.pid" \
		</dev/null >"$DAEMONS_DIR/dockerd.log" 2>&1 &
	DOCKERD_PID=$!
	on_exit dockerd_stop
	DOCKER=("$DOCKER_CLIENT" -H "unix://$DOCKER_SOCK")
	for ((i = 0; i < 300; i++)); do
		"${DOCKER[@]}" version >/dev/null 2>&1 && return 0
		_pid_alive "$DOCKERD_PID" || break
		sleep 0.1
	done
	tail -n 20 "$DAEMONS_DIR/dockerd.log" >&2
	fail "dockerd did not come up (log above)"
}

dockerd_stop() {
	local id
	[ -n "$DOCKERD_PID" ] || return 0
	if _pid_alive "$DOCKERD_PID"; then
		kill -CONT "$DOCKERD_PID" 2>/dev/null || true
		for id in $(timeout 10 "${DOCKER[@]}" ps -aq 2>/dev/null); do
			timeout 20 "${DOCKER[@]}" rm -f "$id" >/dev/null 2>&1 || true
		done
	fi
	_stop_pid "$DOCKERD_PID" dockerd
	# dockerd tells runc to keep its state under the exec root.
	_runc_delete_all "$DAEMONS_DIR/docker/exec/runtime-runc/moby"
	_unmount_under "$DAEMONS_DIR/docker"
	[ -z "$DOCKER_CGROUP_NEW" ] || _remove_cgroups docker
	DOCKERD_PID=
}

# docker_import_busybox [IMAGE]: import a busybox rootfs as IMAGE (nstrace-busybox).
docker_import_busybox() {
	local image=${1:-nstrace-busybox} rootfs=$DAEMONS_DIR/image-rootfs
	make_busybox_rootfs "$rootfs"
	tar -C "$rootfs" -c . | "${DOCKER[@]}" import - "$image" >/dev/null ||
		fail "docker import of the busybox rootfs failed"
}

# assert_daemons_ok: the started daemons answer, and none of their threads (nor
# any shim of ours still around) is traced or stopped.
assert_daemons_ok() {
	if [ -n "$CONTAINERD_PID" ]; then
		_pid_alive "$CONTAINERD_PID" || fail "containerd ($CONTAINERD_PID) is gone"
		assert_untraced "$CONTAINERD_PID" $(_pids_with_arg "$CONTAINERD_SOCK")
		timeout 20 "${CTR[@]}" version >/dev/null || fail "containerd does not answer ctr version"
	fi
	if [ -n "$DOCKERD_PID" ]; then
		_pid_alive "$DOCKERD_PID" || fail "dockerd ($DOCKERD_PID) is gone"
		assert_untraced "$DOCKERD_PID"
		timeout 20 "${DOCKER[@]}" version >/dev/null || fail "dockerd does not answer docker version"
	fi
}
