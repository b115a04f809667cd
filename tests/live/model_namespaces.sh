# model_namespaces.sh - what the model reports about namespaces and pids is what
# /proc says: on a fixture that builds user, pid and mount namespaces by hand,
# and on a real `runc run` whose container is inspected while it runs.
. "$TESTS_DIR/lib/common.sh"

# 1. by hand: user ns + id maps, then pid + mnt ns, a pid 1 that mounts
"$NSTRACE" -q -F json -o "$T/hand.jsonl" -- "$FIXTURES/ns_by_hand" >"$T/hand.out" ||
	fail "the fixture failed under nstrace: $(cat "$T/hand.out")"
assert_valid_jsonl "$T/hand.jsonl"
grep -q "^nspid 1$" "$T/hand.out" || fail "fixture: the grandchild is not pid 1"
user=$(awk '$1=="ns" && $2=="user" {print $3}' "$T/hand.out")
mnt=$(awk '$1=="ns" && $2=="mnt" {print $3}' "$T/hand.out")
pidns=$(awk '$1=="ns" && $2=="pid" {print $3}' "$T/hand.out")
jq_true "$T/hand.jsonl" "any(.[]; .syscall==\"unshare\" and .ret==0 and .ns_changed.user[1]==$user)" \
	"unshare(CLONE_NEWUSER) does not report the user namespace /proc shows ($user)"
jq_true "$T/hand.jsonl" "any(.[]; .syscall==\"unshare\" and .ret==0 and .ns_changed.mnt[1]==$mnt and (.ns_changed | has(\"pid_for_children\")))" \
	"unshare(CLONE_NEWPID|CLONE_NEWNS): mnt must change to $mnt and pid_for_children must change"
jq_true "$T/hand.jsonl" "any(.[]; .syscall==\"unshare\" and .ret==0 and (.ns_changed | has(\"pid\") | not) and (.ns_changed | has(\"pid_for_children\")))" \
	"unshare(CLONE_NEWPID) changes pid_for_children, not the caller's pid namespace"
jq_true "$T/hand.jsonl" "any(.[]; .type==\"spawn\" and .nspid==1 and .ns.pid==$pidns and .ns.mnt==$mnt and .ns.user==$user)" \
	"the grandchild's spawn: pid 1 in pid:[$pidns], with the new mnt and user namespaces"
for f in uid_map gid_map; do
	jq_true "$T/hand.jsonl" "any(.[]; .idmap.file==\"$f\" and .idmap.extents[0].inside==0 and .idmap.extents[0].outside==100000 and .idmap.extents[0].count==65536)" \
		"the $f write is not decoded into 0 100000 65536"
done
jq_true "$T/hand.jsonl" 'any(.[]; .idmap.file=="setgroups" and .idmap.setgroups=="deny")' "setgroups deny not decoded"
jq_true "$T/hand.jsonl" 'any(.[]; .syscall=="mount" and (.call | test("tmpfs")) and .ret==0)' "the private tmpfs mount not seen"

# 2. a real runc run, the container inspected while it sleeps
"$SOURCE_DIR/scripts/make-bundle.sh" "$T/bundle" --args "/bin/sleep 3" >/dev/null
id=nstrace-model-$$
on_exit "runc delete --force $id >/dev/null 2>&1"
(cd "$T/bundle" && exec "$NSTRACE" -q -F json -o "$T/runc.jsonl" -- runc run "$id") &
tracer=$!
on_exit "kill_child TERM $tracer"
entry=
for _ in $(seq 200); do
	entry=$(jq -r 'select(.type=="exec" and .role=="workload") | .pid' "$T/runc.jsonl" 2>/dev/null | head -1)
	[ -n "$entry" ] && break
	sleep 0.05
done
[ -n "$entry" ] || fail "no workload exec within 10 s"
ino() { stat -L -c %i "/proc/$entry/ns/$1"; }
nspid=$(awk '/^NSpid:/ {print $NF}' "/proc/$entry/status")
[ "$nspid" = 1 ] || fail "the entrypoint is not pid 1 in its namespace (NSpid $nspid)"
for t in mnt uts ipc net pid; do
	want=$(ino "$t")
	jq_true "$T/runc.jsonl" "any(.[]; .type==\"exec\" and .pid==$entry and .ns.$t==$want)" \
		"the entrypoint's $t namespace in the trace differs from /proc ($want)"
done
jq_true "$T/runc.jsonl" "any(.[]; .type==\"exec\" and .pid==$entry and .nspid==1)" "the exec event lacks nspid 1"
# runc:[1:CHILD]'s unshare created the mnt namespace the container lives in
jq_true "$T/runc.jsonl" "any(.[]; .syscall==\"unshare\" and .stage==\"runc:[1:CHILD]\" and .ns_changed.mnt[1]==$(ino mnt))" \
	"the unshare of runc:[1:CHILD] does not name the container's mnt namespace"
wait "$tracer" || fail "nstrace -- runc run failed"
jq_true "$T/runc.jsonl" "[.[] | select(.type==\"end\")][0].summary.containers[0] | .id==\"$id\" and .entry_nspid==1 and .entry_pid==$entry" \
	"the summary does not carry the container, its entrypoint and both its pids"
pass
