<#
.SYNOPSIS
Every way a help page disagrees with the cmdlet it documents, one sentence each.

.DESCRIPTION
Checks the page's layout problems, its file name and external help file, the syntax
block of each parameter set, that it documents exactly the cmdlet's parameters, and
for each parameter the yaml block's Type, Parameter Sets, Aliases, Accepted values,
Required, Position, Accept pipeline input and Accept wildcard characters. Returns
nothing when they agree. Each sentence says what the cmdlet has, so that the page can
be corrected from the message alone.
#>
function Compare-HelpPage {
    [CmdletBinding()]
    [OutputType([string])]
    param(
        # A page as ConvertFrom-HelpMarkdown returns it.
        [Parameter(Mandatory)] $Page,
        # The cmdlet as Get-CmdletHelpMetadata returns it.
        [Parameter(Mandatory)] $Command
    )

    $Page.Problems
    if ($Page.FileName -ne "$($Command.Name).md") {
        "the page for $($Command.Name) should be named $($Command.Name).md"
    }
    $helpFile = $Page.FrontMatter['external help file']
    if ($helpFile -and $helpFile -ne $Command.HelpFile) {
        "front matter says 'external help file: $helpFile' but the cmdlet's help file is $($Command.HelpFile)"
    }
    Compare-SyntaxSection $Page $Command

    $documented = @{}
    foreach ($parameter in $Page.Parameters) {
        if ($documented.ContainsKey($parameter.Name)) { "-$($parameter.Name) is documented twice"; continue }
        $documented[$parameter.Name] = $parameter
    }
    foreach ($parameter in $Command.Parameters) {
        if (-not $documented.ContainsKey($parameter.Name)) {
            "-$($parameter.Name) is a parameter of $($Command.Name) but the page does not document it"
        }
    }
    foreach ($name in $documented.Keys | Sort-Object) {
        $actual = $Command.Parameters | Where-Object Name -EQ $name
        if (-not $actual) {
            "the page documents -$name but $($Command.Name) has no such parameter"
            continue
        }
        if ($actual.Name -cne $name) { "-${name}: write it -$($actual.Name), as the cmdlet spells it" }
        Compare-ParameterBlock $Command $actual $documented[$name]
    }
}

function Compare-SyntaxSection($Page, $Command) {
    $normalize = { param([string] $text) ($text -replace '\s+', ' ').Trim() }
    $sets = @($Command.ParameterSets)
    $shown = @($Page.Syntax)
    foreach ($set in $sets) {
        $block = if ($sets.Count -eq 1 -and $shown.Count -eq 1) { $shown[0] } else { $shown | Where-Object SetName -EQ $set.Name | Select-Object -First 1 }
        if (-not $block) {
            "SYNTAX has no block for parameter set $($set.Name); it should read: $($set.Syntax)"
            continue
        }
        if ((& $normalize $block.Text) -ne (& $normalize $set.Syntax)) {
            "SYNTAX for parameter set $($set.Name) reads '$($block.Text)' but the cmdlet's is '$($set.Syntax)'"
        }
        if ($sets.Count -gt 1 -and $block.IsDefault -ne $set.IsDefault) {
            if ($set.IsDefault) { "SYNTAX should mark $($set.Name) as (Default)" } else { "SYNTAX marks $($set.Name) as (Default) but it is not the default parameter set" }
        }
    }
    if ($sets.Count -gt 1 -or $shown.Count -gt 1) {
        foreach ($block in $shown) {
            if ($block.SetName -notin $sets.Name) {
                "SYNTAX shows parameter set '$($block.SetName)', which $($Command.Name) does not have (it has: $($sets.Name -join ', '))"
            }
        }
    }
}

