#requires -Version 7.4
<#
The help build (build/Help.ps1 and build/HelpTools) against a small module compiled
into TestDrive: skeleton pages for cmdlets without one, failure on every disagreement
between a page and its cmdlet, and MAML that Get-Help reads.
#>

BeforeAll {
    $repositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).ProviderPath
    $helpScript = Join-Path $repositoryRoot 'build' 'Help.ps1'
    Import-Module (Join-Path $repositoryRoot 'build' 'HelpTools' 'HelpTools.psm1') -Force

    # A unique assembly name: a session can load the probe module only once per name.
    $assemblyName = 'HelpProbe' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    $moduleFolder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'module')
    $assemblyPath = Join-Path $moduleFolder "$assemblyName.dll"
    $source = @'
using System;
using System.Management.Automation;

namespace ASSEMBLY
{
    [Cmdlet(VerbsCommon.Set, "HelpProbeWidget", DefaultParameterSetName = "ByName", SupportsShouldProcess = true)]
    [OutputType(typeof(string))]
    public sealed class SetHelpProbeWidgetCommand : PSCmdlet
    {
        [Parameter(ParameterSetName = "ByName", Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [SupportsWildcards]
        public string[] Name { get; set; } = Array.Empty<string>();

        [Parameter(ParameterSetName = "ById", Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("WidgetId")]
        public int Id { get; set; }

        [Parameter(ParameterSetName = "ByName")]
        [Parameter(ParameterSetName = "ById", Mandatory = true)]
        public string Shelf { get; set; } = "";

        [Parameter]
        [ValidateSet("Red", "Blue")]
        public string Color { get; set; } = "Red";

        [Parameter]
        public SwitchParameter PassThru { get; set; }
    }

    [Cmdlet(VerbsCommon.Get, "HelpProbeClock")]
    [OutputType(typeof(DateTime))]
    public sealed class GetHelpProbeClockCommand : PSCmdlet
    {
        [Parameter(Position = 0)]
        public TimeSpan? Offset { get; set; }
    }
}
'@
    Add-Type -TypeDefinition ($source -replace 'ASSEMBLY', $assemblyName) -OutputAssembly $assemblyPath -OutputType Library

    # Runs build/Help.ps1 the way a build does, in its own pwsh, and keeps its exit code and output.
    function Invoke-HelpScript([string] $DocsPath, [string] $OutputPath) {
        $pwsh = @(Get-PwshCommand)
        $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $helpScript,
            '-ModulePath', $assemblyPath, '-DocsPath', $DocsPath, '-OutputPath', $OutputPath)
        $output = & $pwsh[0] @arguments 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String) }
    }

    # Replaces every skeleton placeholder with text, as a person documenting the cmdlet would.
    function Complete-SkeletonPage([string] $Path) {
        $text = Get-Content -LiteralPath $Path -Raw
        $text = $text.Replace('{{ Fill in the Synopsis }}', 'Sets widgets.')
        $text = $text.Replace('{{ Fill in the Description }}', "Sets the widgets you name.`nThe colour changes at once.`n`nNothing else changes.")
        $text = $text.Replace('### Example 1', '### Example 1: Paint two widgets')
        $text = $text.Replace('PS /> {{ Add example code here }}', "# Both widgets turn blue.`nSet-HelpProbeWidget -Name a, b -Color Blue")
        $text = $text.Replace('{{ Add example description here }}', 'Paints widgets a and b blue.')
        $text = $text -replace '\{\{ Fill (\w+) Description \}\}', 'What -$1 does.'
        $text = $text.Replace('online version:', 'online version: https://example.org/widgets')
        Set-Content -LiteralPath $Path -Value $text -NoNewline
    }

    $skeletonDocs = Join-Path $TestDrive 'skeleton-docs'
    $skeletonRun = Invoke-HelpScript -DocsPath $skeletonDocs -OutputPath (Join-Path $TestDrive 'skeleton-out')
    $metadata = @(Get-CmdletHelpMetadata -ModulePath $assemblyPath)
}

AfterAll {
    Get-Module -Name 'HelpProbe*', 'HelpTools' | Remove-Module -Force
}

