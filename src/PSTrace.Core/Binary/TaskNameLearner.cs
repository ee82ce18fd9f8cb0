using System.Text;

namespace PSTrace.Core.Binary;

/// <summary>
/// Task names learnt from the trace itself, for a live reader. Binary records carry only a pid, and the
/// kernel's saved_cmdlines can have dropped or not yet saved a short-lived task's comm by the time it is
/// read (under load a third of such a task's events came out as &lt;...&gt;). Events that carry a comm
/// say it exactly, at that moment: sched_process_fork names the child, sched_process_exec the program
/// it became, sched_switch both tasks, and any event with pid and comm fields (sched_wakeup,
/// sched_process_exit, task_newtask...) its task. Records are decoded in time order, so a name learnt
/// from one applies to every later record of that pid, until the next event names it again.
/// </summary>
/// <remarks>
/// The kernel's cache comes first where it has the pid: the text path prints that name, and both paths
/// give the same Command for the same event. Learnt names fill what it lacks (&lt;...&gt;).
/// </remarks>
internal sealed class TaskNameLearner
{
    /// <summary>The kernel keeps comm in 16 bytes with its NUL (TASK_COMM_LEN).</summary>
    private const int CommBytes = 15;

    private readonly Dictionary<int, string> _names = new();
    private NameSource[]?[] _sources = [];

    /// <summary>Pids named so far.</summary>
    public int Count => _names.Count;

    public bool TryGet(int pid, out string comm) => _names.TryGetValue(pid, out comm!);

    /// <summary>Takes the names an event of <paramref name="format"/> carries, before its own task is named.</summary>
    public void Learn(int formatId, CompiledFormat format, object?[] values)
    {
        NameSource[] sources = SourcesOf(formatId, format);
        foreach (NameSource s in sources)
        {
            if (values[s.Pid] is long pid && pid > 0 && values[s.Comm] is string comm && comm.Length > 0)
            {
                _names[(int)pid] = s.IsPath ? CommOf(comm) : comm;
            }
        }
    }

    private NameSource[] SourcesOf(int id, CompiledFormat format)
    {
        if ((uint)id < (uint)_sources.Length && _sources[id] is { } known)
        {
            return known;
        }

        if (id >= _sources.Length)
        {
            Array.Resize(ref _sources, Math.Max(id + 1, _sources.Length * 2));
        }

        return _sources[id] = Find(format);
    }

    private static NameSource[] Find(CompiledFormat format)
    {
        FieldNames f = format.Names;
        var found = new List<NameSource>();
        void Add(string pid, string comm, bool isPath = false)
        {
            int p = f.IndexOf(pid), c = f.IndexOf(comm);
            if (p >= 0 && c >= 0)
            {
                found.Add(new NameSource(p, c, isPath));
            }
        }

        switch (format.Format.System, format.Format.Name)
        {
            case ("sched", "sched_process_exec"):
                Add("pid", "filename", isPath: true);
                break;
            case ("task", "task_rename"):
                // Recorded before the rename: the task still bears its old name; the exec that follows gives the new one.
                Add("pid", "oldcomm");
                break;
            case ("sched", "sched_process_wait"):
                // Its comm is the waiting task's, its pid the one waited for: they do not belong together.
                break;
            default:
                Add("parent_pid", "parent_comm");
                Add("child_pid", "child_comm");
                Add("prev_pid", "prev_comm");
                Add("next_pid", "next_comm");
                Add("pid", "comm");
                break;
        }

        return found.ToArray();
    }

    /// <summary>What exec makes a task's comm: the file name's last part, cut to 15 bytes.</summary>
    private static string CommOf(string path)
    {
        string name = path[(path.LastIndexOf('/') + 1)..];
        if (Encoding.UTF8.GetByteCount(name) <= CommBytes)
        {
            return name;
        }

        byte[] bytes = Encoding.UTF8.GetBytes(name);
        int cut = CommBytes;
        while (cut > 0 && (bytes[cut] & 0xc0) == 0x80)
        {
            cut--;
        }

        return Encoding.UTF8.GetString(bytes, 0, cut);
    }

    private readonly record struct NameSource(int Pid, int Comm, bool IsPath);
}
