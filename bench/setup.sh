# setup.sh - sourced by the bench scripts once their options are read: the
# nstrace to measure (a release build made here, unless --nstrace named one),
# the floor tracer built next to it (build/bench/), and the environment of the
# test harness (tests/lib/common.sh), which the script sources next: from
# there, so that the harness names its work dir and messages after the script.
#
#   in:  repo, bench_name (for messages), nstrace_bin (empty: build one)
#   out: nstrace_bin, floor_bin; NSTRACE, SOURCE_DIR, WORK_DIR... exported

if [ -z "$nstrace_bin" ]; then
	"$repo/scripts/deps.sh"
	"$repo/scripts/build.sh" >/dev/null # release build: sanitizers would skew it
	nstrace_bin=$repo/build/cli/nstrace
fi
[ -x "$nstrace_bin" ] || { echo "bench/$bench_name: no nstrace at $nstrace_bin" >&2; exit 1; }
floor_bin=$(dirname "$(dirname "$nstrace_bin")")/bench/nstrace-floor
[ -x "$floor_bin" ] || { echo "bench/$bench_name: no floor tracer at $floor_bin" >&2; exit 1; }

# A bench run is longer than a test: the harness's watchdog (240 s by
# default) waits longer for it.
export TEST_DEADLINE=${TEST_DEADLINE:-1200}
export NSTRACE=$nstrace_bin FIXTURES=/nonexistent SOURCE_DIR=$repo
export WORK_DIR=${TMPDIR:-/tmp}/nstrace-bench
