BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    $script:fixtures = Join-Path $PSScriptRoot '../fixtures'
    # A program only this test runs, so other work on the machine cannot add matching events.
    $script:mine = "/tmp/pstrace-true-$PID"
    Copy-Item /bin/true $script:mine
}

AfterAll {
    Remove-Item $script:mine -ErrorAction Ignore
}

Describe 'Get-TraceEvent live session' {
    AfterEach {
        if ($script:run) { $script:run.PowerShell.Dispose(); $script:run = $null }
    }

    It 'reads the exec of /bin/true back as an object whose filename is /bin/true' {
        if (Skip-UnlessLive) { return }
        $top = Get-TopLevelEnabledEvent
        $script:run = Start-InRunspace "Get-TraceEvent -Name sched:sched_process_exec -Filter 'filename == ""/bin/true""' -MaxEvents 1 -Duration 30"
        $instance = Wait-SessionReady
        /bin/true
        $events = $script:run.PowerShell.EndInvoke($script:run.Handle)
        $events.Count | Should -Be 1
        $e = $events[0]
        $e.Name | Should -Be 'sched_process_exec'
        $e.System | Should -Be 'sched'
        $e.filename | Should -Be '/bin/true'
        $e.Fields['filename'] | Should -Be '/bin/true'
        $e.pid | Should -BeOfType [long]
        $e.Command | Should -Be 'true'
        $e.Timestamp | Should -BeGreaterThan 0
        Test-Path "/sys/kernel/tracing/instances/$instance" | Should -BeFalse
        Get-TopLevelEnabledEvent | Should -Be $top
    }

    It 'keeps only the events the kernel filter matches' {
        if (Skip-UnlessLive) { return }
        $script:run = Start-InRunspace "Get-TraceEvent -Name sched:sched_process_exec -Filter 'filename == ""$script:mine""' -Duration 4"
        Wait-SessionReady | Out-Null
        /bin/echo hi | Out-Null; & $script:mine; /bin/ls / | Out-Null; & $script:mine; /bin/true
        $events = $script:run.PowerShell.EndInvoke($script:run.Handle)
        $events.Count | Should -Be 2
        $events.filename | Sort-Object -Unique | Should -Be $script:mine
    }

    It 'keeps to one process with -ProcessId, and with -IncludeChildren also to what it starts' {
        if (Skip-UnlessLive) { return }
        # a shell that keeps starting the test's own program: it forks, its children exec
        $loop = Start-NativeProcess /bin/bash @('-c', "while :; do $script:mine; sleep 0.1; done")
        try {
            $own = @(Get-TraceEvent -Name sched:sched_process_fork, sched:sched_process_exec -ProcessId $loop.Id -Duration 2)
            $own.Count | Should -BeGreaterThan 0
            $own.Name | Sort-Object -Unique | Should -Be 'sched_process_fork' -Because 'the execs are its children''s'
            $own.ProcessId | Sort-Object -Unique | Should -Be $loop.Id

            $family = @(Get-TraceEvent -Name sched:sched_process_fork, sched:sched_process_exec -ProcessId $loop.Id -IncludeChildren -Duration 2)
            $execs = @($family | Where-Object Name -eq 'sched_process_exec')
            $execs | Where-Object filename -eq $script:mine | Should -Not -BeNullOrEmpty
            $execs.ProcessId | Should -Not -Contain $loop.Id
            $family | Where-Object Name -eq 'sched_process_fork' | ForEach-Object { $_.parent_pid | Should -BeIn (@($loop.Id) + $execs.ProcessId) }
        }
        finally {
            $loop.Kill()
            $loop.WaitForExit()
        }
        Get-OwnSessionInstance | Should -BeNullOrEmpty
    }

    It 'refuses a process that does not exist, and -IncludeChildren alone, creating nothing' {
        if (Skip-UnlessLive) { return }
        { Get-TraceEvent -Name sched:sched_process_exec -ProcessId 999999999 -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'ProcessNotFound*'
        { Get-TraceEvent -Name sched:sched_process_exec -IncludeChildren -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'ChildrenWithoutProcess*'
        Get-OwnSessionInstance | Should -BeNullOrEmpty
    }

    It 'cleans up when stopped like Ctrl+C' {
        if (Skip-UnlessLive) { return }
        $script:run = Start-InRunspace 'Get-TraceEvent -Name sched:sched_process_exec'
        $instance = Wait-SessionReady
        $script:run.PowerShell.Stop()
        Test-Path "/sys/kernel/tracing/instances/$instance" | Should -BeFalse
        Get-OwnSessionInstance | Should -BeNullOrEmpty
    }

    It 'cleans up when the pipeline stops early (Select-Object -First 1)' {
        if (Skip-UnlessLive) { return }
        $script:run = Start-InRunspace 'Get-TraceEvent -Name sched:sched_process_exec | Select-Object -First 1'
        $instance = Wait-SessionReady
        /bin/true
        $events = $script:run.PowerShell.EndInvoke($script:run.Handle)
        $events.Count | Should -Be 1
        Test-Path "/sys/kernel/tracing/instances/$instance" | Should -BeFalse
    }

    It 'cleans up when the pipeline throws' {
        if (Skip-UnlessLive) { return }
        $script:run = Start-InRunspace 'Get-TraceEvent -Name sched:sched_process_exec | ForEach-Object { throw "boom" }'
        $instance = Wait-SessionReady
        /bin/true
        { $script:run.PowerShell.EndInvoke($script:run.Handle) } | Should -Throw '*boom*'
        Test-Path "/sys/kernel/tracing/instances/$instance" | Should -BeFalse
    }

    It 'rejects an unknown event, creating nothing' {
        if (Skip-UnlessLive) { return }
        # This process's instances only: other processes' sessions may come and go meanwhile.
        $before = (Get-ChildItem /sys/kernel/tracing/instances -Filter "pstrace-$PID-*").Name
        { Get-TraceEvent -Name nosuch:event -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'EventNotFound*'
        (Get-ChildItem /sys/kernel/tracing/instances -Filter "pstrace-$PID-*").Name | Should -Be $before
    }

    It 'rejects a malformed filter with the kernel''s message, leaving nothing behind' {
        if (Skip-UnlessLive) { return }
        $err = { Get-TraceEvent -Name sched:sched_process_exec -Filter 'nosuchfield == 1' -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'KernelRejected*' -PassThru
        $err.Exception.Message | Should -Match 'nosuchfield'
        Get-OwnSessionInstance | Should -BeNullOrEmpty
    }
}

Describe 'Get-TraceEvent -Duration with a slow pipeline' {
    BeforeAll {
        # 20,000 getppid calls in one burst, by a program of its own name so a kernel filter keeps only its calls.
        $script:burstDir = Join-Path ([IO.Path]::GetTempPath()) "pstrace-burst-$PID"
        New-Item -ItemType Directory -Force $script:burstDir | Out-Null
        $script:burst = Join-Path $script:burstDir 'getppid-burst'
        Set-Content "$script:burst.c" @'
#include <unistd.h>
#include <sys/syscall.h>
int main(void) { for (int i = 0; i < 20000; i++) syscall(SYS_getppid); return 0; }
'@
        & gcc -O2 -o $script:burst "$script:burst.c"
    }

    AfterAll {
        Remove-Item -Recurse -Force $script:burstDir -ErrorAction Ignore
    }

    It 'writes every event of the window, or warns with the exact number read but not written' {
        if (Skip-UnlessLive) { return }
        $script:run = Start-InRunspace "Get-TraceEvent syscalls:sys_enter_getppid -Filter 'COMM == ""getppid-burst""' -Duration 6 | ForEach-Object { Start-Sleep -Milliseconds 1; `$_ }"
        try {
            $null = Wait-SessionReady
            & $script:burst
            $events = @($script:run.PowerShell.EndInvoke($script:run.Handle))
            $warnings = @($script:run.PowerShell.Streams.Warning | ForEach-Object Message)
            if ($events.Count -lt 20000) {
                $warnings -join "`n" | Should -Match "\b$(20000 - $events.Count) record\(s\) read before the end were not written"
            }
            else {
                $events.Count | Should -Be 20000
                $warnings | Should -BeNullOrEmpty
            }
        }
        finally { $script:run.PowerShell.Dispose(); $script:run = $null }
        Get-OwnSessionInstance | Should -BeNullOrEmpty
    }
}

Describe 'Get-TraceEvent and probes' {
    It 'reads a uprobe''s hits in a session as ProbeHit records with typed arguments' {
        if (Skip-UnlessLive) { return }
        $group = "pester_ev$PID"
        $p = New-Uprobe -Path libc.so.6 -Function getaddrinfo -Argument ([ordered]@{ node = '+0(%di):string' }) -Name gai -Group $group
        try {
            $script:run = Start-InRunspace "Get-TraceEvent -Name ${group}:gai -Duration 30 -MaxEvents 1"
            Wait-SessionReady | Out-Null
            getent ahosts localhost | Out-Null
            $hits = @($script:run.PowerShell.EndInvoke($script:run.Handle))
            $script:run.PowerShell.Dispose(); $script:run = $null
            $hits.Count | Should -Be 1
            $hits[0] | Should -BeOfType ([PSTrace.Core.Probes.ProbeHit])
            $hits[0].node | Should -Be 'localhost'
            $hits[0].Arguments['node'] | Should -Be 'localhost'
            $hits[0].Command | Should -Be 'getent'
            $hits[0].Address | Should -BeGreaterThan 0
            $hits[0].Timestamp | Should -BeGreaterThan 0
        }
        finally { $p | Remove-TraceProbe -Force -Confirm:$false }
        Get-TraceProbe -Group $group -ErrorAction Ignore | Should -BeNullOrEmpty
    }
}

Describe 'Get-TraceEvent from a buffer' {
    It 'snapshots and follows an instance' {
        if (Skip-UnlessLive) { return }
        $name = "pester-get-$PID"
        New-TraceInstance $name | Out-Null
        try {
            Enable-TraceEvent sched:sched_process_exec -Instance $name -Filter "filename == `"$script:mine`""
            & $script:mine
            $snap = @(Get-TraceEvent -Instance $name | Where-Object Name -eq 'sched_process_exec')
            $snap.Count | Should -Be 1
            $snap[0].filename | Should -Be $script:mine
            # A snapshot does not consume: reading again gives the same event.
            @(Get-TraceEvent -Instance $name | Where-Object Name -eq 'sched_process_exec').Count | Should -Be 1
            $follow = @(Get-TraceEvent -Instance $name -Follow -Duration 1 | Where-Object Name -eq 'sched_process_exec')
            $follow.filename | Should -Be @($script:mine)
            # Following consumed it: the snapshot is now empty.
            @(Get-TraceEvent -Instance $name | Where-Object Name -eq 'sched_process_exec').Count | Should -Be 0
        }
        finally { Remove-TraceInstance $name -Confirm:$false }
    }
}

Describe 'Get-TraceEvent -Path' {
    It 'reads a saved trace file into typed events' {
        $file = Join-Path $script:fixtures '6.18/trace-default.txt'
        $events = Get-TraceEvent -Path $file
        $events.Count | Should -BeGreaterThan 0
        $events | Where-Object { $_ -isnot [PSTrace.Core.Records.TraceEvent] -and $_ -isnot [PSTrace.Core.Records.TraceLostEvents] } | Should -BeNullOrEmpty
    }

    It 'stops at -MaxEvents' {
        $file = Join-Path $script:fixtures '6.18/trace-default.txt'
        (Get-TraceEvent -Path $file -MaxEvents 3).Count | Should -Be 3
    }

    It 'reports a missing file' {
        Get-TraceEvent -Path '/nonexistent/trace.txt' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TraceFileNotFound*'
    }
}
