# colocate_restore.sh - what nstrace gives back after co-locating tasks on its
# CPU (tracer/affinity.c): exactly the affinity a task had, never nstrace's own
# pin, and never over an affinity the task set for itself. (Needs 2 CPUs.)
. "$TESTS_DIR/lib/common.sh"

[ "$(nproc)" -ge 2 ] || fail "this test needs at least 2 CPUs to tell a pin from none"
orig=$(awk '/^Cpus_allowed_list:/ {print $2}' /proc/self/status)
mask='awk "/^Cpus_allowed_list:/ {print \$2}" /proc/$$/status'

# Tasks with syscall stops are pinned when they are a runtime (by name: a
# copy of dash called runc); a plain command keeps its CPUs.
cp /bin/dash "$T/runc"
"$NSTRACE" -q -o /dev/null -- sh -c 'nproc >"$1"' sh "$T/nproc"
[ "$(cat "$T/nproc")" = "$(nproc)" ] || fail "a plain traced command saw $(cat "$T/nproc") CPUs"
"$NSTRACE" -q --colocate-all -o /dev/null -- sh -c 'nproc >"$1"' sh "$T/nproc1"
[ "$(cat "$T/nproc1")" = 1 ] || fail "--colocate-all: a plain command saw $(cat "$T/nproc1") CPUs, not nstrace's one"

# 1. nstrace pins itself for an attached runtime; the command it then starts
# must not inherit that pin.
mkfifo "$T/fifo"
"$T/runc" -c 'read x' <>"$T/fifo" >/dev/null 2>&1 & # blocks in read(2), no child
victim=$!
on_exit "kill_child TERM $victim"
sleep 0.2
"$NSTRACE" -q --timeout 1 -o /dev/null -p "$victim" -- sh -c "sleep 3; $mask >'$T/cmd'" ||
	true # ends by the timeout
for _ in $(seq 50); do [ -s "$T/cmd" ] && break; sleep 0.1; done
[ "$(cat "$T/cmd" 2>/dev/null)" = "$orig" ] ||
	fail "the command started next to an attached runtime has CPUs $(cat "$T/cmd" 2>/dev/null), its own are $orig"
[ "$(awk '/^Cpus_allowed_list:/ {print $2}' "/proc/$victim/status")" = "$orig" ] ||
	fail "the attached runtime did not get its CPUs back"

# 2. A pinned runtime that sets its own affinity keeps it: nstrace runs on CPU
# 0, the runtime moves itself to CPU 1 while traced.
taskset -c 0 "$NSTRACE" -q --timeout 1 -o /dev/null -- \
	"$T/runc" -c "$mask >'$T/pinned'; taskset -p -c 1 \$\$ >/dev/null; sleep 2; $mask >'$T/own'" || true
for _ in $(seq 50); do [ -s "$T/own" ] && break; sleep 0.1; done
[ "$(cat "$T/pinned" 2>/dev/null)" = 0 ] || fail "the runtime was not pinned to nstrace's CPU 0: $(cat "$T/pinned")"
[ "$(cat "$T/own" 2>/dev/null)" = 1 ] ||
	fail "a runtime's own taskset -c 1 was overwritten at detach: $(cat "$T/own" 2>/dev/null)"

# 3. A hot thread that execs (taking the leader's tid) cools down like any task.
"$NSTRACE" -q --seccomp -o /dev/null -- "$FIXTURES/exec_hot_thread" "$T/hot" ||
	fail "exec_hot_thread failed under nstrace"
[ "$(cat "$T/hot" 2>/dev/null)" = "$orig" ] ||
	fail "a hot thread's exec left the program pinned: $(cat "$T/hot" 2>/dev/null), expected $orig"

pass "a plain command sees every CPU; given back: the command's ($orig), a runtime's own taskset (1), a hot thread's exec ($orig)"
