BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    $script:fixtures = Join-Path $PSScriptRoot '../fixtures'

    # Whether two readings of one field agree: the same value of the same type. A field the kernel
    # prints through a symbol table (prev_state=S) is text on the text path by design, and a plain %p
    # pointer is printed hashed, so only its type is compared.
    function Test-SameField($Text, $Raw, [bool] $Hashed) {
        if ($Text -is [string] -and $Raw -isnot [string]) { return $true }
        if ($null -eq $Text -or $null -eq $Raw) { return $null -eq $Text -and $null -eq $Raw }
        if ($Text.GetType() -ne $Raw.GetType()) { return $false }
        if ($Hashed) { return $true }
        if ($Text -is [array]) { return (Compare-Object $Text $Raw -SyncWindow 0).Count -eq 0 }
        $Text -eq $Raw
    }
}

Describe 'Get-TraceEvent live through trace_pipe_raw' {
    AfterEach {
        if ($script:run) { $script:run.PowerShell.Dispose(); $script:run = $null }
    }

    It 'reads the same events as the text snapshot of the same buffer' {
        if (Skip-UnlessLive) { return }
        $name = "pester-raw-$PID"
        New-TraceInstance $name -BufferSizeKb 2048 | Out-Null
        try {
            $dir = "/sys/kernel/tracing/instances/$name"
            foreach ($e in 'sched:sched_process_fork', 'sched:sched_process_exec', 'sched:sched_process_exit', 'syscalls:sys_enter_openat', 'syscalls:sys_exit_openat') {
                Enable-TraceEvent $e -Instance $name -Filter "common_pid != $PID"
            }
            foreach ($i in 1..3) { /bin/sh -c 'cat /etc/hostname; ls / ' | Out-Null }
            Set-Content "$dir/tracing_on" 0

            # `trace` first: it leaves the events in place; trace_pipe_raw then consumes them.
            $text = @(Get-TraceEvent -Instance $name | Where-Object { $_ -is [PSTrace.Core.Records.TraceEvent] })
            $raw = @(Get-TraceEvent -Instance $name -Follow -Duration 3 -Verbose 4>&1 | Where-Object {
                    if ($_ -is [System.Management.Automation.VerboseRecord]) { $script:verbose += @("$_"); $false } else { $_ -is [PSTrace.Core.Records.TraceEvent] } })

            $script:verbose -join "`n" | Should -Match 'trace_pipe_raw'
            $text.Count | Should -BeGreaterThan 20
            $raw.Count | Should -Be $text.Count
            $types = @{}
            Get-TraceEventType sched:*, syscalls:*openat | ForEach-Object { $types[$_.FullName] = $_ }
            for ($i = 0; $i -lt $raw.Count; $i++) {
                $t = $text[$i]; $r = $raw[$i]
                "$($r.FullName) $($r.ProcessId) $($r.Cpu)" | Should -Be "$($t.FullName) $($t.ProcessId) $($t.Cpu)" -Because "event $i"
                # The text prints microseconds, rounded to nearest.
                [math]::Floor(($r.TimestampNanoseconds + 500) / 1000) | Should -Be ($t.TimestampNanoseconds / 1000) -Because "event $i ($t)"
                foreach ($key in $t.Fields.Keys) {
                    $hashed = ($types[$r.FullName].Fields | Where-Object Name -eq $key).Type -match '\*'
                    Test-SameField $t.Fields[$key] $r.Fields[$key] $hashed | Should -BeTrue -Because "event $i field $key (text $($t.Fields[$key]), raw $($r.Fields[$key]))"
                }
            }
        }
        finally {
            Remove-TraceInstance $name -Confirm:$false
        }
    }

    It 'says in -Verbose which path it reads, and -TextPath reads trace_pipe' {
        if (Skip-UnlessLive) { return }
        $raw = Get-TraceEvent -Name sched:sched_process_exec -Duration 1 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        "$raw" | Should -Match 'trace_pipe_raw \(binary pages'
        $text = Get-TraceEvent -Name sched:sched_process_exec -Duration 1 -TextPath -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        "$text" | Should -Match 'trace_pipe \(text\), as -TextPath asks'
        Get-OwnSessionInstance | Should -BeNullOrEmpty
    }

    It 'gives the exec of /bin/true the same typed fields on both paths, and its thread group' {
        if (Skip-UnlessLive) { return }
        $found = @{}
        foreach ($mode in 'raw', 'text') {
            $switch = if ($mode -eq 'text') { ' -TextPath' } else { '' }
            $script:run = Start-InRunspace "Get-TraceEvent -Name sched:sched_process_exec -Filter 'filename == ""/bin/true""' -MaxEvents 1 -Duration 30$switch"
            Wait-SessionReady | Out-Null
            /bin/true
            $found[$mode] = @($script:run.PowerShell.EndInvoke($script:run.Handle))[0]
            $script:run.PowerShell.Dispose(); $script:run = $null
        }
        foreach ($e in $found.Values) {
            $e.filename | Should -Be '/bin/true'
            $e.pid | Should -BeOfType [long]
            $e.old_pid | Should -BeOfType [long]
            $e.pid | Should -Be $e.ProcessId
            $e.Command | Should -Be 'true'
        }
        # The session asks the kernel to record thread groups (record-tgid) when it reads binary pages.
        $found.raw.ThreadGroupId | Should -Be $found.raw.ProcessId
        ($found.raw | Where-Object pid -EQ $found.raw.ProcessId) | Should -Not -BeNullOrEmpty
    }
}

