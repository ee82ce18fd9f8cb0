<#
.SYNOPSIS
Cuts markdown lines into headings, fenced code blocks and runs of text.

.DESCRIPTION
Fences are found first so that a '#' comment inside an example's code is never
taken for a heading. A run of text keeps its blank lines: they separate paragraphs.
#>
function Split-MarkdownBlock {
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)]
        [AllowEmptyCollection()]
        [AllowEmptyString()]
        [string[]] $Line
    )

    $text = [Collections.Generic.List[string]]::new()
    $fence = $null
    $fenceLines = $null
    $fenceInfo = $null

    foreach ($current in $Line) {
        if ($null -ne $fence) {
            if ($current -match "^\s*$([regex]::Escape($fence))$([regex]::Escape($fence[0]))*\s*$") {
                [pscustomobject]@{ Kind = 'Fence'; Info = $fenceInfo; Lines = $fenceLines.ToArray() }
                $fence = $null
            }
            else {
                $fenceLines.Add($current)
            }
            continue
        }
        if ($current -match '^\s{0,3}(?<fence>`{3,}|~{3,})\s*(?<info>[^`\s]*)') {
            if ($text.Count -gt 0) { [pscustomobject]@{ Kind = 'Text'; Lines = $text.ToArray() }; $text.Clear() }
            $fence = $Matches.fence
            $fenceInfo = $Matches.info
            $fenceLines = [Collections.Generic.List[string]]::new()
            continue
        }
        if ($current -match '^(?<hashes>#{1,6})\s+(?<title>.*?)\s*#*\s*$') {
            if ($text.Count -gt 0) { [pscustomobject]@{ Kind = 'Text'; Lines = $text.ToArray() }; $text.Clear() }
            [pscustomobject]@{ Kind = 'Heading'; Level = $Matches.hashes.Length; Text = $Matches.title }
            continue
        }
        $text.Add($current)
    }

    if ($null -ne $fence) {
        # An unclosed fence runs to the end of the page, as markdown renderers show it.
        [pscustomobject]@{ Kind = 'Fence'; Info = $fenceInfo; Lines = $fenceLines.ToArray(); Unclosed = $true }
    }
    elseif ($text.Count -gt 0) {
        [pscustomobject]@{ Kind = 'Text'; Lines = $text.ToArray() }
    }
}
