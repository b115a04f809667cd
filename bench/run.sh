#!/bin/bash
# run.sh - what tracing costs: nstrace and strace against untraced runs of real
# container launches, in one run, in alternating order, as medians and ratios.
#
#   bench/run.sh [--quick] [--reps N] [--nstrace PATH]
#
# Cases (each variant of a case runs once per round; the order rotates between
# rounds so drift and caches hit every variant alike):
#   runc      `runc run` of a busybox bundle running /bin/true: untraced, nstrace,
#             nstrace --seccomp, strace -f, strace -f --seccomp-bpf, and the
#             floor (bench/floor.c: a tracer that only resumes) stopping at every
#             syscall and under a seccomp filter on the shown set (placed by
#             the scheduler, and all on one CPU)
#   attach    `ctr run --rm` on a private containerd: untraced, nstrace -p and
#             strace -f -p attached to containerd (attach/detach not timed)
#   storm     a fork/exec storm (N x /bin/true) under a process named containerd,
#             i.e. in the daemon role: untraced, nstrace, strace -f, the floor
#             following its events
#   workload  a container doing ~2M read/write syscalls (busybox dd), timed from
#             inside: untraced, nstrace, nstrace --seccomp
#   rss       nstrace's peak RSS (/usr/bin/time -f %M) over 1 and over 20 launches
# Uses only Debian packages (strace, time) and the real runc and containerd; the
# containerd is private to the run (tests/lib/daemons.sh) and stopped at the end.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

quick= reps= nstrace_bin=
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	--reps) reps=$2; shift ;;
	--nstrace) nstrace_bin=$2; shift ;;
	-h | --help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench/run.sh: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done

bench_name=run.sh
# shellcheck source=setup.sh
source "$repo/bench/setup.sh"
# The test harness gives us strict mode, a work dir, cleanups and the daemons.
# shellcheck source=../tests/lib/common.sh
source "$repo/tests/lib/common.sh"
# shellcheck source=../tests/lib/daemons.sh
source "$repo/tests/lib/daemons.sh"

# Rounds per case: full run about 6-9 minutes on 2 vCPUs, --quick about 1-2.
# The storm's untraced runs alone spread from 190 to 280 ms here: 30 rounds
# (a few seconds each) keep its median from moving with a handful of them.
if [ -n "$quick" ]; then
	r_runc=${reps:-8} r_attach=${reps:-5} r_storm=${reps:-4} r_work=${reps:-3}
	storm_n=100 work_n=500000
else
	r_runc=${reps:-30} r_attach=${reps:-15} r_storm=${reps:-30} r_work=${reps:-10}
	storm_n=300 work_n=2000000
fi

# The syscalls nstrace shows by default, for strace's -e trace= (same output work).
# shellcheck source=../tests/lib/strace_calls.sh
source "$repo/tests/lib/strace_calls.sh"
STRACE_SET=$CONTAINER_SET

S=$T/samples
mkdir -p "$S"
seq_id=0
# next_id: a fresh container id (not counted in a $(...) subshell, where the
# count would be lost and every run would get the same id)
next_id() { seq_id=$((seq_id + 1)); ID=bench-$$-$seq_id; }

# timed CASE VARIANT CMD...: run CMD once, append its wall time (ms) to the
# samples. A run that hangs (strace -f --seccomp-bpf has been seen stuck with
# its tracee in exec) is killed after HANG_S seconds, counted and left out of
# the medians: timed returns 1 so the caller can clean up after it.
HANG_S=${HANG_S:-60}
timed() {
	local c=$1 v=$2 s e rc=0
	shift 2
	s=$EPOCHREALTIME
	timeout -k 5 "$HANG_S" "$@" </dev/null >/dev/null 2>"$T/last.err" || rc=$?
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		echo "$*" >>"$S/$c.$v.hung"
		return 1
	fi
	[ "$rc" -eq 0 ] || {
		tail_of "$T/last.err"
		fail "$c/$v failed: $*"
	}
	e=$EPOCHREALTIME
	echo "$s $e" | awk '{ printf "%.3f\n", ($2 - $1) * 1000 }' >>"$S/$c.$v"
}

# rounds CASE N VARIANT...: N rounds of run_CASE VARIANT, rotating the order.
rounds() {
	local c=$1 n=$2 r i k
	shift 2
	local vs=("$@")
	k=${#vs[@]}
	for ((r = 0; r < n; r++)); do
		for ((i = 0; i < k; i++)); do
			"run_$c" "${vs[$(((i + r) % k))]}"
		done
		printf '.' >&2
	done
	echo >&2
}

median() { sort -n "$1" | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# --- runc run of /bin/true ----------------------------------------------------
make_bundle_quiet() { "$repo/scripts/make-bundle.sh" "$@" >/dev/null; }
make_bundle_quiet "$T/bundle"

run_runc() {
	local id cmd
	next_id
	id=$ID
	case $1 in
	untraced) cmd=() ;;
	nstrace) cmd=("$NSTRACE" -q -o /dev/null --) ;;
	nstrace-seccomp) cmd=("$NSTRACE" -q --seccomp -o /dev/null --) ;;
	strace) cmd=(strace -f -e trace="$STRACE_SET" -o /dev/null) ;;
	strace-seccomp) cmd=(strace -f --seccomp-bpf -e trace="$STRACE_SET" -o /dev/null) ;;
	floor-syscalls) cmd=("$floor_bin" syscalls) ;;
	floor-seccomp) cmd=("$floor_bin" seccomp "$STRACE_SET") ;;
	floor-seccomp-1cpu) cmd=("$floor_bin" seccomp-one-cpu "$STRACE_SET") ;;
	esac
	timed runc "$1" "${cmd[@]}" runc run --bundle "$T/bundle" "$id" ||
		runc delete -f "$id" >/dev/null 2>&1 || true
}

