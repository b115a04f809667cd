/* test_decode_bpf.c - bpf(2) attributes by command and size: fields that a
 * later kernel added appear only when the size covers them, non-zero bytes
 * past the known struct are "...", PROG_QUERY completes at exit. */
#include <criterion/criterion.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>

#include "test_decode_fakemem.h"

TestSuite(decode_bpf, .init = fm_reset);

static union bpf_attr attr;

static uint64_t put_attr(void)
{
	return fm_put(&attr, sizeof(attr));
}

Test(decode_bpf, prog_load_by_size)
{
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insn_cnt = 2;
	attr.insns = 0x5000;
	attr.license = fm_str("Apache");
	uint64_t a = put_attr();
	EXPECT_CALL("bpf(BPF_PROG_LOAD, {prog_type=BPF_PROG_TYPE_CGROUP_DEVICE, insn_cnt=2, "
		    "insns=0x5000, license=\"Apache\", log_level=0, log_size=0, log_buf=NULL, "
		    "kern_version=KERNEL_VERSION(0, 0, 0), prog_flags=0, prog_name=\"\", "
		    "prog_ifindex=0, expected_attach_type=BPF_CGROUP_INET_INGRESS}, 72) = 3",
		    "bpf", 3, BPF_PROG_LOAD, a, 72);
	EXPECT_CALL("bpf(BPF_PROG_LOAD, {prog_type=BPF_PROG_TYPE_CGROUP_DEVICE, insn_cnt=2, "
		    "insns=0x5000, license=\"Apache\"}, 24) = 3",
		    "bpf", 3, BPF_PROG_LOAD, a, 24);

	attr.log_level = 1;
	attr.log_size = 256;
	attr.log_buf = fm_str("processed 2 insns (limit 1000000) max_states_per_insn 0");
	attr.kern_version = 0x060112;
	strcpy(attr.prog_name, "devfilter");
	attr.prog_flags = 0x1000;
	a = put_attr();
	EXPECT_CALL("bpf(BPF_PROG_LOAD, {prog_type=BPF_PROG_TYPE_CGROUP_DEVICE, insn_cnt=2, "
		    "insns=0x5000, license=\"Apache\", log_level=1, log_size=256, "
		    "log_buf=\"processed 2 insns (limit 1000000\"..., kern_version=KERNEL_VERSION(6, "
		    "1, 18), prog_flags=0x1000 /* BPF_F_??? */}, 48) = -1 EINVAL (Invalid argument)",
		    "bpf", -22, BPF_PROG_LOAD, a, 48);
	/* the whole 6.1 struct, and a non-zero byte past it */
	attr.prog_flags = 0;
	a = put_attr();
	uint32_t log_true_size = 77; /* at 140, past what the 6.1 headers know */
	memcpy(fm.bytes + (a - FAKE_BASE) + 140, &log_true_size, sizeof(log_true_size));
	EXPECT_CALL("bpf(BPF_PROG_LOAD, {prog_type=BPF_PROG_TYPE_CGROUP_DEVICE, insn_cnt=2, "
		    "insns=0x5000, license=\"Apache\", log_level=1, log_size=256, "
		    "log_buf=\"processed 2 insns (limit 1000000\"..., kern_version=KERNEL_VERSION(6, "
		    "1, 18), prog_flags=0, prog_name=\"devfilter\", prog_ifindex=0, "
		    "expected_attach_type=BPF_CGROUP_INET_INGRESS, prog_btf_fd=0, "
		    "func_info_rec_size=0, func_info=NULL, func_info_cnt=0, line_info_rec_size=0, "
		    "line_info=NULL, line_info_cnt=0, attach_btf_id=0, attach_prog_fd=0, "
		    "fd_array=NULL, ...}, 144) = 5",
		    "bpf", 5, BPF_PROG_LOAD, a, 144);
	struct rendered r;
	decode_render_opts(&r, "bpf", 5, 32, BPF_PROG_LOAD, a, 144, 0, 0, 0);
	const struct av *at = arg_named(r.ev, "attr");
	cr_assert_eq(at->kind, AV_STRUCT);
	cr_assert_str_eq(at->items[0].name, "prog_type");
	cr_assert_str_eq(at->items[0].sym, "BPF_PROG_TYPE_CGROUP_DEVICE");
	rendered_free(&r);
}

