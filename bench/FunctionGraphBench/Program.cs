using BenchmarkDotNet.Running;

namespace FunctionGraphBench;

public static class Program
{
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
