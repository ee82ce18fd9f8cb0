#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Times Export-FlameGraph beside flamegraph.pl on the same folded input of 1,000,000 samples, and checks
    that both draw the same frames with the same widths.
.DESCRIPTION
    Needs the module built (./build.ps1 Build) and Brendan Gregg's flamegraph.pl: -FlameGraphPl, else the one
    on PATH, else Debian's package flamegraph where the release has one (installed through
    build/Install-Prerequisites.ps1, as root). Debian 12 has none: give -FlameGraphPl a copy of flamegraph.pl.

    1. Folds the real function_graph traces of tests/fixtures/6.1 (Start-FunctionGraph -Path, then
       Export-FlameGraph -Format Folded) to get real kernel stacks, then draws -Samples lines of one
       sample each from them (every stack equally likely, seeded, in random order): the shape of a
       profile that was never merged, the most work for both tools, with every stack wide enough to draw.
    2. Times, best of -Repeat: `flamegraph.pl INPUT > pl.svg`, and
       `Get-Content INPUT -ReadCount 10000 | Export-FlameGraph ps.svg` (whole lines handed on in batches,
       so the pipeline does not cost an object per line), and the engine alone (the lines folded and the
       SVG written from .NET, no pipeline).
    3. Reads both SVGs and compares every frame: name, samples, and where it starts and ends (flamegraph.pl
       rounds both ends to a tenth of a pixel and writes their difference as the width; PSTrace writes six
       decimals, so each end must agree to within 0.05 pixel).
.EXAMPLE
    dotnet pwsh ./build.ps1 Build; dotnet pwsh bench/flamegraph-vs-flamegraph-pl.ps1
#>
[CmdletBinding()]
param(
    [string] $ModulePath,
    [string] $FlameGraphPl,
    [string] $WorkDirectory = (Join-Path ([IO.Path]::GetTempPath()) 'pstrace-flame-bench'),
    [int] $Samples = 1000000,
    [int] $Repeat = 3
)

$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
# The build lays the module out under out/PSTrace/<version>/; the newest build is the one to measure.
$ModulePath = if ($ModulePath) { $ModulePath } else { Get-ChildItem (Join-Path $root 'out/PSTrace') -Filter PSTrace.psd1 -Recurse -ErrorAction Ignore |
        Sort-Object LastWriteTime | Select-Object -Last 1 -ExpandProperty FullName }
if (-not $ModulePath -or -not (Test-Path $ModulePath)) { throw 'No built module: run ./build.ps1 Build first, or give -ModulePath.' }
Import-Module $ModulePath -Force
if (-not $FlameGraphPl -and -not (Get-Command flamegraph.pl -CommandType Application -ErrorAction Ignore) -and
    "$(apt-cache policy flamegraph 2>$null)" -match 'Candidate: (?!\(none\))') {
    & (Join-Path $root 'build/Install-Prerequisites.ps1') -Tool flamegraph.pl -Package @{ 'flamegraph.pl' = 'flamegraph' } | Out-Null
}
$perl = if ($FlameGraphPl) { (Resolve-Path $FlameGraphPl).Path } else { (Get-Command flamegraph.pl -CommandType Application -ErrorAction Ignore).Source }
if (-not $perl) { throw 'No flamegraph.pl: this Debian release has no package flamegraph. Give -FlameGraphPl the path of a copy of flamegraph.pl.' }
New-Item -ItemType Directory -Force -Path $WorkDirectory | Out-Null
$inv = [Globalization.CultureInfo]::InvariantCulture

function Get-Best([scriptblock] $Action) {
    $best = [double]::MaxValue
    for ($i = 0; $i -lt $Repeat; $i++) {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        & $Action
        $best = [Math]::Min($best, $sw.Elapsed.TotalSeconds)
    }
    $best
}

# 1. Real stacks, then the samples drawn from them.
$samplesFile = Join-Path $WorkDirectory 'samples.folded'
$real = Join-Path $WorkDirectory 'real.folded'
Get-ChildItem (Join-Path $root 'tests/fixtures/6.1') -Filter 'fgraph-*.txt' | Where-Object Name -notmatch 'noduration|nocontext|env-info' |
    ForEach-Object { Start-FunctionGraph -Path $_.FullName } | Export-FlameGraph $real -Format Folded 3>$null
$stacks = @([IO.File]::ReadLines($real) | ForEach-Object { $_.Substring(0, $_.LastIndexOf(' ')) })
$random = [Random]::new(20261205)
$writer = [IO.StreamWriter]::new($samplesFile)
try {
    for ($i = 0; $i -lt $Samples; $i++) {
        $writer.Write($stacks[$random.Next($stacks.Count)]); $writer.Write(" 1`n")
    }
}
finally { $writer.Dispose() }
Write-Host "Input: $Samples samples over $($stacks.Count) distinct stacks of real kernel frames ($([Math]::Round((Get-Item $samplesFile).Length / 1MB, 1)) MB)."

