#requires -Version 7.4
<#
Every cmdlet the module exports has real help: Get-Help -Full shows a synopsis, a
description, at least one example and a description for every parameter, none of
them a placeholder left by a skeleton page ('{{ Fill in the Synopsis }}' ...).

The module under test is the built one, with its en-US/PSTrace.dll-Help.xml:
$env:PSTRACE_MODULE holds the path of out/PSTrace/<version>/PSTrace.psd1, or a
container passes it: New-PesterContainer -Path Help.Tests.ps1 -Data @{ ModulePath = ... }.
#>
param(
    [string] $ModulePath = $env:PSTRACE_MODULE
)

BeforeDiscovery {
    if (-not $ModulePath) {
        throw 'Help.Tests.ps1 needs the built module: set $env:PSTRACE_MODULE to out/PSTrace/<version>/PSTrace.psd1.'
    }
    $module = Import-Module -Name $ModulePath -PassThru -Force
    $common = [System.Management.Automation.Cmdlet]::CommonParameters
    $cmdlets = @(foreach ($cmdlet in $module.ExportedCmdlets.Values | Sort-Object Name) {
            @{
                Name       = $cmdlet.Name
                ModulePath = $ModulePath
                Parameters = @($cmdlet.Parameters.Keys | Where-Object { $_ -notin $common })
            }
        })
}

Describe 'The module''s help' {
    It 'covers at least one cmdlet' -TestCases @{ Count = $cmdlets.Count } {
        $Count | Should -BeGreaterThan 0 -Because 'a module that exports no cmdlet has lost them (manifest or build)'
    }
}

Describe '<Name> help' -ForEach $cmdlets {
    BeforeAll {
        Import-Module -Name $ModulePath -Force
        $help = Get-Help -Name $Name -Full
        $placeholder = '\{\{.*\}\}'
        function Get-HelpText($Paragraph) { (@($Paragraph | ForEach-Object { $_.Text }) -join "`n").Trim() }
    }

    It 'has a synopsis' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match $placeholder
        # Without a MAML file Get-Help makes the synopsis from the syntax.
        $help.Synopsis.Trim() | Should -Not -BeLike "$Name *<CommonParameters>*" -Because 'en-US/<assembly>-Help.xml should sit beside the cmdlet assembly'
    }

    It 'has a description' {
        $description = Get-HelpText $help.description
        $description | Should -Not -BeNullOrEmpty
        $description | Should -Not -Match $placeholder
    }

    It 'has at least one example, each with code and an explanation' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterThan 0
        foreach ($example in $examples) {
            $example.code | Should -Not -BeNullOrEmpty
            $example.code | Should -Not -Match $placeholder
            $remarks = Get-HelpText $example.remarks
            $remarks | Should -Not -BeNullOrEmpty -Because "example '$($example.title)' should say what it does"
            $remarks | Should -Not -Match $placeholder
        }
    }

    It 'describes -<_>' -ForEach $Parameters {
        $parameterHelp = $help.parameters.parameter | Where-Object name -EQ $_
        $parameterHelp | Should -Not -BeNullOrEmpty
        $description = Get-HelpText $parameterHelp.description
        $description | Should -Not -BeNullOrEmpty
        $description | Should -Not -Match $placeholder
    }
}

Describe 'about_PSTrace' {
    BeforeAll {
        Import-Module -Name $ModulePath -Force
        $about = Get-Help about_PSTrace -ErrorAction Stop | Out-String
    }

    It 'is found by Get-Help once the module is imported' {
        $about | Should -Match 'TOPIC\s+about_PSTrace'
    }

    It 'explains <_>' -ForEach 'SESSIONS', 'Reset-Trace', 'FILTERS', 'WHAT TIMESTAMP MEANS', 'WHERE EVENTS ARE READ FROM', 'TRACING SEVERAL MACHINES' {
        $about | Should -Match ([regex]::Escape($_))
    }

    It 'is laid out beside the cmdlet help' {
        Join-Path (Split-Path $ModulePath) 'en-US' 'about_PSTrace.help.txt' | Should -Exist
    }
}
