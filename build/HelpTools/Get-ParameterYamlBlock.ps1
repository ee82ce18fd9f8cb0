<#
.SYNOPSIS
The yaml blocks a help page should have for one parameter, computed from the cmdlet.

.DESCRIPTION
A parameter that binds the same way in every parameter set of its cmdlet gets one
block for "(All)" sets; otherwise the sets that bind it alike share a block, as
platyPS writes them.
#>
function Get-ParameterYamlBlock {
    [CmdletBinding()]
    [OutputType([System.Collections.Specialized.OrderedDictionary])]
    param(
        [Parameter(Mandatory)] $Command,
        [Parameter(Mandatory)] $Parameter
    )

    $allSets = @($Command.ParameterSets.Name)
    $groups = @($Parameter.Sets | Group-Object -Property Required, Position, ByValue, ByPropertyName)
    foreach ($group in $groups) {
        $first = $group.Group[0]
        $setNames = @($group.Group.Set)
        $block = [ordered]@{
            'Type'           = $Parameter.TypeName
            'Parameter Sets' = if ($groups.Count -eq 1 -and $setNames.Count -eq $allSets.Count) { '(All)' } else { $setNames -join ', ' }
            'Aliases'        = @($Parameter.Aliases) -join ', '
        }
        if (@($Parameter.AcceptedValues).Count -gt 0) {
            $block['Accepted values'] = @($Parameter.AcceptedValues) -join ', '
        }
        $block['Required'] = Format-YamlBoolean $first.Required
        $block['Position'] = $first.Position
        $block['Default value'] = if ($Parameter.IsSwitch) { 'False' } else { 'None' }
        $block['Accept pipeline input'] = Format-PipelineInput -ByValue $first.ByValue -ByPropertyName $first.ByPropertyName
        $block['Accept wildcard characters'] = Format-YamlBoolean $Parameter.SupportsWildcards
        $block
    }
}

function Format-YamlBoolean([bool] $Value) {
    if ($Value) { 'True' } else { 'False' }
}

# How platyPS words pipeline binding: False, True (ByValue), True (ByPropertyName)
# or True (ByPropertyName, ByValue).
function Format-PipelineInput([bool] $ByValue, [bool] $ByPropertyName) {
    $ways = @(if ($ByPropertyName) { 'ByPropertyName' }; if ($ByValue) { 'ByValue' })
    if ($ways.Count -eq 0) { 'False' } else { "True ($($ways -join ', '))" }
}
