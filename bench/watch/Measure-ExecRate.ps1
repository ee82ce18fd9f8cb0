#!/usr/bin/env pwsh
<#
.SYNOPSIS
    How many execs per second Watch-Exec keeps up with, beside bpftrace doing the same job.
.DESCRIPTION
    A small C program (spawner.c, built with gcc) starts /bin/true with a tag and an index COUNT times,
    at a fixed rate or as fast as it can (rate 0), keeping at most 8 children alive. For each rate the
    script runs it three times: alone (the rate the machine reaches), under Watch-Exec (system-wide,
    as `Watch-Exec` with no filter), and under bpftrace printing the same fields from
    tracepoint:syscalls:sys_enter_execve (join(args->argv)). It counts the
    tagged execs each one wrote, with their arguments complete, and the events the kernel reported lost.
    perf-tools' execsnoop needs kprobes; where the kernel has none it is reported as not run.
    Needs root; run it alone (it starts thousands of processes).
.EXAMPLE
    dotnet pwsh -NoProfile -Command '& ./bench/watch/Measure-ExecRate.ps1 -Rates 500, 1000, 2000, 0 -Count 3000'
#>
param(
    [int[]] $Rates = @(500, 1000, 2000, 0),
    [int] $Count = 3000,
    [string] $Module = (Join-Path $PSScriptRoot '../../out/PSTrace/0.1.0/PSTrace.psd1')
)
$ErrorActionPreference = 'Stop'
Import-Module $Module
$work = Join-Path ([IO.Path]::GetTempPath()) "pstrace-bench-$PID"
New-Item -ItemType Directory $work | Out-Null
$spawner = Join-Path $work spawner
gcc -O2 -o $spawner (Join-Path $PSScriptRoot spawner.c)
if ($LASTEXITCODE) { throw 'gcc failed' }

function Invoke-Spawner([int] $Rate, [string] $Tag) {
    $count, $seconds = (& $spawner $Count $Rate $Tag) -split ' '
    [double] $seconds
}

# Waits until $Read returns the same number twice, 2 s apart (the reader has caught up), or 60 s pass.
function Wait-Settled([scriptblock] $Read) {
    $last = -1; $deadline = [datetime]::UtcNow.AddSeconds(60)
    while ([datetime]::UtcNow -lt $deadline) {
        Start-Sleep 2
        $n = & $Read
        if ($n -eq $last) { return $n }
        $last = $n
    }
    $last
}

function Measure-WatchExec([int] $Rate) {
    $tag = "bench-$([guid]::NewGuid().ToString('N').Substring(0, 12))"
    $ps = [powershell]::Create()
    $null = $ps.AddScript("Import-Module '$Module'; Watch-Exec -Verbose")
    $out = [System.Management.Automation.PSDataCollection[psobject]]::new()
    $handle = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $out)
    while (-not ($ps.Streams.Verbose | Where-Object Message -like 'Watching*')) { Start-Sleep -Milliseconds 50 }
    $seconds = Invoke-Spawner $Rate $tag
    # The collection's enumerator waits for more until the pipeline ends: take what has come instead.
    $all = [System.Collections.Generic.List[psobject]]::new()
    $null = Wait-Settled { $all.AddRange($out.ReadAll()); @($all | Where-Object { $_.Arguments -and $_.Arguments[1] -eq $tag }).Count }
    $ps.Stop()
    $all.AddRange($out.ReadAll())
    $mine = @($all | Where-Object { $_.Arguments -and $_.Arguments[1] -eq $tag })
    $lost = ($all | Where-Object { $_ -is [PSTrace.Core.Records.TraceLostEvents] } | Measure-Object Count -Sum).Sum
    $ps.Dispose()
    [pscustomobject]@{ Seconds = $seconds; Seen = @($mine | ForEach-Object { $_.Arguments[2] } | Sort-Object -Unique).Count; Lost = [long]$lost }
}

function Measure-Bpftrace([int] $Rate) {
    $bpftrace = Get-Command bpftrace -ErrorAction Ignore
    if (-not $bpftrace) { return $null }
    $tag = "bench-$([guid]::NewGuid().ToString('N').Substring(0, 12))"
    $log = Join-Path $work "bpftrace-$tag.txt"
    # join() prints argv as one line, read from the caller's memory at the syscall's entry, like Watch-Exec's probes.
    $program = 'tracepoint:syscalls:sys_enter_execve { join(args->argv); }'
    $start = [System.Diagnostics.ProcessStartInfo]::new('/bin/sh')
    foreach ($arg in '-c', 'exec "$0" -B full -e "$1" > "$2" 2> "$3"', $bpftrace.Source, $program, $log, "$log.err") { $start.ArgumentList.Add($arg) }
    $p = [System.Diagnostics.Process]::Start($start)
    $deadline = [datetime]::UtcNow.AddSeconds(60)
    while (-not ((Test-Path $log) -and (Select-String -Path $log -Pattern '^Attaching' -Quiet)) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
    $seconds = Invoke-Spawner $Rate $tag
    $null = Wait-Settled { @(Select-String -Path $log -Pattern $tag -SimpleMatch).Count }
    kill -INT $p.Id; $p.WaitForExit(10000) | Out-Null
    $lines = @(Get-Content $log | Where-Object { $_ -like "* $tag *" })
    $lost = (Get-Content $log, "$log.err" -ErrorAction Ignore | Select-String 'Lost (\d+) events' | ForEach-Object { [long]$_.Matches[0].Groups[1].Value } | Measure-Object -Sum).Sum
    [pscustomobject]@{ Seconds = $seconds; Seen = @($lines | ForEach-Object { ($_ -split ' ')[-1] } | Sort-Object -Unique).Count; Lost = [long]$lost }
}

$kprobes = Test-Path /sys/kernel/tracing/kprobe_events
try {
    foreach ($rate in $Rates) {
        $alone = Invoke-Spawner $rate "bench-alone"
        $watch = Measure-WatchExec $rate
        $bpf = Measure-Bpftrace $rate
        [pscustomobject]@{
            TargetRate     = if ($rate) { $rate } else { 'max' }
            AloneRate      = [int]($Count / $alone)
            WatchExecRate  = [int]($Count / $watch.Seconds)
            WatchExecSeen  = "$($watch.Seen)/$Count"
            WatchExecLost  = $watch.Lost
            BpftraceRate   = if ($bpf) { [int]($Count / $bpf.Seconds) } else { 'not run' }
            BpftraceSeen   = if ($bpf) { "$($bpf.Seen)/$Count" } else { 'not run' }
            BpftraceLost   = if ($bpf) { $bpf.Lost } else { 'not run' }
            PerfToolsExecsnoop = if ($kprobes) { 'not measured' } else { 'not run: no kprobes' }
        }
    }
}
finally {
    Get-Process bpftrace -ErrorAction Ignore | Where-Object { $_.Parent.Id -eq $PID } | ForEach-Object { kill -INT $_.Id }
    Remove-Item $work -Recurse -Force
}
