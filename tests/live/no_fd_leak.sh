# no_fd_leak.sh - the traced command sees the same descriptors as untraced,
# whatever output nstrace writes to.
. "$TESTS_DIR/lib/common.sh"

# The shell lists its own fds with no pipeline of its own running (a pipeline's
# pipes would be among them, or not, depending on timing); sorted out here.
fds() { sort -n | tr "\n" " "; }
untraced=$(sh -c 'exec ls /proc/$$/fd' | fds)
traced=$("$NSTRACE" -q -o "$T/t.txt" -- sh -c 'exec ls /proc/$$/fd' | fds)
[ "$untraced" = "$traced" ] || fail "fds differ: untraced [$untraced] traced [$traced]"
traced=$("$NSTRACE" -q -F json -o - -- sh -c 'exec ls /proc/$$/fd >&2' 2>&1 >/dev/null | fds)
[ "$untraced" = "$traced" ] || fail "fds differ with -o -: untraced [$untraced] traced [$traced]"
pass
