#!/bin/bash
# run-lane.sh: the second kernel lane. Boots Debian's stock kernel
# (linux-image-amd64: kprobes, function, function_graph) under qemu with this
# machine's root filesystem as the guest's root, and runs the Pester tests
# tagged Lane there, in one pwsh, against the built module.
#
# Usage (as root):
#   tests/lane/run-lane.sh [options]                 Pester: tests tagged Lane
#   tests/lane/run-lane.sh [options] -- CMD [ARG...] run CMD in the guest instead
#   tests/lane/run-lane.sh --shell                   interactive bash in the guest
# Options (each has an environment variable; the option wins):
#   --module-path PATH  PSTRACE_LANE_MODULE   module manifest the tests import
#                       (default: newest out/PSTrace/*/PSTrace.psd1 in the repo)
#   --results DIR       PSTRACE_LANE_RESULTS  where results go (default: TestResults/lane)
#   --timeout SECONDS   PSTRACE_LANE_TIMEOUT  hard limit on the guest (default 1200)
#   --memory MIB        PSTRACE_LANE_MEMORY   guest memory (default 1024)
#   --test PATH         (repeatable)          Pester files or folders to run
#                       (default: the files under tests/Pester that mention Lane)
# Exit codes: 0 passed; 1 tests failed (or CMD exited non-zero); 2 bad usage;
#   3 setup failed (install, restore, initramfs); 4 the guest did not boot or
#   died before the job finished; 5 timeout.
# Results (DIR): console.log (serial console, host-side seconds on each line),
#   timings.txt, summary.txt (N passed, N failed, N skipped), pester-lane.xml,
#   guest-rc, guest-meminfo.txt.
set -euo pipefail
shopt -s lastpipe nullglob

LANE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$LANE_DIR/../.." && pwd)

MODULE=${PSTRACE_LANE_MODULE:-}
RESULTS=${PSTRACE_LANE_RESULTS:-$REPO/TestResults/lane}
TIMEOUT=${PSTRACE_LANE_TIMEOUT:-1200}
MEMORY=${PSTRACE_LANE_MEMORY:-1024}
MODE=pester
TESTS=()
COMMAND=()

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'; }
bad_usage() { echo "run-lane: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
    case "$1" in
        --module-path) MODULE=${2:?--module-path needs a path}; shift 2 ;;
        --results) RESULTS=${2:?--results needs a folder}; shift 2 ;;
        --timeout) TIMEOUT=${2:?--timeout needs seconds}; shift 2 ;;
        --memory) MEMORY=${2:?--memory needs MiB}; shift 2 ;;
        --test) TESTS+=("${2:?--test needs a path}"); shift 2 ;;
        --shell) MODE=shell; shift ;;
        --) shift; [ $# -gt 0 ] || bad_usage "nothing after --"; MODE=command; COMMAND=("$@"); break ;;
        -h|--help) usage; exit 0 ;;
        *) bad_usage "unknown argument $1 (see --help)" ;;
    esac
done
[[ $TIMEOUT =~ ^[0-9]+$ ]] || bad_usage "--timeout wants whole seconds, not $TIMEOUT"
[[ $MEMORY =~ ^[0-9]+$ ]] || bad_usage "--memory wants MiB, not $MEMORY"
[ "$(id -u)" = 0 ] || bad_usage "run as root (the guest's root is this machine's /, shared by qemu)"

# ---- stage timing -------------------------------------------------------------
now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }
seconds_since() { local d=$(( $(now_us) - $1 )); printf '%d.%d' $((d / 1000000)) $((d / 100000 % 10)); }
RUN_START=$(now_us)
TIMINGS=()
stage_start() { STAGE_START=$(now_us); echo "lane: $1"; }
stage_end() { TIMINGS+=("$(printf '%-12s %6ss' "$1" "$(seconds_since "$STAGE_START")")"); }
setup_failed() {
    echo "run-lane: $*" >&2
    printf 'lane: stage times\n'; printf '  %s\n' "${TIMINGS[@]}" "$(printf '%-12s %6ss' failed "$(seconds_since "$STAGE_START")")"
    exit 3
}

