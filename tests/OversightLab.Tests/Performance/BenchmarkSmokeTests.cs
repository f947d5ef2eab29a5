using System.Diagnostics;
using TorchSharp;

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

    [Test]
    public void ProductsModeTimesEachProductOfAStepAndFingerprintsItsBits()
    {
        string dir = TestPaths.Scratch("benchmark-products");
        string json = Path.Combine(dir, "products.json");
        var (code, output) = RunProgram(dir, TimeSpan.FromSeconds(120), "products", "--models", "mlp-s", "--batch", "8", "--warmup", "0", "--repeats", "1", "--steps", "2", "--json", json);
        Assert.That(code, Is.Zero, output);
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
        var products = document.RootElement.GetProperty("products").EnumerateArray()
            .Select(p => (Layer: p.GetProperty("layer").GetInt32(), Kind: p.GetProperty("product").GetString(), M: p.GetProperty("m").GetInt64(),
                K: p.GetProperty("k").GetInt64(), N: p.GetProperty("n").GetInt64(), Us: p.GetProperty("us").GetDouble(), Bits: p.GetProperty("bits").GetString()))
            .ToList();
        // mlp-s: 7×7 pixels → 64 → 32 → 2 classes; the first layer's input needs no gradient.
        var expected = new[]
        {
            (0, "forward", 8L, 49L, 64L), (0, "weight_gradient", 64L, 8L, 49L),
            (1, "forward", 8L, 64L, 32L), (1, "weight_gradient", 32L, 8L, 64L), (1, "input_gradient", 8L, 32L, 64L),
            (2, "forward", 8L, 32L, 2L), (2, "weight_gradient", 2L, 8L, 32L), (2, "input_gradient", 8L, 2L, 32L),
        };
        // The fingerprint is of the product itself: the same inputs from the same seed, multiplied here.
        torch.manual_seed(1);
        using var x = torch.randn(8, 64);
        using var w = torch.randn(32, 64);
        using var bias = torch.randn(32);
        using var forward = torch.nn.functional.linear(x, w, bias);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(products.Select(p => (p.Layer, p.Kind, p.M, p.K, p.N)), Is.EqualTo(expected));
            Assert.That(products.Select(p => p.Us), Has.All.Positive);
            Assert.That(products.Select(p => p.Bits).Distinct().Count(), Is.EqualTo(expected.Length), "every product its own fingerprint");
            Assert.That(products.Single(p => p is { Layer: 1, Kind: "forward" }).Bits, Is.EqualTo(Fingerprint(forward)));
        }
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>FNV-1a (64 bits) over a tensor's float bits in row-major order, as the products mode defines its fingerprint.</summary>
    static string Fingerprint(torch.Tensor t)
    {
        ulong hash = 14695981039346656037;
        using var dense = t.contiguous();
        foreach (float f in dense.data<float>()) hash = (hash ^ BitConverter.SingleToUInt32Bits(f)) * 1099511628211;
        return hash.ToString("x16");
    }

    [TestCase("products", "--batch", "0")]
    [TestCase("products", "--models", "mlp-xxl")]
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
