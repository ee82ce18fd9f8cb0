# Export-TraceTimeline over real saved traces (tests/fixtures) and a live one: the file is Trace Event Format JSON
# (required fields, X with dur, b/e pairs, time order per track) and holds what the records said.
BeforeDiscovery {
    $script:watchTools = @(
        @{ Tool = 'exec'; Command = 'Watch-Exec'; Shape = 'i' }
        @{ Tool = 'open'; Command = 'Watch-Open'; Shape = 'i' }
        @{ Tool = 'readline'; Command = 'Watch-Readline'; Shape = 'i' }
        @{ Tool = 'blockio'; Command = 'Watch-BlockIo'; Shape = 'b' }
        @{ Tool = 'syscall'; Command = 'Watch-Syscall'; Shape = 'X' }
        @{ Tool = 'hostlookup'; Command = 'Watch-HostLookup'; Shape = 'X' }
    )
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    $script:fixtures = Join-Path $PSScriptRoot '../fixtures'
    $script:cpuProcess = [PSTrace.Core.Pictures.TimelineTracks]::CpuProcessId

    # The file's events, after checking them against the Trace Event Format: what is wrong is gathered and
    # asserted once (a Should per event is slow on a trace of thousands).
    function Read-Timeline([string] $Path) {
        $json = Get-Content -Raw $Path | ConvertFrom-Json
        $events = @($json.traceEvents)
        $last = @{}
        $async = @{}
        $wrong = [System.Collections.Generic.List[string]]::new()
        foreach ($e in $events) {
            if ($e.ph -notin 'X', 'i', 'b', 'e', 'M') { $wrong.Add("ph $($e.ph)") }
            if (-not $e.name) { $wrong.Add('no name') }
            if ($e.pid -isnot [long] -or $e.tid -isnot [long]) { $wrong.Add("pid/tid of $($e.name)") }
            if ($e.ph -eq 'M') { continue }
            if ($null -eq $e.ts) { $wrong.Add("no ts: $($e.name)") }
            switch ($e.ph) {
                'X' { if (-not ($e.dur -ge 0)) { $wrong.Add("dur of $($e.name)") } }
                'i' { if ($e.s -notin 't', 'p', 'g') { $wrong.Add("scope of $($e.name)") } }
                'b' { $async["$($e.cat)/$($e.id)"] = $e.ts }
                'e' { if (-not $async.ContainsKey("$($e.cat)/$($e.id)")) { $wrong.Add("e without b: $($e.id)") }; $async.Remove("$($e.cat)/$($e.id)") }
            }
            if ($e.ph -in 'X', 'i') {
                $track = "$($e.pid)/$($e.tid)"
                if ($last.ContainsKey($track) -and $e.ts -lt $last[$track]) { $wrong.Add("$($e.name) at $($e.ts) before $($last[$track]) on $track") }
                $last[$track] = $e.ts
            }
        }
        $wrong | Select-Object -First 5 | Should -BeNullOrEmpty -Because 'every event follows the Trace Event Format'
        $async.Count | Should -Be 0 -Because 'every async begin has its end'
        $events
    }

    $script:dir = Join-Path ([IO.Path]::GetTempPath()) "pstrace-timeline-$PID"
    New-Item -ItemType Directory $dir -Force | Out-Null
}

AfterAll {
    Remove-Item -Recurse -Force $dir -ErrorAction Ignore
}

