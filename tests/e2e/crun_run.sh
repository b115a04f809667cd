# crun_run.sh - `nstrace -- crun run ID` of a busybox bundle with the real crun:
# one launch from crun's CLI through its re-exec (a protected copy of its own
# binary) and its single clone into new namespaces to the entrypoint, as pid 1;
# the EINVALs crun's code expects (mount-point probes, the end of its unmount
# loop) are counted and annotated, not failures; a missing entrypoint is
# explained in crun's words; --seccomp keeps the account; status passed through.
source "$(dirname "$0")/../lib/common.sh"

bundle=$T/bundle
"$SOURCE_DIR/scripts/make-bundle.sh" "$bundle"
id=nstrace-e2e-crun-$$
delete_all() {
	local cid
	for cid in "$id" "$id-sec" "$id-cs" "$id-42" "$id-nope"; do
		crun delete --force "$cid" >/dev/null 2>&1 || true
	done
}
on_exit delete_all

# crun 1.8 refuses a hybrid cgroup layout whose v2 mount holds controllers (this
# machine's /sys/fs/cgroup/unified has hugetlb). Each launch runs in a mount
# namespace of its own without that mount: crun sees cgroup v1, the host's
# mounts stay as they are, and the namespace ends with the launch.
in_ns=()
if grep -q . /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null; then
	in_ns=(unshare -m --propagation private sh -c 'umount -l /sys/fs/cgroup/unified && exec "$@"' in-ns)
fi

# crun_launch NAME ID [NSTRACE OPTIONS...]: trace `crun run ID` of the bundle in
# cwd into $T/NAME.out (JSON Lines unless the options say otherwise)
crun_launch() {
	local name=$1 cid=$2
	shift 2
	run_nstrace "$name" -F json -o "$T/$name.out" "$@" -- "${in_ns[@]}" crun run --bundle "$PWD" "$cid"
}

