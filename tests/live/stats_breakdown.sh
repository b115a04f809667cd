# stats_breakdown.sh - NSTRACE_STATS=2 names the syscalls that made the entry
# stops, most first: with every call shown its counts are the trace's own call
# counts and add up to the stats line's entry stops; under --seccomp only the
# filtered calls appear; NSTRACE_STATS=1 prints the stats line alone.
. "$TESTS_DIR/lib/common.sh"

# entry_stops FILE: "name count" lines from the breakdown line of FILE
entry_stops() {
	sed -n 's/^nstrace: stats: entry stops by syscall: //p' "$1" | tr ' ' '\n' | paste -d' ' - - |
		sed '/^ *$/d'
}

# 1. every call shown: the breakdown is the trace's per-syscall count
NSTRACE_STATS=2 "$NSTRACE" -q -e trace=all -F json -o "$T/all.jsonl" -- /bin/true 2>"$T/all.err" ||
	fail "nstrace -- /bin/true failed: $(tail -3 "$T/all.err")"
entry_stops "$T/all.err" >"$T/all.stops"
[ -s "$T/all.stops" ] || fail "no breakdown line with NSTRACE_STATS=2: $(cat "$T/all.err")"
jq -r 'select(.type=="syscall") | .syscall' "$T/all.jsonl" | sort | uniq -c |
	awk '{print $2, $1}' | sort >"$T/all.trace"
sort "$T/all.stops" >"$T/all.sorted"
diff "$T/all.trace" "$T/all.sorted" >"$T/all.diff" ||
	fail "breakdown and trace disagree (< trace, > breakdown): $(head -5 "$T/all.diff" | tr '\n' ' ')"
entries=$(sed -n 's/.*(syscall \([0-9]*\)+.*/\1/p' "$T/all.err")
sum=$(awk '{ s += $2 } END { print s }' "$T/all.stops")
[ "$entries" = "$sum" ] || fail "breakdown adds up to $sum, the stats line says $entries entry stops"
awk 'NR > 1 && $2 > prev { bad = 1 } { prev = $2 } END { exit bad }' "$T/all.stops" ||
	fail "breakdown not in decreasing order: $(tr '\n' ' ' <"$T/all.stops")"

# 2. default selection: calls that are not shown stop too, and are counted
NSTRACE_STATS=2 "$NSTRACE" -q -o /dev/null -- /bin/true 2>"$T/def.err" ||
	fail "nstrace -- /bin/true failed: $(tail -3 "$T/def.err")"
entry_stops "$T/def.err" >"$T/def.stops"
[ "$(sed -n 's/.*(syscall \([0-9]*\)+.*/\1/p' "$T/def.err")" = "$(awk '{ s += $2 } END { print s }' "$T/def.stops")" ] ||
	fail "default selection: breakdown $(tr '\n' ' ' <"$T/def.stops") does not add up to: $(head -1 "$T/def.err")"
grep -q '^mmap [1-9]' "$T/def.stops" || fail "mmap (stopped, not shown) missing: $(tr '\n' ' ' <"$T/def.stops")"

# 3. --seccomp: only filtered calls stop (two unshares, no getpid, read or mmap)
NSTRACE_STATS=2 "$NSTRACE" -q --seccomp -e trace=unshare -o /dev/null -- \
	sh -c 'unshare -U true; unshare -U true' 2>"$T/sc.err" ||
	fail "nstrace --seccomp failed: $(tail -3 "$T/sc.err")"
entry_stops "$T/sc.err" >"$T/sc.stops"
grep -qx 'unshare 2' "$T/sc.stops" || fail "expected 'unshare 2' in: $(tr '\n' ' ' <"$T/sc.stops")"
for c in getpid read mmap; do
	! grep -q "^$c " "$T/sc.stops" || fail "$c stopped under --seccomp: $(tr '\n' ' ' <"$T/sc.stops")"
done

# 4. NSTRACE_STATS=1: the one line, no breakdown
NSTRACE_STATS=1 "$NSTRACE" -q -o /dev/null -- /bin/true 2>"$T/one.err"
grep -q '^nstrace: stats: [0-9]* stops' "$T/one.err" || fail "no stats line with NSTRACE_STATS=1"
! grep -q 'entry stops by syscall' "$T/one.err" || fail "NSTRACE_STATS=1 printed the breakdown"
pass "breakdown of $sum entry stops matches the trace; --seccomp stops only at its filter"
