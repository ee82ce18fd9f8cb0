using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(PSTrace.Bench.TextParsingBenchmarks).Assembly).Run(args);
