# Export-FlameGraph: stacks from the pipeline to an SVG flame graph or folded stacks, as Export-Csv writes records.
# The inputs are real: function_graph traces recorded on Debian's 6.1 kernel in the qemu lane, stack trace text from
# this machine's 6.18 kernel (tests/fixtures), and a live stacktrace trigger where the kernel can be traced. Every SVG
# the tests make is then opened in Debian's chromium, headless: the frames are in the DOM after its script ran, the
# root has the one child the input says, search and zoom work, and the screenshot is not blank.
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-Module "$PSScriptRoot/Chromium.psm1" -Force
    Import-PSTraceUnderTest
    $script:fixtures = Join-Path $PSScriptRoot '../fixtures'
    # vfs_read calls of `cat` on 6.1 (function_graph text, tests/fixtures/6.1/INDEX.tsv): 8 trees.
    $script:graph = Join-Path $fixtures '6.1/fgraph-vfs_read-default.txt'
    $script:dir = Join-Path ([IO.Path]::GetTempPath()) "pstrace-flame-$PID"
    New-Item -ItemType Directory $dir -Force | Out-Null
    # Every SVG made here, with the frame names its input holds and the root's one child where there is one.
    $script:made = [Collections.Generic.List[object]]::new()
    function Get-Calls([string] $Path) { @(Start-FunctionGraph -Path $Path | Where-Object { $_ -is [PSTrace.Core.Records.FunctionCall] }) }
    function Get-FoldedTotal([string] $Path) { (Get-Content $Path | ForEach-Object { [long]($_ -split ' ')[-1] } | Measure-Object -Sum).Sum }
    function Get-SvgFrame([string] $Path) {
        $svg = [xml](Get-Content -Raw $Path)
        @($svg.GetElementsByTagName('g') | Where-Object { $_.GetAttribute('class') -match '\bf\b' } | ForEach-Object {
                $title = $_.GetElementsByTagName('title')[0].InnerText
                [pscustomobject]@{
                    Name = $title.Substring(0, $title.LastIndexOf(' ('))
                    Title = $title
                    Depth = [int]$_.GetAttribute('data-d')
                    Width = [double]$_.GetElementsByTagName('rect')[0].GetAttribute('width')
                    Class = $_.GetAttribute('class')
                } })
    }
}

AfterAll { Remove-Item -Recurse -Force $dir -ErrorAction Ignore }

