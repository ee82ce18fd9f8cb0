<#
.SYNOPSIS
    Records the fixtures of the Watch-* tools' saved-trace readers: each tool runs live over a known workload
    while the same events are recorded beside it, and its live records are kept as JSON.
.DESCRIPTION
    For each tool: a gate shell waits on a FIFO; the tool starts live, scoped to that shell and its children
    (Watch-BlockIo: to the device instead); once the tool reads, the recorder starts; the gate lets the workload
    run; the recorder stops; the tool ends at -Duration. Written into OutDirectory:
      <tool>-tracecmd.dat or <tool>-outfile.dat   what the recorder wrote
      <tool>-live.json                           the live records: type and every property, as text
      INDEX.tsv                                  a line per file saying how it was made (lines of the same
                                                 files are replaced)
    Recorders:
      TraceCmd  `trace-cmd record` on the top-level buffer, with the events and filters the tool enabled in its
                instance, the trace clock mono, --date, and -P/-c for the gate shell. It changes the top-level
                buffer, so it runs only in the lane guest (PSTRACE_LANE=1): tests/lane/record-watch-fixtures.sh.
      OutFile   the tool's own -OutFile capture (any machine; the top-level buffer is not touched).
.EXAMPLE
    tests/lane/record-watch-fixtures.sh                      # 6.1 in the lane: trace-cmd record, all six tools
.EXAMPLE
    pwsh tests/lane/record-watch-fixtures.ps1 -Recorder OutFile -Tool Readline,HostLookup -OutDirectory tests/fixtures/6.18/watch -ModulePath out/PSTrace/0.1.0/PSTrace.psd1
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $OutDirectory,
    [string] $ModulePath = $env:PSTRACE_LANE_MODULE,
    [ValidateSet('TraceCmd', 'OutFile')] [string] $Recorder = 'TraceCmd',
    # Exec, Open, BlockIo, Readline, HostLookup, Syscall (pwsh -File passes "A,B" as one string: it is split).
    [string[]] $Tool = @('Exec', 'Open', 'BlockIo', 'Readline', 'HostLookup', 'Syscall'),
    # How long each tool watches from when it reads; the recorder's start (trace-cmd --date calibrates its clock
    # offset: up to 40 s under emulation), the workload and the recorder's stop must fit, or the script fails.
    [int] $Seconds = 90
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$tracefs = '/sys/kernel/tracing'
if ($Recorder -eq 'TraceCmd' -and $env:PSTRACE_LANE -ne '1') {
    throw 'trace-cmd record changes the top-level buffer: run it in the lane guest (tests/lane/record-watch-fixtures.sh).'
}
if (-not $ModulePath) { throw 'Give -ModulePath (the built PSTrace.psd1).' }
Import-Module $ModulePath -Force
Import-Module "$PSScriptRoot/../Pester/TestHelpers.psm1" -Function ConvertTo-FixtureRecord
New-Item -ItemType Directory -Force $OutDirectory | Out-Null
$OutDirectory = (Resolve-Path $OutDirectory).Path

# Each workload is a shell script run by the gate (or, unscoped, on its own); it must end by itself.
$workloads = [ordered]@{
    Exec       = @{ Watch = 'Watch-Exec'; Scoped = $true
        Script = "/bin/true one two`n/bin/echo 'two words' > /dev/null`n/bin/sh -c 'exec /nonexistent/pstrace-missing' 2>/dev/null`n:" }
    Open       = @{ Watch = 'Watch-Open'; Scoped = $true
        Script = "/bin/cat /etc/hostname /nonexistent/pstrace-missing > /dev/null 2>&1`n:" }
    BlockIo    = @{ Watch = 'Watch-BlockIo -Device nullb0'; Scoped = $false; Before = 'modprobe null_blk && test -b /dev/nullb0'
        Script = '/bin/dd if=/dev/nullb0 of=/dev/null bs=4k count=8 iflag=direct 2>/dev/null' }
    Readline   = @{ Watch = 'Watch-Readline'; Scoped = $true
        Script = "printf 'echo pstrace one\necho ""pstrace two""\nexit\n' | /usr/bin/script -qc '/bin/bash --norc --noprofile -i' /dev/null > /dev/null" }
    HostLookup = @{ Watch = 'Watch-HostLookup'; Scoped = $true
        Script = "/usr/bin/python3 -c 'import socket`nfor name in (""localhost"", ""pstrace-missing.invalid""):`n    try: socket.getaddrinfo(name, 80)`n    except OSError: pass'" }
    Syscall    = @{ Watch = 'Watch-Syscall -Syscall openat,read,write,close'; Scoped = $true
        Script = '/usr/bin/head -c 100 /etc/os-release > /dev/null' }
}

# The events the tool's session instance enabled, each with its filter: what trace-cmd must record.
function Get-InstanceEvents([string] $Instance) {
    foreach ($line in Get-Content "$tracefs/instances/$Instance/set_event") {
        $system, $name = $line.Trim() -split ':', 2
        $filter = (Get-Content -Raw "$tracefs/instances/$Instance/events/$system/$name/filter").Trim()
        [pscustomobject]@{ Event = "${system}:$name"; Filter = if ($filter -eq 'none') { $null } else { $filter } }
    }
}

