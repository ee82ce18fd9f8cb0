# Watch-Syscall -Summary and -Histogram counted in the kernel (-Backend Bpf, and Auto where BPF is available): a
# program making known numbers of known system calls is counted exactly, the same by both backends; histogram
# buckets add up to the calls; bad combinations are refused; nothing is left behind.
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    Import-Module "$PSScriptRoot/BpfTestHelpers.psm1" -Force
    $script:programs = New-TestProgramFolder
    # Static, so no dynamic loader adds openat calls of its own: 1000 getppid, 500 openat of a missing file, 300 close(-1).
    $script:known = New-TestProgram $script:programs 'known-calls' @'
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void) {
    for (int i = 0; i < 1000; i++) syscall(SYS_getppid);
    for (int i = 0; i < 500; i++) syscall(SYS_openat, AT_FDCWD, "/nonexistent/pstrace-known-calls", O_RDONLY);
    for (int i = 0; i < 300; i++) syscall(SYS_close, -1);
    return 0;
}
'@ -Options '-static'

    function Get-SummaryTable($Summary) {
        ($Summary | Sort-Object Name | ForEach-Object { "$($_.Name) $($_.Calls) $($_.Errors)" }) -join "`n"
    }
}

AfterAll {
    Remove-Item $script:programs -Recurse -Force -ErrorAction Ignore
}

