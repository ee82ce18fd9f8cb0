<#
.SYNOPSIS
Reads one cmdlet help page in platyPS markdown layout.

.DESCRIPTION
Returns the page as an object: front matter, name, synopsis, syntax blocks,
description, examples, parameters (description plus the yaml blocks), inputs,
outputs, notes and related links. What does not fit the layout (a missing or
unknown section, an example without code, a parameter without its yaml block)
is listed in Problems rather than guessed at.
#>
function ConvertFrom-HelpMarkdown {
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Alias('FullName')]
        [string] $Path
    )

    process {
        $problems = [Collections.Generic.List[string]]::new()
        $lines = (Get-Content -LiteralPath $Path -Raw) -replace "`r`n", "`n" -split "`n"

        $frontMatter = [ordered]@{}
        $start = 0
        if ($lines.Count -gt 0 -and $lines[0].Trim() -eq '---') {
            $end = 1
            while ($end -lt $lines.Count -and $lines[$end].Trim() -ne '---') {
                if ($lines[$end] -match '^(?<key>[^:]+):\s*(?<value>.*)$') {
                    $frontMatter[$Matches.key.Trim()] = $Matches.value.Trim()
                }
                $end++
            }
            if ($end -ge $lines.Count) { $problems.Add('the front matter has no closing ---') }
            $start = $end + 1
        }
        $body = if ($start -lt $lines.Count) { $lines[$start..($lines.Count - 1)] } else { @() }

        $sections = Get-MarkdownSection -Block @(Split-MarkdownBlock -Line $body) -Problems $problems
        foreach ($required in 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS') {
            if (-not $sections.Contains($required)) { $problems.Add("the page has no '## $required' section") }
        }
        $section = { param($name) if ($sections.Contains($name)) { $sections[$name] } else { $null } }

        [pscustomobject]@{
            Path        = $Path
            FileName    = Split-Path -Leaf $Path
            FrontMatter = $frontMatter
            Name        = $sections.Title
            Synopsis    = @(Get-SectionParagraph (& $section 'SYNOPSIS'))
            Syntax      = @(Read-SyntaxSection (& $section 'SYNTAX'))
            Description = @(Get-SectionParagraph (& $section 'DESCRIPTION'))
            Examples    = @(Read-ExampleSection (& $section 'EXAMPLES') $problems)
            Parameters  = @(Read-ParameterSection (& $section 'PARAMETERS') $problems)
            Inputs      = @(Read-TypeSection (& $section 'INPUTS'))
            Outputs     = @(Read-TypeSection (& $section 'OUTPUTS'))
            Notes       = @(Get-SectionParagraph (& $section 'NOTES'))
            Links       = @(Read-LinkSection (& $section 'RELATED LINKS'))
            Problems    = $problems.ToArray()
        }
    }
}

# Groups blocks under their '## SECTION' and, inside it, under each '### item'.
function Get-MarkdownSection([object[]] $Block, [Collections.Generic.List[string]] $Problems) {
    $known = 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS'
    $sections = [ordered]@{ Title = $null }
    $current = $null
    $item = $null
    foreach ($b in $Block) {
        if ($b.Kind -eq 'Heading' -and $b.Level -eq 1) {
            if ($sections.Title) { $Problems.Add("the page has a second title '# $($b.Text)'") }
            else { $sections.Title = $b.Text }
            $current = $null
            continue
        }
        if ($b.Kind -eq 'Heading' -and $b.Level -eq 2) {
            $name = $b.Text.Trim().ToUpperInvariant()
            if ($name -notin $known) { $Problems.Add("unknown section '## $($b.Text)'") }
            if ($sections.Contains($name)) { $Problems.Add("section '## $name' appears twice") }
            $current = [pscustomobject]@{ Body = [Collections.Generic.List[object]]::new(); Items = [Collections.Generic.List[object]]::new() }
            $sections[$name] = $current
            $item = $null
            continue
        }
        if ($null -eq $current) {
            if ($b.Kind -ne 'Text' -or ($b.Lines -join '').Trim()) { $Problems.Add('text outside any ## section') }
            continue
        }
        if ($b.Kind -eq 'Heading') {
            $item = [pscustomobject]@{ Heading = $b.Text; Blocks = [Collections.Generic.List[object]]::new() }
            $current.Items.Add($item)
            continue
        }
        if ($b.PSObject.Properties['Unclosed']) { $Problems.Add('a code block is never closed') }
        if ($item) { $item.Blocks.Add($b) } else { $current.Body.Add($b) }
    }
    $sections
}