Describe 'Export-FlameGraph from FunctionCall trees' {
    It 'draws a saved function_graph trace with each frame as wide as the call''s inclusive time' {
        $calls = Get-Calls $graph
        $calls.Count | Should -Be 8
        $calls.Function | Sort-Object -Unique | Should -Be 'vfs_read'
        $svg = Join-Path $dir 'vfs_read.svg'
        $file = $calls | Export-FlameGraph -Path $svg -Title 'vfs_read on 6.1' -PassThru
        $file | Should -BeOfType [IO.FileInfo]
        $file.FullName | Should -Be $svg

        $frames = Get-SvgFrame $svg
        $root = $frames | Where-Object Depth -eq 0
        $root.Name | Should -Be 'all'
        $total = ($calls.DurationNanoseconds | Measure-Object -Sum).Sum
        $root.Title | Should -Be ('all ({0:#,0.000} us, 100.00%)' -f ($total / 1000))
        $child = @($frames | Where-Object Depth -eq 1)
        $child.Count | Should -Be 1
        $child.Name | Should -Be 'vfs_read'
        $child.Width | Should -Be $root.Width
        (Get-Content -Raw $svg) | Should -Match '<text id="title"[^>]*>vfs_read on 6.1</text>'
        $names = $calls | ForEach-Object { $_.GetDescendantsAndSelf() } | Where-Object { $_.DurationNanoseconds * 1180 / $total -ge 0.2 } |
            ForEach-Object Function | Sort-Object -Unique
        $script:made.Add([pscustomobject]@{ Path = $svg; Frames = $names; OnlyChild = 'vfs_read'; Search = 'rcu'; Zoom = 'vfs_read' })
    }

    It 'writes folded stacks that add up to the trees'' durations (by extension and by -Format)' {
        $calls = Get-Calls $graph
        $total = ($calls.DurationNanoseconds | Measure-Object -Sum).Sum
        $folded = Join-Path $dir 'vfs_read.folded'
        $calls | Export-FlameGraph $folded
        Get-FoldedTotal $folded | Should -Be $total
        (Get-Content $folded)[0] | Should -Match '^vfs_read(;[^; ]+)* \d+$'

        $asText = Join-Path $dir 'vfs_read.data'
        $calls | Export-FlameGraph $asText -Format Folded
        Get-Content -Raw $asText | Should -Be (Get-Content -Raw $folded)
        $txt = Join-Path $dir 'vfs_read.txt'
        $calls | Export-FlameGraph $txt
        Get-Content -Raw $txt | Should -Be (Get-Content -Raw $folded)
    }

    It 'reads folded lines back, as flamegraph.pl would, into the same picture' {
        $calls = Get-Calls $graph
        $folded = Join-Path $dir 'again.folded'
        $calls | Export-FlameGraph $folded
        $fromLines = Join-Path $dir 'from-lines.svg'
        Get-Content $folded | Export-FlameGraph $fromLines
        $fromBatches = Join-Path $dir 'from-batches.svg'
        Get-Content $folded -ReadCount 100 | Export-FlameGraph $fromBatches
        $a = Get-SvgFrame $fromLines | ForEach-Object { "$($_.Name) $($_.Depth) $($_.Width)" }
        $b = Get-SvgFrame $fromBatches | ForEach-Object { "$($_.Name) $($_.Depth) $($_.Width)" }
        $a | Should -Be $b
        $a.Count | Should -BeGreaterThan 10
    }
}

Describe 'Export-FlameGraph from stack events and profile records' {
    It 'counts each kernel stack of a stacktrace trace as one sample, with ONE warning for the other events' {
        $events = @(Get-TraceEvent -Path (Join-Path $fixtures '6.18/trace-stacktrace.txt'))
        $stacks = @($events | Where-Object Name -eq 'kernel_stack')
        $stacks.Count | Should -BeGreaterThan 3
        $svg = Join-Path $dir 'stacks.svg'
        $events | Export-FlameGraph $svg -WarningVariable warned 3>$null
        $warned.Count | Should -Be 1
        "$warned" | Should -Match "^$($events.Count - $stacks.Count) of $($events.Count) input object\(s\) had no stack or no time"
        $frames = Get-SvgFrame $svg
        ($frames | Where-Object Depth -eq 0).Title | Should -Be "all ($($stacks.Count) samples, 100.00%)"
        # System calls, and a kernel thread's first return to user space after a fork.
        @($frames | Where-Object Depth -eq 1).Name | Should -Be @('entry_SYSCALL_64_after_hwframe', 'ret_from_fork_asm')
        $script:made.Add([pscustomobject]@{
                Path = $svg; Frames = @($stacks | ForEach-Object { $_.Fields['stack'] } | Sort-Object -Unique)
                OnlyChild = $null; Search = 'execve'; Zoom = 'do_syscall_64' })
    }

    It 'takes any record with a Stack (innermost first) and a Count or a Weight' {
        $records = @(
            [pscustomobject]@{ Stack = 'hot', 'caller', 'main', '_start'; Count = 90 }
            [pscustomobject]@{ Stack = 'cold', 'caller', 'main', '_start'; Count = 10 }
            [pscustomobject]@{ Stack = 'idle', 'main', '_start'; Weight = 20; Count = 5 }
            [pscustomobject]@{ Stack = @(); Count = 3 }
            [pscustomobject]@{ Stack = 'x'; Count = 0 }
            [pscustomobject]@{ Name = 'no stack at all'; Count = 3 }
        )
        $folded = Join-Path $dir 'profile.folded'
        $records | Export-FlameGraph $folded -WarningVariable warned 3>$null
        Get-Content $folded | Should -Be @('_start;main;caller;cold 10', '_start;main;caller;hot 90', '_start;main;idle 20')
        "$warned" | Should -Match '^3 of 6 input object'
        $svg = Join-Path $dir 'profile.svg'
        $records | Export-FlameGraph $svg -Width 800 3>$null
        $frames = Get-SvgFrame $svg
        ($frames | Where-Object Name -eq 'hot').Title | Should -Be 'hot (90 samples, 75.00%)'
        ($frames | Where-Object Name -eq 'hot').Width | Should -Be (780 * 90 / 120)
        @($frames | Where-Object Depth -eq 4).Name | Should -Be @('cold', 'hot')
        $script:made.Add([pscustomobject]@{ Path = $svg; Frames = @('hot', 'cold', 'idle', 'caller', 'main', '_start'); OnlyChild = '_start'; Search = '^(hot|cold)$'; Zoom = 'caller' })
    }

    It 'takes a Weight given as a TimeSpan as time' {
        $folded = Join-Path $dir 'offcpu.folded'
        [pscustomobject]@{ Stack = 'schedule', 'do_nanosleep', 'clock_nanosleep'; Weight = [timespan]::FromMilliseconds(1.5) } |
            Export-FlameGraph $folded
        Get-Content $folded | Should -Be 'clock_nanosleep;do_nanosleep;schedule 1500000'
    }
}

