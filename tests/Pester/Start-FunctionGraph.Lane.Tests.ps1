# Start-FunctionGraph, Start-FunctionTrace and Measure-TraceLatency on a kernel that has the function
# tracers (the lane's 6.1 guest, tests/lane/run-lane.sh). On 6.1 an instance offers only `function`,
# so the graph runs in the top-level buffer, which must read exactly as before once each test is done.
#
# Tagged Lane: the host's Pester run excludes it, and outside the guest (PSTRACE_LANE unset) it is
# skipped, because it changes the top-level buffer, which on a shared machine belongs to others.

BeforeDiscovery {
    $outsideLane = $env:PSTRACE_LANE -ne '1'
}

BeforeAll {
    $module = if ($env:PSTRACE_LANE_MODULE) { $env:PSTRACE_LANE_MODULE } else { $env:PSTRACE_MODULE }
    if ($env:PSTRACE_LANE -eq '1') { Import-Module $module -Force }
    $script:T = '/sys/kernel/tracing'
    $script:file = Join-Path ([IO.Path]::GetTempPath()) "pstrace-lane-fg-$PID.txt"
    'hello from the lane' | Set-Content $file

    # Everything a function tracer may change at the top level, as text to compare.
    function Get-TopLevelState {
        $files = 'current_tracer', 'tracing_on', 'set_graph_function', 'set_graph_notrace', 'set_ftrace_filter', 'set_ftrace_notrace',
            'set_ftrace_pid', 'max_graph_depth', 'set_event', 'options/funcgraph-proc', 'options/funcgraph-abstime',
            'options/funcgraph-tail', 'options/function-fork'
        ($files | ForEach-Object { "$_=" + ((Get-Content "$T/$_" -ErrorAction Ignore) -join ',') }) -join "`n"
    }

    function Get-OwnInstance { Get-ChildItem "$T/instances" -Directory -ErrorAction Ignore | Where-Object Name -like "pstrace-$PID-*" }

    # What is wrong with a tree's nesting: every child deeper than its call, pointing back at it, and
    # taking no longer than it. Usually one level deeper; an interrupt that comes after the kernel counted
    # a call's depth but before it wrote the call's entry is recorded a level deeper still, under the
    # call that was open (seen here under emulation: irq_enter_rcu at depth 6 under a call at depth 4).
    # Plain checks collected, then one assertion (a Should per call is slow under emulation).
    function Get-NestingProblem($call) {
        foreach ($child in $call.Children) {
            if ($child.Depth -le $call.Depth) { "$($child.Function) at depth $($child.Depth) under $($call.Function) at $($call.Depth)" }
            if (-not [object]::ReferenceEquals($child.GetParent(), $call)) { "$($child.Function) does not point back at $($call.Function)" }
            if ($null -ne $child.DurationNanoseconds -and $null -ne $call.DurationNanoseconds -and $child.DurationNanoseconds -gt $call.DurationNanoseconds) {
                "$($child.Function) ($($child.DurationNanoseconds) ns) outlasts $($call.Function) ($($call.DurationNanoseconds) ns)"
            }
            Get-NestingProblem $child
        }
    }

    $script:pristine = Get-TopLevelState
}

AfterAll {
    Remove-Item $file -ErrorAction Ignore
}