# A section's text as paragraphs; a '### heading' inside it becomes a paragraph too.
function Get-SectionParagraph($Section) {
    if (-not $Section) { return }
    ConvertTo-HelpParagraph -Block $Section.Body
    foreach ($item in $Section.Items) {
        $item.Heading
        ConvertTo-HelpParagraph -Block $item.Blocks
    }
}

function Read-SyntaxSection($Section) {
    if (-not $Section) { return }
    $fromBlocks = {
        param($setHeading, $blocks)
        foreach ($fence in $blocks | Where-Object Kind -EQ 'Fence') {
            [pscustomobject]@{
                SetName   = if ($setHeading) { $setHeading -replace '\s*\(Default\)\s*$' } else { $null }
                IsDefault = [bool]($setHeading -match '\(Default\)\s*$')
                Text      = ($fence.Lines -join ' ').Trim()
            }
        }
    }
    & $fromBlocks $null $Section.Body
    foreach ($item in $Section.Items) { & $fromBlocks $item.Heading.Trim() $item.Blocks }
}

function Read-ExampleSection($Section, [Collections.Generic.List[string]] $Problems) {
    if (-not $Section) { return }
    foreach ($item in $Section.Items) {
        $code = @($item.Blocks | Where-Object Kind -EQ 'Fence' | ForEach-Object { $_.Lines -join "`n" })
        if ($code.Count -eq 0) { $Problems.Add("example '$($item.Heading)' has no code block") }
        [pscustomobject]@{
            Title   = $item.Heading.Trim()
            Code    = $code -join "`n`n"
            Remarks = @(ConvertTo-HelpParagraph -Block @($item.Blocks | Where-Object Kind -EQ 'Text'))
        }
    }
}

function Read-ParameterSection($Section, [Collections.Generic.List[string]] $Problems) {
    if (-not $Section) { return }
    foreach ($item in $Section.Items) {
        $heading = $item.Heading.Trim()
        if ($heading -in 'CommonParameters', 'WorkflowCommonParameters') { continue }
        if ($heading -notmatch '^-(?<name>\S+)$') {
            $Problems.Add("'### $heading' under PARAMETERS is not a parameter (write '### -Name')")
            continue
        }
        $yaml = @($item.Blocks | Where-Object { $_.Kind -eq 'Fence' -and $_.Info -eq 'yaml' })
        if ($yaml.Count -eq 0) { $Problems.Add("parameter -$($Matches.name) has no yaml block") }
        [pscustomobject]@{
            Name        = $Matches.name
            Description = @(ConvertTo-HelpParagraph -Block @($item.Blocks | Where-Object { $_.Kind -eq 'Text' -or ($_.Kind -eq 'Fence' -and $_.Info -ne 'yaml') }))
            Blocks      = @(foreach ($fence in $yaml) { ConvertFrom-ParameterYaml $fence.Lines })
        }
    }
}

# The yaml platyPS writes is flat 'Key: value' lines; no yaml library is needed for it.
function ConvertFrom-ParameterYaml([string[]] $Line) {
    $values = [ordered]@{}
    foreach ($entry in $Line) {
        if ($entry -match '^\s*(?<key>[^:]+?)\s*:\s*(?<value>.*?)\s*$') { $values[$Matches.key] = $Matches.value }
    }
    $values
}

function Read-TypeSection($Section) {
    if (-not $Section) { return }
    foreach ($item in $Section.Items) {
        [pscustomobject]@{
            TypeName    = $item.Heading.Trim()
            Description = @(ConvertTo-HelpParagraph -Block $item.Blocks)
        }
    }
}

function Read-LinkSection($Section) {
    if (-not $Section) { return }
    $lines = @($Section.Body | Where-Object Kind -EQ 'Text' | ForEach-Object Lines)
    foreach ($line in $lines) {
        $found = [regex]::Matches($line, '\[(?<text>[^\]]*)\]\((?<uri>[^)\s]*)\)')
        if ($found.Count -gt 0) {
            foreach ($m in $found) { [pscustomobject]@{ Text = $m.Groups['text'].Value; Uri = $m.Groups['uri'].Value } }
        }
        elseif ($line.Trim()) {
            [pscustomobject]@{ Text = $line.Trim(); Uri = '' }
        }
    }
}
