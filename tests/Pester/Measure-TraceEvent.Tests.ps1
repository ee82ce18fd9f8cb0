# Measure-TraceEvent: tracepoints counted in the kernel (BPF, one program attached to each event with a cookie) or
# from a tracefs session; exact counts of a program's known calls per process, command and event under both
# backends; bad input refused; nothing left behind.
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    Import-Module "$PSScriptRoot/BpfTestHelpers.psm1" -Force
    $script:programs = New-TestProgramFolder
    # Waits for its standard input to close, then makes 1000 getppid calls: the count is ready before it starts.
    $script:known = New-TestProgram $script:programs 'known-ppid' @'
#include <sys/syscall.h>
#include <unistd.h>
int main(void) {
    char c;
    while (read(0, &c, 1) > 0) {}
    for (int i = 0; i < 1000; i++) syscall(SYS_getppid);
    return 0;
}
'@ -Options '-static'

    # Runs the count in a runspace, starts the program once it counts, and returns the counts and the program's pid.
    function Invoke-CountRun([string] $Count) {
        $run = Start-InRunspace "$Count -Verbose"
        try {
            Wait-WatchReady $run
            $start = [System.Diagnostics.ProcessStartInfo]::new($script:known)
            $start.RedirectStandardInput = $true
            $p = [System.Diagnostics.Process]::Start($start)
            $p.StandardInput.Close()
            $p.WaitForExit(30000) | Out-Null
            $out = $run.PowerShell.EndInvoke($run.Handle)
            [pscustomobject]@{ Output = @($out); ProcessId = $p.Id; Verbose = @($run.PowerShell.Streams.Verbose) }
        }
        finally { $run.PowerShell.Dispose() }
    }
}

AfterAll {
    Remove-Item $script:programs -Recurse -Force -ErrorAction Ignore
}

Describe 'Measure-TraceEvent' {
    AfterEach {
        if (-not (Get-LiveSkipReason)) {
            Get-OwnSessionInstance | Should -BeNullOrEmpty
            Get-HeldBpfObject $PID | Should -BeNullOrEmpty
        }
    }

    It 'counts a program''s getppid calls exactly, per process and command, under <backend>' -ForEach @(
        @{ backend = 'Bpf' }, @{ backend = 'Tracefs' }
    ) {
        if ($backend -eq 'Bpf') { if (Skip-UnlessBpf) { return } } elseif (Skip-UnlessLive) { return }
        $r = Invoke-CountRun "Measure-TraceEvent 'syscalls:sys_enter_getppid' -GroupBy ProcessId, Command -Backend $backend -Duration 4"
        $mine = @($r.Output | Where-Object ProcessId -eq $r.ProcessId)
        $mine.Count | Should -Be 1
        $mine[0] | Should -BeOfType PSTrace.Core.Records.EventCount
        $mine[0].Count | Should -Be 1000
        $mine[0].Command | Should -Be 'known-ppid'
        $mine[0].Event | Should -BeNullOrEmpty -Because 'not grouped by event'
        $sorted = @($r.Output.Count | Sort-Object -Descending)
        ($r.Output.Count -join ',') | Should -Be ($sorted -join ',') -Because 'most first'
        ($r.Verbose.Message -join "`n") | Should -Match ($backend -eq 'Bpf' ? 'count\.bpf\.o attached to 1 tracepoint' : 'copied out and counted here')
    }

    It 'groups by event and command, over every sys_enter_* tracepoint, under <backend>' -ForEach @(
        @{ backend = 'Bpf' }, @{ backend = 'Tracefs' }
    ) {
        if ($backend -eq 'Bpf') { if (Skip-UnlessBpf) { return } } elseif (Skip-UnlessLive) { return }
        $r = Invoke-CountRun "Measure-TraceEvent 'syscalls:sys_enter_get*pid', 'syscalls:sys_enter_read' -GroupBy Command, Event -Backend $backend -Duration 4"
        $mine = @($r.Output | Where-Object Command -eq 'known-ppid')
        ($mine | Where-Object Event -eq 'syscalls:sys_enter_getppid').Count | Should -Be 1000
        ($mine | Where-Object Event -eq 'syscalls:sys_enter_read').Count | Should -Be 1 -Because 'one read saw the end of its input'
        $mine | ForEach-Object { $_.ProcessId | Should -BeNullOrEmpty }
    }

    It 'attaches every syscalls:sys_enter_* tracepoint and counts them' {
        if (Skip-UnlessBpf) { return }
        $r = Invoke-CountRun "Measure-TraceEvent 'syscalls:sys_enter_*' -GroupBy ProcessId, Event -Backend Bpf -Duration 4"
        $r.Output | Where-Object { $_.ProcessId -eq $r.ProcessId -and $_.Event -eq 'syscalls:sys_enter_getppid' } | Select-Object -ExpandProperty Count | Should -Be 1000
        $n = @(Get-ChildItem /sys/kernel/tracing/events/syscalls -Directory -Filter 'sys_enter_*').Count
        ($r.Verbose.Message -join "`n") | Should -Match "attached to $n tracepoint"
    }

    It 'counts only -ProcessId in the kernel' {
        if (Skip-UnlessBpf) { return }
        $other = Start-NativeProcess /bin/sh @('-c', 'sleep 1; for i in 1 2 3 4 5; do /bin/true; done')
        try {
            $c = @(Measure-TraceEvent 'syscalls:sys_enter_*' -GroupBy ProcessId -ProcessId $other.Id -IncludeChildren -Backend Bpf -Duration 4)
            @($c | Where-Object ProcessId -eq $other.Id).Count | Should -Be 1
            @($c | Where-Object ProcessId -ne $other.Id).Count | Should -Be 5 -Because 'each /bin/true the shell started is a process of its own'
        }
        finally { if (-not $other.HasExited) { $other.Kill() } }
    }
}

