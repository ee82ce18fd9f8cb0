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
        $state = if ($env:PSTRACE_STATE_DIR) { $env:PSTRACE_STATE_DIR } else { '/run/pstrace' }
        Test-Path "$state/owner-$($child.Id)" | Should -BeFalse -Because 'a process forgets its owner record as it exits'
    }

    It 'leaves no owner record behind after a session that ends on its own' {
        if (Skip-UnlessLive) { return }
        $state = if ($env:PSTRACE_STATE_DIR) { $env:PSTRACE_STATE_DIR } else { '/run/pstrace' }
        $child = Start-PwshProcess 'Get-TraceEvent -Name sched:sched_process_exec -Duration 1 | Out-Null'
        $child.WaitForExit(60000) | Should -BeTrue
        $child.ExitCode | Should -Be 0
        Test-Path "$state/owner-$($child.Id)" | Should -BeFalse
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

Describe 'Reset-Trace and a session owner''s PID in use by another process' {
    BeforeAll {
        $script:state = if ($env:PSTRACE_STATE_DIR) { $env:PSTRACE_STATE_DIR } else { '/run/pstrace' }
        # Field 22 of /proc/PID/stat: what a session owner's record holds.
        function Get-StartTime([int] $ProcessId) {
            $stat = Get-Content "/proc/$ProcessId/stat" -Raw
            ($stat.Substring($stat.LastIndexOf(')') + 2) -split ' ')[19]
        }
    }

    BeforeEach {
        if (Get-LiveSkipReason) { return }
        # A live process that is not PSTrace, standing for one that got a dead session owner's PID.
        $script:stranger = Start-Process sleep 120 -PassThru
        $script:leftover = "pstrace-$($script:stranger.Id)-1"
        [IO.Directory]::CreateDirectory("/sys/kernel/tracing/instances/$script:leftover") | Out-Null
        New-Item -ItemType Directory $script:state -Force | Out-Null
    }

    AfterEach {
        if ($script:stranger) { $script:stranger.Kill(); $script:stranger.Dispose(); $script:stranger = $null }
        if (Test-Path "/sys/kernel/tracing/instances/$script:leftover") { [IO.Directory]::Delete("/sys/kernel/tracing/instances/$script:leftover") }
        Remove-Item "$script:state/owner-$($script:leftover -replace '^pstrace-(\d+)-1$', '$1')" -ErrorAction Ignore
    }

    It 'reaps the leftover of an owner whose PID now runs a process started at another time' {
        if (Skip-UnlessLive) { return }
        $id = $script:stranger.Id
        # The dead owner's record: the same PID, started earlier than the process that has it now.
        Set-Content "$script:state/owner-$id" ([long](Get-StartTime $id) - 1000)
        (Get-TraceInstance $script:leftover).OwnerAlive | Should -BeFalse
        (Reset-Trace -PassThru).Name | Should -Contain $script:leftover
        Test-Path "/sys/kernel/tracing/instances/$script:leftover" | Should -BeFalse
        Test-Path "$script:state/owner-$id" | Should -BeFalse -Because 'the record of a dead owner goes with its leftovers'
        $script:stranger.HasExited | Should -BeFalse -Because 'the process that has the PID now is not touched'
    }

    It 'reaps a session name made by hand, whose PID runs but never recorded itself as an owner' {
        if (Skip-UnlessLive) { return }
        Remove-Item "$script:state/owner-$($script:stranger.Id)" -ErrorAction Ignore
        (Get-TraceInstance $script:leftover).OwnerAlive | Should -BeFalse
        (Reset-Trace -PassThru).Name | Should -Contain $script:leftover
        Test-Path "/sys/kernel/tracing/instances/$script:leftover" | Should -BeFalse
    }

    It 'leaves the session of an owner that runs and started when its record says' {
        if (Skip-UnlessLive) { return }
        $id = $script:stranger.Id
        Set-Content "$script:state/owner-$id" (Get-StartTime $id)
        (Get-TraceInstance $script:leftover).OwnerAlive | Should -BeTrue
        (Reset-Trace -PassThru).Name | Should -Not -Contain $script:leftover
        Test-Path "/sys/kernel/tracing/instances/$script:leftover" | Should -BeTrue
    }
}