function Wait-Until([scriptblock] $Condition, [int] $TimeoutSeconds, [string] $What) {
    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (-not (& $Condition)) {
        if ([datetime]::UtcNow -gt $deadline) { throw "Timed out after $TimeoutSeconds s waiting for $What." }
        Start-Sleep -Milliseconds 100
    }
}

function Start-Native([string] $Path, [string[]] $Arguments, [string] $Output) {
    if ($Output) {
        # Output to a file through the shell, which execs the program (so the process is the program itself).
        $Arguments = @('-c', 'out=$1; shift; exec "$@" > "$out" 2>&1', 'sh', $Output, $Path) + $Arguments
        $Path = '/bin/sh'
    }
    $start = [Diagnostics.ProcessStartInfo]::new($Path)
    foreach ($a in $Arguments) { $start.ArgumentList.Add($a) }
    [Diagnostics.Process]::Start($start)
}

function Set-IndexLine([string] $File, [string] $How) {
    $index = Join-Path $OutDirectory 'INDEX.tsv'
    $kept = @(if (Test-Path $index) { Get-Content $index | Where-Object { ($_ -split "`t", 2)[0] -ne $File } })
    Set-Content $index ($kept + "$File`t$How")
}

$Tool = @($Tool | ForEach-Object { $_ -split ',' } | Where-Object { $_ })
foreach ($t in $Tool) { if (-not $workloads.Contains($t)) { throw "No workload for '$t': the tools are $($workloads.Keys -join ', ')." } }
$kernel = uname -r
$traceCmdVersion = if ($Recorder -eq 'TraceCmd') { ((trace-cmd --version 2>&1 | Select-String 'version ([\d.]+)').Matches[0].Groups[1].Value) }
$kallsymsNote = if (@(Get-Content /proc/kallsyms -TotalCount 10).Count -lt 10) { '; /proc/kallsyms bind-mounted to its _text, _stext and _etext lines in a private mount namespace' } else { '' }
foreach ($name in $Tool) {
    $w = $workloads[$name]
    $stem = $name.ToLowerInvariant()
    $work = Join-Path ([IO.Path]::GetTempPath()) "pstrace-record-$stem-$PID"
    New-Item -ItemType Directory -Force $work | Out-Null
    $datName = "$stem-$($Recorder.ToLowerInvariant()).dat"
    $dat = Join-Path $OutDirectory $datName
    Remove-Item $dat -ErrorAction Ignore
    Set-Content "$work/workload.sh" $w.Script
    if ($w.ContainsKey('Before')) { /bin/sh -c $w.Before; if ($LASTEXITCODE) { throw "${name}: '$($w.Before)' failed." } }

    $scope = ''
    $gate = $null
    if ($w.Scoped) {
        mkfifo "$work/gate"
        $gate = Start-Native /bin/sh @('-c', "read go < '$work/gate'; exec /bin/sh '$work/workload.sh'")
        $scope = " -ProcessId $($gate.Id) -IncludeChildren"
    }
    $watch = "$($w.Watch)$scope -Duration $Seconds" + $(if ($Recorder -eq 'OutFile') { " -OutFile '$dat'" })
    Write-Host "== ${name}: $watch"
    $ps = [powershell]::Create()
    $null = $ps.AddScript("Import-Module '$ModulePath'; $watch -Verbose")
    $handle = $ps.BeginInvoke()
    $traceCmd = $null
    $how = $null
    try {
        Wait-Until { $handle.IsCompleted -or ($ps.Streams.Verbose | Where-Object Message -like 'Watching: reading *') } 120 "$name to read"
        if ($handle.IsCompleted) { throw "$name ended before it read: $($ps.Streams.Error)" }
        $reading = [Diagnostics.Stopwatch]::StartNew()
        if ($Recorder -eq 'TraceCmd') {
            $instance = (Get-ChildItem "$tracefs/instances" -Directory | Where-Object Name -like "pstrace-$PID-*" | Select-Object -First 1).Name
            $arguments = @('record', '-C', 'mono', '--date', '-o', $dat)
            if ($gate) { $arguments += '-P', "$($gate.Id)", '-c' }
            foreach ($e in Get-InstanceEvents $instance) {
                $arguments += '-e', $e.Event
                if ($e.Filter) { $arguments += '-f', $e.Filter }
            }
            # What an earlier tool's trace-cmd left in the top-level buffer must not filter this one.
            Set-Content "$tracefs/set_event" '' -NoNewline
            Set-Content "$tracefs/set_event_pid" '' -NoNewline
            Set-Content "$tracefs/options/event-fork" '0' -NoNewline
            $traceCmd = Start-Native /usr/bin/trace-cmd $arguments "$work/trace-cmd.log"
            # Recording has started when the top-level buffer has the events on and tracing_on set (trace-cmd's own
            # "Hit Ctrl^C" sits in its stdout buffer until it exits).
            $wanted = @(Get-InstanceEvents $instance).Count
            try { Wait-Until { $traceCmd.HasExited -or (@(Get-Content "$tracefs/set_event").Count -ge $wanted -and (Get-Content "$tracefs/tracing_on") -eq '1') } 90 'trace-cmd record to start' }
            catch { throw "$_ trace-cmd: $(Get-Content -Raw "$work/trace-cmd.log" -ErrorAction Ignore)" }
            if ($traceCmd.HasExited) { throw "trace-cmd record ended at once: $(Get-Content -Raw "$work/trace-cmd.log")" }
            Start-Sleep -Seconds 3
            $quoted = ($arguments | ForEach-Object { if ($_ -match '[\s"''()&|<>=!]') { "'" + ($_ -replace "'", "'\''") + "'" } else { $_ } }) -join ' '
            $how = "trace-cmd $($quoted -replace [regex]::Escape($dat), $datName)"
        }

        # The workload: let the gate go, or start it.
        $clock = [Diagnostics.Stopwatch]::StartNew()
        if ($gate) { [IO.File]::WriteAllText("$work/gate", "go`n"); $ran = $gate }
        else { $ran = Start-Native /bin/sh @("$work/workload.sh") }
        if (-not $ran.WaitForExit(60000)) { throw "$name's workload did not end within 60 s." }
        Write-Host "   workload ran in $([math]::Round($clock.Elapsed.TotalSeconds, 1)) s"
        Start-Sleep -Seconds 2
        if ($traceCmd) {
            # With -P it ends by itself when the gate's processes have ended.
            if (-not $traceCmd.HasExited) { /bin/kill -INT $traceCmd.Id 2>$null }
            if (-not $traceCmd.WaitForExit(120000)) { throw 'trace-cmd record did not stop within 120 s.' }
            if ($traceCmd.ExitCode -ne 0) { throw "trace-cmd record exited $($traceCmd.ExitCode): $(Get-Content -Raw "$work/trace-cmd.log")" }
        }
        Write-Host "   recorder done $([math]::Round($reading.Elapsed.TotalSeconds, 1)) s after the tool began reading, of $Seconds"
        if ($reading.Elapsed.TotalSeconds -gt $Seconds - 5) { throw "${name}: the tool's -Duration $Seconds ended too soon after the workload; give a larger -Seconds." }
        $records = @($ps.EndInvoke($handle))
        # What the tool said (set-up, pages read, warnings), beside the fixtures but not one of them.
        @($ps.Streams.Verbose | ForEach-Object { "VERBOSE: $_" }) + @($ps.Streams.Warning | ForEach-Object { "WARNING: $_" }) | Set-Content (Join-Path $OutDirectory "$stem-watch.log")
        if ($ps.Streams.Error.Count) { throw "$name wrote errors: $($ps.Streams.Error -join '; ')" }
        if ($records.Count -eq 0) { throw "$name gave no record live: see $stem-watch.log." }
    }
    finally {
        if (-not $handle.IsCompleted) { $ps.Stop() }
        $ps.Dispose()
        if ($traceCmd -and -not $traceCmd.HasExited) { $traceCmd.Kill() }
        if ($gate -and -not $gate.HasExited) { $gate.Kill() }
    }

    $json = Join-Path $OutDirectory "$stem-live.json"
    ConvertTo-Json -Depth 4 -InputObject @($records | ForEach-Object { ConvertTo-FixtureRecord $_ }) | Set-Content $json
    $where = if ($Recorder -eq 'TraceCmd') { "tests/lane/record-watch-fixtures.sh in the lane guest (Debian kernel $kernel, 1 vCPU under qemu TCG, trace-cmd $traceCmdVersion$kallsymsNote)" }
    else { "tests/lane/record-watch-fixtures.sh --host (as root, kernel $kernel$kallsymsNote)" }
    $gateText = if ($gate) { 'GATE = a /bin/sh blocked on a FIFO that then execs the workload' } else { 'no process scope' }
    $live = "$($w.Watch)$(if ($gate) { ' -ProcessId GATE -IncludeChildren' }) -Duration $Seconds$(if ($Recorder -eq 'OutFile') { " -OutFile $datName" })"
    $workloadText = $w.Script -replace "`n", '\n'
    if ($how) {
        Set-IndexLine $datName "${where}: while $live ran live ($gateText), $(if ($gate) { $how -replace "-P $($gate.Id) ", '-P GATE ' } else { $how }) recorded the same events and filters in the top-level buffer, from after the tool was reading until the gate's processes ended (-P) or SIGINT 2 s after the workload ended; workload: $workloadText"
    }
    else {
        Set-IndexLine $datName "${where}: $live ($gateText); workload: $workloadText"
    }
    Set-IndexLine "$stem-live.json" "same run as $datName`: the live records of $($w.Watch), each as its type and every property as text (ConvertTo-FixtureRecord of tests/Pester/TestHelpers.psm1)"
    Write-Host "   $($records.Count) live record(s); $datName $((Get-Item $dat).Length) bytes"
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}
