BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
}

Describe 'Watch-Open' {
    BeforeEach {
        $script:dir = Join-Path ([IO.Path]::GetTempPath()) "pstrace-open-$([guid]::NewGuid().ToString('N'))"
        New-Item -ItemType Directory $script:dir | Out-Null
    }

    AfterEach {
        Remove-Item $script:dir -Recurse -Force -ErrorAction Ignore
        if (-not (Get-LiveSkipReason)) {
            Get-OwnSessionInstance | Should -BeNullOrEmpty
            Get-OwnSessionProbe | Should -BeNullOrEmpty
        }
    }

    It 'shows the files a program opens, with descriptor, flags and path; failed opens with their errno' {
        if (Skip-UnlessLive) { return }
        $file = Join-Path $script:dir 'present.txt'
        Set-Content $file 'x'
        $missing = Join-Path $script:dir 'missing.txt'
        $r = Invoke-WatchRun "Watch-Open -ProcessId $PID -IncludeChildren -Duration 5" { /bin/cat $file $missing 2>$null | Out-Null }
        $mine = @($r.Output | Where-Object { $_.Path -like "$script:dir/*" })
        $mine.Count | Should -Be 2
        $ok = $mine | Where-Object Path -eq $file
        $ok | Should -BeOfType PSTrace.Core.Records.OpenEvent
        $ok.Command | Should -Be 'cat'
        $ok.Syscall | Should -Be 'openat'
        $ok.FileDescriptor | Should -Be 3
        $ok.ReturnValue | Should -Be 3
        $ok.Error | Should -BeNullOrEmpty
        $ok.Flags | Should -Be 'O_RDONLY'
        $ok.FlagsValue | Should -Be 0
        $ok.DirectoryDescriptor | Should -BeNullOrEmpty
        $ok.ThreadId | Should -Be $ok.ProcessId
        $bad = $mine | Where-Object Path -eq $missing
        $bad.FileDescriptor | Should -BeNullOrEmpty
        $bad.ReturnValue | Should -Be -2
        $bad.Error | Should -Be 'ENOENT'
        $bad.ProcessId | Should -Be $ok.ProcessId
    }

    It 'decodes creation flags and mode' {
        if (Skip-UnlessLive) { return }
        $file = Join-Path $script:dir 'created.txt'
        $script = "import os; os.close(os.open('$file', os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o640))"
        $r = Invoke-WatchRun "Watch-Open -ProcessId $PID -IncludeChildren -Duration 5" { /usr/bin/python3 -c $script }
        $e = @($r.Output | Where-Object Path -eq $file)
        $e.Count | Should -Be 1
        $e[0].Flags | Should -Be 'O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC'
        $e[0].FlagsValue | Should -Be (0x1 -bor 0x40 -bor 0x200 -bor 0x80000)
        $e[0].Mode | Should -Be ([Convert]::ToInt32('640', 8))
        $e[0].Command | Should -Be 'python3'
        $e[0].FileDescriptor | Should -BeGreaterOrEqual 3
    }

    It 'with -FailedOnly writes failed opens only' {
        if (Skip-UnlessLive) { return }
        $file = Join-Path $script:dir 'present.txt'
        Set-Content $file 'x'
        $missing = Join-Path $script:dir 'missing.txt'
        $r = Invoke-WatchRun "Watch-Open -Backend Tracefs -ProcessId $PID -IncludeChildren -FailedOnly -Duration 5" { /bin/cat $file $missing 2>$null | Out-Null }
        $opens = @($r.Output | Where-Object { $_ -is [PSTrace.Core.Records.OpenEvent] })
        @($opens | Where-Object { $null -eq $_.Error }).Count | Should -Be 0
        @($opens | Where-Object Path -eq $missing).Count | Should -Be 1
        ($r.Verbose.Message -join "`n") | Should -Match 'sys_exit_openat with filter ret < 0'
    }

    It 'watches only the named commands' {
        if (Skip-UnlessLive) { return }
        $file = Join-Path $script:dir 'present.txt'
        Set-Content $file 'x'
        $r = Invoke-WatchRun "Watch-Open -ProcessId $PID -IncludeChildren -Name head -Duration 5" { /bin/cat $file | Out-Null; /usr/bin/head -c1 $file | Out-Null }
        $opens = @($r.Output | Where-Object { $_ -is [PSTrace.Core.Records.OpenEvent] })
        @($opens | Where-Object Command -ne 'head').Count | Should -Be 0
        @($opens | Where-Object Path -eq $file).Count | Should -Be 1
    }

    It 'two watches side by side both see every open' {
        if (Skip-UnlessLive) { return }
        $a = Start-InRunspace "Watch-Open -ProcessId $PID -IncludeChildren -Duration 6 -Verbose"
        $b = Start-InRunspace "Watch-Open -ProcessId $PID -IncludeChildren -Duration 6 -Verbose"
        try {
            Wait-WatchReady $a
            Wait-WatchReady $b
            $files = 1..10 | ForEach-Object { $f = Join-Path $script:dir "f$_.txt"; Set-Content $f $_; $f }
            /bin/cat @files | Out-Null
            foreach ($run in $a, $b) {
                $seen = @($run.PowerShell.EndInvoke($run.Handle) | Where-Object { $_.Command -eq 'cat' -and $_.Path -like "$script:dir/*" })
                ($seen.Path | Sort-Object) -join ',' | Should -Be (($files | Sort-Object) -join ',')
            }
        }
        finally { $a.PowerShell.Dispose(); $b.PowerShell.Dispose() }
    }
}

Describe 'Watch-Open -OutFile and -Path' {
    It 'reads its own capture back into the same records' {
        if (Skip-UnlessLive) { return }
        $dir = Join-Path ([IO.Path]::GetTempPath()) "pstrace-open-saved-$([guid]::NewGuid().ToString('N'))"
        New-Item -ItemType Directory $dir | Out-Null
        Set-Content "$dir/present.txt" 'x'
        try {
            $t = Invoke-WatchRoundTrip "Watch-Open -ProcessId $PID -IncludeChildren -Duration 5" { /bin/cat "$dir/present.txt" "$dir/missing.txt" 2>$null | Out-Null }
            @($t.Live | Where-Object { $_.Path -like "$dir/*" }).Count | Should -Be 2
            $t.Saved.Count | Should -Be $t.Live.Count
            ($t.Saved | ForEach-Object { ConvertTo-RecordKey $_ }) -join "`n" | Should -Be (($t.Live | ForEach-Object { ConvertTo-RecordKey $_ }) -join "`n")
        }
        finally { Remove-Item -Recurse -Force $dir -ErrorAction Ignore; if ($t) { Remove-Item $t.File -ErrorAction Ignore } }
    }

    It 'gives nothing or a clear error, without hanging, for an empty file, another tool''s events and a damaged trace.dat' {
        if (Skip-UnlessLive) { return }
        Assert-WatchPathOnForeignInput 'Watch-Open'
    }
}
