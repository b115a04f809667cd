# strace_calls.sh - strace_calls FILE: strace -f output as one complete call per
# line, in the order calls ended (unfinished/resumed pairs joined, signal and
# exit lines dropped), for comparing with nstrace's "call" texts. A call strace
# left with "<detached ...>" (the task was in it when strace let go; strace may
# not even know which: "???(") never ended under strace: dropped too.
# CONTAINER_SET: the container syscalls, for strace's -e trace=.

CONTAINER_SET=clone,clone3,fork,vfork,unshare,setns,execve,execveat,pivot_root,chroot,mount
CONTAINER_SET+=,umount2,open_tree,move_mount,fsopen,fsconfig,fsmount,fspick,mount_setattr
CONTAINER_SET+=,openat2,mknodat,symlinkat,sethostname,setdomainname,prctl,seccomp,capset
CONTAINER_SET+=,capget,setuid,setgid,setresuid,setresgid,setgroups,setsid,memfd_create,keyctl
CONTAINER_SET+=,setrlimit,prlimit64,bpf

strace_calls() {
	awk '
	/^[0-9]+ +(---|\+\+\+) / { next }
	/ <detached \.\.\.>$/ { next }
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
