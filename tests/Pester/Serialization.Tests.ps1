# Records travel: Export-Clixml/Import-Clixml and remoting (a job uses the same serializer and default
# depth) must bring a FunctionCall tree back whole, so the Tree view lays it out as before.
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    # Real function_graph output of Debian's 6.1 kernel: its deepest tree nests 23 calls (998 calls in all).
    $script:graph = Join-Path $PSScriptRoot '../fixtures/6.1/fgraph-openat2-full.txt'
    function Get-DeepestTree([string]$Path) {
        Get-TraceEvent -Path $Path | Sort-Object { ($_.GetDescendantsAndSelf() | Measure-Object Depth -Maximum).Maximum } -Descending | Select-Object -First 1
    }
    $script:tree = Get-DeepestTree $graph
    $script:expected = $tree | Format-Custom -View Tree | Out-String -Width 200
}

Describe 'A FunctionCall tree serialized' {
    It 'is deep enough to need more than the default depth' {
        ($tree.GetDescendantsAndSelf() | Measure-Object Depth -Maximum).Maximum | Should -BeGreaterThan 10
    }

    It 'survives Export-Clixml and Import-Clixml at the default depth' {
        $file = Join-Path ([IO.Path]::GetTempPath()) "pstrace-tree-$PID.xml"
        try {
            $tree | Export-Clixml $file
            $back = Import-Clixml $file
            $back.pstypenames | Should -Contain 'Deserialized.PSTrace.Core.Records.FunctionCall'
            $deepest = $back
            while ($deepest.Children.Count -gt 0) { $deepest = $deepest.Children[-1] }
            $deepest | Should -Not -BeOfType [string]
            ($back | Format-Custom -View Tree | Out-String -Width 200) | Should -BeExactly $expected
        }
        finally { Remove-Item $file -ErrorAction Ignore }
    }

    It 'survives the remoting serializer (a job)' {
        $back = Start-Job {
            param($module, $path)
            Import-Module $module
            Get-TraceEvent -Path $path | Sort-Object { ($_.GetDescendantsAndSelf() | Measure-Object Depth -Maximum).Maximum } -Descending | Select-Object -First 1
        } -ArgumentList $env:PSTRACE_MODULE, $graph | Wait-Job | Receive-Job -AutoRemoveJob -Wait
        $back.pstypenames | Should -Contain 'Deserialized.PSTrace.Core.Records.FunctionCall'
        ($back | Format-Custom -View Tree | Out-String -Width 200) | Should -BeExactly $expected
    }
}