# 2. Timings.
$plSvg = Join-Path $WorkDirectory 'flamegraph-pl.svg'
$psSvg = Join-Path $WorkDirectory 'export-flamegraph.svg'
$engineSvg = Join-Path $WorkDirectory 'engine.svg'
# Through sh, so its output goes straight to the file as it would from a shell (pwsh would carry it line by line).
$pl = Get-Best { sh -c 'perl "$0" "$1" > "$2"' $perl $samplesFile $plSvg; if ($LASTEXITCODE -ne 0) { throw "flamegraph.pl failed ($LASTEXITCODE)" } }
$cmdlet = Get-Best { Get-Content $samplesFile -ReadCount 10000 | Export-FlameGraph $psSvg }
$engine = Get-Best {
    $collector = [PSTrace.Core.Pictures.StackCollector]::new([Func[PSTrace.Core.Binary.KernelSymbols]] { [PSTrace.Core.Binary.KernelSymbols]::Empty })
    $reader = [IO.File]::OpenText($samplesFile)
    try { [void]$collector.AddFoldedLines($reader) } finally { $reader.Dispose() }
    $out = [IO.StreamWriter]::new($engineSvg)
    try { [void][PSTrace.Core.Pictures.FlameGraphSvg]::Write($out, $collector.Stacks, 'Flame Graph', 1200) } finally { $out.Dispose() }
}

# 3. The same frames, the same widths.
function Get-Frames([string] $Svg) {
    $text = [IO.File]::ReadAllText($Svg)
    $pattern = '<title>(?<title>[^<]*)</title>\s*<rect x="(?<x>[\d.]+)" y="(?<y>[\d.]+)" width="(?<w>[\d.]+)"'
    foreach ($m in [regex]::Matches($text, $pattern)) {
        $title = [Net.WebUtility]::HtmlDecode($m.Groups['title'].Value)
        $cut = $title.LastIndexOf(' (')
        [pscustomobject]@{
            Name = $title.Substring(0, $cut); Samples = ($title.Substring($cut + 2) -split ' ')[0]
            X = [double]::Parse($m.Groups['x'].Value, $inv); Y = [double]::Parse($m.Groups['y'].Value, $inv); Width = [double]::Parse($m.Groups['w'].Value, $inv)
        }
    }
}
$theirs = @(Get-Frames $plSvg | Sort-Object Y, X)
$ours = @(Get-Frames $psSvg | Sort-Object Y, X)
$worst = 0.0
$different = 0
if ($theirs.Count -ne $ours.Count) { Write-Host "Frames: flamegraph.pl drew $($theirs.Count), Export-FlameGraph $($ours.Count)." }
for ($i = 0; $i -lt [Math]::Min($theirs.Count, $ours.Count); $i++) {
    $t = $theirs[$i]; $o = $ours[$i]
    $off = [Math]::Max([Math]::Abs(($t.X + $t.Width) - ($o.X + $o.Width)), [Math]::Abs($t.X - $o.X))
    $worst = [Math]::Max($worst, $off)
    if ($t.Name -ne $o.Name -or $t.Samples -ne $o.Samples -or $off -gt 0.0501) {
        if ($different++ -lt 5) { Write-Host "Differs: $($t.Name) $($t.Samples) x=$($t.X) w=$($t.Width) | $($o.Name) $($o.Samples) x=$($o.X) w=$($o.Width)" }
    }
}

[pscustomobject]@{ Tool = 'flamegraph.pl'; Seconds = [Math]::Round($pl, 2); 'vs flamegraph.pl' = '1.00x' }
[pscustomobject]@{ Tool = 'Get-Content -ReadCount 10000 | Export-FlameGraph'; Seconds = [Math]::Round($cmdlet, 2); 'vs flamegraph.pl' = ('{0:0.00}x' -f ($pl / $cmdlet)) }
[pscustomobject]@{ Tool = 'engine (StackCollector + FlameGraphSvg)'; Seconds = [Math]::Round($engine, 2); 'vs flamegraph.pl' = ('{0:0.00}x' -f ($pl / $engine)) }
Write-Host ("Frames compared: {0} (flamegraph.pl {1}, Export-FlameGraph {2}); differing: {3}; largest difference at either end: {4:0.000} px." -f
    [Math]::Min($theirs.Count, $ours.Count), $theirs.Count, $ours.Count, $different, $worst)
