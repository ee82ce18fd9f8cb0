BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-Module "$PSScriptRoot/ProbeTestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    $script:instance = "pester-probe-$PID"
    $script:group = "pester_uprobe_$PID"
    $script:live = -not (Get-LiveSkipReason)
    if ($script:live) { Initialize-ProbeTestInstance $script:instance }
    $script:bash = [PSTrace.Core.Probes.Elf.UprobeResolver]::new().Resolve('bash', 'readline')
}

AfterAll {
    if ($script:live) { Remove-ProbeTestState -Group $script:group -Instance $script:instance }
}

Describe 'New-Uprobe' {
    AfterEach {
        if ($script:live) { Remove-ProbeTestState -Group $script:group }
    }

    It 'catches a line typed into an interactive bash (a uretprobe on readline with +0($retval):string)' {
        if (Skip-UnlessLive) { return }
        $p = New-Uprobe -Path bash -Function readline -Return -Argument @{ line = '+0($retval):string' } -Group $script:group -Enable -Instance $script:instance
        $p | Should -BeOfType PSTrace.Core.Probes.TraceProbe
        $p.Kind | Should -Be 'Uretprobe'
        $p.Name | Should -Be 'readline__return'
        $p.Place | Should -Be ('{0}:0x{1:x16}' -f $script:bash.Path, $script:bash.Offset)
        $p.Arguments | Should -Be 'line=+0($retval):string'
        $p.EnabledInstances | Should -Be $script:instance
        $p.EnabledAtTopLevel | Should -BeFalse

        $typed = "echo pester-readline-$PID"
        Invoke-InteractiveBash $typed
        $lines = @(Get-ProbeHit $p $script:instance | ForEach-Object { $_.Arguments['line'] })
        $lines | Should -Contain $typed
        $lines | Should -Contain 'exit'
    }

    It 'catches the host name getent asks libc''s getaddrinfo for (+0(%di):string)' {
        if (Skip-UnlessLive) { return }
        $p = New-Uprobe -Path libc.so.6 -Function getaddrinfo -Argument @{ node = '+0(%di):string' } -Name gai -Group $script:group -Enable -Instance $script:instance
        $p.Kind | Should -Be 'Uprobe'
        $p.Place | Should -BeLike '/*/libc.so.6:0x*'
        getent ahosts localhost | Out-Null
        $hits = @(Get-ProbeHit $p $script:instance)
        $hits.Count | Should -BeGreaterThan 0
        $hits | ForEach-Object { $_.Arguments['node'] } | Should -Contain 'localhost'
    }

    It 'takes the kernel''s one-line syntax and lists it back the same' {
        if (Skip-UnlessLive) { return }
        $line = 'r:{0}/rl_def {1}:0x{2:x} line=+0($retval):string' -f $script:group, $script:bash.Path, $script:bash.Offset
        $p = New-Uprobe -Definition $line
        $p.Group | Should -Be $script:group
        $p.Name | Should -Be 'rl_def'
        $p.Kind | Should -Be 'Uretprobe'
        $p.ToString() | Should -Be ('r:{0}/rl_def {1}:0x{2:x16} line=+0($retval):string' -f $script:group, $script:bash.Path, $script:bash.Offset)
        # What Get-TraceProbe lists is itself a definition New-Uprobe takes (here under another name).
        (New-Uprobe -Definition $p.Line -Name rl_again).Place | Should -Be $p.Place
    }

    It 'probes a file offset, with the kernel''s default name and the path''s symlinks resolved' {
        if (Skip-UnlessLive) { return }
        $p = New-Uprobe -Path /bin/bash -Offset $script:bash.Offset -Group $script:group
        $p.Name | Should -Be ('p_bash_0x{0:x}' -f $script:bash.Offset)
        $p.Place | Should -BeLike "$(readlink -f /bin/bash):0x*"
    }

    It 'resolves a library through a running process''s maps' {
        if (Skip-UnlessLive) { return }
        $sleeper = Start-Process sleep 30 -PassThru
        try {
            $p = New-Uprobe -ProcessId $sleeper.Id -Path libc -Function getaddrinfo -Name gai_pid -Group $script:group
            $mapped = (Get-Content "/proc/$($sleeper.Id)/maps") -match 'libc\.so' | ForEach-Object { ($_ -split '\s+', 6)[5] } | Select-Object -First 1
            $p.Place | Should -BeLike "${mapped}:0x*"
        }
        finally { Stop-Process -Id $sleeper.Id }
    }

    It 'creates nothing under -WhatIf' {
        if (Skip-UnlessLive) { return }
        $before = Get-ProbeFileSnapshot
        New-Uprobe -Path bash -Function readline -Group $script:group -WhatIf | Should -BeNullOrEmpty
        Get-ProbeFileSnapshot | Should -Be $before
    }

    It 'refuses a name that is taken instead of adding a place to the existing event' {
        if (Skip-UnlessLive) { return }
        New-Uprobe -Path bash -Function readline -Name taken -Group $script:group | Out-Null
        $before = Get-ProbeFileSnapshot
        New-Uprobe -Path libc.so.6 -Function getaddrinfo -Name taken -Group $script:group -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ProbeExists,*'
        Get-ProbeFileSnapshot | Should -Be $before
    }

    It 'refuses a kprobe definition' {
        if (Skip-UnlessLive) { return }
        $before = Get-ProbeFileSnapshot
        New-Uprobe -Definition "p:$script:group/listen sys_listen sd=%di" -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidProbe.WrongProbeKind,*'
        $err[0].ErrorDetails.Message | Should -Match 'New-Kprobe'
        Get-ProbeFileSnapshot | Should -Be $before
    }

    It 'says which program has a function it only imports' {
        if (Skip-UnlessLive) { return }
        New-Uprobe -Path bash -Function getaddrinfo -Group $script:group -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SymbolNotResolved,*'
    }

    It 'removes the probe again when the kernel refuses to enable it, leaving nothing half-made' {
        if (Skip-UnlessLive) { return }
        # The kernel takes a uprobe at an offset past the end of the file, and refuses it only when it is enabled (EINVAL).
        $before = Get-ProbeFileSnapshot
        New-Uprobe -Path bash -Offset 0x7fffffff -Name past_end -Group $script:group -Enable -Instance $script:instance -ErrorVariable err -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ProbeNotEnabled,*'
        $err[0].Exception.Message | Should -Match 'removed again'
        $err[0].Exception.InnerException.Errno | Should -Be 22
        $err[0].Exception.InnerException.Written | Should -Be '1'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'offset 0x7fffffff'
        Get-ProbeFileSnapshot | Should -Be $before
    }

    It 'completes -Function with the functions of -Path' {
        $bash = (TabExpansion2 'New-Uprobe -Path bash -Function readl').CompletionMatches.CompletionText
        $bash | Should -Contain 'readline'
        $bash | Should -Not -Contain 'getaddrinfo' -Because 'bash only imports it'
        (TabExpansion2 'New-Uprobe -Path libc.so.6 -Function getaddrin').CompletionMatches.CompletionText | Should -Contain 'getaddrinfo'
    }

    It 'refuses -Instance without -Enable' {
        if (Skip-UnlessLive) { return }
        { New-Uprobe -Path bash -Function readline -Group $script:group -Instance $script:instance } | Should -Throw -ErrorId 'InstanceWithoutEnable*'
        @(Get-TraceProbe -Group $script:group).Count | Should -Be 0
    }
}

