// SPDX-License-Identifier: MIT OR GPL-2.0
// Start-TraceProfile: on-CPU stacks sampled at a frequency. User space opens one cpu-clock perf event per CPU
// (perf_event_open, freq mode) and attaches this program to each; at every sample it takes the interrupted task's
// kernel and user stacks (bpf_get_stackid) and counts the pair for that task (stacks.bpf.h). Idle (the swapper,
// tid 0) is left out, as bcc's profile does by default. Built like exec.bpf.c: one object for 6.1 and 6.18.
#include "stacks.bpf.h"

SEC("perf_event")
int pstrace_profile_sample(struct bpf_perf_event_data *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 pid = id >> 32;
	__u32 tid = (__u32)id;
	if (tid == 0 || !wanted(pid))
		return 0;

	struct stack_key key = {};
	key.pid = pid;
	key.tid = tid;
	key.kernel_stack = bpf_get_stackid(ctx, &pstrace_stacks, 0);
	key.user_stack = bpf_get_stackid(ctx, &pstrace_stacks, BPF_F_USER_STACK);
	bpf_get_current_comm(&key.comm, sizeof(key.comm));
	count_stack(&key, 0);
	return 0;
}
