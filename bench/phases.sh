#!/bin/bash
# phases.sh - where a traced `runc run` spends its extra time: the launch cut
# into phases by the kernel's own process events (sched_process_exec, _fork,
# _exit tracepoints, recorded by perf: no ptrace involved), as mean
# milliseconds over interleaved runs, untraced and under each tracer.
#
#   bench/phases.sh [--reps N] [--nstrace PATH] [--switches]
#
# Phases (runc 1.1's launch of a busybox bundle running /bin/true):
#   start      runc run exec'd -> runc init exec'd (Go start-up, config, cgroups)
#   reexec     runc init exec'd -> re-exec'd from its sealed copy (/dev/fd/N)
#   bootstrap  -> runc:[0:PARENT] forks (nsexec: config from runc run, cgroup joins)
#   nsexec     -> runc:[2:INIT] starts its first Go thread (namespaces, C stages)
#   setup      -> the workload's exec (mounts, pivot_root, caps, seccomp, ...)
#   wait       the workload's exec -> runc run exits
# --switches also records the scheduler's switches, for a second table of
# where the stops wait: per launch, how many tracee stops were resumed on the
# tracer's CPU and how many across CPUs, with their median wait; each CPU's
# busy time during the launch (the busiest CPU, then the others together);
# the tracer's own CPU time.
# Recording every switch costs time per switch: launches with many stops run
# longer than without it.
# Needs perf (Debian: linux-perf; installed if missing) and root.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

reps=8 nstrace_bin= switches=
while [ $# -gt 0 ]; do
	case $1 in
	--reps) reps=$2; shift ;;
	--nstrace) nstrace_bin=$2; shift ;;
	--switches) switches=,sched:sched_switch ;;
	-h | --help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

# waits_of DATA STOPS: from the scheduler's switches within the launch (runc
# run's exec to its exit, as phases_of), one line: the busiest CPU's busy ms,
# the other CPUs', the tracer's CPU ms and the launch's ms; and to STOPS a line
# per stop: "same" (resumed on the tracer's CPU, where it stopped) or "cross",
# and the µs it waited. A stop is a switch out in state t (traced), until the
# task's next switch in.
waits_of() {
	perf script -i "$1" -F time,cpu,event,trace 2>/dev/null | awk -v stops="$2" '
	function val(key,   i, s) {
		i = index($0, " " key "=")
		if (!i) return ""
		s = substr($0, i + length(key) + 2)
		sub(/ .*/, "", s)
		return s
	}
	{ cpu = substr($1, 2) + 0; t = $2; sub(":", "", t); t *= 1000 }
	/sched_process_exec:/ {
		f = val("filename")
		if (f ~ /\/nstrace(-floor)?$/ && tracer == "") tracer = val("pid")
		if (f ~ /\/runc$/ && !run) run = t
		next
	}
	/sched_process_exit: comm=runc .*group_dead=true/ { end = t; next }
	/sched_switch:/ {
		pp = val("prev_pid"); st = val("prev_state"); np = val("next_pid")
		if ((cpu in since) && !idle[cpu]) { # a run of pp on cpu ends
			n++; rc[n] = cpu; ra[n] = since[cpu]; rb[n] = t; rt[n] = pp == tracer
		}
		since[cpu] = t; idle[cpu] = np == 0
		if (pp == tracer || np == tracer) tcpu = cpu
		if (st ~ /^t/) { out[pp] = t; ocpu[pp] = cpu; otcpu[pp] = tcpu }
		if (np in out) {
			k++; s0[k] = out[np]; s1[k] = t
			same[k] = ocpu[np] == cpu && cpu == otcpu[np]
			delete out[np]
		}
	}
	END {
		if (!run || !end) exit 1
		for (i = 1; i <= n; i++) {
			a = ra[i] > run ? ra[i] : run; b = rb[i] < end ? rb[i] : end
			if (b <= a) continue
			busy[rc[i]] += b - a; all += b - a
			if (rt[i]) own += b - a
		}
		for (c in busy) if (busy[c] > top) top = busy[c]
		for (i = 1; i <= k; i++)
			if (s0[i] >= run && s0[i] < end)
				printf "%s %.1f\n", same[i] ? "same" : "cross", 1000 * (s1[i] - s0[i]) >>stops
		printf "%.2f %.2f %.2f %.2f\n", top, all - top, own, end - run
	}'
}

n=0
for ((r = 0; r < reps; r++)); do
	for ((i = 0; i < ${#variants[@]}; i++)); do
		v=${variants[$(((i + r) % ${#variants[@]}))]}
		n=$((n + 1))
		id=phases-$$-$n
		# shellcheck disable=SC2046 # the prefix is words on purpose
		perf record -q -a -o "$T/p.data" \
			-e "sched:sched_process_exec,sched:sched_process_fork,sched:sched_process_exit$switches" \
			-- $(prefix "$v") runc run --bundle "$T/bundle" "$id" </dev/null >/dev/null 2>"$T/last.err" ||
			{ runc delete -f "$id" >/dev/null 2>&1 || true; tail_of "$T/last.err"; fail "$v: runc run failed"; }
		phases_of "$T/p.data" >>"$T/$v" || fail "$v: a phase's event is missing from the recording"
		[ -z "$switches" ] || waits_of "$T/p.data" "$T/$v.stops" >>"$T/$v.waits" || fail "$v: runc run's exec or exit is missing from the recording"
	done
	printf '.' >&2
done
echo >&2

printf '%-20s %8s %8s %10s %8s %8s %8s %8s\n' "mean ms" start reexec bootstrap nsexec setup wait total
for v in "${variants[@]}"; do
	awk -v v="$v" '{ for (i = 1; i <= NF; i++) s[i] += $i; n++ }
		END { printf "%-20s", v; for (i = 1; i <= 7; i++) printf " %8.1f", s[i] / n; printf "\n" }' "$T/$v"
done
# stops_of FILE CLASS RUNS: "N x M us", stops of CLASS per run and their median wait
stops_of() {
	awk -v c="$2" '$1 == c { print $2 }' "$1" 2>/dev/null | sort -n |
		awk -v runs="$3" '{ w[NR] = $1 } END {
			if (!NR) { print "-"; exit }
			m = NR % 2 ? w[(NR + 1) / 2] : (w[NR / 2] + w[NR / 2 + 1]) / 2
			printf "%d x %.0f us\n", NR / runs, m }'
}

if [ -n "$switches" ]; then
	echo
	printf '%-20s %16s %16s %15s %10s %8s\n' "stops wait" "on tracer's CPU" "across CPUs" "busy ms: top+" "tracer ms" launch
	for v in "${variants[@]}"; do
		awk -v v="$v" -v same="$(stops_of "$T/$v.stops" same "$reps")" -v cross="$(stops_of "$T/$v.stops" cross "$reps")" '
			{ for (i = 1; i <= NF; i++) s[i] += $i; n++ }
			END { printf "%-20s %16s %16s %6.1f + %6.1f %10.1f %8.1f\n", v, same, cross,
				s[1] / n, s[2] / n, s[3] / n, s[4] / n }' "$T/$v.waits"
	done
fi
echo "($reps runs each, interleaved: means${switches:+, and the median wait of the stops}; bench/phases.sh --help)"
