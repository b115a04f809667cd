# stack_runc.sh - the issue's scenario: `nstrace -k -e trace=unshare,pivot_root
# -- runc run ID` on Debian's stripped runc. Under unshare (runc:[1:CHILD], C):
# libc's unshare, then runc's try_unshare and nsexec, nothing borrowed. Under
# pivot_root (runc:[2:INIT], Go): golang.org/x/sys/unix and libcontainer names.
. "$TESTS_DIR/lib/common.sh"

bundle=$T/bundle
"$SOURCE_DIR/scripts/make-bundle.sh" "$bundle"
id=nstrace-stack-$$
on_exit "runc delete --force $id >/dev/null 2>&1"
cd "$bundle"
run_nstrace runc -k -F json -e trace=unshare,pivot_root -o "$T/runc.jsonl" -- runc run "$id"
[ "$NSTRACE_RC" -eq 0 ] || { tail_of "$T/runc.stderr"; fail "nstrace exited $NSTRACE_RC"; }

jq -c 'select(.type=="syscall" and .syscall=="unshare") | .stack[]' "$T/runc.jsonl" >"$T/unshare.frames"
jq -c 'select(.type=="syscall" and .syscall=="pivot_root") | .stack[]' "$T/runc.jsonl" >"$T/pivot.frames"
[ -s "$T/unshare.frames" ] || fail "no stack under unshare"
[ -s "$T/pivot.frames" ] || fail "no stack under pivot_root"

jq -s -e '.[0].function == "unshare" and (.[0].module | test("libc\\.so"))
	and ([.[].function] | index("nsexec") != null)
	and all(.[1:([.[].function] | index("nsexec"))][]; .function == null or .function == "try_unshare")' \
	"$T/unshare.frames" >/dev/null ||
	fail "unshare frames: $(jq -s -c '[.[] | [.module, .function, .offset]]' "$T/unshare.frames")"

jq -s -e '[.[].function] as $f
	| ($f | index("golang.org/x/sys/unix.PivotRoot")) as $a
	| ($f | index("github.com/opencontainers/runc/libcontainer.pivotRoot")) as $b
	| ($f | index("github.com/opencontainers/runc/libcontainer.(*linuxStandardInit).Init")) as $c
	| $a != null and $b != null and $c != null and $a < $b and $b < $c
	  and all($f[]; . != null) and $f[-1] == "runtime.goexit"' "$T/pivot.frames" >/dev/null ||
	fail "pivot_root frames: $(jq -s -c '[.[].function]' "$T/pivot.frames")"

pass "unshare shows libc and nsexec honestly, pivot_root shows runc's Go functions"
