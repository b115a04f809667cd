# stack_k.sh - nstrace -k: the user stack under each shown syscall, named.
# C fixtures with and without symbols, frame pointers only, stripped Go, and
# the C part of Debian's stripped runc (nsexec), where strace -k borrows names
# of unrelated symbols. JSON frames are {ip, module, function, offset}.
. "$TESTS_DIR/lib/common.sh"

# frames FILE SYSCALL: the stack of the first shown SYSCALL, one JSON frame a line.
frames() { jq -c "select(.type==\"syscall\" and .syscall==\"$2\") | .stack[]" "$1" | head -64; }

# C with symbols: getppid <- chain_inner <- chain_middle <- chain_outer <- main
run_nstrace chain -k -F json -e trace=getppid -o "$T/chain.jsonl" -- "$FIXTURES/stack_chain" x
[ "$NSTRACE_RC" -eq 0 ] || { tail_of "$T/chain.stderr"; fail "nstrace -k exited $NSTRACE_RC"; }
assert_valid_jsonl "$T/chain.jsonl"
frames "$T/chain.jsonl" getppid >"$T/chain.frames"
[ -s "$T/chain.frames" ] || fail "no stack under getppid"
jq -s -e '.[0].module | test("libc\\.so")' "$T/chain.frames" >/dev/null || fail "frame 0 is not libc's getppid"
want='["chain_inner","chain_middle","chain_outer","main"]'
jq -s -e --argjson w "$want" '[.[] | select(.module | endswith("/stack_chain")) | .function][0:4] == $w' \
	"$T/chain.frames" >/dev/null || fail "chain not named in order: $(jq -s -c '[.[].function]' "$T/chain.frames")"
jq -s -e 'all(.[]; (.ip | test("^0x[0-9a-f]+$")) and (.offset | type == "number"))' "$T/chain.frames" \
	>/dev/null || fail "frame fields are not {ip: hex string, offset: number}"

# Text: frames under the call, strace's "> module(function+0xoff) [0xaddr]".
run_nstrace text -k -e trace=getppid -o "$T/chain.txt" -- "$FIXTURES/stack_chain" x
grep -Eq '^ > .*/stack_chain\(chain_middle\+0x[0-9a-f]+\) \[0x[0-9a-f]+\]$' "$T/chain.txt" ||
	{ tail_of "$T/chain.txt"; fail "text frames not in strace's form"; }

# Stripped: the fixture's frames are module+offset, never a borrowed name.
run_nstrace stripped -k -F json -e trace=getppid -o "$T/stripped.jsonl" -- "$FIXTURES/stack_chain_stripped" x
frames "$T/stripped.jsonl" getppid >"$T/stripped.frames"
[ "$(jq -s '[.[] | select(.module | endswith("/stack_chain_stripped"))] | length' "$T/stripped.frames")" -ge 5 ] ||
	fail "stripped fixture: its frames are missing"
jq -s -e 'all(.[] | select(.module | endswith("/stack_chain_stripped")); .function == null)' \
	"$T/stripped.frames" >/dev/null || fail "stripped fixture frames carry names: $(cat "$T/stripped.frames")"

# Frame pointers only (no .eh_frame in the fixture).
run_nstrace fp -k -F json -e trace=getppid -o "$T/fp.jsonl" -- "$FIXTURES/stack_fp" x
frames "$T/fp.jsonl" getppid >"$T/fp.frames"
jq -s -e --argjson w "$want" '[.[] | select(.module | endswith("/stack_fp")) | .function][0:4] == $w' \
	"$T/fp.frames" >/dev/null || fail "frame-pointer chain: $(jq -s -c '[.[].function]' "$T/fp.frames")"

# Stripped Go: names from .gopclntab, up to runtime.goexit.
run_nstrace go -k -F json -e trace=getppid -o "$T/go.jsonl" -- "$FIXTURES/stack_go" x
frames "$T/go.jsonl" getppid >"$T/go.frames"
jq -s -e '[.[].function] | index("main.(*chain).middle") != null and index("main.outer") != null
	and index("main.main") != null and .[-1] == "runtime.goexit"' "$T/go.frames" >/dev/null ||
	fail "Go frames: $(jq -s -c '[.[].function]' "$T/go.frames")"

# runc's nsexec (C, stripped) logging a bad init pipe: libc write, then its
# static helpers as module+offset, then nsexec (exported, its extent covers).
_LIBCONTAINER_INITPIPE=notanumber _LIBCONTAINER_LOGPIPE=2 \
	run_nstrace runc -k -F json -e trace=write -o "$T/runc.jsonl" -- /usr/sbin/runc init
frames "$T/runc.jsonl" write >"$T/runc.frames"
jq -s -e '(.[0].module | test("libc\\.so")) and ([.[].function] | index("nsexec") >= 2)
	and all(.[1:([.[].function] | index("nsexec"))][]; .function == null)
	and ([.[].function] | index("escape_json_string") == null)' "$T/runc.frames" >/dev/null ||
	fail "runc C frames: $(jq -s -c '[.[] | [.module, .function, .offset]]' "$T/runc.frames")"

pass "C, stripped C, frame pointers, stripped Go and runc's C frames under -k"