Describe 'Export-FlameGraph on bad input' {
    It 'writes no file for an empty pipeline, and says why' {
        $svg = Join-Path $dir 'empty.svg'
        @() | Export-FlameGraph $svg -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'NoStacks,*'
        "$($failed[0])" | Should -Match 'the pipeline gave no input\. No file was written'
        Test-Path $svg | Should -BeFalse
    }

    It 'writes no file when nothing piped in carries a stack' {
        $svg = Join-Path $dir 'nothing.svg'
        Get-Process -Id $PID | Export-FlameGraph $svg -ErrorVariable failed -ErrorAction SilentlyContinue 3>$null
        "$($failed[0])" | Should -Match 'none of the 1 input object\(s\) carried a stack'
        Test-Path $svg | Should -BeFalse
    }

    It 'refuses a path in a folder that does not exist before reading any input' {
        $missing = Join-Path $dir 'no-such-folder/graph.svg'
        $script:read = 0
        { 1..3 | ForEach-Object { $script:read++; $_ } | Export-FlameGraph $missing } |
            Should -Throw -ErrorId 'OutputFolderNotFound,PSTrace.Commands.ExportFlameGraphCommand' -ExpectedMessage "*The folder '$dir/no-such-folder' does not exist*"
        Test-Path (Split-Path $missing) | Should -BeFalse
        $script:read | Should -Be 0
    }

    It 'refuses a folder given as the file, and a path that is not on the file system' {
        $record = [pscustomobject]@{ Stack = 'a'; Count = 1 }
        { $record | Export-FlameGraph $dir } | Should -Throw -ErrorId 'OutputPathIsFolder,PSTrace.Commands.ExportFlameGraphCommand'
        { $record | Export-FlameGraph 'variable:flame' } | Should -Throw -ErrorId 'OutputPathNotFileSystem,PSTrace.Commands.ExportFlameGraphCommand'
        Test-Path variable:flame | Should -BeFalse
    }

    It 'leaves an existing file alone under -NoClobber and -WhatIf, and replaces a read-only one only with -Force' {
        $path = Join-Path $dir 'kept.folded'
        Set-Content $path 'old'
        $record = [pscustomobject]@{ Stack = 'a', 'b'; Count = 1 }
        { $record | Export-FlameGraph $path -NoClobber } | Should -Throw -ErrorId 'OutputFileExists,PSTrace.Commands.ExportFlameGraphCommand'
        $record | Export-FlameGraph $path -WhatIf
        Get-Content $path | Should -Be 'old'

        [IO.File]::SetUnixFileMode($path, [IO.UnixFileMode]'UserRead, GroupRead, OtherRead')
        { $record | Export-FlameGraph $path } | Should -Throw -ErrorId 'OutputFileReadOnly,PSTrace.Commands.ExportFlameGraphCommand'
        Get-Content $path | Should -Be 'old'
        $record | Export-FlameGraph $path -Force
        Get-Content $path | Should -Be 'b;a 1'
        [IO.File]::GetUnixFileMode($path) | Should -Be ([IO.UnixFileMode]'UserRead, GroupRead, OtherRead')
        @(Get-ChildItem -Force $dir -Filter '.kept.folded*') | Should -BeNullOrEmpty
    }

    It 'refuses to mix times and sample counts in one graph' {
        $path = Join-Path $dir 'mixed.svg'
        $mixed = @((Get-Calls $graph)[0]; [pscustomobject]@{ Stack = 'a'; Count = 1 })
        { $mixed | Export-FlameGraph $path } | Should -Throw -ErrorId 'MixedUnits,PSTrace.Commands.ExportFlameGraphCommand'
        Test-Path $path | Should -BeFalse
    }
}

