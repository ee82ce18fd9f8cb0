# Get-TraceEvent -Path on what is not a plain saved trace: special files, huge lines, files of other kinds.
# Each must end on its own or within 5 s of a stop (what Ctrl+C does), without growing memory.
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    $script:fixtures = Join-Path $PSScriptRoot '../fixtures'

    # Runs Get-TraceEvent in a separate pwsh and returns how long it took, how much its peak memory
    # (VmHWM) grew, how many records it wrote and its errors: the memory of this test process says nothing.
    function Invoke-IsolatedJson([string] $Arguments) {
        $out = Join-Path $TestDrive "result-$([guid]::NewGuid()).json"
        $script = @"
`$before = [long]((Get-Content /proc/self/status | Where-Object { `$_ -like 'VmHWM:*' }) -replace '\D', '')
`$watch = [Diagnostics.Stopwatch]::StartNew()
`$records = @(Get-TraceEvent $Arguments -ErrorVariable errs -ErrorAction SilentlyContinue)
`$after = [long]((Get-Content /proc/self/status | Where-Object { `$_ -like 'VmHWM:*' }) -replace '\D', '')
[pscustomobject]@{ Seconds = `$watch.Elapsed.TotalSeconds; GrowthMB = (`$after - `$before) / 1024; Count = `$records.Count
    Errors = @(`$errs | ForEach-Object { `$_.FullyQualifiedErrorId + '|' + `$_.CategoryInfo.Category + '|' + `$_.Exception.Message }) } | ConvertTo-Json -Compress | Set-Content '$out'
"@
        $p = Start-PwshProcess $script
        try {
            if (-not $p.WaitForExit(60000)) { $p.Kill(); throw "Get-TraceEvent $Arguments did not end within 60 s." }
        }
        finally { $p.Dispose() }
        Get-Content $out -Raw | ConvertFrom-Json
    }

    # Starts Get-TraceEvent in a runspace, lets it run, stops it as Ctrl+C does, and returns the seconds the stop took.
    function Measure-Stop([string] $Arguments, [int] $RunMilliseconds = 1500) {
        $run = Start-InRunspace "Get-TraceEvent $Arguments"
        try {
            Start-Sleep -Milliseconds $RunMilliseconds
            $run.Handle.IsCompleted | Should -BeFalse -Because 'it waits for data'
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $run.PowerShell.Stop()
            $watch.Elapsed.TotalSeconds
        }
        finally { $run.PowerShell.Dispose() }
    }
}

Describe 'Get-TraceEvent -Path on special files' {
    It 'refuses /dev/zero at once, without reading it' {
        $r = Invoke-IsolatedJson "-Path /dev/zero"
        $r.Seconds | Should -BeLessThan 5
        $r.GrowthMB | Should -BeLessThan 200
        $r.Count | Should -Be 0
        $r.Errors[0] | Should -BeLike 'TraceFileNotRegular,*|InvalidArgument|/dev/zero is a character device*'
    }

    It 'reads a named pipe given by name, to its writer''s end' {
        $fifo = Join-Path $TestDrive 'pipe'
        mkfifo $fifo
        $run = Start-InRunspace "Get-TraceEvent -Path '$fifo'"
        try {
            Start-Sleep -Milliseconds 500
            # A writer as in a shell (Set-Content would try to seek the pipe).
            bash -c "cat '$(Join-Path $script:fixtures '6.18/trace_pipe.txt')' > '$fifo'"
            $records = $run.PowerShell.EndInvoke($run.Handle)
            @($records | Where-Object Name -eq 'sched_switch').Count | Should -BeGreaterThan 0
        }
        finally { $run.PowerShell.Dispose() }
    }

    It 'stops waiting on a named pipe with no writer within 5 s of a stop' {
        $fifo = Join-Path $TestDrive 'idle-pipe'
        mkfifo $fifo
        Measure-Stop "-Path '$fifo'" | Should -BeLessThan 5
    }

    It 'skips a named pipe that a wildcard matched' {
        $dir = Join-Path $TestDrive 'with-pipe'
        New-Item -ItemType Directory $dir | Out-Null
        mkfifo (Join-Path $dir 'pipe')
        Copy-Item (Join-Path $script:fixtures '6.18/trace_pipe.txt') $dir
        $r = Invoke-IsolatedJson "-Path '$dir/*'"
        $r.Errors | Should -BeNullOrEmpty
        $r.Count | Should -BeGreaterThan 0
    }

    It 'refuses a directory with an error of its own, and a wildcard skips it' {
        $dir = Join-Path $TestDrive 'tree'
        New-Item -ItemType Directory (Join-Path $dir 'sub') -Force | Out-Null
        Copy-Item (Join-Path $script:fixtures '6.18/trace_pipe.txt') $dir
        Get-TraceEvent -Path (Join-Path $dir 'sub') -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TraceFileIsDirectory,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].TargetObject | Should -Be (Join-Path $dir 'sub')

        $all = @(Get-TraceEvent -Path "$dir/*" -ErrorVariable err2 -ErrorAction SilentlyContinue)
        $err2 | Should -BeNullOrEmpty
        $all.Count | Should -BeGreaterThan 0
    }

    It 'stops at a line longer than any trace line, with an error, in little memory' {
        $file = Join-Path $TestDrive 'one-line.txt'
        bash -c "head -c 52428800 /dev/zero | tr '\0' 'a' > '$file'"
        (Get-Item $file).Length | Should -Be 52428800
        $r = Invoke-IsolatedJson "-Path '$file'"
        $r.Seconds | Should -BeLessThan 5
        $r.GrowthMB | Should -BeLessThan 200
        $r.Errors.Count | Should -Be 1
        $r.Errors[0] | Should -BeLike 'TraceLineTooLong,*|InvalidData|*line 1 is longer than*'
    }
}

Describe 'Get-TraceEvent -Path on files that are not traces' {
    It 'refuses <_> as neither a trace.dat nor trace text, and goes on with the next file' -ForEach '/bin/ls', '/etc/passwd' {
        $good = Join-Path $script:fixtures '6.18/trace_pipe.txt'
        $out = @(Get-TraceEvent -Path $_, $good -ErrorVariable err -ErrorAction SilentlyContinue)
        $out.Count | Should -BeGreaterThan 0
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TraceFileNotTrace,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $err[0].TargetObject | Should -Be $_
        $err[0].Exception.Message | Should -BeLike "$_ is neither a trace.dat file nor trace text*"
    }

    It 'keeps the lines of no known shape in a trace, counts them, and warns once' {
        $file = Join-Path $TestDrive 'mixed.txt'
        $lines = @(Get-Content (Join-Path $script:fixtures '6.18/trace_pipe.txt') -TotalCount 20)
        Set-Content $file ($lines[0..9] + 'not a trace line' + $lines[10..19] + 'nor this one')
        $out = @(Get-TraceEvent -Path $file -WarningVariable warn -WarningAction SilentlyContinue)
        @($out | Where-Object { $_.Name -eq '' -and $_.Cpu -eq -1 }).Count | Should -Be 2
        $warn.Count | Should -Be 1
        "$($warn[0])" | Should -BeLike '*: 2 line(s) match no known trace line shape*'
    }
}
