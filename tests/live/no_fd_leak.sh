# no_fd_leak.sh - the traced command sees the same descriptors as untraced,
# whatever output nstrace writes to.
. "$TESTS_DIR/lib/common.sh"

untraced=$(sh -c 'ls /proc/$$/fd | sort -n | tr "\n" " "')
traced=$("$NSTRACE" -q -o "$T/t.txt" -- sh -c 'ls /proc/$$/fd | sort -n | tr "\n" " "')
[ "$untraced" = "$traced" ] || fail "fds differ: untraced [$untraced] traced [$traced]"
traced=$("$NSTRACE" -q -F json -o - -- sh -c 'ls /proc/$$/fd | sort -n | tr "\n" " " >&2' 2>&1 >/dev/null)
[ "$untraced" = "$traced" ] || fail "fds differ with -o -: untraced [$untraced] traced [$traced]"
pass
