# strace_compare_runc.sh - the issue's bar on a real launch: `runc run` of a
# busybox bundle traced by strace and by nstrace (--follow-workload, so the
# container's own calls are traced too), same container set. Every call line
# strace prints must appear in nstrace's output.
#
# Two runs of runc are not identical, so before comparing, values that differ
# from run to run are masked in both: addresses, numbers of three digits or
# more (pids, keyring serials, limits), return values (fds depend on timing),
# runc's random temporary names, and the Go runtime's thread clone3 calls
# (their number varies). Flag names, strings, structs and errors stay. nstrace
# adds what a "/proc/self/fd/N" path names, "<path>" (strace -y style, which
# strace does not do for path strings): that is taken off before comparing.
. "$TESTS_DIR/lib/common.sh"

command -v strace >/dev/null || fail "strace missing: run scripts/deps.sh"
command -v runc >/dev/null || fail "runc missing: run scripts/deps.sh"

. "$TESTS_DIR/lib/strace_calls.sh" # CONTAINER_SET, strace_calls

# Two ids: runc joins a session keyring named after the container, and a
# second run under the same name could find the first one's, perms changed.
id=nstrace-cmp-s-$$ id2=nstrace-cmp-n-$$
"$SOURCE_DIR/scripts/make-bundle.sh" "$T/bundle" >/dev/null
on_exit "runc delete -f $id >/dev/null 2>&1; runc delete -f $id2 >/dev/null 2>&1"
cd "$T/bundle"

timeout 120 strace -f -qq -e trace="$CONTAINER_SET" -o "$T/runc.strace" runc run "$id" \
	>"$T/strace.out" 2>&1 || fail "runc run under strace failed: $(tail -3 "$T/strace.out")"
timeout 120 "$NSTRACE" -q -F json --follow-workload -o "$T/runc.jsonl" -- runc run "$id2" \
	>"$T/nstrace.out" 2>&1 || fail "runc run under nstrace failed: $(tail -3 "$T/nstrace.out")"
assert_valid_jsonl "$T/runc.jsonl"

strace_calls "$T/runc.strace" >"$T/strace.calls"
jq -r 'select(.type=="syscall") | .call' "$T/runc.jsonl" >"$T/nstrace.calls"

mask() {
	sed -E -e '/^clone3\(\{flags=CLONE_VM\|CLONE_FS\|CLONE_FILES\|CLONE_SIGHAND\|CLONE_THREAD/d' \
		-e 's/0x[0-9a-f]{5,}/ADDR/g' -e 's/runc\.[A-Za-z0-9]{6}/runc.XXXXXX/g' \
		-e 's/nstrace-cmp-[sn]-/nstrace-cmp-X-/g' \
		-e 's#("/proc/(thread-)?self/fd/[0-9]+")<[^>]*>#\1#g' \
		-e 's/\b[0-9]{3,}\b/NUM/g' -e 's/= [0-9]+$/= N/' "$1" | LC_ALL=C sort
}
mask "$T/strace.calls" >"$T/strace.masked"
mask "$T/nstrace.calls" >"$T/nstrace.masked"

n=$(wc -l <"$T/strace.masked")
[ "$n" -gt 50 ] || fail "strace saw only $n calls of runc run"
grep -q '^unshare(CLONE_NEW' "$T/strace.masked" || fail "no unshare(CLONE_NEW*) in strace's trace"
grep -q '^pivot_root(' "$T/strace.masked" || fail "no pivot_root in strace's trace"

LC_ALL=C comm -23 "$T/strace.masked" "$T/nstrace.masked" >"$T/missing"
if [ -s "$T/missing" ]; then
	echo "lines strace printed that nstrace did not:" >&2
	cat "$T/missing" >&2
	fail "$(wc -l <"$T/missing") of $n call lines differ"
fi
pass "$n call lines of runc run identical"
