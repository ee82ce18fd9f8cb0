# Watch-BlockIo -Histogram (biolatency): N direct writes to a loop device of its own become buckets whose counts add
# up to N, counted in the kernel (-Backend Bpf) or here from the tracefs records (-Backend Tracefs). The loop
# device is the test's alone (nothing else does I/O to it), so the count is exact.
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
    Import-Module "$PSScriptRoot/BpfTestHelpers.psm1" -Force

    # A loop device over a 16 MB file, and its name (loop3); $null where loop devices cannot be made.
    function New-LoopDevice {
        if (-not (Get-Command losetup -ErrorAction Ignore)) { return $null }
        if (-not (Test-Path /dev/loop-control)) { modprobe loop 2>$null }
        $image = "/var/tmp/pstrace-bio-hist-$([guid]::NewGuid().ToString('N')).img"
        /usr/bin/truncate -s 16M $image
        $dev = losetup -f --show $image 2>$null
        if ($LASTEXITCODE -ne 0 -or -not $dev) { Remove-Item $image; return $null }
        # udev's look at a new device (blkid) is done before the watch starts.
        if (Get-Command udevadm -ErrorAction Ignore) { udevadm settle 2>$null }
        Start-Sleep -Milliseconds 500
        [pscustomobject]@{ Image = $image; Path = $dev; Name = Split-Path $dev -Leaf }
    }

    function Remove-LoopDevice($Loop) {
        losetup -d $Loop.Path
        Remove-Item $Loop.Image -ErrorAction Ignore
    }

    # $Count writes of 4 KB with O_DIRECT: one request each, none answered by the page cache.
    function Write-Direct($Loop, [int] $Count) { /bin/dd if=/dev/zero of=$($Loop.Path) bs=4k count=$Count oflag=direct 2>$null }
}

Describe 'Watch-BlockIo -Histogram' {
    BeforeAll {
        if (-not (Get-LiveSkipReason)) { $script:loop = New-LoopDevice }
    }

    AfterAll {
        if ($script:loop) { Remove-LoopDevice $script:loop }
    }

    AfterEach {
        if (-not (Get-LiveSkipReason)) {
            Get-OwnSessionInstance | Should -BeNullOrEmpty
            Get-HeldBpfObject $PID | Should -BeNullOrEmpty
        }
    }

    It 'counts every one of 40 direct writes, <Backend> backend' -Tag LaneToo -ForEach @(
        @{ Backend = 'Bpf'; Says = 'Backend: BPF program blockio\.bpf\.o' }
        @{ Backend = 'Tracefs'; Says = '-Histogram counts here, from each request''s tracefs record' }
    ) {
        if ($Backend -eq 'Bpf') { if (Skip-UnlessBpf) { return } } elseif (Skip-UnlessLive) { return }
        if (-not $script:loop) { Set-ItResult -Skipped -Because 'no loop device could be made (losetup)'; return }
        $r = Invoke-WatchRun "Watch-BlockIo -Histogram -Backend $Backend -Device $($script:loop.Name) -Duration 6" { Write-Direct $script:loop 40 }
        $buckets = @($r.Output)
        $buckets.Count | Should -BeGreaterThan 0
        $buckets | ForEach-Object { $_ | Should -BeOfType PSTrace.Core.Records.HistogramBucket }
        ($buckets | Measure-Object Count -Sum).Sum | Should -Be 40
        $buckets[0].Histogram | Should -Be 'Latency (us)'
        $buckets[0].Unit | Should -Be 'us'
        $buckets[0].Group | Should -BeNullOrEmpty
        $buckets[0].Count | Should -BeGreaterThan 0 -Because 'the first bucket is the first with values'
        $buckets[-1].Count | Should -BeGreaterThan 0
        for ($i = 1; $i -lt $buckets.Count; $i++) { $buckets[$i].Low | Should -Be $buckets[$i - 1].High -Because 'the buckets follow each other' }
        ($r.Verbose.Message -join "`n") | Should -Match $Says
        $r.Warnings | Should -BeNullOrEmpty
    }

    It 'draws one histogram per disk with -PerDisk, <Backend> backend' -ForEach @(@{ Backend = 'Bpf' }, @{ Backend = 'Tracefs' }) {
        if ($Backend -eq 'Bpf') { if (Skip-UnlessBpf) { return } } elseif (Skip-UnlessLive) { return }
        if (-not $script:loop) { Set-ItResult -Skipped -Because 'no loop device could be made (losetup)'; return }
        $r = Invoke-WatchRun "Watch-BlockIo -Histogram -PerDisk -Backend $Backend -Device $($script:loop.Name) -Duration 5" { Write-Direct $script:loop 12 }
        $buckets = @($r.Output)
        ($buckets.Group | Sort-Object -Unique) | Should -Be $script:loop.Name
        ($buckets | Measure-Object Count -Sum).Sum | Should -Be 12
        ($buckets | Out-String -Width 80) | Should -Match "Latency \(us\) for $($script:loop.Name)"
    }

    It 'refuses -Histogram without -Duration, with -MaxEvents, -PerDisk or -Backend Bpf without -Histogram, and -Backend Bpf with -Name' {
        foreach ($case in @(
                @{ Line = 'Watch-BlockIo -Histogram'; Id = 'HistogramWithoutDuration' }
                @{ Line = 'Watch-BlockIo -Histogram -Duration 1 -MaxEvents 3'; Id = 'HistogramWithMaxEvents' }
                @{ Line = 'Watch-BlockIo -PerDisk -Duration 1'; Id = 'HistogramParameterWithoutHistogram' }
                @{ Line = 'Watch-BlockIo -Backend Bpf -Duration 1'; Id = 'HistogramParameterWithoutHistogram' }
                @{ Line = 'Watch-BlockIo -Histogram -Backend Bpf -Name dd -Duration 1'; Id = 'BackendBpfParameter' })) {
            $err = $null
            try { Invoke-Expression "$($case.Line) -ErrorAction Stop" | Out-Null } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -BeLike "$($case.Id)*" -Because $case.Line
            $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        }
        Get-HeldBpfObject $PID | Should -BeNullOrEmpty
    }

    It 'refuses a device that does not exist before loading anything' {
        if (Skip-UnlessBpf) { return }
        { Watch-BlockIo -Histogram -Backend Bpf -Device nosuchdisk -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId 'BlockDeviceNotFound*'
    }
}
