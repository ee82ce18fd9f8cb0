#requires -Version 7.4
<#
.SYNOPSIS
Execs per second seen with none lost: Watch-Exec -Backend Bpf beside a bpftrace execsnoop-like one-liner and
Watch-Exec -Backend Tracefs; then open events per second through the BPF ring buffer (Watch-Open -Backend Bpf)
beside the tracefs pages (trace_pipe_raw, Watch-Open -Backend Tracefs).

.DESCRIPTION
Needs root, gcc and bpftrace (/usr/bin/bpftrace). A C program (compiled here) forks and execs /bin/true N times
at a steady rate; at each rate each reader watches it live and the script counts the execs it reported against the
execs made, and the losses it reported. The highest rate at which a reader saw every exec with no loss is its
result; the ratios compare it with bpftrace's. The open part runs a program that calls openat on a missing file
as fast as it can, and counts the records each Watch-Open backend wrote for it per second of the run.

Only a check that it works should be run on a busy machine: numbers are taken on an idle one.

.EXAMPLE
dotnet pwsh bench/exec-rate-vs-bpftrace.ps1 -ModulePath out/PSTrace/0.1.0/PSTrace.psd1 -Rates 500, 1000, 2000 -Seconds 3
#>
[CmdletBinding()]
param(
    # The module to measure.
    [Parameter(Mandatory)] [string] $ModulePath,
    # Execs per second to try, in increasing order.
    [int[]] $Rates = @(500, 1000, 2000, 4000, 8000),
    # How long each rate runs.
    [double] $Seconds = 5,
    # Opens made for the events-per-second part (0 skips it).
    [int] $Opens = 200000
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Import-Module (Resolve-Path $ModulePath).Path -Force
$work = Join-Path ([IO.Path]::GetTempPath()) "pstrace-exec-bench-$PID"
New-Item -ItemType Directory $work -Force | Out-Null
# A failed run leaves no programs or folder behind.
trap { Remove-Item $work -Recurse -Force -ErrorAction Ignore; break }

$execLoad = @'
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
/* exec-load COUNT RATE TAG: forks and execs /bin/true TAG I, COUNT times at RATE per second, with up to 8 children
   alive at once, so one slow child does not hold the next back (on the development VM neither one at a time nor 8
   got past about 400 execs/s: see bench/README.md). */
int main(int argc, char **argv) {
    long count = atol(argv[1]), rate = atol(argv[2]), alive = 0;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long i = 0; i < count; i++) {
        char n[24]; snprintf(n, sizeof n, "%ld", i);
        if (alive == 8 && wait(0) > 0) alive--;
        pid_t p = fork();
        if (p == 0) { execl("/bin/true", "true", argv[3], n, (char *)0); _exit(127); }
        if (p > 0) alive++;
        double due = (double)(i + 1) / rate;
        for (;;) {
            clock_gettime(CLOCK_MONOTONIC, &now);
            double spent = (now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9;
            if (spent >= due) break;
            usleep((useconds_t)((due - spent) * 1e6));
        }
    }
    while (wait(0) > 0) { }
    return 0;
}
'@
$openLoad = @'
#include <fcntl.h>
#include <stdlib.h>
/* open-load COUNT PATH: openat of a missing PATH, COUNT times, as fast as it goes. */
int main(int argc, char **argv) {
    long count = atol(argv[1]);
    for (long i = 0; i < count; i++) openat(AT_FDCWD, argv[2], O_RDONLY);
    return 0;
}
'@
foreach ($program in @{ 'exec-load' = $execLoad; 'open-load' = $openLoad }.GetEnumerator()) {
    Set-Content "$work/$($program.Key).c" $program.Value
    gcc -O2 -o "$work/$($program.Key)" "$work/$($program.Key).c"
    if ($LASTEXITCODE -ne 0) { throw "gcc could not build $($program.Key)" }
}

# The sum of numbers, 0 for none (Measure-Object gives no Sum for empty input).
function Get-Sum($Values) { $total = 0L; foreach ($v in $Values) { $total += $v }; $total }

# Runs a Watch-* command (with -Verbose) in a runspace, waits until it reads, runs $Load; then lets the watch end on
# its own (-MaxEvents, -Duration) or, 3 s after the load ended, stops it as Ctrl+C would: by then it has written what
# it read, and a watch that ended before its load did would count as unseen execs it was never there for.
function Invoke-Watch([string] $Watch, [scriptblock] $Load) {
    $ps = [powershell]::Create()
    $null = $ps.AddScript("Import-Module '$((Resolve-Path $ModulePath).Path)'; $Watch")
    $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
    $handle = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]] $null, $output)
    try {
        $deadline = [datetime]::UtcNow.AddSeconds(60)
        while (-not ($ps.Streams.Verbose | Where-Object Message -like 'Watching: reading *')) {
            if ($handle.IsCompleted -or [datetime]::UtcNow -gt $deadline) { throw "$Watch did not start: $($ps.Streams.Error)" }
            Start-Sleep -Milliseconds 50
        }
        $timer = [Diagnostics.Stopwatch]::StartNew()
        & $Load
        $loadSeconds = $timer.Elapsed.TotalSeconds
        if (-not $handle.AsyncWaitHandle.WaitOne(3000)) { $ps.Stop() }
        [pscustomobject]@{ Output = @($output); LoadSeconds = $loadSeconds }
    }
    finally { $ps.Dispose() }
}

