// SPDX-License-Identifier: MIT OR GPL-2.0
// Start-TraceProfile -OffCpu: where tasks block and for how long, as bcc's offcputime counts it. At sched_switch
// the task switched out (prev) is still the current task: its kernel and user stacks are taken there, with the
// time, and kept by thread. When a kept thread is switched back in (next), the time it was off CPU is added to its
// stacks' entry (stacks.bpf.h). tp_btf reads task_struct through BTF with CO-RE relocations, so the object loads
// on Debian's 6.1 as on 6.18.
#include "stacks.bpf.h"

#define MAX_THREADS 32768

struct switched_out {
	__u64 start;
	struct stack_key key;
};

// Threads off CPU now, by tid: when and where they blocked.
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_THREADS);
	__type(key, __u32);
	__type(value, struct switched_out);
} pstrace_offcpu_start SEC(".maps");

SEC("tp_btf/sched_switch")
int BPF_PROG(pstrace_offcpu_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	__u32 prev_tid = prev->pid;
	if (prev_tid != 0 && wanted(prev->tgid)) {
		struct switched_out out = {};
		out.start = bpf_ktime_get_ns();
		out.key.pid = prev->tgid;
		out.key.tid = prev_tid;
		out.key.kernel_stack = bpf_get_stackid(ctx, &pstrace_stacks, 0);
		out.key.user_stack = bpf_get_stackid(ctx, &pstrace_stacks, BPF_F_USER_STACK);
		BPF_CORE_READ_STR_INTO(&out.key.comm, prev, comm);
		bpf_map_update_elem(&pstrace_offcpu_start, &prev_tid, &out, BPF_ANY);
	}

	__u32 next_tid = next->pid;
	struct switched_out *out = bpf_map_lookup_elem(&pstrace_offcpu_start, &next_tid);
	if (!out)
		return 0;

	__u64 now = bpf_ktime_get_ns();
	if (now > out->start)
		count_stack(&out->key, now - out->start);
	bpf_map_delete_elem(&pstrace_offcpu_start, &next_tid);
	return 0;
}
