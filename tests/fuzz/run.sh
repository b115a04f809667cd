# run.sh - build the libFuzzer targets with clang and run one for a bounded time.
#
#   bash tests/fuzz/run.sh TARGET [SECONDS]      TARGET: decoders | formatters
#
# ctest runs it (tests/fuzz/fuzz.cmake) with the environment of the live tests;
# it also runs by hand (see docs/reliability.md for the long runs). The targets
# are built once per build tree in $WORK_DIR/fuzz-build with clang (a CMake
# project of its own: the gcc build never sees -fsanitize=fuzzer), then run over
# a scratch copy of the committed corpus (tests/fuzz/corpus/TARGET, read only).
# A crash fails the test and keeps its input: the command to replay it is printed.
. "$(dirname "$0")/../lib/common.sh"

target=${1:?usage: run.sh decoders|formatters [SECONDS]}
secs=${2:-20}
src=$(cd "$(dirname "$0")" && pwd)
[ -f "$src/fuzz_$target.c" ] || fail "no fuzz target '$target' (tests/fuzz/fuzz_$target.c)"

command -v clang >/dev/null || fail "clang missing: scripts/deps.sh installs it (package clang)"
rt=$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a)
[ -f "$rt" ] || fail "libFuzzer missing ($rt): scripts/deps.sh must install libclang-rt-14-dev"

build=${FUZZ_BUILD_DIR:-$WORK_DIR/fuzz-build}
mkdir -p "$build"
# both targets share the build: one at a time (ctest -j)
exec 9>"$build.lock"
flock 9
cmake -S "$src" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$T/cmake.log" 2>&1 ||
	{ tail_of "$T/cmake.log" 30; fail "configuring the fuzz build failed"; }
cmake --build "$build" -j2 --target "fuzz_$target" >"$T/build.log" 2>&1 ||
	{ tail_of "$T/build.log" 40; fail "building fuzz_$target failed"; }
flock -u 9

mkdir -p "$T/corpus" "$T/artifacts"
set +e
"$build/fuzz_$target" -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
	-artifact_prefix="$T/artifacts/" "$T/corpus" "$src/corpus/$target" >"$T/fuzz.log" 2>&1
rc=$?
set -e
if [ "$rc" != 0 ] || ls "$T/artifacts/"* >/dev/null 2>&1; then
	grep -a -E 'ERROR|runtime error|SUMMARY|does not parse|raw control|read more|^    #[0-9]+ .* in ' "$T/fuzz.log" | head -30 >&2
	for a in "$T/artifacts/"*; do
		[ -e "$a" ] || continue
		cp "$a" "$WORK_DIR/fuzz-$target-$(basename "$a")"
		echo "replay: $build/fuzz_$target $WORK_DIR/fuzz-$target-$(basename "$a")" >&2
	done
	fail "fuzz_$target found a problem in ${secs}s (exit $rc)"
fi
runs=$(grep -a -o 'stat::number_of_executed_units: *[0-9]*' "$T/fuzz.log" | grep -o '[0-9]*$')
cov=$(grep -a -o 'cov: [0-9]*' "$T/fuzz.log" | tail -1)
[ "${runs:-0}" -gt 0 ] || { tail_of "$T/fuzz.log"; fail "fuzz_$target ran no input"; }
pass "fuzz_$target: $runs inputs in ${secs}s, $cov, no crash, every output parsed"
