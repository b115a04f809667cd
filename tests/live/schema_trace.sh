# schema_trace.sh - real traces in -F json validate line by line against the
# JSON Schema v1 (docs/schema/nstrace-event-v1.schema.json): fixtures that fork,
# clone threads, exec and make namespace and mount syscalls, and a real
# `runc run` of a busybox bundle. The jq recipes of examples/ run on that trace.
source "$(dirname "$0")/../lib/common.sh"

SCHEMA=$SOURCE_DIR/docs/schema/nstrace-event-v1.schema.json
python3 -c 'import jsonschema' 2>/dev/null || fail "python3-jsonschema missing: run scripts/deps.sh"

validate() {
	python3 "$TESTS_DIR/live/schema_validate.py" "$SCHEMA" "$1" >"$T/validate.out" 2>&1 || {
		cat "$T/validate.out" >&2
		fail "$1 does not validate against the schema"
	}
}

# The example lines of docs/json.md are valid lines.
awk '/^```json$/ {f = 1; next} /^```$/ {f = 0} f' "$SOURCE_DIR/docs/json.md" >"$T/doc-examples.jsonl"
[ "$(wc -l <"$T/doc-examples.jsonl")" -ge 8 ] || fail "docs/json.md lost its example lines"
validate "$T/doc-examples.jsonl"

for fx in sc_ns sc_mount sc_exec forker threads; do
	[ -x "$FIXTURES/$fx" ] || fail "fixture $fx not built"
	run_nstrace "$fx" -F json -o "$T/$fx.jsonl" -- "$FIXTURES/$fx"
	[ -s "$T/$fx.jsonl" ] || { tail_of "$T/$fx.stderr"; fail "no JSON from $fx"; }
	validate "$T/$fx.jsonl"
done
jq_true "$T/sc_ns.jsonl" 'any(.[]; .type == "syscall" and .syscall == "unshare" and .errno == null and (.ns_changed | length) > 0)' \
	"sc_ns: no unshare with ns_changed"
jq_true "$T/sc_ns.jsonl" 'any(.[]; .type == "syscall" and .errno == "EINVAL" and .ret == -22)' "sc_ns: no failed call with errno EINVAL"
jq_true "$T/sc_ns.jsonl" 'any(.[]; .type == "spawn" and (.clone_flags | index("CLONE_NEWPID")))' "sc_ns: no spawn with CLONE_NEWPID"
jq_true "$T/threads.jsonl" 'any(.[]; .type == "spawn" and .is_thread)' "threads: no thread spawn"

# A real runc launch.
bundle=$T/bundle
"$SOURCE_DIR/scripts/make-bundle.sh" "$bundle" >/dev/null
id=nstrace-schema-$$
on_exit "runc delete --force $id >/dev/null 2>&1"
cd "$bundle"
run_nstrace runc -F json -o "$T/runc.jsonl" -- runc run "$id"
[ "$NSTRACE_RC" -eq 0 ] || { tail_of "$T/runc.stderr"; fail "nstrace -- runc run exited $NSTRACE_RC"; }
validate "$T/runc.jsonl"
types=$(jq -r '.type' "$T/runc.jsonl" | sort -u | tr '\n' ' ')
for t in start syscall spawn exec exit stage phase container end; do
	case " $types" in *" $t "*) ;; *) fail "runc trace has no $t event (types: $types)" ;; esac
done
jq_true "$T/runc.jsonl" '.[-1].summary.containers | length >= 1' "the end event carries no container summary"

# The examples run against this trace and find what they promise.
EX=$SOURCE_DIR/examples
out=$("$EX/phase-durations.sh" "$T/runc.jsonl") || fail "examples/phase-durations.sh failed"
echo "$out" | grep -q "^$id" || fail "phase-durations.sh: no line for $id: $out"
out=$("$EX/namespaces-created.sh" "$T/runc.jsonl") || fail "examples/namespaces-created.sh failed"
echo "$out" | grep -q 'mnt' || fail "namespaces-created.sh: no mnt namespace: $out"
"$EX/failed-mounts.sh" "$T/runc.jsonl" >"$T/failed.out" || fail "examples/failed-mounts.sh failed"
n=$(jq -s '[.[] | select(.type == "syscall" and .errno != null and (.syscall | IN("mount", "umount2",
	"pivot_root", "move_mount", "open_tree", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr")))] | length' "$T/runc.jsonl")
[ "$n" -gt 0 ] || fail "the runc trace has no failed mount (runc's masked paths fail on this machine)"
[ "$(wc -l <"$T/failed.out")" -eq "$n" ] || fail "failed-mounts.sh printed $(wc -l <"$T/failed.out") lines, the trace has $n failed mounts"

pass "fixtures and a runc launch validate against schema v1; examples run"
