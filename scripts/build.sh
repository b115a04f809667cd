#!/bin/sh
# build.sh - configure and build nstrace.
#
#   scripts/build.sh          release build (RelWithDebInfo) into build/
#   scripts/build.sh --asan   ASan+UBSan build into build-asan/ (what the tests use)
# Extra arguments after the option go to cmake's configure step.
set -eu
cd "$(dirname "$0")/.."

dir=build
sanitize=OFF
if [ "${1:-}" = --asan ]; then
	dir=build-asan
	sanitize=ON
	shift
fi

cmake -S . -B "$dir" -DNSTRACE_SANITIZE="$sanitize" "$@" >/dev/null
cmake --build "$dir" -j"$(nproc)"
