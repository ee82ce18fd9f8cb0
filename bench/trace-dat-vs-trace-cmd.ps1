#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Times reading a large trace.dat three ways, and measures how many events per second the live
    readers keep up with, binary (trace_pipe_raw) beside text (trace_pipe).
.DESCRIPTION
    Needs root, tracefs, trace-cmd and gcc, and the module built (./build.ps1 Build).

    1. Makes a trace.dat of more than a million events with bench/BinaryBench/make-large-trace.sh
       (instance fastpath-bench; the top-level buffer must be idle: trace-cmd extract reads it too),
       then converts it to an uncompressed copy.
    2. Times, on both files, `trace-cmd report -i FILE > /dev/null`, the engine's decode
       (TraceDatFile.ReadEvents counted from .NET) and `Get-TraceEvent -Path FILE | Measure-Object`,
       best of -Repeat runs each, and prints the ratios to trace-cmd.
    3. For the live readers: a session on syscalls:sys_enter_getppid while bench/live/syscall-load
       makes that syscall at a steady rate for -Seconds; the rate grows by -RateStep until the reader
       receives less than 99% of what was made or the kernel reports lost events. Four readers:
       Get-TraceEvent on each path (counted with Measure-Object, so the pipeline costs the same on
       both), and the engine's RawTraceReader and TraceTextReader counted in .NET (no pipeline).
.EXAMPLE
    dotnet pwsh ./build.ps1 Build; dotnet pwsh bench/trace-dat-vs-trace-cmd.ps1
#>
[CmdletBinding()]
param(
    [string] $ModulePath,
    [string] $WorkDirectory = (Join-Path ([IO.Path]::GetTempPath()) 'pstrace-bench'),
    [int] $Iterations = 100,
    [int] $Repeat = 3,
    [int] $Seconds = 4,
    [int] $StartRate = 25000,
    [int] $MaxRate = 3200000,
    [double] $RateStep = 1.5,
    [switch] $SkipFile,
    [switch] $SkipLive,
    # Live readers to measure (names as in the table); all by default.
    [string[]] $Reader
)

$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
if (-not $ModulePath) {
    [xml] $props = Get-Content (Join-Path $root 'Directory.Build.props')
    $version = $props.Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
    $ModulePath = Join-Path $root "out/PSTrace/$version/PSTrace.psd1"
}
if (-not (Test-Path $ModulePath)) { throw "No module at ${ModulePath}: run ./build.ps1 Build first." }
Import-Module $ModulePath -Force
Add-Type -Path (Join-Path (Split-Path $ModulePath) 'PSTrace.Core.dll')
New-Item -ItemType Directory -Force -Path $WorkDirectory | Out-Null
$inv = [Globalization.CultureInfo]::InvariantCulture

function Get-Best([scriptblock] $Action) {
    $best = [double]::MaxValue
    $result = $null
    for ($i = 0; $i -lt $Repeat; $i++) {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $result = & $Action
        $best = [Math]::Min($best, $sw.Elapsed.TotalSeconds)
    }
    [pscustomobject]@{ Seconds = $best; Result = $result }
}

function Measure-TraceDat([string] $File) {
    # Through sh, so trace-cmd writes straight to /dev/null rather than to PowerShell's pipeline.
    $report = Get-Best { & sh -c 'trace-cmd report -i "$1" > /dev/null 2>&1' sh $File; $LASTEXITCODE }
    $engine = Get-Best {
        $dat = [PSTrace.Core.Binary.TraceDat.TraceDatFile]::Open($File)
        try { [System.Linq.Enumerable]::Count[object]($dat.ReadEvents()) } finally { $dat.Dispose() }
    }
    $cmdlet = Get-Best { (Get-TraceEvent -Path $File | Measure-Object).Count }
    $events = $engine.Result
    foreach ($row in @(
            @{ Reader = 'trace-cmd report > /dev/null'; T = $report },
            @{ Reader = 'TraceDatFile.ReadEvents (engine)'; T = $engine },
            @{ Reader = 'Get-TraceEvent -Path | Measure-Object'; T = $cmdlet })) {
        [pscustomobject]@{
            File = Split-Path $File -Leaf
            Reader = $row.Reader
            Events = $events
            Seconds = [Math]::Round($row.T.Seconds, 3)
            EventsPerSecond = [long]($events / $row.T.Seconds)
            VsTraceCmd = '{0:0.00}x' -f ($report.Seconds / $row.T.Seconds)
        }
    }
    if ($cmdlet.Result -ne $events) { Write-Warning "Get-TraceEvent wrote $($cmdlet.Result) objects, the engine read $events events." }
}

# How each live reader is run inside the measuring runspace; each prints the count of what it received
# and, for the engine readers, the kernel's lost-event count (per_cpu stats) before the session ends.
$script:LiveReaders = [ordered]@{
    'Get-TraceEvent (binary)' = { param($d) "(Get-TraceEvent -Name syscalls:sys_enter_getppid -Duration $d | Measure-Object).Count" }
    'Get-TraceEvent -TextPath' = { param($d) "(Get-TraceEvent -Name syscalls:sys_enter_getppid -Duration $d -TextPath | Measure-Object).Count" }
    'engine RawTraceReader' = { param($d) "Measure-EngineRead $d -Raw" }
    'engine TraceTextReader' = { param($d) "Measure-EngineRead $d" }
}

