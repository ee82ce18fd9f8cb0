using System.Runtime.InteropServices;

namespace PSTrace.Core.Native;

/// <summary>A libc call failed: names the function and the errno so the cause is never guessed.</summary>
public sealed class NativeException : IOException
{
    public NativeException(string function, int errno, string? path = null)
        : base($"{function}({path}) failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})")
    {
        Function = function;
        Errno = errno;
        Path = path;
    }

    public string Function { get; }
    public int Errno { get; }
    public string? Path { get; }

    /// <summary>The libc error text without the function name, e.g. "Invalid argument".</summary>
    public string ErrorText => Marshal.GetPInvokeErrorMessage(Errno);
}
