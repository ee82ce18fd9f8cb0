# -ProcessId and -IncludeChildren on the BPF backends of Watch-Exec and Watch-Open: the processes are filtered in
# the kernel (a map of thread group ids set before the programs are attached; children added at
# sched_process_fork), and both backends give the same records for the same gated process.
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    Import-Module "$PSScriptRoot/BpfTestHelpers.psm1" -Force

    # A shell blocked opening a FIFO until Open-Gate: it exists before a watch of its id starts, then runs $Script.
    function New-Gate([string] $Script) {
        $fifo = Join-Path ([IO.Path]::GetTempPath()) "pstrace-gate-$([guid]::NewGuid().ToString('N'))"
        mkfifo $fifo
        $process = Start-NativeProcess /bin/sh @('-c', "read x < '$fifo'; $Script")
        [pscustomobject]@{ Process = $process; Fifo = $fifo }
    }

    function Open-Gate($Gate) {
        /bin/sh -c "echo go > '$($Gate.Fifo)'"
        $Gate.Process.WaitForExit(20000) | Out-Null
        Remove-Item $Gate.Fifo -ErrorAction Ignore
    }

    # Runs $Watch on a gate running $Script (-ProcessId GATE), while this pwsh runs $Outside (not a watched process).
    function Invoke-GatedWatch([string] $Watch, [string] $Script, [scriptblock] $Outside) {
        $gate = New-Gate $Script
        try {
            $r = Invoke-WatchRun ($Watch -replace 'GATE', $gate.Process.Id) { & $Outside; Open-Gate $gate }
            $r | Add-Member Gate $gate.Process.Id -PassThru
        }
        finally { if (-not $gate.Process.HasExited) { $gate.Process.Kill() }; Remove-Item $gate.Fifo -ErrorAction Ignore }
    }
}

Describe 'Watch-Exec -ProcessId on both backends' {
    AfterEach {
        if (-not (Get-LiveSkipReason)) {
            Get-OwnSessionInstance | Should -BeNullOrEmpty
            Get-HeldBpfObject $PID | Should -BeNullOrEmpty
        }
    }

    It 'keeps the gated process<Label> and nothing else, the same on Bpf and Tracefs' -Tag LaneToo -ForEach @(
        @{ Label = ''; Children = ''; Expected = @('exec') }
        @{ Label = ' and its children with -IncludeChildren'; Children = '-IncludeChildren'; Expected = @('child', 'exec') }
    ) {
        if (Skip-UnlessBpf) { return }
        $seen = @{}
        foreach ($backend in 'Bpf', 'Tracefs') {
            $tag = "pstrace-scope-$([guid]::NewGuid().ToString('N'))"
            $r = Invoke-GatedWatch "Watch-Exec -Backend $backend -ProcessId GATE $Children -Duration 4" "/bin/true $tag child; exec /bin/true $tag exec" { /bin/true $tag outside }
            $mine = @($r.Output | Where-Object { $_.Arguments -contains $tag } | Sort-Object TimestampNanoseconds)
            @($mine | ForEach-Object { $_.Arguments[2] }) | Should -Be $Expected -Because "the $backend backend"
            $exec = $mine | Where-Object { $_.Arguments[2] -eq 'exec' }
            $exec.ProcessId | Should -Be $r.Gate
            ($r.Verbose.Message -join "`n") | Should -Match ($backend -eq 'Bpf' ? 'Backend: BPF program exec\.bpf\.o' : 'Backend: .*uprobes on execve')
            if ($backend -eq 'Bpf') { ($r.Verbose.Message -join "`n") | Should -Match "filter: process $($r.Gate).* \(processes in the kernel\)" }
            $seen[$backend] = @($mine | ForEach-Object { "$($_.Command) $($_.Arguments[0]) $($_.Arguments[2]) $($_.ProcessId -eq $r.Gate) $($_.ReturnValue)" })
        }
        $seen.Bpf | Should -Be $seen.Tracefs
    }

    It 'is what Auto runs for -ProcessId where BPF is available' {
        if (Skip-UnlessBpf) { return }
        $tag = "pstrace-scope-auto-$([guid]::NewGuid().ToString('N'))"
        $r = Invoke-GatedWatch "Watch-Exec -ProcessId GATE -IncludeChildren -Duration 4" "/bin/true $tag child" { /bin/true $tag outside }
        @($r.Output | Where-Object { $_.Arguments -contains $tag } | ForEach-Object { $_.Arguments[2] }) | Should -Be @('child')
        ($r.Verbose.Message -join "`n") | Should -Match 'Backend Bpf \(Auto'
    }
}

Describe 'Watch-Open -ProcessId on both backends' {
    AfterEach {
        if (-not (Get-LiveSkipReason)) {
            Get-OwnSessionInstance | Should -BeNullOrEmpty
            Get-HeldBpfObject $PID | Should -BeNullOrEmpty
        }
    }

    It 'keeps the opens of the gated process and its children, the same on Bpf and Tracefs' {
        if (Skip-UnlessBpf) { return }
        $seen = @{}
        foreach ($backend in 'Bpf', 'Tracefs') {
            $tag = "/tmp/pstrace-scope-$([guid]::NewGuid().ToString('N'))"
            $r = Invoke-GatedWatch "Watch-Open -Backend $backend -ProcessId GATE -IncludeChildren -Duration 4" "/bin/cat $tag-child 2>/dev/null; exec /bin/cat $tag-exec 2>/dev/null" { /bin/cat "$tag-outside" 2>$null }
            $mine = @($r.Output | Where-Object { $_.Path -like "$tag-*" } | Sort-Object TimestampNanoseconds)
            @($mine | ForEach-Object { $_.Path.Substring($tag.Length + 1) }) | Should -Be @('child', 'exec') -Because "the $backend backend"
            ($mine | Where-Object Path -eq "$tag-exec").ProcessId | Should -Be $r.Gate
            $seen[$backend] = @($mine | ForEach-Object { "$($_.Command) $($_.Path.Substring($tag.Length)) $($_.ProcessId -eq $r.Gate) $($_.Error)" })
        }
        $seen.Bpf | Should -Be $seen.Tracefs
    }
}
