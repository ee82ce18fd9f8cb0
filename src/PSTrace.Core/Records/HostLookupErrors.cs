using System.Globalization;

namespace PSTrace.Core.Records;

/// <summary>getaddrinfo's EAI_* codes (glibc netdb.h).</summary>
public static class HostLookupErrors
{
    public static string NameOf(int code) => code switch
    {
        -1 => "EAI_BADFLAGS",
        -2 => "EAI_NONAME",
        -3 => "EAI_AGAIN",
        -4 => "EAI_FAIL",
        -5 => "EAI_NODATA",
        -6 => "EAI_FAMILY",
        -7 => "EAI_SOCKTYPE",
        -8 => "EAI_SERVICE",
        -9 => "EAI_ADDRFAMILY",
        -10 => "EAI_MEMORY",
        -11 => "EAI_SYSTEM",
        -12 => "EAI_OVERFLOW",
        _ => "EAI " + code.ToString(CultureInfo.InvariantCulture),
    };
}
