# Shared by the Pester files: module import, the live-kernel gate, and leftover checks.
Set-StrictMode -Version Latest

$script:Tracefs = '/sys/kernel/tracing'

function Import-PSTraceUnderTest {
    # In the qemu lane the built module is named by PSTRACE_LANE_MODULE (tests/lane/README.md).
    if (-not $env:PSTRACE_MODULE -and $env:PSTRACE_LANE_MODULE) { $env:PSTRACE_MODULE = $env:PSTRACE_LANE_MODULE }
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
# If the runspace last started by Start-InRunspace ends first, its errors say why.
function Wait-SessionReady([int] $TimeoutSeconds = 60) {
    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([datetime]::UtcNow -lt $deadline) {
        foreach ($dir in Get-OwnSessionInstance) {
            if ((Get-Content "$($dir.FullName)/set_event" -Raw -ErrorAction Ignore) -match '\S') {
                Start-Sleep -Milliseconds 200 # the reader opens trace_pipe right after enabling
                return $dir.Name
            }
        }
        if ($script:LastRun -and $script:LastRun.Handle.IsCompleted) {
            # A run that ended well before we looked (its events came at once on a busy machine): its
            # instance is already gone; callers that check that it is gone see a name that is not there.
            if ($script:LastRun.PowerShell.InvocationStateInfo.State -eq 'Completed' -and -not $script:LastRun.PowerShell.HadErrors) {
                return 'pstrace-ended-before-ready'
            }
            $errors = @($script:LastRun.PowerShell.Streams.Error | ForEach-Object { "$_" }) -join '; '
            throw "The traced runspace ended before its session was ready (state $($script:LastRun.PowerShell.InvocationStateInfo.State)): $errors $($script:LastRun.PowerShell.InvocationStateInfo.Reason)"
        }
        Start-Sleep -Milliseconds 50
    }
    throw "No session instance of process $PID became ready within $TimeoutSeconds s."
}

# Starts a script in a new runspace of this process (so its session instance carries this PID).
function Start-InRunspace([string] $Script) {
    $ps = [powershell]::Create()
    $null = $ps.AddScript("Import-Module '$env:PSTRACE_MODULE'; $Script")
    $script:LastRun = [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
    $script:LastRun
}

# Starts a separate pwsh process running $Script with the module imported. It runs pwsh.dll in the
# dotnet host directly, so the process id is the one that owns the session's instance (`dotnet pwsh`
# would start it as a child of the CLI).
function Start-PwshProcess([string] $Script) {
    $psi = [Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    foreach ($a in (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-c', "Import-Module '$env:PSTRACE_MODULE'; $Script") { $psi.ArgumentList.Add($a) }
    [Diagnostics.Process]::Start($psi)
}

# Waits for a session instance owned by another process; $null after the timeout.
function Wait-ProcessSessionInstance([int] $ProcessId, [int] $TimeoutSeconds = 90) {
    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([datetime]::UtcNow -lt $deadline) {
        $found = Get-ChildItem "$script:Tracefs/instances" -Directory | Where-Object Name -like "pstrace-$ProcessId-*" | Select-Object -First 1
        if ($found) { return $found }
        Start-Sleep -Milliseconds 200
    }
    $null
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


# A record's fields as one string, to compare a live run with its saved copy read back: every property, the
# wall-clock Time to the tick (a capture keeps its clock's epoch). $Exclude leaves out fields a live run learns
# from /proc rather than from the trace.
function ConvertTo-RecordKey($Record, [string[]] $Exclude = @()) {
    $parts = foreach ($p in $Record.PSObject.Properties | Where-Object { $_.MemberType -eq 'Property' -and $_.Name -notin $Exclude }) {
        $v = $p.Value
        if ($v -is [datetime]) { $v = $v.ToString('o') }
        elseif ($v -is [System.Collections.IEnumerable] -and $v -isnot [string]) { $v = @($v | ForEach-Object { "$_" }) -join '|' }
        "$($p.Name)=$v"
    }
    "$($Record.GetType().Name): $($parts -join '; ')"
}

# A record as the JSON fixtures of tests/lane/record-watch-fixtures.ps1 keep it (<tool>-live.json): its type and
# every property (not the types.ps1xml script properties) as invariant text, dates as UTC round-trip text, lists
# joined by '|'. LiveRecordsJson (xunit) formats records the same way.
function ConvertTo-FixtureRecord($Record) {
    $fields = [ordered]@{}
    foreach ($p in $Record.PSObject.Properties | Where-Object MemberType -eq 'Property') {
        $v = $p.Value
        $fields[$p.Name] = if ($null -eq $v) { $null }
        elseif ($v -is [datetime]) { $v.ToUniversalTime().ToString('o') }
        elseif ($v -is [System.Collections.IEnumerable] -and $v -isnot [string]) { @($v | ForEach-Object { "$_" }) -join '|' }
        else { [string]::Format([cultureinfo]::InvariantCulture, '{0}', $v) }
    }
    [ordered]@{ Type = $Record.GetType().Name; Fields = $fields }
}

# Runs a Watch-* command line live with -OutFile, then reads the file back with -Path (and $PathArguments);
# returns both outputs and the file (removed by the caller with Remove-Item).
function Invoke-WatchRoundTrip([string] $Watch, [scriptblock] $Workload, [string] $PathArguments = '') {
    $file = Join-Path ([IO.Path]::GetTempPath()) "pstrace-roundtrip-$PID-$([guid]::NewGuid().ToString('N')).dat"
    $live = Invoke-WatchRun "$Watch -OutFile '$file'" $Workload
    $command = ($Watch -split ' ')[0]
    $saved = @(Invoke-Expression "$command -Path '$file' $PathArguments")
    [pscustomobject]@{ Live = $live.Output; Saved = $saved; File = $file; Verbose = $live.Verbose }
}

# Runs a script in a runspace and gives what it wrote, or throws when it has not ended within $TimeoutSeconds.
function Invoke-WithTimeout([string] $Script, [int] $TimeoutSeconds = 30) {
    $run = Start-InRunspace $Script
    try {
        if (-not $run.Handle.AsyncWaitHandle.WaitOne([timespan]::FromSeconds($TimeoutSeconds))) {
            $run.PowerShell.Stop()
            throw "'$Script' had not ended after $TimeoutSeconds s."
        }
        [pscustomobject]@{ Output = @($run.PowerShell.EndInvoke($run.Handle)); Errors = @($run.PowerShell.Streams.Error) }
    }
    finally { $run.PowerShell.Dispose() }
}

# Asserts that -Path of a watch tool on an empty file, on a trace of other events and on a damaged trace.dat
# ends at once with no records (or a clear error), never hanging.
function Assert-WatchPathOnForeignInput([string] $Command) {
    $dir = Join-Path ([IO.Path]::GetTempPath()) "pstrace-foreign-$PID-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory $dir | Out-Null
    try {
        New-Item -ItemType File "$dir/empty.dat" | Out-Null
        $r = Invoke-WithTimeout "$Command -Path '$dir/empty.dat'"
        $r.Output | Should -BeNullOrEmpty
        $r.Errors | Should -BeNullOrEmpty
        # Another tool's events: a capture of sched_wakeup only.
        Get-TraceEvent sched:sched_wakeup -Duration 1 -OutFile "$dir/wakeup.dat" | Out-Null
        Test-Path "$dir/wakeup.dat" | Should -BeTrue
        $r = Invoke-WithTimeout "$Command -Path '$dir/wakeup.dat'"
        @($r.Output | Where-Object { $_ -isnot [PSTrace.Core.Records.TraceLostEvents] }) | Should -BeNullOrEmpty
        foreach ($e in $r.Errors) {
            $e.FullyQualifiedErrorId | Should -Not -BeNullOrEmpty
            # About the file, not about this kernel: the file was recorded elsewhere or with other events.
            "$e" | Should -Not -Match 'This kernel|built without'
        }
        # A damaged trace.dat: cut in its headers (an error that names the file and the damage), and one whose
        # last event pages are overwritten (no record; a page that cannot be decoded is a TraceLostEvents gap).
        $bytes = [IO.File]::ReadAllBytes("$dir/wakeup.dat")
        [IO.File]::WriteAllBytes("$dir/cut.dat", $bytes[0..([int]($bytes.Length / 2))])
        $r = Invoke-WithTimeout "$Command -Path '$dir/cut.dat'"
        $r.Output | Should -BeNullOrEmpty
        @($r.Errors | ForEach-Object { $_.FullyQualifiedErrorId -replace ',.*' }) | Should -Be @('TraceDataCorrupt')
        "$($r.Errors[0])" | Should -BeLike "$dir/cut.dat: Truncated*"
        for ($i = $bytes.Length - 8192; $i -lt $bytes.Length; $i++) { $bytes[$i] = [byte](($i * 37) % 251) }
        [IO.File]::WriteAllBytes("$dir/garbled.dat", $bytes)
        $r = Invoke-WithTimeout "$Command -Path '$dir/garbled.dat'"
        @($r.Output | Where-Object { $_ -isnot [PSTrace.Core.Records.TraceLostEvents] }) | Should -BeNullOrEmpty
        foreach ($e in $r.Errors) { $e.FullyQualifiedErrorId | Should -Not -BeNullOrEmpty; "$e" | Should -Not -Match 'This kernel|built without' }
    }
    finally { Remove-Item -Recurse -Force $dir -ErrorAction Ignore }
}

Export-ModuleMember -Function *