Describe 'Get-TraceEvent -OutFile' {
    AfterEach {
        if ($script:run) { $script:run.PowerShell.Dispose(); $script:run = $null }
    }

    It 'saves the pages it reads as a trace.dat that trace-cmd report reads back event for event' {
        if (Skip-UnlessLive) { return }
        if (-not (Get-Command trace-cmd -ErrorAction Ignore)) { Set-ItResult -Skipped -Because 'trace-cmd is not installed'; return }
        $out = Join-Path $TestDrive 'live.dat'
        $job = Start-ThreadJob { Start-Sleep -Milliseconds 1500; foreach ($i in 1..5) { /bin/sh -c 'cat /etc/hostname; kill -0 $$' | Out-Null } }
        $live = @(Get-TraceEvent -Name sched:sched_process_fork, sched:sched_process_exec, sched:sched_process_exit, signal:signal_generate -Duration 5 -OutFile $out |
                Where-Object { $_ -is [PSTrace.Core.Records.TraceEvent] })
        $job | Wait-Job | Remove-Job
        Test-Path $out | Should -BeTrue
        Get-ChildItem "$out.*" | Should -BeNullOrEmpty
        $live.Count | Should -BeGreaterOrEqual 15

        # trace-cmd's own reading of the file: -t prints nanoseconds.
        $pattern = '^\s*(?<comm>.*?)-(?<pid>\d+)\s+\[(?<cpu>\d+)\]\s+(?<sec>\d+)\.(?<ns>\d{9}):\s+(?<name>\w+):'
        $report = @(trace-cmd report -t -i $out 2>$null | ForEach-Object { if ($_ -match $pattern) { [pscustomobject]@{
                        Pid = [int]$Matches.pid; Cpu = [int]$Matches.cpu; Name = $Matches.name; Command = $Matches.comm
                        Ns = [ulong]$Matches.sec * 1000000000 + [ulong]$Matches.ns } } })
        $file = @(Get-TraceEvent -Path $out | Where-Object { $_ -is [PSTrace.Core.Records.TraceEvent] })
        $file.Count | Should -Be $report.Count
        for ($i = 0; $i -lt $file.Count; $i++) {
            # trace-cmd names a task only from the file's saved_cmdlines and prints <...> for a pid the kernel's
            # cache had dropped; PSTrace also learns names from the trace's own fork/exec events, so it may know more.
            $command = if ($report[$i].Command -eq '<...>') { '' } else { $file[$i].Command }
            $reported = if ($report[$i].Command -eq '<...>') { '' } else { $report[$i].Command }
            "$($file[$i].TimestampNanoseconds) $($file[$i].ProcessId) $($file[$i].Cpu) $($file[$i].Name) $command" |
                Should -Be "$($report[$i].Ns) $($report[$i].Pid) $($report[$i].Cpu) $($report[$i].Name) $reported" -Because "event $i of the file"
        }

        # The file holds exactly what was written live: pages read past the end marker are cut.
        $file.Count | Should -Be $live.Count
        @($file | Where-Object { $_.Fields['buf'] -like 'pstrace-end-*' }) | Should -BeNullOrEmpty
        for ($i = 0; $i -lt $live.Count; $i++) {
            # The file keeps the session clock's epoch, so each event has the wall-clock Time it had live.
            "$($live[$i].TimestampNanoseconds) $($live[$i].ProcessId) $($live[$i].Cpu) $($live[$i].FullName) $($live[$i].Time.ToString('o'))" |
                Should -Be "$($file[$i].TimestampNanoseconds) $($file[$i].ProcessId) $($file[$i].Cpu) $($file[$i].FullName) $($file[$i].Time.ToString('o'))" -Because "live event $i"
        }
        $live.Name | Should -Contain 'signal_generate'
        $live[0].Time | Should -Not -BeNullOrEmpty
        Get-OwnSessionInstance | Should -BeNullOrEmpty
    }

    It 'gives events of a trace-cmd extract --date file the wall-clock time they happened' {
        if (Skip-UnlessLive) { return }
        if (-not (Get-Command trace-cmd -ErrorAction Ignore)) { Set-ItResult -Skipped -Because 'trace-cmd is not installed'; return }
        $name = "pester-date-$PID"
        $out = Join-Path $TestDrive 'date.dat'
        New-TraceInstance $name -BufferSizeKb 512 | Out-Null
        try {
            Enable-TraceEvent sched:sched_process_exec -Instance $name -Filter 'filename == "/bin/true"'
            $before = [datetime]::UtcNow
            foreach ($i in 1..3) { /bin/true }
            $after = [datetime]::UtcNow
            Set-Content "/sys/kernel/tracing/instances/$name/tracing_on" 0
            # --date stores the offset from the trace clock to the time of day (trace-cmd's DATE option).
            trace-cmd extract --date -B $name -o $out 2>&1 | Out-Null
        }
        finally {
            # trace-cmd extract may remove the instance it read from itself.
            if (Test-Path "/sys/kernel/tracing/instances/$name") { Remove-TraceInstance $name -Force -Confirm:$false }
        }
        $events = @(Get-TraceEvent -Path $out | Where-Object { $_ -is [PSTrace.Core.Records.TraceEvent] })
        $events.Count | Should -Be 3
        foreach ($e in $events) {
            # trace-cmd works the offset out to the microsecond from a marker it writes: allow it 5 ms.
            $e.Time.ToUniversalTime() | Should -BeGreaterOrEqual $before.AddMilliseconds(-5)
            $e.Time.ToUniversalTime() | Should -BeLessOrEqual $after.AddMilliseconds(5)
        }
    }

    It 'ends the file with the last event that went to the pipeline when -MaxEvents stops it' {
        if (Skip-UnlessLive) { return }
        $out = Join-Path $TestDrive 'max.dat'
        $job = Start-ThreadJob { Start-Sleep -Milliseconds 1500; foreach ($i in 1..40) { /bin/true } }
        $live = @(Get-TraceEvent -Name sched:sched_process_exec -MaxEvents 7 -Duration 30 -OutFile $out -Verbose 4>&1)
        $job | Wait-Job | Remove-Job
        $events = @($live | Where-Object { $_ -is [PSTrace.Core.Records.TraceEvent] })
        $events.Count | Should -Be 7
        $file = @(Get-TraceEvent -Path $out | Where-Object { $_ -is [PSTrace.Core.Records.TraceEvent] })
        @($file.TimestampNanoseconds) | Should -Be @($events.TimestampNanoseconds)
        ($live | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'Wrote *' }).Message |
            Should -Match ': 7 event\(s\); 7 went to the pipeline\.$'
    }

    It 'still writes the file when stopped like Ctrl+C' {
        if (Skip-UnlessLive) { return }
        $out = Join-Path $TestDrive 'stopped.dat'
        $script:run = Start-InRunspace "Get-TraceEvent -Name sched:sched_process_exec -OutFile '$out'"
        try {
            Wait-SessionReady | Out-Null
            /bin/true
            Start-Sleep -Milliseconds 500
            $script:run.PowerShell.Stop()
        }
        finally { $script:run.PowerShell.Dispose(); $script:run = $null }
        Test-Path $out | Should -BeTrue
        Get-ChildItem "$out.*" | Should -BeNullOrEmpty
        (Get-TraceEvent -Path $out | Where-Object filename -EQ '/bin/true') | Should -Not -BeNullOrEmpty
        Get-OwnSessionInstance | Should -BeNullOrEmpty
    }

    It 'refuses -OutFile with -TextPath, creating nothing' {
        if (Skip-UnlessLive) { return }
        $out = Join-Path $TestDrive 'text.dat'
        { Get-TraceEvent -Name sched:sched_process_exec -Duration 1 -TextPath -OutFile $out -ErrorAction Stop } | Should -Throw -ErrorId 'OutFileNeedsBinaryPages*'
        Test-Path $out | Should -BeFalse
        Get-OwnSessionInstance | Should -BeNullOrEmpty
    }
}

