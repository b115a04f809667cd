# runc_run.sh - `nstrace -- runc run ID` in a busybox bundle: the whole launch,
# from the runc CLI through its three init stages to the entrypoint, and runc's
# exit status passed through.
source "$(dirname "$0")/../lib/common.sh"

bundle=$T/bundle
"$SOURCE_DIR/scripts/make-bundle.sh" "$bundle"
id=nstrace-e2e-runc-$$
on_exit "runc delete --force $id >/dev/null 2>&1"

cd "$bundle"
run_nstrace trace -F json -o "$T/trace.jsonl" -- runc run "$id"
[ "$NSTRACE_RC" -eq 0 ] || { tail_of "$T/trace.stderr"; fail "nstrace exited $NSTRACE_RC, runc run of /bin/true exits 0"; }
assert_launch "$T/trace.jsonl" "$id" /bin/true
runc list -q | grep -qxF "$id" && fail "container $id left behind"
# runc mounts into the rootfs through /proc/self/fd/N: each such line names the path
jq_true "$T/trace.jsonl" "[.[] | select(.syscall == \"mount\" and
	(.args.target | type) == \"object\" and .args.target.fd_path == \"$bundle/rootfs/proc\")] | length == 1" \
	"no mount line says its /proc/self/fd/N target is $bundle/rootfs/proc"

# --seccomp stops at the exec fifo's open (and no other openat): the launch
# keeps its "wait for start" and "entrypoint exec" phases.
NSTRACE_STATS=2 run_nstrace sec -F json --seccomp -o "$T/sec.jsonl" -- runc run "$id-sec"
runc delete --force "$id-sec" >/dev/null 2>&1 || true
[ "$NSTRACE_RC" -eq 0 ] || { tail_of "$T/sec.stderr"; fail "nstrace --seccomp exited $NSTRACE_RC"; }
jq_true "$T/sec.jsonl" '[.[] | select(.type == "end") | .summary.containers[].phases[].name] as $p |
	($p | index("wait for start")) and ($p | index("entrypoint exec"))' \
	"--seccomp lost the wait for start or the entrypoint exec phase"
grep -q "entry stops by syscall: .* openat 1\b" "$T/sec.stderr" ||
	fail "--seccomp must stop at one openat, the exec fifo's: $(grep 'entry stops' "$T/sec.stderr")"

# The exit status of the command is nstrace's.
"$SOURCE_DIR/scripts/make-bundle.sh" "$T/bundle42" -- /bin/sh -c 'exit 42'
cd "$T/bundle42"
run_nstrace status -F json -o "$T/status.jsonl" -- runc run "$id-42"
runc delete --force "$id-42" >/dev/null 2>&1 || true
[ "$NSTRACE_RC" -eq 42 ] || { tail_of "$T/status.stderr"; fail "nstrace exited $NSTRACE_RC, the container exits 42"; }

# A launch that fails: the summary says why, in runc's words (its stderr).
"$SOURCE_DIR/scripts/make-bundle.sh" "$T/bundlenope" -- /bin/nope
cd "$T/bundlenope"
run_nstrace nope -F json -o "$T/nope.jsonl" -- runc run "$id-nope"
runc delete --force "$id-nope" >/dev/null 2>&1 || true
[ "$NSTRACE_RC" -ne 0 ] || fail "runc run of a missing entrypoint exited 0 under nstrace"
jq_true "$T/nope.jsonl" '[.[] | select(.type == "end") | .summary.containers[].failures[]] |
	any(startswith("runc (pid ") and contains("exited with 1: ") and contains("/bin/nope"))' \
	"the failed launch's summary does not carry runc's error message"
# the same with write shown (its buffer cut at -s 32 on the line): the message whole
run_nstrace nopew -F json -e trace=write -o "$T/nopew.jsonl" -- runc run "$id-nopew"
runc delete --force "$id-nopew" >/dev/null 2>&1 || true
jq_true "$T/nopew.jsonl" '[.[] | select(.type == "end") | .summary.containers[].failures[]] |
	any(startswith("runc (pid ") and contains("stat /bin/nope: no such file or directory"))' \
	"with -e trace=write the failure message was cut"

pass "runc run traced, stages, unshare, pivot_root, entrypoint pid 1, status passed through, a failure explained"
