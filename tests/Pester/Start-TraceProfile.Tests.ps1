# Start-TraceProfile on this kernel: a CPU-bound program's hot function has the most samples, under its caller; a
# program that sleeps in a known place shows that stack with about the time slept (-OffCpu); Export-FlameGraph takes
# the records; bad input stops with a clear error; and no BPF program or map of PSTrace is left after the command
# returns, after Select-Object -First 1, after a stop like Ctrl+C, or after kill -9 of its pwsh.
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest

    Import-Module "$PSScriptRoot/BpfTestHelpers.psm1" -Force
    $script:programs = New-TestProgramFolder

    # Built with -O0 and frame pointers: every call stays a call, and the kernel's user stack walk sees each caller.
    function script:New-ProfiledProgram([string] $Name, [string] $Source) {
        New-TestProgram $script:programs $Name $Source -Options '-O0', '-fno-omit-frame-pointer'
    }

    # main -> caller_of_hot -> hot_function, in a loop, for as many seconds as argv[1] says.
    $script:hot = New-ProfiledProgram 'pstrace-hot' @'
#include <stdlib.h>
#include <time.h>
volatile unsigned long sink;
void hot_function(void) { for (unsigned long i = 0; i < 200000; i++) sink += i * i; }
void cold_function(void) { for (unsigned long i = 0; i < 2000; i++) sink += i; }
void caller_of_hot(void) { hot_function(); cold_function(); }
int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 3;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do {
        caller_of_hot();
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while ((now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9 < seconds);
    return 0;
}
'@

    # main -> sleep_in_known_place -> nap -> nanosleep, 20 times 100 ms. The C library is built without frame
    # pointers, so the walk from inside it skips its direct caller (nap): the frames above it are what it sees.
    $script:sleeper = New-ProfiledProgram 'pstrace-sleeper' @'
#include <time.h>
void nap(void) { struct timespec t = { 0, 100 * 1000 * 1000 }; nanosleep(&t, 0); }
void sleep_in_known_place(void) { for (int i = 0; i < 20; i++) nap(); }
int main(void) { sleep_in_known_place(); return 0; }
'@

    # Waits until this process holds a BPF program (the profile has loaded); returns what it holds.
    function script:Wait-ProfileLoaded($Run, [int] $ProcessId = $PID, [int] $TimeoutSeconds = 60) {
        $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
        do {
            $held = @(Get-HeldBpfObject $ProcessId)
            if (@($held | Where-Object { $_ -like 'prog_id *' }).Count -gt 0) { return $held }
            if ($Run -and $Run.Handle.IsCompleted) { throw "The profile ended before it loaded: $($Run.PowerShell.Streams.Error)" }
            Start-Sleep -Milliseconds 100
        } while ([datetime]::UtcNow -lt $deadline)
        throw "No BPF program was loaded within $TimeoutSeconds s."
    }
}

AfterAll {
    Remove-Item $script:programs -Recurse -Force -ErrorAction Ignore
}

