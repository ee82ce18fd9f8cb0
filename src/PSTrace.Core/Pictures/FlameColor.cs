using System.Globalization;

namespace PSTrace.Core.Pictures;

/// <summary>
/// The warm colours flame graphs are known by (red to yellow), picked from the frame's name, so a function
/// has the same colour wherever it appears and in every graph.
/// </summary>
internal static class FlameColor
{
    /// <summary>"rgb(r,g,b)" for the name; the root is a quiet grey-red so the eye goes to the frames above it.</summary>
    public static string Of(string name, bool isRoot)
    {
        if (isRoot)
        {
            return "rgb(200,120,110)";
        }

        // FNV-1a: a stable hash (string.GetHashCode changes from run to run), spread over three channels.
        uint hash = 2166136261;
        foreach (char c in name)
        {
            hash = (hash ^ c) * 16777619;
        }

        double red = (hash & 0xFF) / 255.0;
        double green = ((hash >> 8) & 0xFF) / 255.0;
        double blue = ((hash >> 16) & 0xFF) / 255.0;
        return string.Create(CultureInfo.InvariantCulture,
            $"rgb({205 + (int)(50 * red)},{(int)(230 * green)},{(int)(55 * blue)})");
    }
}
