BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    $script:fixtures = Join-Path $PSScriptRoot '../fixtures'
}

Describe 'Get-TraceEvent live session' {
    AfterEach {
        if ($script:run) { $script:run.PowerShell.Dispose(); $script:run = $null }
    }

    It 'reads the exec of /bin/true back as an object whose filename is /bin/true' {
        if (Skip-UnlessLive) { return }
        $top = Get-TopLevelEnabledEvent
        $script:run = Start-InRunspace "Get-TraceEvent -Name sched:sched_process_exec -Filter 'filename == ""/bin/true""' -MaxEvents 1 -Duration 30"
        $instance = Wait-SessionReady
        /bin/true
        $events = $script:run.PowerShell.EndInvoke($script:run.Handle)
        $events.Count | Should -Be 1
        $e = $events[0]
        $e.Name | Should -Be 'sched_process_exec'
        $e.System | Should -Be 'sched'
        $e.filename | Should -Be '/bin/true'
        $e.Fields['filename'] | Should -Be '/bin/true'
        $e.pid | Should -BeOfType [long]
        $e.Command | Should -Be 'true'
        $e.Timestamp | Should -BeGreaterThan 0
        Test-Path "/sys/kernel/tracing/instances/$instance" | Should -BeFalse
        Get-TopLevelEnabledEvent | Should -Be $top
    }

    It 'keeps only the events the kernel filter matches' {
        if (Skip-UnlessLive) { return }
        $script:run = Start-InRunspace "Get-TraceEvent -Name sched:sched_process_exec -Filter 'filename == ""/bin/true""' -Duration 4"
        Wait-SessionReady | Out-Null
        /bin/echo hi | Out-Null; /bin/true; /bin/ls / | Out-Null; /bin/true
        $events = $script:run.PowerShell.EndInvoke($script:run.Handle)
        $events.Count | Should -Be 2
        $events.filename | Sort-Object -Unique | Should -Be '/bin/true'
    }

    It 'cleans up when stopped like Ctrl+C' {
        if (Skip-UnlessLive) { return }
        $script:run = Start-InRunspace 'Get-TraceEvent -Name sched:sched_process_exec'
        $instance = Wait-SessionReady
        $script:run.PowerShell.Stop()
        Test-Path "/sys/kernel/tracing/instances/$instance" | Should -BeFalse
        Get-OwnSessionInstance | Should -BeNullOrEmpty
    }

    It 'cleans up when the pipeline stops early (Select-Object -First 1)' {
        if (Skip-UnlessLive) { return }
        $script:run = Start-InRunspace 'Get-TraceEvent -Name sched:sched_process_exec | Select-Object -First 1'
        $instance = Wait-SessionReady
        /bin/true
        $events = $script:run.PowerShell.EndInvoke($script:run.Handle)
        $events.Count | Should -Be 1
        Test-Path "/sys/kernel/tracing/instances/$instance" | Should -BeFalse
    }

    It 'cleans up when the pipeline throws' {
        if (Skip-UnlessLive) { return }
        $script:run = Start-InRunspace 'Get-TraceEvent -Name sched:sched_process_exec | ForEach-Object { throw "boom" }'
        $instance = Wait-SessionReady
        /bin/true
        { $script:run.PowerShell.EndInvoke($script:run.Handle) } | Should -Throw '*boom*'
        Test-Path "/sys/kernel/tracing/instances/$instance" | Should -BeFalse
    }

    It 'rejects an unknown event, creating nothing' {
        if (Skip-UnlessLive) { return }
        $before = (Get-ChildItem /sys/kernel/tracing/instances).Name
        { Get-TraceEvent -Name nosuch:event -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'EventNotFound*'
        (Get-ChildItem /sys/kernel/tracing/instances).Name | Should -Be $before
    }

    It 'rejects a malformed filter with the kernel''s message, leaving nothing behind' {
        if (Skip-UnlessLive) { return }
        $err = { Get-TraceEvent -Name sched:sched_process_exec -Filter 'nosuchfield == 1' -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'KernelRejected*' -PassThru
        $err.Exception.Message | Should -Match 'nosuchfield'
        Get-OwnSessionInstance | Should -BeNullOrEmpty
    }
}

Describe 'Get-TraceEvent from a buffer' {
    It 'snapshots and follows an instance' {
        if (Skip-UnlessLive) { return }
        $name = "pester-get-$PID"
        New-TraceInstance $name | Out-Null
        try {
            Enable-TraceEvent sched:sched_process_exec -Instance $name
            /bin/true
            $snap = Get-TraceEvent -Instance $name | Where-Object Name -eq 'sched_process_exec'
            $snap.filename | Should -Contain '/bin/true'
            # A snapshot does not consume: reading again gives the same events.
            (Get-TraceEvent -Instance $name | Where-Object Name -eq 'sched_process_exec').Count | Should -Be $snap.Count
            $follow = Get-TraceEvent -Instance $name -Follow -Duration 1 | Where-Object Name -eq 'sched_process_exec'
            $follow.filename | Should -Contain '/bin/true'
        }
        finally { Remove-TraceInstance $name -Confirm:$false }
    }
}

Describe 'Get-TraceEvent -Path' {
    It 'reads a saved trace file into typed events' {
        $file = Join-Path $script:fixtures '6.18/trace-default.txt'
        $events = Get-TraceEvent -Path $file
        $events.Count | Should -BeGreaterThan 0
        $events | Where-Object { $_ -isnot [PSTrace.Core.Records.TraceEvent] -and $_ -isnot [PSTrace.Core.Records.TraceLostEvents] } | Should -BeNullOrEmpty
    }

    It 'stops at -MaxEvents' {
        $file = Join-Path $script:fixtures '6.18/trace-default.txt'
        (Get-TraceEvent -Path $file -MaxEvents 3).Count | Should -Be 3
    }

    It 'reports a missing file' {
        Get-TraceEvent -Path '/nonexistent/trace.txt' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TraceFileNotFound*'
    }
}
