# Builds MAML help for binary cmdlets from platyPS-style markdown pages, without platyPS.
# One function per file; only the steps a build or a test calls are exported.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

foreach ($file in Get-ChildItem -LiteralPath $PSScriptRoot -Filter *.ps1 -File) {
    # Export-CmdletMetadata.ps1 is a script run in a child pwsh, not a function file.
    if ($file.Name -ne 'Export-CmdletMetadata.ps1') { . $file.FullName }
}

Export-ModuleMember -Function @(
    'Invoke-HelpBuild'
    'Get-CmdletHelpMetadata'
    'ConvertFrom-HelpMarkdown'
    'Compare-HelpPage'
    'New-HelpMarkdownSkeleton'
    'Write-MamlHelp'
    'Get-PwshCommand'
)
