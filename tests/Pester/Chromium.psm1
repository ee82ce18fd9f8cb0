# Renders SVG files in Debian's chromium, headless: a screenshot and the DOM after the page's own script ran.
Set-StrictMode -Version Latest

# Why the browser tests cannot run here, or $null. build.ps1 Test installs chromium when missing;
# under CI=true a machine without it is a failure, as a missing trace-cmd is.
function Get-ChromiumSkipReason {
    if (Get-Command chromium -CommandType Application -ErrorAction Ignore) { return $null }
    if ($env:CI -eq 'true') { throw 'CI=true but chromium is missing: build.ps1 Test installs it (package chromium) as root.' }
    'chromium is not installed (build.ps1 Test installs it as root)'
}

# Chromium's own flags for a run without a display, as root, leaving nothing in the user's profile.
function Get-ChromiumArgument([string] $ProfileDirectory) {
    @('--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', "--user-data-dir=$ProfileDirectory",
        '--no-first-run', '--disable-extensions', '--window-size=1200,800')
}

# The DOM of file:///<Svg><Query> once loaded, as XML (chromium's --dump-dom).
function Get-RenderedDom([string] $Svg, [string] $Query = '', [string] $ProfileDirectory) {
    $uri = [Uri]::new($Svg).AbsoluteUri + $Query
    $dom = (& chromium @(Get-ChromiumArgument $ProfileDirectory) --dump-dom $uri 2>$null) -join "`n"
    if ($LASTEXITCODE -ne 0 -or -not $dom) { throw "chromium --dump-dom $uri failed (exit code $LASTEXITCODE)." }
    [xml] $dom
}

# Takes a 1200x800 screenshot of the SVG; returns the PNG's path.
function Save-Screenshot([string] $Svg, [string] $Png, [string] $ProfileDirectory) {
    Remove-Item $Png -ErrorAction Ignore
    & chromium @(Get-ChromiumArgument $ProfileDirectory) "--screenshot=$Png" ([Uri]::new($Svg).AbsoluteUri) 2>$null | Out-Null
    if (-not (Test-Path $Png)) { throw "chromium made no screenshot of $Svg (exit code $LASTEXITCODE)." }
    $Png
}

# How many different byte values the PNG's pixel data (its IDAT chunks, inflated) holds: a blank page has a handful.
function Get-PngDistinctByteCount([string] $Png) {
    $bytes = [IO.File]::ReadAllBytes($Png)
    $data = [IO.MemoryStream]::new()
    $at = 8  # after the signature
    while ($at + 8 -le $bytes.Length) {
        $length = [int](([uint32]$bytes[$at] -shl 24) -bor ([uint32]$bytes[$at + 1] -shl 16) -bor ([uint32]$bytes[$at + 2] -shl 8) -bor $bytes[$at + 3])
        $type = [Text.Encoding]::ASCII.GetString($bytes, $at + 4, 4)
        if ($type -eq 'IDAT') { $data.Write($bytes, $at + 8, $length) }
        $at += 12 + $length
    }
    $data.Position = 0
    $inflate = [IO.Compression.ZLibStream]::new($data, [IO.Compression.CompressionMode]::Decompress)
    $pixels = [IO.MemoryStream]::new()
    $inflate.CopyTo($pixels)
    [byte[]] $all = $pixels.ToArray()
    [Linq.Enumerable]::Count([Linq.Enumerable]::Distinct($all))
}

Export-ModuleMember -Function Get-ChromiumSkipReason, Get-RenderedDom, Save-Screenshot, Get-PngDistinctByteCount
