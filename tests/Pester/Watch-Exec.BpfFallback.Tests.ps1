# Where BPF cannot be had, Watch-Exec -Backend Auto falls back to tracefs with one warning naming the reason, and
# -Backend Bpf stops with a clear error. The machine is left as it is: each case runs a pwsh in a private mount
# namespace (unshare -m, propagation private) where what BPF needs is hidden from that pwsh only:
#   no BTF:     an empty tmpfs over /sys/kernel/btf, so /sys/kernel/btf/vmlinux is not there;
#   no libbpf:  an empty file bound over libbpf.so.1, so the dynamic loader cannot load it (as when the package is
#               missing: the name resolves, the library does not load).
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    Import-Module "$PSScriptRoot/BpfTestHelpers.psm1" -Force
    $script:libbpf = '/usr/lib/x86_64-linux-gnu/libbpf.so.1'
    $script:empty = Join-Path ([IO.Path]::GetTempPath()) "pstrace-empty-$PID"
    Set-Content -Path $script:empty -Value $null

    $script:hide = @{
        NoBtf    = 'mount -t tmpfs -o size=4k,mode=0555 pstrace-nobtf /sys/kernel/btf'
        NoLibbpf = "mount --bind '$($script:empty)' '$($script:libbpf)'"
    }

    # Runs $Script in a new pwsh whose mount namespace hides what $Hide names; returns what it printed as JSON.
    function Invoke-WithoutBpf([string] $Hide, [string] $Script) {
        $pwsh = [Environment]::ProcessPath
        $dll = Join-Path $PSHOME 'pwsh.dll'
        $setup = "Import-Module '$PSScriptRoot/TestHelpers.psm1'; Import-PSTraceUnderTest; `$ErrorActionPreference = 'Stop'; "
        $json = unshare -m --propagation private sh -c "$($script:hide[$Hide]) && exec `"`$0`" `"`$@`"" $pwsh $dll -NoProfile -NonInteractive -c ($setup + $Script) 2>&1
        if ($LASTEXITCODE -ne 0) { throw "the pwsh without BPF failed ($LASTEXITCODE): $json" }
        ($json | Out-String) | ConvertFrom-Json
    }

    # What the pwsh without BPF runs: the capability, Auto's records and warnings, and -Backend Bpf's error.
    $script:probe = @'
$tag = "pstrace-fallback-$([guid]::NewGuid().ToString('N'))"
$cap = Get-TraceCapability Bpf
$r = Invoke-WatchRun "Watch-Exec -Backend Auto -Name true -Duration 3" { /bin/true $tag }
$bpfError = $null
try { Watch-Exec -Backend Bpf -Duration 1 -ErrorAction Stop | Out-Null } catch { $bpfError = $_ }
[pscustomobject]@{
    Available   = $cap.Available
    Detail      = $cap.Detail
    Records     = @($r.Output | Where-Object { $_.Arguments -contains $tag } | ForEach-Object { $_.Arguments -join ' ' })
    Tag         = $tag
    Warnings    = @($r.Warnings | ForEach-Object Message)
    Verbose     = ($r.Verbose.Message -join "`n")
    ErrorId     = $bpfError.FullyQualifiedErrorId
    ErrorText   = "$bpfError"
    ErrorFix    = $bpfError.ErrorDetails.RecommendedAction
    Instances   = @(Get-OwnSessionInstance).Count
} | ConvertTo-Json -Depth 3
'@
}

AfterAll {
    Remove-Item $script:empty -ErrorAction Ignore
}

Describe 'Watch-Exec where BPF is missing' {
    It 'without <What>, Auto warns once with the reason and gives tracefs records; -Backend Bpf stops with BpfNotSupported' -ForEach @(
        @{ What = 'the kernel''s BTF'; Hide = 'NoBtf'; Reason = 'no BTF \(/sys/kernel/btf/vmlinux\)'; Fix = 'CONFIG_DEBUG_INFO_BTF' }
        @{ What = 'libbpf.so.1'; Hide = 'NoLibbpf'; Reason = 'libbpf\.so\.1 \(libbpf 1\.x\) is not installed'; Fix = 'apt-get install libbpf1' }
    ) {
        if (Skip-UnlessBpf) { return }
        if (-not (Get-Command unshare -ErrorAction Ignore)) { Set-ItResult -Skipped -Because 'unshare (util-linux) is not installed'; return }
        if ($Hide -eq 'NoLibbpf' -and -not (Test-Path $script:libbpf)) { Set-ItResult -Skipped -Because "libbpf is not at $($script:libbpf)"; return }

        $r = Invoke-WithoutBpf $Hide $script:probe

        $r.Available | Should -BeFalse
        $r.Detail | Should -Match $Reason
        $r.Warnings.Count | Should -Be 1 -Because ($r.Warnings -join ' | ')
        $r.Warnings[0] | Should -Match "^BPF is not available \($Reason"
        $r.Warnings[0] | Should -Match 'using the tracefs backend'
        $r.Warnings[0] | Should -Match $Fix
        $r.Records | Should -Be @("/bin/true $($r.Tag)")
        $r.Verbose | Should -Match 'Backend: .*uprobes on execve'
        $r.ErrorId | Should -BeLike 'BpfNotSupported*'
        $r.ErrorText | Should -Match "-Backend Bpf: BPF is not available: $Reason"
        $r.ErrorFix | Should -Match $Fix
        $r.Instances | Should -Be 0
        # The namespace was the child's own: the machine still has BTF and libbpf.
        Test-Path /sys/kernel/btf/vmlinux | Should -BeTrue
        (Get-TraceCapability Bpf).Available | Should -BeTrue
    }
}
