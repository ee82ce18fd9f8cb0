BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    $script:name = "pester-inst-$PID"
}

AfterAll {
    # rmdir, as tracefs wants (Remove-Item would ask about the instance's files).
    if (Test-Path "/sys/kernel/tracing/instances/$script:name") { [IO.Directory]::Delete("/sys/kernel/tracing/instances/$script:name") }
}

Describe 'New-TraceInstance, Get-TraceInstance, Remove-TraceInstance' {
    It 'creates an instance with a buffer size and lists it' {
        if (Skip-UnlessLive) { return }
        $i = New-TraceInstance $script:name -BufferSizeKb 64
        $i.Name | Should -Be $script:name
        # The kernel rounds the size up to whole sub-buffers (64 became 67 on 6.18).
        $i.BufferSizeKb | Should -BeGreaterOrEqual 64
        $i.BufferSizeKb | Should -BeLessThan 80
        Test-Path "/sys/kernel/tracing/instances/$script:name" | Should -BeTrue
        (Get-TraceInstance "pester-inst-*").Name | Should -Contain $script:name
        (Get-TraceInstance $script:name).OwnerProcessId | Should -BeNullOrEmpty
    }

    It 'completes instance names with Tab' {
        if (Skip-UnlessLive) { return }
        $line = "Get-TraceInstance pester-inst-"
        $c = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $c.CompletionMatches.CompletionText | Should -Contain $script:name
    }

    It 'refuses a second instance of the same name' {
        if (Skip-UnlessLive) { return }
        New-TraceInstance $script:name -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InstanceExists*'
    }

    It 'does nothing under -WhatIf' {
        if (Skip-UnlessLive) { return }
        Get-TraceInstance $script:name | Remove-TraceInstance -WhatIf
        Test-Path "/sys/kernel/tracing/instances/$script:name" | Should -BeTrue
    }

    It 'removes it from the pipeline' {
        if (Skip-UnlessLive) { return }
        Get-TraceInstance $script:name | Remove-TraceInstance -Confirm:$false
        Test-Path "/sys/kernel/tracing/instances/$script:name" | Should -BeFalse
    }

    It 'rejects names that are not plain directory names, creating nothing' {
        if (Skip-UnlessLive) { return }
        # Other processes' sessions (pstrace-PID-N) may come and go meanwhile: they are left out of the comparison.
        $mine = { (Get-ChildItem /sys/kernel/tracing/instances).Name | Where-Object { $_ -notlike 'pstrace-*' -or $_ -like "pstrace-$PID-*" } }
        $before = & $mine
        foreach ($bad in '../evil', 'a/b', "x`ny", '..', 'with space') {
            New-TraceInstance $bad -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidInstanceName*'
        }
        & $mine | Should -Be $before
    }

    It 'says when an instance does not exist' {
        if (Skip-UnlessLive) { return }
        Get-TraceInstance 'pester-no-such' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InstanceNotFound*'
    }
}
