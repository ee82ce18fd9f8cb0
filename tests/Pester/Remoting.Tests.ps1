#requires -Version 7.4
<#
PSTrace over PowerShell remoting (SSH), the way a fleet is traced: two sshd on 127.0.0.1
(SshHosts.psm1) stand for two machines; Invoke-Command runs Watch-Exec and then
Get-TraceEvent in both sessions at once while this process starts marker programs, and the
records that come back are checked: typed (Deserialized.PSTrace.*), formatted by the module's
views, and in time order when the two hosts' records are merged. A watch stopped with
Stop-Job (what Ctrl+C does to a remote command) leaves no instance behind.

Both "hosts" are this machine, so both see the same markers, and their instances are visible
here under /sys/kernel/tracing/instances as pstrace-<remote pwsh PID>-<N>.
Needs root, tracefs and openssh-server (build.ps1 Test installs it when missing).
#>

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:NoSshd = -not (Test-Path /usr/sbin/sshd)
    if ($NoSshd -and $env:CI -eq 'true') { throw 'CI=true but /usr/sbin/sshd is missing: build.ps1 Test installs openssh-server as root.' }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'SshHosts.psm1') -Force
    Import-PSTraceUnderTest
    $script:Skip = Get-LiveSkipReason
    if (-not $Skip -and -not (Test-Path /usr/sbin/sshd)) { $script:Skip = 'openssh-server is not installed' }
    if ($Skip) { return }

    $script:Instances = '/sys/kernel/tracing/instances'
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "pstrace-remoting-$([guid]::NewGuid().ToString('n'))"
    New-Item -ItemType Directory -Path $Work | Out-Null
    # Marker programs: copies of true whose names are in every record of their exec.
    $script:Markers = foreach ($n in 1..3) {
        $path = Join-Path $Work "pstrace-marker-$n"
        Copy-Item /bin/true $path
        chmod +x $path
        $path
    }

    $script:Hosts = Start-SshHosts -Count 2
    $script:Sessions = @(foreach ($connection in $Hosts.Connections) { New-PSSession @connection -ErrorAction Stop })
    $script:RemotePids = @(Invoke-Command -Session $Sessions -ScriptBlock { $PID } | Sort-Object PSComputerName, RunspaceId | ForEach-Object { [int] $_ })
    Invoke-Command -Session $Sessions -ScriptBlock { param($Module) Import-Module $Module } -ArgumentList $env:PSTRACE_MODULE

    # The session instances of the remote pwsh processes, with the events they have enabled.
    function Get-RemoteInstance {
        foreach ($remotePid in $RemotePids) {
            Get-ChildItem $Instances -Directory -Filter "pstrace-$remotePid-*" -ErrorAction Ignore |
                ForEach-Object { [pscustomobject]@{ Name = $_.Name; Ready = (Get-Content "$($_.FullName)/set_event" -Raw -ErrorAction Ignore) -match '\S' } }
        }
    }

    # Waits until every remote pwsh has a session instance with enabled events that is not in $Seen.
    function Wait-RemoteReady([string[]] $Seen = @(), [int] $TimeoutSeconds = 90) {
        $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
        while ([datetime]::UtcNow -lt $deadline) {
            $ready = @(Get-RemoteInstance | Where-Object { $_.Ready -and $_.Name -notin $Seen })
            $pids = @($ready | ForEach-Object { ($_.Name -split '-')[1] } | Select-Object -Unique)
            if ($pids.Count -eq $RemotePids.Count) { Start-Sleep -Milliseconds 500; return $ready.Name }
            Start-Sleep -Milliseconds 100
        }
        throw "The remote sessions were not ready within $TimeoutSeconds s: $(Get-RemoteInstance | Out-String)"
    }

    function Invoke-Markers {
        foreach ($marker in $Markers) {
            & $marker
            Start-Sleep -Milliseconds 300
        }
    }

    # The number in a record's marker name (0 for any other program).
    function Get-MarkerNumber([string] $Text) { if ($Text -match 'pstrace-marker-(\d)') { [int] $Matches[1] } else { 0 } }

    # The labels of the table view the module's format file selects for a (deserialized) type.
    function Get-ViewHeader([string] $TypeName) {
        [xml] $format = Get-Content (Join-Path (Split-Path $env:PSTRACE_MODULE) 'PSTrace.format.ps1xml')
        $view = $format.Configuration.ViewDefinitions.View | Where-Object { $_.ViewSelectedBy.TypeName -contains $TypeName -and $_['TableControl'] } | Select-Object -First 1
        @($view.TableControl.TableHeaders.TableColumnHeader | ForEach-Object { $_.Label })
    }

    # The record's wall-clock DateTime when it has one, else its Timestamp.
    function Get-RecordTime($Record) {
        $dateTime = $Record.PSObject.Properties | Where-Object { $_.Value -is [datetime] } | Select-Object -First 1
        if ($dateTime) { $dateTime.Value } else { $Record.Timestamp }
    }

    # Phase 1 Watch-Exec, phase 2 Get-TraceEvent, in both sessions at once.
    $before = @(Get-RemoteInstance | ForEach-Object Name)
    $job = Invoke-Command -Session $Sessions -AsJob -ScriptBlock {
        # Tracefs: the test knows a remote session is ready by its instance (the BPF backend makes none).
        Watch-Exec -Backend Tracefs -Duration 00:00:12
        Get-TraceEvent sched:sched_process_exec -Filter 'filename ~ "*pstrace-marker-*"' -Duration 00:00:12
    }
    try {
        $first = Wait-RemoteReady -Seen $before
        Invoke-Markers
        $null = Wait-RemoteReady -Seen $first
        Invoke-Markers
        $null = Wait-Job $job -Timeout 120
        $script:JobState = $job.State
        $script:Records = @(Receive-Job $job -ErrorVariable remoteErrors -ErrorAction SilentlyContinue)
        $script:RemoteErrors = @($remoteErrors | ForEach-Object { "$_" })
    }
    finally {
        Remove-Job $job -Force
    }
    $script:Execs = @($Records | Where-Object { $_.PSObject.TypeNames -contains 'Deserialized.PSTrace.Core.Records.ExecEvent' -and (Get-MarkerNumber $_.Path) })
    $script:Events = @($Records | Where-Object { $_.PSObject.TypeNames -contains 'Deserialized.PSTrace.Core.Records.TraceEvent' })
}

