#!/bin/sh
# demo.sh - the main job in one command: install what is missing, build, make a
# busybox bundle and trace a real `runc run` of it from the first instruction.
#
#   ./scripts/demo.sh [NSTRACE OPTIONS...]     e.g. ./scripts/demo.sh -F json
# The container and the temporary bundle are removed afterwards, pass or fail.
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)

"$repo/scripts/deps.sh"
"$repo/scripts/build.sh" >/dev/null

bundle=$(mktemp -d /tmp/nstrace-demo.XXXXXX)
id=nstrace-demo-$$
cleanup() {
	runc delete --force "$id" >/dev/null 2>&1 || true
	rm -rf "$bundle"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$repo/scripts/make-bundle.sh" "$bundle"
cd "$bundle"
echo "demo: $repo/build/cli/nstrace $* -- runc run $id   (bundle: busybox, /bin/true)" >&2
status=0
"$repo/build/cli/nstrace" "$@" -- runc run "$id" || status=$?
echo "demo: runc exited with status $status" >&2
exit "$status"
