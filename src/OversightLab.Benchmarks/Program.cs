using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using OversightLab.Benchmarks;

// Usage:
//   (no arguments)              every suite, ShortRun job            → BenchmarkDotNet.Artifacts/results/, and
//                               each suite's table → results/perf/benchmarks/<Suite>.md
//   --smoke                     every suite once (1 iteration, no warmup): a CI check that they run, not a measurement
//   --threads N                 libtorch threads for the suites (default 1)
//   any BenchmarkDotNet option  e.g. --filter '*MctsMove*', --list flat, --artifacts DIR
//   steps [--threads T] ...     the side-by-side timing mode (StepTimer; perf/side_by_side.sh runs it)
//   seeds [--threads T] ...     batched seeds against one by one in alternating rounds (SeedsTimer; perf/batched_seeds.sh runs it)
//   products [--threads T] ...  a ladder step's matrix products one by one, with their bits' fingerprints (ProductTimer; perf/mkl_branch.sh runs it)
if (args.Length > 0 && args[0] == "steps") return StepTimer.Run(args[1..]);
if (args.Length > 0 && args[0] == "seeds") return SeedsTimer.Run(args[1..]);
if (args.Length > 0 && args[0] == "products") return ProductTimer.Run(args[1..]);

var rest = args.ToList();
bool smoke = rest.Remove("--smoke");
int threads = 1;
int at = rest.IndexOf("--threads");
if (at >= 0)
{
    threads = int.Parse(rest[at + 1], CultureInfo.InvariantCulture);
    rest.RemoveRange(at, 2);
}
// The thread count is the runner's, set once here: a suite that set it would change every later suite.
TorchSharp.torch.set_num_threads(threads);
// Without a filter BenchmarkDotNet asks interactively which suites to run; run them all.
if (!rest.Any(a => a is "--filter" or "-f" or "--list")) rest.AddRange(["--filter", "*"]);

// In-process toolchain: the benchmark runs in this process, whose output folder holds the
// patched libLibTorchSharp.so (a separately generated benchmark project would not).
var job = smoke
    ? Job.Dry.WithLaunchCount(1).WithWarmupCount(0).WithIterationCount(1).WithId("Smoke")
    : Job.ShortRun;
var config = DefaultConfig.Instance.AddJob(job.WithToolchain(InProcessEmitToolchain.Instance));
// A smoke run only checks that every suite runs, so it may run from a Debug build (the tests' build).
if (smoke) config = config.WithOptions(ConfigOptions.DisableOptimizationsValidator);
var summaries = BenchmarkSwitcher.FromAssembly(typeof(TrainingStep).Assembly).Run([.. rest], config);
// A measurement (not a smoke run) also lands in the repository's results/perf/benchmarks/, the committed record.
if (!smoke) PublishReports(summaries, threads);
// A benchmark that threw, or a suite that did not run, fails the process: CI and the smoke test rely on it.
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;

static void PublishReports(IEnumerable<BenchmarkDotNet.Reports.Summary> summaries, int threads)
{
    var root = new DirectoryInfo(AppContext.BaseDirectory);
    while (root is not null && !File.Exists(Path.Combine(root.FullName, "OversightLab.sln"))) root = root.Parent;
    if (root is null) return;
    string target = Path.Combine(root.FullName, "results", "perf", "benchmarks");
    Directory.CreateDirectory(target);
    foreach (var summary in summaries)
        // The GitHub table is named after the suite's type (a summary's title carries a timestamp),
        // and after the thread count when it is not the default one.
        foreach (var type in summary.BenchmarksCases.Select(c => c.Descriptor.Type).Distinct())
        {
            string report = Path.Combine(summary.ResultsDirectoryPath, type.FullName + "-report-github.md");
            if (File.Exists(report)) File.Copy(report, Path.Combine(target, type.Name + (threads == 1 ? "" : $"-threads{threads}") + ".md"), overwrite: true);
        }
    Console.WriteLine($"reports → {target}");
}
