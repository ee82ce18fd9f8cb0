BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest

    # A 256 KB file on a disk (not tmpfs), written through to the device, and where it lies there: its disk,
    # and the disk sector of each 64 KB block (filefrag's physical block, in 512-byte sectors, plus the
    # partition's start). Reading it with O_DIRECT makes one request per block at those sectors. (The disk
    # itself may not be opened: containers and lockdown refuse that even to root.)
    function New-DiskFile {
        $path = "/var/tmp/pstrace-bio-$([guid]::NewGuid().ToString('N'))"
        $source = (findmnt -no SOURCE -T /var/tmp).Trim()
        if ($source -notlike '/dev/*' -or -not (Test-Path $source)) { return $null }
        /bin/dd if=/dev/urandom of=$path bs=64k count=8 conv=fsync 2>$null
        $extent = (filefrag -v $path | Select-String '^\s*0:\s+0\.\.\s*\d+:\s+(\d+)\.\.\s*\d+:\s+(\d+):').Matches
        if (-not $extent -or [int]$extent[0].Groups[2].Value -lt 128) { Remove-Item $path; return $null }
        $blockSize = [int](stat -f -c %S $path)
        $name = Split-Path $source -Leaf
        $parent = lsblk -no PKNAME $source 2>$null | Select-Object -First 1
        $start = 0
        if ($parent -and $parent.Trim()) { $start = [long](Get-Content "/sys/class/block/$name/start"); $name = $parent.Trim() }
        $first = $start + [long]$extent[0].Groups[1].Value * ($blockSize / 512)
        [pscustomobject]@{ Path = $path; Disk = $name; Sectors = @(0..7 | ForEach-Object { $first + $_ * 128 }) }
    }

    # Reads the first $Count 64 KB blocks of the file with O_DIRECT: the page cache cannot answer.
    function Read-Direct($File, [int] $Count) { /bin/dd if=$($File.Path) of=/dev/null bs=64k count=$Count iflag=direct 2>$null }
}

