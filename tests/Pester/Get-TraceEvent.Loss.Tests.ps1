# Lost events on the binary path: counted, summed to the kernel's own total, warned about sparingly.
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest

    # Follows an instance with Get-TraceEvent -Follow in a runspace; returns once it says it is reading.
    function Start-Follow([string] $Instance, [int] $Seconds, [string] $Tail = '') {
        $run = Start-InRunspace "Get-TraceEvent -Instance '$Instance' -Follow -Duration $Seconds -Verbose$Tail"
        $deadline = [datetime]::UtcNow.AddSeconds(60)
        while (-not ($run.PowerShell.Streams.Verbose | Where-Object Message -like '*trace_pipe_raw*')) {
            if ($run.Handle.IsCompleted -or [datetime]::UtcNow -gt $deadline) { throw "The reader did not start: $($run.PowerShell.Streams.Error)" }
            Start-Sleep -Milliseconds 50
        }
        Start-Sleep -Milliseconds 300
        $run
    }
}

Describe 'Get-TraceEvent lost-event counts on the binary path' {
    It 'gives every gap of a burst that overruns a tiny buffer a count, and the counts add up to the kernel''s overrun total' {
        if (Skip-UnlessLive) { return }
        $name = "pester-loss-$PID"
        New-TraceInstance $name -BufferSizeKb 8 | Out-Null
        try {
            $dir = "/sys/kernel/tracing/instances/$name"
            # dd writes one byte a call: 200,000 sys_enter_write events in well under a second on an idle
            # machine; the reader follows long enough for a loaded one too.
            Enable-TraceEvent syscalls:sys_enter_write -Instance $name -Filter 'count == 1'
            $run = Start-Follow $name 20 " | Where-Object { `$_ -is [PSTrace.Core.Records.TraceLostEvents] }"
            $took = Measure-Command { & dd if=/dev/zero of=/dev/null bs=1 count=200000 2>$null }
            $gaps = @($run.PowerShell.EndInvoke($run.Handle))
            $warnings = @($run.PowerShell.Streams.Warning | ForEach-Object { "$_" })

            $kernel = 0L
            foreach ($stats in Get-ChildItem "$dir/per_cpu/cpu*/stats") {
                foreach ($line in Get-Content $stats) {
                    if ($line -match '^(overrun|dropped events): (\d+)') { $kernel += [long]$Matches[2] }
                }
            }

            $took.TotalSeconds | Should -BeLessThan 15 -Because 'the burst must end while the reader follows'
            $kernel | Should -BeGreaterThan 0 -Because 'an 8 KB buffer cannot hold a burst of 200,000 events'
            $gaps.Count | Should -BeGreaterThan 0
            @($gaps | Where-Object { $null -eq $_.Count }).Count | Should -Be 0 -Because 'every gap gets a count'
            ($gaps | Measure-Object Count -Sum).Sum | Should -Be $kernel
            # At most one a second over the 20 s, and the summary with the exact total.
            $warnings.Count | Should -BeLessOrEqual 22
            $warnings[-1] | Should -BeLike "In all the kernel lost $kernel event(s)*"
        }
        finally {
            if ($run) { $run.PowerShell.Dispose() }
            Remove-TraceInstance $name -Confirm:$false
        }
    }
}
