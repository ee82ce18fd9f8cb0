# Shared by the probe cmdlets' Pester files: a test instance, cleanup that needs no PSTrace cmdlet,
# driving the programs the probes watch, and reading hits back.
Set-StrictMode -Version Latest

$script:Tracefs = '/sys/kernel/tracing'

# Creates the test's instance unless it is already there (a previous file of this run may have left it).
function Initialize-ProbeTestInstance([string] $Name) {
    if (-not (Test-Path "$script:Tracefs/instances/$Name")) { New-TraceInstance $Name | Out-Null }
}

# Removes every probe in the given groups and the given instance, writing tracefs directly, so that
# cleanup still works when the cmdlets under test do not. Probes are disabled everywhere first.
function Remove-ProbeTestState([string[]] $Group, [string] $Instance) {
    $listing = @(Get-Content "$script:Tracefs/dynamic_events" -ErrorAction Ignore) + @(Get-Content "$script:Tracefs/uprobe_events" -ErrorAction Ignore)
    $buffers = @($script:Tracefs) + @(Get-ChildItem "$script:Tracefs/instances" -Directory -ErrorAction Ignore | ForEach-Object FullName)
    foreach ($line in $listing | Select-Object -Unique) {
        if ($line -notmatch '^[pr]\d*:(?<g>[^/ ]+)/(?<e>\S+)\s' -or $Matches.g -notin $Group) { continue }
        $g = $Matches.g; $e = $Matches.e
        foreach ($b in $buffers) {
            $enable = "$b/events/$g/$e/enable"
            if ((Test-Path $enable) -and (Get-Content $enable) -ne '0') { Set-Content $enable '0' -ErrorAction Ignore }
        }
        $file = if ($line -match '^[pr]\d*:\S+ /') { 'uprobe_events' } else { 'kprobe_events' }
        Add-Content "$script:Tracefs/$file" "-:$g/$e" -ErrorAction Ignore
        # The mark New-Uprobe left in the state directory goes with the probe, as Remove-TraceProbe would drop it.
        [PSTrace.Core.Tracefs.CreatedObjects]::RemoveProbe([PSTrace.Core.Tracefs.Tracefs]::At($script:Tracefs), $g, $e)
    }
    if ($Instance -and (Test-Path "$script:Tracefs/instances/$Instance")) { [IO.Directory]::Delete("$script:Tracefs/instances/$Instance", $false) }
    if ($Instance) { [PSTrace.Core.Tracefs.CreatedObjects]::RemoveInstance([PSTrace.Core.Tracefs.Tracefs]::At($script:Tracefs), $Instance) }
}

# The probe definition files as text: injection tests compare them before and after. Lines of other
# PSTrace processes' session groups (pstrace_PID) are left out: those sessions may come and go
# during the test (other test runs on the same machine); everything else must match exactly.
function Get-ProbeFileSnapshot {
    $files = 'uprobe_events', 'kprobe_events', 'dynamic_events' | Where-Object { Test-Path "$script:Tracefs/$_" }
    $others = "^[^ ]*:pstrace_(?!$PID/)\d+/"
    ($files | ForEach-Object {
        $lines = [IO.File]::ReadAllText("$script:Tracefs/$_") -split "`n" | Where-Object { $_ -notmatch $others }
        "== $_`n" + ($lines -join "`n")
    }) -join "`n"
}

# Types lines into an interactive bash through a pseudo-terminal, so bash reads them with readline.
function Invoke-InteractiveBash([string[]] $Line) {
    ($Line + 'exit') -join "`n" | script -qc 'bash --norc --noprofile -i' /dev/null | Out-Null
}

# The text of an instance's trace file.
# Hook: once Get-TraceEvent is in the module, the tests can read hits with Get-TraceEvent -Instance instead.
# The hits of one probe recorded in an instance, as Get-TraceEvent reads them: ProbeHit records
# whose arguments were read by the probe's declared definition.
function Get-ProbeHit($Probe, [string] $Instance) {
    Get-TraceEvent -Instance $Instance | Where-Object { $_ -is [PSTrace.Core.Probes.ProbeHit] -and $_.Group -eq $Probe.Group -and $_.Event -eq $Probe.Name }
}

Export-ModuleMember -Function *
