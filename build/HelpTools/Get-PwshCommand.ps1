<#
.SYNOPSIS
Returns how to start another pwsh like the one running: the program and the arguments
that come before pwsh's own.

.DESCRIPTION
pwsh served as a dotnet tool runs as `dotnet pwsh.dll`, so the running process is
dotnet itself; a child must be started the same way.
#>
function Get-PwshCommand {
    [CmdletBinding()]
    [OutputType([string[]])]
    param()

    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        return @($process, (Join-Path $PSHOME 'pwsh.dll'))
    }
    @($process)
}
