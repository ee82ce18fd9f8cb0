#!/usr/bin/env pwsh
<#
.SYNOPSIS
    How much a CPU-bound program slows down while Start-TraceProfile samples every CPU, beside bpftrace's
    `profile:hz:99 { @[ustack, kstack] = count(); }` and beside neither.
.DESCRIPTION
    Needs root, gcc, bpftrace and the module built (./build.ps1 Build); runs on its own (no bench harness).

    1. Builds profile/cpu-work.c (gcc -O2 -fno-omit-frame-pointer): a fixed number of rounds of nested calls, no
       system calls in the loop.
    2. For each condition, -Repeat times: starts the profiler (none; `Start-TraceProfile -Duration 1h -Frequency F`
       in a pwsh of its own; `bpftrace -e 'profile:hz:F { @[ustack, kstack] = count(); }'`), waits until it has
       attached, runs -Copies copies of the program at once (one per CPU by default, so every CPU's samples land in
       it) and times each from start to exit; then stops the profiler (the PSTrace pwsh is killed, bpftrace gets
       SIGINT and prints its map). The conditions take turns, so a change in the machine's load touches all.
    3. Reports, per condition, the median of the copies' times over all runs and the ratio to no profiler, and
       PSTrace's time over bpftrace's.

    The numbers are only as steady as the machine: run it on an idle one.
.EXAMPLE
    dotnet pwsh ./build.ps1 Build; dotnet pwsh bench/profile-overhead-vs-bpftrace.ps1
.EXAMPLE
    dotnet pwsh bench/profile-overhead-vs-bpftrace.ps1 -Rounds 20000 -Repeat 1   # a quick check that it runs
#>
[CmdletBinding()]
param(
    [string] $ModulePath,
    [string] $WorkDirectory = (Join-Path ([IO.Path]::GetTempPath()) 'pstrace-profile-bench'),
    # Rounds of the program's loop: about 2 s of one CPU at 400,000 on the development VM.
    [long] $Rounds = 400000,
    [int] $Copies = [Environment]::ProcessorCount,
    [int] $Repeat = 5,
    [int] $Frequency = 99
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = Split-Path $PSScriptRoot -Parent
$ModulePath = if ($ModulePath) { $ModulePath } else { Get-ChildItem (Join-Path $root 'out/PSTrace') -Filter PSTrace.psd1 -Recurse -ErrorAction Ignore |
        Sort-Object LastWriteTime | Select-Object -Last 1 -ExpandProperty FullName }
if (-not $ModulePath -or -not (Test-Path $ModulePath)) { throw 'No built module: run ./build.ps1 Build first, or give -ModulePath.' }
$ModulePath = (Resolve-Path $ModulePath).Path
foreach ($tool in 'gcc', 'bpftrace') {
    if (-not (Get-Command $tool -CommandType Application -ErrorAction Ignore)) { throw "$tool is missing: the bench needs it (apt-get install $tool)." }
}
if ((id -u) -ne '0') { throw 'The bench needs root (BPF programs and perf events).' }
New-Item -ItemType Directory -Force -Path $WorkDirectory | Out-Null
$work = Join-Path $WorkDirectory 'cpu-work'
gcc -O2 -fno-omit-frame-pointer -o $work (Join-Path $PSScriptRoot 'profile/cpu-work.c')
if ($LASTEXITCODE -ne 0) { throw 'gcc could not build profile/cpu-work.c.' }

# The copies' times in seconds, all started at once.
function Invoke-Work {
    $runs = foreach ($i in 1..$Copies) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        [pscustomobject]@{ Process = [Diagnostics.Process]::Start($work, "$Rounds"); Clock = $clock }
    }
    foreach ($r in $runs) {
        $r.Process.WaitForExit()
        $r.Clock.Stop()
        if ($r.Process.ExitCode -ne 0) { throw "cpu-work exited with $($r.Process.ExitCode)." }
        $r.Clock.Elapsed.TotalSeconds
    }
}

