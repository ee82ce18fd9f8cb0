using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

/// <summary>A BPF object (struct bpf_object *): its programs and maps go with bpf_object__close, called once.</summary>
internal sealed class SafeBpfObject : SafeHandle
{
    public SafeBpfObject(IntPtr obj) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(obj);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        LibBpf.ObjectClose(handle);
        return true;
    }
}