# assert_crun_launch FILE ID ENTRYPOINT: one container ID, its phases in order,
# the namespaces from crun's clone, the entrypoint as pid 1
assert_crun_launch() {
	local f=$1 cid=$2 entry=$3
	assert_trace_wellformed "$f"
	jq_true "$f" "[.[] | select(.type == \"container\" and .container == \"$cid\")] | length == 1" \
		"container $cid announced $(jq -c "select(.type == \"container\")" "$f" | wc -l) times, once expected"
	jq_true "$f" "[.[] | select(.type == \"end\") | .summary.containers[] | select(.id == \"$cid\")] | length == 1" \
		"the summary does not hold container $cid exactly once"
	jq_true "$f" "any(.[]; .type == \"syscall\" and .syscall == \"clone\" and .role == \"runtime\" and .ret > 0
		and (.call | test(\"CLONE_NEWNS\")) and (.call | test(\"CLONE_NEWPID\")))" \
		"no clone(CLONE_NEWNS|CLONE_NEWPID|...) by crun"
	jq_true "$f" "any(.[]; .type == \"syscall\" and .syscall == \"pivot_root\" and .role == \"runtime-init\" and .ret == 0)" \
		"no successful pivot_root by crun's child"
	jq_true "$f" "any(.[]; .type == \"exec\" and .filename == \"$entry\" and .nspid == 1 and .role == \"workload\")" \
		"no exec of $entry as pid 1 of the container"
	jq_true "$f" "[.[] | select(.type == \"end\") | .summary.containers[] | select(.id == \"$cid\")][0] as \$c |
		\$c.runtime == \"crun\" and (\$c.ns_created | index(\"mnt\")) and (\$c.ns_created | index(\"pid\")) and
		([\$c.phases[].name] | index(\"runtime create\") < index(\"namespace setup\") and
		 index(\"namespace setup\") < index(\"rootfs mounts\") and index(\"rootfs mounts\") < index(\"pivot_root\"))" \
		"the summary's runtime, namespaces or phases are not crun's launch"
}

cd "$bundle"
crun_launch trace "$id"
[ "$NSTRACE_RC" -eq 0 ] || { tail_of "$T/trace.stderr"; fail "nstrace exited $NSTRACE_RC, crun run of /bin/true exits 0"; }
assert_crun_launch "$T/trace.out" "$id" /bin/true
f=$T/trace.out
# The re-exec: crun execs a read-only bind mount or a memfd copy of itself; the
# launch goes on (no "superseded", one container).
jq_true "$f" 'any(.[]; .type == "exec" and .role == "runtime" and .filename != "/usr/bin/crun" and
	(.note // "" | test("^crun runs from a (read-only bind mount of its own binary|sealed memfd copy of itself)")))' \
	"crun's re-exec of itself is not told: $(jq -c 'select(.type == "exec") | [.filename, .exe, .note]' "$f")"
grep -q superseded "$f" && fail "crun's re-exec was taken for a new launch"
# A healthy launch: no failures; every failed mount is one crun expects (EINVAL
# probes for a mount point, the end of its unmount loop) or an optional path.
jq_true "$f" '[.[] | select(.type == "end") | .summary.containers[0]][0] as $c |
	($c.failures | length) == 0 and $c.mounts_expected >= 1 and
	$c.mounts_failed == $c.mounts_expected + $c.mounts_optional' \
	"crun's expected EINVALs were reported as failures: $(jq -c 'select(.type == "end") | .summary.containers[0] | {failures, mounts_failed, mounts_expected, mounts_optional}' "$f")"
jq_true "$f" 'any(.[]; .syscall == "umount2" and .errno == "EINVAL" and (.note // "" | test("unmount loop ends")))' \
	"the EINVAL that ends crun's unmount loop has no note"
# crun mounts into the rootfs through /proc/self/fd/N too: the line names the path
jq_true "$f" "any(.[]; .syscall == \"mount\" and (.args.target | type) == \"object\" and
	.args.target.fd_path == \"$bundle/rootfs/proc\")" \
	"no mount line says its /proc/self/fd/N target is $bundle/rootfs/proc"

# The text summary, as a person reads it.
crun_launch text "$id" -F text
sed -n '/launch summary/,$p' "$T/text.out" >"$T/text.summary"
grep -q "^container $id (crun, bundle $bundle): " "$T/text.summary" || { cat "$T/text.summary" >&2; fail "no summary line for $id"; }
grep -q "EINVAL the runtime's code expects" "$T/text.summary" || { cat "$T/text.summary" >&2; fail "the summary does not count crun's expected EINVALs"; }
grep -q "failures" "$T/text.summary" && { cat "$T/text.summary" >&2; fail "a healthy crun launch lists failures"; }
grep -qE '^ +\| creds:$' "$T/text.out" && fail "an empty creds: line"

# --seccomp: the same launch, stopping only at the shown calls.
crun_launch sec "$id-sec" --seccomp
[ "$NSTRACE_RC" -eq 0 ] || { tail_of "$T/sec.stderr"; fail "nstrace --seccomp exited $NSTRACE_RC"; }
assert_crun_launch "$T/sec.out" "$id-sec" /bin/true

# crun create, then crun start (as containerd's shim and podman run it): the
# time the created container waits for start is a phase of its own, not part
# of pivot_root; start's re-exec of itself is told as such.
cat >"$T/create_start.sh" <<'SH'
set -e
crun create --bundle "$BUNDLE" "$ID"
crun start "$ID"
SH
export BUNDLE=$bundle ID=$id-cs
run_nstrace cs -F json -o "$T/cs.out" -- \
	"${in_ns[@]}" sh "$T/create_start.sh"
[ "$NSTRACE_RC" -eq 0 ] || { tail_of "$T/cs.stderr"; fail "crun create + start exited $NSTRACE_RC"; }
jq_true "$T/cs.out" '[.[] | select(.type == "end") | .summary.containers[0].phases[].name] as $p |
	($p | index("pivot_root")) < ($p | index("wait for start")) and
	($p | index("wait for start")) < ($p | index("workload"))' \
	"crun create + start: no wait for start phase between pivot_root and the workload: $(jq -c 'select(.type == "end") | [.summary.containers[0].phases[].name]' "$T/cs.out")"
jq_true "$T/cs.out" 'any(.[]; .type == "exec" and (.argv | index("start")) and
	(.note // "" | test("^crun runs from")))' "crun start's re-exec is not told as one"
crun delete --force "$id-cs" >/dev/null 2>&1 || true

# The exit status of the command is nstrace's.
"$SOURCE_DIR/scripts/make-bundle.sh" "$T/bundle42" -- /bin/sh -c 'exit 42'
cd "$T/bundle42"
crun_launch status "$id-42"
[ "$NSTRACE_RC" -eq 42 ] || { tail_of "$T/status.stderr"; fail "nstrace exited $NSTRACE_RC, the container exits 42"; }

# A launch that fails: the summary says why, in crun's words (its stderr).
"$SOURCE_DIR/scripts/make-bundle.sh" "$T/bundlenope" -- /bin/nope
cd "$T/bundlenope"
crun_launch nope "$id-nope"
[ "$NSTRACE_RC" -ne 0 ] || fail "crun run of a missing entrypoint exited 0 under nstrace"
jq_true "$T/nope.out" '[.[] | select(.type == "end") | .summary.containers[].failures[]] |
	any(startswith("crun (pid ") and contains("exited with ") and contains("/bin/nope"))' \
	"the failed launch's summary does not carry crun's error message: $(jq -c 'select(.type == "end") | .summary.containers[].failures' "$T/nope.out")"

for i in "$id" "$id-sec" "$id-cs" "$id-42" "$id-nope"; do
	crun list 2>/dev/null | grep -q "^$i " && fail "container $i left behind"
	for d in /sys/fs/cgroup/*/"$i"; do
		[ -d "$d" ] && fail "cgroup $d left behind"
	done
done
pass "crun run traced: one launch through its re-exec, clone into namespaces, pivot_root, entrypoint pid 1; expected EINVALs not failures; --seccomp; status; a failure explained"
