// SPDX-License-Identifier: MIT OR GPL-2.0
// Watch-Syscall -Summary and -Histogram counted in the kernel: no event is copied to user space. At
// sys_enter the thread's call and time are kept in the task's own storage (pstrace_starts); at sys_exit of the
// same call the call is counted per (system call number, thread group) with its errors (a return of -4095..-1) and
// time, or, with the histogram setting, its latency in microseconds into a log2 slot per system call (bpftrace's
// hist(): slot 0 holds 0, slot k holds [2^(k-1), 2^k)). exit and exit_group never return, so they are never
// counted, as in the tracefs backend. User space reads the maps at the end (Tools/Syscall/BpfSyscallCounter.cs).
//
// Why tp_btf and task storage: this runs on every system call of the machine, so its cost is the tool's cost.
// A tp_btf program gets the tracepoint's arguments as they are, where a classic tracepoint program first has the
// kernel build the event's record; task storage is a slot in the task itself, where a hash map keyed by thread
// took a locked insert at every entry and a delete at every exit. Both exist on 6.1 and 6.18.
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

// timestamp 0: no call of this task is open (none entered since the count started, or its exit was counted).
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
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

SEC("tp_btf/sys_enter")
int BPF_PROG(pstrace_syscall_enter, struct pt_regs *regs, long nr)
{
	struct counting_config *config = counting_config();
	if (!config)
		return 0;
	__u64 id = bpf_get_current_pid_tgid();
	if (!keeps(config, id >> 32))
		return 0;

	struct call_start *start = bpf_task_storage_get(&pstrace_starts, bpf_get_current_task_btf(), 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!start) {
		count_uncounted();
		return 0;
	}
	start->timestamp = bpf_ktime_get_ns();
	start->nr = nr;
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

SEC("tp_btf/sys_exit")
int BPF_PROG(pstrace_syscall_exit, struct pt_regs *regs, long ret)
{
	__u64 now = bpf_ktime_get_ns();
	struct call_start *start = bpf_task_storage_get(&pstrace_starts, bpf_get_current_task_btf(), 0, 0);
	if (!start || start->timestamp == 0)
		return 0; // entered before the count started, or not a kept process
	__u64 nr = start->nr;
	__u64 ns = now >= start->timestamp ? now - start->timestamp : 0;
	start->timestamp = 0;
	// sys_exit's own number (orig_ax on x86_64), as raw_syscalls:sys_exit gives it: a call whose number changed
	// on the way is not the call that was entered (as the tracefs backend pairs them by name).
	if (nr != (__u64)BPF_CORE_READ(regs, orig_ax))
		return 0;

	struct counting_config *config = counting_config();
	if (!config)
		return 0;
	if (config->histogram)
		add_latency((__u32)nr, ns);
	else
		add_call((__u32)nr, bpf_get_current_pid_tgid() >> 32, ret, ns);
	return 0;
}
