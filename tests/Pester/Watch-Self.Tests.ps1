# Watch-Open and Watch-Exec leave out the pwsh running them (its own set-up writes and /proc reads)
# unless -IncludeSelf is given or the pwsh is asked for by -ProcessId.
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    $script:file = "/tmp/pstrace-self-$PID.txt"
    Set-Content $file 'self'
}

AfterAll {
    Remove-Item $script:file -ErrorAction Ignore
}

Describe 'Watch-Open and the watching process' {
    It 'leaves out this pwsh''s own opens by default, and keeps a child''s' {
        if (Skip-UnlessLive) { return }
        $r = Invoke-WatchRun "Watch-Open -Duration 6" { [IO.File]::ReadAllText($file) | Out-Null; /bin/cat $file | Out-Null; Start-Sleep 1 }
        $mine = @($r.Output | Where-Object { $_.Path -eq $file })
        @($mine | Where-Object ProcessId -eq $PID) | Should -BeNullOrEmpty
        @($mine | Where-Object Command -eq 'cat').Count | Should -Be 1
        @($r.Output | Where-Object { $_ -is [PSTrace.Core.Records.OpenEvent] -and $_.ProcessId -eq $PID }) | Should -BeNullOrEmpty
        $r.Verbose.Message -join "`n" | Should -Match "but process $PID"
    }

    It 'keeps them with -IncludeSelf' {
        if (Skip-UnlessLive) { return }
        $r = Invoke-WatchRun "Watch-Open -Duration 6 -IncludeSelf" { [IO.File]::ReadAllText($file) | Out-Null; Start-Sleep 1 }
        @($r.Output | Where-Object { $_.Path -eq $file -and $_.ProcessId -eq $PID }).Count | Should -BeGreaterOrEqual 1
    }

    It 'keeps them when -ProcessId names this pwsh' {
        if (Skip-UnlessLive) { return }
        $r = Invoke-WatchRun "Watch-Open -ProcessId $PID -Duration 6" { [IO.File]::ReadAllText($file) | Out-Null; Start-Sleep 1 }
        @($r.Output | Where-Object { $_.Path -eq $file -and $_.ProcessId -eq $PID }).Count | Should -BeGreaterOrEqual 1
    }
}

Describe 'Watch-Exec and the watching process' {
    It 'has -IncludeSelf and still shows the programs this pwsh starts' {
        if (Skip-UnlessLive) { return }
        (Get-Command Watch-Exec).Parameters.ContainsKey('IncludeSelf') | Should -BeTrue
        $r = Invoke-WatchRun "Watch-Exec -Duration 6" { /bin/true self-test-$PID; Start-Sleep 1 }
        @($r.Output | Where-Object { $_ -is [PSTrace.Core.Records.ExecEvent] -and $_.ProcessId -eq $PID }) | Should -BeNullOrEmpty
        @($r.Output | Where-Object { $_.CommandLine -like "*self-test-$PID*" }).Count | Should -Be 1
    }
}
