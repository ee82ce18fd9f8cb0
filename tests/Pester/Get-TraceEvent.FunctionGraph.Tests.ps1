# The offline twin of Start-FunctionGraph and Start-FunctionTrace: Get-TraceEvent -Path on saved
# function_graph and function tracer text (real 6.1 captures), and the views of their records.
# The hand-checked values are those of the engine tests (FunctionGraphTreeTests).
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    $script:fixtures = Join-Path $PSScriptRoot '../fixtures/6.1'
    $script:default = Join-Path $fixtures 'fgraph-vfs_read-default.txt'
}

Describe 'Get-TraceEvent -Path on function_graph text' {
    It 'gives FunctionCall trees: the first vfs_read by hand' {
        $trees = Get-TraceEvent -Path $default
        $trees.Count | Should -Be 8
        $trees | ForEach-Object { $_ | Should -BeOfType PSTrace.Core.Records.FunctionCall }
        $trees.Function | Sort-Object -Unique | Should -Be 'vfs_read'
        $first = $trees[0]
        $first.DurationNanoseconds | Should -Be 830043
        $first.SelfTimeNanoseconds | Should -Be 592168 # 830.043 - (191.877 + 1.982 + 44.016) us
        $first.Children.Function | Should -Be @('rw_verify_area', '__get_task_ioprio', 'generic_file_read_iter')
        $first.Children.DurationNanoseconds | Should -Be @(191877, 1982, 44016)
        $security = $first.Children[0].Children | Where-Object Function -eq 'security_file_permission'
        $security.DurationNanoseconds | Should -Be 173670
        $security.GetParent().Function | Should -Be 'rw_verify_area'
    }

    It 'gives one object per call with -Flat, ready for Group-Object and Measure-Object' {
        $flat = Get-TraceEvent -Path $default -Flat
        $callLines = @(Get-Content $default | Where-Object { $_ -match '\(\)( \{|;)$' }).Count
        $flat.Count | Should -Be $callLines
        $flat.Count | Should -Be 220
        $trees = Get-TraceEvent -Path $default
        $flat.Count | Should -Be (($trees | ForEach-Object { @($_.GetDescendantsAndSelf()).Count } | Measure-Object -Sum).Sum)
        ($flat | Group-Object Function | Where-Object Name -eq 'vfs_read').Count | Should -Be 8
        ($flat | Where-Object Depth -eq 0 | Measure-Object DurationNanoseconds -Sum).Sum | Should -Be (($trees | Measure-Object DurationNanoseconds -Sum).Sum)
        ($flat | Where-Object Function -eq 'rw_verify_area')[0].DurationNanoseconds | Should -Be 191877
    }

    It 'reads trace_pipe text (no header), trace-cmd report and two CPUs' {
        (Get-TraceEvent -Path (Join-Path $fixtures 'fgraph-vfs_read-trace_pipe.txt') | Where-Object { $_ -is [PSTrace.Core.Records.FunctionCall] }).Function |
            Sort-Object -Unique | Should -Be 'vfs_read'
        $report = Get-TraceEvent -Path (Join-Path $fixtures 'tracecmd-report-fgraph.txt')
        $report | Where-Object { $_ -is [PSTrace.Core.Records.FunctionCall] } | Should -Not -BeNullOrEmpty
        $report | Where-Object { $_ -is [PSTrace.Core.Records.TraceLostEvents] } | Should -Not -BeNullOrEmpty # "CPU:0 [EVENTS DROPPED]"
        $smp = Get-TraceEvent -Path (Join-Path $fixtures 'fgraph-smp2-proc-abstime.txt')
        ($smp.Cpu | Sort-Object -Unique) | Should -Be @(0, 1)
        $smp | ForEach-Object { $root = $_; $_.GetDescendantsAndSelf() | ForEach-Object { $_.ProcessId | Should -Be $root.ProcessId } }
    }

    It 'stops at -MaxEvents trees' {
        (Get-TraceEvent -Path $default -MaxEvents 3).Count | Should -Be 3
    }
}

