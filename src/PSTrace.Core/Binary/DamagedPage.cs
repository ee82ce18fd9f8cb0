using System.Globalization;

namespace PSTrace.Core.Binary;

/// <summary>A ring-buffer page of a saved file that could not be decoded, and was skipped.</summary>
/// <param name="Cpu">The CPU whose data holds the page.</param>
/// <param name="PageOffset">Where the page starts: in the file, or in the decompressed data of a compressed CPU.</param>
/// <param name="Offset">Where the damage was found, in the same terms.</param>
/// <param name="Reason">What was wrong.</param>
public sealed record DamagedPage(int Cpu, long PageOffset, long Offset, string Reason)
{
    public string Message => string.Create(CultureInfo.InvariantCulture,
        $"CPU {Cpu}'s page at offset 0x{PageOffset:x} cannot be decoded ({Reason} at offset 0x{Offset:x}): what it held is lost, and a TraceLostEvents record marks the gap.");
}