# ---- install what is missing ----------------------------------------------------
# A kernel whose 9p modules are installed too (Debian 12: 6.1.0-*-amd64).
pick_kernel() {
    local image version
    for image in /boot/vmlinuz-*; do
        version=${image#/boot/vmlinuz-}
        if [ -n "$(find "/lib/modules/$version/kernel/fs/9p" -name '9p.ko*' 2>/dev/null)" ]; then
            echo "$version"
        fi
    done | sort -V | tail -n 1
}

stage_start "checking tools"
missing=()
command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
command -v cpio >/dev/null || missing+=(cpio)
command -v modprobe >/dev/null || missing+=(kmod)
command -v xz >/dev/null || missing+=(xz-utils)
# PID 1 in the initramfs; the dynamically linked busybox would not run there
dpkg -s busybox-static >/dev/null 2>&1 || missing+=(busybox-static)
[ -n "$(pick_kernel)" ] || missing+=(linux-image-amd64)
if [ ${#missing[@]} -gt 0 ]; then
    echo "lane: installing ${missing[*]}"
    apt-get update -q || setup_failed "apt-get update failed"
    # Another install (a package manager run beside this one) holds dpkg's lock for a while: wait for it.
    DEBIAN_FRONTEND=noninteractive apt-get install -o DPkg::Lock::Timeout=600 -y -q --no-install-recommends "${missing[@]}" \
        || setup_failed "apt-get install ${missing[*]} failed"
fi
KVER=$(pick_kernel)
[ -n "$KVER" ] || setup_failed "no kernel in /boot with its 9p modules in /lib/modules"
command -v dotnet >/dev/null || setup_failed "the lane needs the .NET SDK (dotnet on PATH)"
DOTNET=$(readlink -f "$(command -v dotnet)")
stage_end install

# ---- pwsh and Pester from the repo's own manifests --------------------------------
stage_start "restoring pwsh and Pester"
cd "$REPO"
# a bare machine's first dotnet command would print its welcome text and make a certificate
export DOTNET_NOLOGO=${DOTNET_NOLOGO:-1} DOTNET_CLI_TELEMETRY_OPTOUT=${DOTNET_CLI_TELEMETRY_OPTOUT:-1}
export DOTNET_GENERATE_ASPNET_CERTIFICATE=${DOTNET_GENERATE_ASPNET_CERTIFICATE:-false}
NUGET_PACKAGES_DIR=$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')
NUGET_PACKAGES_DIR=${NUGET_PACKAGES_DIR%/}
dotnet tool restore >/dev/null || setup_failed "dotnet tool restore failed"
PWSH_HOME=$(dotnet pwsh -NoProfile -NonInteractive -Command '$PSHOME' | tail -n 1) || setup_failed "dotnet pwsh does not start"
PWSH_DLL=$PWSH_HOME/pwsh.dll
[ -f "$PWSH_DLL" ] || setup_failed "no pwsh.dll in $PWSH_HOME"
PESTER_VERSION=$(sed -n 's/.*Include="Pester" Version="\[\{0,1\}\([^]"]*\)\]\{0,1\}".*/\1/p' build/tools.proj)
PESTER=$NUGET_PACKAGES_DIR/pester/$PESTER_VERSION/tools/Pester.psd1
if [ ! -f "$PESTER" ]; then
    dotnet restore build/tools.proj >/dev/null || setup_failed "dotnet restore build/tools.proj failed"
fi
[ -f "$PESTER" ] || setup_failed "no Pester at $PESTER"
stage_end restore

# ---- what the guest runs ----------------------------------------------------------------
if [ -n "$MODULE" ]; then
    [ -f "$MODULE" ] || bad_usage "no module manifest at $MODULE"
    MODULE=$(readlink -f "$MODULE")
else
    MODULE=$(printf '%s\n' "$REPO"/out/PSTrace/*/PSTrace.psd1 | sort -V | tail -n 1)
    [ -n "$MODULE" ] || echo "lane: warning: no built module (out/PSTrace/*/PSTrace.psd1); tests that import it will fail"
fi
if [ "$MODE" = pester ]; then
    if [ ${#TESTS[@]} -eq 0 ]; then
        # Discovery is slow in the guest, so only files that can hold a Lane tag go in.
        mapfile -t TESTS < <(grep -rlwE --include='*.Tests.ps1' 'Lane|LaneToo' "$REPO/tests/Pester" 2>/dev/null | sort)
        [ ${#TESTS[@]} -gt 0 ] || { echo "run-lane: no file under tests/Pester mentions the Lane tag" >&2; exit 1; }
    fi
    for i in "${!TESTS[@]}"; do
        [ -e "${TESTS[$i]}" ] || bad_usage "no test file or folder ${TESTS[$i]}"
        TESTS[$i]=$(readlink -f "${TESTS[$i]}")
    done
fi

mkdir -p "$RESULTS"
RESULTS=$(readlink -f "$RESULTS")
# Only what an earlier run left: the folder may be the caller's.
rm -f "$RESULTS"/{console.log,timings.txt,summary.txt,pester-lane.xml,guest-rc,guest-meminfo.txt}

# ---- initramfs: busybox, the 9p/overlay modules, /init, the job's settings ---------------
stage_start "building the initramfs for $KVER"
WORK=$(mktemp -d /tmp/pstrace-lane.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
ROOTFS=$WORK/initramfs
mkdir -p "$ROOTFS"/{bin,dev,proc,sys,lane/modules}
cp /bin/busybox "$ROOTFS/bin/busybox"
cp "$LANE_DIR/guest-init.sh" "$ROOTFS/init"
chmod 755 "$ROOTFS/init"
for module in virtio_pci 9pnet_virtio 9p overlay; do
    modprobe --show-depends --set-version "$KVER" "$module" | awk '$1 == "insmod" { print $2 }'
done | awk '!seen[$0]++' | while read -r file; do
    name=$(basename "$file"); name=${name%%.ko*}
    case "$file" in
        *.ko.xz) xz -dc "$file" ;;
        *.ko.zst) zstd -qdc "$file" ;;
        *) cat "$file" ;;
    esac > "$ROOTFS/lane/modules/$name.ko"
    echo "$name" >> "$ROOTFS/lane/modules.order"
done
[ -s "$ROOTFS/lane/modules.order" ] || setup_failed "no 9p modules found for $KVER"

# Settings for /init (busybox sh) and guest-job.sh (bash): single-quoted values.
quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }
setting() { printf '%s=%s\n' "$1" "$(quote "$2")"; }
{
    setting LANE_REPO "$REPO"
    setting LANE_RESULTS "$RESULTS"
    setting LANE_9P_CACHE loose
    setting LANE_SHELL "$([ "$MODE" = shell ] && echo 1 || echo 0)"
    setting LANE_MODE "$MODE"
    setting LANE_HOME "${HOME:-/root}"
    setting LANE_DOTNET_ROOT "$(dirname "$DOTNET")"
    setting LANE_NUGET_PACKAGES "$NUGET_PACKAGES_DIR"
    setting LANE_PWSH_DLL "$PWSH_DLL"
    setting LANE_PESTER "$PESTER"
    setting LANE_MODULE "$MODULE"
    setting LANE_TEST_PATHS "$(printf '%s\n' "${TESTS[@]}")"
    setting LANE_COMMAND "$([ ${#COMMAND[@]} -gt 0 ] && printf '%q ' "${COMMAND[@]}")"
} > "$ROOTFS/lane/lane.conf"
(cd "$ROOTFS" && find . | cpio -o -H newc --quiet | gzip -1) > "$WORK/initramfs.cpio.gz"
stage_end initramfs

# ---- boot ----------------------------------------------------------------------------
# TCG: the KVM some hosts offer (nested, paravirtual) hangs a stock kernel.
# One vCPU: with two, enabling function_graph under TCG can livelock.
QEMU=(qemu-system-x86_64 -accel tcg -cpu max -smp 1 -m "$MEMORY"
    -nodefaults -no-user-config -no-reboot -display none -monitor none
    -kernel "/boot/vmlinuz-$KVER" -initrd "$WORK/initramfs.cpio.gz"
    -append "console=ttyS0 panic=-1"
    -virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
    -virtfs "local,path=${RESULTS//,/,,},mount_tag=results,security_model=none,multidevs=remap")
LOG=$RESULTS/console.log
: > "$LOG"
echo "lane: booting $KVER (TCG, 1 vCPU, ${MEMORY} MiB, timeout ${TIMEOUT}s); console log: $LOG"

BOOT_START=$(now_us)
declare -A MARK=()   # marker -> seconds after boot start
GUEST_RC=
if [ "$MODE" = shell ]; then
    set +e
    timeout --foreground "$TIMEOUT" "${QEMU[@]}" \
        -chardev "stdio,id=console,signal=off,logfile=$LOG" -serial chardev:console
    QEMU_RC=$?
    set -e
else
    # Each console line goes to the log with host-side seconds; boot noise only
    # to the log, the job's lines to stdout as well.
    set +e
    timeout --kill-after=10 "$TIMEOUT" "${QEMU[@]}" \
        -chardev stdio,id=console,signal=off -serial chardev:console </dev/null 2>&1 \
      | while IFS= read -r line || [ -n "$line" ]; do
            line=${line%$'\r'}
            at=$(seconds_since "$BOOT_START")
            printf '[%7s] %s\n' "$at" "$line" >> "$LOG"
            case "$line" in
                LANE-READY*) MARK[ready]=$at ;;
                LANE-JOB-START*) MARK[job]=$at ;;
                LANE-PWSH-UP*) MARK[pwsh]=$at ;;
                LANE-PESTER-UP*) MARK[pester]=$at ;;
                LANE-TESTS-DONE*) MARK[tests]=$at ;;
                LANE-DONE*) MARK[done]=$at; GUEST_RC=${line#*rc=}; GUEST_RC=${GUEST_RC%% *} ;;
                LANE-BOOT-FAILED*) MARK[failed]=$at ;;
            esac
            [ -n "${MARK[ready]:-}" ] && printf '%s\n' "$line"
        done
    QEMU_RC=${PIPESTATUS[0]}
    set -e
