<#
.SYNOPSIS
Turns markdown blocks into the paragraphs MAML holds (one maml:para each).

.DESCRIPTION
Blank lines end a paragraph. Lines wrapped inside a paragraph are joined with a
space, because Get-Help wraps paragraphs to the console's width itself. A list item
starts a paragraph of its own so that lists stay lists. A fenced code block stays
one paragraph with its line breaks.
#>
function ConvertTo-HelpParagraph {
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [AllowEmptyCollection()]
        [object[]] $Block
    )

    foreach ($current in $Block) {
        if ($current.Kind -eq 'Fence') {
            $code = $current.Lines -join "`n"
            if ($code.Trim()) { $code }
            continue
        }
        if ($current.Kind -ne 'Text') { continue }

        $paragraph = $null
        foreach ($line in $current.Lines) {
            $trimmed = $line.Trim()
            if (-not $trimmed) {
                if ($paragraph) { $paragraph }
                $paragraph = $null
            }
            elseif ($null -eq $paragraph -or $trimmed -match '^([-*+]|\d+[.)])\s') {
                if ($paragraph) { $paragraph }
                $paragraph = $trimmed
            }
            else {
                $paragraph += ' ' + $trimmed
            }
        }
        if ($paragraph) { $paragraph }
    }
}
