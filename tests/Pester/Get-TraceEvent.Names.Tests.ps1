# Command on the binary path for short-lived processes, whose comms the kernel's saved_cmdlines may lack.
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
}

Describe 'Get-TraceEvent names short-lived processes' {
    It 'names at least 99% of the events of a burst of short-lived processes by the program they exec' {
        if (Skip-UnlessLive) { return }
        $comm = "pstcomm-$PID"  # under 16 bytes: the kernel's comm is the whole name
        $prog = Join-Path ([IO.Path]::GetTempPath()) $comm
        Copy-Item /bin/true $prog
        try {
            $run = Start-InRunspace "Get-TraceEvent -Name sched:sched_process_fork, sched:sched_process_exec, sched:sched_process_exit, syscalls:sys_enter_exit_group -Duration 30"
            Wait-SessionReady | Out-Null
            # Four shells side by side, 150 programs each: thousands of new pids in a few seconds.
            $took = Measure-Command { & sh -c "for s in 1 2 3 4; do (for i in `$(seq 150); do '$prog'; done) & done; wait" }
            $events = @($run.PowerShell.EndInvoke($run.Handle) | Where-Object { $_ -is [PSTrace.Core.Records.TraceEvent] })

            $took.TotalSeconds | Should -BeLessThan 27 -Because 'the burst must end while the session reads'
            $pids = [Collections.Generic.HashSet[int]]::new()
            foreach ($e in $events) { if ($e.Name -eq 'sched_process_exec' -and $e.Fields['filename'] -eq $prog) { $null = $pids.Add([int]$e.Fields['pid']) } }
            $pids.Count | Should -BeGreaterThan 500
            # Every traced event of those pids comes after their exec (a fork event belongs to the parent).
            $theirs = @($events | Where-Object { $pids.Contains($_.ProcessId) })
            $named = @($theirs | Where-Object Command -EQ $comm).Count
            $named / $theirs.Count | Should -BeGreaterOrEqual 0.99 -Because "$named of $($theirs.Count) events were named $comm; the others: $(($theirs | Where-Object Command -NE $comm | Group-Object Command | ForEach-Object { "$($_.Name) x$($_.Count)" }) -join ', ')"
        }
        finally {
            if ($run) { $run.PowerShell.Dispose() }
            Remove-Item $prog -ErrorAction Ignore
        }
    }
}