# --- ctr run with a tracer attached to containerd -------------------------------
run_attach() {
	local id tracer=
	next_id
	id=$ID
	case $1 in
	nstrace) "$NSTRACE" -q -o /dev/null -p "$CONTAINERD_PID" </dev/null >/dev/null 2>"$T/tracer.err" & tracer=$! ;;
	strace) strace -f -e trace="$STRACE_SET" -o /dev/null -p "$CONTAINERD_PID" 2>"$T/tracer.err" & tracer=$! ;;
	esac
	[ -z "$tracer" ] || wait_traced "$CONTAINERD_PID" "$tracer" 30
	timed attach "$1" "${CTR[@]}" run --rm --env PATH=/bin --rootfs "$T/rootfs" "$id" /bin/true ||
		"${CTR[@]}" task kill -s KILL "$id" >/dev/null 2>&1 || true
	if [ -n "$tracer" ]; then
		kill -INT "$tracer"
		wait_exit "$tracer" 30
		assert_untraced "$CONTAINERD_PID"
	fi
}

# --- fork/exec storm in the daemon role ------------------------------------------
# A shell under the name containerd: nstrace gives it the daemon role by name.
mkdir -p "$T/storm"
cp /bin/dash "$T/storm/containerd"
storm_script="i=0; while [ \$i -lt $storm_n ]; do /bin/true; i=\$((i + 1)); done"
run_storm() {
	case $1 in
	untraced) timed storm "$1" "$T/storm/containerd" -c "$storm_script" || true ;;
	nstrace) timed storm "$1" "$NSTRACE" -q --no-daemon -o /dev/null -- "$T/storm/containerd" -c "$storm_script" || true ;;
	strace) timed storm "$1" strace -f -e trace="$STRACE_SET" -o /dev/null "$T/storm/containerd" -c "$storm_script" || true ;;
	floor) timed storm "$1" "$floor_bin" events "$T/storm/containerd" -c "$storm_script" || true ;;
	esac
}

# --- a syscall-heavy container ---------------------------------------------------
# The workload times itself (busybox time, 10 ms resolution on a run of about 1.5 s):
# the launch's own cost is the runc case above, this one is what tracing costs the
# container once it runs.
make_bundle_quiet "$T/heavy" -- /bin/time -f WORKLOAD_S=%e \
	/bin/dd if=/dev/zero of=/dev/null bs=1 count="$work_n"
run_workload() {
	local id secs
	next_id
	id=$ID
	case $1 in
	untraced) set -- "$1" runc run --bundle "$T/heavy" "$id" ;;
	nstrace) set -- "$1" "$NSTRACE" -q -o /dev/null -- runc run --bundle "$T/heavy" "$id" ;;
	nstrace-seccomp) set -- "$1" "$NSTRACE" -q --seccomp -o /dev/null -- runc run --bundle "$T/heavy" "$id" ;;
	esac
	"${@:2}" </dev/null >/dev/null 2>"$T/last.err" || { tail_of "$T/last.err"; fail "workload/$1 failed: ${*:2}"; }
	secs=$(sed -n 's/^WORKLOAD_S=//p' "$T/last.err")
	[ -n "$secs" ] || { tail_of "$T/last.err"; fail "workload/$1 printed no time"; }
	awk -v s="$secs" 'BEGIN { printf "%.3f\n", s * 1000 }' >>"$S/workload.$1"
}

# --- peak RSS ---------------------------------------------------------------------
# peak_rss_kib N: nstrace's peak RSS while it traces N runc launches in a row.
peak_rss_kib() {
	local n=$1 script
	script="for i in \$(seq $n); do runc run --bundle '$T/bundle' rss-$$-\$i || exit 1; done"
	/usr/bin/time -f %M -o "$T/rss.$n" "$NSTRACE" -q -o /dev/null -- /bin/sh -c "$script" \
		</dev/null >/dev/null 2>"$T/last.err" || { tail_of "$T/last.err"; fail "rss run over $n launches failed"; }
	tail -n 1 "$T/rss.$n"
}

