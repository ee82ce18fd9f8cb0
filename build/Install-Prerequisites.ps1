#requires -Version 7.4
<#
.SYNOPSIS
Installs, with apt-get, the tools the build and the tests need beside PSTrace that this machine lacks.

.DESCRIPTION
A tool counts as present when Get-Command finds it on PATH, a file (-File: headers a build
needs) when it exists. The missing ones are installed in one `apt-get install` call, each by
its Debian package name (-Package maps a tool to its package when the two differ, e.g. sshd ->
openssh-server; -File names each file's package). Without root
nothing is installed: a warning names what is missing (the tests that need it skip, or
fail under CI=true).

Writes the names of the packages it installed (none when nothing was missing).

.EXAMPLE
./build/Install-Prerequisites.ps1 -Tool trace-cmd, gcc, sshd -Package @{ sshd = 'openssh-server' }
#>
[CmdletBinding()]
[OutputType([string])]
param(
    # The commands to look for on PATH.
    [Parameter(Mandatory)]
    [AllowEmptyCollection()]
    [string[]] $Tool,

    # Debian package names for the tools whose package is not named after them.
    [hashtable] $Package = @{},

    # Files to look for, each with the Debian package that installs it (e.g. '/usr/include/bpf/bpf_helpers.h' = 'libbpf-dev').
    [hashtable] $File = @{},

    # Debian's policy-rc.d: while it exits 101, a package's service is installed but not started
    # (openssh-server would otherwise start an sshd on every address). Made for the install when
    # the machine has none, and removed after it.
    [string] $ServicePolicy = '/usr/sbin/policy-rc.d'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

# [string[]] and @(...) keep one missing tool an array: a lone string splatted into a
# native command goes character by character (apt-get then looks for packages t, r, a ...).
[string[]] $missingFiles = @($File.Keys | Where-Object { -not (Test-Path $_) })
[string[]] $missing = @($Tool | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction Ignore) }) + $missingFiles
if ($missing.Count -eq 0) { return }
[string[]] $packages = @($missing | ForEach-Object { if ($File.ContainsKey($_)) { $File[$_] } elseif ($Package.ContainsKey($_)) { $Package[$_] } else { $_ } } | Select-Object -Unique)

if ((id -u) -ne '0') {
    Write-Warning "Missing $($missing -join ', '): run as root to install $($packages -join ', '); the tests that need them will skip."
    return
}
Write-Host "Installing $($packages -join ', ')"
# Non-interactive: a CI machine has nobody to answer debconf's questions.
$frontend = $env:DEBIAN_FRONTEND
$env:DEBIAN_FRONTEND = 'noninteractive'
$madePolicy = -not (Test-Path $ServicePolicy)
if ($madePolicy) {
    Set-Content -Path $ServicePolicy -Value "#!/bin/sh`n# Made by PSTrace's build/Install-Prerequisites.ps1 for one apt-get install: start no service.`nexit 101`n"
    [IO.File]::SetUnixFileMode($ServicePolicy, [IO.UnixFileMode]'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute')
}
try {
    apt-get update -qq
    if ($LASTEXITCODE -ne 0) { throw "apt-get update failed (exit code $LASTEXITCODE)." }
    # Patient with another install that holds dpkg's lock (a fresh machine may be installing other things).
    apt-get install -o DPkg::Lock::Timeout=600 -y -qq @packages
    if ($LASTEXITCODE -ne 0) { throw "apt-get install $($packages -join ' ') failed (exit code $LASTEXITCODE)." }
}
finally {
    $env:DEBIAN_FRONTEND = $frontend
    if ($madePolicy) { Remove-Item $ServicePolicy -Force -ErrorAction Ignore }
}
$packages