Describe 'Measure-TraceEvent: bad input and clean-up' {
    It 'refuses an unknown event, with nothing made' {
        if (Skip-UnlessLive) { return }
        $err = $null
        try { Measure-TraceEvent 'syscalls:sys_enter_no_such_call' -Duration 1 -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'EventNotFound*'
        $err = $null
        try { Measure-TraceEvent 'nosuchsystem:*' -Duration 1 -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'EventNotFound*'
        Get-OwnSessionInstance | Should -BeNullOrEmpty
        Get-HeldBpfObject $PID | Should -BeNullOrEmpty
    }

    It 'refuses a -GroupBy it does not know' {
        $err = $null
        try { Measure-TraceEvent 'sched:sched_switch' -GroupBy Cpu -Duration 1 -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'CannotConvertArgumentNoMessage*'
        $err.ToString() | Should -Match 'Event, ProcessId, Command'
    }

    It 'refuses -Backend Bpf with <parameter>' -ForEach @(
        @{ parameter = '-OutFile'; extra = '-OutFile TESTDRIVE/x.dat -Duration 1' }
        @{ parameter = '-BufferSizeKb'; extra = '-BufferSizeKb 1024 -Duration 1' }
    ) {
        $err = $null
        try { Invoke-Expression ("Measure-TraceEvent 'sched:sched_switch' -Backend Bpf $extra -ErrorAction Stop" -replace 'TESTDRIVE', $TestDrive) | Out-Null } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'BackendBpfParameter*'
        $err.ErrorDetails.RecommendedAction | Should -Match 'Leave out -Backend Bpf'
        Test-Path "$TestDrive/x.dat" | Should -BeFalse
    }

    It 'leaves no program, map or instance after a stop like Ctrl+C, under <backend>' -ForEach @(
        @{ backend = 'Bpf' }, @{ backend = 'Tracefs' }
    ) {
        if ($backend -eq 'Bpf') { if (Skip-UnlessBpf) { return } } elseif (Skip-UnlessLive) { return }
        $run = Start-InRunspace "Measure-TraceEvent 'syscalls:sys_enter_*' -Backend $backend -Verbose"
        try {
            Wait-WatchReady $run
            $held = @(Get-HeldBpfObject $PID)
            if ($backend -eq 'Bpf') { Get-BpfProgramName $held | ForEach-Object { $_ | Should -BeLike 'pstrace_*' } }
            $run.PowerShell.Stop()
        }
        finally { $run.PowerShell.Dispose() }
        Get-HeldBpfObject $PID | Should -BeNullOrEmpty
        Wait-BpfObjectGone $held -TimeoutSeconds 30 | Should -BeNullOrEmpty
        Get-OwnSessionInstance | Should -BeNullOrEmpty
    }

    It 'leaves nothing when the pipeline stops early' {
        if (Skip-UnlessBpf) { return }
        $c = @(Measure-TraceEvent 'sched:sched_switch' -Backend Bpf -Duration 1 | Select-Object -First 1)
        $c.Count | Should -Be 1
        Get-HeldBpfObject $PID | Should -BeNullOrEmpty
    }
}
