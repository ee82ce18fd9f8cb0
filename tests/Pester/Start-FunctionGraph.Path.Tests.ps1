# Start-FunctionGraph and Start-FunctionTrace -Path on this machine: saved traces recorded on Debian's 6.1 kernel
# in the qemu lane (trace.dat files from trace-cmd record, and trace-cmd report of the same files; see
# tests/fixtures/6.1/INDEX.tsv) read into the records a live run gives, cut by -Function, -Exclude, -MaxDepth and
# -Flat as the kernel would have cut them. No tracer is needed, and nothing in tracefs is touched.
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    $script:fixtures = Join-Path $PSScriptRoot '../fixtures/6.1'
    $script:graphDat = Join-Path $fixtures 'tracecmd-fgraph-sched.dat'
    $script:graphText = Join-Path $fixtures 'tracecmd-report-fgraph-sched.txt'
    $script:functionDat = Join-Path $fixtures 'tracecmd-function-vfs.dat'
    $script:functionText = Join-Path $fixtures 'tracecmd-report-function-vfs.txt'
    function Get-Calls($Records) { @($Records | Where-Object { $_ -is [PSTrace.Core.Records.FunctionCall] }) }
    function Get-Hits($Records) { @($Records | Where-Object { $_ -is [PSTrace.Core.Records.FunctionHit] }) }
    $script:dir = Join-Path ([IO.Path]::GetTempPath()) "pstrace-fgraph-path-$PID"
    New-Item -ItemType Directory $dir -Force | Out-Null
}

AfterAll { Remove-Item -Recurse -Force $dir -ErrorAction Ignore }

Describe 'Start-FunctionGraph -Path' {
    It 'reads a trace-cmd trace.dat into the trees trace-cmd report of it gives, leaving the sched events out' {
        $dat = Get-Calls (Start-FunctionGraph -Path $graphDat -Verbose 4>&1 -OutVariable all)
        $text = Get-Calls (Start-FunctionGraph -Path $graphText)
        $dat.Count | Should -Be 37
        $dat.Count | Should -Be $text.Count
        ($dat | ForEach-Object { "$($_.Function) $($_.ProcessId) $($_.DurationNanoseconds) $(@($_.GetDescendantsAndSelf()).Count)" }) |
            Should -Be ($text | ForEach-Object { "$($_.Function) $($_.ProcessId) $($_.DurationNanoseconds) $(@($_.GetDescendantsAndSelf()).Count)" })
        $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n"
        $verbose | Should -Match 'left out 877 record\(s\) that are not the function_graph tracer''s: 566 sched:sched_switch, 311 sched:sched_wakeup'
    }

    It 'makes each outermost call of -Function a tree of its own, -MaxDepth levels deep, one object per call with -Flat' {
        $roots = Get-Calls (Start-FunctionGraph -Path $graphDat -Function rw_verify_* -MaxDepth 2)
        $roots.Count | Should -BeGreaterThan 3
        $roots.Function | Sort-Object -Unique | Should -Be 'rw_verify_area'
        $roots.Depth | Sort-Object -Unique | Should -Be 0
        @($roots | ForEach-Object { $_.GetDescendantsAndSelf() } | Where-Object Depth -gt 1) | Should -BeNullOrEmpty
        $flat = Get-Calls (Start-FunctionGraph -Path $graphDat -Function rw_verify_* -MaxDepth 2 -Flat)
        $flat.Count | Should -Be @($roots | ForEach-Object { $_.GetDescendantsAndSelf() }).Count
    }

    It 'leaves an -Exclude function out with what it calls' {
        $all = Get-Calls (Start-FunctionGraph -Path $graphDat -Flat)
        $kept = Get-Calls (Start-FunctionGraph -Path $graphDat -Flat -Exclude rw_verify_area)
        $cut = @($all | Where-Object Function -eq rw_verify_area | ForEach-Object { $_.GetDescendantsAndSelf() }).Count
        $cut | Should -BeGreaterThan 0
        $kept.Count | Should -Be ($all.Count - $cut)
        $kept.Function | Should -Not -Contain 'rw_verify_area'
    }

    It 'reads wildcards, several files, and warns about a file of the other tracer' {
        $r = Start-FunctionGraph -Path (Join-Path $fixtures 'tracecmd-f*-vfs*.dat') -WarningVariable w 3>$null
        # tracecmd-fgraph-vfs_read.dat and tracecmd-function-vfs.dat
        (Get-Calls $r).Count | Should -Be (Get-Calls (Start-FunctionGraph -Path (Join-Path $fixtures 'tracecmd-fgraph-vfs_read.dat') 3>$null)).Count
        "$w" | Should -Match 'tracecmd-function-vfs.dat holds no function_graph calls'
    }
}

Describe 'Start-FunctionTrace -Path' {
    It 'reads a trace-cmd trace.dat into the hits trace-cmd report of it gives, callers named from its kallsyms' {
        $dat = Get-Hits (Start-FunctionTrace -Path $functionDat)
        $text = Get-Hits (Start-FunctionTrace -Path $functionText)
        $dat.Count | Should -Be 14
        ($dat | ForEach-Object { "$($_.Function) $($_.ProcessId) $($_.Command) $($_.Cpu)" }) | Should -Be ($text | ForEach-Object { "$($_.Function) $($_.ProcessId) $($_.Command) $($_.Cpu)" })
        $dat[0].Parent | Should -Be 'do_syscall_64'
        ($dat | Where-Object Function -eq vfs_read)[0].Parent | Should -Be 'ksys_read'
    }

    It 'keeps hits by -Function and -Exclude' {
        $hits = Get-Hits (Start-FunctionTrace -Path $functionDat -Function vfs_* -Exclude vfs_write)
        $hits.Count | Should -Be @(Select-String -Path $functionText -Pattern 'function:\s+vfs_read$').Count
        $hits.Function | Sort-Object -Unique | Should -Be 'vfs_read'
    }
}

Describe 'Bad input for -Path' {
    It 'gives nothing for an empty file, an error for a damaged trace.dat, a directory and a missing file, and never hangs' {
        New-Item -ItemType File "$dir/empty.dat" -Force | Out-Null
        $bytes = [IO.File]::ReadAllBytes($graphDat)
        [IO.File]::WriteAllBytes("$dir/cut.dat", $bytes[0..([int]($bytes.Length / 2))])
        foreach ($command in 'Start-FunctionGraph', 'Start-FunctionTrace') {
            $r = Invoke-WithTimeout "$command -Path '$dir/empty.dat' 3>`$null"
            $r.Output | Should -BeNullOrEmpty
            $r.Errors | Should -BeNullOrEmpty
            $r = Invoke-WithTimeout "$command -Path '$dir/cut.dat', '$dir', '$dir/missing.dat' 3>`$null"
            @($r.Errors.FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] }) | Sort-Object | Should -Be @('TraceDataCorrupt', 'TraceFileIsDirectory', 'TraceFileNotFound')
        }
    }

    It 'refuses a function name that is a filter command' {
        { Start-FunctionGraph -Path $graphDat -Function 'vfs_read:traceoff' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidFunctionName*'
    }

    It 'does not take the live-only parameters with -Path' {
        { Start-FunctionGraph -Path $graphDat -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'AmbiguousParameterSet*'
        { Start-FunctionTrace -Path $functionDat -ProcessId $PID -ErrorAction Stop } | Should -Throw -ErrorId 'AmbiguousParameterSet*'
    }
}