Describe 'New-Uprobe refuses text that could define or delete another probe' {
    BeforeDiscovery {
        $nl = "`n"
        $cases = @(
            @{ What = 'a line break in -Name'; Params = @{ Name = "a${nl}b" } }
            @{ What = 'a removal after a line break in -Name'; Params = @{ Name = "a$nl-:uprobes/other" } }
            @{ What = 'a carriage return in -Name'; Params = @{ Name = "a`rb" } }
            @{ What = "';' in -Group"; Params = @{ Group = 'x;y' } }
            @{ What = 'a line break in -Group'; Params = @{ Group = "g$nl-:uprobes/x" } }
            @{ What = "' -:' in -Group"; Params = @{ Group = 'g -:uprobes/x' } }
            @{ What = 'a line break in -Path'; Params = @{ Path = "/bin/bash$nl-:uprobes/other" } }
            @{ What = "'#' in -Path"; Params = @{ Path = '/bin/bash#x' } }
            @{ What = 'a line break in -Function'; Params = @{ Function = "readline$nl-:uprobes/other" } }
            @{ What = 'a line break in an argument name'; Params = @{ Argument = @{ "a${nl}b" = '%di' } } }
            @{ What = "'=' in an argument name"; Params = @{ Argument = @{ 'x=%si y' = '%di' } } }
            @{ What = 'a space in an argument name'; Params = @{ Argument = @{ 'a b' = '%di' } } }
            @{ What = 'a line break in an argument value'; Params = @{ Argument = @{ a = "%di$nl-:uprobes/other" } } }
            @{ What = "' -:' in an argument value"; Params = @{ Argument = @{ a = '%di -:uprobes/other' } } }
            @{ What = "'#' in an argument value"; Params = @{ Argument = @{ a = '%di#' } } }
            @{ What = "';' in an argument value"; Params = @{ Argument = @{ a = '%di;x' } } }
            @{ What = 'a line break in a name=fetcharg string'; Params = @{ Argument = "a=%di$nl-:x/y" } }
            @{ What = 'a second definition in a name=fetcharg string'; Params = @{ Argument = 'a=%di p:x/y /bin/sh:0x1' } }
        )
        $definitions = @(
            @{ What = 'a removal after a line break'; Line = "p:G/ok /bin/bash:0x1$nl-:uprobes/other" }
            @{ What = "a removal after ';'"; Line = 'p:G/ok /bin/bash:0x1; -:uprobes/other' }
            @{ What = "a removal after '#'"; Line = 'p:G/ok /bin/bash:0x1 # -:uprobes/other' }
            @{ What = "a removal in place of an argument"; Line = 'p:G/ok /bin/bash:0x1 -:uprobes/other' }
            @{ What = 'a second definition on the line'; Line = 'p:G/a /bin/bash:0x1 p:G/b /bin/bash:0x2' }
            @{ What = 'a removal alone'; Line = '-:uprobes/other' }
            @{ What = 'a removal with !'; Line = '!p:G/a /bin/bash:0x1' }
            @{ What = 'a line break in the name'; Line = "p:G/a${nl}b /bin/bash:0x1" }
            @{ What = 'a NUL'; Line = "p:G/a /bin/bash:0x1`0-:uprobes/other" }
        )
    }

    BeforeAll {
        $script:resolved = @{ Path = 'bash'; Function = 'readline'; Group = $script:group }
    }

    It 'refuses <What>, writing nothing' -ForEach $cases {
        if (Skip-UnlessLive) { return }
        $before = Get-ProbeFileSnapshot
        $parameters = $script:resolved.Clone()
        foreach ($k in $Params.Keys) { $parameters[$k] = $Params[$k] }
        New-Uprobe @parameters -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err.Count | Should -BeGreaterThan 0
        $err[0].FullyQualifiedErrorId | Should -Match '^(InvalidProbe\.|SymbolNotResolved)'
        Get-ProbeFileSnapshot | Should -Be $before
    }

    It 'refuses -Definition with <What>, writing nothing' -ForEach $definitions {
        if (Skip-UnlessLive) { return }
        $before = Get-ProbeFileSnapshot
        New-Uprobe -Definition ($Line -replace 'G/', "$script:group/") -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidProbe.*'
        $err[0].ErrorDetails.Message | Should -Not -Match "`n-:" -Because 'the message shows control characters as symbols'
        Get-ProbeFileSnapshot | Should -Be $before
    }

    It 'refuses an instance name with a line break before writing anything' {
        if (Skip-UnlessLive) { return }
        $before = Get-ProbeFileSnapshot
        { New-Uprobe -Path bash -Function readline -Group $script:group -Enable -Instance "x`ny" } | Should -Throw -ErrorId 'InvalidInstanceName*'
        Get-ProbeFileSnapshot | Should -Be $before
    }

    It 'names the parameter the refused text came from' {
        if (Skip-UnlessLive) { return }
        New-Uprobe -Path bash -Function readline -Group "x`ny" -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].ErrorDetails.Message | Should -BeLike '-Group: *line break*'
        $err[0].Exception.Code | Should -Be 'LineBreak'
    }
}
