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

# assert_valid_jsonl FILE: every line parses as JSON.
assert_valid_jsonl() {
	local n=0 line
	while IFS= read -r line; do
		n=$((n + 1))
		printf '%s' "$line" | jq -e . >/dev/null 2>&1 || fail "line $n of $1 is not JSON: $line"
	done <"$1"
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
