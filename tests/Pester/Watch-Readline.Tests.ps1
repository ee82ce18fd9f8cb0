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

Describe 'Watch-Readline -OutFile and -Path' {
    It 'reads its own capture back into the same records' {
        if (Skip-UnlessLive) { return }
        $tag = "pstrace-saved-$([guid]::NewGuid().ToString('N'))"
        $pidFile = Join-Path ([IO.Path]::GetTempPath()) "$tag.pid"
        try {
            $t = Invoke-WatchRoundTrip 'Watch-Readline -Name bash -Duration 8' { Invoke-InteractiveBash @("echo $tag one", "echo $tag two") $pidFile | Out-Null } -PathArguments '-Name bash'
            @($t.Live | Where-Object { $_.Line -like "echo $tag *" }).Count | Should -Be 2
            $t.Saved.Count | Should -Be $t.Live.Count
            ($t.Saved | ForEach-Object { ConvertTo-RecordKey $_ }) -join "`n" | Should -Be (($t.Live | ForEach-Object { ConvertTo-RecordKey $_ }) -join "`n")
        }
        finally { Remove-Item $pidFile -ErrorAction Ignore; if ($t) { Remove-Item $t.File -ErrorAction Ignore } }
    }

    It 'gives nothing or a clear error, without hanging, for an empty file, another tool''s events and a damaged trace.dat' {
        if (Skip-UnlessLive) { return }
        Assert-WatchPathOnForeignInput 'Watch-Readline'
    }
}
