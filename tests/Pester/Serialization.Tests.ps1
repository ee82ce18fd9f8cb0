# Records travel: Export-Clixml/Import-Clixml and remoting (a job uses the same serializer and default
# depth) must bring a FunctionCall tree back whole, so the Tree view lays it out as before.
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    # Real function_graph output of Debian's 6.1 kernel: its deepest tree nests 23 calls (998 calls in all).
    $script:graph = Join-Path $PSScriptRoot '../fixtures/6.1/fgraph-openat2-full.txt'
    function Get-DeepestTree([string]$Path) {
        Get-TraceEvent -Path $Path | Sort-Object { ($_.GetDescendantsAndSelf() | Measure-Object Depth -Maximum).Maximum } -Descending | Select-Object -First 1
    }
    $script:tree = Get-DeepestTree $graph
    $script:expected = $tree | Format-Custom -View Tree | Out-String -Width 200
}

Describe 'A FunctionCall tree serialized' {
    It 'is deep enough to need more than the default depth' {
        ($tree.GetDescendantsAndSelf() | Measure-Object Depth -Maximum).Maximum | Should -BeGreaterThan 10
    }

    It 'survives Export-Clixml and Import-Clixml at the default depth' {
        $file = Join-Path ([IO.Path]::GetTempPath()) "pstrace-tree-$PID.xml"
        try {
            $tree | Export-Clixml $file
            $back = Import-Clixml $file
            $back.pstypenames | Should -Contain 'Deserialized.PSTrace.Core.Records.FunctionCall'
            $deepest = $back
            while ($deepest.Children.Count -gt 0) { $deepest = $deepest.Children[-1] }
            $deepest | Should -Not -BeOfType [string]
            ($back | Format-Custom -View Tree | Out-String -Width 200) | Should -BeExactly $expected
        }
        finally { Remove-Item $file -ErrorAction Ignore }
    }

    It 'survives the remoting serializer (a job)' {
        $back = Start-Job {
            param($module, $path)
            Import-Module $module
            Get-TraceEvent -Path $path | Sort-Object { ($_.GetDescendantsAndSelf() | Measure-Object Depth -Maximum).Maximum } -Descending | Select-Object -First 1
        } -ArgumentList $env:PSTRACE_MODULE, $graph | Wait-Job | Receive-Job -AutoRemoveJob -Wait
        $back.pstypenames | Should -Contain 'Deserialized.PSTrace.Core.Records.FunctionCall'
        ($back | Format-Custom -View Tree | Out-String -Width 200) | Should -BeExactly $expected
    }
}

Describe 'Records in Export-Csv' {
    BeforeAll {
        # Real ExecEvents: the exec watcher over a saved capture (tests/fixtures/6.18/watch).
        $catalog = [PSTrace.Core.Formats.EventFormatCatalog]::Load((Join-Path $PSScriptRoot '../fixtures/6.18/watch/formats'))
        $watcher = [PSTrace.Core.Tools.Exec.ExecWatcher]::new(20)
        $watcher.Configure([PSTrace.Core.Tools.WatchSetup]::ForSavedTrace($catalog, $null, 1))
        $reader = [IO.StreamReader]::new((Join-Path $PSScriptRoot '../fixtures/6.18/watch/exec-open-trace.txt'))
        $script:execs = @($watcher.Correlate([PSTrace.Core.Text.TraceTextReader]::Read($reader, $catalog)) | Where-Object { $_ -is [PSTrace.Core.Records.ExecEvent] })
        $reader.Dispose()
        $script:csv = Join-Path ([IO.Path]::GetTempPath()) "pstrace-csv-$PID.csv"
    }
    AfterAll { Remove-Item $script:csv -ErrorAction Ignore }

    It 'keeps the command line as text and the kernel time to the nanosecond' {
        $execs.Count | Should -BeGreaterThan 0
        $execs | Export-Csv $csv
        $rows = @(Import-Csv $csv)
        $rows.Count | Should -Be $execs.Count
        for ($i = 0; $i -lt $rows.Count; $i++) {
            $rows[$i].CommandLine | Should -Be $execs[$i].CommandLine
            [decimal]::Parse($rows[$i].Timestamp, [cultureinfo]::InvariantCulture) | Should -Be $execs[$i].Timestamp
            $rows[$i].Timestamp | Should -Match '^\d+\.\d+$' -Because 'the fraction of a second is kept'
        }
    }

    It 'leaves Time empty for a saved trace whose clock offset is unknown' {
        $execs | ForEach-Object { $_.Time | Should -BeNullOrEmpty }
        $execs[0].Timestamp | Should -Be ([decimal]$execs[0].TimestampNanoseconds / 1000000000)
    }
}

Describe 'Wall-clock time of a TraceEvent' {
    It 'is set for a live session, from the mono clock and its offset at the start' {
        if (Skip-UnlessLive) { return }
        $before = [datetime]::Now
        $run = Start-InRunspace "Get-TraceEvent -Name sched:sched_process_exec -Filter 'filename == ""/bin/true""' -MaxEvents 1 -Duration 30"
        try {
            Wait-SessionReady | Out-Null
            Start-Sleep -Milliseconds 300
            $ran = [datetime]::Now
            /bin/true
            $e = @($run.PowerShell.EndInvoke($run.Handle))
        }
        finally { $run.PowerShell.Dispose() }
        $e.Count | Should -Be 1
        $e[0].Time | Should -BeOfType [datetime]
        $e[0].Time.Kind | Should -Be 'Local'
        # The exec came after $ran and before now; allow for the clocks' read-out granularity.
        $e[0].Time | Should -BeGreaterThan $ran.AddMilliseconds(-50)
        $e[0].Time | Should -BeLessOrEqual ([datetime]::Now)
        $e[0].Timestamp | Should -BeGreaterThan 0
    }

    It 'is null for a saved trace, whose clock offset is unknown' {
        $events = @(Get-TraceEvent -Path (Join-Path $PSScriptRoot '../fixtures/6.18/trace-default.txt') -MaxEvents 3)
        $events | ForEach-Object { $_.Time | Should -BeNullOrEmpty }
    }
}
