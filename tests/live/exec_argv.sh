# exec_argv.sh - what an exec reports (argv, comm) is what /proc says, whether
# nstrace read it from the new program's stack (the usual case) or from /proc
# (a huge environment, an exec through an fd).
. "$TESTS_DIR/lib/common.sh"

ln -s /bin/echo "$T/a-name-longer-than-fifteen"
"$NSTRACE" -q -F json -o "$T/a.jsonl" -- "$T/a-name-longer-than-fifteen" one "two words" "" 'q"uote' >/dev/null ||
	fail "nstrace failed"
jq_true "$T/a.jsonl" 'any(.[]; .type=="exec" and (.argv[0] | endswith("/a-name-longer-than-fifteen")) and .argv[1:]==["one", "two words", "", "q\"uote"])' \
	"argv not reported as given: $(jq -c 'select(.type=="exec") | .argv' "$T/a.jsonl")"
jq_true "$T/a.jsonl" 'any(.[]; .type=="exec" and .comm=="a-name-longer-t")' \
	"comm is not the exec'd name cut to 15 bytes: $(jq -c 'select(.type=="exec") | .comm' "$T/a.jsonl")"

# an environment larger than nstrace reads from the stack: /proc answers
big=$(seq -f 'NSTRACE_V%g=x' 3000 | tr '\n' ' ')
# shellcheck disable=SC2086
env $big "$NSTRACE" -q -F json -o "$T/b.jsonl" -- /bin/echo big env >/dev/null || fail "nstrace failed (big env)"
jq_true "$T/b.jsonl" 'any(.[]; .type=="exec" and .argv==["/bin/echo", "big", "env"] and .comm=="echo" and .envc > 3000)' \
	"big environment: $(jq -c 'select(.type=="exec") | [.argv, .comm, .envc]' "$T/b.jsonl")"

# an exec through an fd (fexecve: the path is /dev/fd/N): comm from /proc
"$NSTRACE" -q -F json -o "$T/c.jsonl" -- python3 -c 'import os; fd = os.open("/bin/true", os.O_RDONLY); os.execve(fd, ["true", "x"], {})' ||
	fail "nstrace failed (fexecve)"
jq_true "$T/c.jsonl" 'any(.[]; .type=="exec" and .argv==["true", "x"] and (.comm | length) > 0)' \
	"fexecve: $(jq -c 'select(.type=="exec") | [.argv, .comm]' "$T/c.jsonl")"
pass "argv and comm of execs as /proc has them"