Test(decode_bpf, attach_detach_link)
{
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = 3;
	attr.attach_bpf_fd = 4;
	attr.attach_type = BPF_CGROUP_DEVICE;
	attr.attach_flags = BPF_F_ALLOW_MULTI;
	uint64_t a = put_attr();
	EXPECT_CALL("bpf(BPF_PROG_ATTACH, {target_fd=3, attach_bpf_fd=4, attach_type=BPF_CGROUP_DEVICE, "
		    "attach_flags=BPF_F_ALLOW_MULTI, replace_bpf_fd=0}, 20) = 0",
		    "bpf", 0, BPF_PROG_ATTACH, a, 20);
	EXPECT_CALL("bpf(BPF_PROG_DETACH, {target_fd=3, attach_type=BPF_CGROUP_DEVICE}, 12) = 0", "bpf",
		    0, BPF_PROG_DETACH, a, 12);
	/* attach_flags past the detach struct is non-zero */
	EXPECT_CALL("bpf(BPF_PROG_DETACH, {target_fd=3, attach_type=BPF_CGROUP_DEVICE, ...}, 20) = 0",
		    "bpf", 0, BPF_PROG_DETACH, a, 20);
	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = 4;
	attr.link_create.target_fd = 3;
	attr.link_create.attach_type = BPF_CGROUP_DEVICE;
	a = put_attr();
	EXPECT_CALL("bpf(BPF_LINK_CREATE, {link_create={prog_fd=4, target_fd=3, "
		    "attach_type=BPF_CGROUP_DEVICE, flags=0}}, 16) = 7",
		    "bpf", 7, BPF_LINK_CREATE, a, 16);
}

Test(decode_bpf, prog_query_completed_at_exit)
{
	uint32_t ids[2] = { 97, 98 };
	uint64_t pids = fm_put(ids, sizeof(ids));
	memset(&attr, 0, sizeof(attr));
	attr.query.target_fd = 3;
	attr.query.attach_type = BPF_CGROUP_DEVICE;
	attr.query.prog_ids = pids;
	attr.query.prog_cnt = 4;
	uint64_t a = put_attr();
	/* entry sees prog_cnt=4; the kernel then writes 2 */
	uint64_t args[6] = { BPF_PROG_QUERY, a, 28, 0, 0, 0 };
	struct ns_event *ev = ns_event_new(EV_SYSCALL);
	ev->sc_name = "bpf";
	struct decode_ctx ctx = { .arena = &ev->arena, .read = fm_read, .read_ctx = &fm,
				  .strsize = 32, .arch = SC_ARCH_X86_64 };
	long nr = syscall_nr(SC_ARCH_X86_64, "bpf");
	ev->args = decode_syscall_entry(&ctx, nr, args);
	attr.query.prog_cnt = 2;
	memcpy(fm.bytes + (a - FAKE_BASE), &attr, sizeof(attr));
	decode_syscall_exit(&ctx, nr, args, 0, ev->args);
	struct strbuf sb;
	sb_init(&sb);
	call_text_render(&sb, ev);
	cr_expect_str_eq(sb_str(&sb), "bpf(BPF_PROG_QUERY, {query={target_fd=3, "
				      "attach_type=BPF_CGROUP_DEVICE, query_flags=0, attach_flags=0, "
				      "prog_ids=[97, 98], prog_cnt=4 => 2}}, 28) = 0");
	sb_free(&sb);
	ns_event_free(ev);
}

Test(decode_bpf, maps_pins_and_bad_attributes)
{
	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_HASH;
	attr.key_size = 4;
	attr.value_size = 8;
	attr.max_entries = 16;
	attr.map_flags = BPF_F_NUMA_NODE;
	strcpy(attr.map_name, "devices");
	uint64_t a = put_attr();
	EXPECT_CALL("bpf(BPF_MAP_CREATE, {map_type=BPF_MAP_TYPE_HASH, key_size=4, value_size=8, "
		    "max_entries=16, map_flags=BPF_F_NUMA_NODE, inner_map_fd=0, numa_node=0, "
		    "map_name=\"devices\", map_ifindex=0, btf_fd=0, btf_key_type_id=0, "
		    "btf_value_type_id=0, btf_vmlinux_value_type_id=0, map_extra=0}, 72) = 7",
		    "bpf", 7, BPF_MAP_CREATE, a, 72);
	memset(&attr, 0, sizeof(attr));
	attr.pathname = fm_str("/sys/fs/bpf/x");
	attr.bpf_fd = 4;
	a = put_attr();
	EXPECT_CALL("bpf(BPF_OBJ_PIN, {pathname=\"/sys/fs/bpf/x\", bpf_fd=4, file_flags=0}, 16) = 0",
		    "bpf", 0, BPF_OBJ_PIN, a, 16);
	EXPECT_CALL("bpf(BPF_OBJ_GET, {pathname=\"/sys/fs/bpf/x\", bpf_fd=4}, 12) = 5", "bpf", 5,
		    BPF_OBJ_GET, a, 12);
	EXPECT_CALL("bpf(BPF_PROG_LOAD, NULL, 72) = -1 EFAULT (Bad address)", "bpf", -14,
		    BPF_PROG_LOAD, 0, 72);
	EXPECT_CALL("bpf(BPF_PROG_LOAD, 0x10, 72) = -1 EFAULT (Bad address)", "bpf", -14,
		    BPF_PROG_LOAD, 0x10, 72);
	/* a command without a layout keeps the address */
	char expected[96];
	snprintf(expected, sizeof(expected), "bpf(BPF_PROG_TEST_RUN, %#llx, 80) = 0",
		 (unsigned long long)a);
	EXPECT_CALL(expected, "bpf", 0, BPF_PROG_TEST_RUN, a, 80);
	EXPECT_CALL("bpf(0x3e7 /* BPF_??? */, NULL, 0) = -1 EINVAL (Invalid argument)", "bpf", -22,
		    999, 0, 0);
}
