# Measure-TraceLatency where the kernel has no latency tracer (neither 6.18 here nor the lane's 6.1 has
# one): a terminating error that names the config option and what to use instead, leaving nothing behind.
BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-PSTraceUnderTest
}

Describe 'Measure-TraceLatency on a kernel without latency tracers' {
    It '<Tracer> names <Config>' -ForEach @(
        @{ Tracer = 'irqsoff'; Config = 'CONFIG_IRQSOFF_TRACER'; Instead = 'preemptirq:irq_disable' }
        @{ Tracer = 'preemptoff'; Config = 'CONFIG_PREEMPT_TRACER'; Instead = 'preemptirq' }
        @{ Tracer = 'preemptirqsoff'; Config = 'CONFIG_IRQSOFF_TRACER and CONFIG_PREEMPT_TRACER'; Instead = 'preemptirq' }
        @{ Tracer = 'wakeup'; Config = 'CONFIG_SCHED_TRACER'; Instead = 'sched:sched_waking' }
        @{ Tracer = 'wakeup_rt'; Config = 'CONFIG_SCHED_TRACER'; Instead = 'sched:sched_switch' }
    ) {
        if (Skip-UnlessLive) { return }
        if ((Get-TraceCapability -Name "Tracer:$Tracer" -NoTracerCheck).Available) { Set-ItResult -Skipped -Because "this kernel has $Tracer"; return }
        $id = (Get-Culture).TextInfo.ToTitleCase(($Tracer -replace '_', ' ')) -replace ' ', ''
        $err = { Measure-TraceLatency -Tracer $Tracer -Duration 1 -ErrorAction Stop } | Should -Throw -ErrorId "${id}TracerNotSupported*" -PassThru
        $err.Exception.Message | Should -Be "The $Tracer tracer is not available on this kernel: not built in ($Config)."
        $err.CategoryInfo.Category | Should -Be 'NotImplemented'
        $err.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape($Instead))
        Get-OwnSessionInstance | Should -BeNullOrEmpty
    }

    It 'takes only latency tracers' {
        { Measure-TraceLatency -Tracer function -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        { Measure-TraceLatency -Tracer irqsoff -Duration 0 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentTransformationError*'
    }
}

Describe 'The TraceLatency view' {
    It 'shows the worst case in a row, also deserialized' {
        $trace = Get-Content (Join-Path $PSScriptRoot '../fixtures/6.1/function-latency.txt') -Raw
        $hit = [PSTrace.Core.Records.FunctionHit]::new('do_sys_openat2', '__x64_sys_openat', 0, 403, $null, 'cat', 32120000, '0.....', $null)
        $record = [PSTrace.Core.Records.TraceLatency]::new('irqsoff', 16, 0, 'swapper/0', 0, '_raw_spin_lock_irq', '_raw_spin_unlock_irq', [PSTrace.Core.Records.FunctionHit[]]@($hit), $trace)
        $record.Latency | Should -Be ([timespan]::FromTicks(160))
        $text = $record | Format-Table | Out-String -Width 200
        $text | Should -Match 'irqsoff\s+16 us\s+swapper/0-0\s+_raw_spin_lock_irq\s+_raw_spin_unlock_irq'
        $file = Join-Path ([IO.Path]::GetTempPath()) "pstrace-latency-$PID.xml"
        try {
            $record | Export-Clixml $file
            $back = Import-Clixml $file
            $back.pstypenames | Should -Contain 'Deserialized.PSTrace.Core.Records.TraceLatency'
            ($back | Format-Table | Out-String -Width 200) | Should -Match 'irqsoff\s+16 us'
        }
        finally { Remove-Item $file -ErrorAction Ignore }
    }
}