fi
BOOT_END=$(now_us)

# ---- report ------------------------------------------------------------------------------
difference() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
[ -n "${MARK[ready]:-}" ] && TIMINGS+=("$(printf '%-12s %6ss' boot "${MARK[ready]}")")
[ -n "${MARK[job]:-}" ] && [ -n "${MARK[pwsh]:-}" ] && TIMINGS+=("$(printf '%-12s %6ss' pwsh-start "$(difference "${MARK[job]}" "${MARK[pwsh]}")")")
[ -n "${MARK[pwsh]:-}" ] && [ -n "${MARK[pester]:-}" ] && TIMINGS+=("$(printf '%-12s %6ss' pester-load "$(difference "${MARK[pwsh]}" "${MARK[pester]}")")")
[ -n "${MARK[pester]:-}" ] && [ -n "${MARK[tests]:-}" ] && TIMINGS+=("$(printf '%-12s %6ss' tests "$(difference "${MARK[pester]}" "${MARK[tests]}")")")
[ -n "${MARK[job]:-}" ] && [ -n "${MARK[done]:-}" ] && TIMINGS+=("$(printf '%-12s %6ss' job "$(difference "${MARK[job]}" "${MARK[done]}")")")
TIMINGS+=("$(printf '%-12s %6ss' guest "$(seconds_since "$BOOT_START")")")
TIMINGS+=("$(printf '%-12s %6ss' total "$(seconds_since "$RUN_START")")")
printf '%s\n' "kernel $KVER, ${MEMORY} MiB, qemu exit $QEMU_RC" "${TIMINGS[@]}" > "$RESULTS/timings.txt"
[ -f "$RESULTS/guest-meminfo.txt" ] && sed 's/^/guest /' "$RESULTS/guest-meminfo.txt" >> "$RESULTS/timings.txt"
echo "lane: stage times"
sed 's/^/  /' "$RESULTS/timings.txt"

if [ "$QEMU_RC" = 124 ] || [ "$QEMU_RC" = 137 ]; then
    echo "run-lane: the guest ran past the ${TIMEOUT}s timeout and was stopped (see $LOG)" >&2
    exit 5
fi
if [ "$MODE" = shell ]; then
    exit 0
fi
if [ -z "${MARK[ready]:-}" ] || [ -n "${MARK[failed]:-}" ]; then
    echo "run-lane: the guest did not boot (qemu exit $QEMU_RC); the console's last lines:" >&2
    tail -n 30 "$LOG" >&2 || true
    exit 4
fi
if [ -z "$GUEST_RC" ]; then
    echo "run-lane: the guest stopped before the job finished (qemu exit $QEMU_RC); see $LOG" >&2
    exit 4
fi
if [ "$MODE" = pester ]; then
    if [ -f "$RESULTS/summary.txt" ]; then
        cat "$RESULTS/summary.txt"
    else
        echo "run-lane: Pester wrote no summary (guest exit $GUEST_RC); see $LOG" >&2
        exit 1
    fi
fi
[ "$MODE" = command ] && echo "lane: the command exited $GUEST_RC"
[ "$GUEST_RC" = 0 ] || exit 1
exit 0
