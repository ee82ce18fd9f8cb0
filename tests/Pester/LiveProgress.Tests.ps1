# The -Duration countdown is for a person at a console: with output redirected (a script, CI, a job)
# a live command writes no progress records at all. (At a terminal it shows time left, records and
# losses; that was checked by eye in tmux at 80 columns.)
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
}
