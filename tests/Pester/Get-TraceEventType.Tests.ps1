BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
}

Describe 'Get-TraceEventType' {
    It 'returns an event with its fields from the format file' {
        if (Skip-UnlessLive) { return }
        $e = Get-TraceEventType sched:sched_process_exec
        $e.FullName | Should -Be 'sched:sched_process_exec'
        $e.Id | Should -Be ([int](Select-String -Path /sys/kernel/tracing/events/sched/sched_process_exec/format -Pattern '^ID: (\d+)').Matches[0].Groups[1].Value)
        $e.Fields.Name | Should -Be @('filename', 'pid', 'old_pid')
        ($e.Fields | Where-Object Name -eq filename).Layout | Should -Be 'DataLoc'
    }

    It 'expands wildcards in system and event' {
        if (Skip-UnlessLive) { return }
        $names = (Get-TraceEventType 'sched:*exec*').FullName
        $names | Should -Contain 'sched:sched_process_exec'
        $names | ForEach-Object { $_ | Should -BeLike 'sched:*exec*' }
    }

    It 'matches an event name in any system' {
        if (Skip-UnlessLive) { return }
        (Get-TraceEventType sched_switch).FullName | Should -Be 'sched:sched_switch'
    }

    It 'takes names from the pipeline' {
        if (Skip-UnlessLive) { return }
        ('sched:sched_switch', 'sched:sched_wakeup' | Get-TraceEventType).Count | Should -Be 2
    }

    It 'writes a clear error for an unknown event and goes on with the rest' {
        if (Skip-UnlessLive) { return }
        $out = Get-TraceEventType 'nosuch:event', 'sched:sched_switch' -ErrorVariable err -ErrorAction SilentlyContinue
        $out.FullName | Should -Be 'sched:sched_switch'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'EventNotFound*'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'Get-TraceEventType'
    }

    It 'rejects names that could leave the events directory' {
        if (Skip-UnlessLive) { return }
        Get-TraceEventType '../../x' -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidEventName*'
    }

    It 'completes event names with Tab' {
        if (Skip-UnlessLive) { return }
        $line = 'Get-TraceEventType sched:sched_process_ex'
        $c = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $c.CompletionMatches.CompletionText | Should -Contain 'sched:sched_process_exec'
    }
}
