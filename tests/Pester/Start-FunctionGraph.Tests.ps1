# Start-FunctionGraph and Start-FunctionTrace on this machine's kernel. Where the kernel lacks a tracer
# (6.18 here: function_graph not built in, function refused under lockdown) the cmdlets must stop with
# the capability error, naming the config option and what works instead, and leave nothing behind.
# The traces themselves are tested on a kernel that has the tracers, in the qemu lane (tests/lane).
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest

    # The top-level files a function tracer could touch: none may change on a kernel that refuses it.
    function Get-TopLevelState {
        $files = 'current_tracer', 'tracing_on', 'set_ftrace_pid', 'set_event', 'options/function-fork'
        ($files | ForEach-Object { "$_=" + ((Get-Content "/sys/kernel/tracing/$_" -ErrorAction Ignore) -join ',') }) -join "`n"
    }

    function Test-Tracer([string] $Name) {
        (Get-TraceCapability -Name "Tracer:$Name").Available
    }
}

Describe 'Start-FunctionGraph on a kernel without function_graph' {
    It 'stops with the missing config option and what works instead, creating nothing' {
        if (Skip-UnlessLive) { return }
        if (Test-Tracer function_graph) { Set-ItResult -Skipped -Because 'this kernel has function_graph: see the qemu lane tests'; return }
        $top = Get-TopLevelState
        $err = { Start-FunctionGraph -Function vfs_read -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'FunctionGraphTracerNotSupported*' -PassThru
        $err.Exception.Message | Should -Be 'The function_graph tracer is not available on this kernel: not built in (CONFIG_FUNCTION_GRAPH_TRACER).'
        $err.CategoryInfo.Category | Should -Be 'NotImplemented'
        $err.ErrorDetails.RecommendedAction | Should -Match 'tracepoints \(Get-TraceEventType\) or uprobes'
        $err.ErrorDetails.RecommendedAction | Should -Match 'CONFIG_FUNCTION_GRAPH_TRACER'
        $err.TargetObject | Should -Be 'Tracer:function_graph'
        Get-OwnSessionInstance | Should -BeNullOrEmpty
        Get-TopLevelState | Should -Be $top
    }

    It 'does not start the -Command it would have traced' {
        if (Skip-UnlessLive) { return }
        if (Test-Tracer function_graph) { Set-ItResult -Skipped -Because 'this kernel has function_graph'; return }
        $marker = Join-Path ([IO.Path]::GetTempPath()) "pstrace-fg-$PID-marker"
        { Start-FunctionGraph -Function vfs_read -Command touch -ArgumentList $marker -ErrorAction Stop } | Should -Throw -ErrorId 'FunctionGraphTracerNotSupported*'
        $marker | Should -Not -Exist
    }
}

Describe 'Start-FunctionTrace on a kernel that refuses the function tracer' {
    It 'stops with the kernel''s refusal and what works instead' {
        if (Skip-UnlessLive) { return }
        if (Test-Tracer function) { Set-ItResult -Skipped -Because 'this kernel lets the function tracer run: see the qemu lane tests'; return }
        $top = Get-TopLevelState
        $err = { Start-FunctionTrace -Function vfs_read -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'FunctionTracerNotSupported*' -PassThru
        # Listed in available_tracers here, but lockdown refuses it (EPERM); a kernel without it names CONFIG_FUNCTION_TRACER.
        $err.Exception.Message | Should -Match '^The function tracer is not available on this kernel: (listed, but the kernel refused to start it: .+|not built in \(CONFIG_FUNCTION_TRACER\))\.$'
        $err.ErrorDetails.RecommendedAction | Should -Match 'CONFIG_FUNCTION_TRACER'
        $err.ErrorDetails.RecommendedAction | Should -Match 'lockdown'
        Get-OwnSessionInstance | Should -BeNullOrEmpty
        Get-TopLevelState | Should -Be $top
    }
}

Describe 'Start-FunctionGraph and Start-FunctionTrace input checks' {
    It 'refuses to trace every function of every task' {
        $err = { Start-FunctionGraph -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'UnboundedFunctionTrace*' -PassThru
        $err.ErrorDetails.RecommendedAction | Should -Match '-Function'
        { Start-FunctionTrace -ErrorAction Stop } | Should -Throw -ErrorId 'UnboundedFunctionTrace*'
    }

    It 'refuses a filter command posing as a function name: <Label>' -ForEach @(
        @{ Name = '!vfs_read'; Label = '!vfs_read' }
        @{ Name = 'vfs_read:traceoff'; Label = 'vfs_read:traceoff' }
        @{ Name = ':mod:ext4'; Label = ':mod:ext4' }
        @{ Name = "vfs_read`nksys_read"; Label = 'two names on two lines' }
    ) {
        $err = { Start-FunctionGraph -Function $Name -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidFunctionName*' -PassThru
        $err.TargetObject | Should -Be $Name
        { Start-FunctionTrace -Exclude $Name -Function vfs_read -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidFunctionName*'
    }

    It 'says so when a process does not exist' {
        $err = { Start-FunctionGraph -Function vfs_read -ProcessId 2147483646 -ErrorAction Stop } | Should -Throw -ErrorId 'ProcessNotFound*' -PassThru
        $err.TargetObject | Should -Be 2147483646
    }

    It 'takes processes from the pipeline by their Id' {
        $p = Get-Process -Id $PID
        # Binding works whatever the kernel: with function_graph the trace would run; without it, the capability error comes.
        $cmd = Get-Command Start-FunctionGraph
        $cmd.Parameters['ProcessId'].Aliases | Should -Contain 'Id'
        $cmd.Parameters['ProcessId'].ParameterSets['Process'].ValueFromPipelineByPropertyName | Should -BeTrue
        $p.Id | Should -Be $PID
    }

    It 'has -MaxDepth and -Flat only on the graph' {
        (Get-Command Start-FunctionGraph).Parameters.Keys | Should -Contain 'MaxDepth'
        (Get-Command Start-FunctionGraph).Parameters.Keys | Should -Contain 'Flat'
        (Get-Command Start-FunctionTrace).Parameters.Keys | Should -Not -Contain 'MaxDepth'
    }
}

Describe 'The -ScriptBlock launcher' {
    It 'starts this PowerShell on the code, stopped until released' {
        $marker = Join-Path ([IO.Path]::GetTempPath()) "pstrace-sb-$PID.txt"
        Remove-Item $marker -ErrorAction Ignore
        $launcher = [PSTrace.Commands.StartFunctionGraphCommand].Assembly.GetType('PSTrace.PwshLauncher')
        $target = $launcher.GetMethod('For').Invoke($null, @([scriptblock]::Create("`$PID | Set-Content '$marker'"), $ExecutionContext.SessionState))
        $gated = [PSTrace.Core.Tracers.GatedProcess]::Start($target.Item1, [string[]]$target.Item2, [timespan]::FromSeconds(60))
        try {
            Start-Sleep -Milliseconds 300
            $marker | Should -Not -Exist -Because 'nothing runs before the tracer is ready'
            $gated.Release()
            $gated.WaitForExit([timespan]::FromSeconds(120)) | Should -BeTrue
            $gated.ExitCode | Should -Be 0
            (Get-Content $marker) | Should -Be $gated.ProcessId -Because 'the pid that was traced is the one that ran the code'
        }
        finally {
            $gated.Dispose()
            Remove-Item $marker -ErrorAction Ignore
        }
    }
}
