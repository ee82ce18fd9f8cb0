# Watch-Exec's BPF backend (-Backend Bpf, and Auto where BPF is available): argv read in the kernel, so a static
# binary and a program that makes the execve system call itself show theirs; the tracefs backend unchanged; and no
# BPF program or map of PSTrace left after Ctrl+C, an early pipeline stop or kill -9 of the pwsh.
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest

    Import-Module "$PSScriptRoot/BpfTestHelpers.psm1" -Force
    $script:ownCommand = (Get-Content "/proc/$PID/comm").Trim()
    $script:programs = New-TestProgramFolder
}

AfterAll {
    Remove-Item $script:programs -Recurse -Force -ErrorAction Ignore
}

Describe 'Get-TraceCapability Bpf' {
    It 'says whether BPF can be used here, and why not with a fix' -Tag LaneToo {
        $f = Get-TraceCapability Bpf
        $f.Name | Should -Be 'Bpf'
        if ($f.Available) { $f.Detail | Should -Match 'libbpf.so.1' }
        else { $f.Fix | Should -Not -BeNullOrEmpty }
        if ((id -u) -eq '0' -and (Test-Path /sys/kernel/btf/vmlinux) -and (Test-Path /usr/lib/x86_64-linux-gnu/libbpf.so.1)) {
            $f.Available | Should -BeTrue -Because $f.Detail
        }
    }
}

