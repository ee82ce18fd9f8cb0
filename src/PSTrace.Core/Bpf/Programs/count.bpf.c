// SPDX-License-Identifier: MIT OR GPL-2.0
// Measure-TraceEvent counted in the kernel: one program attached to every tracepoint asked for, each
// attachment with a BPF cookie that is the event's index in user space's list (bpf_get_attach_cookie), counting
// into a map keyed by (event, thread group, comm); no event is copied to user space. User space reads the map
// at the end (Tools/Counting/BpfEventCounter.cs). The program reads nothing of the tracepoint's own fields, so
// it fits any tracepoint, on 6.1 as on 6.18.
#define PSTRACE_RING_SIZE 4096
#include "pstrace.bpf.h"
#include "process_filter.bpf.h"

#define COMM_LEN 16

// Tools/Counting/EventCountKey.cs reads this layout.
struct event_key {
	__u32 event;
	__u32 tgid;
	char comm[COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct event_key);
	__type(value, __u64);
} pstrace_event_counts SEC(".maps");

SEC("tracepoint")
int pstrace_count_event(void *ctx)
{
	struct counting_config *config = counting_config();
	if (!config)
		return 0;
	__u64 id = bpf_get_current_pid_tgid();
	if (!keeps(config, id >> 32))
		return 0;

	struct event_key key = { .event = (__u32)bpf_get_attach_cookie(ctx), .tgid = id >> 32 };
	bpf_get_current_comm(&key.comm, sizeof(key.comm));
	add_count(&pstrace_event_counts, &key, 1);
	return 0;
}
