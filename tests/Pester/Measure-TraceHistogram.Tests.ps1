# Measure-TraceHistogram over real records (the 6.1 lane's Watch-* fixtures, a live Watch-Syscall run) and its
# default view: bpftrace's hist() lines within 80 columns.
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    $script:fixtures = Join-Path $PSScriptRoot '../fixtures'
    $script:requests = @(Watch-BlockIo -Path "$fixtures/6.1/watch/blockio-tracecmd.dat")
    $script:syscalls = @(Watch-Syscall -Path "$fixtures/6.1/watch/syscall-tracecmd.dat")
    # bpftrace's line: the range left in 16 columns, the count right in 8, then the bar between pipes.
    $script:bpftraceLine = '^(\[\d+[KMGTPE]?\]|\[-?\d+[KMGTPE]?, -?\d+[KMGTPE]?\)|\(\.\.\., 0\))\s+\d+ \|@* *\|$'
}

Describe 'Measure-TraceHistogram' {
    It 'counts TimeSpans in microseconds into power-of-two buckets that add up to the records' {
        $buckets = @($requests | Measure-TraceHistogram -Property Latency)
        $requests.Count | Should -BeGreaterThan 0
        $buckets[0] | Should -BeOfType PSTrace.Core.Records.HistogramBucket
        ($buckets | Measure-Object Count -Sum).Sum | Should -Be $requests.Count
        $buckets | ForEach-Object { $_.Unit | Should -Be 'us'; $_.Histogram | Should -Be 'Latency (us)' }
        foreach ($io in $requests) {
            $us = [long][math]::Truncate($io.LatencyNanoseconds / 1000)
            $bucket = @($buckets | Where-Object { $us -ge $_.Low -and $us -lt $_.High })
            $bucket.Length | Should -Be 1 -Because "$us us falls in one bucket"
            $bucket[0].Count | Should -BeGreaterThan 0
        }
        # Powers of two: each bucket ends where the next begins, and the fullest has the whole bar.
        for ($i = 1; $i -lt $buckets.Count; $i++) { $buckets[$i].Low | Should -Be $buckets[$i - 1].High }
        ($buckets | Sort-Object Count -Descending | Select-Object -First 1).Bar.Length | Should -Be 52
    }

    It 'draws bpftrace-style lines within 80 columns, one block per histogram' {
        $text = $syscalls | Measure-TraceHistogram -Property Duration -GroupBy Name | Out-String -Width 80
        $lines = @($text -split "`r?`n" | Where-Object { $_.Trim() })
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        $headers = @($lines | Where-Object { $_ -match '^\s*Histogram: Duration \(us\) for \w+$' })
        $headers.Count | Should -Be @($syscalls | Where-Object { $null -ne $_.Duration } | Select-Object -ExpandProperty Name -Unique).Count
        $bars = @($lines | Where-Object { $_ -notmatch 'Histogram:' })
        $bars | ForEach-Object { $_ | Should -Match $bpftraceLine }
    }

    It 'counts plain numbers in -Linear steps' {
        $buckets = @($requests | Measure-TraceHistogram -Property Bytes -Linear -Step 4096)
        ($buckets | Measure-Object Count -Sum).Sum | Should -Be $requests.Count
        $buckets | ForEach-Object { ($_.High - $_.Low) | Should -Be 4096; $_.Low % 4096 | Should -Be 0; $_.Unit | Should -BeNullOrEmpty }
        $buckets[0].Range | Should -Match '^\[\d+, \d+\)$'
    }

    It 'skips records without the property with one warning naming how many' {
        $mixed = @($syscalls | Select-Object -First 20) + @('text', [pscustomobject]@{ Other = 1 })
        $buckets = @($mixed | Measure-TraceHistogram -Property Duration -WarningVariable warned -WarningAction SilentlyContinue)
        $withDuration = @($syscalls | Select-Object -First 20 | Where-Object { $null -ne $_.Duration }).Count
        ($buckets | Measure-Object Count -Sum).Sum | Should -Be $withDuration
        $warned.Count | Should -Be 1
        "$warned" | Should -Match "Skipped $(22 - $withDuration) of 22 records without a numeric or TimeSpan Duration"
    }

    It 'counts hashtables and negative numbers, which go in one bucket as in bpftrace' {
        $buckets = @(@{ v = -5 }, @{ v = -1 }, @{ v = 0 }, @{ v = 1 }, @{ v = 3 } | Measure-TraceHistogram v)
        $buckets.Range -join ';' | Should -Be '(..., 0);[0];[1];[2, 4)'
        ($buckets | ForEach-Object Count) -join ';' | Should -Be '2;1;1;1'
    }

    It 'refuses a -Step that is not above 0' {
        { 1 | Measure-TraceHistogram -Property Length -Linear -Step 0 } | Should -Throw -ErrorId 'HistogramStepNotPositive,*'
    }

    It 'counts the durations of a live Watch-Syscall run' {
        if (Skip-UnlessLive) { return }
        $r = Invoke-WatchRun 'Watch-Syscall -Syscall read -Duration 3' { 1..50 | ForEach-Object { /usr/bin/head -c 1 /etc/hostname > $null } }
        $calls = @($r.Output | Where-Object { $_ -is [PSTrace.Core.Records.SyscallEvent] -and $null -ne $_.Duration })
        $calls.Count | Should -BeGreaterThan 50
        $buckets = @($r.Output | Measure-TraceHistogram -Property Duration -WarningAction SilentlyContinue)
        ($buckets | Measure-Object Count -Sum).Sum | Should -Be $calls.Count
        ($buckets | Out-String -Width 80) -split "`r?`n" | Where-Object { $_ -match '^\[' } | ForEach-Object { $_ | Should -Match $bpftraceLine }
        Get-OwnSessionInstance | Should -BeNullOrEmpty
    }
}