Describe 'Start-TraceProfile' {
    AfterEach {
        if (-not (Get-LiveSkipReason)) {
            Get-HeldBpfObject $PID | Should -BeNullOrEmpty
            Get-OwnSessionInstance | Should -BeNullOrEmpty -Because 'a profile makes no tracefs instance'
        }
    }

    It 'finds the hot function of a CPU-bound program, under its caller, with the most samples' {
        if (Skip-UnlessBpf) { return }
        $r = @(Start-TraceProfile -Command $script:hot -ArgumentList 3 -Verbose 4>&1)
        $stacks = @($r | Where-Object { $_ -is [PSTrace.Core.Records.ProfileStack] })
        $verbose = ($r | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n"
        $verbose | Should -Match 'profile\.bpf\.o'
        $stacks.Count | Should -BeGreaterThan 0
        $stacks | ForEach-Object { $_.Kind | Should -Be 'OnCpu'; $_.Time | Should -BeNullOrEmpty }
        # Written most samples first; the first is the hot function called from its caller, called from main.
        $counts = @($stacks.Count)
        ($counts | Sort-Object -Descending) -join ',' | Should -Be ($counts -join ',')
        $top = $stacks[0]
        $top.Function | Should -Be 'hot_function'
        $names = @($top.UserStack.Function)
        $names[0..2] | Should -Be @('hot_function', 'caller_of_hot', 'main')
        $top.Command | Should -Be 'pstrace-hot'
        $top.UserStack[0].Module | Should -Be 'pstrace-hot'
        $top.KernelStack | Should -BeNullOrEmpty -Because 'a loop of arithmetic runs in user mode'
        # About 3 s at 99 Hz (297 samples) for the whole program; generous bounds for a busy machine.
        $total = ($stacks | Measure-Object Count -Sum).Sum
        $total | Should -BeGreaterThan 100
        $total | Should -BeLessThan 400
        $top.Count | Should -BeGreaterThan ($total / 2)
        $perFunction = $stacks | Group-Object Function | ForEach-Object { [pscustomobject]@{ Name = $_.Name; Samples = ($_.Group | Measure-Object Count -Sum).Sum } } | Sort-Object Samples -Descending
        $perFunction[0].Name | Should -Be 'hot_function'
        # The default view: one line per stack at 80 columns, the innermost function in it.
        $lines = @(($stacks | Format-Table | Out-String -Width 80) -split "`r?`n" | Where-Object { $_.Trim() })
        $lines.Count | Should -Be ($stacks.Count + 2)
        $lines | Where-Object { $_.Length -gt 80 } | Should -BeNullOrEmpty
        $lines[2] | Should -Match "^\s+$($top.Count)\s+$($top.ProcessId) pstrace-hot\s+hot_function$"
    }

    It 'profiles a running process by -ProcessId, and -Frequency sets the rate' {
        if (Skip-UnlessBpf) { return }
        $p = Start-NativeProcess $script:hot '6'
        try {
            $stacks = @(Start-TraceProfile -ProcessId $p.Id -Duration 2 -Frequency 199)
            $stacks.ProcessId | Sort-Object -Unique | Should -Be $p.Id
            $stacks[0].Function | Should -Be 'hot_function'
            $total = ($stacks | Measure-Object Count -Sum).Sum
            $total | Should -BeGreaterThan 150 -Because '2 s at 199 Hz is about 400 samples'
            $total | Should -BeLessThan 500
        }
        finally { if (-not $p.HasExited) { $p.Kill() } }
    }

    It 'profiles the pwsh a -ScriptBlock runs in, naming the frames of its libraries' {
        if (Skip-UnlessBpf) { return }
        $stacks = @(Start-TraceProfile -ScriptBlock { $x = 0; foreach ($i in 1..3000000) { $x += $i } })
        $stacks.Count | Should -BeGreaterThan 0
        @($stacks.ProcessId | Sort-Object -Unique).Count | Should -Be 1 -Because 'only the started pwsh is profiled'
        # Its JIT-compiled code has no file behind it; the runtime's own code is named from libcoreclr.so's symbols.
        $runtime = @($stacks.UserStack | Where-Object Module -eq 'libcoreclr.so')
        $runtime | Should -Not -BeNullOrEmpty
        @($runtime | Where-Object Function).Count | Should -BeGreaterThan 0
    }

    It 'shows where a program sleeps and for how long with -OffCpu' {
        if (Skip-UnlessBpf) { return }
        $stacks = @(Start-TraceProfile -Command $script:sleeper -OffCpu)
        $stacks | ForEach-Object { $_.Kind | Should -Be 'OffCpu' }
        $times = @($stacks | ForEach-Object { $_.Time.Ticks })
        ($times | Sort-Object -Descending) -join ',' | Should -Be ($times -join ',') -Because 'the longest time comes first'
        $top = $stacks[0]
        $top.Command | Should -Be 'pstrace-sleeper'
        $user = @($top.UserStack.Function)
        $user[0] | Should -BeLike '*nanosleep'
        $user | Should -Contain 'sleep_in_known_place'
        $user | Should -Contain 'main'
        $top.KernelStack.Function | Should -Contain 'schedule'
        $top.KernelStack[0].Function | Should -Not -BeLike 'bpf_*' -Because 'the BPF program''s own frames are left out'
        # 20 naps of 100 ms: generous bounds for a busy machine (a block can be missed when the kernel skips the program).
        $top.Count | Should -BeGreaterOrEqual 18
        $top.Count | Should -BeLessOrEqual 20
        $top.Time.TotalSeconds | Should -BeGreaterOrEqual 1.7
        $top.Time.TotalSeconds | Should -BeLessThan 4
        $top.Weight | Should -Be $top.Time
    }

    It 'feeds Export-FlameGraph as it is' {
        if (Skip-UnlessBpf) { return }
        $svg = Join-Path $TestDrive 'profile.svg'
        Start-TraceProfile -Command $script:hot -ArgumentList 2 | Export-FlameGraph -Path $svg -Title 'pstrace-hot'
        $text = Get-Content $svg -Raw
        $text | Should -Match 'hot_function'
        $text | Should -Match 'caller_of_hot'
        $folded = Join-Path $TestDrive 'profile.folded'
        # A relative -Command is taken from PowerShell's location.
        Push-Location $script:programs
        try { Start-TraceProfile -Command ./pstrace-hot -ArgumentList 1 | Export-FlameGraph -Path $folded -Format Folded }
        finally { Pop-Location }
        (Get-Content $folded) -join "`n" | Should -Match ';main;caller_of_hot;hot_function \d+'
    }

    It 'leaves no program or map after it returns, after Select-Object -First 1, and after a stop like Ctrl+C' {
        if (Skip-UnlessBpf) { return }
        foreach ($case in 'Start-TraceProfile -Duration 2', 'Start-TraceProfile -OffCpu -Duration 2 | Select-Object -First 1') {
            $run = Start-InRunspace $case
            try {
                $held = Wait-ProfileLoaded $run
                @($held | Where-Object { $_ -like 'map_id *' }).Count | Should -BeGreaterThan 0
                Get-BpfProgramName $held | ForEach-Object { $_ | Should -BeLike 'pstrace_*' }
                $out = @($run.PowerShell.EndInvoke($run.Handle))
                $out.Count | Should -BeGreaterThan 0 -Because "$case counts what runs on the machine"
            }
            finally { $run.PowerShell.Dispose() }
            Get-HeldBpfObject $PID | Should -BeNullOrEmpty
            Wait-BpfObjectGone $held | Should -BeNullOrEmpty
        }

        $run = Start-InRunspace 'Start-TraceProfile -Duration 60'
        try {
            $held = Wait-ProfileLoaded $run
            $run.PowerShell.Stop()
            @($run.PowerShell.Streams.Error).Count | Should -Be 0
        }
        finally { $run.PowerShell.Dispose() }
        Get-HeldBpfObject $PID | Should -BeNullOrEmpty
        Wait-BpfObjectGone $held | Should -BeNullOrEmpty
    }

    It 'leaves no program or map when its pwsh is killed with SIGKILL' {
        if (Skip-UnlessBpf) { return }
        $child = Start-PwshProcess 'Start-TraceProfile -Duration 120 | Out-Null'
        try {
            $held = Wait-ProfileLoaded -ProcessId $child.Id
            # The perf events were attached once the program was: wait for both CPUs' links.
            Start-Sleep -Milliseconds 500
            kill -9 $child.Id
            $child.WaitForExit(30000) | Should -BeTrue
        }
        finally { if (-not $child.HasExited) { $child.Kill() } }
        Wait-BpfObjectGone $held | Should -BeNullOrEmpty
    }

    It 'refuses a process that does not exist and a frequency out of range, loading nothing' {
        foreach ($case in @(
                @{ Command = 'Start-TraceProfile -ProcessId 999999999 -Duration 1'; Id = 'ProcessNotFound' }
                @{ Command = 'Start-TraceProfile -Frequency 0 -Duration 1'; Id = 'FrequencyOutOfRange' }
                @{ Command = 'Start-TraceProfile -Frequency 20000 -Duration 1'; Id = 'FrequencyOutOfRange' }
                @{ Command = "Start-TraceProfile -Command $script:hot -Frequency 10001"; Id = 'FrequencyOutOfRange' })) {
            $err = $null
            try { Invoke-Expression "$($case.Command) -ErrorAction Stop" | Out-Null } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty -Because $case.Command
            $err.FullyQualifiedErrorId | Should -BeLike "$($case.Id),*"
            $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
            Get-HeldBpfObject $PID | Should -BeNullOrEmpty
        }
        Get-Process pstrace-hot -ErrorAction Ignore | Should -BeNullOrEmpty -Because 'no program is started for a refused profile'
        $err = $null
        try { [pscustomobject]@{ Id = $PID }, [pscustomobject]@{ Id = 1 } | Start-TraceProfile -Duration 1 -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'OneProcessOnly,*'
    }

    It 'says why when BPF is not available, and that there is no tracefs fallback' {
        if (Skip-UnlessLive) { return }
        # A copy of the module without its compiled programs: Get-TraceCapability Bpf's reason is then the build's.
        $copy = Join-Path $TestDrive 'module'
        Copy-Item (Split-Path $env:PSTRACE_MODULE) $copy -Recurse
        Remove-Item (Join-Path $copy 'bpf') -Recurse -Force
        $script = "Import-Module '$copy/PSTrace.psd1'; " +
            'try { Start-TraceProfile -Duration 1 -ErrorAction Stop } catch { "ID=" + $_.FullyQualifiedErrorId; "MSG=" + $_.Exception.Message }; ' +
            '"REASON=" + (Get-TraceCapability Bpf).Detail'
        $out = (& ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $script 2>&1) -join "`n"
        $out | Should -Match 'ID=BpfNotSupported'
        $reason = [regex]::Match($out, 'REASON=(.*)').Groups[1].Value
        $reason | Should -Match 'no compiled BPF programs'
        $out | Should -Match ('MSG=BPF is not available: ' + [regex]::Escape($reason))
        $out | Should -Match 'no tracefs fallback'
    }
}