Describe 'Export-FlameGraph from a live stacktrace trigger' {
    It 'draws the same kernel stacks from the trace text and from the binary pages' {
        if (Skip-UnlessLive) { return }
        $name = "pstrace-test-flame-$PID"
        New-TraceInstance $name | Out-Null
        try {
            Enable-TraceEvent sched:sched_process_exec -Instance $name -Trigger stacktrace | Out-Null
            foreach ($i in 1..3) { /bin/true }
            # Stopped, so both reads see the same buffer: other programs exec on this machine too.
            Set-Content "/sys/kernel/tracing/instances/$name/tracing_on" 0
            # A snapshot reads the instance's trace text; -Follow then reads (and takes) its binary pages.
            $text = @(Get-TraceEvent -Instance $name)
            $binary = @(Get-TraceEvent -Instance $name -Follow -Duration 2)
        }
        finally { Remove-TraceInstance $name -Confirm:$false }
        @($text | Where-Object Name -eq 'kernel_stack').Count | Should -BeGreaterOrEqual 3
        @($binary | Where-Object Name -eq 'kernel_stack').Count | Should -Be @($text | Where-Object Name -eq 'kernel_stack').Count
        $fromText = Join-Path $dir 'live-text.folded'
        $fromBinary = Join-Path $dir 'live-binary.folded'
        $text | Export-FlameGraph $fromText 3>$null
        $binary | Export-FlameGraph $fromBinary 3>$null
        Get-Content $fromBinary | Should -Be (Get-Content $fromText)
        Get-Content $fromText | Should -Match '^entry_SYSCALL_64_after_hwframe;do_syscall_64;.*;bprm_execve;'

        $svg = Join-Path $dir 'live-stacks.svg'
        $binary | Export-FlameGraph $svg 3>$null
        (Get-SvgFrame $svg).Name | Should -Contain 'bprm_execve'
        $script:made.Add([pscustomobject]@{ Path = $svg; Frames = @('bprm_execve', 'do_syscall_64'); OnlyChild = 'entry_SYSCALL_64_after_hwframe'; Search = 'exec'; Zoom = 'bprm_execve' })
    }
}

