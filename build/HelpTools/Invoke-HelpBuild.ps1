<#
.SYNOPSIS
Builds a module's MAML help from its markdown pages, checking them against the cmdlets.

.DESCRIPTION
Reads the module's cmdlets in a child pwsh, writes a skeleton page for every cmdlet
that has none, and compares every page with its cmdlet. If anything disagrees (or a
page documents a cmdlet the module does not export), it throws one error that lists
every disagreement and writes no help. Otherwise it writes
<OutputPath>/<Culture>/<help file> (PSTrace.dll-Help.xml for PSTrace) for each
assembly the cmdlets come from, and returns what it wrote.
#>
function Invoke-HelpBuild {
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        # The built module: its .psd1 manifest or the cmdlet assembly.
        [Parameter(Mandatory)]
        [string] $ModulePath,

        # The folder of pages, one <Verb-Noun>.md per cmdlet.
        [Parameter(Mandatory)]
        [string] $DocsPath,

        # The folder that gets <Culture>/<help file>; the module's own folder if not given.
        [string] $OutputPath,

        [string] $Culture = 'en-US'
    )

    if (-not $OutputPath) { $OutputPath = Split-Path -Parent (Resolve-Path -LiteralPath $ModulePath -ErrorAction Stop).ProviderPath }
    $commands = @(Get-CmdletHelpMetadata -ModulePath $ModulePath)
    if ($commands.Count -eq 0) { Write-Warning "$ModulePath exports no cmdlets; there is no help to build." }

    $null = New-Item -ItemType Directory -Path $DocsPath -Force
    $skeletons = foreach ($command in $commands) {
        $pagePath = Join-Path $DocsPath "$($command.Name).md"
        if (-not (Test-Path -LiteralPath $pagePath)) {
            Set-Content -LiteralPath $pagePath -Value (New-HelpMarkdownSkeleton -Command $command) -NoNewline -Encoding utf8NoBOM
            Write-Warning "Wrote a skeleton help page for $($command.Name): $pagePath. Fill in its placeholders."
            $pagePath
        }
    }

    # README.md is the folder's index, not a cmdlet page.
    $pages = @(Get-ChildItem -LiteralPath $DocsPath -Filter *.md -File | Where-Object Name -ne 'README.md' | Sort-Object Name | ConvertFrom-HelpMarkdown)
    $problems = [Collections.Generic.List[string]]::new()
    $entries = [Collections.Generic.List[object]]::new()
    foreach ($page in $pages) {
        $command = $commands | Where-Object Name -EQ $page.Name
        if (-not $page.Name) {
            $problems.Add("$($page.FileName): the page has no '# Verb-Noun' title")
        }
        elseif (-not $command) {
            $problems.Add("$($page.FileName): documents $($page.Name), which the module does not export")
        }
        elseif ($entries | Where-Object { $_.Command.Name -eq $command.Name }) {
            $problems.Add("$($page.FileName): a second page for $($command.Name)")
        }
        else {
            foreach ($problem in Compare-HelpPage -Page $page -Command $command) { $problems.Add("$($page.FileName): $problem") }
            $entries.Add([pscustomobject]@{ Page = $page; Command = $command })
        }
    }
    if ($problems.Count) {
        $list = ($problems | ForEach-Object { "  $_" }) -join [Environment]::NewLine
        $message = "The help pages in $DocsPath disagree with the cmdlets of $ModulePath ($($problems.Count) $(if ($problems.Count -eq 1) { 'problem' } else { 'problems' })):$([Environment]::NewLine)$list"
        $PSCmdlet.ThrowTerminatingError([Management.Automation.ErrorRecord]::new(
                [InvalidOperationException]::new($message), 'HelpPagesDisagree', 'InvalidData', $DocsPath))
    }

    $helpFiles = foreach ($group in $entries | Group-Object { $_.Command.HelpFile }) {
        Write-MamlHelp -Entry $group.Group -Path (Join-Path $OutputPath $Culture $group.Name)
    }
    [pscustomobject]@{
        HelpFiles = @($helpFiles | ForEach-Object FullName)
        Skeletons = @($skeletons)
        Commands  = @($commands | ForEach-Object Name)
    }
}