function Compare-ParameterBlock($Command, $Actual, $Documented) {
    $name = "-$($Actual.Name)"
    $allSets = @($Command.ParameterSets.Name)
    $covered = @{}
    foreach ($block in $Documented.Blocks) {
        foreach ($key in 'Type', 'Parameter Sets', 'Required', 'Position', 'Accept pipeline input') {
            if (-not $block.Contains($key)) { "${name}: the yaml block has no '${key}:' line" }
        }

        if ($block.Contains('Type')) {
            $typeWritten = $block['Type'] -replace '\s'
            if ($typeWritten -notin ($Actual.TypeName, $Actual.TypeFullName)) {
                "${name}: Type is '$($block['Type'])' in the page but $($Actual.TypeName) in the cmdlet"
            }
        }
        Compare-NameList $name 'Aliases' $block['Aliases'] $Actual.Aliases
        if ($block.Contains('Accepted values') -or @($Actual.AcceptedValues).Count) {
            Compare-NameList $name 'Accepted values' $block['Accepted values'] $Actual.AcceptedValues
        }
        if ($block.Contains('Accept wildcard characters')) {
            Compare-Attribute $name 'Accept wildcard characters' $block['Accept wildcard characters'] (Format-YamlBoolean $Actual.SupportsWildcards) $null
        }

        if (-not $block.Contains('Parameter Sets')) { continue }
        $setsWritten = [string]$block['Parameter Sets']
        $setNames = if ($setsWritten.Trim() -eq '(All)') { $allSets } else { @($setsWritten -split ',' | ForEach-Object Trim | Where-Object { $_ }) }
        foreach ($setName in $setNames) {
            $binding = $Actual.Sets | Where-Object Set -EQ $setName
            if (-not $binding) {
                if ($setName -notin $allSets) { "${name}: parameter set '$setName' in the page does not exist (the cmdlet has: $($allSets -join ', '))" }
                else { "${name}: the page puts it in parameter set $setName but the cmdlet does not" }
                continue
            }
            if ($covered.ContainsKey($setName)) { "${name}: parameter set $setName is described by two yaml blocks"; continue }
            $covered[$setName] = $true
            if ($block.Contains('Required')) {
                Compare-Attribute $name 'Required' $block['Required'] (Format-YamlBoolean $binding.Required) $setName
            }
            if ($block.Contains('Position')) {
                Compare-Attribute $name 'Position' $block['Position'] $binding.Position $setName
            }
            if ($block.Contains('Accept pipeline input')) {
                $expected = Format-PipelineInput -ByValue $binding.ByValue -ByPropertyName $binding.ByPropertyName
                Compare-Attribute $name 'Accept pipeline input' (ConvertTo-PipelineInputText $block['Accept pipeline input']) $expected $setName
            }
        }
    }
    foreach ($binding in $Actual.Sets) {
        if (-not $covered.ContainsKey($binding.Set) -and $Documented.Blocks.Count) {
            "${name}: no yaml block covers parameter set $($binding.Set)"
        }
    }
}

function Compare-Attribute([string] $Name, [string] $Key, [string] $Written, [string] $Expected, [string] $SetName) {
    if ($Written.Trim() -ne $Expected) {
        $where = if ($SetName) { " (parameter set $SetName)" } else { '' }
        "${Name}: $Key is '$($Written.Trim())' in the page but $Expected in the cmdlet$where"
    }
}

# Lists such as 'Aliases: cf, wi' compare as sets; an empty line means none.
function Compare-NameList([string] $Name, [string] $Key, [string] $Written, [string[]] $Expected) {
    $writtenNames = @($Written -split ',' | ForEach-Object Trim | Where-Object { $_ -and $_ -ne 'None' } | Sort-Object)
    $expectedNames = @($Expected | Where-Object { $_ } | Sort-Object)
    if (($writtenNames -join ',') -ne ($expectedNames -join ',')) {
        $shown = if ($expectedNames.Count) { $expectedNames -join ', ' } else { '(none)' }
        "${Name}: $Key is '$($writtenNames -join ', ')' in the page but $shown in the cmdlet"
    }
}

# Reads 'True (ByValue, ByPropertyName)' in any order or case, and writes it the one way.
function ConvertTo-PipelineInputText([string] $Written) {
    if ($Written -match '^\s*False\s*$') { return 'False' }
    if ($Written -notmatch '^\s*True\s*\((?<ways>[^)]*)\)\s*$') { return $Written }
    $ways = $Matches.ways
    Format-PipelineInput -ByValue ($ways -match '\bByValue\b') -ByPropertyName ($ways -match '\bByPropertyName\b')
}
