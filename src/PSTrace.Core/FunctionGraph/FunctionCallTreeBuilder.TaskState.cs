using System.Diagnostics.CodeAnalysis;
using PSTrace.Core.Records;
using PSTrace.Core.Text;

namespace PSTrace.Core.FunctionGraph;

/// <summary>What the builder keeps per task: its open calls and the calls waiting for a parent.</summary>
public sealed partial class FunctionCallTreeBuilder
{
    // Which stack a record goes on: a task by pid; pid 0 (each CPU's idle task) by CPU too;
    // a task not named yet (Pid = NoPid) by the CPU it runs on.
    private readonly record struct TaskKey(int Pid, int Cpu)
    {
        public static TaskKey For(int pid, int? cpu) => new(pid, pid == 0 ? cpu ?? -1 : -1);
    }

    private sealed class TaskState
    {
        public TaskState(int? pid, string? command)
        {
            Pid = pid;
            Command = command;
        }

        public int? Pid { get; private set; }
        public string? Command { get; set; }
        public int? LastCpu { get; set; }
        public List<FunctionCall> Open { get; } = new();
        public List<FunctionCall> Waiting { get; } = new();

        /// <summary>The call a sibling's entry closed as exit-lost last; its exit may still come (see TryRevive).</summary>
        public FunctionCall? Cut { get; set; }

        // The task behind an unnamed stack became known: name the calls not handed out yet.
        public void Name(int pid, string? command)
        {
            Pid = pid;
            Command = command;
            foreach (FunctionCall call in Open.Take(1).Concat(Waiting).SelectMany(c => c.GetDescendantsAndSelf()))
            {
                if (call.ProcessId is null)
                {
                    call.ProcessId = pid;
                    call.Command = command;
                }
            }
        }
    }
}
