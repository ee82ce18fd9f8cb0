BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
}

Describe 'Get-TraceCapability' {
    It 'reports tracefs, tracepoints and uprobes on this kernel' {
        if (Skip-UnlessLive) { return }
        $f = Get-TraceCapability -NoTracerCheck
        ($f | Where-Object Name -eq 'Tracefs').Available | Should -BeTrue
        ($f | Where-Object Name -eq 'Tracepoints').Detail | Should -Match '^\d+ events$'
        ($f | Where-Object Name -eq 'Uprobes').Available | Should -Be (Test-Path /sys/kernel/tracing/uprobe_events)
    }

    It 'says why kprobes are missing when kprobe_events is absent' {
        if (Skip-UnlessLive) { return }
        $k = Get-TraceCapability -Name Kprobes -NoTracerCheck
        $k.Available | Should -Be (Test-Path /sys/kernel/tracing/kprobe_events)
        if (-not $k.Available) {
            $k.Detail | Should -Match 'CONFIG_KPROBES'
            $k.Fix | Should -Match 'Uprobes'
        }
    }

    It 'tries tracers for real and reports a listed tracer the kernel refuses' {
        if (Skip-UnlessLive) { return }
        $listed = (Get-Content /sys/kernel/tracing/available_tracers) -split '\s+'
        $tracers = Get-TraceCapability -Name 'Tracer:*'
        $graph = $tracers | Where-Object Name -eq 'Tracer:function_graph'
        $graph.Available | Should -Be ($listed -contains 'function_graph')
        if ('function_graph' -notin $listed) { $graph.Detail | Should -Match 'CONFIG_FUNCTION_GRAPH_TRACER' }
        # The check runs in a throwaway instance and leaves none behind.
        Get-OwnSessionInstance | Should -BeNullOrEmpty
    }

    It 'filters by name with wildcards' {
        if (Skip-UnlessLive) { return }
        $names = (Get-TraceCapability -Name 'Tracer:wake*' -NoTracerCheck).Name
        $names | Should -Not -BeNullOrEmpty
        $names | ForEach-Object { $_ | Should -BeLike 'Tracer:wake*' }
    }
}