Describe 'Help.ps1 for cmdlets without a page' {
    It 'succeeds' {
        $skeletonRun.ExitCode | Should -Be 0 -Because $skeletonRun.Output
    }

    It 'writes a skeleton page for each cmdlet and says so' {
        Join-Path $skeletonDocs 'Set-HelpProbeWidget.md' | Should -Exist
        Join-Path $skeletonDocs 'Get-HelpProbeClock.md' | Should -Exist
        $skeletonRun.Output | Should -Match 'skeleton help page for Set-HelpProbeWidget'
    }

    It 'lays the page out as platyPS does, filled from the cmdlet' {
        $page = Get-Content -LiteralPath (Join-Path $skeletonDocs 'Set-HelpProbeWidget.md') -Raw
        $page | Should -Match "(?m)^external help file: $assemblyName\.dll-Help\.xml$"
        $page | Should -Match '(?m)^# Set-HelpProbeWidget$'
        foreach ($section in 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS') {
            $page | Should -Match "(?m)^## $section$"
        }
        $page | Should -Match '(?m)^### ByName \(Default\)\n```\nSet-HelpProbeWidget \[-Name\] <string\[\]> '
        $page | Should -Match '(?m)^### ById\n```\nSet-HelpProbeWidget -Id <int> '
        $page | Should -Match '(?m)^### -Name\n\{\{ Fill Name Description \}\}\n\n```yaml\nType: String\[\]\nParameter Sets: ByName\nAliases:\n\nRequired: True\nPosition: 0\nDefault value: None\nAccept pipeline input: True \(ByValue\)\nAccept wildcard characters: True\n```'
        $page | Should -Match '(?m)^Type: Int32\nParameter Sets: ById\nAliases: WidgetId\n\nRequired: True\nPosition: Named\nDefault value: None\nAccept pipeline input: True \(ByPropertyName\)'
        $page | Should -Match '(?m)^Aliases:\nAccepted values: Red, Blue$'
        $page | Should -Match '(?m)^### -Shelf\n.*\n\n```yaml\nType: String\nParameter Sets: ByName\nAliases:\n\nRequired: False\n(.*\n)*?```\n\n```yaml\nType: String\nParameter Sets: ById\nAliases:\n\nRequired: True\n' -Because 'a parameter bound differently per set gets a yaml block per set'
        $page | Should -Match '(?m)^### -WhatIf$'
        $page | Should -Match '(?m)^### -Confirm$'
        $page | Should -Not -Match '(?m)^### -(Verbose|ProgressAction)$' -Because 'common parameters have their own section'
        $page | Should -Match '(?m)^## OUTPUTS\n\n### System\.String$'
        $page | Should -Match '(?m)^## INPUTS\n\n### System\.String\[\]\n\n### System\.Int32$'
    }

    It 'writes a single parameter set without a set heading, as (All)' {
        $page = Get-Content -LiteralPath (Join-Path $skeletonDocs 'Get-HelpProbeClock.md') -Raw
        $page | Should -Match '(?m)^## SYNTAX\n\n```\nGet-HelpProbeClock \[\[-Offset\] <'
        $page | Should -Match '(?m)^Type: TimeSpan\nParameter Sets: \(All\)$'
        $page | Should -Match '(?m)^## OUTPUTS\n\n### System\.DateTime$'
    }

    It 'leaves the placeholders that the help completeness test rejects' {
        $page = Get-Content -LiteralPath (Join-Path $skeletonDocs 'Get-HelpProbeClock.md') -Raw
        $page | Should -Match '\{\{ Fill in the Synopsis \}\}'
        $page | Should -Match '\{\{ Fill in the Description \}\}'
        $page | Should -Match '\{\{ Add example code here \}\}'
        $page | Should -Match '\{\{ Fill Offset Description \}\}'
    }

    It 'writes pages that agree with their cmdlets' {
        foreach ($command in $metadata) {
            $page = ConvertFrom-HelpMarkdown -Path (Join-Path $skeletonDocs "$($command.Name).md")
            @(Compare-HelpPage -Page $page -Command $command) | Should -BeNullOrEmpty
        }
    }
}

