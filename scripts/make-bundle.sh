#!/bin/sh
# make-bundle.sh - a runc bundle whose rootfs is busybox-static and its applets.
#
#   make-bundle.sh DIR [--args "CMD ARGS"]   DIR/config.json + DIR/rootfs
#   make-bundle.sh DIR -- CMD ARG...         the same, args taken verbatim
#   make-bundle.sh --rootfs-only DIR         DIR is the rootfs (for ctr --rootfs,
#                                            docker import)
# The config is `runc spec` with terminal off and the given process args (default
# /bin/true). Options may come before or after DIR.
set -eu

usage() {
	echo "usage: make-bundle.sh DIR [--rootfs-only] [--args \"CMD ARGS\"]" >&2
	exit 2
}

dir= rootfs_only= args=/bin/true verbatim=
while [ $# -gt 0 ]; do
	case $1 in
	--rootfs-only) rootfs_only=1 ;;
	--args) [ $# -ge 2 ] || usage; args=$2; shift ;;
	--args=*) args=${1#--args=} ;;
	--) shift; verbatim=1; break ;;
	-h | --help) usage ;;
	-*) echo "make-bundle.sh: unknown option $1" >&2; usage ;;
	*) [ -z "$dir" ] || usage; dir=$1 ;;
	esac
	shift
done
[ -n "$dir" ] || usage

busybox=/bin/busybox
if ! "$busybox" --help 2>&1 | head -1 | grep -q BusyBox || ldd "$busybox" >/dev/null 2>&1; then
	echo "make-bundle.sh: $busybox is not a static busybox: run scripts/deps.sh (busybox-static)" >&2
	exit 1
fi

if [ -n "$rootfs_only" ]; then
	rootfs=$dir
else
	rootfs=$dir/rootfs
fi

mkdir -p "$rootfs"
cd "$rootfs"
mkdir -p bin dev etc proc sys tmp root run
chmod 1777 tmp
cp "$busybox" bin/busybox
# Every applet as a link in /bin, so the container has sh, true, ls, ps, cat,
# sleep, echo, id, hostname, mount and the rest under their usual names.
for applet in $(bin/busybox --list); do
	[ "$applet" = busybox ] || ln -sf busybox "bin/$applet"
done
echo 'root:x:0:0:root:/root:/bin/sh' >etc/passwd
echo 'root:x:0:' >etc/group
echo nstrace >etc/hostname
cd - >/dev/null

if [ -z "$rootfs_only" ]; then
	rm -f "$dir/config.json"
	runc spec --bundle "$dir"
	# --args is word-split on purpose (no quoting); after -- each word is one arg.
	if [ -z "$verbatim" ]; then
		# shellcheck disable=SC2086
		set -- $args
	fi
	[ $# -gt 0 ] || usage
	# One arg per line through jq -R (jq 1.6 would take "-c" after --args as its own option).
	printf '%s\n' "$@" | jq -R . | jq -s . >"$dir/args.json"
	jq --slurpfile a "$dir/args.json" '.process.terminal = false | .process.args = $a[0]' \
		"$dir/config.json" >"$dir/config.json.new"
	rm -f "$dir/args.json"
	mv "$dir/config.json.new" "$dir/config.json"
fi