Describe 'Watch-Exec -Backend Bpf' {
    AfterEach {
        if (-not (Get-LiveSkipReason)) {
            Get-OwnSessionInstance | Should -BeNullOrEmpty
            Get-HeldBpfObject $PID | Should -BeNullOrEmpty
        }
    }

    It 'shows a static binary''s full argv and parent, and the argv of what the static binary starts' -Tag LaneToo {
        if (Skip-UnlessBpf) { return }
        # Started by this pwsh (through its C library), then itself a caller whose execv is the static C library's.
        $exe = New-TestProgram $script:programs 'static-args' "#include <unistd.h>`nint main(int argc, char **argv) { if (argc > 1 && argv[1][0] == '/') execv(argv[1], argv + 1); return 0; }" -Options '-static'
        (readelf -l $exe | Out-String) | Should -Not -Match 'interpreter' -Because 'a static binary has no dynamic loader'
        $tag = "pstrace-static-$([guid]::NewGuid().ToString('N'))"
        $r = Invoke-WatchRun "Watch-Exec -Backend Bpf -Name static-args, true -Duration 5" { & $exe /bin/true $tag 'two words' '' "quote'd" }
        $e = @($r.Output | Where-Object { $_.Arguments -contains $tag })
        $e.Count | Should -Be 2
        $e[0] | Should -BeOfType PSTrace.Core.Records.ExecEvent
        $e[0].Command | Should -Be 'static-args'
        $e[0].Path | Should -Be $exe
        $e[0].Arguments | Should -Be @($exe, '/bin/true', $tag, 'two words', '', "quote'd")
        $e[0].CommandLine | Should -Be "$exe /bin/true $tag 'two words' '' 'quote'\''d'"
        $e[0].ArgumentsTruncated | Should -BeFalse
        $e[0].ReturnValue | Should -Be 0
        $e[0].ParentProcessId | Should -Be $PID
        $e[0].ParentCommand | Should -Be $script:ownCommand
        $e[0].ThreadId | Should -Be $e[0].ProcessId
        $e[0].Time | Should -BeGreaterThan ([datetime]::Now.AddMinutes(-1))
        $e[1].Command | Should -Be 'true'
        $e[1].ProcessId | Should -Be $e[0].ProcessId -Because 'exec keeps the process'
        $e[1].Arguments | Should -Be @('/bin/true', $tag, 'two words', '', "quote'd")
        ($r.Verbose.Message -join "`n") | Should -Match 'Backend: BPF program exec\.bpf\.o'
    }

    It 'shows the argv of an execve made as a raw system call (as Go programs do)' -Tag LaneToo {
        if (Skip-UnlessBpf) { return }
        $exe = New-TestProgram $script:programs 'raw-execve' @'
#include <sys/syscall.h>
#include <unistd.h>
/* Strings built at run time, as a Go program builds its argv: string constants in a page the program never
   read could not be read by any probe at the system call's entry (BPF cannot fault a page in). */
int main(int argc, char **argv) {
    char path[] = "/bin/true", third[] = "raw syscall";
    char *args[] = { path, argv[1], third, 0 };
    char *env[] = { 0 };
    return (int)syscall(SYS_execve, path, args, env);
}
'@
        $tag = "pstrace-raw-$([guid]::NewGuid().ToString('N'))"
        $r = Invoke-WatchRun "Watch-Exec -Backend Bpf -Name raw-execve, true -Duration 5" { & $exe $tag }
        $e = @($r.Output | Where-Object { $_.Command -eq 'true' -and $_.Arguments -contains $tag })
        $e.Count | Should -Be 1
        $e[0].Arguments | Should -Be @('/bin/true', $tag, 'raw syscall')
        $e[0].Path | Should -Be '/bin/true'
        $e[0].ParentProcessId | Should -Be $PID
    }

    It 'reports a failed exec with its errno, path and arguments' {
        if (Skip-UnlessBpf) { return }
        $tag = "pstrace-fail-$([guid]::NewGuid().ToString('N'))"
        $r = Invoke-WatchRun "Watch-Exec -Backend Bpf -Name sh -Duration 5" { /bin/sh -c "exec /nonexistent/$tag x y" 2>$null }
        $e = @($r.Output | Where-Object Path -eq "/nonexistent/$tag")
        $e.Count | Should -Be 1
        $e[0].ReturnValue | Should -Be -2
        $e[0].Error | Should -Be 'ENOENT'
        $e[0].Arguments | Should -Be @("/nonexistent/$tag", 'x', 'y')
        $e[0].Command | Should -Be 'sh'
    }

    It 'cuts arguments at -MaxArguments and says so' {
        if (Skip-UnlessBpf) { return }
        $tag = "pstrace-many-$([guid]::NewGuid().ToString('N'))"
        $r = Invoke-WatchRun "Watch-Exec -Backend Bpf -Name true -MaxArguments 3 -Duration 5" { /bin/true $tag b c d e }
        $e = @($r.Output | Where-Object { $_.Arguments -contains $tag })
        $e.Count | Should -Be 1
        $e[0].Arguments | Should -Be @('/bin/true', $tag, 'b')
        $e[0].ArgumentsTruncated | Should -BeTrue
    }

    It 'is what Auto runs where BPF is available, and -Verbose says so' {
        if (Skip-UnlessBpf) { return }
        $tag = "pstrace-auto-$([guid]::NewGuid().ToString('N'))"
        $r = Invoke-WatchRun "Watch-Exec -Name true -Duration 4" { /bin/true $tag }
        @($r.Output | Where-Object { $_.Arguments -contains $tag }).Count | Should -Be 1
        ($r.Verbose.Message -join "`n") | Should -Match 'Backend Bpf \(Auto'
    }

    It 'misses none of 1000 short processes' {
        if (Skip-UnlessBpf) { return }
        $tag = "pstrace-burst-$([guid]::NewGuid().ToString('N'))"
        $r = Invoke-WatchRun "Watch-Exec -Backend Bpf -Name true -Duration 40" { /bin/bash -c "for i in `$(seq 1 1000); do /bin/true $tag `$i; done" }
        @($r.Output | Where-Object { $_ -is [PSTrace.Core.Records.TraceLostEvents] }).Count | Should -Be 0
        $seen = @($r.Output | Where-Object { $_.Arguments -contains $tag })
        $seen.Count | Should -Be 1000
        ($seen | ForEach-Object { [int]$_.Arguments[2] } | Sort-Object -Unique).Count | Should -Be 1000
    }

    It 'refuses -OutFile, -Path and -BufferSizeKb with a clear error, changing nothing' {
        foreach ($extra in "-OutFile $TestDrive/x.dat -Duration 1", "-Path $TestDrive/x.dat", '-BufferSizeKb 1024 -Duration 1') {
            $err = $null
            try { Invoke-Expression "Watch-Exec -Backend Bpf $extra -ErrorAction Stop" | Out-Null } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -BeLike 'BackendBpfParameter*'
            $err.ErrorDetails.RecommendedAction | Should -Match 'Leave out -Backend Bpf'
        }
        Test-Path "$TestDrive/x.dat" | Should -BeFalse
    }

    It 'refuses a process that does not exist, loading nothing' {
        if (Skip-UnlessBpf) { return }
        { Watch-Exec -Backend Bpf -ProcessId 999999999 -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'ProcessNotFound*'
        Get-HeldBpfObject $PID | Should -BeNullOrEmpty
    }

    It 'takes tracefs under Auto for -BufferSizeKb, and -Backend Tracefs gives today''s records' {
        if (Skip-UnlessLive) { return }
        $tag = "pstrace-tracefs-$([guid]::NewGuid().ToString('N'))"
        foreach ($watch in "Watch-Exec -ProcessId $PID -IncludeChildren -BufferSizeKb 1024 -Duration 5", "Watch-Exec -Backend Tracefs -Name true -Duration 5") {
            $r = Invoke-WatchRun $watch { /bin/true $tag 'two words' }
            $e = @($r.Output | Where-Object { $_.Arguments -contains $tag })
            $e.Count | Should -Be 1
            $e[0].Arguments | Should -Be @('/bin/true', $tag, 'two words')
            $e[0].ParentProcessId | Should -Be $PID
            ($r.Verbose.Message -join "`n") | Should -Match 'Backend: .*uprobes on execve'
        }
    }

    It 'leaves no program or map after a stop like Ctrl+C' {
        if (Skip-UnlessBpf) { return }
        $run = Start-InRunspace 'Watch-Exec -Backend Bpf -Verbose'
        try {
            Wait-WatchReady $run
            $held = @(Get-HeldBpfObject $PID)
            $held | Where-Object { $_ -like 'prog_id *' } | Should -Not -BeNullOrEmpty
            $held | Where-Object { $_ -like 'map_id *' } | Should -Not -BeNullOrEmpty
            Get-BpfProgramName $held | ForEach-Object { $_ | Should -BeLike 'pstrace_*' }
            $run.PowerShell.Stop()
        }
        finally { $run.PowerShell.Dispose() }
        Get-HeldBpfObject $PID | Should -BeNullOrEmpty
        Wait-BpfObjectGone $held | Should -BeNullOrEmpty
    }

    It 'leaves no program or map when the pipeline stops early' {
        if (Skip-UnlessBpf) { return }
        $tag = "pstrace-first-$([guid]::NewGuid().ToString('N'))"
        $run = Start-InRunspace "Watch-Exec -Backend Bpf -Verbose | Where-Object { `$_.Arguments -contains '$tag' } | Select-Object -First 1"
        try {
            Wait-WatchReady $run
            $held = @(Get-HeldBpfObject $PID)
            $held | Should -Not -BeNullOrEmpty
            /bin/true $tag
            $out = @($run.PowerShell.EndInvoke($run.Handle))
            $out.Count | Should -Be 1
            $out[0].Arguments[1] | Should -Be $tag
        }
        finally { $run.PowerShell.Dispose() }
        Wait-BpfObjectGone $held | Should -BeNullOrEmpty
    }

    It 'leaves no program or map when its pwsh is killed with SIGKILL' {
        if (Skip-UnlessBpf) { return }
        $child = Start-PwshProcess 'Watch-Exec -Backend Bpf | Out-Null'
        try {
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            do {
                Start-Sleep -Milliseconds 200
                $held = @(Get-HeldBpfObject $child.Id)
            } while ([datetime]::UtcNow -lt $deadline -and @($held | Where-Object { $_ -like 'prog_id *' }).Count -lt 5 -and -not $child.HasExited)
            @($held | Where-Object { $_ -like 'prog_id *' }).Count | Should -Be 5 -Because 'five programs are attached'
            Get-BpfProgramName $held | ForEach-Object { $_ | Should -BeLike 'pstrace_*' }
            kill -9 $child.Id
            $child.WaitForExit(30000) | Should -BeTrue
        }
        finally { if (-not $child.HasExited) { $child.Kill() } }
        Wait-BpfObjectGone $held | Should -BeNullOrEmpty
    }
}
