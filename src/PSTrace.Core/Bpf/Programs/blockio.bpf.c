// SPDX-License-Identifier: MIT OR GPL-2.0
// Watch-BlockIo -Histogram's BPF backend, as bcc's biolatency: the time of each block request from its issue to
// the device (block_rq_issue) to its completion (block_rq_complete), counted in the kernel into power-of-two
// slots of microseconds. No record is copied out: user space reads pstrace_hist once, at the end.
//
// The programs are tp_btf (BTF-typed raw tracepoints): they get the kernel's struct request itself, whose
// prototype is the same on 6.1 and 6.18 (block_rq_issue(rq), block_rq_complete(rq, error, nr_bytes)), while the
// tracefs events' fields differ between them (6.18 adds ioprio; rwbs grows). The request and its disk are read
// through CO-RE, so one object built against the build machine's BTF loads on both.
#include "pstrace.bpf.h"

// Slot k counts [2^(k-1), 2^k) microseconds, slot 0 counts 0: HistogramScale.Log2's numbering (bpftrace's hist()).
#define SLOTS 64

struct hist_key {
	__u32 dev;           // the disk as the kernel's dev_t (major << 20 | minor); 0 unless per_disk
	__u32 slot;
};

// Set by user space after load, before attach (Tools/BlockIo/BpfBlockLatency.cs).
struct blockio_config {
	__u32 per_disk;      // 1: a histogram per disk (-PerDisk)
	__u32 some_devices;  // 1: only the disks in pstrace_devices (-Device)
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct blockio_config);
} pstrace_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u8);
} pstrace_devices SEC(".maps");

// Issue time of each request in flight, by its address.
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u64);
	__type(value, __u64);
} pstrace_issued SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64 * SLOTS);
	__type(key, struct hist_key);
	__type(value, __u64);
} pstrace_hist SEC(".maps");

// Kernels before 5.17 kept the disk in the request itself; from 5.17 it is the queue's.
struct request___rq_disk {
	struct gendisk *rq_disk;
} __attribute__((preserve_access_index));

static __always_inline __u32 disk_of(struct request *rq)
{
	struct gendisk *disk;
	if (bpf_core_field_exists(((struct request___rq_disk *)rq)->rq_disk))
		disk = BPF_CORE_READ((struct request___rq_disk *)rq, rq_disk);
	else
		disk = BPF_CORE_READ(rq, q, disk);
	if (!disk)
		return 0;
	return ((__u32)BPF_CORE_READ(disk, major) << 20) | (__u32)BPF_CORE_READ(disk, first_minor);
}

static __always_inline struct blockio_config *blockio_settings(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&pstrace_config, &zero);
}

// bpftrace's hist() slot: 0 for 0, else the position of the highest bit set, plus one.
static __always_inline __u32 log2_slot(__u64 v)
{
	__u32 slot = 0;
	for (int bit = 32; bit > 0; bit >>= 1) {
		if (v >= (1ULL << bit)) {
			v >>= bit;
			slot += bit;
		}
	}
	return v ? slot + 1 : 0;
}

SEC("tp_btf/block_rq_issue")
int BPF_PROG(pstrace_bio_issue, struct request *rq)
{
	struct blockio_config *c = blockio_settings();
	if (!c)
		return 0;
	if (c->some_devices) {
		__u32 dev = disk_of(rq);
		if (!bpf_map_lookup_elem(&pstrace_devices, &dev))
			return 0;
	}

	__u64 key = (__u64)rq;
	__u64 now = bpf_ktime_get_ns();
	bpf_map_update_elem(&pstrace_issued, &key, &now, BPF_ANY);
	return 0;
}

SEC("tp_btf/block_rq_complete")
int BPF_PROG(pstrace_bio_done, struct request *rq, int error, unsigned int nr_bytes)
{
	__u64 key = (__u64)rq;
	__u64 *issued = bpf_map_lookup_elem(&pstrace_issued, &key);
	struct blockio_config *c = blockio_settings();
	if (!issued || !c)
		return 0;

	__u64 now = bpf_ktime_get_ns();
	__u64 micros = now > *issued ? (now - *issued) / 1000 : 0;
	bpf_map_delete_elem(&pstrace_issued, &key);

	struct hist_key slot = { .dev = c->per_disk ? disk_of(rq) : 0, .slot = log2_slot(micros) };
	__u64 *count = bpf_map_lookup_elem(&pstrace_hist, &slot);
	if (!count) {
		__u64 one = 1;
		// Another CPU may have made the slot in between: then it is there to add to.
		if (bpf_map_update_elem(&pstrace_hist, &slot, &one, BPF_NOEXIST) == 0)
			return 0;
		count = bpf_map_lookup_elem(&pstrace_hist, &slot);
		if (!count)
			return 0;
	}
	__sync_fetch_and_add(count, 1);
	return 0;
}
