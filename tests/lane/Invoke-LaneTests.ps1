<#
.SYNOPSIS
    Runs the Pester tests tagged Lane, all in this one pwsh (starting pwsh in
    the emulated guest costs about 20 seconds, so it is started once per run).
.DESCRIPTION
    Writes into ResultsDirectory:
      pester-lane.xml  the NUnit XML report
      summary.txt      one line: N passed, N failed, N skipped
    Exits 0 when every selected test passed, 1 otherwise (also when no test ran:
    a lane that runs nothing must not look green).
#>
[CmdletBinding(PositionalBinding = $false)]
param(
    [Parameter(Mandatory)] [string] $ResultsDirectory,
    [Parameter(Mandatory)] [string] $PesterManifest,
    # The test files, as the remaining arguments: `pwsh -File` binds only one value to a named array parameter.
    [Parameter(Mandatory, ValueFromRemainingArguments)] [string[]] $Path,
    # Lane: tests only the lane's kernel can run (the host excludes them); LaneToo: tests that run on the host
    # and again on the lane's 6.1 (the BPF programs, to show their CO-RE objects load on an older kernel).
    [string[]] $Tag = @('Lane', 'LaneToo')
)

$peakBefore = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
Write-Host ("LANE-PWSH-UP peak_mib={0:N0}" -f ($peakBefore / 1MB))

$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'
Import-Module $PesterManifest
Write-Host "LANE-PESTER-UP"

$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Filter.Tag = $Tag
$config.Output.Verbosity = 'Detailed'
$config.Output.RenderMode = 'Plaintext'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = Join-Path $ResultsDirectory 'pester-lane.xml'

$result = Invoke-Pester -Configuration $config

# A file that fails to load runs none of its tests: count it as a failure.
$failed = $result.FailedCount + $result.FailedContainersCount
$summary = '{0} passed, {1} failed, {2} skipped' -f $result.PassedCount, $failed, $result.SkippedCount
Set-Content -LiteralPath (Join-Path $ResultsDirectory 'summary.txt') -Value $summary

$peak = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
Write-Host ("LANE-TESTS-DONE peak_mib={0:N0}" -f ($peak / 1MB))
Write-Host $summary

if ($result.PassedCount + $failed -eq 0) {
    Write-Host "lane: no test tagged $($Tag -join ', ') ran"
    exit 1
}
if ($failed -gt 0 -or $result.Result -ne 'Passed') { exit 1 }
exit 0
