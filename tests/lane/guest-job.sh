#!/bin/bash
# Runs inside the lane's guest, chrooted into the host's root (an overlay in
# guest memory over the read-only 9p share). Sets up what dotnet and pwsh need,
# then runs one of: the lane's Pester tests (one pwsh for all of them), a
# command given to run-lane.sh, or an interactive shell.
# Usage: guest-job.sh LANE_CONF   (LANE_CONF is written by run-lane.sh)
set -u
# shellcheck source=/dev/null
. "$1"

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LANG=C.UTF-8 TERM=dumb TMPDIR=/tmp
# The host's HOME, so ~/.nuget/packages is where `dotnet tool restore` put it;
# the overlay makes it writable in the guest (first-run sentinels, pwsh caches).
export HOME=$LANE_HOME
export DOTNET_ROOT=$LANE_DOTNET_ROOT
export DOTNET_CLI_HOME=$HOME
export NUGET_PACKAGES=$LANE_NUGET_PACKAGES
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_GENERATE_ASPNET_CERTIFICATE=false DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE=true
export POWERSHELL_TELEMETRY_OPTOUT=1 POWERSHELL_UPDATECHECK=Off
# What tests read: they are in the lane guest (so the top-level buffer is
# theirs), where results go, and which built module to import.
export PSTRACE_LANE=1
export PSTRACE_LANE_RESULTS=$LANE_RESULTS
export PSTRACE_LANE_MODULE=$LANE_MODULE
export PSTRACE_LANE_PESTER=$LANE_PESTER
# pwsh straight from the tool package, without the dotnet CLI in front of it
# (the CLI alone takes about 2 s to start under emulation): lane-pwsh -c ...
printf '#!/bin/bash\nexec %q %q "$@"\n' "$DOTNET_ROOT/dotnet" "$LANE_PWSH_DLL" > /usr/local/bin/lane-pwsh
chmod 755 /usr/local/bin/lane-pwsh
export PSTRACE_LANE_PWSH=/usr/local/bin/lane-pwsh

cd "$LANE_REPO" || exit 70
echo "LANE-JOB-START uptime=$(cut -d' ' -f1 /proc/uptime) kernel=$(uname -r) memory_kib=$(awk '/^MemTotal:/{print $2}' /proc/meminfo)"

case "$LANE_MODE" in
    shell)
        echo "lane: interactive shell in $(pwd); exit powers the guest off"
        bash -i
        rc=$?
        ;;
    command)
        eval "$LANE_COMMAND"
        rc=$?
        ;;
    pester)
        mapfile -t test_paths <<< "$LANE_TEST_PATHS"
        lane-pwsh -NoProfile -NonInteractive -File "$LANE_REPO/tests/lane/Invoke-LaneTests.ps1" \
            -ResultsDirectory "$LANE_RESULTS" -PesterManifest "$LANE_PESTER" "${test_paths[@]}"
        rc=$?
        ;;
    *)
        echo "lane: unknown mode $LANE_MODE"
        rc=64
        ;;
esac

grep -E '^(MemTotal|MemAvailable|Shmem):' /proc/meminfo > "$LANE_RESULTS/guest-meminfo.txt"
echo "$rc" > "$LANE_RESULTS/guest-rc"
exit "$rc"