Describe 'Watch-BlockIo' {
    AfterEach {
        if (-not (Get-LiveSkipReason)) { Get-OwnSessionInstance | Should -BeNullOrEmpty }
    }

    It 'pairs O_DIRECT reads of a file from issue to completion, with device, sector, size and latencies' {
        if (Skip-UnlessLive) { return }
        $file = New-DiskFile
        if (-not $file) { Set-ItResult -Skipped -Because '/var/tmp is not on a block device, or the file is not in one piece'; return }
        try {
            $r = Invoke-WatchRun "Watch-BlockIo -Device $($file.Disk) -Duration 5" { Read-Direct $file 4 }
        }
        finally { Remove-Item $file.Path }
        $mine = @($r.Output | Where-Object { $_.Command -eq 'dd' -and $_.Sector -in $file.Sectors })
        $mine.Count | Should -Be 4
        ($mine.Sector | Sort-Object) -join ',' | Should -Be ($file.Sectors[0..3] -join ',')
        foreach ($io in $mine) {
            $io | Should -BeOfType PSTrace.Core.Records.BlockIoEvent
            $io.Device | Should -Be $file.Disk
            $io.DeviceNumber | Should -Be ((Get-Content "/sys/class/block/$($file.Disk)/dev").Trim() -replace ':', ',')
            $io.Operation | Should -Match '^R'
            $io.Bytes | Should -Be 65536
            $io.Latency | Should -BeGreaterThan ([timespan]::Zero)
            $io.Latency | Should -BeLessThan ([timespan]::FromSeconds(5))
            $io.Error | Should -BeNullOrEmpty
            $io.ProcessId | Should -BeGreaterThan 0
            if ((Get-Content "/sys/block/$($file.Disk)/queue/scheduler" -ErrorAction Ignore) -notmatch '\[none\]') {
                $io.QueueLatency | Should -BeGreaterOrEqual ([timespan]::Zero) -Because 'a request goes through the I/O scheduler (block_rq_insert)'
            }
        }
        @($r.Output | Where-Object { $_ -is [PSTrace.Core.Records.BlockIoEvent] -and $_.Device -ne $file.Disk }).Count | Should -Be 0
        ($r.Verbose.Message -join "`n") | Should -Match 'block_rq_issue with filter dev == \d+'
    }

    It 'two watches side by side both see every request' {
        if (Skip-UnlessLive) { return }
        $file = New-DiskFile
        if (-not $file) { Set-ItResult -Skipped -Because '/var/tmp is not on a block device, or the file is not in one piece'; return }
        $a = Start-InRunspace "Watch-BlockIo -Device $($file.Disk) -Duration 5 -Verbose"
        $b = Start-InRunspace "Watch-BlockIo -Device $($file.Disk) -Duration 5 -Verbose"
        try {
            Wait-WatchReady $a
            Wait-WatchReady $b
            Read-Direct $file 8
            foreach ($run in $a, $b) {
                $seen = @($run.PowerShell.EndInvoke($run.Handle) | Where-Object { $_.Command -eq 'dd' -and $_.Sector -in $file.Sectors })
                $seen.Count | Should -Be 8
            }
        }
        finally { $a.PowerShell.Dispose(); $b.PowerShell.Dispose(); Remove-Item $file.Path }
    }

    It 'keeps the requests of the watched processes only' {
        if (Skip-UnlessLive) { return }
        $file = New-DiskFile
        if (-not $file) { Set-ItResult -Skipped -Because '/var/tmp is not on a block device, or the file is not in one piece'; return }
        try {
            $r = Invoke-WatchRun "Watch-BlockIo -ProcessId $PID -IncludeChildren -Duration 5" { Read-Direct $file 2 }
        }
        finally { Remove-Item $file.Path }
        $ios = @($r.Output | Where-Object { $_ -is [PSTrace.Core.Records.BlockIoEvent] })
        @($ios | Where-Object { $_.Command -eq 'dd' -and $_.Sector -in $file.Sectors }).Count | Should -Be 2
        @($ios | Where-Object { $_.Command -ne 'dd' -and $_.ProcessId -ne $PID }).Count | Should -Be 0
    }

    It 'refuses a process that does not exist, with and without -Histogram, creating nothing' {
        if (Skip-UnlessLive) { return }
        { Watch-BlockIo -ProcessId 999999999 -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'ProcessNotFound*'
        { Watch-BlockIo -Histogram -ProcessId 999999999 -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'ProcessNotFound*'
        Get-OwnSessionInstance | Should -BeNullOrEmpty
    }

    It 'refuses a device that does not exist' {
        if (Skip-UnlessLive) { return }
        { Watch-BlockIo -Device nosuchdisk -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'BlockDeviceNotFound*'
        Get-OwnSessionInstance | Should -BeNullOrEmpty
    }
}

Describe 'Watch-BlockIo -OutFile and -Path' {
    It 'reads its own capture back into the same records' {
        if (Skip-UnlessLive) { return }
        $file = New-DiskFile
        if (-not $file) { Set-ItResult -Skipped -Because '/var/tmp is not on a block device, or the file is not in one piece'; return }
        try {
            $t = Invoke-WatchRoundTrip "Watch-BlockIo -Device $($file.Disk) -Duration 5" { Read-Direct $file 4 } -PathArguments "-Device $($file.Disk)"
            @($t.Live | Where-Object { $_.Command -eq 'dd' -and $_.Sector -in $file.Sectors }).Count | Should -Be 4
            $t.Saved.Count | Should -Be $t.Live.Count
            ($t.Saved | ForEach-Object { ConvertTo-RecordKey $_ }) -join "`n" | Should -Be (($t.Live | ForEach-Object { ConvertTo-RecordKey $_ }) -join "`n")
        }
        finally { Remove-Item $file.Path -ErrorAction Ignore; if ($t) { Remove-Item $t.File -ErrorAction Ignore } }
    }

    It 'gives nothing or a clear error, without hanging, for an empty file, another tool''s events and a damaged trace.dat' {
        if (Skip-UnlessLive) { return }
        Assert-WatchPathOnForeignInput 'Watch-BlockIo'
    }
}