Describe 'Export-TraceTimeline' {
    It 'draws a track per CPU from the sched_switch events of a trace.dat, and writes the FileInfo with -PassThru' {
        $events = @(Get-TraceEvent -Path "$fixtures/6.18/tracedat-v7-none.dat")
        $switches = @($events | Where-Object Name -eq 'sched_switch')
        $file = $events | Export-TraceTimeline -Path "$dir/sched.json" -PassThru
        $file | Should -BeOfType [IO.FileInfo]
        $file.FullName | Should -Be "$dir/sched.json"
        $timeline = Read-Timeline $file.FullName
        $slices = @($timeline | Where-Object { $_.pid -eq $cpuProcess -and $_.ph -eq 'X' })
        $switches.Count | Should -Be 613 -Because "trace-cmd report -i tracedat-v7-none.dat | grep -c ' sched_switch:'"
        $slices.Count | Should -Be $switches.Count
        # The first slice of a CPU runs from its first switch to its second, and is the task the second switched out.
        $cpu = $switches[0].Cpu
        $onCpu = @($switches | Where-Object Cpu -eq $cpu)
        $first = $slices | Where-Object tid -eq ($cpuProcess + 1 + $cpu) | Select-Object -First 1
        $first.ts | Should -Be ($onCpu[0].TimestampNanoseconds / 1000)
        $first.dur | Should -Be (($onCpu[1].TimestampNanoseconds - $onCpu[0].TimestampNanoseconds) / 1000)
        $first.name | Should -Be "$($onCpu[1].prev_comm)-$($onCpu[1].prev_pid)"
        @($timeline | Where-Object { $_.ph -eq 'M' -and $_.name -eq 'thread_name' -and $_.args.name -eq "CPU $cpu" }).Count | Should -Be 1
        # Every other event is a moment on its task's track, with its fields.
        @($timeline | Where-Object ph -eq 'i').Count | Should -Be @($events | Where-Object { $_ -is [PSTrace.Core.Records.TraceEvent] -and $_.Name -ne 'sched_switch' }).Count
    }

    It 'draws the saved sched_switch text the same way' {
        $events = @(Get-TraceEvent -Path "$fixtures/6.18/trace-default.txt")
        $events | Export-TraceTimeline "$dir/text.json"
        $timeline = Read-Timeline "$dir/text.json"
        @($timeline | Where-Object { $_.pid -eq $cpuProcess -and $_.ph -eq 'X' }).Count | Should -Be @($events | Where-Object Name -eq 'sched_switch').Count
    }

    It 'draws function_graph trees of a 6.1 trace.dat as nested slices, the same with -Flat' {
        $roots = @(Start-FunctionGraph -Path "$fixtures/6.1/tracecmd-fgraph-sched.dat" | Where-Object { $_ -is [PSTrace.Core.Records.FunctionCall] })
        $calls = @($roots | ForEach-Object { $_.GetDescendantsAndSelf() })
        $roots | Export-TraceTimeline "$dir/graph.json"
        Start-FunctionGraph -Path "$fixtures/6.1/tracecmd-fgraph-sched.dat" -Flat | Export-TraceTimeline "$dir/flat.json" -WarningAction SilentlyContinue
        $timeline = Read-Timeline "$dir/graph.json"
        $slices = @($timeline | Where-Object cat -eq 'function')
        $slices.Count | Should -Be $calls.Count
        @($slices | Where-Object ph -eq 'X').Count | Should -Be @($calls | Where-Object { $null -ne $_.DurationNanoseconds }).Count
        $slices[0].name | Should -Be $calls[0].Function
        $slices[0].tid | Should -Be $calls[0].ProcessId
        @($timeline | Where-Object { $_.ph -eq 'M' -and $_.name -eq 'thread_name' -and $_.tid -eq $calls[0].ProcessId }).args.name | Should -Be $calls[0].Command
        (Get-FileHash "$dir/flat.json").Hash | Should -Be (Get-FileHash "$dir/graph.json").Hash
    }

    It 'draws the records of <Command> -Path (6.1 lane fixtures) as <Shape> events on their task' -ForEach $watchTools {
        $records = @(& $Command -Path "$fixtures/6.1/watch/$Tool-tracecmd.dat")
        $records.Count | Should -BeGreaterThan 0
        $records | Export-TraceTimeline "$dir/$Tool.json" -WarningVariable warned
        $warned | Should -BeNullOrEmpty
        $timeline = Read-Timeline "$dir/$Tool.json"
        $drawn = @($timeline | Where-Object { $_.ph -ne 'M' -and $_.ph -ne 'e' })
        $drawn.Count | Should -Be $records.Count
        $first = $records[0]
        $drawnFirst = $drawn[0]
        $expected = if ($Shape -eq 'X' -and $null -eq $first.Duration -and $null -eq $first.Latency) { 'i' } else { $Shape }
        $drawnFirst.ph | Should -Be $expected
        $drawnFirst.pid | Should -Be $first.ProcessId
        if ($expected -eq 'b') {
            # The record's time is the completion; the span starts at the issue.
            $end = $timeline | Where-Object { $_.ph -eq 'e' -and $_.id -eq $drawnFirst.id }
            # Microseconds since 1970 (these files keep trace-cmd's --date offset) are read back as doubles: 0.25 us apart.
            [math]::Abs($end.ts - $first.TimestampNanoseconds / 1000) | Should -BeLessOrEqual 0.5
            [math]::Abs(($end.ts - $drawnFirst.ts) - $first.LatencyNanoseconds / 1000) | Should -BeLessOrEqual 0.5
        }
        else {
            [math]::Abs($drawnFirst.ts - $first.TimestampNanoseconds / 1000) | Should -BeLessOrEqual 0.5
        }
    }

    It 'skips records without a time with one warning naming how many' {
        $events = @(Get-TraceEvent -Path "$fixtures/6.18/tracedat-v7-none.dat" | Where-Object { $_ -is [PSTrace.Core.Records.TraceEvent] } | Select-Object -First 5)
        @('text', 42) + $events | Export-TraceTimeline "$dir/mixed.json" -WarningVariable warned -WarningAction SilentlyContinue
        $warned.Count | Should -Be 1
        "$warned" | Should -Match 'Skipped 2 of 7 records'
        "$warned" | Should -Match '1 String, 1 Int32'
        Test-Path "$dir/mixed.json" | Should -BeTrue
    }

    It 'writes no file for an empty pipeline, and says why' {
        @() | Export-TraceTimeline "$dir/empty.json" -WarningVariable warned -WarningAction SilentlyContinue
        Test-Path "$dir/empty.json" | Should -BeFalse
        "$warned" | Should -Match 'nothing came down the pipeline'
        'a', 'b' | Export-TraceTimeline "$dir/none.json" -WarningVariable warned -WarningAction SilentlyContinue
        Test-Path "$dir/none.json" | Should -BeFalse
        $warned.Count | Should -Be 1
        "$warned" | Should -Match 'none of the 2 records has a time'
    }

    It 'stops with a clear error for a folder that does not exist, before reading anything' {
        $err = { 'never read' | Export-TraceTimeline "$dir/no/such/folder/x.json" } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'OutputFolderNotFound,*'
        $err.Exception.Message | Should -Match 'does not exist'
        Test-Path "$dir/no" | Should -BeFalse
    }

    It 'keeps an existing file under -NoClobber and -WhatIf, and replaces it otherwise' {
        $events = @(Get-TraceEvent -Path "$fixtures/6.18/tracedat-v7-none.dat")
        Set-Content "$dir/keep.json" 'old'
        { $events | Export-TraceTimeline "$dir/keep.json" -NoClobber } | Should -Throw -ErrorId 'OutputFileExists,*'
        $events | Export-TraceTimeline "$dir/keep.json" -WhatIf
        Get-Content "$dir/keep.json" | Should -Be 'old'
        $events | Export-TraceTimeline "$dir/keep.json"
        (Get-Content -Raw "$dir/keep.json" | ConvertFrom-Json).traceEvents.Count | Should -BeGreaterThan 29
    }

    It 'replaces a read-only file only with -Force, and it stays read-only' {
        $events = @(Get-TraceEvent -Path "$fixtures/6.18/tracedat-v7-none.dat")
        Set-Content "$dir/locked.json" 'old'
        chmod 0444 "$dir/locked.json"
        { $events | Export-TraceTimeline "$dir/locked.json" } | Should -Throw -ErrorId 'OutputFileReadOnly,*'
        Get-Content "$dir/locked.json" | Should -Be 'old'
        $events | Export-TraceTimeline "$dir/locked.json" -Force
        (Get-Content -Raw "$dir/locked.json" | ConvertFrom-Json).traceEvents.Count | Should -BeGreaterThan 29
        [int](Get-Item "$dir/locked.json").UnixFileMode | Should -Be 0x124  # 0444
        @(Get-ChildItem -Force $dir -Filter '.locked.json.*').Count | Should -Be 0
    }

    It 'leaves a whole file of what was drawn when the pipeline fails part way' {
        $events = @(Get-TraceEvent -Path "$fixtures/6.18/tracedat-v7-none.dat" | Select-Object -First 10)
        { & { $events; throw 'the source failed' } | Export-TraceTimeline "$dir/cut.json" } | Should -Throw '*source failed*'
        $timeline = Read-Timeline "$dir/cut.json"
        @($timeline | Where-Object ph -ne 'M').Count | Should -BeGreaterThan 0
    }

    It 'draws a live sched_switch trace of this machine, one track per CPU that switched' {
        if (Skip-UnlessLive) { return }
        $file = Get-TraceEvent sched:sched_switch -Duration 1 | Tee-Object -Variable events | Export-TraceTimeline "$dir/live.json" -PassThru
        Get-OwnSessionInstance | Should -BeNullOrEmpty
        $timeline = Read-Timeline $file.FullName
        $slices = @($timeline | Where-Object { $_.pid -eq $cpuProcess -and $_.ph -eq 'X' })
        $switches = @($events | Where-Object { $_ -is [PSTrace.Core.Records.TraceEvent] })
        $switches.Count | Should -BeGreaterThan 10
        $slices.Count | Should -Be $switches.Count
        $tracks = @($slices.tid | Sort-Object -Unique)
        $tracks.Count | Should -Be @($switches.Cpu | Sort-Object -Unique).Count
        $tracks.Count | Should -BeLessOrEqual ([Environment]::ProcessorCount)
        # The last task of each CPU runs to the last switch seen.
        $end = ($slices | ForEach-Object { $_.ts + $_.dur } | Measure-Object -Maximum).Maximum
        $span = $end - ($slices.ts | Measure-Object -Minimum).Minimum
        [math]::Abs($end - ($switches.TimestampNanoseconds | Measure-Object -Maximum).Maximum / 1000) | Should -BeLessThan 0.01
        $span | Should -BeLessOrEqual 3e6 -Because 'a 1 s trace spans about a second'
    }
}
