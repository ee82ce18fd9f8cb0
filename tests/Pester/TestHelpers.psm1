# Shared by the Pester files: module import, the live-kernel gate, and leftover checks.
Set-StrictMode -Version Latest

$script:Tracefs = '/sys/kernel/tracing'

function Import-PSTraceUnderTest {
    if (-not $env:PSTRACE_MODULE) { throw 'PSTRACE_MODULE is not set: run the tests through ./build.ps1 Test.' }
    Import-Module $env:PSTRACE_MODULE -Force -Global
}

# Why a live test cannot run here, or $null when it can. Under CI=true the answer must be $null:
# a CI machine without root or tracefs is a failure, not a reason to skip.
function Get-LiveSkipReason {
    $reason = $null
    if ((id -u) -ne '0') { $reason = 'live tests need root' }
    elseif (-not (Test-Path "$script:Tracefs/trace")) {
        try { Get-TraceCapability -Name Tracefs -NoTracerCheck | Out-Null } catch { }
        if (-not (Test-Path "$script:Tracefs/trace")) { $reason = 'tracefs is not mounted and could not be mounted' }
    }
    if ($reason -and $env:CI -eq 'true') { throw "CI=true but $reason." }
    $reason
}

# Skips the current It (with the reason) when the kernel cannot be used; returns $true when skipped.
function Skip-UnlessLive {
    $reason = Get-LiveSkipReason
    if ($reason) { Set-ItResult -Skipped -Because $reason; return $true }
    $false
}

# Session instances this process owns: none may be left after a cmdlet returns.
function Get-OwnSessionInstance {
    Get-ChildItem "$script:Tracefs/instances" -Directory -ErrorAction Ignore | Where-Object Name -like "pstrace-$PID-*"
}

# Waits until a session instance of this process has at least one enabled event (the reader is ready).
function Wait-SessionReady([int] $TimeoutSeconds = 30) {
    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([datetime]::UtcNow -lt $deadline) {
        foreach ($dir in Get-OwnSessionInstance) {
            if ((Get-Content "$($dir.FullName)/set_event" -Raw -ErrorAction Ignore) -match '\S') {
                Start-Sleep -Milliseconds 200 # the reader opens trace_pipe right after enabling
                return $dir.Name
            }
        }
        Start-Sleep -Milliseconds 50
    }
    throw "No session instance of process $PID became ready within $TimeoutSeconds s."
}

# Starts a script in a new runspace of this process (so its session instance carries this PID).
function Start-InRunspace([string] $Script) {
    $ps = [powershell]::Create()
    $null = $ps.AddScript("Import-Module '$env:PSTRACE_MODULE'; $Script")
    [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
}

# Waits until a Watch-* cmdlet started with -Verbose in Start-InRunspace says it is reading: its events and
# probes are all in place, so what happens from now on is seen.
function Wait-WatchReady($Run, [int] $TimeoutSeconds = 60) {
    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([datetime]::UtcNow -lt $deadline) {
        if ($Run.PowerShell.Streams.Verbose | Where-Object Message -like 'Watching: reading *') { return }
        if ($Run.Handle.IsCompleted) {
            $errors = $Run.PowerShell.Streams.Error | ForEach-Object { $_.ToString() }
            throw "The watch ended before it was ready: $errors"
        }
        Start-Sleep -Milliseconds 50
    }
    throw "The watch did not become ready within $TimeoutSeconds s."
}

# Runs a Watch-* command line in a runspace of this process, waits until it reads, runs the workload, and
# returns what it wrote (Output), its warnings and its verbose messages.
function Invoke-WatchRun([string] $Watch, [scriptblock] $Workload) {
    $run = Start-InRunspace "$Watch -Verbose"
    try {
        Wait-WatchReady $run
        & $Workload
        $out = $run.PowerShell.EndInvoke($run.Handle)
        [pscustomobject]@{ Output = @($out); Warnings = @($run.PowerShell.Streams.Warning); Verbose = @($run.PowerShell.Streams.Verbose) }
    }
    finally { $run.PowerShell.Dispose() }
}

# Starts a program with exact arguments (Start-Process joins them with spaces).
function Start-NativeProcess([string] $Path, [string[]] $Arguments) {
    $start = [System.Diagnostics.ProcessStartInfo]::new($Path)
    foreach ($a in $Arguments) { $start.ArgumentList.Add($a) }
    [System.Diagnostics.Process]::Start($start)
}

# Probes this process's sessions created that are still defined: none may be left after a cmdlet returns.
function Get-OwnSessionProbe { Get-Content "$script:Tracefs/uprobe_events" -ErrorAction Ignore | Where-Object { $_ -like "*:pstrace_$PID/*" } }

# The top-level buffer's enabled events: tests must never change them.
function Get-TopLevelEnabledEvent { (Get-Content "$script:Tracefs/set_event" -ErrorAction Ignore) -join "`n" }

Export-ModuleMember -Function *
