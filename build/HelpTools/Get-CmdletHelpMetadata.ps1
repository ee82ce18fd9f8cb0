<#
.SYNOPSIS
What a module's cmdlets declare (parameter sets, parameters, types, positions,
pipeline binding), read in a child pwsh so this session never loads the module.
#>
function Get-CmdletHelpMetadata {
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        # The module to read: a .psd1 manifest or the cmdlet assembly itself.
        [Parameter(Mandatory)]
        [string] $ModulePath
    )

    $resolved = (Resolve-Path -LiteralPath $ModulePath -ErrorAction Stop).ProviderPath
    $jsonFile = Join-Path ([IO.Path]::GetTempPath()) "cmdlet-metadata-$([guid]::NewGuid()).json"
    try {
        $pwsh = @(Get-PwshCommand)
        $exporter = Join-Path $PSScriptRoot 'Export-CmdletMetadata.ps1'
        $arguments = @($pwsh | Select-Object -Skip 1) +
            @('-NoProfile', '-NonInteractive', '-File', $exporter, '-ModulePath', $resolved, '-OutFile', $jsonFile)
        $output = & $pwsh[0] @arguments 2>&1
        if ($LASTEXITCODE -ne 0) {
            throw "Could not read the cmdlets of '$resolved' (pwsh exited with $LASTEXITCODE):$([Environment]::NewLine)$($output -join [Environment]::NewLine)"
        }
        Get-Content -LiteralPath $jsonFile -Raw | ConvertFrom-Json
    }
    finally {
        Remove-Item -LiteralPath $jsonFile -ErrorAction Ignore
    }
}
