# What PSTrace did not make is not removed without asking, and -Instance '' is not the top-level buffer.
# The removals run in runspaces or pwsh processes that cannot prompt: a question there is an error, never a hang.
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-Module "$PSScriptRoot/ProbeTestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    $script:bystander = "pester-bystander-$PID"
    $script:foreignGroup = "pester_foreign_$PID"
    $script:ownGroup = "pester_own_$PID"
    $script:live = -not (Get-LiveSkipReason)

    # Runs a command in a runspace of this process (no host to ask with) and returns its errors.
    function Invoke-Unprompted([string] $Command) {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$env:PSTRACE_MODULE'; $Command")
            $null = $ps.Invoke()
            @($ps.Streams.Error)
        }
        finally { $ps.Dispose() }
    }

    # Runs a command in a pwsh whose console reads $Answer from its input, and returns what it printed.
    function Invoke-Answered([string] $Command, [string] $Answer) {
        $psi = [Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
        foreach ($a in (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-c', "Import-Module '$env:PSTRACE_MODULE'; $Command") { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardInput = $true
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $p = [Diagnostics.Process]::Start($psi)
        try {
            $p.StandardInput.WriteLine($Answer)
            $p.StandardInput.Close()
            $out = $p.StandardOutput.ReadToEndAsync()
            $err = $p.StandardError.ReadToEndAsync()
            if (-not $p.WaitForExit(60000)) { $p.Kill(); throw "'$Command' did not end." }
            $out.Result + $err.Result
        }
        finally { $p.Dispose() }
    }

    # A uprobe on bash's readline written to uprobe_events by hand (as another tool would), in $Group.
    function New-HandMadeProbe([string] $Group, [string] $Name) {
        $p = New-Uprobe -Path bash -Function readline -Group "$($script:ownGroup)_tmp" -WhatIf:$false
        $definition = ($p.Line -replace '^p:[^ ]+', "p:$Group/$Name")
        Remove-TraceProbe $p.Name -Group $p.Group
        Add-Content /sys/kernel/tracing/uprobe_events $definition
    }
}

AfterAll {
    if ($script:live) {
        Remove-ProbeTestState -Group $script:foreignGroup, $script:ownGroup, "$($script:ownGroup)_tmp"
        if (Test-Path "/sys/kernel/tracing/instances/$script:bystander") { [IO.Directory]::Delete("/sys/kernel/tracing/instances/$script:bystander") }
    }
}

Describe 'Remove-TraceInstance of an instance PSTrace did not make' {
    BeforeEach {
        if ($script:live -and -not (Test-Path "/sys/kernel/tracing/instances/$script:bystander")) {
            [IO.Directory]::CreateDirectory("/sys/kernel/tracing/instances/$script:bystander") | Out-Null
            Set-Content "/sys/kernel/tracing/instances/$script:bystander/events/sched/sched_process_exec/enable" 1
        }
    }

    It 'asks, even under -Confirm:$false, and keeps it when the answer is no' {
        if (Skip-UnlessLive) { return }
        $printed = Invoke-Answered "Remove-TraceInstance $script:bystander -Confirm:`$false" 'N'
        $printed | Should -Match "PSTrace did not make instance $script:bystander"
        Test-Path "/sys/kernel/tracing/instances/$script:bystander" | Should -BeTrue
    }

    It 'removes it when the answer is yes' {
        if (Skip-UnlessLive) { return }
        Invoke-Answered "Remove-TraceInstance $script:bystander -Confirm:`$false" 'Y' | Out-Null
        Test-Path "/sys/kernel/tracing/instances/$script:bystander" | Should -BeFalse
    }

    It 'is an error naming -Force where no one can be asked, and the instance stays' {
        if (Skip-UnlessLive) { return }
        $errors = Invoke-Unprompted "Remove-TraceInstance $script:bystander -Confirm:`$false"
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'NotMadeByPSTrace,*'
        $errors[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $errors[0].ErrorDetails.RecommendedAction | Should -Match '-Force'
        Test-Path "/sys/kernel/tracing/instances/$script:bystander" | Should -BeTrue
    }

    It 'removes it with -Force' {
        if (Skip-UnlessLive) { return }
        $errors = Invoke-Unprompted "Remove-TraceInstance $script:bystander -Force -Confirm:`$false"
        $errors | Should -BeNullOrEmpty
        Test-Path "/sys/kernel/tracing/instances/$script:bystander" | Should -BeFalse
    }

    It 'removes one New-TraceInstance made without asking' {
        if (Skip-UnlessLive) { return }
        $mine = "pester-mine-$PID"
        New-TraceInstance $mine | Out-Null
        $errors = Invoke-Unprompted "Remove-TraceInstance $mine -Confirm:`$false"
        $errors | Should -BeNullOrEmpty
        Test-Path "/sys/kernel/tracing/instances/$mine" | Should -BeFalse
    }
}

Describe 'Remove-TraceProbe of probes PSTrace did not make' {
    BeforeEach {
        if ($script:live) {
            Remove-ProbeTestState -Group $script:foreignGroup, $script:ownGroup
            New-HandMadeProbe $script:foreignGroup 'theirs'
            New-Uprobe -Path bash -Function readline -Name 'ours' -Group $script:ownGroup | Out-Null
        }
    }

    It 'does not remove them by wildcard without -Force, and still removes its own' {
        if (Skip-UnlessLive) { return }
        $errors = Invoke-Unprompted "Remove-TraceProbe * -Group 'pester_*_$PID' -Confirm:`$false"
        @($errors | Where-Object FullyQualifiedErrorId -like 'NotMadeByPSTrace,*').Count | Should -Be 1
        "$($errors[0])" | Should -Match "$script:foreignGroup/theirs"
        (Get-TraceProbe -Group $script:foreignGroup).Name | Should -Be 'theirs'
        Get-TraceProbe -Group $script:ownGroup | Should -BeNullOrEmpty
    }

    It 'does not remove them by -Group alone (every name in it) without -Force' {
        if (Skip-UnlessLive) { return }
        $errors = Invoke-Unprompted "Remove-TraceProbe * -Group $script:foreignGroup -Confirm:`$false"
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'NotMadeByPSTrace,*'
        (Get-TraceProbe -Group $script:foreignGroup).Name | Should -Be 'theirs'
    }

    It 'asks for one named exactly, even under -Confirm:$false' {
        if (Skip-UnlessLive) { return }
        $printed = Invoke-Answered "Remove-TraceProbe theirs -Group $script:foreignGroup -Confirm:`$false" 'N'
        $printed | Should -Match "PSTrace did not make probe $script:foreignGroup/theirs"
        (Get-TraceProbe -Group $script:foreignGroup).Name | Should -Be 'theirs'
    }

    It 'removes them with -Force' {
        if (Skip-UnlessLive) { return }
        $errors = Invoke-Unprompted "Remove-TraceProbe * -Group 'pester_*_$PID' -Force -Confirm:`$false"
        $errors | Should -BeNullOrEmpty
        Get-TraceProbe -Group $script:foreignGroup | Should -BeNullOrEmpty
        Get-TraceProbe -Group $script:ownGroup | Should -BeNullOrEmpty
    }
}

Describe "-Instance '' is not the top-level buffer" {
    It 'Enable-TraceEvent refuses it, saying what to give instead, and enables nothing' {
        if (Skip-UnlessLive) { return }
        $before = Get-Content /sys/kernel/tracing/set_event -Raw
        $unset = $null
        $e = { Enable-TraceEvent sched:sched_process_exec -Instance "$unset" } | Should -Throw -ErrorId 'InstanceEmpty,*' -PassThru
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.ErrorDetails.RecommendedAction | Should -Match "-Instance '/'"
        Get-Content /sys/kernel/tracing/set_event -Raw | Should -Be $before
    }

    It 'New-Uprobe -Enable refuses it and creates nothing' {
        if (Skip-UnlessLive) { return }
        { New-Uprobe -Path bash -Function readline -Group $script:ownGroup -Enable -Instance '' } | Should -Throw -ErrorId 'InstanceEmpty,*'
        Get-TraceProbe -Group $script:ownGroup | Should -BeNullOrEmpty
    }

    It 'Get-TraceEvent and Disable-TraceEvent refuse it' {
        if (Skip-UnlessLive) { return }
        { Get-TraceEvent -Instance '' } | Should -Throw -ErrorId 'InstanceEmpty,*'
        { Disable-TraceEvent sched:sched_process_exec -Instance ' ' } | Should -Throw -ErrorId 'InstanceEmpty,*'
    }

    It "still takes a piped record's empty Instance as the top level it came from" {
        if (Skip-UnlessLive) { return }
        $state = [pscustomobject]@{ Instance = '' }
        { $state | Disable-TraceEvent sched:sched_process_exec -WhatIf -ErrorAction Stop } | Should -Not -Throw
    }

    It "takes '/' as the top-level buffer" {
        if (Skip-UnlessLive) { return }
        # -WhatIf: the top-level buffer is everyone's; a snapshot of it is harmless.
        { Enable-TraceEvent sched:sched_process_exec -Instance '/' -WhatIf -ErrorAction Stop } | Should -Not -Throw
        { Get-TraceEvent -Instance '/' -MaxEvents 1 -ErrorAction Stop | Out-Null } | Should -Not -Throw
    }
}
