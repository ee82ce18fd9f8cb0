#!/bin/bash
# Re-records the Watch-* saved-trace fixtures (see record-watch-fixtures.ps1 and tests/lane/README.md).
#
#   tests/lane/record-watch-fixtures.sh [run-lane.sh options]
#       Debian 6.1 in the lane guest: each of the six tools live while trace-cmd record records the same
#       events -> tests/fixtures/6.1/watch (<tool>-tracecmd.dat, <tool>-live.json, INDEX.tsv lines).
#   tests/lane/record-watch-fixtures.sh --host
#       This machine's kernel: Watch-Readline and Watch-HostLookup with their own -OutFile
#       -> tests/fixtures/<major.minor>/watch. The top-level buffer is not touched.
#   tests/lane/record-watch-fixtures.sh --in-guest OUTDIR [-Tool Exec,...]   (what the guest runs)
#
# A trace.dat holds all of /proc/kallsyms (about 5 MB) though these tools use no kernel symbol, so the
# recording runs in a private mount namespace whose /proc/kallsyms is a few lines (_text, _stext, _etext):
# the fixtures stay small and nobody outside the namespace sees the change.
# Needs root; run the lane form under `flock /tmp/lane.lock` like every lane run.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SCRIPT=$REPO/tests/lane/record-watch-fixtures.ps1
cd "$REPO"

# record OUTDIR PWSH-ARGS...: the .ps1 in a namespace with the small /proc/kallsyms.
record() {
    local out=$1; shift
    local small
    small=$(mktemp /tmp/pstrace-kallsyms.XXXXXX)
    awk '$3 ~ /^(_text|_stext|_etext)$/' /proc/kallsyms > "$small"
    local rc=0
    unshare --mount --propagation private bash -c 'mount --bind "$1" /proc/kallsyms && shift && exec "$@"' \
        _ "$small" "$@" -OutDirectory "$out" || rc=$?
    rm -f "$small"
    return $rc
}

# merge FROM TO: copies the .dat and .json files and replaces their INDEX.tsv lines.
merge() {
    local from=$1 to=$2
    mkdir -p "$to"
    cp "$from"/*.dat "$from"/*.json "$to"/
    touch "$to/INDEX.tsv"
    awk -F'\t' 'NR == FNR { made[$1] = 1; next } !($1 in made)' "$from/INDEX.tsv" "$to/INDEX.tsv" > "$to/INDEX.tsv.new"
    cat "$from/INDEX.tsv" >> "$to/INDEX.tsv.new"
    mv "$to/INDEX.tsv.new" "$to/INDEX.tsv"
    echo "record-watch-fixtures: $(ls "$from"/*.dat | wc -l) trace(s) written to $to"
}

case "${1:-}" in
    --in-guest)
        record "$2" lane-pwsh -NoProfile -NonInteractive -File "$SCRIPT" -Recorder TraceCmd "${@:3}"
        ;;
    --host)
        module=$(ls -d "$REPO"/out/PSTrace/*/PSTrace.psd1 | sort -V | tail -1)
        version=$(uname -r | cut -d. -f1,2)
        out=$(mktemp -d /tmp/pstrace-watch-fixtures.XXXXXX)
        dotnet tool restore > /dev/null
        record "$out" dotnet pwsh -NoProfile -NonInteractive -File "$SCRIPT" -Recorder OutFile -Tool Readline,HostLookup -Seconds 10 -ModulePath "$module"
        merge "$out" "$REPO/tests/fixtures/$version/watch"
        rm -rf "$out"
        ;;
    *)
        results=${PSTRACE_LANE_RESULTS:-$REPO/TestResults/lane-watch}
        rm -rf "$results/watch"
        "$REPO/tests/lane/run-lane.sh" --results "$results" "$@" -- tests/lane/record-watch-fixtures.sh --in-guest "$results/watch"
        merge "$results/watch" "$REPO/tests/fixtures/6.1/watch"
        ;;
esac
