BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
}

Describe 'Reset-Trace' {
    It 'reaps the instance of a session killed with kill -9, and nothing else' {
        if (Skip-UnlessLive) { return }
        $bystander = "pester-bystander-$PID"
        New-TraceInstance $bystander | Out-Null
        try {
            $child = Start-PwshProcess 'Get-TraceEvent -Name sched:sched_process_exec | Out-Null'
            $orphan = Wait-ProcessSessionInstance $child.Id
            if (-not $orphan) { $child.Kill() }
            $orphan | Should -Not -BeNullOrEmpty -Because 'the child session should have made its instance'
            kill -9 $child.Id
            $child.WaitForExit()
            (Get-TraceInstance $orphan.Name).OwnerAlive | Should -BeFalse

            $reaped = Reset-Trace -PassThru
            $reaped.Name | Should -Contain $orphan.Name
            Test-Path $orphan.FullName | Should -BeFalse
            Test-Path "/sys/kernel/tracing/instances/$bystander" | Should -BeTrue
        }
        finally { Remove-TraceInstance $bystander -Confirm:$false -ErrorAction Ignore }
    }

    It 'needs no reaping when the session is ended with SIGTERM' {
        if (Skip-UnlessLive) { return }
        $child = Start-PwshProcess 'Get-TraceEvent -Name sched:sched_process_exec | Out-Null'
        $instance = Wait-ProcessSessionInstance $child.Id
        if (-not $instance) { $child.Kill() }
        $instance | Should -Not -BeNullOrEmpty
        kill -TERM $child.Id
        $child.WaitForExit(30000) | Should -BeTrue
        Test-Path $instance.FullName | Should -BeFalse
    }

    It 'leaves a running session alone without -All' {
        if (Skip-UnlessLive) { return }
        $run = Start-InRunspace 'Get-TraceEvent -Name sched:sched_process_exec -Duration 20'
        try {
            $instance = Wait-SessionReady
            Reset-Trace
            Test-Path "/sys/kernel/tracing/instances/$instance" | Should -BeTrue
            (Reset-Trace -All -WhatIf) | Should -BeNullOrEmpty
            Test-Path "/sys/kernel/tracing/instances/$instance" | Should -BeTrue
        }
        finally { $run.PowerShell.Stop(); $run.PowerShell.Dispose() }
        Get-OwnSessionInstance | Should -BeNullOrEmpty
    }
}
