#!/bin/bash
# Makes a larger trace.dat for the benchmark (not a fixture): OUT.dat (zstd) and OUT-none.dat.
# Usage: make-large-trace.sh OUT   (root; uses and removes the instance binary-bench)
# Then: BINARYBENCH_FILES=OUT-none.dat:OUT.dat dotnet run -c Release
# Environment: INSTANCE (binary-bench), ITERATIONS of the workload (200), BUFFER_KB per CPU (16384).
set -euo pipefail
OUT=$(realpath "$1")
I=/sys/kernel/tracing/instances/${INSTANCE:-binary-bench}
EVENTS="sched/sched_switch sched/sched_wakeup sched/sched_waking raw_syscalls/sys_enter raw_syscalls/sys_exit timer/hrtimer_start"
cleanup() {
    [ "$BASHPID" = "$$" ] || return 0
    if [ -d "$I" ]; then
        echo 0 > "$I/tracing_on"
        for e in $EVENTS; do echo 0 > "$I/events/$e/enable"; done
        rmdir "$I"
    fi
}
trap cleanup EXIT
[ "$(cat /sys/kernel/tracing/current_tracer)" = nop ] && [ -z "$(cat /sys/kernel/tracing/set_event)" ] || { echo "top level in use" >&2; exit 1; }
mkdir "$I"
echo "${BUFFER_KB:-16384}" > "$I/buffer_size_kb"
for e in $EVENTS; do echo 1 > "$I/events/$e/enable"; done
echo 1 > "$I/tracing_on"
for i in $(seq 1 "${ITERATIONS:-200}"); do taskset -c $((i % 2)) ls -R /usr/share/doc > /dev/null; done
echo 0 > "$I/tracing_on"
# trace-cmd 3.1.6 extract also reads the (idle) top-level buffer; -k leaves every setting alone.
trace-cmd extract -k -B "${INSTANCE:-binary-bench}" -o "$OUT.dat" > /dev/null 2>&1
trace-cmd convert -i "$OUT.dat" -o "$OUT-none.dat" --compression none > /dev/null 2>&1
