# common.sh - helpers shared by the live and end-to-end test scripts.
#
# Source it first thing: it sets strict mode, checks the environment ctest gives
# (NSTRACE, FIXTURES, TESTS_DIR, SOURCE_DIR, WORK_DIR), makes a private work dir
# and runs every registered cleanup at exit, pass or fail.
set -euo pipefail

: "${NSTRACE:?run through ctest (NSTRACE unset)}"
: "${FIXTURES:?run through ctest (FIXTURES unset)}"
: "${WORK_DIR:=/tmp/nstrace-tests}"

TEST_NAME=$(basename "${BASH_SOURCE[1]:-$0}" .sh)
mkdir -p "$WORK_DIR"
T=$(mktemp -d "$WORK_DIR/$TEST_NAME.XXXXXX")

_cleanups=()
# on_exit CMD...: run CMD at exit (last registered runs first).
on_exit() { _cleanups+=("$*"); }
_run_cleanups() {
	local rc=$? i
	for ((i = ${#_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_cleanups[$i]}" || true
	done
	if [ "$rc" -eq 0 ]; then rm -rf "$T"; else echo "test $TEST_NAME failed; files kept in $T" >&2; fi
	exit "$rc"
}
trap _run_cleanups EXIT
trap 'exit 130' INT TERM

# A deadline inside ctest's TIMEOUT (300 s): ctest kills a late test with SIGKILL,
# so its cleanups (daemons, shims, mounts) would never run. At TEST_DEADLINE
# seconds the watchdog TERMs the test shell, and 5 s later its children (a hung
# foreground command would hold the TERM trap), so the EXIT cleanups run.
# Its output goes to /dev/null: a process holding ctest's pipe makes ctest wait.
_watchdog() {
	local deadline=$1 shell=$2 kid
	sleep "$deadline"
	echo "FAIL: $TEST_NAME: over its ${deadline}s deadline, stopped" >"$T/.deadline"
	kill -TERM "$shell" 2>/dev/null || return 0
	sleep 5
	for kid in $(cat /proc/"$shell"/task/*/children 2>/dev/null); do
		[ "$kid" = "$BASHPID" ] || kill -TERM "$kid" 2>/dev/null
	done
}
_watchdog "${TEST_DEADLINE:-240}" $$ </dev/null >/dev/null 2>&1 &
_watchdog_pid=$!
_watchdog_stop() { # the watchdog and its sleep
	kill $(cat /proc/"$_watchdog_pid"/task/*/children 2>/dev/null) "$_watchdog_pid" 2>/dev/null
	[ ! -e "$T/.deadline" ] || cat "$T/.deadline" >&2
}
on_exit _watchdog_stop

# kill_child SIG PID: signal PID only while it is still a child of this test:
# storms recycle pids within seconds, and a stale pid may be anyone's
kill_child() {
	local ppid
	ppid=$(sed 's/.*) //' "/proc/$2/stat" 2>/dev/null | cut -d' ' -f2) || return 0
	if [ "$ppid" = "$$" ]; then kill -"$1" "$2" 2>/dev/null || true; fi
}

fail() { echo "FAIL: $TEST_NAME: $*" >&2; exit 1; }
pass() { echo "ok: $TEST_NAME${1:+: $*}"; }

[ "$(id -u)" -eq 0 ] || fail "tests run as root (ptrace, namespaces, container runtimes)"
command -v jq >/dev/null || fail "jq missing: run scripts/deps.sh"

# jq_true FILE FILTER MESSAGE: fail unless `jq -s FILTER` over the JSON Lines is true.
jq_true() {
	local file=$1 filter=$2 msg=$3
	jq -e -s "$filter" "$file" >/dev/null || fail "$msg (jq: $filter)"
}

# jq_count FILE FILTER: number of lines the select filter keeps.
jq_count() { jq -c "select($2)" "$1" | wc -l; }

# assert_valid_jsonl FILE: every line parses as a JSON object. One jq for the
# whole file (a jq per line costs seconds on a thousand-line trace).
assert_valid_jsonl() {
	local bad
	bad=$(jq -n -R -r 'inputs as $l | input_line_number as $n
		| $l | try (fromjson | if type == "object" then empty else "line \($n) is not an object: \($l)" end)
		catch "line \($n) is not JSON: \($l)"' "$1" | head -n 1) || fail "cannot read $1"
	[ -z "$bad" ] || fail "$1: $bad"
}

# assert_untraced PID...: every thread of each pid has TracerPid 0 and is not stopped.
assert_untraced() {
	local pid task tp st
	for pid in "$@"; do
		for task in /proc/"$pid"/task/*; do
			[ -d "$task" ] || continue
			tp=$(awk '/^TracerPid:/ {print $2}' "$task/status" 2>/dev/null || echo 0)
			st=$(awk '/^State:/ {print $2}' "$task/status" 2>/dev/null || echo S)
			[ "${tp:-0}" = 0 ] || fail "$task still traced by $tp"
			case "$st" in T | t) fail "$task left stopped (state $st)" ;; esac
		done
	done
}

# make_busybox_rootfs DIR: a rootfs with busybox-static and its applet links.
make_busybox_rootfs() {
	"$SOURCE_DIR/scripts/make-bundle.sh" --rootfs-only "$1" >/dev/null
}

# --- running nstrace and asserting on a container launch (used by e2e tests) ---

# run_nstrace NAME ARGS...: run "$NSTRACE" ARGS with stdin from /dev/null, stdout
# and stderr to $T/NAME.stdout and $T/NAME.stderr; its exit status in NSTRACE_RC.
# A hang gets SIGINT after NSTRACE_TIMEOUT seconds (nstrace detaches on it) and
# fails the test.
run_nstrace() {
	local name=$1
	shift
	NSTRACE_RC=0
	timeout -k 10 -s INT "${NSTRACE_TIMEOUT:-120}" "$NSTRACE" "$@" \
		</dev/null >"$T/$name.stdout" 2>"$T/$name.stderr" || NSTRACE_RC=$?
	if [ "$NSTRACE_RC" -eq 124 ]; then
		tail_of "$T/$name.stderr"
		fail "nstrace $* did not finish in ${NSTRACE_TIMEOUT:-120}s"
	fi
}

# tail_of FILE: the end of a file on stderr, to explain a failure.
tail_of() {
	echo "--- tail of $1:" >&2
	tail -n "${2:-15}" "$1" >&2 2>/dev/null || true
	echo "---" >&2
}

# wait_traced PID TRACER [SECONDS]: wait until every thread of PID is traced by
# TRACER (an attach has finished); fail after the bound or if TRACER dies.
wait_traced() {
	local pid=$1 tracer=$2 n=$((${3:-30} * 10)) i task ok
	for ((i = 0; i < n; i++)); do
		kill -0 "$tracer" 2>/dev/null || fail "nstrace ($tracer) exited before attaching to $pid"
		ok=1
		for task in /proc/"$pid"/task/*; do
			[ "$(awk '/^TracerPid:/ {print $2}' "$task/status" 2>/dev/null)" = "$tracer" ] || ok=
		done
		[ -n "$ok" ] && return 0
		sleep 0.1
	done
	fail "nstrace ($tracer) did not attach to every thread of $pid in ${3:-30}s"
}

# wait_exit PID SECONDS: wait for a background child; its status in WAIT_RC.
# Fails if it is still running after the bound (it gets SIGINT, then SIGKILL).
wait_exit() {
	local pid=$1 n=$(($2 * 10)) i
	for ((i = 0; i < n; i++)); do
		[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = Z ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if [ "$i" -ge "$n" ]; then
		kill -INT "$pid" 2>/dev/null
		sleep 2
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		fail "process $pid still running after ${2}s"
	fi
	WAIT_RC=0
	wait "$pid" || WAIT_RC=$?
}

# jq definitions shared by the launch assertions: is_stage(S) holds for an event
# of a task in runtime stage S (by the model's stage, or by its comm).
JQ_DEFS='
def is_stage($s): (.stage == $s or .comm == $s);
def changed: (.ns_changed // [] | if type == "object" then keys
	elif type == "array" then . else [] end);
def first_seq(f): ([.[] | select(f) | .seq] | min);
'

# jq_launch FILE FILTER [jq args...]: jq -s with JQ_DEFS over the JSON Lines.
jq_launch() {
	local file=$1 filter=$2
	shift 2
	jq -e -s "$@" "$JQ_DEFS $filter" "$file"
}

# assert_trace_wellformed FILE: JSON Lines, v 1, seq increasing, start first, end last.
assert_trace_wellformed() {
	local f=$1
	[ -s "$f" ] || fail "no trace output in $f"
	assert_valid_jsonl "$f"
	jq_true "$f" 'all(.[]; .v == 1)' "every event has v 1"
	jq_true "$f" '[.[].seq] as $s | $s == ($s | sort) and ($s | unique | length) == ($s | length)' \
		"seq strictly increasing"
	jq_true "$f" '.[0].type == "start" and .[-1].type == "end"' "trace starts with start and ends with end"
}

# assert_launch FILE ID ENTRYPOINT: the JSON trace shows a whole runc launch of
# container ID whose entrypoint is ENTRYPOINT: the id recognised, and among the
# events marked with it the three runc init stages in order, the namespaces
# created by runc:[1:CHILD], the pivot_root of runc:[2:INIT], the entrypoint exec
# as pid 1 of the container.
assert_launch() {
	local all=$1 id=$2 entry=$3 s f
	assert_trace_wellformed "$all"
	jq_launch "$all" 'any(.[]; .type == "container" and .container == $id)' --arg id "$id" >/dev/null || {
		echo "containers: $(jq -c 'select(.type == "container") | .container' "$all" | sort -u | tr '\n' ' ')" >&2
		fail "container $id not recognised (no container event for it)"
	}
	# The checks below look at the events the model tied to this container only,
	# so a trace holding several launches checks each on its own.
	f=$T/launch.$id.jsonl
	jq -c --arg id "$id" 'select(.container == $id)' "$all" >"$f"

	for s in 'runc:[0:PARENT]' 'runc:[1:CHILD]' 'runc:[2:INIT]'; do
		jq_launch "$f" 'any(.[]; is_stage($s))' --arg s "$s" >/dev/null || {
			echo "stages/comms seen: $(jq -r -s '[.[] | .stage // empty, .comm // empty] | unique | join(" ")' "$f")" >&2
			fail "no event of a task in stage $s"
		}
	done
	jq_launch "$f" 'first_seq(is_stage("runc:[0:PARENT]")) < first_seq(is_stage("runc:[1:CHILD]"))
		and first_seq(is_stage("runc:[1:CHILD]")) < first_seq(is_stage("runc:[2:INIT]"))' >/dev/null ||
		fail "runc stages not in order [0:PARENT] < [1:CHILD] < [2:INIT]"

	# runc 1.1 creates every namespace but the user and cgroup ones in one unshare.
	jq_launch "$f" 'any(.[]; .type == "syscall" and .syscall == "unshare" and is_stage("runc:[1:CHILD]")
		and .ret == 0 and (.call | test("CLONE_NEWNS")) and (.call | test("CLONE_NEWPID")))' >/dev/null || {
		echo "unshare calls: $(jq -c 'select(.syscall == "unshare") | [.comm, .stage, .call]' "$f")" >&2
		fail "no successful unshare(CLONE_NEWNS|CLONE_NEWPID|...) by runc:[1:CHILD]"
	}
	jq_launch "$f" 'any(.[]; .type == "syscall" and .syscall == "unshare" and is_stage("runc:[1:CHILD]")
		and .ret == 0 and (changed | index("mnt")) and (changed | index("net")))' >/dev/null || {
		echo "unshare ns_changed: $(jq -c 'select(.syscall == "unshare") | .ns_changed' "$f")" >&2
		fail "the unshare of runc:[1:CHILD] does not report its mnt and net namespaces changed"
	}
	# unshare(CLONE_NEWPID) only prepares a pid namespace for the next child, and
	# /proc/TID/ns/pid_for_children reads ENOENT until that child exists: the proof
	# is the entrypoint living in the mount namespace that unshare made and in a
	# pid namespace other than runc:[1:CHILD]'s own.
	jq_launch "$f" '(first(.[] | select(.syscall == "unshare" and is_stage("runc:[1:CHILD]") and .ret == 0)) | .ns) as $u
		| any(.[]; .type == "exec" and .filename == $e and .ns.mnt == $u.mnt
			and .ns.pid != null and $u.pid != null and .ns.pid != $u.pid)' --arg e "$entry" >/dev/null || {
		echo "ns of the unshare and of the execs: $(jq -c 'select(.syscall == "unshare" or .type == "exec") | [.type, .filename, .ns.mnt, .ns.pid]' "$f")" >&2
		fail "the entrypoint is not in the mount namespace created by the unshare and a new pid namespace"
	}
	jq_launch "$f" 'any(.[]; .syscall == "unshare" and is_stage("runc:[1:CHILD]") and .role == "runtime-init")' \
		>/dev/null || fail "runc:[1:CHILD] does not have the runtime-init role"

	jq_launch "$f" 'any(.[]; .type == "syscall" and .syscall == "pivot_root" and is_stage("runc:[2:INIT]") and .ret == 0)' \
		>/dev/null || {
		echo "pivot_root calls: $(jq -c 'select(.syscall == "pivot_root") | [.comm, .stage, .call]' "$f")" >&2
		fail "no successful pivot_root by runc:[2:INIT]"
	}

	jq_launch "$f" 'any(.[]; .type == "exec" and .filename == $e and .nspid == 1)' --arg e "$entry" >/dev/null || {
		echo "execs: $(jq -c 'select(.type == "exec") | [.pid, .nspid, .filename, .comm]' "$f")" >&2
		fail "no exec of $entry with pid 1 in the container"
	}
	jq_launch "$f" 'first_seq(.syscall == "pivot_root" and is_stage("runc:[2:INIT]"))
		< first_seq(.type == "exec" and .filename == $e and .nspid == 1)' --arg e "$entry" >/dev/null ||
		fail "the entrypoint exec does not come after the pivot_root"

}

# assert_via_shim FILE: the launch went daemon -> shim -> `runc create` -> runc's
# init stages -> `runc start`: an exec of a containerd shim (role shim), then of
# runc create (role runtime) before runc:[0:PARENT], and a runc start after it.
assert_via_shim() {
	local f=$1
	jq_launch "$f" 'any(.[]; .type == "exec" and .role == "shim" and (.filename | test("containerd-shim")))' \
		>/dev/null || {
		echo "execs: $(jq -c 'select(.type == "exec") | [.role, .filename]' "$f" | tr '\n' ' ')" >&2
		fail "no exec of a containerd shim with the shim role"
	}
	jq_launch "$f" '
		def runc($cmd): .type == "exec" and .role == "runtime" and (.argv | index([$cmd]));
		first_seq(.type == "exec" and .role == "shim") < first_seq(runc("create"))
		and first_seq(runc("create")) < first_seq(is_stage("runc:[0:PARENT]"))
		and first_seq(is_stage("runc:[2:INIT]")) < first_seq(runc("start"))' >/dev/null || {
		echo "execs: $(jq -c 'select(.type == "exec") | [.seq, .role, .argv[0:3]]' "$f" | tr '\n' ' ')" >&2
		fail "no shim -> runc create -> runc:[0:PARENT] ... runc:[2:INIT] -> runc start sequence"
	}
}
