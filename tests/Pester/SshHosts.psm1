# Two sshd on 127.0.0.1 for the remoting tests: each a "host" with its own port, both with the
# PowerShell subsystem of this pwsh, a host key and a client key made for the test, and every
# file (config, keys, pid, log) in one temporary folder. Nothing listens beyond 127.0.0.1 and
# nothing of the machine's own ssh set-up is read or changed (except /run/sshd, sshd's
# privilege-separation folder, made when missing and removed again).
Set-StrictMode -Version Latest

function Get-FreeLoopbackPort {
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

# Starts -Count sshd; returns the state Stop-SshHosts needs and the connection of each host.
function Start-SshHosts([int] $Count = 2) {
    $sshd = '/usr/sbin/sshd'
    if (-not (Test-Path $sshd)) { throw "$sshd is missing: install openssh-server (build.ps1 Test does when run as root)." }
    $dir = Join-Path ([IO.Path]::GetTempPath()) "pstrace-ssh-$([guid]::NewGuid().ToString('n'))"
    New-Item -ItemType Directory -Path $dir | Out-Null
    $state = [pscustomobject]@{ Directory = $dir; Processes = @(); Connections = @(); MadeRunSshd = $false }
    $state.MadeRunSshd = -not (Test-Path /run/sshd)
    if ($state.MadeRunSshd) { New-Item -ItemType Directory -Path /run/sshd | Out-Null; chmod 755 /run/sshd }

    ssh-keygen -q -t ed25519 -N '' -C pstrace-test-host -f (Join-Path $dir 'host_key') | Out-Null
    ssh-keygen -q -t ed25519 -N '' -C pstrace-test-client -f (Join-Path $dir 'client_key') | Out-Null
    Copy-Item (Join-Path $dir 'client_key.pub') (Join-Path $dir 'authorized_keys')
    # The apphost beside this pwsh's assemblies (the repository's dotnet tool); sshd runs it as the subsystem.
    $pwsh = Join-Path $PSHOME 'pwsh'
    $user = [Environment]::UserName
    $processes = @()
    $connections = @()
    for ($i = 1; $i -le $Count; $i++) {
        $port = Get-FreeLoopbackPort
        $config = Join-Path $dir "sshd_config.$i"
        @(
            "Port $port"
            'ListenAddress 127.0.0.1'
            "HostKey $dir/host_key"
            "PidFile $dir/sshd.$i.pid"
            "AuthorizedKeysFile $dir/authorized_keys"
            "AllowUsers $user"
            'PubkeyAuthentication yes'
            'PasswordAuthentication no'
            'KbdInteractiveAuthentication no'
            'PermitRootLogin prohibit-password'
            'UsePAM no'
            # The keys sit in /tmp, which is world-writable: StrictModes would refuse them.
            'StrictModes no'
            'X11Forwarding no'
            'AllowTcpForwarding no'
            "Subsystem powershell $pwsh -sshs -NoLogo -NoProfile"
        ) | Set-Content $config
        Invoke-CheckedNative "sshd -t ($config)" { & $sshd -t -f $config }
        # -D: stay in the foreground, so the process is ours to stop; -e: log to standard error.
        $start = [Diagnostics.ProcessStartInfo]::new($sshd)
        foreach ($argument in '-D', '-e', '-f', $config) { $start.ArgumentList.Add($argument) }
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        $process = [Diagnostics.Process]::Start($start)
        $log = Join-Path $dir "sshd.$i.log"
        # Drain standard error to a file, or sshd blocks once the pipe is full.
        $null = Register-ObjectEvent -InputObject $process -EventName ErrorDataReceived -MessageData $log -Action {
            if ($null -ne $EventArgs.Data) { Add-Content -Path $Event.MessageData -Value $EventArgs.Data }
        }
        $process.BeginErrorReadLine()
        $processes += $process
        $connections += @{
            HostName    = '127.0.0.1'
            Port        = $port
            UserName    = $user
            KeyFilePath = Join-Path $dir 'client_key'
            # The host key is the test's own: no prompt, and nothing added to ~/.ssh/known_hosts.
            Options     = @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; IdentitiesOnly = 'yes'; BatchMode = 'yes'; LogLevel = 'ERROR' }
        }
    }
    $state.Processes = $processes
    $state.Connections = $connections
    foreach ($connection in $connections) { Wait-Port $connection.Port }
    $state
}

function Invoke-CheckedNative([string] $What, [scriptblock] $Command) {
    $output = & $Command 2>&1
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE): $output" }
}

function Wait-Port([int] $Port, [int] $TimeoutSeconds = 20) {
    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([datetime]::UtcNow -lt $deadline) {
        $client = [Net.Sockets.TcpClient]::new()
        try { $client.Connect([Net.IPAddress]::Loopback, $Port); return } catch { Start-Sleep -Milliseconds 100 } finally { $client.Dispose() }
    }
    throw "sshd did not listen on 127.0.0.1:$Port within $TimeoutSeconds s."
}

# The sshd logs, for a failure message.
function Get-SshHostsLog($State) {
    Get-ChildItem $State.Directory -Filter 'sshd.*.log' -ErrorAction Ignore | ForEach-Object { "== $($_.Name)"; Get-Content $_.FullName }
}

# Stops the test's sshd (and with them any session they still serve) and removes their folder.
function Stop-SshHosts($State) {
    if (-not $State) { return }
    foreach ($process in $State.Processes) {
        if (-not $process.HasExited) {
            $process.Kill($true)
            $null = $process.WaitForExit(10000)
        }
    }
    Get-EventSubscriber | Where-Object { $_.SourceObject -in $State.Processes } | Unregister-Event
    Remove-Item $State.Directory -Recurse -Force -ErrorAction Ignore
    if ($State.MadeRunSshd) { Remove-Item /run/sshd -Recurse -Force -ErrorAction Ignore }
}

Export-ModuleMember -Function Start-SshHosts, Stop-SshHosts, Get-SshHostsLog
