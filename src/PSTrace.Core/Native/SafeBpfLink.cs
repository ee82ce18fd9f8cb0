using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

/// <summary>An attached program (struct bpf_link *): detached by bpf_link__destroy, called once.</summary>
internal sealed class SafeBpfLink : SafeHandle
{
    public SafeBpfLink(IntPtr link) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(link);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => LibBpf.LinkDestroy(handle) == 0;
}
