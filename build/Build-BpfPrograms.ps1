#requires -Version 7.4
<#
.SYNOPSIS
Compiles PSTrace's BPF programs (src/PSTrace.Core/Bpf/Programs/*.bpf.c) into the module's bpf folder.

.DESCRIPTION
Each NAME.bpf.c becomes NAME.bpf.o, compiled with clang for the bpf target (-O2 -g: the BTF that CO-RE
relocations and libbpf need) against a vmlinux.h that bpftool writes from this machine's kernel BTF
(/sys/kernel/btf/vmlinux; made for each build, never committed) and libbpf-dev's headers. The programs read kernel
structures through CO-RE, so the objects load on other kernels too (Debian's 6.1 as well as 6.18).

clang is looked for as clang, then clang-NN (the highest). What is missing of clang, bpftool and libbpf-dev is
installed through Install-Prerequisites.ps1 (apt-get, as root). When they cannot be had (not root, no BTF here),
the module is laid out without its BPF programs and a warning says so: Get-TraceCapability Bpf then names the
reason and the Watch-* tools use tracefs. Under CI=true that is an error. A program that does not compile is
always an error.

Writes the paths of the compiled objects.

.EXAMPLE
./build/Build-BpfPrograms.ps1 -Source src/PSTrace.Core/Bpf/Programs -Destination out/PSTrace/0.1.0/bpf -WorkDirectory out/bpf
#>
[CmdletBinding()]
[OutputType([string])]
param(
    # The folder of the *.bpf.c sources.
    [Parameter(Mandatory)]
    [string] $Source,

    # The module's bpf folder.
    [Parameter(Mandatory)]
    [string] $Destination,

    # Where vmlinux.h is written.
    [Parameter(Mandatory)]
    [string] $WorkDirectory,

    # The kernel BTF vmlinux.h is made from.
    [string] $Btf = '/sys/kernel/btf/vmlinux'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$libbpfHeader = '/usr/include/bpf/bpf_helpers.h'

# clang, or the newest clang-NN on PATH (Debian's clang-14 installs only the versioned name).
function Find-Clang {
    $plain = Get-Command clang -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if ($plain) { return $plain.Source }
    Get-Command 'clang-*' -CommandType Application -ErrorAction Ignore |
        Where-Object Name -Match '^clang-(\d+)$' |
        Sort-Object { [int]($_.Name -replace '^clang-', '') } -Descending |
        Select-Object -First 1 -ExpandProperty Source
}

function Skip([string] $why) {
    if ($env:CI -eq 'true') { throw "BPF programs cannot be built: $why" }
    Write-Warning "The module is built without its BPF programs: $why. Get-TraceCapability Bpf will say so, and the Watch-* tools use tracefs (Start-TraceProfile, which has only BPF, will not run)."
}

$sources = @(Get-ChildItem $Source -Filter '*.bpf.c')
if ($sources.Count -eq 0) { return }

if (-not (Test-Path $Btf)) {
    Skip "this kernel has no BTF ($Btf), which vmlinux.h is made from"
    return
}

$tools = @('bpftool')
if (-not (Find-Clang)) { $tools += 'clang' }
& (Join-Path $PSScriptRoot 'Install-Prerequisites.ps1') -Tool $tools -File @{ $libbpfHeader = 'libbpf-dev' } | Out-Null
$clang = Find-Clang
$bpftool = Get-Command bpftool -CommandType Application -ErrorAction Ignore | Select-Object -First 1
$missing = @(
    if (-not $clang) { 'clang' }
    if (-not $bpftool) { 'bpftool' }
    if (-not (Test-Path $libbpfHeader)) { 'libbpf-dev' }
)
if ($missing.Count -gt 0) {
    Skip "missing $($missing -join ', ') (run the build as root to have them installed)"
    return
}

New-Item -ItemType Directory -Path $WorkDirectory, $Destination -Force | Out-Null
$vmlinux = Join-Path $WorkDirectory 'vmlinux.h'
# Through sh: the header (megabytes) goes to the file as bytes, not line by line through PowerShell.
sh -c '"$0" btf dump file "$1" format c > "$2"' $bpftool.Source $Btf $vmlinux
if ($LASTEXITCODE -ne 0) { throw "bpftool btf dump file $Btf failed (exit code $LASTEXITCODE)." }

foreach ($program in $sources) {
    $object = Join-Path $Destination ($program.Name -replace '\.c$', '.o')
    # -g keeps the BTF libbpf needs (maps, CO-RE relocations); __TARGET_ARCH_x86 is what bpf_tracing.h asks for.
    & $clang -target bpf -O2 -g -D__TARGET_ARCH_x86 -Wall -Werror -I $WorkDirectory -c $program.FullName -o $object
    if ($LASTEXITCODE -ne 0) { throw "clang could not compile $($program.Name) (exit code $LASTEXITCODE)." }
    $object
}