AfterAll {
    if ($script:Sessions) { $Sessions | Remove-PSSession }
    if ($script:Hosts) { Stop-SshHosts $Hosts }
    if ($script:Work) { Remove-Item $Work -Recurse -Force -ErrorAction Ignore }
}

Describe 'Tracing two hosts over SSH remoting' {
    BeforeEach {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip }
    }

    It 'runs both remote commands to the end without errors' {
        $JobState | Should -Be 'Completed' -Because ($RemoteErrors -join '; ')
        $RemoteErrors | Should -BeNullOrEmpty
    }

    It 'brings back typed Watch-Exec records from both hosts' {
        @($Execs.RunspaceId | Select-Object -Unique).Count | Should -Be 2 -Because "both hosts should report the markers ($(Get-SshHostsLog $Hosts))"
        foreach ($n in 1..3) {
            @($Execs | Where-Object { (Get-MarkerNumber $_.Path) -eq $n }).Count | Should -Be 2 -Because "each host saw marker $n once"
        }
        $Execs[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.PSTrace.Core.Records.ExecEvent'
        $Execs[0].PSComputerName | Should -Be '127.0.0.1'
    }

    It 'brings back typed Get-TraceEvent records from both hosts' {
        @($Events.RunspaceId | Select-Object -Unique).Count | Should -Be 2
        @($Events).Count | Should -Be 6 -Because 'the kernel filter keeps the 3 markers, seen by each host'
        $Events[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.PSTrace.Core.Records.TraceEvent'
    }

    It 'formats remote <Type> records with the module''s table view' -TestCases @(
        @{ Type = 'ExecEvent' }
        @{ Type = 'TraceEvent' }
    ) {
        $records = if ($Type -eq 'ExecEvent') { $Execs } else { $Events }
        $headers = Get-ViewHeader "Deserialized.PSTrace.Core.Records.$Type"
        $headers.Count | Should -BeGreaterThan 0
        $table = $records | Format-Table | Out-String -Width 200
        $headerLine = ($table -split "`n" | Where-Object { $_.Trim() } | Select-Object -First 1)
        foreach ($header in $headers) { $headerLine | Should -Match "\b$([regex]::Escape($header))\b" }
    }

    It 'merges the <Type> records of both hosts in time order' -TestCases @(
        @{ Type = 'ExecEvent' }
        @{ Type = 'TraceEvent' }
    ) {
        $records = if ($Type -eq 'ExecEvent') { $Execs } else { $Events }
        $merged = @($records | Sort-Object { Get-RecordTime $_ })
        $order = @($merged | ForEach-Object { Get-MarkerNumber ($(if ($Type -eq 'ExecEvent') { $_.Path } else { $_.filename ?? $_.Body })) })
        $order | Should -Be @(1, 1, 2, 2, 3, 3) -Because 'the markers ran one after another, and each host saw each once'
    }

    It 'leaves no instance on the remote side when the remote watch is stopped' {
        $before = @(Get-RemoteInstance | ForEach-Object Name)
        $job = Invoke-Command -Session $Sessions -AsJob -ScriptBlock { Watch-Exec -Backend Tracefs }
        try {
            $running = Wait-RemoteReady -Seen $before
            $running.Count | Should -Be 2
            Stop-Job $job
        }
        finally {
            Remove-Job $job -Force
        }
        $deadline = [datetime]::UtcNow.AddSeconds(20)
        while ((Get-RemoteInstance) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
        Get-RemoteInstance | Should -BeNullOrEmpty
        # The sessions live on: it was the command that stopped, and it cleaned up.
        @(Invoke-Command -Session $Sessions -ScriptBlock { $PID }).Count | Should -Be 2
    }
}
