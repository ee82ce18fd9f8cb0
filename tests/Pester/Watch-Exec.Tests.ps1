BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest

    $script:ownCommand = (Get-Content "/proc/$PID/comm").Trim()
}

Describe 'Watch-Exec' {
    AfterEach {
        if (-not (Get-LiveSkipReason)) {
            Get-OwnSessionInstance | Should -BeNullOrEmpty
            Get-OwnSessionProbe | Should -BeNullOrEmpty
        }
    }

    It 'shows a process that lives a millisecond with its exact arguments and parent' {
        if (Skip-UnlessLive) { return }
        $tag = "pstrace-exec-$([guid]::NewGuid().ToString('N'))"
        $top = Get-TopLevelEnabledEvent
        $r = Invoke-WatchRun "Watch-Exec -Backend Tracefs -ProcessId $PID -IncludeChildren -Duration 5" { /bin/true $tag 'two words' '' "quote'd" }
        $e = @($r.Output | Where-Object { $_.Arguments -contains $tag })
        $e.Count | Should -Be 1
        $e[0] | Should -BeOfType PSTrace.Core.Records.ExecEvent
        $e[0].Command | Should -Be 'true'
        $e[0].Path | Should -Be '/bin/true'
        $e[0].Arguments | Should -Be @('/bin/true', $tag, 'two words', '', "quote'd")
        $e[0].Arguments.Count | Should -Be 5
        $e[0].CommandLine | Should -Be "/bin/true $tag 'two words' '' 'quote'\''d'"
        $e[0].ArgumentsTruncated | Should -BeFalse
        $e[0].ReturnValue | Should -Be 0
        $e[0].Error | Should -BeNullOrEmpty
        $e[0].ParentProcessId | Should -Be $PID
        $e[0].ParentCommand | Should -Be $script:ownCommand
        $e[0].ProcessId | Should -BeGreaterThan 0
        $e[0].ThreadId | Should -Be $e[0].ProcessId
        $e[0].Time | Should -BeGreaterThan ([datetime]::Now.AddMinutes(-1))
        $e[0].Time | Should -BeLessOrEqual ([datetime]::Now)
        ($r.Verbose.Message -join "`n") | Should -Match 'Backend: .*uprobes on execve'
        Get-TopLevelEnabledEvent | Should -Be $top
    }

    It 'reports a failed exec with its errno, path and arguments' {
        if (Skip-UnlessLive) { return }
        $tag = "pstrace-fail-$([guid]::NewGuid().ToString('N'))"
        $script = "import os`ntry: os.execv('/nonexistent/$tag', ['prog', 'x'])`nexcept OSError: pass"
        $r = Invoke-WatchRun "Watch-Exec -ProcessId $PID -IncludeChildren -Duration 5" { /usr/bin/python3 -c $script }
        $e = @($r.Output | Where-Object Path -eq "/nonexistent/$tag")
        $e.Count | Should -Be 1
        $e[0].ReturnValue | Should -Be -2
        $e[0].Error | Should -Be 'ENOENT'
        $e[0].Arguments | Should -Be @('prog', 'x')
        $e[0].Command | Should -Be 'python3'
    }

    It 'cuts arguments at -MaxArguments and says so' {
        if (Skip-UnlessLive) { return }
        $tag = "pstrace-many-$([guid]::NewGuid().ToString('N'))"
        $r = Invoke-WatchRun "Watch-Exec -ProcessId $PID -IncludeChildren -MaxArguments 3 -Duration 5" { /bin/true $tag b c d e }
        $e = @($r.Output | Where-Object { $_.Arguments -contains $tag })
        $e.Count | Should -Be 1
        $e[0].Arguments | Should -Be @('/bin/true', $tag, 'b')
        $e[0].ArgumentsTruncated | Should -BeTrue
        $e[0].CommandLine | Should -BeLike '* ...'
    }

    It 'keeps only the names -Name matches, in the kernel filter' {
        if (Skip-UnlessLive) { return }
        $tag = "pstrace-name-$([guid]::NewGuid().ToString('N'))"
        $r = Invoke-WatchRun "Watch-Exec -Backend Tracefs -ProcessId $PID -IncludeChildren -Name 'TR?E' -Duration 5" { /bin/echo $tag | Out-Null; /bin/true $tag }
        $mine = @($r.Output | Where-Object { $_.Arguments -contains $tag })
        $mine.Count | Should -Be 1
        $mine[0].Command | Should -Be 'true'
        @($r.Output | Where-Object Command -ne 'true').Count | Should -Be 0
        ($r.Verbose.Message -join "`n") | Should -Match 'COMM ~ "\[tT\]\[rR\]\?\[eE\]"'
    }

    It 'watches one process, and with -IncludeChildren also what it starts' {
        if (Skip-UnlessLive) { return }
        $tag = "pstrace-scope-$([guid]::NewGuid().ToString('N'))"
        foreach ($children in $false, $true) {
            $gate = "/tmp/$tag-$children"
            # The process waits for the gate file, starts a child, then replaces itself with /bin/true.
            $script = "import os, time`nwhile not os.path.exists('$gate'): time.sleep(0.02)`nos.system('/bin/echo $tag child > /dev/null')`nos.execv('/bin/true', ['true', '$tag', 'self'])"
            $p = Start-NativeProcess /usr/bin/python3 '-c', $script
            try {
                $watch = "Watch-Exec -ProcessId $($p.Id) -Duration 5" + $(if ($children) { ' -IncludeChildren' } else { '' })
                $r = Invoke-WatchRun $watch { New-Item -ItemType File $gate | Out-Null; $p.WaitForExit(10000) | Out-Null }
            }
            finally { Remove-Item $gate -ErrorAction Ignore }
            $self = @($r.Output | Where-Object { $_.Arguments -contains 'self' })
            $self.Count | Should -Be 1
            $self[0].ProcessId | Should -Be $p.Id
            # os.system forks sh, which runs echo (in its own process or a child of it, as the shell decides).
            $childExecs = @($r.Output | Where-Object { $_ -is [PSTrace.Core.Records.ExecEvent] -and $_.ProcessId -ne $p.Id })
            if ($children) {
                ($childExecs.Command -join ',') | Should -Be 'sh,echo'
                $childExecs[0].ParentProcessId | Should -Be $p.Id
                $childExecs[1].ParentProcessId | Should -BeIn @($p.Id, $childExecs[0].ProcessId)
                $childExecs[1].Arguments | Should -Be @('/bin/echo', $tag, 'child')
            }
            else {
                $childExecs.Count | Should -Be 0
            }
        }
    }

    It 'two watches side by side both see every exec' {
        if (Skip-UnlessLive) { return }
        $tag = "pstrace-twice-$([guid]::NewGuid().ToString('N'))"
        $a = Start-InRunspace "Watch-Exec -ProcessId $PID -IncludeChildren -Duration 10 -Verbose"
        $b = Start-InRunspace "Watch-Exec -ProcessId $PID -IncludeChildren -Duration 10 -Verbose"
        try {
            Wait-WatchReady $a
            Wait-WatchReady $b
            /bin/bash -c "for i in `$(seq 1 25); do /bin/true $tag `$i; done"
            foreach ($run in $a, $b) {
                $seen = @($run.PowerShell.EndInvoke($run.Handle) | Where-Object { $_.Arguments -contains $tag })
                $seen.Count | Should -Be 25
                ($seen | ForEach-Object { $_.Arguments[2] } | Sort-Object { [int]$_ }) -join ',' | Should -Be ((1..25) -join ',')
            }
        }
        finally { $a.PowerShell.Dispose(); $b.PowerShell.Dispose() }
    }

    It 'misses none of 1000 short processes while the reader keeps up' {
        if (Skip-UnlessLive) { return }
        $tag = "pstrace-burst-$([guid]::NewGuid().ToString('N'))"
        $r = Invoke-WatchRun "Watch-Exec -ProcessId $PID -IncludeChildren -Duration 40" { /bin/bash -c "for i in `$(seq 1 1000); do /bin/true $tag `$i; done" }
        $lost = @($r.Output | Where-Object { $_ -is [PSTrace.Core.Records.TraceLostEvents] })
        $lost.Count | Should -Be 0 -Because 'the kernel buffer must not overrun at this rate'
        $seen = @($r.Output | Where-Object { $_.Arguments -contains $tag })
        $seen.Count | Should -Be 1000
        @($seen | Where-Object { $_.Arguments.Count -ne 3 }).Count | Should -Be 0
        ($seen | ForEach-Object { [int]$_.Arguments[2] } | Sort-Object -Unique).Count | Should -Be 1000
        @($r.Warnings | Where-Object { $_.Message -like '*lost*' }).Count | Should -Be 0
    }

    It 'cleans up when stopped like Ctrl+C' {
        if (Skip-UnlessLive) { return }
        $run = Start-InRunspace 'Watch-Exec -Backend Tracefs -Verbose'
        try {
            Wait-WatchReady $run
            Get-OwnSessionProbe | Should -Not -BeNullOrEmpty
            $run.PowerShell.Stop()
        }
        finally { $run.PowerShell.Dispose() }
        Get-OwnSessionInstance | Should -BeNullOrEmpty
        Get-OwnSessionProbe | Should -BeNullOrEmpty
    }

    It 'cleans up when the pipeline stops early' {
        if (Skip-UnlessLive) { return }
        $tag = "pstrace-first-$([guid]::NewGuid().ToString('N'))"
        $run = Start-InRunspace "Watch-Exec -ProcessId $PID -IncludeChildren -Verbose | Where-Object { `$_.Arguments -contains '$tag' } | Select-Object -First 1"
        try {
            Wait-WatchReady $run
            /bin/true $tag
            $out = @($run.PowerShell.EndInvoke($run.Handle))
            $out.Count | Should -Be 1
            $out[0].Arguments[1] | Should -Be $tag
        }
        finally { $run.PowerShell.Dispose() }
    }

    It 'leaves no instance and no probe when its PowerShell is ended with SIGTERM' {
        if (Skip-UnlessLive) { return }
        # pwsh.dll run by this process's own host, so the child's pid is the session's owner.
        $psi = [Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
        (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-c', "Import-Module '$env:PSTRACE_MODULE'; Watch-Exec -Backend Tracefs | Out-Null" | ForEach-Object { $psi.ArgumentList.Add($_) }
        $child = [Diagnostics.Process]::Start($psi)
        try {
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            while ([datetime]::UtcNow -lt $deadline -and @(Get-Content /sys/kernel/tracing/uprobe_events | Where-Object { $_ -like "*:pstrace_$($child.Id)/s1_exec_path *" }).Count -eq 0) {
                Start-Sleep -Milliseconds 200
            }
            @(Get-ChildItem /sys/kernel/tracing/instances -Directory | Where-Object Name -like "pstrace-$($child.Id)-*").Count | Should -Be 1
            Start-Sleep -Milliseconds 500
            kill -TERM $child.Id
            $child.WaitForExit(30000) | Should -BeTrue
        }
        finally { if (-not $child.HasExited) { $child.Kill() } }
        @(Get-ChildItem /sys/kernel/tracing/instances -Directory | Where-Object Name -like "pstrace-$($child.Id)-*").Count | Should -Be 0
        @(Get-Content /sys/kernel/tracing/uprobe_events | Where-Object { $_ -like "*:pstrace_$($child.Id)/*" }).Count | Should -Be 0
    }

    It 'stops at -MaxEvents' {
        if (Skip-UnlessLive) { return }
        $r = Invoke-WatchRun "Watch-Exec -ProcessId $PID -IncludeChildren -MaxEvents 2 -Duration 30" { 1..4 | ForEach-Object { /bin/true $_ } }
        @($r.Output | Where-Object { $_ -is [PSTrace.Core.Records.ExecEvent] }).Count | Should -Be 2
    }

    It 'survives Export-Clixml with its view' {
        if (Skip-UnlessLive) { return }
        $tag = "pstrace-xml-$([guid]::NewGuid().ToString('N'))"
        $r = Invoke-WatchRun "Watch-Exec -ProcessId $PID -IncludeChildren -Duration 6" { /bin/true $tag }
        $file = Join-Path ([IO.Path]::GetTempPath()) "$tag.xml"
        try {
            $r.Output | Where-Object { $_.Arguments -contains $tag } | Export-Clixml $file
            $back = Import-Clixml $file
            $back.PSObject.TypeNames[0] | Should -Be 'Deserialized.PSTrace.Core.Records.ExecEvent'
            $back.Arguments | Should -Be @('/bin/true', $tag)
            ($back | Format-Table | Out-String) | Should -Match 'PCOMM\s+PID\s+PPID\s+RET\s+ARGS'
        }
        finally { Remove-Item $file -ErrorAction Ignore }
    }

    It 'refuses a process that does not exist, creating nothing' {
        if (Skip-UnlessLive) { return }
        { Watch-Exec -Backend Tracefs -ProcessId 999999 -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'ProcessNotFound*'
        Get-OwnSessionInstance | Should -BeNullOrEmpty
    }

    It 'refuses -IncludeChildren without a process' {
        { Watch-Exec -IncludeChildren -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'ChildrenWithoutProcess*'
    }
}

Describe 'Watch-Exec -OutFile and -Path' {
    It 'reads its own capture back into the same records' {
        if (Skip-UnlessLive) { return }
        $tag = "pstrace-saved-$([guid]::NewGuid().ToString('N'))"
        $t = Invoke-WatchRoundTrip "Watch-Exec -ProcessId $PID -IncludeChildren -Duration 5" { 1..3 | ForEach-Object { /bin/true $tag $_ }; /bin/echo $tag | Out-Null }
        try {
            @($t.Live | Where-Object { $_.Arguments -contains $tag }).Count | Should -Be 4
            $t.Saved.Count | Should -Be $t.Live.Count
            ($t.Saved | ForEach-Object { ConvertTo-RecordKey $_ }) -join "`n" | Should -Be (($t.Live | ForEach-Object { ConvertTo-RecordKey $_ }) -join "`n")
            ($t.Verbose.Message -join "`n") | Should -Match 'Wrote \d+ page\(s\) of \d+ CPU\(s\) to .*trace\.dat version 6'
            (& trace-cmd report $t.File 2>&1 | Select-String 'sched_process_exec').Count | Should -BeGreaterOrEqual 4
        }
        finally { Remove-Item $t.File -ErrorAction Ignore }
    }

    It 'gives nothing or a clear error, without hanging, for an empty file, another tool''s events and a damaged trace.dat' {
        if (Skip-UnlessLive) { return }
        Assert-WatchPathOnForeignInput 'Watch-Exec'
    }

    It 'refuses a device, a named pipe and a directory with -Path at once, and reads nothing' {
        $fifo = Join-Path ([IO.Path]::GetTempPath()) "pstrace-fifo-$PID"
        mkfifo $fifo
        try {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $out = Watch-Exec -Path /dev/zero, $fifo, /tmp -ErrorVariable bad -ErrorAction SilentlyContinue
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
            $out | Should -BeNullOrEmpty
            @($bad | ForEach-Object { $_.FullyQualifiedErrorId -replace ',.*' }) | Should -Be @('TraceFileNotRegular', 'TraceFileNotRegular', 'TraceFileIsDirectory')
        }
        finally { Remove-Item $fifo -ErrorAction Ignore }
    }

    It 'does not take live-only parameters with -Path' {
        { Watch-Exec -Path /nonexistent.dat -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'AmbiguousParameterSet*'
    }
}
