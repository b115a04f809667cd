# strace_compare.sh - strace is the oracle: every tests/fixtures/sc_*.c fixture
# is traced by strace and by nstrace with the same syscall set, and the call
# lines must be identical, in the same order.
#
# Each fixture names its set on a " * trace: SET" line (and may give options
# both tracers take, such as -s 8, on a " * options:" line); %container is expanded
# to the names for strace (which has no such class) and given to nstrace as the
# class. Both run with ASLR off and an empty environment so the addresses of
# the fixture's static data and stack are the same in both runs.
#
# Normalised before the diff (none of it is a decoding difference):
#  - strace's "PID " prefix, its "--- signal ---" lines, its column padding
#    before " = ", and its split "<unfinished ...>" / "<... resumed>" lines
#    (joined back at the resume, where nstrace reports the call);
#  - the fixture's own first execve (its envp lives in the tracer's memory);
#  - the host pid returned by the fixture's first spawn (the fork into its pid
#    namespace; pids inside it are kept: they are the same in every run), and
#    keyring serials (random).
# NSTRACE_COMPARE_SELF=1 compares strace with itself (checks the fixtures are
# deterministic when nstrace cannot run).
. "$TESTS_DIR/lib/common.sh"

command -v strace >/dev/null || fail "strace missing: run scripts/deps.sh"

. "$TESTS_DIR/lib/strace_calls.sh" # CONTAINER_SET, strace_calls

CLEAN_ENV=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin)

nstrace_calls() {
	jq -r 'select(.type=="syscall") | .call' "$1"
}

# Drop the fixture's first execve, hide the host pid of its first spawn (the
# fork into its pid namespace) wherever it appears, and the random serials of
# new keyrings.
normalize() {
	local in host
	in=$(cat)
	host=$(grep -m1 -E '^(fork|vfork|clone|clone3)\(' <<<"$in" | sed -nE 's/.* = ([0-9]+)$/\1/p')
	sed -E -e '1{/^execve\(/d}' \
		${host:+-e "s/\\b$host\\b/<host-pid>/g"} \
		-e 's/^(keyctl\(KEYCTL_(JOIN_SESSION_KEYRING|GET_KEYRING_ID), .*\) = )[0-9]+$/\1<serial>/' \
		<<<"$in"
}

compare_fixture() {
	local name=$1 src=$TESTS_DIR/fixtures/$1.c exe=$FIXTURES/$1 set strace_set
	set=$(sed -n 's/^ \* trace: *//p' "$src" | head -1)
	[ -n "$set" ] || fail "$src has no ' * trace: SET' line"
	strace_set=${set//%container/$CONTAINER_SET}
	# options both tracers take the same way (-s N), from a ' * options:' line
	local -a opts
	read -r -a opts <<<"$(sed -n 's/^ \* options: *//p' "$src" | head -1)"

	"${CLEAN_ENV[@]}" setarch -R strace -f -qq "${opts[@]}" -e trace="$strace_set" -o "$T/$name.strace" \
		-- "$exe" >"$T/$name.strace.out" 2>&1 || true
	strace_calls "$T/$name.strace" | normalize >"$T/$name.expected"

	if [ "${NSTRACE_COMPARE_SELF:-0}" = 1 ]; then
		"${CLEAN_ENV[@]}" setarch -R strace -f -qq "${opts[@]}" -e trace="$strace_set" \
			-o "$T/$name.strace2" \
			-- "$exe" >/dev/null 2>&1 || true
		strace_calls "$T/$name.strace2" | normalize >"$T/$name.actual"
	else
		"${CLEAN_ENV[@]}" setarch -R "$NSTRACE" -q -F json "${opts[@]}" -e trace="$set" -o "$T/$name.jsonl" \
			-- "$exe" >"$T/$name.nstrace.out" 2>&1 || true
		assert_valid_jsonl "$T/$name.jsonl"
		nstrace_calls "$T/$name.jsonl" | normalize >"$T/$name.actual"
	fi

	[ -s "$T/$name.expected" ] || fail "$name: strace saw no call of '$set'"
	if ! diff -u "$T/$name.expected" "$T/$name.actual" >"$T/$name.diff"; then
		cat "$T/$name.diff" >&2
		return 1
	fi
	echo "  $name: $(wc -l <"$T/$name.expected") calls identical"
}

failed=()
n=0
for src in "$TESTS_DIR"/fixtures/sc_*.c; do
	name=$(basename "$src" .c)
	[ -x "$FIXTURES/$name" ] || fail "fixture $name not built"
	n=$((n + 1))
	compare_fixture "$name" || failed+=("$name")
done
[ "$n" -gt 0 ] || fail "no sc_* fixtures"
[ ${#failed[@]} -eq 0 ] || fail "nstrace and strace differ on: ${failed[*]}"
pass "$n fixtures"
