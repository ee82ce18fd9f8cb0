# Watch-Open's BPF backend (-Backend Bpf, and Auto where BPF is available): the file name read in the kernel, so a
# static binary's opens have their Path; the tracefs backend unchanged; no BPF program or map left after a stop.
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    Import-Module "$PSScriptRoot/BpfTestHelpers.psm1" -Force
    $script:programs = New-TestProgramFolder
    # Opens each file named on its command line with the system call itself (static C library, no libc.so).
    $script:opener = New-TestProgram $script:programs 'static-open' @'
#include <fcntl.h>
#include <unistd.h>
int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) { int fd = open(argv[i], O_RDONLY | O_CLOEXEC); if (fd >= 0) close(fd); }
    return 0;
}
'@ -Options '-static'
}

AfterAll {
    Remove-Item $script:programs -Recurse -Force -ErrorAction Ignore
}

Describe 'Watch-Open -Backend Bpf' {
    AfterEach {
        if (-not (Get-LiveSkipReason)) {
            Get-OwnSessionInstance | Should -BeNullOrEmpty
            Get-HeldBpfObject $PID | Should -BeNullOrEmpty
        }
    }

    It 'shows the paths a static binary opens, the failed one with its errno' -Tag LaneToo {
        if (Skip-UnlessBpf) { return }
        $missing = "/nonexistent/pstrace-$([guid]::NewGuid().ToString('N'))"
        $r = Invoke-WatchRun "Watch-Open -Backend Bpf -Name static-open -Duration 5" { & $opener /etc/hostname $missing }
        $mine = @($r.Output | Where-Object { $_ -is [PSTrace.Core.Records.OpenEvent] -and $_.Path -in '/etc/hostname', $missing })
        $mine.Count | Should -Be 2
        $mine[0].Path | Should -Be '/etc/hostname'
        $mine[0].FileDescriptor | Should -BeGreaterOrEqual 0
        $mine[0].Flags | Should -Match 'O_CLOEXEC'
        $mine[0].Syscall | Should -Be 'openat'
        $mine[0].Command | Should -Be 'static-open'
        $mine[1].Path | Should -Be $missing
        $mine[1].Error | Should -Be 'ENOENT'
        $mine[1].ProcessId | Should -Be $mine[0].ProcessId
        ($r.Verbose.Message -join "`n") | Should -Match 'Backend: BPF program open\.bpf\.o'
    }

    It 'keeps only failed opens with -FailedOnly' {
        if (Skip-UnlessBpf) { return }
        $missing = "/nonexistent/pstrace-$([guid]::NewGuid().ToString('N'))"
        $r = Invoke-WatchRun "Watch-Open -Backend Bpf -Name static-open -FailedOnly -Duration 5" { & $opener /etc/hostname $missing }
        $opens = @($r.Output | Where-Object { $_ -is [PSTrace.Core.Records.OpenEvent] })
        @($opens | Where-Object Path -eq $missing).Count | Should -Be 1
        @($opens | Where-Object ReturnValue -ge 0).Count | Should -Be 0
    }

    It 'leaves the static binary''s Path null on the tracefs backend, as before' {
        if (Skip-UnlessLive) { return }
        $r = Invoke-WatchRun "Watch-Open -Backend Tracefs -Name static-open -Duration 5" { & $opener /etc/hostname }
        $opens = @($r.Output | Where-Object { $_ -is [PSTrace.Core.Records.OpenEvent] -and $_.FileDescriptor -ge 0 -and $_.Command -eq 'static-open' })
        $opens.Count | Should -BeGreaterOrEqual 1
        @($opens | Where-Object Path).Count | Should -Be 0
        ($r.Verbose.Message -join "`n") | Should -Match 'Backend: tracepoints'
    }

    It 'refuses -OutFile with -Backend Bpf' {
        { Watch-Open -Backend Bpf -OutFile "$TestDrive/x.dat" -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'BackendBpfParameter*'
        Test-Path "$TestDrive/x.dat" | Should -BeFalse
    }

    It 'leaves no program or map after a stop like Ctrl+C' {
        if (Skip-UnlessBpf) { return }
        $run = Start-InRunspace 'Watch-Open -Backend Bpf -Verbose'
        try {
            Wait-WatchReady $run
            $held = @(Get-HeldBpfObject $PID)
            @($held | Where-Object { $_ -like 'prog_id *' }).Count | Should -Be 8
            Get-BpfProgramName $held | ForEach-Object { $_ | Should -BeLike 'pstrace_*' }
            $run.PowerShell.Stop()
        }
        finally { $run.PowerShell.Dispose() }
        Get-HeldBpfObject $PID | Should -BeNullOrEmpty
        Wait-BpfObjectGone $held | Should -BeNullOrEmpty
    }
}
