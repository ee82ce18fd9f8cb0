BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
}

# The module as an ordinary user sees it: pwsh and the module are copied where that user can read
# them, and run under setpriv as nobody.
Describe 'PSTrace run by a user who is not root' {
    BeforeAll {
        $script:skip = Get-LiveSkipReason
        if (-not $script:skip -and -not (Get-Command setpriv -ErrorAction Ignore)) { $script:skip = 'setpriv is missing' }
        if ($script:skip) { return }
        $script:tmp = Join-Path ([IO.Path]::GetTempPath()) "pstrace-nonroot-$PID"
        New-Item -ItemType Directory -Path "$script:tmp/home" -Force | Out-Null
        Copy-Item $PSHOME "$script:tmp/pwsh" -Recurse
        Copy-Item (Split-Path $env:PSTRACE_MODULE) "$script:tmp/module" -Recurse
        chmod -R a+rX $script:tmp
        chmod a+rwx "$script:tmp/home"
        $script:before = (Get-ChildItem /sys/kernel/tracing/instances).Name

        function script:Invoke-AsNobody([string] $Script) {
            $command = "Import-Module '$script:tmp/module/PSTrace.psd1'; $Script"
            & setpriv --reuid=65534 --regid=65534 --clear-groups env "HOME=$script:tmp/home" "DOTNET_CLI_HOME=$script:tmp/home" `
                'DOTNET_CLI_TELEMETRY_OPTOUT=1' 'POWERSHELL_TELEMETRY_OPTOUT=1' ([Environment]::ProcessPath) "$script:tmp/pwsh/pwsh.dll" -NoProfile -NonInteractive -Command $command 2>&1
        }
    }

    AfterAll {
        if ($script:tmp -and (Test-Path $script:tmp)) { Remove-Item $script:tmp -Recurse -Force }
    }

    It 'Get-TraceEvent stops with a permission error that says to run as root, changing nothing' {
        if ($script:skip) { Set-ItResult -Skipped -Because $script:skip; return }
        $out = Invoke-AsNobody 'try { Get-TraceEvent -Name sched:sched_process_exec -Duration 1 -ErrorAction Stop } catch { "ID=" + $_.FullyQualifiedErrorId; "CAT=" + $_.CategoryInfo.Category; "FIX=" + $_.ErrorDetails.RecommendedAction }'
        $text = $out -join "`n"
        $text | Should -Match 'ID=NotRoot'
        $text | Should -Match 'CAT=PermissionDenied'
        $text | Should -Match 'FIX=.*root'
        # No session instance was left by the (now ended) process: other work on the machine may add its own meanwhile.
        $new = (Get-ChildItem /sys/kernel/tracing/instances).Name | Where-Object { $_ -notin $script:before -and $_ -like 'pstrace-*' }
        $new | Where-Object { -not (Test-Path "/proc/$(($_ -split '-')[1])") } | Should -BeNullOrEmpty
    }

    It 'Get-TraceCapability reports what is missing instead of failing' {
        if ($script:skip) { Set-ItResult -Skipped -Because $script:skip; return }
        $out = Invoke-AsNobody 'Get-TraceCapability | ForEach-Object { "{0}={1}" -f $_.Name, $_.Available }'
        $out | Should -Contain 'Root=False'
        $out | Should -Contain 'Tracefs=False'
    }

    It 'Get-TraceCapability says tracefs is mounted but not readable by this user, and how to fix it' {
        if ($script:skip) { Set-ItResult -Skipped -Because $script:skip; return }
        $out = Invoke-AsNobody '$t = Get-TraceCapability -Name Tracefs -NoTracerCheck; "DETAIL=" + $t.Detail; "FIX=" + $t.Fix'
        $text = $out -join "`n"
        $text | Should -Match 'DETAIL=tracefs is mounted at /sys/kernel/tracing, but this user \(uid 65534\) cannot read it'
        $text | Should -Not -Match 'could not be mounted'
        $text | Should -Match 'FIX=.*sudo pwsh.*gid='
    }
}