Describe 'Get-TraceEvent -Path on function tracer text' {
    It 'gives FunctionHit objects' {
        $hits = Get-TraceEvent -Path (Join-Path $fixtures 'function-filter.txt')
        $hits.Count | Should -Be 27 # entries-in-buffer/entries-written: 27/27
        $hits | ForEach-Object { $_ | Should -BeOfType PSTrace.Core.Records.FunctionHit }
        $hits[0].Function | Should -Be 'do_sys_openat2'
        $hits[0].Parent | Should -Be '__x64_sys_openat'
        $hits[0].ProcessId | Should -Be 385
        ($hits | Group-Object Function -NoElement | Sort-Object Name).Name | Should -Be @('do_sys_openat2', 'ksys_read', 'vfs_read', 'vfs_write')
    }

    It 'still reads event traces as events' {
        $events = Get-TraceEvent -Path (Join-Path $PSScriptRoot '../fixtures/6.18/trace-default.txt') -MaxEvents 5
        $events | ForEach-Object { $_.GetType().Name | Should -BeIn @('TraceEvent', 'TraceLostEvents') }
    }
}

Describe 'The FunctionCall and FunctionHit views' {
    BeforeAll {
        $script:flat = Get-TraceEvent -Path $default -Flat -MaxEvents 12
        $script:tree = Get-TraceEvent -Path $default -MaxEvents 1
        $script:hits = Get-TraceEvent -Path (Join-Path $fixtures 'function-filter.txt') -MaxEvents 3
    }

    It 'indents each call by its depth, with its duration, like the kernel''s graph' {
        $lines = ($flat | Format-Table | Out-String -Width 120) -split "`n"
        $lines | Should -Contain '  0                      830.043 us vfs_read() {'
        $lines | Should -Contain '  0                      191.877 us   rw_verify_area() {'
        $lines | Should -Contain '  0                       32.659 us           __rcu_read_lock();'
    }

    It 'lays a whole tree out as the kernel does with Format-Custom -View Tree' {
        $text = $tree | Format-Custom -View Tree | Out-String -Width 120
        $text | Should -Match '(?m)^  0\)               \|  vfs_read\(\) \{$'
        $text | Should -Match '(?m)^  0\)      1\.802 us \|        bpf_lsm_file_permission\(\);$'
        $text | Should -Match '(?m)^  0\)    830\.043 us \|  \} /\* vfs_read \*/$'
        @($text -split "`n" | Where-Object { $_ -match '\|' }).Count | Should -Be (@($tree.GetDescendantsAndSelf()).Count + @($tree.GetDescendantsAndSelf() | Where-Object { -not $_.IsLeaf }).Count)
    }

    It 'shows a hit as the function tracer prints it' {
        $text = $hits | Format-Table | Out-String -Width 120
        $text | Should -Match 'cat-385\s+\[000\]\s+216\.375196 do_sys_openat2\s+__x64_sys_openat'
    }

    It 'applies to deserialized records (remoting, Import-Clixml)' {
        $file = Join-Path ([IO.Path]::GetTempPath()) "pstrace-fg-$PID.xml"
        try {
            $flat | Export-Clixml $file
            $back = Import-Clixml $file
            $back[0].pstypenames | Should -Contain 'Deserialized.PSTrace.Core.Records.FunctionCall'
            ($back | Format-Table | Out-String -Width 120) -split "`n" | Should -Contain '  0                      191.877 us   rw_verify_area() {'
            $hits | Export-Clixml $file
            $backHits = Import-Clixml $file
            $backHits[0].pstypenames | Should -Contain 'Deserialized.PSTrace.Core.Records.FunctionHit'
            ($backHits | Format-Table | Out-String -Width 120) | Should -Match 'cat-385\s+\[000\]\s+216\.375196 do_sys_openat2'
        }
        finally { Remove-Item $file -ErrorAction Ignore }
    }

    It 'serializes a tree without cycles (ConvertTo-Json walks down only)' {
        $json = $tree | ConvertTo-Json -Depth 30 -Compress
        ($json | ConvertFrom-Json).Children[0].Function | Should -Be 'rw_verify_area'
    }
}
