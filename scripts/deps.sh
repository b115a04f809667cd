#!/bin/sh
# deps.sh - install what nstrace needs to build, test and benchmark on Debian 12.
#
# Idempotent: asks apt only about packages that are missing, runs apt-get update
# only then, and prints nothing when everything is already there. Runs as root.
# Services are never started: docker.io and containerd ship init scripts that
# their postinst would run, and the tests start private daemons of their own.
set -eu

PACKAGES="
	build-essential cmake pkg-config
	libjansson-dev libcriterion-dev libunwind-dev libelf-dev
	jq python3-jsonschema strace time
	runc crun podman containerd docker.io busybox-static
	clang libclang-rt-14-dev golang-go
"

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: run as root (apt-get install)" >&2
	exit 1
fi

missing=
for p in $PACKAGES; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps.sh: installing:$missing"
export DEBIAN_FRONTEND=noninteractive

# invoke-rc.d and deb-systemd-invoke consult policy-rc.d: exit 101 = "do not
# start". Install one for the duration unless the machine already has its own.
policy=/usr/sbin/policy-rc.d
own_policy=
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$policy"
	chmod 755 "$policy"
	own_policy=1
fi
daemon_pids() { pgrep -x dockerd; pgrep -x containerd; } # pgrep -x takes 15 chars at most
daemons_before=$(daemon_pids || true)
cleanup() {
	[ -n "$own_policy" ] && rm -f "$policy"
	# Belt and braces: stop any daemon the install started despite the policy.
	for pid in $(daemon_pids || true); do
		case " $(echo "$daemons_before" | tr '\n' ' ') " in
		*" $pid "*) ;;
		*) echo "deps.sh: stopping $(cat "/proc/$pid/comm" 2>/dev/null) ($pid) started by apt" >&2
		   kill "$pid" 2>/dev/null || true ;;
		esac
	done
}
trap cleanup EXIT

apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
