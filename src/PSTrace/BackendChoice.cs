using System.Management.Automation;
using PSTrace.Core.Bpf;
using PSTrace.Core.Tools;
using PSTrace.Core.Tracefs;

namespace PSTrace;

/// <summary>
/// -Backend of the Watch-* tools that have a BPF backend: Auto takes BPF where this machine can load PSTrace's
/// programs and no tracefs-only parameter was given; Bpf insists (a clear error when it cannot be had); Tracefs
/// keeps today's events and probes. -Verbose says which runs and why.
/// </summary>
internal static class BackendChoice
{
    /// <summary>The parameters only the tracefs backend has.</summary>
    private static readonly string[] TracefsOnly = ["Path", "OutFile", "BufferSizeKb"];

    /// <summary>Why the BPF backend of the Watch-* tools that read a ring buffer has no use for the tracefs-only parameters.</summary>
    private const string RingBufferReason = "the BPF backend reads a ring buffer live, with no trace.dat pages to save or read, no tracefs buffer to size.";

    /// <summary>-Backend Bpf with a tracefs-only parameter given on the command line: an error before any input.</summary>
    /// <param name="tracefsOnly">The cmdlet's tracefs-only parameters, with why; null for those of the ring-buffer tools.</param>
    public static void CheckEarly(PSCmdlet cmdlet, WatchBackend backend, (string[] Names, string Why)? tracefsOnly = null)
    {
        if (backend == WatchBackend.Bpf)
        {
            RefuseTracefsOnly(cmdlet, TracefsOnlyGiven(cmdlet, [], tracefsOnly?.Names), tracefsOnly?.Why);
        }
    }

    /// <summary>
    /// At the end of the input: true to run the BPF backend. Checked again here, since process ids piped in
    /// (Get-Process | Watch-Exec) are bound only after BeginProcessing.
    /// </summary>
    public static bool Choose(PSCmdlet cmdlet, WatchBackend backend, int[] processIds, (string[] Names, string Why)? tracefsOnly = null)
    {
        IReadOnlyList<string> given = TracefsOnlyGiven(cmdlet, processIds, tracefsOnly?.Names);
        if (backend == WatchBackend.Bpf)
        {
            RefuseTracefsOnly(cmdlet, given, tracefsOnly?.Why);
        }

        return UsesBpf(cmdlet, backend, BpfCapability.Machine, given);
    }

    private static string[] TracefsOnlyGiven(PSCmdlet cmdlet, int[] processIds, string[]? tracefsOnly) =>
        (tracefsOnly ?? TracefsOnly).Where(p => cmdlet.MyInvocation.BoundParameters.ContainsKey(p) || (p == "ProcessId" && processIds.Length > 0)).ToArray();

    /// <summary>-Backend Bpf with a parameter only the tracefs backend has: a terminating error naming it.</summary>
    private static void RefuseTracefsOnly(PSCmdlet cmdlet, IReadOnlyList<string> tracefsOnly, string? why)
    {
        if (tracefsOnly.Count > 0)
        {
            string names = string.Join(", ", tracefsOnly.Select(p => "-" + p));
            cmdlet.ThrowTerminatingError(ErrorRecords.Parameter("BackendBpfParameter",
                $"{names} work with the tracefs backend only: {why ?? RingBufferReason}",
                names, $"Leave out -Backend Bpf (Auto then uses tracefs for {names}), or leave out {names}."));
        }
    }

    /// <summary>True when the live watch should run the BPF backend; says why in -Verbose, and warns when Auto falls back for want of BPF.</summary>
    private static bool UsesBpf(PSCmdlet cmdlet, WatchBackend backend, BpfCapability capability, IReadOnlyList<string> tracefsOnly)
    {
        if (backend == WatchBackend.Tracefs)
        {
            cmdlet.WriteVerbose("Backend Tracefs, as -Backend asks.");
            return false;
        }

        if (backend == WatchBackend.Auto && tracefsOnly.Count > 0)
        {
            cmdlet.WriteVerbose($"Backend Tracefs: {string.Join(", ", tracefsOnly.Select(p => "-" + p))} work with the tracefs backend only.");
            return false;
        }

        TraceFeature bpf = capability.Probe();
        if (bpf.Available)
        {
            cmdlet.WriteVerbose($"Backend Bpf{(backend == WatchBackend.Auto ? " (Auto: Get-TraceCapability Bpf says it is available)" : "")}: {bpf.Detail}.");
            return true;
        }

        if (backend == WatchBackend.Bpf)
        {
            var e = new TraceException(TraceErrorKind.NotSupported, "BpfNotSupported", $"-Backend Bpf: BPF is not available: {bpf.Detail}.", bpf.Fix, BpfCapability.FeatureName);
            cmdlet.ThrowTerminatingError(ErrorRecords.From(e));
        }

        cmdlet.WriteWarning($"BPF is not available ({bpf.Detail}); using the tracefs backend. {bpf.Fix}");
        return false;
    }
}