Describe 'The SVGs in a real browser (Debian''s chromium, headless)' {
    BeforeAll {
        $script:browserProfile = Join-Path $dir 'chromium-profile'
    }

    It 'renders every SVG the tests made: frames in the DOM, the root''s only child, a picture that is not blank' {
        $reason = Get-ChromiumSkipReason
        if ($reason) { Set-ItResult -Skipped -Because $reason; return }
        $script:made.Count | Should -BeGreaterOrEqual 3
        foreach ($graph in $script:made) {
            $dom = Get-RenderedDom $graph.Path -ProfileDirectory $browserProfile
            $groups = @($dom.GetElementsByTagName('g') | Where-Object { $_.GetAttribute('class') -match '\bf\b' })
            $names = $groups | ForEach-Object { $t = $_.GetElementsByTagName('title')[0].InnerText; $t.Substring(0, $t.LastIndexOf(' (')) }
            foreach ($frame in $graph.Frames) { $names | Should -Contain $frame -Because "$($graph.Path) names $frame" }
            if ($graph.OnlyChild) {
                $children = @($groups | Where-Object { $_.GetAttribute('data-d') -eq '1' })
                $children.Count | Should -Be 1 -Because "$($graph.Path) has one frame on the root"
                $children[0].GetElementsByTagName('title')[0].InnerText | Should -BeLike "$($graph.OnlyChild) (*"
                $widest = $groups | Where-Object { $_.GetAttribute('data-d') -ne '0' } | Sort-Object { [double]$_.GetElementsByTagName('rect')[0].GetAttribute('width') } -Descending | Select-Object -First 1
                $widest.GetAttribute('data-d') | Should -Be '1' -Because 'the widest frame above the root is its only child'
            }

            $png = Save-Screenshot $graph.Path ($graph.Path + '.png') -ProfileDirectory $browserProfile
            Get-PngDistinctByteCount $png | Should -BeGreaterThan 32 -Because "$png shows a flame graph, not a blank page"
        }
    }

    It 'runs the page''s own script: ?s= highlights what matched, ?f= zooms to a frame' {
        $reason = Get-ChromiumSkipReason
        if ($reason) { Set-ItResult -Skipped -Because $reason; return }
        foreach ($graph in $script:made) {
            $dom = Get-RenderedDom $graph.Path -Query "?s=$([Uri]::EscapeDataString($graph.Search))" -ProfileDirectory $browserProfile
            $groups = @($dom.GetElementsByTagName('g') | Where-Object { $_.GetAttribute('class') -match '\bf\b' })
            $matched = @($groups | Where-Object { $_.GetAttribute('class') -match '\bmatch\b' })
            $matched.Count | Should -BeGreaterThan 0 -Because "$($graph.Search) names frames of $($graph.Path)"
            $matched | ForEach-Object { $t = $_.GetElementsByTagName('title')[0].InnerText; $t.Substring(0, $t.LastIndexOf(' (')) | Should -Match $graph.Search }
            ($dom.GetElementsByTagName('text') | Where-Object { $_.GetAttribute('id') -eq 'matched' }).InnerText | Should -Match '^Matched: \d+\.\d\d%$'

            $index = [array]::FindIndex([object[]]$groups, [Predicate[object]] { param($g) $g.GetElementsByTagName('title')[0].InnerText -like "$($graph.Zoom) (*" })
            $dom = Get-RenderedDom $graph.Path -Query "?f=$index" -ProfileDirectory $browserProfile
            $groups = @($dom.GetElementsByTagName('g') | Where-Object { $_.GetAttribute('class') -match '\bf\b' })
            $zoomed = $groups[$index]
            $full = [double]$groups[0].GetElementsByTagName('rect')[0].GetAttribute('width')
            [double]$zoomed.GetElementsByTagName('rect')[0].GetAttribute('width') | Should -Be $full -Because "the frame zoomed to fills the width of $($graph.Path)"
            $groups[0].GetAttribute('class') | Should -Match '\bparent\b'
            ($dom.GetElementsByTagName('text') | Where-Object { $_.GetAttribute('id') -eq 'unzoom' }).GetAttribute('class') | Should -Not -Match '\bhide\b'
        }
    }
}
