# The -Duration countdown is for a person at a console: with output redirected (a script, CI, a job)
# a live command writes no progress records at all. (At a terminal it shows time left, records and
# losses, and for a saved file that takes over a second to read, MiB read of its size and records;
# both were checked by eye in tmux at 80 columns.)
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
}

Describe 'Progress of a live command' {
    It 'stays quiet when output is redirected' {
        if (Skip-UnlessLive) { return }
        $script = @"
Import-Module '$env:PSTRACE_MODULE'
`$ps = [powershell]::Create().AddScript("Import-Module '$env:PSTRACE_MODULE'; Get-TraceEvent -Name sched:sched_process_exec -Filter 'pid == 1' -Duration 2")
`$null = `$ps.Invoke()
'progress=' + `$ps.Streams.Progress.Count
'errors=' + `$ps.Streams.Error.Count + ' ' + (`$ps.Streams.Error -join '; ')
"@
        # Captured output: the child's stdout is a pipe, as in a script or CI.
        $out = & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $script
        $out | Should -Contain 'errors=0 '
        $out | Should -Contain 'progress=0'
    }

    It 'stays quiet reading a large saved file when output is redirected' {
        # 100 copies of a real trace_pipe text: big enough to take more than the second after which a bar shows.
        $big = Join-Path $TestDrive 'big.txt'
        $text = Get-Content -Raw (Join-Path $PSScriptRoot '../fixtures/6.18/trace_pipe.txt')
        Set-Content -Path $big -Value ($text * 100) -NoNewline
        $script = @"
`$ps = [powershell]::Create().AddScript("Import-Module '$env:PSTRACE_MODULE'; @(Get-TraceEvent -Path '$big').Count")
'count=' + (`$ps.Invoke() -join '')
'progress=' + `$ps.Streams.Progress.Count
"@
        $out = & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $script
        $out | Should -Contain 'progress=0'
        ($out | Where-Object { $_ -like 'count=*' }) -replace 'count=' | Should -BeGreaterThan 10000
    }
}
