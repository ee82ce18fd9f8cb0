#requires -Version 7.4
<#
.SYNOPSIS
Builds en-US/<assembly>-Help.xml (MAML) for the module's cmdlets from docs/cmdlets/*.md.

.DESCRIPTION
Reads the cmdlets from the built module in a child pwsh, writes a skeleton page for any
cmdlet without one, and fails when a page and its cmdlet disagree about parameters,
types, parameter sets, positions or pipeline input (every disagreement is listed).

Exit code 0: help written (skeletons written, if any, are named in warnings; their
placeholders fail tests/Pester/Help.Tests.ps1). Exit code 1: nothing written; the
reasons are on standard error.

.EXAMPLE
dotnet pwsh -NoProfile -File build/Help.ps1 -ModulePath out/PSTrace/0.1.0/PSTrace.psd1
#>
[CmdletBinding()]
param(
    # The built module: out/PSTrace/<version>/PSTrace.psd1 (or PSTrace.dll).
    [Parameter(Mandatory)]
    [string] $ModulePath,

    # The markdown pages, one per cmdlet.
    [string] $DocsPath = (Join-Path $PSScriptRoot '..' 'docs' 'cmdlets'),

    # The folder that gets en-US/PSTrace.dll-Help.xml; the module's folder if not given.
    [string] $OutputPath,

    [string] $Culture = 'en-US'
)

try {
    Import-Module (Join-Path $PSScriptRoot 'HelpTools' 'HelpTools.psm1') -Force
    $result = Invoke-HelpBuild -ModulePath $ModulePath -DocsPath $DocsPath -OutputPath $OutputPath -Culture $Culture
    foreach ($file in $result.HelpFiles) { Write-Host "Help: wrote $file" }
    Write-Host "Help: $($result.Commands.Count) cmdlets, $($result.Skeletons.Count) skeleton pages written"
}
catch {
    # Disagreements are the expected failure and their message says it all; anything
    # else is a fault in the build, so say where it happened.
    $where = if ($_.FullyQualifiedErrorId -like 'HelpPagesDisagree*') { '' } else { [Environment]::NewLine + $_.ScriptStackTrace }
    [Console]::Error.WriteLine("Help: $($_.Exception.Message)$where")
    exit 1
}
exit 0
