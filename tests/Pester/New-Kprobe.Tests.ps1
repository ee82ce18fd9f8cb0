# New-Kprobe on this kind of kernel: built without CONFIG_KPROBES, so the cmdlet must say so and write nothing.
# Kprobes themselves are tested in New-Kprobe.Lane.Tests.ps1, on a kernel that has them (tests/lane).
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-Module "$PSScriptRoot/ProbeTestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    $script:group = "pester_kprobe_$PID"
    $script:hasKprobes = Test-Path /sys/kernel/tracing/kprobe_events
}

Describe 'New-Kprobe on a kernel without kprobes' {
    It 'is a terminating error that names CONFIG_KPROBES and what still works, writing nothing' {
        if (Skip-UnlessLive) { return }
        if ($script:hasKprobes) { Set-ItResult -Skipped -Because 'this kernel has kprobes (New-Kprobe.Lane.Tests.ps1 covers it)'; return }
        $before = Get-ProbeFileSnapshot
        $e = { New-Kprobe -Function do_sys_openat2 -Argument @{ dfd = '%di' } -Group $script:group } | Should -Throw -ErrorId 'KprobesNotSupported,*' -PassThru
        $e.CategoryInfo.Category | Should -Be 'NotImplemented'
        $e.Exception.Message | Should -Match 'CONFIG_KPROBES'
        $e.ErrorDetails.RecommendedAction | Should -Match 'New-Uprobe'
        $e.ErrorDetails.RecommendedAction | Should -Match 'tracepoints'
        Get-ProbeFileSnapshot | Should -Be $before
    }

    It 'gives the same error for a kprobe -Definition' {
        if (Skip-UnlessLive) { return }
        if ($script:hasKprobes) { Set-ItResult -Skipped -Because 'this kernel has kprobes'; return }
        { New-Kprobe -Definition "p:$script:group/listen sys_listen sd=%di" } | Should -Throw -ErrorId 'KprobesNotSupported,*'
    }

    It 'checks its input first: <What>' -ForEach @(
        @{ What = 'a line break in -Name'; Params = @{ Function = 'do_sys_openat2'; Name = "a`n-:kprobes/x" }; Id = 'InvalidProbe.LineBreak' }
        @{ What = "';' in -Group"; Params = @{ Function = 'do_sys_openat2'; Group = 'x;y' }; Id = 'InvalidProbe.Semicolon' }
        @{ What = 'a line break in -Function'; Params = @{ Function = "do_sys_openat2`n-:kprobes/x" }; Id = 'InvalidProbe.LineBreak' }
        @{ What = 'a line break in an argument'; Params = @{ Function = 'do_sys_openat2'; Argument = @{ a = "%di`n-:kprobes/x" } }; Id = 'InvalidProbe.LineBreak' }
        @{ What = 'an offset on a return probe'; Params = @{ Function = 'do_sys_openat2'; Return = $true; Offset = 4 }; Id = 'InvalidProbe.BadRetprobe' }
        @{ What = 'maxactive without -Return'; Params = @{ Function = 'do_sys_openat2'; MaxActive = 4 }; Id = 'InvalidProbe.BadMaxactType' }
        @{ What = '$retval on an entry probe'; Params = @{ Function = 'do_sys_openat2'; Argument = @{ r = '$retval' } }; Id = 'InvalidProbe.RetvalOnProbe' }
        @{ What = 'a uprobe definition'; Params = @{ Definition = 'r:bash_rl /bin/bash:0x8d2a0 line=+0($retval):string' }; Id = 'InvalidProbe.WrongProbeKind' }
        @{ What = 'a removal as definition'; Params = @{ Definition = '-:kprobes/x' }; Id = 'InvalidProbe.RemovalNotAllowed' }
    ) {
        if (Skip-UnlessLive) { return }
        $before = Get-ProbeFileSnapshot
        New-Kprobe @Params -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        Get-ProbeFileSnapshot | Should -Be $before
    }

    It 'completes -Function with the kernel''s functions (from /proc/kallsyms when available_filter_functions is not readable)' {
        if (Skip-UnlessLive) { return }
        (TabExpansion2 'New-Kprobe -Function do_sys_open').CompletionMatches.CompletionText | Should -Contain 'do_sys_openat2'
    }
}
