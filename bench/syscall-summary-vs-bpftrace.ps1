#requires -Version 7.4
<#
.SYNOPSIS
How much a syscall-heavy workload slows down while system calls are counted: Watch-Syscall -Summary (BPF, counted in
the kernel) beside bpftrace's `@[comm] = count()` on raw_syscalls:sys_enter and Watch-Syscall -Summary -Backend
Tracefs (every call copied out), against the workload alone.

.DESCRIPTION
The workload (syscall-summary/getppid-load.c, built with gcc) makes -Calls getppid calls and times them itself. For
each counter, the counter is started system-wide in its own process (a pwsh with the module of -ModulePath, or
bpftrace), the workload runs -Runs times once it counts, and the best time is kept; then the counter ends (the
watches at their -Duration, bpftrace with SIGINT). Prints the time per call and the ratio to the workload alone.
Needs root, gcc, BPF and bpftrace (/usr/bin/bpftrace). Take numbers on an idle machine.

.EXAMPLE
dotnet pwsh bench/syscall-summary-vs-bpftrace.ps1 -ModulePath out/PSTrace/0.1.0/PSTrace.psd1 -Calls 500000 -Runs 1
#>
[CmdletBinding()]
param(
    # The module to measure (a PSTrace.psd1).
    [Parameter(Mandatory)]
    [string] $ModulePath,

    # getppid calls per run of the workload.
    [ValidateRange(1000, [int]::MaxValue)]
    [int] $Calls = 2000000,

    # Runs of the workload per counter; the best is kept.
    [ValidateRange(1, 100)]
    [int] $Runs = 3,

    # How long each watch runs (it must cover its runs of the workload).
    [ValidateRange(5, 3600)]
    [int] $WindowSeconds = 60
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$module = (Resolve-Path $ModulePath).Path
$work = Join-Path ([IO.Path]::GetTempPath()) "pstrace-syscall-bench-$PID"
New-Item -ItemType Directory $work -Force | Out-Null
$load = Join-Path $work 'getppid-load'
gcc -O2 -o $load (Join-Path $PSScriptRoot 'syscall-summary/getppid-load.c')
if ($LASTEXITCODE -ne 0) { throw 'gcc could not build the workload.' }
# This pwsh: `dotnet pwsh` runs pwsh.dll under dotnet.
$pwsh = [Environment]::ProcessPath
$pwshFirst = @(if (Test-Path (Join-Path $PSHOME 'pwsh.dll')) { Join-Path $PSHOME 'pwsh.dll' })

# The best time of -Runs runs, in nanoseconds.
function Measure-Load {
    (1..$Runs | ForEach-Object { [long](& $load $Calls) } | Measure-Object -Minimum).Minimum
}

# Starts a counter process writing its output to $log; returns once $ready appears there.
function Start-Counter([string] $File, [string[]] $Arguments, [string] $Log, [string] $Ready) {
    # Through sh for the redirections: the arguments reach the counter exactly as given.
    $psi = [Diagnostics.ProcessStartInfo]::new('/bin/sh')
    foreach ($a in @('-c', 'exec "$@" > "$LOG" 2> "$LOG.err"', 'sh', $File) + $Arguments) { $psi.ArgumentList.Add($a) }
    $psi.Environment['LOG'] = $Log
    $p = [Diagnostics.Process]::Start($psi)
    $deadline = [datetime]::UtcNow.AddSeconds(60)
    while (-not ((Get-Content $Log, "$Log.err" -Raw -ErrorAction Ignore) -join '' -match $Ready)) {
        if ($p.HasExited -or [datetime]::UtcNow -gt $deadline) { throw "$File did not start counting: $(Get-Content "$Log.err" -Raw -ErrorAction Ignore)" }
        Start-Sleep -Milliseconds 200
    }
    Start-Sleep -Milliseconds 500
    $p
}

function Invoke-Watch([string] $Backend) {
    $log = Join-Path $work "watch-$Backend.txt"
    # Verbose lines are written as they come (the ready line is one of them); the summary's table comes at the end.
    $script = "Import-Module '$module'; Watch-Syscall -Summary -Backend $Backend -Duration $WindowSeconds -Verbose 4>&1 | ForEach-Object { if (`$_ -is [System.Management.Automation.VerboseRecord]) { 'VERBOSE: ' + `$_.Message } else { `$_ } } | Out-String -Stream -Width 200"
    $p = Start-Counter $pwsh ($pwshFirst + @('-NoProfile', '-Command', $script)) $log 'Watching: reading'
    try { Measure-Load }
    finally { $p.WaitForExit(($WindowSeconds + 120) * 1000) | Out-Null; if (-not $p.HasExited) { $p.Kill() } }
}

function Invoke-Bpftrace {
    $log = Join-Path $work 'bpftrace.txt'
    $p = Start-Counter /usr/bin/bpftrace @('-e', 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }') $log 'Attaching'
    try { Measure-Load }
    finally { kill -INT $p.Id; $p.WaitForExit(30000) | Out-Null; if (-not $p.HasExited) { $p.Kill() } }
}

try {
    $results = [ordered]@{}
    $results['workload alone'] = Measure-Load
    $results['Watch-Syscall -Summary (Bpf)'] = Invoke-Watch Bpf
    $results['bpftrace @[comm] = count()'] = Invoke-Bpftrace
    $results['Watch-Syscall -Summary -Backend Tracefs'] = Invoke-Watch Tracefs
    # Once more at the end: the two runs alone show how much the machine itself moved meanwhile.
    $results['workload alone, again'] = Measure-Load
    $base = $results['workload alone']
    "{0} getppid calls, best of {1} run(s); {2}, {3} CPU(s), load average {4}" -f $Calls, $Runs, (uname -r), [Environment]::ProcessorCount, ((Get-Content /proc/loadavg) -split ' ')[0]
    $results.GetEnumerator() | ForEach-Object {
        [pscustomobject]@{ Counter = $_.Key; 'ns/call' = [math]::Round($_.Value / $Calls, 1); 'vs alone' = '{0:0.00}x' -f ($_.Value / $base) }
    } | Format-Table -AutoSize | Out-String -Width 120
}
finally {
    Remove-Item $work -Recurse -Force -ErrorAction Ignore
}
