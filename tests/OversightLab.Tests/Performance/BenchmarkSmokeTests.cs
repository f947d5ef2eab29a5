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
        var info = new ProcessStartInfo("dotnet", [BenchmarkProgram, "--smoke", "--filter", "OversightLab.Benchmarks.TrainingStep.*", "--artifacts", artifacts])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(150)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the smoke job did not finish in 150 s:\n" + stdout.Result);
        }
        string output = stdout.Result + stderr.Result;

        string report = Path.Combine(artifacts, "results", "OversightLab.Benchmarks.TrainingStep-report.csv");
        Assert.That(process.ExitCode, Is.Zero, output);
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
