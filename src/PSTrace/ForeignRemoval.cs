using System.Management.Automation;
using System.Management.Automation.Host;

namespace PSTrace;

/// <summary>
/// PSTrace's promise is that it never touches what it did not make unless told to: removing another
/// tool's instance or probe (or one made by hand) asks first, even under -Confirm:$false, unless -Force.
/// A host that cannot ask (a script run without a console) gets an error naming -Force, and nothing is removed.
/// </summary>
internal static class ForeignRemoval
{
    /// <summary>Whether to go on removing <paramref name="target"/>, which PSTrace did not make.</summary>
    /// <param name="what">What it is, for the question ("instance bystander").</param>
    public static bool Allowed(PSCmdlet cmdlet, bool force, string what, object target)
    {
        if (force)
        {
            cmdlet.WriteVerbose($"Removing {what}, which PSTrace did not make, as -Force says.");
            return true;
        }

        string query = $"PSTrace did not make {what}: it belongs to another tool or was made by hand, and what uses it stops working. Remove it anyway?";
        try
        {
            return cmdlet.ShouldContinue(query, "Remove what PSTrace did not make");
        }
        catch (Exception e) when (e is HostException or PSInvalidOperationException or NotImplementedException or PSNotImplementedException)
        {
            cmdlet.WriteError(NotOurs(what, target, "This host cannot ask"));
            return false;
        }
    }

    /// <summary>The error for a foreign object that was not removed; <paramref name="why"/> says why no question could settle it.</summary>
    public static ErrorRecord NotOurs(string what, object target, string why)
    {
        string message = $"{why}, so {what}, which PSTrace did not make, was not removed.";
        return new ErrorRecord(new InvalidOperationException(message), "NotMadeByPSTrace", ErrorCategory.PermissionDenied, target)
        {
            ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Add -Force to remove it without asking, if it is no longer used." },
        };
    }
}