# The engine's readers over a session of their own, counted in .NET: what the readers manage without a pipeline.
$script:EngineFunction = @'
function Measure-EngineRead([int] $Duration, [switch] $Raw) {
    $fs = [PSTrace.Core.Tracefs.Tracefs]::Open($true)
    $s = [PSTrace.Core.Tracefs.TraceSession]::Start($fs, $true)
    try {
        $catalog = [PSTrace.Core.Formats.EventFormatCatalog]::Load((Join-Path $fs.Root 'events'))
        $null = $catalog.Find('syscalls', 'sys_enter_getppid')
        $s.EnableEvent([PSTrace.Core.Tracefs.EventId]::new('syscalls', 'sys_enter_getppid'), [NullString]::Value, [NullString]::Value)
        $cts = [Threading.CancellationTokenSource]::new([TimeSpan]::FromSeconds($Duration))
        if ($Raw) {
            $reader = [PSTrace.Core.Streaming.RawTraceReader]::new($s.Buffer, $catalog, $null)
            $n = [System.Linq.Enumerable]::Count[object]($reader.Read($cts.Token))
        }
        else {
            $pipe = [PSTrace.Core.Tracefs.TracePipeTextReader]::new($s.Buffer, $cts.Token)
            try { $n = [System.Linq.Enumerable]::Count[object]([PSTrace.Core.Text.TraceTextReader]::Read($pipe, $catalog)) } finally { $pipe.Dispose() }
        }
        $lost = ([PSTrace.Core.Tracefs.CpuBufferStats]::Read($s.Buffer) | Measure-Object Lost -Sum).Sum
        if ($lost -gt 0) { Write-Warning "The kernel lost $lost event(s)" }
        $n
    }
    finally { $s.Dispose() }
}
'@

# One live session at one rate: what syscall-load made, what the reader received, what the kernel said it lost.
function Measure-LiveRate([string] $Load, [int] $Rate, [string] $Reader) {
    $ps = [powershell]::Create()
    $command = & $script:LiveReaders[$Reader] ($Seconds + 3)
    $null = $ps.AddScript("Import-Module '$ModulePath'; Add-Type -Path '$(Join-Path (Split-Path $ModulePath) 'PSTrace.Core.dll')'; $script:EngineFunction; $command")
    $handle = $ps.BeginInvoke()
    try {
        $deadline = [datetime]::UtcNow.AddSeconds(30)
        while (-not (Get-ChildItem /sys/kernel/tracing/instances -Directory | Where-Object { $_.Name -like "pstrace-$PID-*" -and (Get-Content "$($_.FullName)/set_event" -Raw) -match '\S' })) {
            if ([datetime]::UtcNow -gt $deadline) { throw "The session did not start: $($ps.Streams.Error)" }
            Start-Sleep -Milliseconds 50
        }
        Start-Sleep -Milliseconds 300
        $made = [long](("$(& $Load $Rate $Seconds)" -split ' ')[0])
        $received = [long]($ps.EndInvoke($handle) | Select-Object -Last 1)
        $lost = 0L
        foreach ($w in $ps.Streams.Warning) {
            if ("$w" -match 'lost (\d+) event') { $lost = [Math]::Max($lost, [long]$Matches[1]) }
            elseif ("$w" -match 'lost events on CPU \d+: (\d+)') { $lost += [long]$Matches[1] }
        }
        [pscustomobject]@{
            Reader = $Reader
            Rate = $Rate
            Made = $made
            Received = $received
            KernelLost = $lost
            ReceivedPercent = [Math]::Round(100.0 * $received / [Math]::Max(1, $made), 1)
            ReceivedPerSecond = [long]($received / $Seconds)
        }
    }
    finally { $ps.Dispose() }
}

"PSTrace benchmark on $(uname -r), $([Environment]::ProcessorCount) CPUs, load average $((Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3)"
"trace-cmd $((trace-cmd --version 2>$null | Select-String 'version' | Select-Object -First 1) -replace '.*version\s*', '')"

if (-not $SkipFile) {
    $base = Join-Path $WorkDirectory 'large'
    if (-not (Test-Path "$base-none.dat")) {
        $env:INSTANCE = 'fastpath-bench'; $env:ITERATIONS = "$Iterations"; $env:BUFFER_KB = '65536'
        & bash (Join-Path $root 'bench/BinaryBench/make-large-trace.sh') $base
        if ($LASTEXITCODE -ne 0) { throw 'make-large-trace.sh failed.' }
    }
    $rows = foreach ($f in "$base-none.dat", "$base.dat") { Measure-TraceDat $f }
    $rows | Format-Table -AutoSize | Out-String -Width 200
}

if (-not $SkipLive) {
    $load = Join-Path $WorkDirectory 'syscall-load'
    & gcc -O2 -Wall -o $load (Join-Path $root 'bench/live/syscall-load.c')
    if ($LASTEXITCODE -ne 0) { throw 'gcc failed.' }
    $readers = if ($Reader) { $Reader } else { $script:LiveReaders.Keys }
    $live = foreach ($reader in $readers) {
        # A first, unreported run: the runspace and the readers' code are cold the first time.
        $null = Measure-LiveRate $load $StartRate $reader
        for ($rate = [double]$StartRate; $rate -le $MaxRate; $rate *= $RateStep) {
            $r = Measure-LiveRate $load ([int]$rate) $reader
            $r
            if ($r.ReceivedPercent -lt 99 -or $r.KernelLost -gt 0) { break }
        }
    }
    $live | Format-Table -AutoSize | Out-String -Width 200
    foreach ($group in $live | Group-Object Reader) {
        $kept = $group.Group | Where-Object { $_.ReceivedPercent -ge 99 -and $_.KernelLost -eq 0 } | Sort-Object Rate | Select-Object -Last 1
        $over = $group.Group | Sort-Object Rate | Select-Object -Last 1
        "{0}: kept up with {1:N0} events/s; at {2:N0}/s it received {3:N0}/s" -f $group.Name, $(if ($kept) { $kept.Rate } else { 0 }), $over.Rate, $over.ReceivedPerSecond
    }
}
