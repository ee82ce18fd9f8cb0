// SPDX-License-Identifier: MIT OR GPL-2.0
// What every PSTrace BPF program shares: the headers, the record header, the ring buffer user space reads
// (Bpf/BpfRingBuffer.cs), and the per-CPU count of records it had no room for (Bpf/BpfLossCounter.cs).
#ifndef PSTRACE_BPF_H
#define PSTRACE_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

// The header every record starts with; the C# decoders (Tools/*/Bpf*Records.cs) read the same layout.
struct record_head {
	__u64 timestamp;     // bpf_ktime_get_ns: CLOCK_MONOTONIC, the clock of a tracefs watch's "mono"
	__u32 kind;
	__u32 cpu;
	__u32 pid;           // thread group id
	__u32 tid;           // the thread (a program may set another one it names)
};

// A program that counts in maps and sends no record defines PSTRACE_RING_SIZE as one page before the include.
#ifndef PSTRACE_RING_SIZE
#define PSTRACE_RING_SIZE (4 * 1024 * 1024)
#endif

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, PSTRACE_RING_SIZE);
} pstrace_events SEC(".maps");

// Records the ring buffer refused (full), per CPU: user space reports increases as TraceLostEvents.
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} pstrace_lost SEC(".maps");

static __always_inline void count_lost(void)
{
	__u32 zero = 0;
	__u64 *lost = bpf_map_lookup_elem(&pstrace_lost, &zero);
	if (lost)
		__sync_fetch_and_add(lost, 1);
}

static __always_inline void fill_head(struct record_head *head, __u32 kind)
{
	__u64 id = bpf_get_current_pid_tgid();
	head->timestamp = bpf_ktime_get_ns();
	head->kind = kind;
	head->cpu = bpf_get_smp_processor_id();
	head->pid = id >> 32;
	head->tid = (__u32)id;
}

// Records that pass as the variable part of a larger struct: its fixed part plus used bytes, at most the whole.
static __always_inline __u64 bounded_size(__u64 fixed, __s64 used, __u64 whole)
{
	__u64 size = fixed + (used > 0 ? used : 0);
	return size > whole ? whole : size;
}

// bpf_probe_read_user_str with the length of an empty string made the same on every kernel: 6.1 answers 0 for ""
// where 6.18 answers 1 (measured in the lane); both become 1, the NUL, so "" counts like any other string.
static __always_inline long read_user_str(void *dst, __u32 size, const void *src)
{
	long n = bpf_probe_read_user_str(dst, size, src);
	if (n == 0) {
		*(char *)dst = 0;
		n = 1;
	}
	return n;
}

// -ProcessId in the kernel: with pstrace_scope's only set, a program records only tasks whose thread group is in
// pstrace_tgids; with children set, PSTRACE_FOLLOW_CHILDREN's program adds the processes a watched one forks.
// User space (Bpf/BpfProcessScope.cs) fills both after the load and before the attach.
struct pstrace_scope_settings {
	__u32 only;
	__u32 children;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pstrace_scope_settings);
} pstrace_scope SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, __u8);
} pstrace_tgids SEC(".maps");

static __always_inline int in_scope(void)
{
	__u32 zero = 0;
	struct pstrace_scope_settings *scope = bpf_map_lookup_elem(&pstrace_scope, &zero);
	if (!scope || !scope->only)
		return 1;
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	return bpf_map_lookup_elem(&pstrace_tgids, &tgid) != 0;
}

// A program (pstrace_fork, tp_btf: the same prototype on 6.1 and 6.18) for the objects that take -IncludeChildren.
#define PSTRACE_FOLLOW_CHILDREN                                                                     \
	SEC("tp_btf/sched_process_fork")                                                            \
	int BPF_PROG(pstrace_fork, struct task_struct *parent, struct task_struct *child)          \
	{                                                                                           \
		__u32 zero = 0;                                                                     \
		struct pstrace_scope_settings *scope = bpf_map_lookup_elem(&pstrace_scope, &zero); \
		if (!scope || !scope->only || !scope->children)                                    \
			return 0;                                                                   \
		__u32 tgid = BPF_CORE_READ(parent, tgid);                                           \
		if (!bpf_map_lookup_elem(&pstrace_tgids, &tgid))                                    \
			return 0;                                                                   \
		__u32 child_tgid = BPF_CORE_READ(child, tgid);                                      \
		__u8 yes = 1;                                                                       \
		bpf_map_update_elem(&pstrace_tgids, &child_tgid, &yes, BPF_ANY);                    \
		return 0;                                                                           \
	}

char LICENSE[] SEC("license") = "Dual MIT/GPL";

#endif
