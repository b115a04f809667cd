# storm_counts.sh - thousands of short-lived processes and threads: the trace
# has exactly one spawn and one exit event for every task the fixture says it
# made (no event lost, none invented), no task is left behind, and nstrace's
# resident memory stays flat while the storm goes on.
. "$TESTS_DIR/lib/common.sh"

PROCS=3000
THREADS=3000

# ASan's quarantine keeps freed memory resident on purpose (up to 256 MB); a
# small one lets a leak show instead of the quarantine filling up.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=8:thread_local_quarantine_size_kb=256"

"$NSTRACE" -q -F json -o "$T/t.jsonl" -- "$FIXTURES/storm_tree" "$PROCS" "$THREADS" \
	>"$T/out.txt" 2>"$T/err" &
tracer=$!
on_exit "kill_child KILL $tracer"

# VmRSS of nstrace every 0.1 s while it runs
: >"$T/rss"
# (an exited nstrace stays a zombie until waited for: no VmRSS line then)
while grep -q '^VmRSS:' "/proc/$tracer/status" 2>/dev/null; do
	awk '/^VmRSS:/ {print $2}' "/proc/$tracer/status" >>"$T/rss" 2>/dev/null || true
	sleep 0.1
done
wait_exit "$tracer" 5
[ "$WAIT_RC" = 0 ] || { tail_of "$T/err"; fail "nstrace exited $WAIT_RC, the fixture exits 0"; }

read -r _ _ made_p _ made_t <"$T/out.txt" || fail "the fixture printed nothing"
[ "$made_p" = "$PROCS" ] && [ "$made_t" = "$THREADS" ] ||
	fail "the fixture made $made_p processes and $made_t threads, asked $PROCS and $THREADS"

assert_trace_wellformed "$T/t.jsonl"
fx=$(jq -s -r '[.[] | select(.type=="exec" and (.filename // "" | endswith("storm_tree")))][0].pid' "$T/t.jsonl")
[ "$fx" != null ] || fail "no exec of the fixture in the trace"

spawned_p=$(jq_count "$T/t.jsonl" ".type==\"spawn\" and .is_thread==false and .ppid==$fx")
spawned_t=$(jq_count "$T/t.jsonl" ".type==\"spawn\" and .is_thread==true and .pid==$fx")
[ "$spawned_p" = "$PROCS" ] || fail "trace has $spawned_p process spawns, the fixture made $PROCS"
[ "$spawned_t" = "$THREADS" ] || fail "trace has $spawned_t thread spawns, the fixture made $THREADS"

# every spawned task exits exactly once, and nothing exits that was not spawned
jq -r "select(.type==\"spawn\" and (.ppid==$fx or .pid==$fx)) | .tid" "$T/t.jsonl" | sort -n >"$T/spawned"
jq -r "select(.type==\"exit\" and .tid!=$fx) | .tid" "$T/t.jsonl" | sort -n >"$T/exited"
[ "$(sort -u "$T/spawned" | wc -l)" = $((PROCS + THREADS)) ] || fail "a task was reported spawned twice"
diff "$T/spawned" "$T/exited" >"$T/diff" || {
	head "$T/diff" >&2
	fail "spawned and exited tasks differ ($(grep -c '^<' "$T/diff") without exit, $(grep -c '^>' "$T/diff") exits of unknown tasks)"
}
jq_true "$T/t.jsonl" "[.[] | select(.type==\"exit\" and .tid!=$fx and .is_thread!=true and .pid==.tid and .pid!=$fx)]
	| all(.exit_code == 0)" "a storm process did not exit 0"
# memory: the last quarter of the samples against the first quarter, after
# start-up. A per-task leak of even 1 KB over 6000 tasks grows it by ~6 MB.
n=$(wc -l <"$T/rss")
[ "$n" -ge 12 ] || fail "only $n RSS samples: the storm ran too short to judge memory"
q=$((n / 4))
early=$(sed -n "$((q)),$((2 * q))p" "$T/rss" | sort -n | tail -1)
late=$(tail -n "$q" "$T/rss" | sort -n | tail -1)
echo "nstrace VmRSS: early max ${early} kB, late max ${late} kB, $n samples"
[ "$late" -le $((early + early / 4 + 4096)) ] ||
	fail "nstrace's RSS grew from ${early} kB to ${late} kB during the storm"
# --- the same under an attached tracer (as under a daemon): attach, then storm
"$FIXTURES/storm_tree" -s 3 "$T/ready" "$T/go" >"$T/attach.out" 2>&1 &
fx=$!
on_exit "kill_child TERM $fx"
for _ in $(seq 200); do [ -s "$T/ready" ] && break; sleep 0.05; done
[ -s "$T/ready" ] || fail "attach: the fixture did not start"
"$NSTRACE" -q -F json -o "$T/a.jsonl" -p "$fx" 2>"$T/a.err" &
tracer=$!
on_exit "kill_child KILL $tracer"
wait_traced "$fx" "$tracer" 20
touch "$T/go"
wait_exit "$fx" 60
[ "$WAIT_RC" = 0 ] || fail "attach: the fixture exited $WAIT_RC"
wait_exit "$tracer" 20
[ "$WAIT_RC" = 0 ] || { tail_of "$T/a.err"; fail "attach: nstrace exited $WAIT_RC"; }
read -r _ _ ap _ at _ al <"$T/attach.out" || fail "attach: the fixture printed nothing"
assert_trace_wellformed "$T/a.jsonl"
sp=$(jq_count "$T/a.jsonl" ".type==\"spawn\" and .is_thread==false and .ppid==$fx")
st=$(jq_count "$T/a.jsonl" ".type==\"spawn\" and .is_thread==true and .pid==$fx")
[ "$sp" = "$ap" ] || fail "attach: trace has $sp process spawns, the fixture made $ap"
[ "$st" = $((at + al)) ] || fail "attach: trace has $st thread spawns, the fixture made $at + $al long-lived"
ex=$(jq_count "$T/a.jsonl" ".type==\"exit\" and .tid!=$fx and (.ppid==$fx or .pid==$fx)")
[ "$ex" = $((ap + at + al)) ] || fail "attach: trace has $ex exits of the fixture's tasks, it made $((ap + at + al))"
echo "attached storm: $ap processes, $at + $al threads, every spawn and exit traced"

pass "$PROCS processes and $THREADS threads: every spawn and exit traced; RSS ${early} -> ${late} kB"
