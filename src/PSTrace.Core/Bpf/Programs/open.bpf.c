// SPDX-License-Identifier: MIT OR GPL-2.0
// Watch-Open's BPF backend. Two kinds of record go into one ring buffer, in the order they happen:
//   OPEN_ENTER at sys_enter_openat/open/creat/openat2: the thread, the call, flags, mode, the directory
//              descriptor, and the file name read from the caller's memory (bpf_probe_read_user_str), so
//              static binaries, Go programs and the dynamic loader show theirs too;
//   OPEN_EXIT  at the matching sys_exit: the thread and the result (a descriptor or a negative errno).
// User space pairs the two by thread. Records the ring buffer had no room for are counted per CPU in
// pstrace_lost. Built like exec.bpf.c: CO-RE relocated tracepoint structs, one object for 6.1 and 6.18.
#include "pstrace.bpf.h"

#define OPEN_ENTER 1
#define OPEN_EXIT 2

#define SYSCALL_OPENAT 1
#define SYSCALL_OPEN 2
#define SYSCALL_CREAT 3
#define SYSCALL_OPENAT2 4

#define NAME_MAX_SIZE 4096

struct open_enter {
	struct record_head head;
	__u32 syscall;
	__s32 flags;         // -1 for openat2, whose flags are in a structure
	__s32 mode;
	__s32 dfd;
	__s32 name_size;     // bytes of name, its NUL included; negative: the name could not be read
	__u32 pad;
	char name[NAME_MAX_SIZE];
};

struct open_exit {
	struct record_head head;
	__s64 ret;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct open_enter);
} pstrace_scratch SEC(".maps");

static __always_inline int enter(__u32 syscall, int dfd, const char *name, int flags, int mode)
{
	if (!in_scope())
		return 0;
	__u32 zero = 0;
	struct open_enter *e = bpf_map_lookup_elem(&pstrace_scratch, &zero);
	if (!e)
		return 0;

	fill_head(&e->head, OPEN_ENTER);
	e->syscall = syscall;
	e->flags = flags;
	e->mode = mode;
	e->dfd = dfd;
	e->name_size = read_user_str(e->name, sizeof(e->name), name);

	if (bpf_ringbuf_output(&pstrace_events, e, bounded_size(offsetof(struct open_enter, name), e->name_size, sizeof(*e)), 0) < 0)
		count_lost();
	return 0;
}

static __always_inline int leave(struct trace_event_raw_sys_exit *ctx)
{
	if (!in_scope())
		return 0;
	struct open_exit *r = bpf_ringbuf_reserve(&pstrace_events, sizeof(*r), 0);
	if (!r) {
		count_lost();
		return 0;
	}

	fill_head(&r->head, OPEN_EXIT);
	r->ret = ctx->ret;
	bpf_get_current_comm(&r->comm, sizeof(r->comm));
	bpf_ringbuf_submit(r, 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_openat")
int pstrace_openat_in(struct trace_event_raw_sys_enter *ctx)
{
	return enter(SYSCALL_OPENAT, (int)ctx->args[0], (const char *)ctx->args[1], (int)ctx->args[2], (int)ctx->args[3]);
}

SEC("tracepoint/syscalls/sys_enter_open")
int pstrace_open_in(struct trace_event_raw_sys_enter *ctx)
{
	return enter(SYSCALL_OPEN, -100, (const char *)ctx->args[0], (int)ctx->args[1], (int)ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_enter_creat")
int pstrace_creat_in(struct trace_event_raw_sys_enter *ctx)
{
	// creat(2) is open with O_CREAT|O_WRONLY|O_TRUNC.
	return enter(SYSCALL_CREAT, -100, (const char *)ctx->args[0], 0x241, (int)ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_enter_openat2")
int pstrace_openat2_in(struct trace_event_raw_sys_enter *ctx)
{
	return enter(SYSCALL_OPENAT2, (int)ctx->args[0], (const char *)ctx->args[1], -1, 0);
}

SEC("tracepoint/syscalls/sys_exit_openat")
int pstrace_openat_out(struct trace_event_raw_sys_exit *ctx) { return leave(ctx); }

SEC("tracepoint/syscalls/sys_exit_open")
int pstrace_open_out(struct trace_event_raw_sys_exit *ctx) { return leave(ctx); }

SEC("tracepoint/syscalls/sys_exit_creat")
int pstrace_creat_out(struct trace_event_raw_sys_exit *ctx) { return leave(ctx); }

SEC("tracepoint/syscalls/sys_exit_openat2")
int pstrace_openat2_out(struct trace_event_raw_sys_exit *ctx) { return leave(ctx); }

PSTRACE_FOLLOW_CHILDREN
