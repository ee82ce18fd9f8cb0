# A program started by -Command does not outlive the trace it was started for: Ctrl+C interrupts it, and
# the death of the tracing pwsh (kill -9 included) sends it SIGTERM; -LeaveRunning leaves it running.
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest

    # The pid of the process whose command line is exactly $CommandLine (a sleep with a duration unique to the test).
    function Find-Program([string] $CommandLine, [int] $TimeoutSeconds = 60) {
        $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
        while ([datetime]::UtcNow -lt $deadline) {
            foreach ($dir in Get-ChildItem /proc -Directory -ErrorAction Ignore | Where-Object Name -match '^\d+$') {
                try { $cmd = [IO.File]::ReadAllText("$($dir.FullName)/cmdline") -replace "`0", ' ' -replace ' $', '' }
                catch { continue } # gone meanwhile
                if ($cmd -eq $CommandLine) { return [int]$dir.Name }
            }
            Start-Sleep -Milliseconds 200
        }
        $null
    }

    # Whether a process runs (a zombie, exited but not yet reaped by its parent, does not).
    function Test-Running([int] $ProcessId) {
        $stat = Get-Content "/proc/$ProcessId/stat" -Raw -ErrorAction Ignore
        $stat -and $stat.Substring($stat.LastIndexOf(')') + 2, 1) -ne 'Z'
    }

    function Wait-Gone([int] $ProcessId, [int] $TimeoutSeconds) {
        $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
        while ((Test-Running $ProcessId) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        -not (Test-Running $ProcessId)
    }
}

Describe 'Watch-Syscall -Command and the program it started' {
    It 'interrupts the program on Ctrl+C, and says so in -Verbose' {
        if (Skip-UnlessLive) { return }
        $duration = "40.$PID"
        $run = Start-InRunspace "Watch-Syscall nanosleep -Command sleep -ArgumentList $duration -Verbose"
        try {
            Wait-WatchReady $run
            $program = Find-Program "/usr/bin/sleep $duration"
            $program | Should -Not -BeNullOrEmpty
            $run.PowerShell.Stop()
            Wait-Gone $program 5 | Should -BeTrue -Because 'Ctrl+C sends it SIGINT'
            @($run.PowerShell.Streams.Verbose.Message) -match 'gets SIGINT, and SIGKILL 3 s later' | Should -Not -BeNullOrEmpty
        }
        finally { $run.PowerShell.Dispose() }
        Get-OwnSessionInstance | Should -BeNullOrEmpty
    }

    It 'leaves it running with -LeaveRunning' {
        if (Skip-UnlessLive) { return }
        $duration = "41.$PID"
        $run = Start-InRunspace "Watch-Syscall nanosleep -Command sleep -ArgumentList $duration -LeaveRunning -Verbose"
        $program = $null
        try {
            Wait-WatchReady $run
            $program = Find-Program "/usr/bin/sleep $duration"
            $run.PowerShell.Stop()
            Start-Sleep -Seconds 4
            Test-Running $program | Should -BeTrue
        }
        finally {
            $run.PowerShell.Dispose()
            if ($program) { kill -9 $program }
        }
    }

    It 'sends it SIGTERM when the tracing pwsh is killed with kill -9' {
        if (Skip-UnlessLive) { return }
        $duration = "42.$PID"
        $tracer = Start-PwshProcess "Watch-Syscall nanosleep -Command sleep -ArgumentList $duration | Out-Null"
        try {
            $program = Find-Program "/usr/bin/sleep $duration"
            $program | Should -Not -BeNullOrEmpty
            Start-Sleep -Seconds 1
            Test-Running $program | Should -BeTrue
            kill -9 $tracer.Id
            Wait-Gone $program 5 | Should -BeTrue -Because 'the kernel sends the parent death signal'
        }
        finally {
            if (-not $tracer.HasExited) { $tracer.Kill() }
            $tracer.WaitForExit()
            $tracer.Dispose()
            # What the killed session left: its instance, reaped as after any kill -9.
            Reset-Trace | Out-Null
        }
    }
}