Describe 'Get-TraceEvent -Path with trace.dat files' {
    It 'reads <File> into typed events' -TestCases @(
        @{ File = '6.18/tracedat-v6.dat'; Events = 1677 }
        @{ File = '6.18/tracedat-v7-none.dat'; Events = 1677 }
        @{ File = '6.18/tracedat-v7-zstd.dat'; Events = 2586 }
    ) {
        param($File, $Events)
        $all = Get-TraceEvent -Path (Join-Path $script:fixtures $File)
        $all.Count | Should -Be $Events
        $switch = $all | Where-Object Name -EQ 'sched_switch' | Select-Object -First 1
        $switch.prev_pid | Should -BeOfType [long]
        $switch.prev_comm | Should -BeOfType [string]
        $switch.System | Should -Be 'sched'
    }

    It 'writes where the kernel lost events' {
        $all = Get-TraceEvent -Path (Join-Path $script:fixtures '6.18/tracedat-v7-lost.dat')
        @($all | Where-Object { $_ -is [PSTrace.Core.Records.TraceLostEvents] }).Count | Should -Be 2
    }

    It 'reads one buffer with -Instance, and names the buffers a file has when asked for another' {
        $file = Join-Path $script:fixtures '6.18/tracedat-v7-none.dat'
        (Get-TraceEvent -Path $file -Instance binary-cap).Count | Should -Be 1677
        Get-TraceEvent -Path $file -Instance '/' | Should -BeNullOrEmpty
        Get-TraceEvent -Path $file -Instance nope -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TraceBufferNotFound*'
        $err[0].Exception.Message | Should -BeLike "*'binary-cap'*"
    }

    It 'builds function_graph records into call trees' {
        $out = Get-TraceEvent -Path (Join-Path $script:fixtures '6.1/tracecmd-fgraph-smp2.dat')
        $calls = @($out | Where-Object { $_ -is [PSTrace.Core.Records.FunctionCall] })
        $calls.Count | Should -BeGreaterThan 0
        $calls.Function | Should -Contain 'vfs_read'
        $read = $calls | Where-Object { $_.Function -eq 'vfs_read' -and $_.Depth -eq 0 -and -not $_.IsEntryLost } | Select-Object -First 1
        $read.Children.Function | Should -Contain 'rw_verify_area'
        $read.DurationNanoseconds | Should -BeGreaterThan ($read.Children | Measure-Object DurationNanoseconds -Sum).Sum
        $out | Where-Object { $_ -is [PSTrace.Core.Records.TraceEvent] -and $_.Name -like 'funcgraph_*' } | Should -BeNullOrEmpty
    }

    It 'stops at -MaxEvents' {
        (Get-TraceEvent -Path (Join-Path $script:fixtures '6.18/tracedat-v6.dat') -MaxEvents 5).Count | Should -Be 5
    }

    It 'names a damaged page in a warning, marks the gap with a TraceLostEvents record, and reads on' {
        # tracedat-v6.dat keeps CPU 1's pages of the binary-cap buffer at 0x3c000 (trace-cmd report --stat
        # says so); the commit word of its third page, at 0x3e008, is made to claim more than a page holds.
        $bytes = [IO.File]::ReadAllBytes((Join-Path $script:fixtures '6.18/tracedat-v6.dat'))
        [BitConverter]::GetBytes([long]0xffffff).CopyTo($bytes, 0x3e008)
        $damaged = Join-Path $TestDrive 'damaged.dat'
        [IO.File]::WriteAllBytes($damaged, $bytes)
        $all = Get-TraceEvent -Path $damaged -ErrorVariable err -ErrorAction SilentlyContinue -WarningVariable warn -WarningAction SilentlyContinue
        $events = @($all | Where-Object { $_ -is [PSTrace.Core.Records.TraceEvent] })
        $events.Count | Should -BeGreaterThan 1500
        $events.Count | Should -BeLessThan 1677
        $err.Count | Should -Be 0
        $warn.Count | Should -Be 1
        "$($warn[0])" | Should -BeLike "*CPU 1's page at offset 0x3e000 cannot be decoded*0x3e008*"
        @($all | Where-Object { $_ -is [PSTrace.Core.Records.TraceLostEvents] -and $_.Cpu -eq 1 }).Count | Should -Be 1
    }

    It 'says where a truncated file ends' {
        $bytes = [IO.File]::ReadAllBytes((Join-Path $script:fixtures '6.18/tracedat-v6.dat'))
        $cut = Join-Path $TestDrive 'cut.dat'
        [IO.File]::WriteAllBytes($cut, $bytes[0..($bytes.Length - 3000)])
        Get-TraceEvent -Path $cut -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TraceDataCorrupt*'
        $err[0].Exception.Message | Should -Match "Truncated: CPU 1's 45056 bytes at 0x3c000 end past the file's 287817 bytes"
    }

    It 'says where damaged metadata is' {
        $bytes = [IO.File]::ReadAllBytes((Join-Path $script:fixtures '6.18/tracedat-v7-none.dat'))
        $cut = Join-Path $TestDrive 'head.dat'
        [IO.File]::WriteAllBytes($cut, $bytes[0..99])
        Get-TraceEvent -Path $cut -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TraceDataCorrupt*'
        $err[0].Exception.Message | Should -Match 'offset 0x'
    }
}