# bpftrace printing each execve of the load, like execsnoop: lines seen and the events it says it lost.
function Invoke-Bpftrace([int] $Count, [int] $Rate, [string] $Tag) {
    $out = "$work/bpftrace.out"
    # BEGIN runs once every probe is attached: its line says the load may start.
    $program = 'BEGIN { printf("ready\n"); } tracepoint:syscalls:sys_enter_execve /comm == "exec-load"/ { printf("%s %s\n", comm, str(args->filename)); }'
    $start = [Diagnostics.ProcessStartInfo]::new('/bin/sh')
    foreach ($a in '-c', 'exec /usr/bin/bpftrace -e "$1" > "$2" 2> "$3"', 'sh', $program, $out, "$work/bpftrace.err") { $start.ArgumentList.Add($a) }
    $p = [Diagnostics.Process]::Start($start)
    try {
        $deadline = [datetime]::UtcNow.AddSeconds(30)
        while (-not ((Get-Content $out -Raw -ErrorAction Ignore) -match '(?m)^ready$')) {
            if ($p.HasExited -or [datetime]::UtcNow -gt $deadline) { throw "bpftrace did not start: $(Get-Content "$work/bpftrace.err" -Raw)" }
            Start-Sleep -Milliseconds 50
        }
        $timer = [Diagnostics.Stopwatch]::StartNew()
        & "$work/exec-load" $Count $Rate $Tag
        $loadSeconds = $timer.Elapsed.TotalSeconds
        Start-Sleep -Seconds 1
    }
    finally { kill -INT $p.Id; $p.WaitForExit(10000) | Out-Null }
    $text = Get-Content $out
    $lost = Get-Sum ($text | Select-String 'Lost (\d+) events' | ForEach-Object { [long]$_.Matches[0].Groups[1].Value })
    # Lines, not file names: "/bin/true" is a string constant in a page the child has not touched, which a BPF
    # program at sys_enter cannot fault in, so bpftrace's str() often prints it empty.
    [pscustomobject]@{ Seen = @($text | Where-Object { $_ -match '^exec-load( |$)' }).Count; Lost = [long]$lost; LoadSeconds = $loadSeconds }
}

$rows = foreach ($rate in $Rates) {
    $count = [int]($rate * $Seconds)
    foreach ($reader in 'Bpf', 'bpftrace', 'Tracefs') {
        $tag = "pstrace-bench-$([guid]::NewGuid().ToString('N').Substring(0, 12))"
        if ($reader -eq 'bpftrace') { $r = Invoke-Bpftrace $count $rate $tag; $seen = $r.Seen; $lost = $r.Lost; $loadSeconds = $r.LoadSeconds }
        else {
            $w = Invoke-Watch "Watch-Exec -Backend $reader -Name true -MaxEvents $count -Verbose" { & "$work/exec-load" $count $rate $tag }
            $seen = @($w.Output | Where-Object { $_ -isnot [PSTrace.Core.Records.TraceLostEvents] -and $_.Arguments -contains $tag }).Count
            $lost = Get-Sum ($w.Output | Where-Object { $_ -is [PSTrace.Core.Records.TraceLostEvents] } | ForEach-Object Count)
            $loadSeconds = $w.LoadSeconds
        }
        # Made/s: the rate the load reached while watched (the machine caps it below the higher rates asked).
        [pscustomobject]@{ Rate = $rate; Reader = $reader; Made = $count; 'Made/s' = [math]::Round($count / $loadSeconds); Seen = $seen; Lost = [long]$lost; Complete = ($seen -eq $count -and -not $lost) }
    }
}
$rows | Format-Table -AutoSize | Out-String | Write-Host

$best = @{}
foreach ($reader in 'Bpf', 'bpftrace', 'Tracefs') {
    $best[$reader] = ($rows | Where-Object { $_.Reader -eq $reader -and $_.Complete } | ForEach-Object Rate | Sort-Object | Select-Object -Last 1) ?? 0
    Write-Host ("{0,-9} highest rate with every exec seen and none lost: {1}/s" -f $reader, $best[$reader])
}
if ($best.bpftrace -gt 0) {
    Write-Host ("ratios to bpftrace: Watch-Exec Bpf {0:N2}, Watch-Exec Tracefs {1:N2}" -f ($best.Bpf / $best.bpftrace), ($best.Tracefs / $best.bpftrace))
}

if ($Opens -gt 0) {
    $open = foreach ($backend in 'Bpf', 'Tracefs') {
        $path = "/tmp/pstrace-bench-missing-$([guid]::NewGuid().ToString('N').Substring(0, 12))"
        $w = Invoke-Watch "Watch-Open -Backend $backend -Name open-load -Duration 30 -Verbose | Where-Object { `$_ -is [PSTrace.Core.Records.TraceLostEvents] -or `$_.Path -eq '$path' -or `$_.Path -eq `$null } | Select-Object -First $Opens" { & "$work/open-load" $Opens $path }
        $seen = @($w.Output | Where-Object { $_ -isnot [PSTrace.Core.Records.TraceLostEvents] }).Count
        $lost = Get-Sum ($w.Output | Where-Object { $_ -is [PSTrace.Core.Records.TraceLostEvents] } | ForEach-Object Count)
        [pscustomobject]@{ Backend = $backend; Made = $Opens; Seen = $seen; Lost = [long]$lost; LoadSeconds = [math]::Round($w.LoadSeconds, 2); SeenPerSecond = [math]::Round($seen / $w.LoadSeconds) }
    }
    $open | Format-Table -AutoSize | Out-String | Write-Host
    $bpf = $open | Where-Object Backend -eq Bpf
    $tracefs = $open | Where-Object Backend -eq Tracefs
    if ($tracefs.Seen -gt 0) { Write-Host ("open events seen, BPF ring buffer / tracefs pages: {0:N2}" -f ($bpf.Seen / $tracefs.Seen)) }
}

Remove-Item $work -Recurse -Force -ErrorAction Ignore
