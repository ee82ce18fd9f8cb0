using System.Globalization;
using System.Text.RegularExpressions;

namespace PSTrace.Core.Tracefs;

/// <summary>Rules for instance names, and the names PSTrace sessions give their own instances.</summary>
public static partial class InstanceName
{
    public const string SessionPrefix = "pstrace-";

    [GeneratedRegex("^[A-Za-z0-9_.+-]{1,64}$")]
    private static partial Regex Valid();

    [GeneratedRegex("^pstrace-(?<pid>[0-9]+)-(?<n>[0-9]+)$")]
    private static partial Regex Session();

    /// <summary>Throws when a name could escape instances/ or is not something mkdir should see.</summary>
    public static void Validate(string name)
    {
        if (!Valid().IsMatch(name) || name is "." or "..")
        {
            throw new TraceException(TraceErrorKind.InvalidArgument, "InvalidInstanceName",
                $"'{name}' is not a valid instance name.", "Use 1 to 64 letters, digits, '_', '.', '+' or '-' (no '/', no spaces).", name);
        }
    }

    public static string ForSession(int processId, int sequence) => string.Create(CultureInfo.InvariantCulture, $"{SessionPrefix}{processId}-{sequence}");

    /// <summary>The owning process of a session instance, or null for an instance a session did not make.</summary>
    public static int? OwnerOf(string name)
    {
        Match m = Session().Match(name);
        return m.Success && int.TryParse(m.Groups["pid"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;
    }
}