# Waits until $Ready says the profiler is attached, or fails after a minute.
function Wait-Ready([Diagnostics.Process] $Process, [scriptblock] $Ready, [string] $What) {
    $deadline = [datetime]::UtcNow.AddSeconds(60)
    while (-not (& $Ready)) {
        if ($Process.HasExited) { throw "$What ended before it attached (exit code $($Process.ExitCode))." }
        if ([datetime]::UtcNow -gt $deadline) { throw "$What did not attach within 60 s." }
        Start-Sleep -Milliseconds 100
    }
    # Attaching the perf events follows loading the program: a moment for both to be in place.
    Start-Sleep -Seconds 1
}

function Invoke-WithPstrace {
    $info = [Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    foreach ($a in (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command',
        "Import-Module '$ModulePath'; Start-TraceProfile -Duration 3600 -Frequency $Frequency | Out-Null") { $info.ArgumentList.Add($a) }
    $p = [Diagnostics.Process]::Start($info)
    try {
        # Loaded once the pwsh holds a BPF program's descriptor (fdinfo says prog_id); descriptors come and go meanwhile.
        Wait-Ready $p { @(Get-ChildItem "/proc/$($p.Id)/fdinfo" -ErrorAction Ignore | ForEach-Object { Get-Content $_.FullName -ErrorAction Ignore } | Where-Object { $_ -like 'prog_id:*' }).Count -gt 0 } 'Start-TraceProfile'
        Invoke-Work
    }
    finally {
        if (-not $p.HasExited) { $p.Kill(); $p.WaitForExit() }
    }
}

function Invoke-WithBpftrace {
    $out = Join-Path $WorkDirectory 'bpftrace.out'
    Remove-Item $out -ErrorAction Ignore
    $program = "profile:hz:$Frequency { @[ustack, kstack] = count(); }"
    $p = Start-Process bpftrace -ArgumentList '-o', $out, '-e', "`"$program`"" -PassThru -RedirectStandardError (Join-Path $WorkDirectory 'bpftrace.err')
    try {
        Wait-Ready $p { (Test-Path $out) -and (Get-Content $out -Raw) -match 'Attaching' } 'bpftrace'
        Invoke-Work
    }
    finally {
        if (-not $p.HasExited) {
            kill -INT $p.Id
            if (-not $p.WaitForExit(120000)) { $p.Kill() }
        }
    }
}

$conditions = [ordered]@{
    'no profiler'                               = { Invoke-Work }
    "Start-TraceProfile -Frequency $Frequency"  = { Invoke-WithPstrace }
    "bpftrace profile:hz:$Frequency"            = { Invoke-WithBpftrace }
}
$times = @{}
foreach ($name in $conditions.Keys) { $times[$name] = [Collections.Generic.List[double]]::new() }
for ($run = 1; $run -le $Repeat; $run++) {
    foreach ($name in $conditions.Keys) {
        $t = @(& $conditions[$name])
        $times[$name].AddRange([double[]]$t)
        Write-Host ("run {0}/{1} {2,-36} {3}" -f $run, $Repeat, $name, (($t | ForEach-Object { '{0:0.000} s' -f $_ }) -join ', '))
    }
}

function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    $mid = [int][Math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$mid] } else { ($sorted[$mid - 1] + $sorted[$mid]) / 2 }
}

$base = Get-Median $times['no profiler']
$result = foreach ($name in $conditions.Keys) {
    $median = Get-Median $times[$name]
    [pscustomobject]@{ Condition = $name; 'Median (s)' = [Math]::Round($median, 3); 'vs no profiler' = '{0:0.000}x' -f ($median / $base) }
}
$result | Format-Table -AutoSize | Out-String -Width 100 | Write-Host
$ps = Get-Median $times["Start-TraceProfile -Frequency $Frequency"]
$bt = Get-Median $times["bpftrace profile:hz:$Frequency"]
Write-Host ("Start-TraceProfile's time over bpftrace's: {0:0.000} (below 1: PSTrace slows the program less)" -f ($ps / $bt))
Write-Host "$Copies copies of $Rounds rounds each, $Repeat run(s) per condition, machine load average now: $((Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3)"
