# Kprobes on a kernel that has them. This kernel does not (CONFIG_KPROBES is off): tests/lane runs the
# files tagged Lane inside a qemu guest with Debian's 6.1 kernel; ./build.ps1 Test leaves them out.
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-Module "$PSScriptRoot/ProbeTestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    $script:instance = "pester-kprobe-$PID"
    $script:group = "pester_kprobe_$PID"
    $script:ready = -not (Get-LiveSkipReason) -and (Test-Path /sys/kernel/tracing/kprobe_events)
    if ($script:ready) { Initialize-ProbeTestInstance $script:instance }
    # A file only this run opens, so its hits can be told from everyone else's opens.
    $script:file = Join-Path ([IO.Path]::GetTempPath()) "pester-kprobe-$PID.txt"
    Set-Content $script:file 'kprobe'

    function Skip-UnlessKprobes {
        if (Skip-UnlessLive) { return $true }
        if (-not $script:ready) { Set-ItResult -Skipped -Because 'this kernel has no kprobe_events'; return $true }
        $false
    }
}

AfterAll {
    if ($script:ready) { Remove-ProbeTestState -Group $script:group -Instance $script:instance }
    Remove-Item $script:file -ErrorAction Ignore
}

Describe 'New-Kprobe' -Tag 'Lane' {
    It 'probes do_sys_openat2 with a string and a register argument, and its hits read back as ProbeHit' {
        if (Skip-UnlessKprobes) { return }
        $p = New-Kprobe -Function do_sys_openat2 -Argument ([ordered]@{ filename = '+0(%si):string'; dfd = '%di' }) -Group $script:group -Enable -Instance $script:instance
        $p.Kind | Should -Be 'Kprobe'
        $p.Name | Should -Be 'do_sys_openat2'
        $p.Place | Should -Be 'do_sys_openat2'
        $p.Arguments | Should -Be 'filename=+0(%si):string', 'dfd=%di'
        $p.EnabledInstances | Should -Be $script:instance

        cat $script:file | Out-Null
        $hits = @(Get-ProbeHit $p $script:instance | Where-Object { $_.Arguments['filename'] -eq $script:file })
        $hits.Count | Should -BeGreaterThan 0
        $hits[0].Symbol | Should -BeLike 'do_sys_openat2+0x0/*'
        $hits[0].Arguments['dfd'] | Should -BeOfType [ulong]
    }

    It 'probes the return of do_sys_openat2 with $retval' {
        if (Skip-UnlessKprobes) { return }
        $r = New-Kprobe -Function do_sys_openat2 -Return -Argument @{ ret = '$retval:s32' } -Group $script:group -Enable -Instance $script:instance
        $r.Kind | Should -Be 'Kretprobe'
        $r.Name | Should -Be 'do_sys_openat2__return'

        cat $script:file | Out-Null
        $hits = @(Get-ProbeHit $r $script:instance)
        $hits.Count | Should -BeGreaterThan 0
        $hits[0].ReturnSymbol | Should -Not -BeNullOrEmpty
        $hits | ForEach-Object { $_.Arguments['ret'] } | Should -BeOfType [long]
        @($hits | Where-Object { $_.Arguments['ret'] -ge 0 }).Count | Should -BeGreaterThan 0
    }

    It 'puts the kernel''s error_log text in the error when the kernel refuses, and leaves nothing' {
        if (Skip-UnlessKprobes) { return }
        $before = Get-ProbeFileSnapshot
        New-Kprobe -Function "pstrace_no_such_function_$PID" -Group $script:group -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'KernelRejected,*'
        $err[0].Exception.Written | Should -BeLike "p:$script:group/pstrace_no_such_function_$PID pstrace_no_such_function_$PID"
        Get-ProbeFileSnapshot | Should -Be $before
    }

    It 'removes them with -Force, leaving nothing behind' {
        if (Skip-UnlessKprobes) { return }
        (Get-TraceProbe -Group $script:group).Count | Should -Be 2
        Get-TraceProbe -Group $script:group | Remove-TraceProbe -Force
        Get-TraceProbe -Group $script:group | Should -BeNullOrEmpty
        Get-Content /sys/kernel/tracing/kprobe_events | Should -Not -Match ":$script:group/"
        Test-Path "/sys/kernel/tracing/instances/$script:instance/events/$script:group" | Should -BeFalse
    }
}
