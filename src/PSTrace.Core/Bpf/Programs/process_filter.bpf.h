// SPDX-License-Identifier: MIT OR GPL-2.0
// The process filter of the programs that count in the kernel (syscall.bpf.c, count.bpf.c): user space writes
// pstrace_config and the thread group ids to keep (pstrace_tgids, in pstrace.bpf.h) after the load and before the programs are
// attached; with follow_children, a kept process's new processes are kept too (sched_process_fork).
#ifndef PSTRACE_PROCESS_FILTER_BPF_H
#define PSTRACE_PROCESS_FILTER_BPF_H

// Bpf/BpfCountingConfig.cs writes the same layout.
struct counting_config {
	__u32 by_process;      // 1: only the thread groups in pstrace_tgids
	__u32 excluded_tgid;   // a thread group left out (the watching pwsh); 0 for none
	__u32 follow_children; // 1: sched_process_fork adds a kept process's children
	__u32 histogram;       // syscall.bpf.c: 1 to count latencies into log2 slots, 0 for calls, errors and time
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct counting_config);
} pstrace_config SEC(".maps");

// The thread groups to keep are pstrace.bpf.h's pstrace_tgids, the map the watch programs' -ProcessId uses too.

// What could not be counted because a map was full (per CPU): user space says how many, never silently.
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} pstrace_uncounted SEC(".maps");

static __always_inline void count_uncounted(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&pstrace_uncounted, &zero);
	if (n)
		*n += 1; // a per-CPU slot: no other CPU writes it
}

// Adds n to a u64 count of a per-CPU hash map, making the key's entry at its first count.
static __always_inline void add_count(void *map, const void *key, __u64 n)
{
	__u64 *count = bpf_map_lookup_elem(map, key);
	if (count) {
		*count += n; // a per-CPU value: only this CPU writes it, no atomics needed
		return;
	}
	if (bpf_map_update_elem(map, key, &n, BPF_NOEXIST) == 0)
		return;
	// Another CPU's first count of the key came between: this CPU's value exists now (zero).
	count = bpf_map_lookup_elem(map, key);
	if (count)
		*count += n;
	else
		count_uncounted();
}

static __always_inline struct counting_config *counting_config(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&pstrace_config, &zero);
}

// True when the thread group's events are counted.
static __always_inline bool keeps(struct counting_config *config, __u32 tgid)
{
	if (config->by_process)
		return bpf_map_lookup_elem(&pstrace_tgids, &tgid) != 0;
	return tgid != config->excluded_tgid;
}

// A kept process's child is kept (attached only with follow_children). tp_btf gives the tasks themselves,
// so a new thread (same thread group) is told apart from a new process.
SEC("tp_btf/sched_process_fork")
int BPF_PROG(pstrace_follow_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 parent_tgid = BPF_CORE_READ(parent, tgid);
	__u32 child_tgid = BPF_CORE_READ(child, tgid);
	__u8 one = 1;
	if (child_tgid == parent_tgid || !bpf_map_lookup_elem(&pstrace_tgids, &parent_tgid))
		return 0;
	if (bpf_map_update_elem(&pstrace_tgids, &child_tgid, &one, BPF_ANY) < 0)
		count_uncounted();
	return 0;
}

#endif
