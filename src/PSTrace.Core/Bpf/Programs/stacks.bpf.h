// SPDX-License-Identifier: MIT OR GPL-2.0
// What Start-TraceProfile's programs share (profile.bpf.c on CPU, offcpu.bpf.c off CPU): stacks are counted in the
// kernel, not sent one by one. A stack (kernel and user, up to 127 frames each) is stored once in pstrace_stacks and
// named by its id; pstrace_counts adds up, per task and pair of stack ids, how many times it was seen and for how
// long. User space reads both maps once, at the end (Profiling/StackCountReader.cs reads the same layouts).
#ifndef PSTRACE_STACKS_BPF_H
#define PSTRACE_STACKS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define MAX_STACK_DEPTH 127  // PERF_MAX_STACK_DEPTH: the deepest stack the kernel walks for bpf_get_stackid
#define MAX_STACKS 16384
#define COMM_LEN 16

// Set by user space before the program is loaded (.rodata): the thread group to count, 0 for every one.
const volatile __u32 target_tgid = 0;

struct stack_key {
	__u32 pid;           // thread group id
	__u32 tid;
	__s32 kernel_stack;  // an id in pstrace_stacks, or a negative errno: no kernel stack (user mode) or none stored
	__s32 user_stack;    // likewise for the user stack (a kernel thread has none)
	char comm[COMM_LEN];
};

struct stack_value {
	__u64 count;         // samples on CPU, or times blocked off CPU
	__u64 nanoseconds;   // off CPU: the time blocked in all; on CPU: 0
};

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, MAX_STACKS);
	__type(key, __u32);
	__uint(value_size, MAX_STACK_DEPTH * sizeof(__u64));
} pstrace_stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_STACKS);
	__type(key, struct stack_key);
	__type(value, struct stack_value);
} pstrace_counts SEC(".maps");

// What pstrace_counts had no room for (full), per CPU: user space says how much the profile left out.
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} pstrace_lost SEC(".maps");

static __always_inline int wanted(__u32 tgid)
{
	return target_tgid == 0 || tgid == target_tgid;
}

// Adds one sighting of the stack in key, and the time it lasted; a full table counts it in pstrace_lost.
static __always_inline void count_stack(struct stack_key *key, __u64 nanoseconds)
{
	struct stack_value *value = bpf_map_lookup_elem(&pstrace_counts, key);
	if (!value) {
		struct stack_value zero = {};
		// BPF_NOEXIST: another CPU may have added the key meanwhile; then its entry is used.
		bpf_map_update_elem(&pstrace_counts, key, &zero, BPF_NOEXIST);
		value = bpf_map_lookup_elem(&pstrace_counts, key);
		if (!value) {
			__u32 first = 0;
			__u64 *lost = bpf_map_lookup_elem(&pstrace_lost, &first);
			if (lost)
				__sync_fetch_and_add(lost, 1);
			return;
		}
	}

	__sync_fetch_and_add(&value->count, 1);
	if (nanoseconds)
		__sync_fetch_and_add(&value->nanoseconds, nanoseconds);
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";

#endif
