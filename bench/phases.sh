#!/bin/bash
# phases.sh - where a traced `runc run` spends its extra time: the launch cut
# into phases by the kernel's own process events (sched_process_exec, _fork,
# _exit tracepoints, recorded by perf: no ptrace involved), as mean
# milliseconds over interleaved runs, untraced and under each tracer.
#
#   bench/phases.sh [--reps N] [--nstrace PATH]
#
# Phases (runc 1.1's launch of a busybox bundle running /bin/true):
#   start      runc run exec'd -> runc init exec'd (Go start-up, config, cgroups)
#   reexec     runc init exec'd -> re-exec'd from its sealed copy (/dev/fd/N)
#   bootstrap  -> runc:[0:PARENT] forks (nsexec: config from runc run, cgroup joins)
#   nsexec     -> runc:[2:INIT] starts its first Go thread (namespaces, C stages)
#   setup      -> the workload's exec (mounts, pivot_root, caps, seccomp, ...)
#   wait       the workload's exec -> runc run exits
# Needs perf (Debian: linux-perf; installed if missing) and root.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

reps=8 nstrace_bin=
while [ $# -gt 0 ]; do
	case $1 in
	--reps) reps=$2; shift ;;
	--nstrace) nstrace_bin=$2; shift ;;
	-h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench/phases.sh: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done

bench_name=phases.sh
# shellcheck source=setup.sh
source "$repo/bench/setup.sh"
if ! command -v perf >/dev/null; then
	echo "bench/phases.sh: installing linux-perf" >&2
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends linux-perf >/dev/null
fi
# shellcheck source=../tests/lib/common.sh
source "$repo/tests/lib/common.sh"
# shellcheck source=../tests/lib/strace_calls.sh
source "$repo/tests/lib/strace_calls.sh"
"$repo/scripts/make-bundle.sh" "$T/bundle" >/dev/null

variants=(untraced nstrace nstrace-seccomp floor-seccomp-1cpu)
prefix() {
	case $1 in
	untraced) ;;
	nstrace) echo "$NSTRACE -q -o /dev/null --" ;;
	nstrace-seccomp) echo "$NSTRACE -q --seccomp -o /dev/null --" ;;
	floor-seccomp-1cpu) echo "$floor_bin seccomp-one-cpu $CONTAINER_SET" ;;
	esac
}

# phases_of DATA: one line of phase durations (ms) from a perf recording
phases_of() {
	perf script -i "$1" -F time,event,trace 2>/dev/null | awk '
	{ t = $1; sub(":", "", t); t *= 1000 }
	/sched_process_exec: filename=[^ ]*\/runc / && !run { run = t }
	/sched_process_exec: filename=\/proc\/self\/exe/ { init = t }
	/sched_process_exec: filename=\/dev\/fd\// { reexec = t }
	/sched_process_fork: comm=runc:\[0:PARENT\]/ && !parent { parent = t }
	/sched_process_fork: comm=runc:\[2:INIT\]/ && !gothread { gothread = t }
	/sched_process_exec: filename=\/bin\/true/ { work = t }
	/sched_process_exit: comm=runc .*group_dead=true/ { end = t }
	END {
		if (!run || !init || !reexec || !parent || !gothread || !work || !end) exit 1
		printf "%.2f %.2f %.2f %.2f %.2f %.2f %.2f\n", init - run, reexec - init,
			parent - reexec, gothread - parent, work - gothread, end - work, end - run
	}'
}

n=0
for ((r = 0; r < reps; r++)); do
	for ((i = 0; i < ${#variants[@]}; i++)); do
		v=${variants[$(((i + r) % ${#variants[@]}))]}
		n=$((n + 1))
		id=phases-$$-$n
		# shellcheck disable=SC2046 # the prefix is words on purpose
		perf record -q -a -o "$T/p.data" -e sched:sched_process_exec,sched:sched_process_fork,sched:sched_process_exit \
			-- $(prefix "$v") runc run --bundle "$T/bundle" "$id" </dev/null >/dev/null 2>"$T/last.err" ||
			{ runc delete -f "$id" >/dev/null 2>&1 || true; tail_of "$T/last.err"; fail "$v: runc run failed"; }
		phases_of "$T/p.data" >>"$T/$v" || fail "$v: a phase's event is missing from the recording"
	done
	printf '.' >&2
done
echo >&2

printf '%-20s %8s %8s %10s %8s %8s %8s %8s\n' "mean ms" start reexec bootstrap nsexec setup wait total
for v in "${variants[@]}"; do
	awk -v v="$v" '{ for (i = 1; i <= NF; i++) s[i] += $i; n++ }
		END { printf "%-20s", v; for (i = 1; i <= 7; i++) printf " %8.1f", s[i] / n; printf "\n" }' "$T/$v"
done
echo "($reps runs each, interleaved; bench/phases.sh --help)"
