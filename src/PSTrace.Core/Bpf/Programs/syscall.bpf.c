// SPDX-License-Identifier: MIT OR GPL-2.0
// Watch-Syscall -Summary and -Histogram counted in the kernel: no event is copied to user space. At
// raw_syscalls:sys_enter the thread's call and time are kept (pstrace_starts); at sys_exit of the same call the
// call is counted per (system call number, thread group) with its errors (a return of -4095..-1) and time, or,
// with the histogram setting, its latency in microseconds into a log2 slot per system call (bpftrace's hist():
// slot 0 holds 0, slot k holds [2^(k-1), 2^k)). exit and exit_group never return, so they are never counted,
// as in the tracefs backend. User space reads the maps at the end (Tools/Syscall/BpfSyscallCounter.cs).
// CO-RE relocated tracepoint structs: one object loads on 6.1 and 6.18.
#define PSTRACE_RING_SIZE 4096
#include "pstrace.bpf.h"
#include "process_filter.bpf.h"

struct call_start {
	__u64 timestamp;
	__u64 nr;
};

struct call_key {
	__u32 nr;
	__u32 tgid;
};

// Tools/Syscall/SyscallCountRecords.cs reads these layouts.
struct call_counts {
	__u64 calls;
	__u64 errors;
	__u64 nanoseconds;
};

struct slot_key {
	__u32 nr;
	__u32 slot;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct call_start);
} pstrace_starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct call_key);
	__type(value, struct call_counts);
} pstrace_calls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct slot_key);
	__type(value, __u64);
} pstrace_slots SEC(".maps");

// floor(log2(v)) for v > 0, without a loop the verifier would have to walk.
static __always_inline __u32 log2_floor(__u64 v)
{
	__u32 r = 0, shift;
	shift = (v > 0xFFFFFFFFULL) << 5; v >>= shift; r |= shift;
	shift = (v > 0xFFFF) << 4; v >>= shift; r |= shift;
	shift = (v > 0xFF) << 3; v >>= shift; r |= shift;
	shift = (v > 0xF) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (v >> 1);
	return r;
}

SEC("tracepoint/raw_syscalls/sys_enter")
int pstrace_syscall_enter(struct trace_event_raw_sys_enter *ctx)
{
	struct counting_config *config = counting_config();
	if (!config)
		return 0;
	__u64 id = bpf_get_current_pid_tgid();
	if (!keeps(config, id >> 32))
		return 0;

	__u32 tid = (__u32)id;
	struct call_start start = { .timestamp = bpf_ktime_get_ns(), .nr = ctx->id };
	if (bpf_map_update_elem(&pstrace_starts, &tid, &start, BPF_ANY) < 0)
		count_uncounted();
	return 0;
}

static __always_inline void add_call(__u32 nr, __u32 tgid, long ret, __u64 ns)
{
	struct call_key key = { .nr = nr, .tgid = tgid };
	__u64 error = (ret < 0 && ret >= -4095) ? 1 : 0;
	struct call_counts *counts = bpf_map_lookup_elem(&pstrace_calls, &key);
	if (!counts) {
		struct call_counts first = { .calls = 1, .errors = error, .nanoseconds = ns };
		if (bpf_map_update_elem(&pstrace_calls, &key, &first, BPF_NOEXIST) == 0)
			return;
		// Another CPU's first count of the key came between: this CPU's value exists now (zero).
		counts = bpf_map_lookup_elem(&pstrace_calls, &key);
		if (!counts) {
			count_uncounted();
			return;
		}
	}
	// A per-CPU value: only this CPU writes it, no atomics needed.
	counts->calls += 1;
	counts->errors += error;
	counts->nanoseconds += ns;
}

static __always_inline void add_latency(__u32 nr, __u64 ns)
{
	__u64 us = ns / 1000;
	struct slot_key key = { .nr = nr, .slot = us == 0 ? 0 : log2_floor(us) + 1 };
	add_count(&pstrace_slots, &key, 1);
}

SEC("tracepoint/raw_syscalls/sys_exit")
int pstrace_syscall_exit(struct trace_event_raw_sys_exit *ctx)
{
	__u64 now = bpf_ktime_get_ns();
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct call_start *start = bpf_map_lookup_elem(&pstrace_starts, &tid);
	if (!start)
		return 0; // entered before the count started, or not a kept process
	__u64 nr = start->nr;
	__u64 ns = now >= start->timestamp ? now - start->timestamp : 0;
	bpf_map_delete_elem(&pstrace_starts, &tid);
	if (nr != (__u64)ctx->id)
		return 0; // not the call that was entered (as the tracefs backend pairs them by name)

	struct counting_config *config = counting_config();
	if (!config)
		return 0;
	if (config->histogram)
		add_latency((__u32)nr, ns);
	else
		add_call((__u32)nr, id >> 32, ctx->ret, ns);
	return 0;
}
