#!/bin/sh
# phase-durations.sh TRACE.jsonl - per container, each launch phase and how long
# it took, one line each: CONTAINER<TAB>PHASE<TAB>MILLISECONDS<TAB>PID.
# Uses the summary of the end event; a trace cut before its end (no end event)
# falls back to the phase events as they were emitted.
set -eu
[ $# -eq 1 ] || { echo "usage: $0 TRACE.jsonl" >&2; exit 2; }
jq -r -s '
  (map(select(.type == "end")) | last) as $fin
  | if $fin and $fin.summary then
      $fin.summary.containers[] | .id as $id | .phases[]
      | [$id // "-", .name, (.dur_us / 1000), (.pid // "-")]
    else
      .[] | select(.type == "phase")
      | [.container // "-", .phase, (.dur_us / 1000), (.pid // "-")]
    end
  | @tsv' "$1"
