# Shared by the Pester files of the BPF backends: the BPF gate, test programs built with gcc, and the check that
# no BPF program or map of PSTrace is left, by the ids a process held (/proc/PID/fdinfo) and bpftool.
Set-StrictMode -Version Latest
Import-Module "$PSScriptRoot/TestHelpers.psm1"

# Skips the current It unless the live kernel and BPF can be used; under CI=true BPF must be there.
function Skip-UnlessBpf {
    if (Skip-UnlessLive) { return $true }
    $bpf = Get-TraceCapability Bpf
    if ($bpf.Available) { return $false }
    if ($env:CI -eq 'true') { throw "CI=true but BPF is not available: $($bpf.Detail)" }
    Set-ItResult -Skipped -Because "BPF is not available: $($bpf.Detail)"
    $true
}

# A folder for the test programs of one file.
function New-TestProgramFolder {
    $dir = Join-Path ([IO.Path]::GetTempPath()) "pstrace-bpf-tests-$PID-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory $dir -Force | Out-Null
    $dir
}

# Compiles a C program with gcc (extra options such as -static) into $Folder.
function New-TestProgram([string] $Folder, [string] $Name, [string] $Source, [string[]] $Options = @()) {
    $c = Join-Path $Folder "$Name.c"
    $exe = Join-Path $Folder $Name
    Set-Content -Path $c -Value $Source
    gcc -O1 @Options -o $exe $c 2>&1 | Out-String | Write-Verbose
    if ($LASTEXITCODE -ne 0) { throw "gcc could not build $Name" }
    $exe
}

# The BPF programs and maps a process holds descriptors of ("prog_id 12", "map_id 7"), from /proc/PID/fdinfo.
function Get-HeldBpfObject([int] $ProcessId) {
    Get-ChildItem "/proc/$ProcessId/fdinfo" -ErrorAction Ignore |
        ForEach-Object { Get-Content $_.FullName -ErrorAction Ignore } |
        Where-Object { $_ -match '^(prog_id|map_id):\s+(\d+)$' } |
        ForEach-Object { "$($Matches[1]) $($Matches[2])" } | Sort-Object -Unique
}

# True while the kernel still has the program or map ("prog_id 12"): bpftool finds it by id.
function Test-BpfObjectLoaded([string] $Held) {
    $kind, $id = $Held -split ' '
    bpftool ($kind -eq 'prog_id' ? 'prog' : 'map') show id $id *> $null
    $LASTEXITCODE -eq 0
}

# Waits (the kernel frees a program after an RCU grace period) until none of $Held is loaded; returns those still loaded.
function Wait-BpfObjectGone([string[]] $Held, [int] $TimeoutSeconds = 10) {
    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
    do {
        $left = @($Held | Where-Object { Test-BpfObjectLoaded $_ })
        if ($left.Count -eq 0) { return @() }
        Start-Sleep -Milliseconds 200
    } while ([datetime]::UtcNow -lt $deadline)
    $left
}

# The names bpftool gives the programs of $Held: PSTrace's all start with pstrace_.
function Get-BpfProgramName([string[]] $Held) {
    $Held | Where-Object { $_ -like 'prog_id *' } | ForEach-Object {
        (bpftool prog show id ($_ -split ' ')[1] -j | ConvertFrom-Json).name
    }
}

Export-ModuleMember -Function Skip-UnlessBpf, New-TestProgramFolder, New-TestProgram, Get-HeldBpfObject, Wait-BpfObjectGone, Get-BpfProgramName
