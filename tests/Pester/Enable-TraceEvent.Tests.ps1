BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    $script:name = "pester-ev-$PID"
    $script:dir = "/sys/kernel/tracing/instances/$script:name"
}

AfterAll {
    # rmdir, as tracefs wants (Remove-Item would ask about the instance's files).
    if (Test-Path $script:dir) { [IO.Directory]::Delete($script:dir) }
}

Describe 'Enable-TraceEvent and Disable-TraceEvent' {
    BeforeEach {
        if (-not (Get-LiveSkipReason) -and -not (Test-Path $script:dir)) { New-TraceInstance $script:name | Out-Null }
    }

    It 'enables an event with a filter in an instance, leaving the top level alone' {
        if (Skip-UnlessLive) { return }
        $top = Get-TopLevelEnabledEvent
        $s = Enable-TraceEvent sched:sched_process_exec -Instance $script:name -Filter 'pid > 1' -PassThru
        $s.Enabled | Should -BeTrue
        $s.Filter | Should -Be 'pid > 1'
        (Get-Content "$script:dir/events/sched/sched_process_exec/enable") | Should -Be '1'
        Get-TopLevelEnabledEvent | Should -Be $top
    }

    It 'adds and clears a trigger' {
        if (Skip-UnlessLive) { return }
        Enable-TraceEvent sched:sched_process_fork -Instance $script:name -Trigger 'stacktrace'
        (Get-Content "$script:dir/events/sched/sched_process_fork/trigger") -join "`n" | Should -Match 'stacktrace'
        $s = Disable-TraceEvent sched:sched_process_fork -Instance $script:name -Clear -PassThru
        $s.Enabled | Should -BeFalse
        $s.Triggers | Should -BeNullOrEmpty
    }

    It 'takes events from Get-TraceEventType with wildcards' {
        if (Skip-UnlessLive) { return }
        Get-TraceEventType 'sched:sched_wak*' | Enable-TraceEvent -Instance $script:name
        $set = Get-Content "$script:dir/set_event"
        $set | Should -Contain 'sched:sched_wakeup'
        Disable-TraceEvent 'sched:sched_wak*' -Instance $script:name
        Get-Content "$script:dir/set_event" | Should -Not -Contain 'sched:sched_wakeup'
    }

    It 'does nothing under -WhatIf' {
        if (Skip-UnlessLive) { return }
        Enable-TraceEvent sched:sched_switch -Instance $script:name -WhatIf
        Get-Content "$script:dir/events/sched/sched_switch/enable" | Should -Be '0'
    }

    It 'reports a malformed filter with the kernel''s words and changes nothing' {
        if (Skip-UnlessLive) { return }
        $before = Get-Content "$script:dir/events/sched/sched_switch/filter"
        Enable-TraceEvent sched:sched_switch -Instance $script:name -Filter 'no_such_field == 1' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'KernelRejected*'
        $err[0].Exception.Message | Should -Match 'no_such_field'
        Get-Content "$script:dir/events/sched/sched_switch/enable" | Should -Be '0'
        Get-Content "$script:dir/events/sched/sched_switch/filter" | Should -Be $before
    }

    It 'refuses a filter with a newline before anything reaches the kernel' {
        if (Skip-UnlessLive) { return }
        Enable-TraceEvent sched:sched_switch -Instance $script:name -Filter "prev_pid == 1`n0" -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ControlCharacterInInput*'
        Get-Content "$script:dir/events/sched/sched_switch/enable" | Should -Be '0'
        Get-Content "$script:dir/events/sched/sched_switch/filter" | Should -Be 'none'
    }

    It 'reports an unknown event and an unknown instance' {
        if (Skip-UnlessLive) { return }
        Enable-TraceEvent nosuch:event -Instance $script:name -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'EventNotFound*'
        { Enable-TraceEvent sched:sched_switch -Instance 'pester-no-such-instance' -ErrorAction Stop } | Should -Throw -ErrorId 'InstanceNotFound*'
    }
}
