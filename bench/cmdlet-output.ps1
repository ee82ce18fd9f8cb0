#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Times Get-TraceEvent -Path | Measure-Object over a large text trace: the cost of the cmdlet's
    output (parsing plus writing objects to the pipeline). Run after ./build.ps1 Build.
.EXAMPLE
    dotnet pwsh bench/cmdlet-output.ps1 -Copies 400
#>
param(
    [int] $Copies = 400,
    [string] $Module = (Join-Path $PSScriptRoot '../out/PSTrace')
)
$ErrorActionPreference = 'Stop'
Import-Module $Module
$source = Join-Path $PSScriptRoot '../tests/fixtures/6.18/trace-default.txt'
$lines = Get-Content $source | Where-Object { $_ -and -not $_.StartsWith('#') }
$file = Join-Path ([IO.Path]::GetTempPath()) "pstrace-bench-$PID.txt"
try {
    Set-Content $file (@($lines) * $Copies)
    $events = ($lines.Count * $Copies)
    $null = Get-TraceEvent -Path $file -MaxEvents 1000 | Measure-Object # warm up
    $best = (1..3 | ForEach-Object { (Measure-Command { Get-TraceEvent -Path $file | Measure-Object }).TotalSeconds } | Measure-Object -Minimum).Minimum
    '{0:N0} events: best of 3 {1:N3} s, {2:N0} events/s' -f $events, $best, ($events / $best)
}
finally { Remove-Item $file -ErrorAction Ignore }
