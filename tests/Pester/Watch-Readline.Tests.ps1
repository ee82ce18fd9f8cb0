BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest

    # Types lines into an interactive bash on a pseudo-terminal (script(1)), as a person would; returns bash's
    # pid, which the first line writes to a file.
    function Invoke-InteractiveBash([string[]] $Lines, [string] $PidFile) {
        $typed = (@("echo `$`$ > $PidFile") + $Lines + 'exit') -join "`n"
        $typed + "`n" | /usr/bin/script -qc '/bin/bash --norc --noprofile -i' /dev/null | Out-Null
        [int](Get-Content $PidFile)
    }
}

Describe 'Watch-Readline' {
    AfterEach {
        if (-not (Get-LiveSkipReason)) {
            Get-OwnSessionInstance | Should -BeNullOrEmpty
            Get-OwnSessionProbe | Should -BeNullOrEmpty
        }
    }

    It 'shows each line typed at an interactive bash, as typed, in order' {
        if (Skip-UnlessLive) { return }
        $tag = "pstrace-line-$([guid]::NewGuid().ToString('N'))"
        $pidFile = "/tmp/$tag.pid"
        $typed = "echo $tag", ": `"quoted $tag`" 'and more'"
        try {
            $r = Invoke-WatchRun 'Watch-Readline -Name bash -Duration 8' { $script:bashPid = Invoke-InteractiveBash $typed $pidFile }
        }
        finally { Remove-Item $pidFile -ErrorAction Ignore }
        $lines = @($r.Output | Where-Object { $_ -is [PSTrace.Core.Records.ReadlineEvent] -and $_.ProcessId -eq $script:bashPid })
        $lines.Line | Should -Be (@("echo `$`$ > $pidFile") + $typed + 'exit')
        $lines.Command | Sort-Object -Unique | Should -Be 'bash'
        ($lines.TimestampNanoseconds | Sort-Object) -join ',' | Should -Be ($lines.TimestampNanoseconds -join ',')
        ($r.Verbose.Message -join "`n") | Should -Match 'Backend: a uretprobe on readline in /usr/bin/bash \(offset 0x[0-9a-f]+\)'
        ($r.Verbose.Message -join "`n") | Should -Match 'Watching: reading pstrace-\d+-\d+ through trace_pipe_raw of \d+ CPU'
    }

    It 'does not see a shell that reads no terminal' {
        if (Skip-UnlessLive) { return }
        $tag = "pstrace-noline-$([guid]::NewGuid().ToString('N'))"
        $r = Invoke-WatchRun 'Watch-Readline -Duration 4' { "echo $tag" | /bin/bash --norc | Out-Null }
        @($r.Output | Where-Object { $_.Line -like "*$tag*" }).Count | Should -Be 0
    }

    It 'refuses a program without readline' {
        if (Skip-UnlessLive) { return }
        { Watch-Readline -Program /bin/true -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'ProbeSetupFailed*'
        Get-OwnSessionInstance | Should -BeNullOrEmpty
    }
}
