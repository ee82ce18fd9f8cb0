#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, documents, tests and benchmarks PSTrace.
.DESCRIPTION
    Build  compiles the solution (Release: the module's assemblies ReadyToRun as well) and lays the complete
           module out under out/PSTrace/<version>/, its BPF programs (bpf/*.bpf.o, compiled with clang; clang,
           bpftool and libbpf-dev are installed with apt-get when missing) and help included:
           docs/cmdlets/*.md become en-US/PSTrace.dll-Help.xml (the build fails when a page and a cmdlet disagree)
           and docs/about_*.help.txt the about topics.
    Help   the same as Build (kept for scripts that name it).
    Test   Build + Help, then the xunit engine tests, the Pester cmdlet tests (live, against this kernel),
           and the Lane tests in a qemu guest whose kernel has kprobes and function_graph (tests/lane);
           then prints one closing line: "N passed, N failed, N skipped".
    Package  Build, then makes out/repository/PSTrace.<version>.nupkg with PSResourceGet (Publish-PSResource to a
           local folder repository, registered for the publish and unregistered after it).
    Bench  runs the benchmarks under bench/.
    All    Build, Help, Test.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Help', 'Test', 'Package', 'Bench', 'All')]
    [string[]] $Task = 'All',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
[xml] $props = Get-Content (Join-Path $root 'Directory.Build.props')
$version = $props.Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
$moduleDir = Join-Path $root "out/PSTrace/$version"
$env:PSTRACE_MODULE = Join-Path $moduleDir 'PSTrace.psd1'

function Invoke-Native([string] $what, [scriptblock] $command) {
    & $command
    if ($LASTEXITCODE -ne 0) { throw "$what failed (exit code $LASTEXITCODE)." }
}

# The section of CHANGELOG.md for a version: the lines under its "## <version>" heading, up to the next heading.
function Get-ReleaseNotes([string] $forVersion) {
    $lines = Get-Content (Join-Path $root 'CHANGELOG.md')
    $start = [array]::FindIndex([string[]] $lines, [Predicate[string]] { param($l) $l -match "^## \[?$([regex]::Escape($forVersion))\b" })
    if ($start -lt 0) { throw "CHANGELOG.md has no section '## $forVersion': add one before building version $forVersion." }
    $section = $lines | Select-Object -Skip ($start + 1) | ForEach-Object -Begin { $done = $false } -Process {
        if ($_ -match '^## ') { $done = $true }
        if (-not $done) { $_ }
    }
    ($section -join "`n").Trim()
}

# Most of the first call's time in a fresh pwsh is JIT: the module's own assemblies are compiled
# ReadyToRun (native code beside the IL) for the runtime of the pwsh running this build, the one
# the README starts. Another runtime major version (pwsh 7.4 on .NET 8) ignores the native code and
# JIT-compiles the IL as before. bench/README.md has the measurements.
function Invoke-ReadyToRun {
    if ($Configuration -ne 'Release') { return }
    Invoke-Native 'restore build tools' { dotnet restore (Join-Path $root 'build/tools.proj') --nologo -v quiet }
    [xml] $tools = Get-Content (Join-Path $root 'build/tools.proj')
    $crossgenVersion = ($tools.Project.ItemGroup.PackageDownload | Where-Object Include -EQ 'Microsoft.NETCore.App.Crossgen2.linux-x64').Version.Trim('[]')
    $nuget = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
    $crossgen = Join-Path $nuget "microsoft.netcore.app.crossgen2.linux-x64/$crossgenVersion/tools/crossgen2"
    $framework = [Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()
    $staging = Join-Path $root 'out/readytorun'
    New-Item -ItemType Directory -Path $staging -Force | Out-Null
    foreach ($assembly in 'PSTrace.Core.dll', 'PSTrace.dll') {
        $output = Join-Path $staging $assembly
        # References: the runtime, PowerShell, and the module's other assemblies (not the input itself).
        $references = @(Get-ChildItem $moduleDir -Filter '*.dll' | Where-Object Name -NE $assembly | ForEach-Object { '-r', $_.FullName })
        Invoke-Native "crossgen2 $assembly" {
            & $crossgen (Join-Path $moduleDir $assembly) -o $output --targetos linux --targetarch x64 -O `
                -r (Join-Path $framework '*.dll') -r (Join-Path $PSHOME 'System.Management.Automation.dll') @references |
                Where-Object { $_ -notlike 'Emitting R2R PE file*' }
        }
        Move-Item $output (Join-Path $moduleDir $assembly) -Force
    }
    Remove-Item $staging -Recurse -Force
}

function Invoke-Build {
    Invoke-Native 'dotnet build' { dotnet build (Join-Path $root 'PSTrace.sln') -c $Configuration --nologo -v quiet }
    $bin = Join-Path $root "src/PSTrace/bin/$Configuration/net8.0"
    if (Test-Path $moduleDir) { Remove-Item $moduleDir -Recurse -Force }
    New-Item -ItemType Directory -Path $moduleDir -Force | Out-Null
    # Ship only our own assemblies: System.Management.Automation comes from the pwsh that loads us.
    foreach ($file in 'PSTrace.dll', 'PSTrace.Core.dll', 'PSTrace.format.ps1xml', 'PSTrace.Wide.format.ps1xml', 'PSTrace.types.ps1xml') {
        Copy-Item (Join-Path $bin $file) $moduleDir
    }
    Get-ChildItem $bin -Filter '*.dll' | Where-Object { $_.Name -notlike 'PSTrace*' -and $_.Name -ne 'System.Management.Automation.dll' } |
        Copy-Item -Destination $moduleDir
    Invoke-ReadyToRun
    $manifest = Get-Content (Join-Path $root 'PSTrace.psd1') -Raw
    $manifest = $manifest -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion        = '$version'"
    $notes = (Get-ReleaseNotes $version) -replace "'", "''"
    $manifest = $manifest -replace "ReleaseNotes\s*=\s*'[^']*'", { "ReleaseNotes = '$notes'" }
    Set-Content -Path $env:PSTRACE_MODULE -Value $manifest -NoNewline
    Copy-Item (Join-Path $root 'LICENSE') $moduleDir
    Invoke-BpfBuild
    Write-Host "Module laid out in $moduleDir"
}

# The BPF programs (src/PSTrace.Core/Bpf/Programs/*.bpf.c) compiled with clang into the module's bpf folder; clang,
# bpftool and libbpf-dev are installed when missing. Without them the module has no BPF backend (a warning says so).
function Invoke-BpfBuild {
    $objects = & (Join-Path $root 'build/Build-BpfPrograms.ps1') -Source (Join-Path $root 'src/PSTrace.Core/Bpf/Programs') `
        -Destination (Join-Path $moduleDir 'bpf') -WorkDirectory (Join-Path $root 'out/bpf-build')
    foreach ($object in $objects) { Write-Host "BPF program: $object" }
}

function Invoke-Help {
    $helpScript = Join-Path $root 'build/Help.ps1'
    if (-not (Test-Path $helpScript)) { throw 'build/Help.ps1 is missing.' }
    Invoke-Native 'Help' { dotnet pwsh -NoProfile -File $helpScript -ModulePath $env:PSTRACE_MODULE -DocsPath (Join-Path $root 'docs/cmdlets') -OutputPath $moduleDir }
    # About topics are plain text that Get-Help finds by name in the culture folder.
    Get-ChildItem (Join-Path $root 'docs') -Filter 'about_*.help.txt' | Copy-Item -Destination (Join-Path $moduleDir 'en-US')
}

function Invoke-XunitTests {
    # Both xunit projects: the engine's (tests/PSTrace.Tests, net8.0 like the module) and the cmdlet project's
    # (tests/PSTrace.Module.Tests, in a PowerShell runspace); their counts are added up.
    $results = Join-Path $root 'out/test-results'
    New-Item -ItemType Directory -Path $results -Force | Out-Null
    $total = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 }
    foreach ($project in 'PSTrace.Tests', 'PSTrace.Module.Tests') {
        $trx = Join-Path $results "$project.trx"
        Remove-Item $trx -ErrorAction Ignore
        dotnet test (Join-Path $root "tests/$project/$project.csproj") -c $Configuration --nologo -v quiet `
            --logger "trx;LogFileName=$trx" --logger 'console;verbosity=minimal' | Out-Host
        if (-not (Test-Path $trx)) { throw "xunit wrote no results: $project did not run." }
        [xml] $x = Get-Content $trx
        $c = $x.TestRun.ResultSummary.Counters
        $total.Passed += [int]$c.passed
        $total.Failed += [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted
        $total.Skipped += [int]$c.notExecuted
    }
    $total
}

function Invoke-PesterTests {
    # Tests are written for PowerShell's defaults, not for this script's strict mode.
    Set-StrictMode -Off
    Invoke-Native 'restore Pester' { dotnet restore (Join-Path $root 'build/tools.proj') --nologo -v quiet }
    $nuget = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
    Import-Module (Join-Path $nuget 'pester/5.7.1/tools/Pester.psd1') -Force
    $config = New-PesterConfiguration
    $config.Run.Path = Join-Path $root 'tests/Pester'
    $config.Run.PassThru = $true
    # The Lane tests need a kernel with kprobes and function_graph: tests/lane runs them under qemu.
    $config.Filter.ExcludeTag = 'Lane'
    $config.Output.Verbosity = 'Detailed'
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputPath = Join-Path $root 'out/test-results/pester.xml'
    $run = Invoke-Pester -Configuration $config
    [pscustomobject]@{ Passed = $run.PassedCount; Failed = $run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount; Skipped = $run.SkippedCount }
}

# The Lane-tagged Pester tests need kprobes and function_graph, which this machine's kernel may lack:
# tests/lane boots a stock kernel that has them under qemu and runs them there with the built module.
function Invoke-LaneTests {
    if ((id -u) -ne '0' -and $env:CI -ne 'true') {
        Write-Warning 'Skipping the qemu lane: it needs root.'
        return [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 1 }
    }
    & bash (Join-Path $root 'tests/lane/run-lane.sh') --module-path $env:PSTRACE_MODULE 2>&1 | Tee-Object -Variable lines | Out-Host
    $code = $LASTEXITCODE
    $summary = $lines | ForEach-Object { "$_" } | Where-Object { $_ -match '^(\d+) passed, (\d+) failed(, (\d+) skipped)?$' } | Select-Object -Last 1
    if ($summary -and $summary -match '^(\d+) passed, (\d+) failed(, (\d+) skipped)?$') {
        $result = [pscustomobject]@{ Passed = [int]$Matches[1]; Failed = [int]$Matches[2]; Skipped = [int]($Matches[4] ?? 0) }
        if ($code -ne 0 -and $result.Failed -eq 0) { $result.Failed = 1 }
        return $result
    }
    Write-Warning "The qemu lane ended with exit code $code and no result line (see TestResults/lane/console.log)."
    [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
}

# What the tests run beside PSTrace: trace-cmd (the trace.dat tests compare with `trace-cmd report`),
# gcc (uprobe offset tests build small programs), sshd (the remoting tests run two local hosts),
# chromium (the flame graph tests render each SVG they make) and npm (timelines are opened in
# speedscope, fetched with npm, in headless chromium). A fresh CI machine has none of them.
function Install-TestPrerequisites {
    $installer = Join-Path $root 'build/Install-Prerequisites.ps1'
    & $installer -Tool trace-cmd, gcc, sshd, chromium, npm -Package @{ sshd = 'openssh-server' } | Out-Null
}

function Invoke-Test {
    Install-TestPrerequisites
    $xunit = Invoke-XunitTests
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped"
    $pester = Invoke-PesterTests
    Write-Host "Pester: $($pester.Passed) passed, $($pester.Failed) failed, $($pester.Skipped) skipped"
    $lane = Invoke-LaneTests
    Write-Host "Lane (qemu): $($lane.Passed) passed, $($lane.Failed) failed, $($lane.Skipped) skipped"
    $passed = $xunit.Passed + $pester.Passed + $lane.Passed
    $failed = $xunit.Failed + $pester.Failed + $lane.Failed
    $skipped = $xunit.Skipped + $pester.Skipped + $lane.Skipped
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

function Invoke-Package {
    $package = & (Join-Path $root 'build/Package.ps1') -ModulePath $moduleDir -Repository (Join-Path $root 'out/repository')
    Write-Host "Package: $package"
}

function Invoke-Bench {
    foreach ($project in Get-ChildItem (Join-Path $root 'bench') -Filter '*.csproj' -Recurse) {
        Invoke-Native "benchmark $($project.BaseName)" { dotnet run -c Release --project $project.FullName -- --filter '*' }
    }
}

$steps = switch ($Task) {
    # Help is part of a complete module: the README's first command (Build) must give Get-Help its pages.
    'Build' { 'Build', 'Help' }
    'Help' { 'Build', 'Help' }
    'Test' { 'Build', 'Help', 'Test' }
    'Package' { 'Build', 'Help', 'Package' }
    'Bench' { 'Bench' }
    'All' { 'Build', 'Help', 'Test' }
}
foreach ($step in $steps | Select-Object -Unique) {
    Write-Host "== $step" -ForegroundColor Cyan
    & "Invoke-$step"
}
