# hostile_secrets.sh - environment variables never reach the trace: a secret
# in the environment of a traced command (and of an attached process) that
# execs other programs must not appear in any output format, not even with -v
# and a huge -s. Output files nstrace creates are mode 0600 whatever the umask
# (a trace reveals argv, paths and hostnames).
. "$TESTS_DIR/lib/common.sh"

secret="nstrace-secret-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
# the traced programs exec others, so every execve carries the environment
script='/bin/true; /bin/sh -c "exec /bin/true"; exec /bin/sh -c "sleep 0.1; /bin/true"'

umask 000
n=0
for fmt in text json chrome; do
	for extra in "" "-v -s 100000"; do
		n=$((n + 1))
		f="$T/run.$n.$fmt"
		# shellcheck disable=SC2086 # extra is a list of options
		env NSTRACE_TEST_TOKEN="$secret" "$NSTRACE" -q -F "$fmt" $extra -e trace=all -o "$f" -- \
			/bin/sh -c "$script" 2>"$T/err.$n" || fail "nstrace -F $fmt $extra failed: $(cat "$T/err.$n")"
		[ -s "$f" ] || fail "-F $fmt $extra: empty output"
		[ "$(stat -c %a "$f")" = 600 ] || fail "-F $fmt $extra: output created with mode $(stat -c %a "$f") under umask 000"
		grep -q 'envc\|vars' "$f" || fail "-F $fmt $extra: the environment is not even counted (execve traced?)"
	done
done
# stderr (text to the terminal) too
env NSTRACE_TEST_TOKEN="$secret" "$NSTRACE" -v -s 100000 -e trace=all -- /bin/sh -c "$script" 2>"$T/stderr.txt" ||
	fail "nstrace to stderr failed"

# attach mode: a process with the secret in its environment, attached, then execs
env NSTRACE_TEST_TOKEN="$secret" /bin/sh -c 'while [ ! -e "$0" ]; do sleep 0.05; done; /bin/true; exec /bin/true' \
	"$T/go" &
target=$!
on_exit "kill_child TERM $target"
"$NSTRACE" -q -F json -v -s 100000 -e trace=all -o "$T/attach.json" -p "$target" 2>"$T/attach.err" &
tracer=$!
on_exit "kill_child KILL $tracer"
wait_traced "$target" "$tracer" 10
# env execs sh a moment after the fork: until then its environ is ours
for _ in $(seq 100); do
	tr '\0' '\n' <"/proc/$target/environ" 2>/dev/null | grep -q -F "$secret" && break
	sleep 0.05
done
tr '\0' '\n' <"/proc/$target/environ" | grep -q -F "$secret" || fail "the attached process does not hold the secret"
touch "$T/go"
wait_exit "$tracer" 20
[ "$WAIT_RC" = 0 ] || fail "attach mode: nstrace exited $WAIT_RC ($(cat "$T/attach.err"))"
[ "$(stat -c %a "$T/attach.json")" = 600 ] || fail "attach mode: output created with mode $(stat -c %a "$T/attach.json")"
jq_true "$T/attach.json" 'any(.[]; .type == "exec" and .envc > 0)' "attach mode: no exec with an environment traced"

if grep -l -a -F "$secret" "$T"/run.* "$T/stderr.txt" "$T/attach.json"; then
	fail "an environment variable's value appears in the output (files above)"
fi
# the check can fail: strace -v prints the environment of every execve
env NSTRACE_TEST_TOKEN="$secret" strace -f -v -s 1000 -o "$T/strace.txt" /bin/sh -c "$script"
grep -q -F "$secret" "$T/strace.txt" || fail "control: strace -v did not show the secret, the check proves nothing"
pass "$n runs (text, json, chrome; with and without -v) + stderr + attach: no environment value, files 0600"
