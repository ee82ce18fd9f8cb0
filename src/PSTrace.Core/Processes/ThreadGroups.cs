using System.Globalization;

namespace PSTrace.Core.Processes;

/// <summary>Threads and thread groups from /proc: the threads of a process, and the process of a thread.</summary>
public static class ThreadGroups
{
    /// <summary>Every thread id of process <paramref name="processId"/>; empty when it does not exist.</summary>
    public static IReadOnlyList<int> ThreadsOf(int processId)
    {
        string dir = string.Create(CultureInfo.InvariantCulture, $"/proc/{processId}/task");
        try
        {
            return Directory.GetDirectories(dir)
                .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out int tid) ? tid : 0)
                .Where(tid => tid > 0)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The process (Tgid) of thread <paramref name="threadId"/>, or null when it is gone.</summary>
    public static int? ProcessOf(int threadId) => StatusField(threadId, "Tgid:");

    /// <summary>The parent process (PPid) of <paramref name="processId"/>, or null when it is gone.</summary>
    public static int? ParentOf(int processId) => StatusField(processId, "PPid:");

    /// <summary>The comm of <paramref name="processId"/>, or null when it is gone.</summary>
    public static string? CommandOf(int processId)
    {
        try
        {
            return File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{processId}/comm")).TrimEnd('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int? StatusField(int id, string key)
    {
        try
        {
            foreach (string line in File.ReadLines(string.Create(CultureInfo.InvariantCulture, $"/proc/{id}/status")))
            {
                if (line.StartsWith(key, StringComparison.Ordinal)
                    && int.TryParse(line.AsSpan(key.Length).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int value))
                {
                    return value;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }
}
