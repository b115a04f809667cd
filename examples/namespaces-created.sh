#!/bin/sh
# namespaces-created.sh TRACE.jsonl - every namespace that came into being during
# the trace, in order: TYPE<TAB>INODE<TAB>PID<TAB>COMM<TAB>HOW (the syscall, or
# "spawn" when a child was the first task in it, as for a new pid namespace).
# A namespace is new when its inode shows up in an ns_changed entry for the first
# time; setns joins existing namespaces and is left out.
set -eu
[ $# -eq 1 ] || { echo "usage: $0 TRACE.jsonl" >&2; exit 2; }
jq -r -s '
  [ .[] | select(.ns_changed and .syscall != "setns")
    | . as $e | .ns_changed | to_entries[]
    | select(.value[1] != 0)
    | {type: .key, ino: .value[1], pid: $e.pid, comm: $e.comm,
       how: ($e.syscall // $e.type), seq: $e.seq} ]
  # pid_for_children names the pid namespace children will be born in: the same
  # inode shows up again as "pid" in the first child; keep the first sighting.
  | map(.type |= sub("_for_children$"; ""))
  | group_by([.type, .ino]) | map(min_by(.seq)) | sort_by(.seq)[]
  | [.type, .ino, .pid, .comm, .how] | @tsv' "$1"
