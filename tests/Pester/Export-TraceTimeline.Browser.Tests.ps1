# Timelines open in a real viewer: speedscope 1.25.0 (its npm package's offline build) in headless chromium imports
# the files Export-TraceTimeline writes from real traces. speedscope sets the page title to the file's name only
# once the import succeeded, and names each thread's profile from the file's metadata; a file it cannot import
# leaves the title as it was (checked too, so the test can fail).
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    $script:fixtures = Join-Path $PSScriptRoot '../fixtures'
    $script:missing = @('chromium', 'npm', 'tar' | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction Ignore) })
    if ($missing -and $env:CI -eq 'true') { throw "CI=true but $($missing -join ', ') missing: build.ps1 Test installs them as root." }
    $script:dir = Join-Path ([IO.Path]::GetTempPath()) "pstrace-viewer-$PID"
    New-Item -ItemType Directory $dir -Force | Out-Null

    # speedscope's static build, fetched once with npm into a cache kept between runs.
    function Get-Speedscope {
        $cache = Join-Path $HOME '.cache/pstrace/speedscope-1.25.0'
        $index = Join-Path $cache 'package/dist/release/index.html'
        if (-not (Test-Path $index)) {
            New-Item -ItemType Directory $cache -Force | Out-Null
            npm pack speedscope@1.25.0 --pack-destination $cache --silent 2>&1 | Out-Null
            tar -xzf (Join-Path $cache 'speedscope-1.25.0.tgz') -C $cache
        }
        if (-not (Test-Path $index)) { throw "npm pack speedscope@1.25.0 gave no $index" }
        $index
    }

    # The page speedscope shows after loading the file, as headless chromium renders it: the DOM text. The file goes
    # in as speedscope's own command line hands it over (a script calling loadFileFromBase64), so no server is needed.
    # A file speedscope cannot import makes it alert(), which headless chromium never answers: the wait is bounded.
    function Get-ViewerPage([string] $File, [int] $TimeoutSeconds = 60) {
        $name = Split-Path $File -Leaf
        $script = Join-Path $dir "$name.js"
        $base64 = [Convert]::ToBase64String([IO.File]::ReadAllBytes($File))
        Set-Content $script "speedscope.loadFileFromBase64($(ConvertTo-Json $name), `"$base64`")"
        $url = "file://$(Get-Speedscope)#localProfilePath=$script"
        (timeout $TimeoutSeconds chromium --headless --no-sandbox --use-angle=swiftshader --enable-unsafe-swiftshader --virtual-time-budget=15000 --dump-dom $url 2>$null) -join "`n"
    }
}

AfterAll {
    Remove-Item -Recurse -Force $dir -ErrorAction Ignore
}

Describe 'Export-TraceTimeline files in speedscope' {
    BeforeEach {
        if ($missing) { Set-ItResult -Skipped -Because "$($missing -join ', ') not installed (build.ps1 Test installs them)" }
    }

    It 'imports the CPU tracks of a saved sched_switch trace' {
        if ($missing) { return }
        Get-TraceEvent -Path "$fixtures/6.18/tracedat-v7-none.dat" | Export-TraceTimeline "$dir/sched.json"
        $page = Get-ViewerPage "$dir/sched.json"
        $page | Should -Match '<title>sched\.json - speedscope</title>'
        $page | Should -Match 'CPUs \(pid 4194304\), CPU \d \(tid 419430\d\)'
    }

    It 'imports the call trees of a 6.1 function_graph trace.dat' {
        if ($missing) { return }
        $roots = @(Start-FunctionGraph -Path "$fixtures/6.1/tracecmd-fgraph-sched.dat" | Where-Object { $_ -is [PSTrace.Core.Records.FunctionCall] })
        $roots | Export-TraceTimeline "$dir/graph.json"
        $page = Get-ViewerPage "$dir/graph.json"
        $page | Should -Match '<title>graph\.json - speedscope</title>'
        $page | Should -Match "\(pid \d+\), $([regex]::Escape($roots[0].Command)) \(tid $($roots[0].ProcessId)\)|$([regex]::Escape($roots[0].Command)) \(pid \d+, tid $($roots[0].ProcessId)\)"
    }

    It 'imports Watch-Syscall records of the 6.1 lane' {
        if ($missing) { return }
        Watch-Syscall -Path "$fixtures/6.1/watch/syscall-tracecmd.dat" | Export-TraceTimeline "$dir/syscalls.json"
        Get-ViewerPage "$dir/syscalls.json" | Should -Match '<title>syscalls\.json - speedscope</title>'
    }

    It 'does not show a file it cannot import as imported' {
        if ($missing) { return }
        Set-Content "$dir/other.json" '{"nothing": 1}'
        Get-ViewerPage "$dir/other.json" -TimeoutSeconds 20 | Should -Not -Match 'other\.json - speedscope'
    }
}