Describe 'Start-FunctionGraph on a kernel with function_graph' -Tag Lane -Skip:$outsideLane {
    AfterEach {
        Get-TopLevelState | Should -Be $pristine -Because 'every change to the top-level buffer is put back'
        Get-OwnInstance | Should -BeNullOrEmpty -Because 'the session''s instance is removed'
    }

    It 'graphs the reads of cat: vfs_read roots, children deeper than their call, none outlasting it' {
        $trees = @(Start-FunctionGraph -Function vfs_read -Command cat -ArgumentList $file)
        $trees.Count | Should -BeGreaterThan 0
        $trees | ForEach-Object { $_ | Should -BeOfType PSTrace.Core.Records.FunctionCall }
        $trees.Function | Sort-Object -Unique | Should -Be 'vfs_read'
        $trees.Command | Sort-Object -Unique | Should -Be 'cat'
        @($trees.ProcessId | Sort-Object -Unique).Count | Should -Be 1
        $trees.Depth | Sort-Object -Unique | Should -Be 0
        $trees | ForEach-Object { Get-NestingProblem $_ } | Should -BeNullOrEmpty
        # reading a file goes through rw_verify_area and the filesystem's read_iter
        $trees | Where-Object { $_.Children.Function -contains 'rw_verify_area' } | Should -Not -BeNullOrEmpty
        $trees | Where-Object { -not ($_.Timestamp -gt 0) } | Should -BeNullOrEmpty -Because 'funcgraph-abstime gives every call its start' 
        @($trees.GetDescendantsAndSelf() | Where-Object { $_.IsEntryLost -or $_.IsExitLost }).Count | Should -Be 0
    }

    It '-MaxDepth stops the graph that deep' {
        $flat = @(Start-FunctionGraph -Function vfs_read -MaxDepth 2 -Flat -Command cat -ArgumentList $file)
        $flat.Count | Should -BeGreaterThan 0
        ($flat.Depth | Measure-Object -Maximum).Maximum | Should -Be 1
        @($flat | Where-Object Depth -eq 0).Function | Sort-Object -Unique | Should -Be 'vfs_read'
    }

    It '-Flat writes each call once, its parent before it' {
        $flat = @(Start-FunctionGraph -Function vfs_read -Flat -Command cat -ArgumentList $file)
        $seen = [Collections.Generic.HashSet[object]]::new()
        $problems = foreach ($call in $flat) {
            if ($call.Depth -gt 0 -and -not $seen.Contains($call.GetParent())) { "$($call.Function) came before its parent" }
            if (-not $seen.Add($call)) { "$($call.Function) came twice" }
        }
        $problems | Should -BeNullOrEmpty
        ($flat | Group-Object Function | Where-Object Name -eq 'vfs_read').Count | Should -Be @($flat | Where-Object Depth -eq 0).Count
    }

    It '-ProcessId traces every thread of a running process, and with -IncludeChildren its children' {
        # the shell's own `read` calls vfs_read; its `sleep` children do too, as other processes
        $psi = [Diagnostics.ProcessStartInfo]::new('/bin/sh')
        $psi.ArgumentList.Add('-c')
        $psi.ArgumentList.Add("while :; do read line < '$file'; sleep 0.2; done")
        $shell = [Diagnostics.Process]::Start($psi)
        try {
            $own = @(Start-FunctionGraph -Function vfs_read -ProcessId $shell.Id -MaxDepth 1 -Duration 3)
            $own.Count | Should -BeGreaterThan 0
            $own.ProcessId | Sort-Object -Unique | Should -Be $shell.Id

            $family = @(Start-FunctionGraph -Function vfs_read -ProcessId $shell.Id -IncludeChildren -MaxDepth 1 -Duration 3)
            $family | Where-Object ProcessId -eq $shell.Id | Should -Not -BeNullOrEmpty
            $family | Where-Object { $_.ProcessId -ne $shell.Id -and $_.Command -eq 'sleep' } | Should -Not -BeNullOrEmpty
        }
        finally {
            $shell.Kill()
            $shell.WaitForExit()
        }
    }

    It '-ProcessId names all threads of a multi-threaded process in set_ftrace_pid' {
        $threads = [Collections.Generic.HashSet[string]]::new([string[]](Get-ChildItem "/proc/$PID/task").Name)
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$module'; Start-FunctionGraph -Function vfs_read -ProcessId $PID -MaxDepth 1 -Duration 6")
        $handle = $ps.BeginInvoke()
        try {
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            # set_ftrace_pid is written a thread at a time, then the tracer is set: wait for the tracer
            do { Start-Sleep -Milliseconds 200 } until ((Get-Content "$T/current_tracer") -eq 'function_graph' -or [datetime]::UtcNow -gt $deadline)
            $pids = @(Get-Content "$T/set_ftrace_pid")
            # the threads listed now and before the start: one may have come or gone in between
            (Get-ChildItem "/proc/$PID/task").Name | ForEach-Object { $null = $threads.Add($_) }
            $pids.Count | Should -BeGreaterThan 1
            $pids | ForEach-Object { $_ | Should -BeIn $threads }
            $ps.EndInvoke($handle) | ForEach-Object { "$($_.ProcessId)" | Should -BeIn $threads }
        }
        finally { $ps.Dispose() }
    }

    It 'an unknown function stops it with the kernel''s answer, changing nothing' {
        $err = { Start-FunctionGraph -Function no_such_function_pstrace -Command true -ErrorAction Stop } | Should -Throw -ErrorId 'FunctionNotFound*' -PassThru
        $err.Exception.Message | Should -Match "'no_such_function_pstrace'.*set_graph_function"
    }

    It 'leaves a top-level buffer someone else is using alone' {
        # someone traces an event at the top level (the shell's '>' truncates, so the list is exactly this)
        sh -c "echo sched:sched_process_exec > $T/set_event"
        try {
            $err = { Start-FunctionGraph -Function vfs_read -Command true -ErrorAction Stop } | Should -Throw -ErrorId 'TopLevelBufferBusy*' -PassThru
            $err.Exception.Message | Should -Match 'sched:sched_process_exec'
            (Get-Content "$T/set_event") | Should -Be 'sched:sched_process_exec'
            (Get-Content "$T/current_tracer") | Should -Be 'nop'
        }
        finally { sh -c "echo > $T/set_event" }
    }

    It 'after a kill -9 mid-trace, Reset-Trace puts back the top-level settings the graph borrowed' {
        # a pwsh of its own (pwsh.dll in the dotnet host, so Kill() hits the process that owns the session)
        $psi = [Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
        $script = "Import-Module '$module'; Start-FunctionGraph -Function vfs_read -Exclude schedule -MaxDepth 3 -Duration 600 | Out-Null"
        foreach ($a in (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-c', $script) { $psi.ArgumentList.Add($a) }
        $child = [Diagnostics.Process]::Start($psi)
        try {
            $deadline = [datetime]::UtcNow.AddSeconds(240)
            do { Start-Sleep -Milliseconds 500 } until ((Get-Content "$T/tracing_on") -eq '1' -and (Get-Content "$T/current_tracer") -eq 'function_graph' -or $child.HasExited -or [datetime]::UtcNow -gt $deadline)
            (Get-Content "$T/current_tracer") | Should -Be 'function_graph'
            $kept = @(Get-ChildItem /run/pstrace -Filter "pstrace-$($child.Id)-*.settings")
            $kept.Count | Should -Be 1

            $child.Kill() # SIGKILL: no cleanup runs
            $child.WaitForExit()
            (Get-Content "$T/current_tracer") | Should -Be 'function_graph' -Because 'a killed process put nothing back'
            (Get-Content "$T/max_graph_depth") | Should -Be '3'

            $restored = @(Reset-Trace -PassThru | Where-Object OwnerProcessId -eq $child.Id)
            $restored.Kind | Sort-Object | Should -Be @('Instance', 'Settings')
            Test-Path $kept[0].FullName | Should -BeFalse
        }
        finally {
            if (-not $child.HasExited) { $child.Kill(); $child.WaitForExit() }
            Reset-Trace
        }
    }
}

Describe 'Start-FunctionTrace on a kernel with the function tracer' -Tag Lane -Skip:$outsideLane {
    AfterEach {
        Get-TopLevelState | Should -Be $pristine
        Get-OwnInstance | Should -BeNullOrEmpty
    }

    It 'reports the hits of cat, from an instance of its own' {
        $hits = @(Start-FunctionTrace -Function vfs_read, ksys_read, do_sys_openat2 -Command cat -ArgumentList $file -Verbose 4>&1)
        $verbose = $hits | Where-Object { $_ -is [Management.Automation.VerboseRecord] }
        @($verbose.Message -match "^Tracing with function in instance pstrace-$PID-\d+\.$").Count | Should -Be 1
        $hits = @($hits | Where-Object { $_ -is [PSTrace.Core.Records.FunctionHit] })
        $hits.Count | Should -BeGreaterThan 0
        ($hits.Function | Sort-Object -Unique) | ForEach-Object { $_ | Should -BeIn @('vfs_read', 'ksys_read', 'do_sys_openat2') }
        $hits.Command | Sort-Object -Unique | Should -Be 'cat'
        @($hits.ProcessId | Sort-Object -Unique).Count | Should -Be 1
        $hits | Where-Object { $_.Function -eq 'vfs_read' -and $_.Parent -eq 'ksys_read' } | Should -Not -BeNullOrEmpty
    }

    It '-Exclude keeps a function out' {
        $hits = @(Start-FunctionTrace -Function '*_read' -Exclude vfs_read -Command cat -ArgumentList $file)
        $hits | Where-Object Function -eq 'ksys_read' | Should -Not -BeNullOrEmpty
        $hits | Where-Object Function -eq 'vfs_read' | Should -BeNullOrEmpty
    }

    # Under the graph tracer every kernel function is hooked and a new pwsh takes well over a minute to start in
    # the emulated guest; the function tracer hooks only what it traces, and -ScriptBlock is shared code.
    It '-ScriptBlock runs the code in a new pwsh and traces only that process' {
        $hits = @(Start-FunctionTrace -Function vfs_read -ScriptBlock { Get-Content /etc/hostname | Out-Null })
        $hits.Count | Should -BeGreaterThan 0
        @($hits.ProcessId | Sort-Object -Unique).Count | Should -Be 1 -Because 'without -IncludeChildren only the main thread is traced'
    }
}

Describe 'Measure-TraceLatency on 6.1' -Tag Lane -Skip:$outsideLane {
    It 'names the config option the guest kernel lacks' {
        $err = { Measure-TraceLatency -Tracer irqsoff -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'IrqsoffTracerNotSupported*' -PassThru
        $err.Exception.Message | Should -Match 'CONFIG_IRQSOFF_TRACER'
        Get-TopLevelState | Should -Be $pristine
    }
}

# -OutFile: the live read's pages kept as a trace.dat that trace-cmd reads and -Path reads back into the same records.
Describe 'Start-FunctionGraph and Start-FunctionTrace -OutFile, read back with -Path' -Tag Lane -Skip:$outsideLane {
    BeforeAll {
        $script:dat = Join-Path ([IO.Path]::GetTempPath()) "pstrace-lane-fg-$PID.dat"
        # What the examples of the help pages show, kept with the lane's results.
        $script:examples = if ($env:PSTRACE_LANE_RESULTS) { Join-Path $env:PSTRACE_LANE_RESULTS 'function-tracers-outfile.txt' }
        function Save-Example([string] $Title, $Output) {
            if ($examples) { "== $Title", ($Output | Out-String -Width 110) | Add-Content $examples }
        }
        function Get-Key($Call) { "$($Call.Function) $($Call.Depth) $($Call.ProcessId) $($Call.Command) $($Call.TimestampNanoseconds) $($Call.DurationNanoseconds) $(@($Call.GetDescendantsAndSelf()).Count)" }
    }

    AfterEach {
        Remove-Item $dat -ErrorAction Ignore
        Get-TopLevelState | Should -Be $pristine
        Get-OwnInstance | Should -BeNullOrEmpty
    }

    It 'graphs from binary pages, and -Path of the file gives the same trees' {
        $live = @(Start-FunctionGraph -Function vfs_read -Command cat -ArgumentList $file -OutFile $dat -Verbose 4>&1)
        $verbose = @($live | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message
        $verbose -match 'trace_pipe_raw' | Should -Not -BeNullOrEmpty -Because 'the live graph reads binary pages'
        $verbose -match "^Wrote \d+ page\(s\) .* to $([regex]::Escape($dat))" | Should -Not -BeNullOrEmpty
        $live = @($live | Where-Object { $_ -is [PSTrace.Core.Records.FunctionCall] })
        $live.Count | Should -BeGreaterThan 0
        $live | ForEach-Object { Get-NestingProblem $_ } | Should -BeNullOrEmpty

        $saved = @(Start-FunctionGraph -Path $dat -Function vfs_read | Where-Object { $_ -is [PSTrace.Core.Records.FunctionCall] })
        ($saved | ForEach-Object { Get-Key $_ }) | Should -Be ($live | ForEach-Object { Get-Key $_ })
        $report = @(trace-cmd report -i $dat 2>&1)
        $LASTEXITCODE | Should -Be 0
        @($report -match 'funcgraph_entry:.*vfs_read\(\) \{').Count | Should -Be $live.Count
        Save-Example 'Start-FunctionGraph -OutFile' ($verbose -match '^(Reading|Wrote)')
        Save-Example 'Start-FunctionGraph -Path' ($saved | Select-Object -First 3)
        Save-Example 'trace-cmd report' ($report | Select-Object -First 12)
    }

    It 'traces hits from binary pages, and -Path of the file gives the same hits' {
        $live = @(Start-FunctionTrace -Function vfs_read, ksys_read -Command cat -ArgumentList $file -OutFile $dat -Verbose 4>&1)
        $verbose = @($live | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message
        $verbose -match 'trace_pipe_raw' | Should -Not -BeNullOrEmpty
        $live = @($live | Where-Object { $_ -is [PSTrace.Core.Records.FunctionHit] })
        $live.Count | Should -BeGreaterThan 0
        $live | Where-Object { $_.Function -eq 'vfs_read' -and $_.Parent -eq 'ksys_read' } | Should -Not -BeNullOrEmpty

        $saved = @(Start-FunctionTrace -Path $dat | Where-Object { $_ -is [PSTrace.Core.Records.FunctionHit] })
        ($saved | ForEach-Object { "$($_.Function) $($_.Parent) $($_.ProcessId) $($_.TimestampNanoseconds)" }) |
            Should -Be ($live | ForEach-Object { "$($_.Function) $($_.Parent) $($_.ProcessId) $($_.TimestampNanoseconds)" })
        $report = @(trace-cmd report -i $dat 2>&1)
        $LASTEXITCODE | Should -Be 0
        @($report -match 'function:\s+(vfs_read|ksys_read)').Count | Should -Be $live.Count
        Save-Example 'Start-FunctionTrace -OutFile' ($verbose -match '^(Reading|Wrote)')
        Save-Example 'Start-FunctionTrace -Path' ($saved | Select-Object -First 4)
    }
}
