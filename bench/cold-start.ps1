#requires -Version 7.4
<#
.SYNOPSIS
Times the first and the warm call of `Get-TraceEvent -Path` in fresh pwsh processes.

.DESCRIPTION
Each run starts a new pwsh (the apphost beside this one's assemblies), imports the module,
and times three calls of `Get-TraceEvent -Path <file> | Measure-Object` one after another:
the first pays for loading and JIT-compiling the module's code, the later ones are warm.
Each call also counts the methods the JIT compiled during it and the time the JIT spent
(System.Runtime.JitInfo): on a loaded machine the wall-clock times spread widely, the
method count does not. Writes one object per run and a summary (median of the runs) to
the host.

.EXAMPLE
dotnet pwsh bench/cold-start.ps1 -Path tests/fixtures/6.18/tracedat-v7-none.dat -Runs 7
#>
[CmdletBinding()]
param(
    # The trace.dat to read.
    [Parameter(Mandatory)]
    [string] $Path,

    # The module to import; the build's output by default.
    [string] $ModulePath = (Join-Path $PSScriptRoot '..' 'out' 'PSTrace'),

    [ValidateRange(1, 100)]
    [int] $Runs = 5
)

$ErrorActionPreference = 'Stop'
$file = (Resolve-Path $Path).ProviderPath
$module = (Resolve-Path $ModulePath).ProviderPath
$child = {
    param($Module, $File)
    $watch = [Diagnostics.Stopwatch]::StartNew()
    Import-Module $Module
    $import = $watch.Elapsed.TotalMilliseconds
    $calls = foreach ($i in 1..3) {
        $methods = [System.Runtime.JitInfo]::GetCompiledMethodCount()
        $jit = [System.Runtime.JitInfo]::GetCompilationTime()
        $watch.Restart()
        $count = (Get-TraceEvent -Path $File | Measure-Object).Count
        [pscustomobject]@{
            Milliseconds = $watch.Elapsed.TotalMilliseconds
            Events       = $count
            Jitted       = [System.Runtime.JitInfo]::GetCompiledMethodCount() - $methods
            JitMs        = ([System.Runtime.JitInfo]::GetCompilationTime() - $jit).TotalMilliseconds
        }
    }
    [pscustomobject]@{
        ImportMs = $import
        FirstMs  = $calls[0].Milliseconds
        SecondMs = $calls[1].Milliseconds
        ThirdMs  = $calls[2].Milliseconds
        Events   = $calls[0].Events
        FirstCallJitted = $calls[0].Jitted
        FirstCallJitMs  = $calls[0].JitMs
    } | ConvertTo-Json -Compress
}

$pwsh = Join-Path $PSHOME 'pwsh'
$results = foreach ($run in 1..$Runs) {
    $json = & $pwsh -NoProfile -NonInteractive -Command $child -args $module, $file | Select-Object -Last 1
    if ($LASTEXITCODE -ne 0 -or -not $json) { throw "Run $run failed (exit code $LASTEXITCODE)." }
    $json | ConvertFrom-Json | Add-Member -NotePropertyName Run -NotePropertyValue $run -PassThru
}
$results

function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    $sorted[[int][math]::Floor(($sorted.Count - 1) / 2)]
}
$load = (Get-Content /proc/loadavg -Raw).Split(' ')[0..2] -join ' '
Write-Host ("{0} events, {1} runs, load average {2}: median import {3:N0} ms, first call {4:N0} ms ({7:N0} methods JIT-compiled in {8:N0} ms), second {5:N0} ms, third {6:N0} ms" -f
    $results[0].Events, $Runs, $load,
    (Get-Median $results.ImportMs), (Get-Median $results.FirstMs), (Get-Median $results.SecondMs), (Get-Median $results.ThirdMs),
    (Get-Median $results.FirstCallJitted), (Get-Median $results.FirstCallJitMs))
