#requires -Version 7.4
<#
The package that `build.ps1 Package` makes (build/Package.ps1, PSResourceGet) installs with
Install-PSResource from a local folder repository in a fresh pwsh, and the installed module
autoloads every command with its help.

The fresh pwsh gets its own HOME and XDG_DATA_HOME (PSResourceGet installs CurrentUser
modules under HOME, pwsh looks for them and keeps the repository list under XDG_DATA_HOME),
both in a temporary folder: nothing is installed or registered for the user running the tests.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-PSTraceUnderTest
    $script:ModuleDir = Split-Path $env:PSTRACE_MODULE
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "pstrace-package-$([guid]::NewGuid().ToString('n'))"
    $script:Repository = Join-Path $Work 'repository'
    $script:DataHome = Join-Path $Work 'home/.local/share'
    New-Item -ItemType Directory -Path $DataHome -Force | Out-Null
    $script:Package = & (Join-Path $PSScriptRoot '..' '..' 'build' 'Package.ps1') -ModulePath $ModuleDir -Repository $Repository -RepositoryName "PSTraceTest$PID"
    $script:Expected = @((Get-Module PSTrace).ExportedCmdlets.Keys | Sort-Object)

    # Install, import and ask for help in a fresh pwsh (the apphost beside this one's assemblies).
    $child = {
        param($Repository)
        $ErrorActionPreference = 'Stop'
        if (-not $env:HOME.StartsWith([IO.Path]::GetTempPath())) { throw "HOME is $env:HOME, not a temporary folder: refusing to install." }
        Register-PSResourceRepository -Name PSTraceLocal -Uri $Repository -Trusted
        try {
            Install-PSResource PSTrace -Repository PSTraceLocal -Scope CurrentUser -TrustRepository -Quiet
        }
        finally {
            Unregister-PSResourceRepository -Name PSTraceLocal
        }
        # Help first: Get-Help on a command of a module not yet imported autoloads it.
        $autoloaded = Get-Help Watch-Exec -Examples
        $module = Get-Module PSTrace
        Import-Module PSTrace
        [pscustomobject]@{
            AutoloadedBase      = $module.ModuleBase
            AutoloadedExamples  = @($autoloaded.examples.example).Count
            ModuleBase          = (Get-Module PSTrace).ModuleBase
            ReleaseNotes        = (Get-Module PSTrace).ReleaseNotes
            LicenseShipped      = Test-Path (Join-Path (Get-Module PSTrace).ModuleBase 'LICENSE')
            Repositories        = @(Get-PSResourceRepository | ForEach-Object Name)
            Commands            = @(Get-Command -Module PSTrace | Sort-Object Name | ForEach-Object {
                    $help = Get-Help $_.Name -Full
                    [pscustomobject]@{
                        Name        = $_.Name
                        Description = (@($help.description | ForEach-Object Text) -join ' ').Trim()
                        Examples    = @($help.examples.example).Count
                    }
                })
            About               = [bool](Get-Help about_PSTrace | Out-String | Select-String 'TOPIC')
        } | ConvertTo-Json -Depth 4 -Compress
    }
    $environment = @{ HOME = Join-Path $Work 'home'; XDG_DATA_HOME = $DataHome; PSModulePath = $null }
    $saved = @{}
    foreach ($name in $environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
    try {
        foreach ($name in $environment.Keys) { [Environment]::SetEnvironmentVariable($name, $environment[$name]) }
        $output = & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command $child -args $Repository 2>&1
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
    $script:ChildExit = $LASTEXITCODE
    $script:ChildOutput = @($output | ForEach-Object { "$_" })
    $json = $ChildOutput | Where-Object { $_.StartsWith('{') } | Select-Object -Last 1
    $script:Result = if ($json) { $json | ConvertFrom-Json }
}

AfterAll {
    if ($script:Work) { Remove-Item $script:Work -Recurse -Force -ErrorAction Ignore }
}

Describe 'build.ps1 Package' {
    It 'makes PSTrace.(version).nupkg' {
        $Package | Should -Exist
        Split-Path $Package -Leaf | Should -Be "PSTrace.$((Get-Module PSTrace).Version).nupkg"
    }

    It 'installs with Install-PSResource in a fresh pwsh' {
        $Result | Should -Not -BeNullOrEmpty -Because ($ChildOutput -join "`n")
        $ChildExit | Should -Be 0
        $Result.ModuleBase | Should -BeLike "$DataHome*" -Because 'the module must come from the package, not from the build output'
    }

    It 'autoloads on Get-Help and shows the examples' {
        $Result.AutoloadedBase | Should -BeLike "$DataHome*"
        $Result.AutoloadedExamples | Should -BeGreaterThan 0
    }

    It 'exports every command, each with a description and examples' {
        @($Result.Commands.Name) | Should -Be $Expected
        foreach ($command in $Result.Commands) {
            $command.Description | Should -Not -BeNullOrEmpty -Because "$($command.Name) should have help"
            $command.Examples | Should -BeGreaterThan 0 -Because "$($command.Name) should have examples"
        }
    }

    It 'carries about_PSTrace, LICENSE and the release notes from CHANGELOG.md' {
        $Result.About | Should -BeTrue
        $Result.LicenseShipped | Should -BeTrue
        $Result.ReleaseNotes | Should -Match 'Get-TraceEvent'
    }

    It 'leaves no repository registered' {
        $Result.Repositories | Should -Not -Contain 'PSTraceLocal'
        Get-PSResourceRepository -Name "PSTraceTest$PID" -ErrorAction Ignore | Should -BeNullOrEmpty
    }
}
