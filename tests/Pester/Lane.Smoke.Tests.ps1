# The lane's smoke test: the kernel booted by tests/lane/run-lane.sh has what the
# lane exists for (kprobes, function_graph), and a test can use them and leave
# nothing behind. Plain file I/O on tracefs, no module, so it proves the lane
# before the cmdlets exist.
#
# Tagged Lane: it runs only in the lane's guest. The host's Pester run excludes
# the tag, and outside the guest (PSTRACE_LANE unset) it is skipped, because it
# changes the top-level buffer, which on a shared machine belongs to others.

BeforeDiscovery {
    $outsideLane = $env:PSTRACE_LANE -ne '1'
}

Describe 'The lane kernel' -Tag Lane -Skip:$outsideLane {
    BeforeAll {
        # tracefs is found the way a tool should find it: from /proc/mounts.
        function Get-TracefsMount {
            $mounts = Get-Content -LiteralPath /proc/mounts |
                ForEach-Object { , ($_ -split ' ') } |
                Where-Object { $_[2] -eq 'tracefs' } |
                ForEach-Object { $_[1] }
            $mounts | Select-Object -First 1
        }

        # FileMode.Open: no O_TRUNC, which on kprobe_events would delete every kprobe.
        # (.NET never passes O_TRUNC anyway: FileMode.Truncate opens, locks, then
        # calls ftruncate, which tracefs ignores. So lists are emptied with '!name'
        # and buffers by switching the tracer, never by truncating.)
        function Write-TracefsFile {
            param([string] $Path, [string] $Text)
            $bytes = [Text.Encoding]::ASCII.GetBytes("$Text`n")
            $stream = [IO.FileStream]::new($Path, [IO.FileMode]::Open, [IO.FileAccess]::Write, [IO.FileShare]::ReadWrite, 1)
            try {
                $stream.Write($bytes, 0, $bytes.Length)
                $stream.Flush()
            }
            finally {
                $stream.Dispose()
            }
        }

        function Read-TracefsFile {
            param([string] $Path)
            [IO.File]::ReadAllText($Path)
        }

        $script:tracefs = Get-TracefsMount
        $script:kprobeEvents = Join-Path $tracefs kprobe_events
        $script:instance = Join-Path $tracefs "instances/lane-smoke-$PID"
        $script:probeGroup = Join-Path $tracefs events/lane_smoke
    }

    Context 'tracefs' {
        It 'is mounted, and listed in /proc/mounts' {
            $tracefs | Should -Not -BeNullOrEmpty
            Join-Path $tracefs trace | Should -Exist
        }

        It 'runs a kernel that offers function_graph and function' {
            $tracers = (Read-TracefsFile (Join-Path $tracefs available_tracers)) -split '\s+'
            $tracers | Should -Contain function_graph
            $tracers | Should -Contain function
        }
    }

    Context 'a kprobe on do_sys_openat2' {
        AfterAll {
            # Whatever the tests above got to, nothing of theirs stays.
            $enable = Join-Path $instance events/lane_smoke/open/enable
            if (Test-Path -LiteralPath $enable) { Write-TracefsFile $enable 0 }
            if (Test-Path -LiteralPath $instance) { [IO.Directory]::Delete($instance) }
            if (Test-Path -LiteralPath $probeGroup) { Write-TracefsFile $kprobeEvents '-:lane_smoke/open' }
        }

        It 'has kprobe_events' {
            $kprobeEvents | Should -Exist
        }

        It 'is created and listed in kprobe_events' {
            Write-TracefsFile $kprobeEvents 'p:lane_smoke/open do_sys_openat2 dfd=%di'

            Read-TracefsFile $kprobeEvents | Should -Match '(?m)^p:lane_smoke/open do_sys_openat2 dfd=%di$'
            Join-Path $probeGroup open/format | Should -Exist
        }

        It 'hits in a fresh instance when cat opens a file' {
            [IO.Directory]::CreateDirectory($instance) | Out-Null
            Write-TracefsFile (Join-Path $instance events/lane_smoke/open/enable) 1

            & cat /etc/hostname | Out-Null

            Write-TracefsFile (Join-Path $instance tracing_on) 0
            # cat opens relative to the working directory: dfd is AT_FDCWD, -100.
            Read-TracefsFile (Join-Path $instance trace) |
                Should -Match '(?m)^\s*cat-\d+\s+\[\d+\] \S+\s+[\d.]+: open: \(do_sys_openat2\+0x0/0x[0-9a-f]+\) dfd=0xffffff9c$'
        }

        It 'counts its hits in kprobe_profile' {
            $line = (Read-TracefsFile (Join-Path $tracefs kprobe_profile)) -split "`n" |
                Where-Object { $_ -match '^\s*open\s+\d+\s+\d+\s*$' }
            $line | Should -HaveCount 1
            [long](($line.Trim() -split '\s+')[1]) | Should -BeGreaterThan 0
        }

        It 'is removed after its instance is' {
            Write-TracefsFile (Join-Path $instance events/lane_smoke/open/enable) 0
            [IO.Directory]::Delete($instance)
            Write-TracefsFile $kprobeEvents '-:lane_smoke/open'

            $instance | Should -Not -Exist
            $probeGroup | Should -Not -Exist
            Read-TracefsFile $kprobeEvents | Should -Not -Match 'lane_smoke'
        }
    }

    Context 'function_graph on vfs_read' {
        BeforeAll {
            # Saved before and put back after, as a good tracing tool does.
            $script:saved = @{}
            foreach ($file in 'current_tracer', 'set_graph_function', 'options/funcgraph-proc', 'tracing_on') {
                $saved[$file] = (Read-TracefsFile (Join-Path $tracefs $file)).TrimEnd("`n")
            }
            $script:graphInstance = Join-Path $tracefs "instances/lane-smoke-graph-$PID"
            [IO.Directory]::CreateDirectory($graphInstance) | Out-Null
            $instanceTracers = (Read-TracefsFile (Join-Path $graphInstance available_tracers)) -split '\s+'
            $script:instanceHasGraph = $instanceTracers -contains 'function_graph'
            # Where an instance cannot run it (6.1: only function and nop there), the
            # top level is used: in the lane's guest it belongs to this run.
            $script:graphRoot = if ($instanceHasGraph) { $graphInstance } else { $tracefs }
            Write-Host "function_graph in an instance: $instanceHasGraph; tracing in $graphRoot"
        }

        AfterAll {
            Write-TracefsFile (Join-Path $graphRoot tracing_on) 0
            Write-TracefsFile (Join-Path $graphRoot current_tracer) nop
            if ((Read-TracefsFile (Join-Path $graphRoot set_graph_function)) -match '(?m)^vfs_read$') {
                Write-TracefsFile (Join-Path $graphRoot set_graph_function) '!vfs_read'
            }
            if (Test-Path -LiteralPath $graphInstance) { [IO.Directory]::Delete($graphInstance) }
            Write-TracefsFile (Join-Path $tracefs current_tracer) $saved['current_tracer']
            Write-TracefsFile (Join-Path $tracefs options/funcgraph-proc) $saved['options/funcgraph-proc']
            Write-TracefsFile (Join-Path $tracefs tracing_on) $saved['tracing_on']
        }

        It 'is accepted by an instance exactly when its available_tracers lists it' {
            $accepted = $true
            try { Write-TracefsFile (Join-Path $graphInstance current_tracer) function_graph }
            catch [IO.IOException] { $accepted = $false }
            finally { Write-TracefsFile (Join-Path $graphInstance current_tracer) nop }

            $accepted | Should -Be $instanceHasGraph
        }

        It 'takes vfs_read as its only graph function' {
            Write-TracefsFile (Join-Path $graphRoot set_graph_function) vfs_read

            (Read-TracefsFile (Join-Path $graphRoot set_graph_function)).Trim() | Should -Be vfs_read
        }

        It 'writes the call graph of vfs_read while cat /etc/hostname runs' {
            Write-TracefsFile (Join-Path $graphRoot options/funcgraph-proc) 1
            Write-TracefsFile (Join-Path $graphRoot tracing_on) 0
            # Switching the tracer empties the buffer: no old lines, none of another test's.
            Write-TracefsFile (Join-Path $graphRoot current_tracer) function_graph
            Write-TracefsFile (Join-Path $graphRoot tracing_on) 1

            & cat /etc/hostname | Out-Null

            Write-TracefsFile (Join-Path $graphRoot tracing_on) 0
            # read before the tracer goes back to nop, which empties the buffer
            $trace = Read-TracefsFile (Join-Path $graphRoot trace)
            Write-TracefsFile (Join-Path $graphRoot current_tracer) nop
            # funcgraph-proc adds the comm-pid column: " 0)    cat-123    |   |  vfs_read() {"
            $trace | Should -Match '(?m)^\s*\d+\)\s+cat-\d+\s+\|.*\|\s+vfs_read\(\) \{$'
            $trace | Should -Match '(?m)^\s*\d+\)\s+cat-\d+\s+\|.*\|\s+\}'
        }
    }

    Context 'afterwards' {
        It 'leaves no probe, instance or tracer of its own behind' {
            Read-TracefsFile $kprobeEvents | Should -Not -Match 'lane_smoke'
            $probeGroup | Should -Not -Exist
            Get-ChildItem -LiteralPath (Join-Path $tracefs instances) -Name |
                Where-Object { $_ -like 'lane-smoke-*' } | Should -BeNullOrEmpty
            (Read-TracefsFile (Join-Path $tracefs current_tracer)).Trim() | Should -Be $saved['current_tracer']
            (Read-TracefsFile (Join-Path $tracefs set_graph_function)).TrimEnd("`n") | Should -Be $saved['set_graph_function']
            (Read-TracefsFile (Join-Path $tracefs options/funcgraph-proc)).Trim() | Should -Be $saved['options/funcgraph-proc']
            (Read-TracefsFile (Join-Path $tracefs tracing_on)).Trim() | Should -Be $saved['tracing_on']
        }
    }
}
