# fault_output.sh - nstrace's output breaks while it traces a busy process
# tree: a reader that goes away (SIGPIPE/EPIPE: `nstrace -o - | head -1`) or a
# full filesystem (ENOSPC: the output on a small tmpfs). nstrace detaches from
# every task, none is stopped or killed (the fixture finishes its work), exits
# 1 with one line on stderr, and what reached the output is complete lines: each
# JSON line parses, a text trace does not end mid-line.
. "$TESTS_DIR/lib/common.sh"

tree_of() { echo "$1" $(ps -o pid= --ppid "$1" 2>/dev/null || true); }

# start_tree DIR: a busy storm_tree waiting for DIR/go; its pid in FX.
start_tree() {
	mkdir -p "$1"
	"$FIXTURES/storm_tree" -s 4 "$1/ready" "$1/go" >"$1/fixture.out" 2>&1 &
	FX=$!
	on_exit "kill_child CONT $FX; kill_child TERM $FX"
	for _ in $(seq 200); do [ -s "$1/ready" ] && break; sleep 0.05; done
	[ -s "$1/ready" ] || fail "the fixture did not start"
	touch "$1/go"
}

# after_fault NAME DIR RC: the checks every fault shares.
after_fault() {
	local name=$1 d=$2 rc=$3
	assert_untraced $(tree_of "$FX")
	wait_exit "$FX" 30
	[ "$WAIT_RC" = 0 ] || fail "$name: the fixture exited $WAIT_RC ($(cat "$d/fixture.out"))"
	grep -q '^done processes [1-9]' "$d/fixture.out" || fail "$name: the fixture did not finish: $(cat "$d/fixture.out")"
	[ "$rc" = 1 ] || { tail_of "$d/err"; fail "$name: nstrace exited $rc, expected 1 (output error)"; }
	[ "$(wc -l <"$d/err")" = 1 ] || fail "$name: one line on stderr expected, got: $(cat "$d/err")"
	grep -q "output failed" "$d/err" || fail "$name: stderr does not say the output failed: $(cat "$d/err")"
}

# complete_lines FILE: the file ends with a newline (no half-written record).
complete_lines() {
	[ -s "$1" ] || fail "$1 is empty"
	[ "$(tail -c 1 "$1" | od -An -tx1 | tr -d ' ')" = 0a ] ||
		fail "$1 ends mid-line: $(tail -c 120 "$1")"
}

# --- SIGPIPE: the reader goes after one line -------------------------------
for fmt in json text; do
	d="$T/pipe.$fmt"
	start_tree "$d"
	set +e
	"$NSTRACE" -q -F "$fmt" -e trace=all -o - -p "$FX" 2>"$d/err" | head -1 >"$d/first"
	rc=${PIPESTATUS[0]}
	set -e
	after_fault "EPIPE ($fmt)" "$d" "$rc"
	[ "$(wc -l <"$d/first")" = 1 ] || fail "EPIPE ($fmt): head did not get a line"
	if [ "$fmt" = json ]; then
		jq -e '.type == "start" and .v == 1' "$d/first" >/dev/null || fail "EPIPE: the first line is not the start record"
	fi
	echo "EPIPE ($fmt): nstrace exit $rc, $(cat "$d/err"); fixture: $(cat "$d/fixture.out")"
done

# --- ENOSPC: a 64 KiB tmpfs fills up ---------------------------------------
for fmt in json text; do
	d="$T/full.$fmt"
	mkdir -p "$d/mnt"
	mount -t tmpfs -o size=64k nstrace-test "$d/mnt" || fail "cannot mount a tmpfs on $d/mnt"
	on_exit "umount -l '$d/mnt' 2>/dev/null"
	start_tree "$d"
	set +e
	"$NSTRACE" -q -F "$fmt" -e trace=all -o "$d/mnt/out" -p "$FX" 2>"$d/err"
	rc=$?
	set -e
	after_fault "ENOSPC ($fmt)" "$d" "$rc"
	grep -q "No space left" "$d/err" || fail "ENOSPC ($fmt): stderr does not name the error: $(cat "$d/err")"
	complete_lines "$d/mnt/out"
	if [ "$fmt" = json ]; then
		assert_valid_jsonl "$d/mnt/out"
		jq -e -s '.[0].type == "start" and all(.[]; .v == 1)' "$d/mnt/out" >/dev/null ||
			fail "ENOSPC: the records that fit are not a trace from its start"
	fi
	echo "ENOSPC ($fmt): nstrace exit $rc, $(wc -l <"$d/mnt/out") complete lines kept"
	umount "$d/mnt"
done
pass "EPIPE and ENOSPC: tracees untouched, exit 1, complete lines"
