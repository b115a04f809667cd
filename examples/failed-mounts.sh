#!/bin/sh
# failed-mounts.sh TRACE.jsonl - every mount-related syscall that failed, as
# MILLISECONDS<TAB>PID<TAB>COMM<TAB>ERRNO<TAB>CALL (the strace-style text).
set -eu
[ $# -eq 1 ] || { echo "usage: $0 TRACE.jsonl" >&2; exit 2; }
jq -r '
  select(.type == "syscall" and .errno != null
    and (.syscall | test("^(mount|umount2|pivot_root|move_mount|open_tree|fsopen|fsconfig|fsmount|fspick|mount_setattr)$")))
  | [(.rel_us / 1000), .pid, .comm, .errno, .call] | @tsv' "$1"
