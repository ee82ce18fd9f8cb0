#requires -Version 7.4
<#
.SYNOPSIS
Makes PSTrace.<version>.nupkg from a laid-out module with PSResourceGet.

.DESCRIPTION
Registers the folder -Repository as a PSResourceGet repository (under a name of its own),
publishes the module folder to it with Publish-PSResource, and unregisters it again, even
when publishing fails. The folder then holds the .nupkg, and is itself a repository that
Install-PSResource can read once registered. A package of the same version already in
the folder is replaced.

Writes the path of the .nupkg.

.EXAMPLE
./build/Package.ps1 -ModulePath out/PSTrace/0.1.0 -Repository out/repository
#>
[CmdletBinding()]
[OutputType([string])]
param(
    # The laid-out module: out/PSTrace/<version> (the folder that holds PSTrace.psd1).
    [Parameter(Mandatory)]
    [string] $ModulePath,

    # The folder that gets the .nupkg; created when missing.
    [Parameter(Mandatory)]
    [string] $Repository,

    # The name the repository is registered under while publishing.
    [string] $RepositoryName = 'PSTraceBuild'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$manifest = Import-PowerShellDataFile (Join-Path $ModulePath 'PSTrace.psd1')
$repositoryPath = (New-Item -ItemType Directory -Path $Repository -Force).FullName
$package = Join-Path $repositoryPath "PSTrace.$($manifest.ModuleVersion).nupkg"
# Publish-PSResource refuses a version the repository already has.
Remove-Item $package -ErrorAction Ignore

if (Get-PSResourceRepository -Name $RepositoryName -ErrorAction Ignore) { Unregister-PSResourceRepository -Name $RepositoryName }
Register-PSResourceRepository -Name $RepositoryName -Uri $repositoryPath -Trusted
try {
    Publish-PSResource -Path $ModulePath -Repository $RepositoryName
}
finally {
    Unregister-PSResourceRepository -Name $RepositoryName
}
if (-not (Test-Path $package)) { throw "Publish-PSResource wrote no $package." }
$package
