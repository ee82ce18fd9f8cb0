@{
    # The build stamps ModuleVersion from Directory.Build.props and ReleaseNotes from CHANGELOG.md
    # into the laid-out copy (out/PSTrace/<version>/).
    RootModule           = 'PSTrace.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Core')
    GUID                 = '6f1f7d0e-3c55-4d43-9a39-0b5c1e6a2f41'
    Author               = 'PSTrace contributors'
    Copyright            = '(c) PSTrace contributors. MIT License.'
    Description          = 'Linux kernel tracing (tracefs: tracepoints, uprobes, kprobes, function tracers) as typed objects in the PowerShell pipeline.'
    PowerShellVersion    = '7.4'
    FormatsToProcess     = @('PSTrace.format.ps1xml', 'PSTrace.Wide.format.ps1xml')
    # Loaded first, so that the adapter PSTrace.types.ps1xml names can be found when it is processed.
    RequiredAssemblies   = @('PSTrace.Core.dll', 'PSTrace.dll')
    TypesToProcess       = @('PSTrace.types.ps1xml')
    CmdletsToExport      = @(
        'Get-TraceCapability'
        'Get-TraceEventType'
        'Enable-TraceEvent'
        'Disable-TraceEvent'
        'Get-TraceEvent'
        'New-TraceInstance'
        'Get-TraceInstance'
        'Remove-TraceInstance'
        'Reset-Trace'
        'New-Kprobe'
        'New-Uprobe'
        'Get-TraceProbe'
        'Remove-TraceProbe'
        'Start-FunctionGraph'
        'Start-FunctionTrace'
        'Measure-TraceLatency'
        'Watch-Exec'
        'Watch-Open'
        'Watch-Syscall'
        'Watch-BlockIo'
        'Watch-Readline'
        'Watch-HostLookup'
        'Export-TraceTimeline'
        'Measure-TraceHistogram'
        'Export-FlameGraph'
        'Start-TraceProfile'
        'Measure-TraceEvent'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Linux', 'Tracing', 'ftrace', 'tracefs', 'kprobe', 'uprobe', 'perf')
            # The project has no public address yet: ProjectUri, LicenseUri and HelpInfoUri stay out
            # (PSResourceGet refuses empty ones). LICENSE ships in the module's folder.
            # build.ps1 replaces this with the version's section of CHANGELOG.md in the laid-out copy.
            ReleaseNotes = 'See CHANGELOG.md.'
        }
    }
}
