#requires -Version 7.4
<#
build/Build-BpfPrograms.ps1 (run by `build.ps1 Build`) on a machine without clang: PATH holds only stand-ins (an
id that says "not root", an apt-get that must not be called), so nothing can be found or installed. The module is
then laid out without its BPF programs and a warning says why; under CI=true that is an error. The real compile is
tested by every build (the live BPF tests load its objects).
#>

BeforeAll {
    $script:Builder = Join-Path $PSScriptRoot '..' '..' 'build' 'Build-BpfPrograms.ps1'
    $script:Sources = Join-Path $PSScriptRoot '..' '..' 'src' 'PSTrace.Core' 'Bpf' 'Programs'

    function Invoke-WithoutClang([scriptblock] $Script) {
        $dir = Join-Path ([IO.Path]::GetTempPath()) "pstrace-noclang-$([guid]::NewGuid().ToString('n'))"
        New-Item -ItemType Directory -Path $dir | Out-Null
        Set-Content (Join-Path $dir 'id') "#!/bin/sh`necho 1000`n"
        Set-Content (Join-Path $dir 'apt-get') "#!/bin/sh`ntouch '$dir/apt-get-was-called'`nexit 1`n"
        chmod +x (Join-Path $dir 'id') (Join-Path $dir 'apt-get')
        $path = $env:PATH
        $ci = $env:CI
        $env:PATH = $dir
        try { & $Script $dir } finally { $env:PATH = $path; $env:CI = $ci; Remove-Item $dir -Recurse -Force -ErrorAction Ignore }
    }
}

Describe 'Build-BpfPrograms without clang' {
    It 'lays out no program and warns why, without installing anything' {
        if (-not (Test-Path /sys/kernel/btf/vmlinux)) { Set-ItResult -Skipped -Because 'this kernel has no BTF (the build says that first)'; return }
        Invoke-WithoutClang {
            param($dir)
            $env:CI = $null
            $out = Join-Path $dir 'bpf'
            $objects = & $Builder -Source $Sources -Destination $out -WorkDirectory (Join-Path $dir 'work') -WarningVariable warned 3>$null
            $objects | Should -BeNullOrEmpty
            "$warned" | Should -Match 'built without its BPF programs: missing clang, bpftool'
            "$warned" | Should -Match 'Get-TraceCapability Bpf'
            Test-Path (Join-Path $out '*.bpf.o') | Should -BeFalse
            Test-Path (Join-Path $dir 'apt-get-was-called') | Should -BeFalse -Because 'without root nothing is installed'
        }
    }

    It 'fails under CI=true, where a module without its BPF backend must not pass' {
        if (-not (Test-Path /sys/kernel/btf/vmlinux)) { Set-ItResult -Skipped -Because 'this kernel has no BTF'; return }
        Invoke-WithoutClang {
            param($dir)
            $env:CI = 'true'
            { & $Builder -Source $Sources -Destination (Join-Path $dir 'bpf') -WorkDirectory (Join-Path $dir 'work') 3>$null } |
                Should -Throw '*BPF programs cannot be built: missing clang*'
        }
    }
}
