#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Whether what sessions receive plus what they report lost adds up to what happened: several
    Get-TraceEvent sessions side by side on syscalls:sys_enter_getppid while one program makes exactly
    N getppid calls, at rising rates.
.DESCRIPTION
    Not a timed test: a reliability check. Needs root, tracefs, gcc, and the module built
    (./build.ps1 Build). For each rate, -Sessions runspaces each run
        Get-TraceEvent syscalls:sys_enter_getppid -Filter 'common_pid == PID' -Duration D
    (their own instances, side by side), then bench/live/getppid-burst makes its N calls. Per session it
    prints what it received (TraceEvent objects), what it reported lost (the counts of its TraceLostEvents
    records, and the total its last warning gave), and whether received + lost = N.
.EXAMPLE
    dotnet pwsh ./build.ps1 Build; dotnet pwsh -NoProfile -Command '& ./bench/live/Test-LossAccounting.ps1 -Calls 200000 -Rates 50000, 200000, 1000000, 0'
#>
[CmdletBinding()]
param(
    [string] $ModulePath,
    [long] $Calls = 200000,
    [int[]] $Rates = @(50000, 200000, 1000000, 0),
    [int] $Sessions = 4,
    [string] $WorkDirectory = (Join-Path ([IO.Path]::GetTempPath()) 'pstrace-loss')
)

$ErrorActionPreference = 'Stop'
$root = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
if (-not $ModulePath) {
    [xml] $props = Get-Content (Join-Path $root 'Directory.Build.props')
    $version = $props.Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
    $ModulePath = Join-Path $root "out/PSTrace/$version/PSTrace.psd1"
}
if (-not (Test-Path $ModulePath)) { throw "No module at ${ModulePath}: run ./build.ps1 Build first." }
New-Item -ItemType Directory -Force -Path $WorkDirectory | Out-Null
$burst = Join-Path $WorkDirectory 'getppid-burst'
& gcc -O2 -Wall -o $burst (Join-Path $PSScriptRoot 'getppid-burst.c')
if ($LASTEXITCODE -ne 0) { throw 'gcc failed.' }

# One session: counts what it receives and the counts of its lost-event records, in .NET-cheap steps.
$sessionScript = @'
param($Pid_, $Seconds)
# One object the process block changes: a script block's own variables would be copies.
$n = [pscustomobject]@{ Received = 0L; Counted = 0L; Gaps = 0; Uncounted = 0 }
Get-TraceEvent -Name syscalls:sys_enter_getppid -Filter "common_pid == $Pid_" -Duration ([timespan]::FromSeconds($Seconds)) | & {
    process {
        if ($_ -is [PSTrace.Core.Records.TraceLostEvents]) { $n.Gaps++; if ($null -eq $_.Count) { $n.Uncounted++ } else { $n.Counted += $_.Count } }
        else { $n.Received++ }
    }
}
$n
'@

function Wait-Sessions([int] $Count) {
    $deadline = [datetime]::UtcNow.AddSeconds(90)
    while ([datetime]::UtcNow -lt $deadline) {
        $ready = @(Get-ChildItem /sys/kernel/tracing/instances -Directory | Where-Object {
                $_.Name -like "pstrace-$PID-*" -and (Get-Content "$($_.FullName)/set_event" -Raw -ErrorAction Ignore) -match '\S' })
        if ($ready.Count -ge $Count) { Start-Sleep -Milliseconds 500; return }
        Start-Sleep -Milliseconds 100
    }
    throw "$Count sessions did not start within 90 s."
}

"Loss accounting on $(uname -r), $([Environment]::ProcessorCount) CPUs, load average $((Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3); $Sessions sessions, $Calls calls per run"
$rows = foreach ($rate in $Rates) {
    $start = [Diagnostics.ProcessStartInfo]::new($burst)
    $start.ArgumentList.Add("$Calls"); $start.ArgumentList.Add("$rate")
    $start.RedirectStandardInput = $true; $start.RedirectStandardOutput = $true
    $program = [Diagnostics.Process]::Start($start)
    $programPid = [int]$program.StandardOutput.ReadLine()
    # Long enough for the slowest rate (and a loaded machine) to finish, then a margin to read the rest.
    $seconds = [Math]::Ceiling($(if ($rate -gt 0) { $Calls / $rate } else { 2 })) + 12
    $runs = foreach ($i in 1..$Sessions) {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$ModulePath'").AddStatement().AddScript($sessionScript).AddArgument($programPid).AddArgument($seconds)
        [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
    }
    try {
        Wait-Sessions $Sessions
        $program.StandardInput.WriteLine('go')
        $made = ($program.StandardOutput.ReadLine() -split ' ')
        $program.WaitForExit()
        $session = 0
        foreach ($run in $runs) {
            $session++
            $r = $run.PowerShell.EndInvoke($run.Handle) | Select-Object -Last 1
            $total = $null
            foreach ($w in $run.PowerShell.Streams.Warning) { if ("$w" -match 'In all the kernel lost (?:at least )?(\d+) event') { $total = [long]$Matches[1] } }
            $lost = [Math]::Max($r.Counted, [long]$total)
            [pscustomobject]@{
                Rate = if ($rate -gt 0) { $rate } else { 'max' }
                MadePerSecond = [long]([long]$made[0] / [double]$made[1])
                Session = $session
                Received = $r.Received
                LostInRecords = $r.Counted
                Gaps = $r.Gaps
                UncountedGaps = $r.Uncounted
                LostInSummary = $total
                Sum = $r.Received + $lost
                AddsUp = ($r.Received + $lost) -eq $Calls -and $r.Uncounted -eq 0
                Errors = @($run.PowerShell.Streams.Error | ForEach-Object { "$_" }) -join '; '
            }
        }
    }
    finally {
        foreach ($run in $runs) { $run.PowerShell.Dispose() }
        if (-not $program.HasExited) { $program.Kill() }
    }
}
$rows | Format-Table -AutoSize | Out-String -Width 220
"Runs adding up exactly: $(@($rows | Where-Object AddsUp).Count) of $(@($rows).Count)"
