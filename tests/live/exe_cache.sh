# exe_cache.sh - a daemon's children exec'ing the same path get their exe from
# the cache (NSTRACE_STATS counts the hits), and a different program behind that
# path (a symlink flipped between /usr/bin/true and /usr/bin/false, two builds)
# is read again: every exec event names the binary that really ran.
. "$TESTS_DIR/lib/common.sh"

cp /bin/dash "$T/containerd" # the daemon role, by name: its children are events-only
ln -s /usr/bin/true "$T/prog"
script='for i in 1 2 3 4 5; do "$0"/prog; done
ln -sfn /usr/bin/false "$0"/prog; "$0"/prog || :; "$0"/prog || :
ln -sfn /usr/bin/true "$0"/prog; "$0"/prog'
NSTRACE_STATS=1 "$NSTRACE" -q --no-daemon -F json -o "$T/out.json" -- "$T/containerd" -c "$script" "$T" \
	2>"$T/stats" || { tail_of "$T/stats"; fail "the daemon's script failed under nstrace"; }
assert_trace_wellformed "$T/out.json"
exes=$(jq -r 'select(.type == "exec" and .filename == "'"$T"'/prog") | .exe' "$T/out.json" | xargs)
want="/usr/bin/true /usr/bin/true /usr/bin/true /usr/bin/true /usr/bin/true /usr/bin/false /usr/bin/false /usr/bin/true"
[ "$exes" = "$want" ] || fail "exec'd $T/prog as: $exes; expected: $want"
hits=$(sed -n 's/.*, \([0-9]*\) exe cache hits, .*/\1/p' "$T/stats")
[ -n "$hits" ] || { tail_of "$T/stats"; fail "NSTRACE_STATS printed no exe cache count"; }
# 5 true (4 hits), 2 false (1 hit), true again (a hit unless its slot went to false)
[ "$hits" -ge 5 ] || fail "only $hits exe cache hits for 8 execs of 2 programs"
pass "8 execs of $T/prog through a flipped symlink: right exe each time, $hits from the cache"