echo "nstrace benchmark ($( [ -n "$quick" ] && echo quick || echo full ), $(nproc) CPUs, $(uname -r))" >&2
echo "warming up" >&2
run_runc untraced
rm -f "$S"/*

echo "runc run, $r_runc rounds" >&2
rounds runc "$r_runc" untraced nstrace nstrace-seccomp strace strace-seccomp floor-syscalls \
	floor-seccomp floor-seccomp-1cpu

echo "ctr run with a tracer on containerd, $r_attach rounds" >&2
containerd_start
make_busybox_rootfs "$T/rootfs"
next_id
"${CTR[@]}" run --rm --env PATH=/bin --rootfs "$T/rootfs" "$ID" /bin/true # warm-up
rounds attach "$r_attach" untraced nstrace strace

echo "fork/exec storm ($storm_n execs) in the daemon role, $r_storm rounds" >&2
rounds storm "$r_storm" untraced nstrace strace floor

echo "syscall-heavy container ($((2 * work_n)) syscalls), $r_work rounds" >&2
rounds workload "$r_work" untraced nstrace nstrace-seccomp

echo "peak RSS over 1 and 20 launches" >&2
rss1=$(peak_rss_kib 1)
rss20=$(peak_rss_kib 20)

# --- the table -----------------------------------------------------------------------
row() { # row CASE VARIANT LABEL TARGET
	local base m ratio verdict= label=$3
	[ ! -s "$S/$1.$2.hung" ] || label+=" ($(wc -l <"$S/$1.$2.hung") hung, left out)"
	base=$(median "$S/$1.untraced")
	m=$(median "$S/$1.$2")
	ratio=$(awk -v m="$m" -v b="$base" 'BEGIN { printf "%.2f", m / b }')
	if [ -n "$4" ]; then
		verdict=$(awk -v r="$ratio" -v t="$4" 'BEGIN { print (r <= t) ? "met" : "MISSED" }')
	fi
	printf '%-46s %10.1f %10.1f %7s %8s  %s\n' "$label" "$base" "$m" "$ratio" "${4:+<= $4}" "$verdict"
}
echo
printf '%-46s %10s %10s %7s %8s\n' "case (median wall time)" "untraced" "traced" "ratio" "target"
printf '%-46s %10s %10s %7s %8s\n' "" "ms" "ms" "" ""
row runc nstrace "runc run: nstrace" 2.0
row runc nstrace-seccomp "runc run: nstrace --seccomp" 1.3
row runc strace "runc run: strace -f" ""
row runc strace-seccomp "runc run: strace -f --seccomp-bpf" ""
row runc floor-syscalls "runc run: floor, stop at every syscall" ""
row runc floor-seccomp "runc run: floor, seccomp on the shown set" ""
row runc floor-seccomp-1cpu "runc run: same floor, all on one CPU" ""
row attach nstrace "ctr run: nstrace -p containerd" 2.0
row attach strace "ctr run: strace -f -p containerd" ""
row storm nstrace "fork/exec storm, daemon role: nstrace" 1.10
row storm strace "fork/exec storm, daemon role: strace -f" ""
row storm floor "fork/exec storm, daemon role: floor, events" ""
row workload nstrace "syscall-heavy workload in container: nstrace" 1.05
row workload nstrace-seccomp "same, --seccomp (a filter runs every call)" ""
rss_verdict=$(awk -v a="$rss1" -v b="$rss20" 'BEGIN { print (b <= 16384 && b <= a * 1.25) ? "met" : "MISSED" }')
printf '%-46s %9.1fM %9.1fM %7.2f %8s  %s\n' "nstrace peak RSS: 1 launch vs 20 launches" \
	"$(awk -v k="$rss1" 'BEGIN { print k / 1024 }')" "$(awk -v k="$rss20" 'BEGIN { print k / 1024 }')" \
	"$(awk -v a="$rss1" -v b="$rss20" 'BEGIN { print b / a }')" "<=16M" "$rss_verdict"
echo
echo "rounds: runc $r_runc, attach $r_attach, storm $r_storm, workload $r_work (bench/run.sh --help)"

# What each costs in ptrace stops (NSTRACE_STATS=1), from one more run of each,
# next to the floor tracer's count for the same command.
# stops_of CMD...: the stop count CMD's tracer printed (nstrace or the floor)
stops_of() {
	NSTRACE_STATS=1 "$@" </dev/null >/dev/null 2>"$T/stats.err" || true
	sed -n 's/^nstrace: stats: \([0-9]*\) stops.*/\1/p; s/^nstrace-floor: \([0-9]*\) stops$/\1/p' "$T/stats.err"
}
runc_stops() { next_id; stops_of "$@" runc run --bundle "$T/bundle" "$ID"; }
storm_stops() { stops_of "$@" "$T/storm/containerd" -c "$storm_script"; }
echo "stops, runc run: nstrace $(runc_stops "$NSTRACE" -q -o /dev/null --)," \
	"--seccomp $(runc_stops "$NSTRACE" -q --seccomp -o /dev/null --)," \
	"floor every syscall $(runc_stops "$floor_bin" syscalls)," \
	"floor seccomp $(runc_stops "$floor_bin" seccomp "$STRACE_SET")"
echo "stops, storm of $storm_n execs: nstrace $(storm_stops "$NSTRACE" -q --no-daemon -o /dev/null --)," \
	"floor $(storm_stops "$floor_bin" events)"
