BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
}

Describe 'Watch-HostLookup' {
    AfterEach {
        if (-not (Get-LiveSkipReason)) {
            Get-OwnSessionInstance | Should -BeNullOrEmpty
            Get-OwnSessionProbe | Should -BeNullOrEmpty
        }
    }

    It 'ties a lookup of localhost to the connection the process then makes' {
        if (Skip-UnlessLive) { return }
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        try {
            # getaddrinfo('localhost', port) then connect() to what it returned, as socket.create_connection does.
            $client = "import socket, os`nprint(os.getpid())`ns = socket.create_connection(('localhost', $port))`ns.close()"
            $r = Invoke-WatchRun "Watch-HostLookup -ProcessId $PID -IncludeChildren -Duration 8" { $script:clientPid = [int](/usr/bin/python3 -c $client) }
        }
        finally { $listener.Stop() }
        $lookups = @($r.Output | Where-Object { $_ -is [PSTrace.Core.Records.HostLookupEvent] -and $_.ProcessId -eq $script:clientPid })
        $lookups.Count | Should -Be 1
        $l = $lookups[0]
        $l.Host | Should -Be 'localhost'
        $l.Service | Should -Be "$port"
        $l.Command | Should -Be 'python3'
        $l.ReturnValue | Should -Be 0
        $l.Error | Should -BeNullOrEmpty
        $l.Latency | Should -BeGreaterThan ([timespan]::Zero)
        $l.Latency | Should -BeLessThan ([timespan]::FromSeconds(5))
        $l.Result | Should -Contain '127.0.0.1'
        $l.ResultTruncated | Should -BeFalse
        $l.Connections.Count | Should -Be 1
        $c = $l.Connections[0]
        $c.Address | Should -Be '127.0.0.1'
        $c.Port | Should -Be $port
        $c.ReturnValue | Should -Be 0
        $c.Error | Should -BeNullOrEmpty
        $c.FileDescriptor | Should -BeGreaterOrEqual 3
        $c.TimestampNanoseconds | Should -BeGreaterThan $l.TimestampNanoseconds
    }

    It 'reports a failed lookup with its EAI code and no connections' {
        if (Skip-UnlessLive) { return }
        $name = "pstrace-$([guid]::NewGuid().ToString('N')).invalid"
        $client = "import socket`ntry: socket.getaddrinfo('$name', 80)`nexcept OSError: pass"
        $r = Invoke-WatchRun "Watch-HostLookup -ProcessId $PID -IncludeChildren -Duration 8" { /usr/bin/python3 -c $client }
        $l = @($r.Output | Where-Object Host -eq $name)
        $l.Count | Should -Be 1
        $l[0].ReturnValue | Should -BeLessThan 0
        $l[0].Error | Should -BeIn 'EAI_NONAME', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA'
        $l[0].Result | Should -BeNullOrEmpty
        $l[0].Connections.Count | Should -Be 0
    }

    It 'does not count a connection to another address' {
        if (Skip-UnlessLive) { return }
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        try {
            # Looks up localhost but connects to 127.0.0.2 (also loopback on Linux, but not what the lookup returned).
            $client = "import socket`nsocket.getaddrinfo('localhost', $port, socket.AF_INET)`ns = socket.socket()`ntry: s.connect(('127.0.0.2', $port))`nexcept OSError: pass`ns.close()"
            $r = Invoke-WatchRun "Watch-HostLookup -ProcessId $PID -IncludeChildren -Duration 8" { /usr/bin/python3 -c $client }
        }
        finally { $listener.Stop() }
        $l = @($r.Output | Where-Object { $_.Host -eq 'localhost' -and $_.Service -eq "$port" })
        $l.Count | Should -Be 1
        $l[0].Result | Should -Be '127.0.0.1'
        $l[0].Connections.Count | Should -Be 0
    }
}

Describe 'Watch-HostLookup -OutFile and -Path' {
    It 'reads its own capture back into the same records' {
        if (Skip-UnlessLive) { return }
        $name = "pstrace-$([guid]::NewGuid().ToString('N')).invalid"
        $client = "import socket`ntry: socket.getaddrinfo('$name', 80)`nexcept OSError: pass`ntry: socket.getaddrinfo('localhost', 80)`nexcept OSError: pass"
        $t = Invoke-WatchRoundTrip "Watch-HostLookup -ProcessId $PID -IncludeChildren -Duration 8" { /usr/bin/python3 -c $client }
        try {
            @($t.Live | Where-Object Host -eq $name).Count | Should -Be 1
            $t.Saved.Count | Should -Be $t.Live.Count
            ($t.Saved | ForEach-Object { ConvertTo-RecordKey $_ }) -join "`n" | Should -Be (($t.Live | ForEach-Object { ConvertTo-RecordKey $_ }) -join "`n")
        }
        finally { Remove-Item $t.File -ErrorAction Ignore }
    }

    It 'gives nothing or a clear error, without hanging, for an empty file, another tool''s events and a damaged trace.dat' {
        if (Skip-UnlessLive) { return }
        Assert-WatchPathOnForeignInput 'Watch-HostLookup'
    }
}