Describe 'Watch-Syscall -Summary -Backend Bpf' {
    AfterEach {
        if (-not (Get-LiveSkipReason)) {
            Get-OwnSessionInstance | Should -BeNullOrEmpty
            Get-HeldBpfObject $PID | Should -BeNullOrEmpty
        }
    }

    It 'counts exactly the calls a program makes, with their errors, as the tracefs backend does' -Tag LaneToo {
        if (Skip-UnlessBpf) { return }
        $bpf = @(Watch-Syscall -Command $script:known -Summary -Backend Bpf -Verbose 4>&1)
        $verbose = ($bpf | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
        $verbose | Should -Match 'Backend: BPF program syscall\.bpf\.o'
        $bpf = @($bpf | Where-Object { $_ -is [PSTrace.Core.Records.SyscallSummary] })
        $tracefs = @(Watch-Syscall -Command $script:known -Summary -Backend Tracefs)
        foreach ($summary in $bpf, $tracefs) {
            $byName = @{}
            $summary | ForEach-Object { $byName[$_.Name] = $_ }
            $byName['getppid'].Calls | Should -Be 1000
            $byName['getppid'].Errors | Should -Be 0
            $byName['openat'].Calls | Should -Be 500
            $byName['openat'].Errors | Should -Be 500
            $byName['close'].Calls | Should -Be 300
            $byName['close'].Errors | Should -Be 300
            $byName.ContainsKey('exit_group') | Should -BeFalse -Because 'exit_group never returns'
            [math]::Round(($summary | Measure-Object PercentTime -Sum).Sum) | Should -Be 100
            $summary[0].TotalNanoseconds | Should -BeGreaterOrEqual $summary[-1].TotalNanoseconds -Because 'most time first'
        }
        Get-SummaryTable $bpf | Should -Be (Get-SummaryTable $tracefs) -Because 'both backends count every returned call of the program'
    }

    It 'keeps to -Syscall names and follows children with -IncludeChildren' {
        if (Skip-UnlessBpf) { return }
        $twice = '-c', "$script:known; $script:known"
        $s = @(Watch-Syscall getppid, 'clo*' -Command /bin/sh -ArgumentList $twice -IncludeChildren -Summary -Backend Bpf)
        ($s.Name | Sort-Object) -join ',' | Should -Be 'close,getppid'
        $alone = @(Watch-Syscall getppid -Command /bin/sh -ArgumentList $twice -Summary -Backend Bpf)
        $shell = [long]($alone | Where-Object Name -eq getppid).Calls
        $shell | Should -BeLessThan 10 -Because 'without -IncludeChildren only the shell''s own calls are counted'
        ($s | Where-Object Name -eq getppid).Calls | Should -Be (2000 + $shell) -Because 'both children''s 1000 calls are counted, besides the shell''s own'
        ($s | Where-Object Name -eq close).Calls | Should -BeGreaterOrEqual 600
    }

    It 'counts a running process by -ProcessId' {
        if (Skip-UnlessBpf) { return }
        $sleeper = Start-NativeProcess /bin/sh @('-c', "sleep 2; $script:known")
        try {
            $s = @(Watch-Syscall getppid -ProcessId $sleeper.Id -IncludeChildren -Summary -Backend Bpf -Duration 6)
            ($s | Where-Object Name -eq getppid).Calls | Should -Be 1000
        }
        finally { if (-not $sleeper.HasExited) { $sleeper.Kill() } }
    }

    It 'is what Auto runs for -Summary where BPF is available' {
        if (Skip-UnlessBpf) { return }
        $out = @(Watch-Syscall -Command $script:known -Summary -Verbose 4>&1)
        ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'Backend Bpf \(Auto'
        ($out | Where-Object Name -eq getppid).Calls | Should -Be 1000
    }
}

Describe 'Watch-Syscall -Histogram' {
    AfterEach {
        if (-not (Get-LiveSkipReason)) {
            Get-OwnSessionInstance | Should -BeNullOrEmpty
            Get-HeldBpfObject $PID | Should -BeNullOrEmpty
        }
    }

    It 'draws a latency histogram per system call whose buckets add up to the calls, under <backend>' -ForEach @(
        @{ backend = 'Bpf' }, @{ backend = 'Tracefs' }
    ) -Tag LaneToo {
        if ($backend -eq 'Bpf') { if (Skip-UnlessBpf) { return } } elseif (Skip-UnlessLive) { return }
        $buckets = @(Watch-Syscall getppid, openat, close -Command $script:known -Histogram -Backend $backend)
        $buckets[0] | Should -BeOfType PSTrace.Core.Records.HistogramBucket
        ($buckets.Group | Sort-Object -Unique) -join ',' | Should -Be 'close,getppid,openat'
        foreach ($call in @{ getppid = 1000; openat = 500; close = 300 }.GetEnumerator()) {
            $these = @($buckets | Where-Object Group -eq $call.Key)
            ($these | Measure-Object Count -Sum).Sum | Should -Be $call.Value
            $these.Histogram | Sort-Object -Unique | Should -Be 'Duration (us)'
            $these.Unit | Sort-Object -Unique | Should -Be 'us'
            @($these | Where-Object { $_.Bar.Length -eq 52 }).Count | Should -Be 1 -Because 'the fullest bucket has the whole bar'
        }
        ($buckets | Where-Object Group -eq getppid)[0].ToString() | Should -Match '^\[\d+(, \d+\))?\]?\s+\d+ \|@*\s*\|$'
    }
}

Describe 'Watch-Syscall -Backend: bad input' {
    It 'refuses <case> with a clear error, changing nothing' -ForEach @(
        @{ case = 'Bpf with -OutFile'; line = "Watch-Syscall -Summary -Backend Bpf -OutFile TESTDRIVE/x.dat -Duration 1"; id = 'BackendBpfParameter*' }
        @{ case = 'Bpf with -Name'; line = "Watch-Syscall -Summary -Backend Bpf -Name cat -Duration 1"; id = 'BackendBpfParameter*' }
        @{ case = 'Bpf with -Path'; line = "Watch-Syscall -Summary -Backend Bpf -Path TESTDRIVE/x.dat"; id = 'BackendBpfParameter*' }
        @{ case = 'Bpf without a count'; line = "Watch-Syscall -Backend Bpf -Duration 1"; id = 'BackendBpfNeedsCount*' }
        @{ case = '-Summary with -Histogram'; line = "Watch-Syscall -Summary -Histogram -Duration 1"; id = 'SummaryWithHistogram*' }
    ) {
        $err = $null
        try { Invoke-Expression ($line -replace 'TESTDRIVE', $TestDrive) -ErrorAction Stop | Out-Null } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike $id
        $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        Test-Path "$TestDrive/x.dat" | Should -BeFalse
        if (-not (Get-LiveSkipReason)) { Get-OwnSessionInstance | Should -BeNullOrEmpty }
        Get-HeldBpfObject $PID | Should -BeNullOrEmpty
    }

    It 'names no system call that does not exist' {
        if (Skip-UnlessBpf) { return }
        $err = $null
        try { Watch-Syscall no_such_call -Summary -Backend Bpf -Duration 1 -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'SyscallNotFound*'
        Get-HeldBpfObject $PID | Should -BeNullOrEmpty
    }
}

Describe 'Watch-Syscall -Summary -Backend Bpf: nothing left behind' {
    It 'leaves no program or map after a stop like Ctrl+C' {
        if (Skip-UnlessBpf) { return }
        $run = Start-InRunspace 'Watch-Syscall -Summary -Backend Bpf -Verbose'
        try {
            Wait-WatchReady $run
            $held = @(Get-HeldBpfObject $PID)
            @($held | Where-Object { $_ -like 'prog_id *' }).Count | Should -BeGreaterOrEqual 2
            Get-BpfProgramName $held | ForEach-Object { $_ | Should -BeLike 'pstrace_*' }
            $run.PowerShell.Stop()
        }
        finally { $run.PowerShell.Dispose() }
        Get-HeldBpfObject $PID | Should -BeNullOrEmpty
        Wait-BpfObjectGone $held | Should -BeNullOrEmpty
    }

    It 'leaves no program or map when the pipeline stops early' {
        if (Skip-UnlessBpf) { return }
        $out = @(Watch-Syscall -Command $script:known -Summary -Backend Bpf | Select-Object -First 1)
        $out.Count | Should -Be 1
        Get-HeldBpfObject $PID | Should -BeNullOrEmpty
    }
}
