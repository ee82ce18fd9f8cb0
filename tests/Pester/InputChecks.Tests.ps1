# Input checks shared by every command: -Duration, and the kernel's own words for a refused filter.
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
}

Describe '-Duration in every command' {
    BeforeDiscovery {
        Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
        Import-PSTraceUnderTest
        $script:withDuration = @(Get-Command -Module PSTrace | Where-Object { $_.Parameters.ContainsKey('Duration') } | ForEach-Object Name)
    }

    It 'finds the commands that take -Duration' {
        $withDuration.Count | Should -BeGreaterOrEqual 10
    }

    It '<_> refuses zero and negative durations before doing anything' -ForEach $withDuration {
        foreach ($bad in 0, -5, '-1s', '0ms', [timespan]::Zero, [timespan]::FromSeconds(-3)) {
            $err = { & $_ -Duration $bad -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentTransformationError*' -PassThru
            $err.Exception.Message | Should -Match 'longer than zero'
        }
        Get-OwnSessionInstance | Should -BeNullOrEmpty
    }

    It 'still takes a positive duration in each form' {
        $attribute = [PSTrace.DurationTransformationAttribute]::new()
        $attribute.Transform($null, 10) | Should -Be ([timespan]::FromSeconds(10))
        $attribute.Transform($null, '500ms') | Should -Be ([timespan]::FromMilliseconds(500))
        $attribute.Transform($null, [timespan]'00:00:02') | Should -Be ([timespan]::FromSeconds(2))
    }
}

Describe 'A filter the kernel refuses' {
    It 'is reported with the kernel''s parse error and caret first' {
        if (Skip-UnlessLive) { return }
        $err = { Get-TraceEvent -Name sched:sched_process_exec -Filter 'filename == "abc' -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'KernelRejected*' -PassThru
        $lines = $err.Exception.Message -split "`n"
        $lines[0] | Should -Be 'Missing matching quote'
        $lines[1] | Should -Be '  Command: filename == "abc'
        $lines[2] | Should -Be ((' ' * '  Command: filename == '.Length) + '^')
        $err.Exception.Message | Should -Not -Match '^The kernel rejected'
        Get-OwnSessionInstance | Should -BeNullOrEmpty
    }

    It 'is reported the same way by Enable-TraceEvent' {
        if (Skip-UnlessLive) { return }
        $name = "pester-filter-$PID"
        New-TraceInstance -Name $name | Out-Null
        try {
            Enable-TraceEvent -Instance $name -Name sched:sched_process_exec -Filter 'pid > ' -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].Exception.Message | Should -Not -Match '^The kernel rejected'
            $err[0].Exception.Message | Should -Match '(?m)^\s+\^$'
        }
        finally { Remove-TraceInstance -Name $name -Confirm:$false }
    }
}
