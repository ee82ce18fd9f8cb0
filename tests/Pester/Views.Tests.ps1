# Every default table view must stay readable in a default terminal (80 columns): one line per record,
# the long column last, unsized and cut (as Get-Process does), never wrapped into a column a few
# characters wide. Rendered with real records: saved fixtures, and live objects where cheap.
BeforeDiscovery {
    $script:formatFile = Join-Path $PSScriptRoot '../../src/PSTrace/PSTrace.format.ps1xml'
    [xml]$doc = Get-Content $formatFile -Raw
    $script:tableViews = @($doc.Configuration.ViewDefinitions.View | Where-Object { $_.TableControl } | ForEach-Object {
            @{ View = $_.Name; Headers = @($_.TableControl.TableHeaders.TableColumnHeader); Wraps = $null -ne $_.TableControl.TableRowEntries.TableRowEntry.Wrap }
        })
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    $script:fixtures = Join-Path $PSScriptRoot '../fixtures'

    # A watcher run over a saved capture, set up as a session numbered 1 sets it up (what the xunit fixture tests do).
    function Get-WatchFixtureRecord([PSTrace.Core.Tools.TraceWatcher]$Watcher, [string]$Fixture) {
        $catalog = [PSTrace.Core.Formats.EventFormatCatalog]::Load((Join-Path $fixtures '6.18/watch/formats'))
        $Watcher.Configure([PSTrace.Core.Tools.WatchSetup]::ForSavedTrace($catalog, $null, 1))
        $reader = [IO.StreamReader]::new((Join-Path $fixtures "6.18/watch/$Fixture"))
        try { @($Watcher.Correlate([PSTrace.Core.Text.TraceTextReader]::Read($reader, $catalog))) }
        finally { $reader.Dispose() }
    }

    # Lines of the rendered table, without the blank lines Format-Table puts around it.
    function Get-RenderedLine([object[]]$Records, [int]$Width) {
        @(($Records | Format-Table | Out-String -Width $Width) -split "`r?`n" | Where-Object { $_.Trim() })
    }
}

Describe 'Default table views at 80 columns (<View>)' -ForEach $tableViews {
    It 'do not wrap: a long value is cut, the full text is in Format-List or -View Wide' {
        $Wraps | Should -BeFalse
    }

    It 'leave the last column at least 20 characters at 80 columns' {
        # Sized columns plus one space between columns; the last (unsized) column gets the rest.
        $sized = @($Headers | Where-Object { $_.Width })
        $used = ($sized | ForEach-Object { [int]$_.Width } | Measure-Object -Sum).Sum + $sized.Count
        if ($sized.Count -eq $Headers.Count) { $used - 1 | Should -BeLessOrEqual 79 }
        else {
            $Headers[-1].Width | Should -BeNullOrEmpty -Because 'the long column is last and unsized'
            79 - $used | Should -BeGreaterOrEqual 20
        }
    }
}

Describe 'Views rendered with real records' {
    BeforeAll {
        $script:cases = [ordered]@{
            TraceEvent  = @(Get-TraceEvent -Path (Join-Path $fixtures '6.18/trace-default.txt') -MaxEvents 30)
            FunctionCall = @(Get-TraceEvent -Path (Join-Path $fixtures '6.1/fgraph-vfs_read-default.txt') -Flat -MaxEvents 20)
            FunctionHit = @(Get-TraceEvent -Path (Join-Path $fixtures '6.1/function-filter.txt') -MaxEvents 20)
            ExecEvent   = @(Get-WatchFixtureRecord ([PSTrace.Core.Tools.Exec.ExecWatcher]::new(20)) 'exec-open-trace.txt' | Where-Object { $_ -is [PSTrace.Core.Records.ExecEvent] })
            OpenEvent   = @(Get-WatchFixtureRecord ([PSTrace.Core.Tools.Open.OpenWatcher]::new($false)) 'exec-open-trace.txt' | Where-Object { $_ -is [PSTrace.Core.Records.OpenEvent] })
            BlockIoEvent = @(Get-WatchFixtureRecord ([PSTrace.Core.Tools.BlockIo.BlockIoWatcher]::new()) 'block-trace.txt' | Where-Object { $_ -is [PSTrace.Core.Records.BlockIoEvent] })
            EventFormat = @(Get-TraceEventType 'sched:*')
        }
        if (-not (Get-LiveSkipReason)) {
            $cases.TraceFeature = @(Get-TraceCapability)
        }
    }

    It 'render <_> one line per record at 80 and 120 columns, as at 200' -ForEach @('TraceEvent', 'FunctionCall', 'FunctionHit', 'ExecEvent', 'OpenEvent', 'BlockIoEvent', 'EventFormat', 'TraceFeature') {
        if (-not $cases.Contains($_)) { Set-ItResult -Skipped -Because 'needs a live tracefs'; return }
        $records = $cases[$_]
        $records.Count | Should -BeGreaterThan 0
        $wide = Get-RenderedLine $records 200
        $wide.Count | Should -Be ($records.Count + 2) -Because 'a header, its underline and one line per record'
        foreach ($width in 80, 120) {
            $lines = Get-RenderedLine $records $width
            $lines.Count | Should -Be $wide.Count -Because "no record takes more lines at $width columns than at 200"
            $lines | Where-Object { $_.Length -gt $width } | Should -BeNullOrEmpty
            # Every column of the 200-column header is still there (none dropped for lack of room).
            ($lines[0] -split '\s+' | Where-Object { $_ }).Count | Should -Be ($wide[0] -split '\s+' | Where-Object { $_ }).Count
        }
    }

    It 'shows the Body of a TraceEvent in at least 20 columns at 80' {
        $line = (Get-RenderedLine $cases.TraceEvent 80)[0]
        80 - $line.IndexOf('Body') | Should -BeGreaterOrEqual 20
    }

    It 'keeps the full layout as -View Wide' {
        $text = $cases.OpenEvent | Format-Table -View Wide | Out-String -Width 200
        $text | Should -Match 'FLAGS'
        $cases.TraceEvent | Format-Table -View Wide | Out-String -Width 200 | Should -Match 'Command\s+PID'
    }
}

Describe 'Live records at 80 columns' {
    It 'renders Get-TraceInstance and Enable-TraceEvent output one line per instance' {
        if (Skip-UnlessLive) { return }
        $name = "pester-views-$PID"
        New-TraceInstance -Name $name | Out-Null
        try {
            $states = @(Enable-TraceEvent -Instance $name -Name sched:sched_process_exec, sched:sched_process_exit, sched:sched_process_fork, syscalls:sys_enter_openat -Filter 'common_pid != 1' -PassThru)
            $instance = @(Get-TraceInstance -Name $name)
            foreach ($records in @($instance), $states) {
                $wide = Get-RenderedLine $records 200
                foreach ($width in 80, 120) {
                    (Get-RenderedLine $records $width).Count | Should -Be $wide.Count
                }
            }
            # EnabledEvents, the long column, keeps at least 20 characters at 80.
            $header = (Get-RenderedLine $instance 80)[0]
            80 - $header.IndexOf('EnabledEvents') | Should -BeGreaterOrEqual 20
        }
        finally { Remove-TraceInstance -Name $name -Confirm:$false }
    }
}
