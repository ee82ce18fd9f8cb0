BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
}

Describe 'Watch-Syscall' {
    BeforeEach {
        $script:file = Join-Path ([IO.Path]::GetTempPath()) "pstrace-sys-$([guid]::NewGuid().ToString('N')).txt"
        [IO.File]::WriteAllText($script:file, 'seventeen bytes!!')
    }

    AfterEach {
        Remove-Item $script:file -ErrorAction Ignore
        if (-not (Get-LiveSkipReason)) {
            Get-OwnSessionInstance | Should -BeNullOrEmpty
        }
    }

    It 'traces a program it starts, every call from its exec to its exit, with typed arguments and results' {
        if (Skip-UnlessLive) { return }
        # head reads and writes whatever its output is (cat copies with copy_file_range when it goes to a file).
        $calls = @(Watch-Syscall -Command /usr/bin/head -ArgumentList '-c', '100', $script:file 6>$null 5>$null | Where-Object { $_ -is [PSTrace.Core.Records.SyscallEvent] })
        $calls[0].Name | Should -Be 'execve'
        $calls[0].ReturnValue | Should -Be 0
        $calls[-1].Name | Should -Be 'exit_group'
        $calls[-1].Arguments['error_code'] | Should -Be 0
        $calls[-1].ReturnValue | Should -BeNullOrEmpty
        $calls[-1].Duration | Should -BeNullOrEmpty
        $pids = @($calls.ProcessId | Sort-Object -Unique)
        $pids.Count | Should -Be 1
        @($calls | Select-Object -Skip 1 | Where-Object Command -ne 'head').Count | Should -Be 0

        # The file: opened read-only, read whole (17 bytes, then end of file), written to stdout, closed.
        $at = [array]::FindLastIndex([object[]]$calls, [Predicate[object]] { param($c) $c.Name -eq 'openat' -and $c.ReturnValue -ge 3 })
        $open = $calls[$at]
        $after = @($calls | Select-Object -Skip ($at + 1))
        $open.Arguments['dfd'] | Should -Be 'AT_FDCWD'
        $open.Arguments['flags'] | Should -Be 'O_RDONLY'
        $open.Arguments['filename'] | Should -BeOfType [ulong]
        $fd = $open.ReturnValue
        $reads = @($after | Where-Object { $_.Name -eq 'read' -and $_.Arguments['fd'] -eq $fd })
        $reads[0].ReturnValue | Should -Be 17
        $reads[-1].ReturnValue | Should -Be 0
        $write = @($calls | Where-Object { $_.Name -eq 'write' -and $_.Arguments['fd'] -eq 1 })
        $write.Count | Should -Be 1
        $write[0].Arguments['count'] | Should -Be 17
        $write[0].ReturnValue | Should -Be 17
        @($after | Where-Object { $_.Name -eq 'close' -and $_.Arguments['fd'] -eq $fd }).Count | Should -Be 1
        foreach ($c in $calls | Where-Object Name -ne 'exit_group') {
            $c.Duration | Should -BeGreaterOrEqual ([timespan]::Zero)
            $c.Duration | Should -BeLessThan ([timespan]::FromSeconds(5))
        }
        $reads[0].ToString() | Should -Match "^read\(fd=$fd, buf=0x[0-9a-f]+, count=\d+\) = 17$"
    }

    It 'reports failed calls with their errno' {
        if (Skip-UnlessLive) { return }
        $missing = "$script:file.missing"
        $calls = @(Watch-Syscall openat -Command /bin/cat -ArgumentList $missing 2>$null 6>$null)
        $calls.Name | Sort-Object -Unique | Should -Be 'openat'
        $failed = $calls[-1]
        $failed.ReturnValue | Should -Be -2
        $failed.Error | Should -Be 'ENOENT'
        $failed.ToString() | Should -BeLike 'openat(*) = -1 ENOENT'
    }

    It 'counts per system call with -Summary, as the calls themselves add up' {
        if (Skip-UnlessLive) { return }
        $calls = @(Watch-Syscall -Command /bin/cat -ArgumentList $script:file, "$script:file.missing" 2>$null 6>$null)
        $summary = @(Watch-Syscall -Command /bin/cat -ArgumentList $script:file, "$script:file.missing" -Summary 2>$null 6>$null)
        $summary[0] | Should -BeOfType PSTrace.Core.Records.SyscallSummary
        $byName = @{}
        $summary | ForEach-Object { $byName[$_.Name] = $_ }
        foreach ($name in 'openat', 'read', 'write', 'close', 'mmap') {
            $these = @($calls | Where-Object Name -eq $name)
            $byName[$name].Calls | Should -Be $these.Count -Because "$name was called as often in both runs"
            $byName[$name].Errors | Should -Be @($these | Where-Object Error).Count
        }
        $byName['openat'].Errors | Should -BeGreaterThan 0
        [math]::Round(($summary | Measure-Object PercentTime -Sum).Sum) | Should -Be 100
        # Sorted by time spent, most first, like strace -c.
        $times = @($summary.TotalNanoseconds)
        ($times | Sort-Object -Descending) -join ',' | Should -Be ($times -join ',')
        $byName.Contains('exit_group') | Should -BeFalse
    }

    It 'says nothing of the rows Select-Object -First did not take' {
        if (Skip-UnlessLive) { return }
        # A program of its own: an idle machine may make no system call in a window of the watch.
        $rows = @(Watch-Syscall -Summary -Backend Tracefs -Command /bin/ls -ArgumentList /usr -WarningVariable warned 6>$null | Select-Object -First 1)
        $rows.Count | Should -Be 1
        @($warned | Where-Object { "$_" -match 'not written' }) | Should -BeNullOrEmpty
    }

    It 'watches a running process by -ProcessId' {
        if (Skip-UnlessLive) { return }
        $gate = "$script:file.gate"
        $p = Start-NativeProcess /usr/bin/python3 '-c', "import os, time`nwhile not os.path.exists('$gate'): time.sleep(0.02)`nos.getppid()`nopen('$script:file').read()"
        try {
            $r = Invoke-WatchRun "Watch-Syscall -ProcessId $($p.Id) -Duration 5" { New-Item -ItemType File $gate | Out-Null; $p.WaitForExit(10000) | Out-Null }
        }
        finally { Remove-Item $gate -ErrorAction Ignore }
        $calls = @($r.Output | Where-Object { $_ -is [PSTrace.Core.Records.SyscallEvent] })
        $calls.Count | Should -BeGreaterThan 0
        $calls.ProcessId | Sort-Object -Unique | Should -Be $p.Id
        @($calls | Where-Object { $_.Name -eq 'getppid' -and $_.ReturnValue -eq $PID }).Count | Should -Be 1
        @($calls | Where-Object { $_.Name -eq 'read' -and $_.ReturnValue -eq 17 }).Count | Should -Be 1
    }

    It 'two watches of one process side by side both see every call' {
        if (Skip-UnlessLive) { return }
        $gate = "$script:file.gate"
        $p = Start-NativeProcess /usr/bin/python3 '-c', "import os, time`nwhile not os.path.exists('$gate'): time.sleep(0.02)`nfor i in range(50): os.getppid()"
        $a = Start-InRunspace "Watch-Syscall getppid -ProcessId $($p.Id) -Duration 5 -Verbose"
        $b = Start-InRunspace "Watch-Syscall getppid -ProcessId $($p.Id) -Duration 5 -Verbose"
        try {
            Wait-WatchReady $a
            Wait-WatchReady $b
            New-Item -ItemType File $gate | Out-Null
            $p.WaitForExit(10000) | Out-Null
            foreach ($run in $a, $b) {
                $calls = @($run.PowerShell.EndInvoke($run.Handle) | Where-Object { $_ -is [PSTrace.Core.Records.SyscallEvent] })
                $calls.Count | Should -Be 50
                $calls.ReturnValue | Sort-Object -Unique | Should -Be $PID
            }
        }
        finally { $a.PowerShell.Dispose(); $b.PowerShell.Dispose(); Remove-Item $gate -ErrorAction Ignore }
    }

    It 'refuses a command-name pattern a kernel filter cannot hold' {
        if (Skip-UnlessLive) { return }
        { Watch-Syscall -Name 'a"b' -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidCommandPattern*'
        Get-OwnSessionInstance | Should -BeNullOrEmpty
    }

    It 'refuses a system call name that matches nothing' {
        if (Skip-UnlessLive) { return }
        { Watch-Syscall nosuchcall -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'SyscallNotFound*'
        Get-OwnSessionInstance | Should -BeNullOrEmpty
    }

    It 'refuses a program that does not exist' {
        if (Skip-UnlessLive) { return }
        { Watch-Syscall -Command /nonexistent/program -ErrorAction Stop } | Should -Throw -ErrorId 'CommandNotFound*'
    }
}

Describe 'Watch-Syscall -OutFile and -Path' {
    It 'reads its own capture back into the same records' {
        if (Skip-UnlessLive) { return }
        $file = Join-Path ([IO.Path]::GetTempPath()) "pstrace-sys-saved-$([guid]::NewGuid().ToString('N')).txt"
        [IO.File]::WriteAllText($file, 'seventeen bytes!!')
        try {
            # head reads and writes (cat would copy with copy_file_range).
            $t = Invoke-WatchRoundTrip "Watch-Syscall -Command /usr/bin/head -ArgumentList '-c','100','$file' -Duration 20" {}
            @($t.Live | Where-Object { $_.Name -eq 'read' -and $_.ReturnValue -eq 17 }).Count | Should -Be 1
            $t.Saved.Count | Should -Be $t.Live.Count
            ($t.Saved | ForEach-Object { ConvertTo-RecordKey $_ }) -join "`n" | Should -Be (($t.Live | ForEach-Object { ConvertTo-RecordKey $_ }) -join "`n")
        }
        finally { Remove-Item $file -ErrorAction Ignore; if ($t) { Remove-Item $t.File -ErrorAction Ignore } }
    }

    It 'gives nothing or a clear error, without hanging, for an empty file, another tool''s events and a damaged trace.dat' {
        if (Skip-UnlessLive) { return }
        Assert-WatchPathOnForeignInput 'Watch-Syscall'
    }
}
