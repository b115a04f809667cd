# workload_affinity.sh - nstrace runs runc on its own CPU while runc has stops
# (and, under --seccomp, while runc init stops often), but the container's
# workload starts with the CPU affinity the launch began with: in the default
# mode and under --seccomp, where runc init's pin for its stop rate would
# otherwise be inherited by the workload. (Needs 2 CPUs, as CI has.)
source "$(dirname "$0")/../lib/common.sh"

[ "$(nproc)" -ge 2 ] || fail "this test needs at least 2 CPUs to tell a pin from none"
orig=$(awk '/^Cpus_allowed_list:/ {print $2}' /proc/self/status)
bundle=$T/bundle
"$SOURCE_DIR/scripts/make-bundle.sh" "$bundle" -- /bin/sh -c \
	'awk "/^Cpus_allowed_list:/ {print \"cpus\", \$2}" /proc/self/status'
id=nstrace-e2e-aff-$$
on_exit "runc delete --force $id-d >/dev/null 2>&1; runc delete --force $id-s >/dev/null 2>&1"

cd "$bundle"
for mode in default seccomp; do
	flags=()
	[ "$mode" = seccomp ] && flags=(--seccomp)
	run_nstrace "$mode" "${flags[@]}" -q -F json -o "$T/$mode.jsonl" -- runc run "$id-${mode:0:1}"
	[ "$NSTRACE_RC" -eq 0 ] || { tail_of "$T/$mode.stderr"; fail "$mode: nstrace exited $NSTRACE_RC"; }
	assert_trace_wellformed "$T/$mode.jsonl"
	got=$(sed -n 's/^cpus //p' "$T/$mode.stdout")
	[ -n "$got" ] || { tail_of "$T/$mode.stdout"; fail "$mode: the workload printed no affinity"; }
	[ "$got" = "$orig" ] || fail "$mode: the workload ran with affinity $got, the launch began with $orig"
done
pass "the workload started with affinity $orig, by default and under --seccomp"