Describe 'Help.ps1 with a page that disagrees with its cmdlet' {
    BeforeAll {
        $docs = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'wrong-docs')
        Copy-Item -Path (Join-Path $skeletonDocs '*.md') -Destination $docs
        $pagePath = Join-Path $docs 'Set-HelpProbeWidget.md'
        $page = Get-Content -LiteralPath $pagePath -Raw
        # Drop -PassThru, document a -Size the cmdlet lacks, and get -Id and -Name wrong.
        $page = $page -replace '(?s)### -PassThru\n.*?```yaml.*?```\n', ''
        $page = $page.Replace('### -Color', "### -Size`nHow big.`n`n``````yaml`nType: Int32`nParameter Sets: (All)`nAliases:`n`nRequired: False`nPosition: Named`nDefault value: None`nAccept pipeline input: False`nAccept wildcard characters: False`n```````n`n### -Color")
        $page = $page.Replace("Type: Int32`nParameter Sets: ById", "Type: String`nParameter Sets: ById")
        $page = $page.Replace("Required: True`nPosition: 0", "Required: False`nPosition: 1")
        $page = $page.Replace('Accept pipeline input: True (ByPropertyName)', 'Accept pipeline input: False')
        $page = $page.Replace('Aliases: WidgetId', 'Aliases: Wid')
        Set-Content -LiteralPath $pagePath -Value $page -NoNewline
        $output = Join-Path $TestDrive 'wrong-out'
        $run = Invoke-HelpScript -DocsPath $docs -OutputPath $output
    }

    It 'fails with exit code 1' {
        $run.ExitCode | Should -Be 1
    }

    It 'names the disagreement: <_>' -ForEach @(
        '-PassThru is a parameter of Set-HelpProbeWidget but the page does not document it'
        'the page documents -Size but Set-HelpProbeWidget has no such parameter'
        "-Id: Type is 'String' in the page but Int32 in the cmdlet"
        "-Id: Accept pipeline input is 'False' in the page but True (ByPropertyName) in the cmdlet (parameter set ById)"
        "-Id: Aliases is 'Wid' in the page but WidgetId in the cmdlet"
        "-Name: Required is 'False' in the page but True in the cmdlet (parameter set ByName)"
        "-Name: Position is '1' in the page but 0 in the cmdlet (parameter set ByName)"
    ) {
        $run.Output | Should -BeLike "*Set-HelpProbeWidget.md: $_*"
    }

    It 'counts every disagreement and no more' {
        $run.Output | Should -Match '\(7 problems\)'
    }

    It 'writes no help file' {
        Join-Path $output 'en-US' | Should -Not -Exist
    }
}

Describe 'Help.ps1 with a page for a cmdlet the module does not export' {
    It 'fails and names the page' {
        $docs = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'stray-docs')
        Copy-Item -Path (Join-Path $skeletonDocs '*.md') -Destination $docs
        (Get-Content -LiteralPath (Join-Path $docs 'Get-HelpProbeClock.md') -Raw).Replace('HelpProbeClock', 'HelpProbeGone') |
            Set-Content -LiteralPath (Join-Path $docs 'Get-HelpProbeGone.md') -NoNewline

        $run = Invoke-HelpScript -DocsPath $docs -OutputPath (Join-Path $TestDrive 'stray-out')

        $run.ExitCode | Should -Be 1
        $run.Output | Should -BeLike '*Get-HelpProbeGone.md: documents Get-HelpProbeGone, which the module does not export*'
    }
}

