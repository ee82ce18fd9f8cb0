#!/bin/busybox sh
# PID 1 of the lane's initramfs (run-lane.sh copies it in as /init).
#
# Loads the 9p and overlay modules of the guest kernel, mounts the host's root
# (9p share "hostroot", read-only) under a tmpfs overlay so the guest may write
# anywhere without touching the host, mounts the host's results folder (9p
# share "results") at the same path it has on the host, then runs
# tests/lane/guest-job.sh chrooted into that root. PID 1 stays here, with
# busybox, so it can always power the guest off, whatever the job did.
#
# Lines starting with LANE- are markers that run-lane.sh reads from the console.

/bin/busybox --install -s /bin
export PATH=/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

uptime_s() { cut -d' ' -f1 /proc/uptime; }

give_up() {
    echo "LANE-BOOT-FAILED $*"
    poweroff -f
}

# LANE_REPO, LANE_RESULTS, LANE_9P_CACHE (written by run-lane.sh)
. /lane/lane.conf

while read -r module; do
    insmod "/lane/modules/$module.ko" || give_up "insmod $module"
done < /lane/modules.order

mkdir -p /host /rw /newroot
# the virtio device can show up a moment after its driver is loaded
tries=0
until mount -t 9p -o "trans=virtio,version=9p2000.L,ro,msize=524288,cache=$LANE_9P_CACHE" hostroot /host 2>/dev/null; do
    tries=$((tries + 1))
    [ "$tries" -gt 100 ] && give_up "cannot mount the host root (9p share hostroot)"
    sleep 0.1
done

# Writes (HOME, /tmp, caches dotnet and pwsh create) land in guest memory.
mount -t tmpfs -o mode=755 tmpfs /rw
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/host,upperdir=/rw/upper,workdir=/rw/work overlay /newroot \
    || give_up "cannot mount the overlay root"

R=/newroot
mount -t proc proc $R/proc
mount -t sysfs sysfs $R/sys
mount -t devtmpfs devtmpfs $R/dev
mkdir -p $R/dev/pts $R/dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts $R/dev/pts
mount -t tmpfs -o mode=1777 tmpfs $R/dev/shm
mount -t tracefs nodev $R/sys/kernel/tracing || give_up "cannot mount tracefs"
mount -t debugfs nodev $R/sys/kernel/debug
# what udev would add: /dev/fd for bash's process substitution and std streams
ln -sf /proc/self/fd $R/dev/fd
ln -sf /proc/self/fd/0 $R/dev/stdin
ln -sf /proc/self/fd/1 $R/dev/stdout
ln -sf /proc/self/fd/2 $R/dev/stderr

mkdir -p "$R$LANE_RESULTS"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=524288,cache=none results "$R$LANE_RESULTS" \
    || give_up "cannot mount the results folder (9p share results)"

mkdir -p $R/run/pstrace-lane
cp /lane/lane.conf $R/run/pstrace-lane/lane.conf

echo "LANE-READY uptime=$(uptime_s)"
if [ "${LANE_SHELL:-0}" = 1 ]; then
    setsid -c chroot $R /bin/bash "$LANE_REPO/tests/lane/guest-job.sh" /run/pstrace-lane/lane.conf \
        </dev/ttyS0 >/dev/ttyS0 2>&1
else
    chroot $R /bin/bash "$LANE_REPO/tests/lane/guest-job.sh" /run/pstrace-lane/lane.conf
fi
rc=$?
echo "LANE-DONE rc=$rc uptime=$(uptime_s)"
sync
umount "$R$LANE_RESULTS" 2>/dev/null
poweroff -f
