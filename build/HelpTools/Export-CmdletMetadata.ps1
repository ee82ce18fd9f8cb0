#requires -Version 7.4
<#
.SYNOPSIS
Writes what a module's cmdlets declare about themselves to a JSON file.

.DESCRIPTION
Runs in its own pwsh process (see Get-CmdletHelpMetadata): importing a binary module
loads its assemblies for good, so the process that builds the module must never do it.
For every exported cmdlet it records the parameter sets with their syntax line and,
for every parameter that is not a common parameter, its type, aliases, wildcard
support, accepted values and, per parameter set, whether it is mandatory, its
position and how it binds from the pipeline.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $ModulePath,

    [Parameter(Mandatory)]
    [string] $OutFile
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

# The name a reader knows a type by: String[], TimeSpan, Dictionary[String,Int32].
# Nullable<T> is written as T: the reader passes a T (or nothing).
function Get-ShortTypeName([type] $Type) {
    if ($Type.IsArray) {
        return (Get-ShortTypeName $Type.GetElementType()) + '[' + (',' * ($Type.GetArrayRank() - 1)) + ']'
    }
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) {
        return Get-ShortTypeName $underlying
    }
    if ($Type.IsGenericType) {
        $arguments = foreach ($argument in $Type.GetGenericArguments()) { Get-ShortTypeName $argument }
        return ($Type.Name -replace '`\d+$') + '[' + ($arguments -join ',') + ']'
    }
    $Type.Name
}

# The same name with namespaces, for MAML's dev:type and for pages that prefer it.
function Get-FullTypeName([type] $Type) {
    if ($Type.IsArray) {
        return (Get-FullTypeName $Type.GetElementType()) + '[' + (',' * ($Type.GetArrayRank() - 1)) + ']'
    }
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) {
        return Get-FullTypeName $underlying
    }
    if ($Type.IsGenericType) {
        $arguments = foreach ($argument in $Type.GetGenericArguments()) { Get-FullTypeName $argument }
        return ($Type.GetGenericTypeDefinition().FullName -replace '`\d+$') + '[' + ($arguments -join ',') + ']'
    }
    $Type.FullName
}

function Get-ParameterRecord($Command, $Parameter) {
    $sets = foreach ($set in $Command.ParameterSets) {
        $inSet = $set.Parameters | Where-Object Name -EQ $Parameter.Name
        if ($inSet) {
            [ordered]@{
                Set            = $set.Name
                Required       = $inSet.IsMandatory
                # int.MinValue is how PowerShell says "no position".
                Position       = if ($inSet.Position -eq [int]::MinValue) { 'Named' } else { [string]$inSet.Position }
                ByValue        = $inSet.ValueFromPipeline
                ByPropertyName = $inSet.ValueFromPipelineByPropertyName
            }
        }
    }
    $validateSet = $Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }
    [ordered]@{
        Name              = $Parameter.Name
        TypeName          = Get-ShortTypeName $Parameter.ParameterType
        TypeFullName      = Get-FullTypeName $Parameter.ParameterType
        IsSwitch          = $Parameter.SwitchParameter
        Aliases           = @($Parameter.Aliases)
        SupportsWildcards = [bool]($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
        AcceptedValues    = @(if ($validateSet) { $validateSet.ValidValues })
        Sets              = @($sets)
    }
}

function Get-CommandRecord($Command) {
    $common = [System.Management.Automation.Cmdlet]::CommonParameters
    $parameters = foreach ($parameter in $Command.Parameters.Values) {
        if ($parameter.Name -notin $common) { Get-ParameterRecord $Command $parameter }
    }
    $inputTypes = foreach ($parameter in $Command.Parameters.Values) {
        $bindsFromPipeline = $parameter.ParameterSets.Values |
            Where-Object { $_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName }
        if ($bindsFromPipeline) { Get-FullTypeName $parameter.ParameterType }
    }
    $outputTypes = foreach ($output in $Command.OutputType) {
        if ($output.Type) { Get-FullTypeName $output.Type } else { $output.Name }
    }
    [ordered]@{
        Name          = $Command.Name
        Verb          = $Command.Verb
        Noun          = $Command.Noun
        ModuleName    = $Command.ModuleName
        HelpFile      = $Command.HelpFile
        ParameterSets = @(foreach ($set in $Command.ParameterSets) {
                [ordered]@{
                    Name      = $set.Name
                    IsDefault = $set.IsDefault
                    Syntax    = "$($Command.Name) $set"
                }
            })
        Parameters    = @($parameters)
        InputTypes    = @($inputTypes | Select-Object -Unique)
        OutputTypes   = @($outputTypes | Select-Object -Unique)
    }
}

$module = Import-Module -Name $ModulePath -PassThru -Force -DisableNameChecking |
    Select-Object -First 1
$commands = foreach ($command in $module.ExportedCmdlets.Values | Sort-Object Name) {
    Get-CommandRecord $command
}
ConvertTo-Json -InputObject @($commands) -Depth 8 | Set-Content -LiteralPath $OutFile -Encoding utf8NoBOM
