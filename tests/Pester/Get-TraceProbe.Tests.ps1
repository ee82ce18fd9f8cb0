BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-Module "$PSScriptRoot/ProbeTestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    $script:instance = "pester-probe-$PID"
    $script:group = "pester_getprobe_$PID"
    $script:other = "pester_getprobe2_$PID"
    $script:live = -not (Get-LiveSkipReason)
    if ($script:live) {
        Initialize-ProbeTestInstance $script:instance
        $script:rl = New-Uprobe -Path bash -Function readline -Return -Argument @{ line = '+0($retval):string' } -Group $script:group -Enable -Instance $script:instance
        $script:gai = New-Uprobe -Path libc.so.6 -Function getaddrinfo -Argument ([ordered]@{ node = '+0(%di):string'; service = '+0(%si):string' }) -Name gai -Group $script:group
        $script:third = New-Uprobe -Path bash -Function readline -Name rl_other -Group $script:other
    }
}

AfterAll {
    if ($script:live) { Remove-ProbeTestState -Group $script:group, $script:other -Instance $script:instance }
}

Describe 'Get-TraceProbe' {
    It 'lists each probe with its kind, group, name, place, arguments and where it is enabled' {
        if (Skip-UnlessLive) { return }
        $all = Get-TraceProbe -Group $script:group
        $all.Name | Sort-Object | Should -Be 'gai', 'readline__return'
        $rl = $all | Where-Object Name -EQ 'readline__return'
        $rl.Kind | Should -Be 'Uretprobe'
        $rl.FullName | Should -Be "$script:group/readline__return"
        $rl.EventName | Should -Be "${script:group}:readline__return"
        $rl.Place | Should -Match '^/.*/bash:0x[0-9a-f]{16}$'
        $rl.EnabledInstances | Should -Be $script:instance
        $rl.EnabledAtTopLevel | Should -BeFalse
        $rl.IsEnabled | Should -BeTrue
        $gai = $all | Where-Object Name -EQ 'gai'
        $gai.Kind | Should -Be 'Uprobe'
        $gai.Arguments | Should -Be 'node=+0(%di):string', 'service=+0(%si):string'
        $gai.IsEnabled | Should -BeFalse
        $gai.EnabledInstances | Should -BeNullOrEmpty
    }

    It 'shows the kernel''s listing line as its string, which parses back into the same definition' {
        if (Skip-UnlessLive) { return }
        $gai = Get-TraceProbe gai -Group $script:group
        "$gai" | Should -BeExactly ((Get-Content /sys/kernel/tracing/uprobe_events) -match "^p:$script:group/gai ")
        $gai.ToDefinition().Arguments.Name | Should -Be 'node', 'service'
    }

    It 'filters by name and group wildcards, and by group/name' {
        if (Skip-UnlessLive) { return }
        (Get-TraceProbe 'read*' -Group 'pester_getprobe*').FullName | Sort-Object | Should -Be "$script:group/readline__return"
        (Get-TraceProbe 'r*' -Group "pester_getprobe*_$PID").Name | Sort-Object | Should -Be 'readline__return', 'rl_other'
        (Get-TraceProbe "$script:other/*").Name | Should -Be 'rl_other'
        (Get-TraceProbe -Group $script:group -Kind Uprobe).Name | Should -Be 'gai'
    }

    It 'says when an exact name matches nothing, and stays silent for a wildcard' {
        if (Skip-UnlessLive) { return }
        Get-TraceProbe "no_such_probe_$PID" -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ProbeNotFound,*'
        Get-TraceProbe "no_such_probe_$PID*" -ErrorVariable err2 | Should -BeNullOrEmpty
        $err2 | Should -BeNullOrEmpty
    }

    It 'formats as a table, also after a round trip through serialization' {
        if (Skip-UnlessLive) { return }
        $p = Get-TraceProbe readline__return -Group $script:group
        $text = $p | Format-Table | Out-String -Width 200
        $text | Should -Match 'EnabledIn'
        $text | Should -Match ([regex]::Escape('line=+0($retval):string'))
        $text | Should -Match 'pester-probe'
        $text | Should -Match '/bash:0xc'
        $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($p))
        $copy.pstypenames | Should -Contain 'Deserialized.PSTrace.Core.Probes.TraceProbe'
        $copyText = $copy | Format-Table | Out-String -Width 200
        $copyText | Should -Be $text
        ($p | ConvertTo-Json | ConvertFrom-Json).FullName | Should -Be $p.FullName
    }
}