Describe 'Help.ps1 with completed pages' {
    BeforeAll {
        $docs = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'done-docs')
        Copy-Item -Path (Join-Path $skeletonDocs '*.md') -Destination $docs
        Get-ChildItem -LiteralPath $docs -Filter *.md | ForEach-Object { Complete-SkeletonPage $_.FullName }
        # Beside the assembly, where Get-Help looks for it.
        $run = Invoke-HelpScript -DocsPath $docs -OutputPath $moduleFolder
        $helpPath = Join-Path $moduleFolder 'en-US' "$assemblyName.dll-Help.xml"

        Import-Module -Name $assemblyPath -Force
        $help = Get-Help -Name Set-HelpProbeWidget -Full
    }

    It 'succeeds' {
        $run.ExitCode | Should -Be 0 -Because $run.Output
    }

    It 'writes en-US/(assembly).dll-Help.xml beside the assembly' {
        $helpPath | Should -Exist
    }

    It 'writes MAML in the MAML namespaces, one command:command per cmdlet' {
        $xml = [xml](Get-Content -LiteralPath $helpPath -Raw)
        $xml.DocumentElement.LocalName | Should -Be 'helpItems'
        $xml.DocumentElement.NamespaceURI | Should -Be 'http://msh'
        $namespaces = [Xml.XmlNamespaceManager]::new($xml.NameTable)
        $namespaces.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $namespaces.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
        $namespaces.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
        $names = $xml.SelectNodes('/*/command:command/command:details/command:name', $namespaces) | ForEach-Object InnerText
        $names | Should -Be @('Get-HelpProbeClock', 'Set-HelpProbeWidget')
        $xml.SelectNodes('//command:command[command:details/command:name="Set-HelpProbeWidget"]/command:syntax/command:syntaxItem', $namespaces).Count | Should -Be 2
        $xml.SelectSingleNode('//command:parameter[maml:name="Id"]/dev:type/maml:name', $namespaces).InnerText | Should -Be 'System.Int32'
    }

    It 'gives Get-Help the synopsis and the description, one paragraph per markdown paragraph' {
        $help.Synopsis | Should -Be 'Sets widgets.'
        # Get-Help ends every paragraph but the last with a line break.
        @($help.description | ForEach-Object { $_.Text.TrimEnd() }) | Should -Be @('Sets the widgets you name. The colour changes at once.', 'Nothing else changes.')
    }

    It 'gives Get-Help the example with its code and explanation' {
        $example = @($help.examples.example)[0]
        $example.title | Should -Match 'Example 1: Paint two widgets'
        $example.code | Should -Be "# Both widgets turn blue.`nSet-HelpProbeWidget -Name a, b -Color Blue"
        $example.remarks.Text | Should -Contain 'Paints widgets a and b blue.'
    }

    It 'gives Get-Help each parameter with its description and binding' {
        $name = $help.parameters.parameter | Where-Object name -EQ 'Name'
        $name.description.Text | Should -Be 'What -Name does.'
        $name.required | Should -Be 'true'
        $name.position | Should -Be '0'
        $name.pipelineInput | Should -Be 'True (ByValue)'
        $name.globbing | Should -Be 'true'
        ($help.parameters.parameter | Where-Object name -EQ 'Id').aliases | Should -Be 'WidgetId'
        ($help.parameters.parameter | Where-Object name -EQ 'PassThru').description.Text | Should -Be 'What -PassThru does.'
    }

    It 'gives Get-Help one syntax line per parameter set' {
        $syntax = @($help.syntax.syntaxItem)
        $syntax.Count | Should -Be 2
        @($syntax[0].parameter.name) | Should -Be @('Name', 'Shelf', 'Color', 'PassThru', 'WhatIf', 'Confirm')
        @($syntax[1].parameter.name) | Should -Be @('Id', 'Shelf', 'Color', 'PassThru', 'WhatIf', 'Confirm')
        ($syntax[0].parameter | Where-Object name -EQ 'Shelf').required | Should -Be 'false'
        ($syntax[1].parameter | Where-Object name -EQ 'Shelf').required | Should -Be 'true'
        ($syntax[0].parameter | Where-Object name -EQ 'Color').parameterValueGroup.parameterValue | Should -Be @('Red', 'Blue')
    }

    It 'gives Get-Help -Online the online version first' {
        @($help.relatedLinks.navigationLink)[0].uri | Should -Be 'https://example.org/widgets'
    }

    It 'gives Get-Help the inputs and outputs' {
        @($help.inputTypes.inputType | ForEach-Object { $_.type.name }) | Should -Be @('System.String[]', 'System.Int32')
        @($help.returnValues.returnValue | ForEach-Object { $_.type.name }) | Should -Be @('System.String')
    }
}

Describe 'ConvertFrom-HelpMarkdown' {
    BeforeAll {
        function Read-Page([string] $Text) {
            $path = Join-Path $TestDrive 'Get-Thing.md'
            Set-Content -LiteralPath $path -Value $Text -NoNewline
            ConvertFrom-HelpMarkdown -Path $path
        }
    }

    It 'does not take a # comment inside an example''s code for a heading' {
        $page = Read-Page "# Get-Thing`n## SYNOPSIS`nS.`n## SYNTAX`n## DESCRIPTION`nD.`n## EXAMPLES`n### Example 1: x`n``````powershell`n# not a heading`n## nor this`nGet-Thing`n```````nText.`n## PARAMETERS`n"
        $page.Problems | Should -BeNullOrEmpty
        $page.Examples.Count | Should -Be 1
        $page.Examples[0].Code | Should -Be "# not a heading`n## nor this`nGet-Thing"
        $page.Examples[0].Remarks | Should -Be 'Text.'
    }

    It 'lists what does not fit the layout' {
        $page = Read-Page "# Get-Thing`n## SYNOPSIS`nS.`n## SUMMARY`n## EXAMPLES`n### Example 1`nNo code.`n## PARAMETERS`n### -Path`nNo yaml.`n### Path`n"
        $page.Problems | Should -Contain "unknown section '## SUMMARY'"
        $page.Problems | Should -Contain "the page has no '## SYNTAX' section"
        $page.Problems | Should -Contain "the page has no '## DESCRIPTION' section"
        $page.Problems | Should -Contain "example 'Example 1' has no code block"
        $page.Problems | Should -Contain 'parameter -Path has no yaml block'
        $page.Problems | Should -Contain "'### Path' under PARAMETERS is not a parameter (write '### -Name')"
    }
}
