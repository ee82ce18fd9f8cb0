#requires -Version 7.4
<#
build/Install-Prerequisites.ps1 (run by `build.ps1 Test`) with stand-ins on PATH: an apt-get
that records each call's arguments one per line, an id that says root, and empty
executables for the tools that are "present". PATH holds only the stand-ins' folder, so
the real apt-get is never reached and nothing is installed.
#>

BeforeAll {
    $script:Installer = Join-Path $PSScriptRoot '..' '..' 'build' 'Install-Prerequisites.ps1'

    # A folder of stand-ins; $Present are the tools that Get-Command should find.
    function New-StandIns([string[]] $Present) {
        $dir = Join-Path ([IO.Path]::GetTempPath()) "pstrace-prereq-$([guid]::NewGuid().ToString('n'))"
        New-Item -ItemType Directory -Path $dir | Out-Null
        $log = Join-Path $dir 'apt-get.log'
        $policy = Join-Path $dir 'policy-rc.d'
        # One "call" line per run, then one line per argument: a splatted string would show as letters;
        # then whether a policy-rc.d that stops services from starting was in place during the call.
        Set-Content (Join-Path $dir 'apt-get') "#!/bin/sh`necho call >> '$log'`nfor a in `"`$@`"; do echo `"`$a`" >> '$log'; done`nif [ -x '$policy' ]; then echo policy >> '$log'; fi`nexit 0`n"
        Set-Content (Join-Path $dir 'id') "#!/bin/sh`necho 0`n"
        foreach ($name in @('apt-get', 'id') + $Present) {
            $path = Join-Path $dir $name
            if (-not (Test-Path $path)) { Set-Content $path "#!/bin/sh`nexit 0`n" }
            chmod +x $path
        }
        $dir
    }

    # The apt-get calls recorded, each as the array of its arguments.
    function Get-AptCall([string] $Dir) {
        $log = Join-Path $Dir 'apt-get.log'
        if (-not (Test-Path $log)) { return , @() }
        $calls = [Collections.Generic.List[object]]::new()
        foreach ($line in Get-Content $log) {
            if ($line -eq 'call') { $calls.Add([Collections.Generic.List[string]]::new()) } else { $calls[-1].Add($line) }
        }
        , @($calls | ForEach-Object { , @($_) })
    }

    # The stand-in policy-rc.d path (the real one, /usr/sbin/policy-rc.d, is never touched here).
    function Invoke-WithStandIns([string] $Dir, [scriptblock] $Script) {
        $script:Policy = Join-Path $Dir 'policy-rc.d'
        $path = $env:PATH
        $env:PATH = $Dir
        try { & $Script } finally { $env:PATH = $path }
    }
}

Describe 'Install-Prerequisites' {
    AfterEach {
        if ($script:dir) { Remove-Item $script:dir -Recurse -Force -ErrorAction Ignore }
    }

    It 'does not call apt-get when no tool is missing' {
        $script:dir = New-StandIns -Present trace-cmd, gcc
        $installed = Invoke-WithStandIns $script:dir { & $Installer -Tool trace-cmd, gcc -ServicePolicy $Policy }
        $installed | Should -BeNullOrEmpty
        (Get-AptCall $script:dir).Count | Should -Be 0
    }

    It 'installs one missing tool as one package name' {
        $script:dir = New-StandIns -Present gcc
        $installed = Invoke-WithStandIns $script:dir { & $Installer -Tool trace-cmd, gcc -ServicePolicy $Policy 6>$null }
        $installed | Should -Be 'trace-cmd'
        $calls = Get-AptCall $script:dir
        $calls.Count | Should -Be 2
        $calls[0] | Should -Be @('update', '-qq', 'policy')
        $calls[1] | Should -Be @('install', '-o', 'DPkg::Lock::Timeout=600', '-y', '-qq', 'trace-cmd', 'policy') -Because 'no service may start during the install'
        $Policy | Should -Not -Exist -Because 'the policy made for the install is removed after it'
    }

    It 'installs two missing tools in one call, by their package names' {
        $script:dir = New-StandIns -Present gcc
        $installed = Invoke-WithStandIns $script:dir {
            & $Installer -Tool trace-cmd, gcc, sshd -Package @{ sshd = 'openssh-server' } -ServicePolicy $Policy 6>$null
        }
        $installed | Should -Be @('trace-cmd', 'openssh-server')
        $calls = Get-AptCall $script:dir
        $calls.Count | Should -Be 2
        $calls[1] | Should -Be @('install', '-o', 'DPkg::Lock::Timeout=600', '-y', '-qq', 'trace-cmd', 'openssh-server', 'policy')
    }

    It 'installs nothing and warns when not root' {
        $script:dir = New-StandIns -Present gcc
        Set-Content (Join-Path $script:dir 'id') "#!/bin/sh`necho 1000`n"
        $installed = Invoke-WithStandIns $script:dir { & $Installer -Tool trace-cmd, gcc -ServicePolicy $Policy -WarningVariable warned 3>$null; $warned }
        "$installed" | Should -Match 'Missing trace-cmd'
        (Get-AptCall $script:dir).Count | Should -Be 0
    }

    It 'installs the package of a missing file (-File) with the missing tools, and nothing for a file that is there' {
        $script:dir = New-StandIns -Present gcc
        $there = Join-Path $script:dir 'present.h'
        Set-Content $there ''
        $missing = Join-Path $script:dir 'include/bpf/bpf_helpers.h'
        $installed = Invoke-WithStandIns $script:dir {
            & $Installer -Tool bpftool, gcc -File @{ $missing = 'libbpf-dev'; $there = 'never-installed' } -ServicePolicy $Policy 6>$null
        }
        $installed | Should -Be @('bpftool', 'libbpf-dev')
        (Get-AptCall $script:dir)[1] | Should -Be @('install', '-o', 'DPkg::Lock::Timeout=600', '-y', '-qq', 'bpftool', 'libbpf-dev', 'policy')
    }
}
