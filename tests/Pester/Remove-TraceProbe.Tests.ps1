BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-Module "$PSScriptRoot/ProbeTestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    $script:instance = "pester-probe-$PID"
    $script:group = "pester_rmprobe_$PID"
    $script:live = -not (Get-LiveSkipReason)
    if ($script:live) { Initialize-ProbeTestInstance $script:instance }
}

AfterAll {
    if ($script:live) { Remove-ProbeTestState -Group $script:group -Instance $script:instance }
}

Describe 'Remove-TraceProbe' {
    AfterEach {
        if ($script:live) { Remove-ProbeTestState -Group $script:group }
    }

    It 'refuses to remove an enabled probe without -Force, saying so (EBUSY)' {
        if (Skip-UnlessLive) { return }
        $p = New-Uprobe -Path bash -Function readline -Group $script:group -Enable -Instance $script:instance
        $p | Remove-TraceProbe -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ProbeBusy,*'
        $err[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
        $err[0].Exception.Message | Should -Match ([regex]::Escape($script:instance))
        $err[0].ErrorDetails.RecommendedAction | Should -Match '-Force'
        (Get-TraceProbe readline -Group $script:group).EnabledInstances | Should -Be $script:instance
    }

    It 'disables it in every buffer and removes it with -Force' {
        if (Skip-UnlessLive) { return }
        $p = New-Uprobe -Path bash -Function readline -Group $script:group -Enable -Instance $script:instance
        $p | Remove-TraceProbe -Force
        Get-TraceProbe -Group $script:group | Should -BeNullOrEmpty
        Get-Content /sys/kernel/tracing/uprobe_events | Should -Not -Match ":$script:group/"
        Test-Path "/sys/kernel/tracing/instances/$script:instance/events/$script:group" | Should -BeFalse
    }

    It 'removes what Get-TraceProbe pipes to it' {
        if (Skip-UnlessLive) { return }
        New-Uprobe -Path bash -Function readline -Group $script:group | Out-Null
        New-Uprobe -Path bash -Function readline -Return -Group $script:group | Out-Null
        (Get-TraceProbe -Group $script:group).Count | Should -Be 2
        Get-TraceProbe -Group $script:group | Remove-TraceProbe
        Get-TraceProbe -Group $script:group | Should -BeNullOrEmpty
    }

    It 'removes by name, with the resolved probe as the ShouldProcess target' {
        if (Skip-UnlessLive) { return }
        $p = New-Uprobe -Path bash -Function readline -Group $script:group
        $verbose = Remove-TraceProbe readline -Group $script:group -Verbose 4>&1
        ($verbose | Out-String) | Should -Match ([regex]::Escape("on target `"$($p.Line)`""))
        Get-TraceProbe -Group $script:group | Should -BeNullOrEmpty
    }

    It 'leaves the probe under -WhatIf' {
        if (Skip-UnlessLive) { return }
        New-Uprobe -Path bash -Function readline -Group $script:group | Out-Null
        Remove-TraceProbe readline -Group $script:group -WhatIf
        (Get-TraceProbe readline -Group $script:group).Name | Should -Be 'readline'
    }

    It 'removes a deserialized probe (remoting, Import-Clixml) by its Name and Group' {
        if (Skip-UnlessLive) { return }
        $p = New-Uprobe -Path bash -Function readline -Group $script:group
        $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($p))
        $copy | Should -Not -BeOfType PSTrace.Core.Probes.TraceProbe
        $copy | Remove-TraceProbe
        Get-TraceProbe -Group $script:group | Should -BeNullOrEmpty
    }

    It 'says when there is no such probe' {
        if (Skip-UnlessLive) { return }
        Remove-TraceProbe "no_such_probe_$PID" -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ProbeNotFound,*'
    }
}
