<#
.SYNOPSIS
A help page in platyPS layout for a cmdlet that has none, filled from its metadata.

.DESCRIPTION
Syntax, parameter yaml blocks, inputs and outputs come from the cmdlet. Synopsis,
description, the example and every parameter's description are the placeholders
platyPS writes ('{{ Fill in the Synopsis }}' ...), which the help completeness test
rejects until a person replaces them.
#>
function New-HelpMarkdownSkeleton {
    [CmdletBinding()]
    [OutputType([string])]
    param(
        # One command as Get-CmdletHelpMetadata returns it.
        [Parameter(Mandatory)] $Command
    )

    $fence = '```'
    $page = [Text.StringBuilder]::new()
    $add = { param([string] $text = '') [void]$page.Append($text).Append("`n") }

    & $add '---'
    & $add "external help file: $($Command.HelpFile)"
    & $add "Module Name: $($Command.ModuleName)"
    & $add 'online version:'
    & $add 'schema: 2.0.0'
    & $add '---'
    & $add
    & $add "# $($Command.Name)"
    & $add
    & $add '## SYNOPSIS'
    & $add '{{ Fill in the Synopsis }}'
    & $add
    & $add '## SYNTAX'
    foreach ($set in $Command.ParameterSets) {
        & $add
        if (@($Command.ParameterSets).Count -gt 1) {
            & $add ("### $($set.Name)" + $(if ($set.IsDefault) { ' (Default)' }))
        }
        & $add $fence
        & $add $set.Syntax
        & $add $fence
    }
    & $add
    & $add '## DESCRIPTION'
    & $add '{{ Fill in the Description }}'
    & $add
    & $add '## EXAMPLES'
    & $add
    & $add '### Example 1'
    & $add "${fence}powershell"
    & $add 'PS /> {{ Add example code here }}'
    & $add $fence
    & $add
    & $add '{{ Add example description here }}'
    & $add
    & $add '## PARAMETERS'
    foreach ($parameter in $Command.Parameters) {
        & $add
        & $add "### -$($parameter.Name)"
        & $add "{{ Fill $($parameter.Name) Description }}"
        foreach ($block in Get-ParameterYamlBlock -Command $Command -Parameter $parameter) {
            & $add
            & $add "${fence}yaml"
            foreach ($key in $block.Keys) {
                # platyPS leaves a blank line between the set's identity and its binding.
                if ($key -eq 'Required') { & $add }
                & $add ("${key}: $($block[$key])".TrimEnd())
            }
            & $add $fence
        }
    }
    & $add
    & $add '### CommonParameters'
    & $add ('This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, ' +
        '-InformationAction, -InformationVariable, -OutBuffer, -OutVariable, -PipelineVariable, ' +
        '-ProgressAction, -Verbose, -WarningAction, and -WarningVariable. For more information, see ' +
        '[about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).')
    & $add
    & $add '## INPUTS'
    foreach ($type in $(if (@($Command.InputTypes).Count) { $Command.InputTypes } else { 'None' })) {
        & $add
        & $add "### $type"
    }
    & $add
    & $add '## OUTPUTS'
    foreach ($type in $(if (@($Command.OutputTypes).Count) { $Command.OutputTypes } else { 'System.Object' })) {
        & $add
        & $add "### $type"
    }
    & $add
    & $add '## NOTES'
    & $add
    & $add '## RELATED LINKS'
    $page.ToString()
}
