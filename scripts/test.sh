#!/bin/sh
# test.sh - the whole test suite: install what is missing, build with ASan+UBSan
# into build-asan/, run every ctest test (unit, live, e2e). Exit status is ctest's.
#
#   ./scripts/test.sh [CTEST ARGS...]     e.g. ./scripts/test.sh -L e2e
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

scripts/deps.sh
scripts/build.sh --asan
# Tests run one at a time: e2e tests start their own daemons, and timing-sensitive
# live tests should not share the 2 CPUs with another trace.
exec ctest --test-dir build-asan --output-on-failure "$@"
