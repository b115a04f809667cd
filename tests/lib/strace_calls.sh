# strace_calls.sh - strace_calls FILE: strace -f output as one complete call per
# line, in the order calls ended (unfinished/resumed pairs joined, signal and
# exit lines dropped), for comparing with nstrace's "call" texts.
strace_calls() {
	awk '
	/^[0-9]+ +(---|\+\+\+) / { next }
	{
		pid = $1; line = $0; sub(/^[0-9]+ +/, "", line)
		if (line ~ / <unfinished \.\.\.>$/) {
			sub(/ <unfinished \.\.\.>$/, "", line); pending[pid] = line; next
		}
		if (line ~ /^<\.\.\. [a-z0-9_]+ resumed>/) {
			sub(/^<\.\.\. [a-z0-9_]+ resumed>/, "", line)
			line = pending[pid] line; delete pending[pid]
		}
		print line
	}' "$1" | sed -E 's/^(.*\)) +(= .*)$/\1 \2/'
}
