# Each Watch-* tool's -Path over a real `trace-cmd record` file gives the records the live tool gave beside it:
# tests/fixtures/6.1/watch, made in the lane guest (Debian 6.1) by tests/lane/record-watch-fixtures.sh.
BeforeDiscovery {
    $script:tools = 'Exec', 'Open', 'BlockIo', 'Readline', 'HostLookup', 'Syscall' | ForEach-Object { @{ Tool = $_.ToLowerInvariant(); Command = "Watch-$_" } }
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    $script:dir = Join-Path $PSScriptRoot '../fixtures/6.1/watch'
    # The tool's instance and trace-cmd's top-level buffer each read the mono clock for the same event, some
    # microseconds apart under emulation, and trace-cmd's --date offset and the session's clock epoch are measured
    # apart. Timestamps are compared as intervals from the first record: with --date, trace-cmd (and -Path, as
    # trace-cmd report) makes them times of day. Measured over three lane recordings: Time differed by at most
    # 0.63 ms, intervals by 0.17 ms, latencies and durations by 0.059 ms.
    $script:tolerance = [timespan]::FromMilliseconds(2)

    # Asserts that a record read back equals the live one: timings within the tolerance, Device (the name the
    # reading machine gives the number; DeviceNumber is compared) left out, every other field exactly.
    function Assert-SameRecord($Saved, $Live, $SavedFirst, $LiveFirst, [int] $Index) {
        $Saved.Type | Should -Be $Live.Type
        @($Saved.Fields.Keys) | Should -Be @($Live.Fields.PSObject.Properties.Name)
        foreach ($name in $Saved.Fields.Keys) {
            $read = $Saved.Fields[$name]
            $was = $Live.Fields.$name
            $because = "record $Index's $name was '$was' live and is '$read' read back"
            if ($name -in 'Timestamp', 'Device') { continue }
            if ($null -eq $read -or $null -eq $was) { $read | Should -Be $was -Because $because; continue }
            $delta = switch -Regex ($name) {
                '^Time$' { ([datetime]::Parse($read, $null, 'RoundtripKind') - [datetime]::Parse($was, $null, 'RoundtripKind')).TotalMilliseconds }
                '^TimestampNanoseconds$' { (([decimal]$read - [decimal]$SavedFirst) - ([decimal]$was - [decimal]$LiveFirst)) / 1e6 }
                '(Latency|Duration)Nanoseconds$' { ([decimal]$read - [decimal]$was) / 1e6 }
                '(Latency|Duration)$' { ([timespan]::Parse($read) - [timespan]::Parse($was)).TotalMilliseconds }
                default { $null }
            }
            if ($null -eq $delta) { $read | Should -Be $was -Because $because }
            else { [math]::Abs($delta) | Should -BeLessOrEqual $tolerance.TotalMilliseconds -Because $because }
        }
    }
}

Describe 'Watch-* -Path on a trace-cmd recording from the 6.1 lane' {
    It '<Command> gives the records the live tool gave' -ForEach $tools {
        $live = @(Get-Content -Raw "$dir/$Tool-live.json" -ErrorAction Stop | ConvertFrom-Json -DateKind String)
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $saved = @(& $Command -Path "$dir/$Tool-tracecmd.dat" | ForEach-Object { ConvertTo-FixtureRecord $_ })
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 30
        $live.Count | Should -BeGreaterThan 0
        $saved.Count | Should -Be $live.Count
        for ($i = 0; $i -lt $live.Count; $i++) {
            Assert-SameRecord $saved[$i] $live[$i] $saved[0].Fields.TimestampNanoseconds $live[0].Fields.TimestampNanoseconds $i
        }
    }
}
