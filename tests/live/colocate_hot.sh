# colocate_hot.sh - an events-only process that stops often (a fork storm under
# a daemon) runs on nstrace's CPU while it storms and gets its own affinity
# back once it is quiet; --no-colocate leaves it alone. (Needs 2 CPUs, as CI has.)
. "$TESTS_DIR/lib/common.sh"

[ "$(nproc)" -ge 2 ] || fail "this test needs at least 2 CPUs to tell a pin from none"
orig=$(awk '/^Cpus_allowed_list:/ {print $2}' /proc/self/status)
cp /bin/dash "$T/containerd" # the daemon role, by name
script='i=0; while [ $i -lt 300 ]; do /bin/true; i=$((i + 1)); done
awk "/^Cpus_allowed_list:/ {print \$2}" /proc/$$/status >"$0.hot"
sleep 1
awk "/^Cpus_allowed_list:/ {print \$2}" /proc/$$/status >"$0.cool"'

"$NSTRACE" -q --no-daemon -o /dev/null -- "$T/containerd" -c "$script" "$T/on" ||
	fail "the storm failed under nstrace"
hot=$(cat "$T/on.hot") cool=$(cat "$T/on.cool")
case $hot in *[-,]*) fail "storming: affinity $hot, expected one CPU (nstrace's)" ;; esac
[ "$cool" = "$orig" ] || fail "quiet for a second: affinity $cool, expected its own $orig back"

"$NSTRACE" -q --no-colocate --no-daemon -o /dev/null -- "$T/containerd" -c "$script" "$T/off" ||
	fail "the storm failed under nstrace --no-colocate"
[ "$(cat "$T/off.hot")" = "$orig" ] || fail "--no-colocate: affinity $(cat "$T/off.hot") changed"
pass "a storming daemon ran on CPU $hot, then got $orig back; --no-colocate left it alone"
