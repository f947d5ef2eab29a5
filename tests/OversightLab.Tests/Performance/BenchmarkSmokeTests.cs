using System.Diagnostics;

namespace OversightLab.Tests.Performance;

/// <summary>
/// The benchmark program's <c>--smoke</c> job, run as CI runs it: a child process with the
/// in-process toolchain, one iteration per case. It checks that a suite runs and reports — never
/// how fast it is (benchmarks are not timed assertions).
/// </summary>
public sealed class BenchmarkSmokeTests
{
    [Test]
    public void SmokeJobRunsTrainingStepForEveryLadderModelAndReportsNoErrors()
    {
        string dir = TestPaths.Scratch("benchmark-smoke");
        string artifacts = Path.Combine(dir, "artifacts");
        var (code, output) = RunProgram(dir, TimeSpan.FromSeconds(150), "--smoke", "--filter", "OversightLab.Benchmarks.TrainingStep.*", "--artifacts", artifacts);

        string report = Path.Combine(artifacts, "results", "OversightLab.Benchmarks.TrainingStep-report.csv");
        Assert.That(code, Is.Zero, output);
        Assert.That(report, Does.Exist, output);
        var lines = File.ReadAllLines(report);
        var header = lines[0].Split(',');
        int model = Array.IndexOf(header, "Model"), mean = Array.IndexOf(header, "Mean");
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(model, Is.Not.Negative, "a Model column");
            Assert.That(mean, Is.Not.Negative, "a Mean column");
            Assert.That(rows.Select(r => r[model]), Is.EquivalentTo(OversightLab.Models.ModelLadder.Names), "one row per ladder model");
            // A case whose benchmark threw has no measurement: its Mean is NA.
            Assert.That(rows.Select(r => r[mean]), Has.None.EqualTo("NA"), output);
            Assert.That(output, Does.Not.Contain("// ERROR"));
        }
        Directory.Delete(dir, recursive: true);
    }

    [Test]
    public void SeedsModeWritesEachRoundsSpeedupAndTheirMedian()
    {
        string dir = TestPaths.Scratch("benchmark-seeds");
        var (code, output) = RunProgram(dir, TimeSpan.FromSeconds(120), "seeds", "--models", "mlp-xs", "--sizes", "2", "--rounds", "3", "--out", dir);
        Assert.That(code, Is.Zero, output);
        var rounds = ReadCsv(Path.Combine(dir, "rounds-threads1.csv"));
        var summary = ReadCsv(Path.Combine(dir, "seeds-threads1.csv"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rounds.Select(r => r["round"]), Is.EqualTo(new[] { "1", "2", "3" }));
            foreach (var r in rounds)
            {
                // The times are written to 0.001 ms and the speedup to 0.01: the ratio of the written times may be off by their rounding.
                double one = D(r["one_by_one_ms"]), stacked = D(r["stacked_ms"]), ratio = one / stacked;
                double rounding = 0.005 + ratio * (0.0005 / one + 0.0005 / stacked) * 1.01;
                Assert.That(D(r["speedup"]), Is.EqualTo(ratio).Within(rounding), "a round's speedup is its two times' ratio");
            }
            Assert.That(summary, Has.Count.EqualTo(1));
            var row = summary[0];
            Assert.That((row["model"], row["S"], row["rounds"], row["bar"]), Is.EqualTo(("mlp-xs", "2", "3", "1.2")));
            var speedups = rounds.Select(r => D(r["speedup"])).Order().ToArray();
            Assert.That(D(row["speedup"]), Is.EqualTo(speedups[1]).Within(0.01), "the median round");
            Assert.That(D(row["rounds_at_or_above_bar"]), Is.EqualTo(speedups.Count(v => v >= 1.2)));
            Assert.That(D(row["stacked_gflops"]), Is.Positive);
            Assert.That(D(row["fraction_of_sgemm"]), Is.EqualTo(D(row["stacked_gflops"]) / D(row["sgemm_gflops"])).Within(0.001));
        }
        Directory.Delete(dir, recursive: true);
    }

    [TestCase("seeds", "--threads", "two")]
    [TestCase("seeds", "--models", "mlp-xxl")]
    [TestCase("seeds", "--sizes", "1")]
    [TestCase("seeds", "--rounds")]
    [TestCase("steps", "--steps", "many")]
    [TestCase("steps", "--models", "mlp-xxl")]
    public void ModesRefuseBadArgumentsWithOneMessage(string mode, params string[] arguments)
    {
        string dir = TestPaths.Scratch("benchmark-mode-bad");
        var (code, output) = RunProgram(dir, TimeSpan.FromSeconds(120), [mode, .. arguments]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(2), output);
            Assert.That(output, Does.StartWith(mode + ": "));
            Assert.That(output, Does.Not.Contain("   at "), "no stack trace");
        }
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>The benchmark program with <paramref name="arguments"/>, in <paramref name="dir"/>: its exit code and everything it printed.</summary>
    static (int Code, string Output) RunProgram(string dir, TimeSpan limit, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet", [BenchmarkProgram, .. arguments])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the benchmark program ({string.Join(' ', arguments)}) did not finish in {limit.TotalSeconds:0} s:\n" + stdout.Result);
        }
        return (process.ExitCode, stderr.Result + stdout.Result);
    }

    static double D(string value) => double.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

    static List<Dictionary<string, string>> ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second))];
    }

    /// <summary>The benchmark program as the test build built it: the same bin/&lt;configuration&gt;/&lt;framework&gt;/ as this assembly's.</summary>
    static string BenchmarkProgram
    {
        get
        {
            string tests = Path.Combine(TestPaths.Repo, "tests", "OversightLab.Tests");
            string output = Path.GetRelativePath(tests, AppContext.BaseDirectory);
            return Path.Combine(TestPaths.Repo, "src", "OversightLab.Benchmarks", output, "OversightLab.Benchmarks.dll");
        }
    }
}
