// SPDX-License-Identifier: MIT OR GPL-2.0
// Watch-Exec's BPF backend. Three kinds of record go into one ring buffer, in the order they happen:
//   EXEC_ARGS  at sys_enter_execve/execveat: the caller's thread, the path and argv, read from the caller's
//              memory before the exec replaces it (bpf_probe_read_user_str), so static binaries and programs
//              that make the system call themselves show theirs too;
//   EXEC_DONE  at sched_process_exec: the new program (pid, the thread that called exec, comm, parent);
//   EXEC_FAIL  at sys_exit_execve/execveat when the call failed: the thread and the errno.
// User space ties EXEC_ARGS to the record that follows it on the same thread (old_pid for EXEC_DONE).
// A record the ring buffer had no room for is counted per CPU in pstrace_lost, never dropped silently.
// Built with clang -target bpf -O2 -g against the build machine's vmlinux.h; the tracepoint structs are
// CO-RE relocated (vmlinux.h marks them preserve_access_index), so one object loads on 6.1 and 6.18.
#include "pstrace.bpf.h"

#define EXEC_ARGS 1
#define EXEC_DONE 2
#define EXEC_FAIL 3

#define MAX_ARGS 64          // -MaxArguments' upper bound: user space keeps the first N
#define ARG_MAX 4096         // one string at most (the tracefs backend's string fetch reads as much)
#define ARGS_SPACE 16384     // argv's strings together; a string may start anywhere below this
#define COMM_LEN 16

struct exec_args {
	struct record_head head;
	__s32 path_size;     // bytes of path, its NUL included; negative: the errno of an unreadable path
	__u32 args_count;    // argv strings read
	__u32 args_size;     // bytes of argv strings, each with its NUL
	__u32 more;          // argv goes on beyond what was read: 1 past MAX_ARGS or ARGS_SPACE, 2 argv itself unreadable there
	__u64 unreadable;    // bit i: argument i's string could not be read (a page not yet in memory: BPF cannot fault it in)
	char path[ARG_MAX];
	char args[ARGS_SPACE + ARG_MAX];
};

struct exec_done {
	struct record_head head;
	__u32 parent_pid;
	__s32 ret;           // EXEC_FAIL: the negative errno
	char comm[COMM_LEN];
	char parent_comm[COMM_LEN];
};

// An exec_args is too large for the BPF stack: it is built here, one per CPU.
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exec_args);
} pstrace_scratch SEC(".maps");

static __always_inline int read_args(const char *filename, const char *const *argv)
{
	if (!in_scope())
		return 0;
	__u32 zero = 0;
	struct exec_args *e = bpf_map_lookup_elem(&pstrace_scratch, &zero);
	if (!e)
		return 0;

	fill_head(&e->head, EXEC_ARGS);
	e->path_size = read_user_str(e->path, sizeof(e->path), filename);
	e->args_count = 0;
	e->args_size = 0;
	e->more = 0;
	e->unreadable = 0;

	for (int i = 0; i < MAX_ARGS; i++) {
		const char *arg = 0;
		if (bpf_probe_read_user(&arg, sizeof(arg), &argv[i]) < 0) {
			e->more = 2;
			goto send;
		}
		if (!arg)
			goto send;
		__u32 offset = e->args_size;
		if (offset >= ARGS_SPACE) {
			e->more = 1;
			goto send;
		}
		// The mask changes nothing (offset < ARGS_SPACE, a power of two) but shows the verifier the bound.
		offset &= ARGS_SPACE - 1;
		long n = read_user_str(&e->args[offset], ARG_MAX, arg);
		if (n < 0) {
			// Kept as an empty string, its index said, so the arguments after it keep their places.
			e->args[offset] = 0;
			n = 1;
			e->unreadable |= 1ULL << i;
		}
		e->args_count++;
		e->args_size += n;
	}

	// MAX_ARGS strings read: is there one more?
	{
		const char *next = 0;
		if (bpf_probe_read_user(&next, sizeof(next), &argv[MAX_ARGS]) == 0 && next)
			e->more = 1;
	}

send:;
	if (bpf_ringbuf_output(&pstrace_events, e, bounded_size(offsetof(struct exec_args, args), e->args_size, sizeof(*e)), 0) < 0)
		count_lost();
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int pstrace_exec_enter(struct trace_event_raw_sys_enter *ctx)
{
	return read_args((const char *)ctx->args[0], (const char *const *)ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_enter_execveat")
int pstrace_execat_enter(struct trace_event_raw_sys_enter *ctx)
{
	return read_args((const char *)ctx->args[1], (const char *const *)ctx->args[2]);
}

static __always_inline void fill_parent(struct exec_done *r)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	// The parent process: its leader's comm, as /proc/PID/comm shows it (the forking thread may have another name).
	struct task_struct *parent = BPF_CORE_READ(task, real_parent, group_leader);
	r->parent_pid = BPF_CORE_READ(parent, tgid);
	BPF_CORE_READ_STR_INTO(&r->parent_comm, parent, comm);
	bpf_get_current_comm(&r->comm, sizeof(r->comm));
}

SEC("tracepoint/sched/sched_process_exec")
int pstrace_exec_done(struct trace_event_raw_sched_process_exec *ctx)
{
	if (!in_scope())
		return 0;
	struct exec_done *r = bpf_ringbuf_reserve(&pstrace_events, sizeof(*r), 0);
	if (!r) {
		count_lost();
		return 0;
	}

	fill_head(&r->head, EXEC_DONE);
	r->head.tid = ctx->old_pid;
	r->ret = 0;
	fill_parent(r);
	bpf_ringbuf_submit(r, 0);
	return 0;
}

static __always_inline int exec_failed(struct trace_event_raw_sys_exit *ctx)
{
	long ret = ctx->ret;
	if (ret >= 0 || !in_scope())
		return 0;

	struct exec_done *r = bpf_ringbuf_reserve(&pstrace_events, sizeof(*r), 0);
	if (!r) {
		count_lost();
		return 0;
	}

	fill_head(&r->head, EXEC_FAIL);
	r->ret = (__s32)ret;
	fill_parent(r);
	bpf_ringbuf_submit(r, 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_execve")
int pstrace_exec_exit(struct trace_event_raw_sys_exit *ctx)
{
	return exec_failed(ctx);
}

SEC("tracepoint/syscalls/sys_exit_execveat")
int pstrace_execat_exit(struct trace_event_raw_sys_exit *ctx)
{
	return exec_failed(ctx);
}

PSTRACE_FOLLOW_CHILDREN
