using System.Text.Json;
using OversightLab.Experiments;
using OversightLab.Protocols.WeakToStrong;
using OversightLab.Reports;
using OversightLab.Tests.Cli;

namespace OversightLab.Tests.Reliability;

/// <summary>
/// Real processes, as on a cluster or after a crash: shards run in parallel and merge into the
/// same CSV a single process writes; runs killed with SIGKILL at random moments resume to the same
/// bytes without recomputing finished cells. Every process uses one thread, so all runs do the
/// same arithmetic in the same order.
/// </summary>
[NonParallelizable]
public sealed class ScaleOutAndChaosTests
{
    static readonly Lazy<(string Dir, byte[] Csv)> Reference = new(() =>
    {
        string dir = TestPaths.Scratch("reference");
        var (code, _, stderr) = CliProcess.Run(dir, "run", Tiny.File(dir), "--out", Path.Combine(dir, "out"), "--threads", "1");
        Assert.That(code, Is.Zero, stderr);
        return (dir, File.ReadAllBytes(Path.Combine(dir, "out", WeakToStrongProtocol.Table)));
    });

    [Test]
    public void ShardsRunInParallelAndMergeIntoTheSingleProcessResult()
    {
        string dir = TestPaths.Scratch("shards");
        string file = Tiny.File(dir), outDir = Path.Combine(dir, "out");
        var shards = Enumerable.Range(0, 3).Select(i => CliProcess.Start(dir, "run", file, "--out", outDir, "--threads", "1", "--shard", $"{i}/3")).ToList();
        foreach (var shard in shards)
        {
            string stderr = shard.StandardError.ReadToEnd();
            shard.WaitForExit();
            Assert.That(shard.ExitCode, Is.Zero, stderr);
        }
        var (code, stdout, _) = CliProcess.Run(dir, "merge", outDir);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.Zero);
            Assert.That(stdout, Does.Contain("merged 3 shards").And.Contain("6 ok, 0 failed, 0 of 6 cells missing"));
            Assert.That(Directory.GetDirectories(Path.Combine(outDir, "shards")).Select(Path.GetFileName), Is.EquivalentTo(new[] { "0-of-3", "1-of-3", "2-of-3" }));
            Assert.That(File.ReadAllBytes(Path.Combine(outDir, WeakToStrongProtocol.Table)), Is.EqualTo(Reference.Value.Csv), "byte-identical to one process");
            Assert.That(File.Exists(Path.Combine(outDir, "report.md")) && File.Exists(Path.Combine(outDir, "accuracy_vs_strong.png")), Is.True, "the same report and figures");
            Assert.That(Manifest.TryRead(outDir)!.Shards, Is.EqualTo(new[] { "0-of-3", "1-of-3", "2-of-3" }));
        }
    }

    [Test]
    public void KilledRunsResumeToTheSameBytesWithoutRecomputingFinishedCells()
    {
        string dir = TestPaths.Scratch("chaos");
        string file = Tiny.File(dir), outDir = Path.Combine(dir, "out"), csv = Path.Combine(outDir, WeakToStrongProtocol.Table);
        var rng = new Random(20261123);
        var finishedBefore = new Dictionary<string, DateTime>();
        int kills = 0;
        for (int attempt = 0; attempt < 12 && kills < 5; attempt++)
        {
            using var run = CliProcess.Start(dir, "run", file, "--out", outDir, "--threads", "1");
            // The first kill lands early (loading, pretraining); later ones at a random moment within
            // 0.3 s of a new cell appearing, so some land mid-cell and some mid-write. (Up to a second
            // was longer than the rest of the run once training got faster: it finished after 2 kills.)
            bool finished = attempt == 0
                ? run.WaitForExit(TimeSpan.FromSeconds(0.5 + rng.NextDouble()))
                : WaitForNewCell(run, csv, finishedBefore.Count) && run.WaitForExit(TimeSpan.FromSeconds(0.3 * rng.NextDouble()));
            if (finished || run.HasExited) break;
            run.Kill(entireProcessTree: true); // SIGKILL: no chance to clean up
            run.WaitForExit();
            kills++;
            // Whatever the moment of the kill, every file is readable.
            if (File.Exists(csv)) Assert.DoesNotThrow(() => CsvTable.Read<W2sRow>(csv), "CSV readable after kill " + kills);
            var manifest = Manifest.TryRead(outDir);
            if (File.Exists(Path.Combine(outDir, Manifest.FileName))) Assert.That(manifest, Is.Not.Null, "manifest readable after kill " + kills);
            foreach (var (id, cell) in manifest?.Cells ?? []) finishedBefore.TryAdd(id, cell.FinishedUtc);
        }
        var (code, stdout, stderr) = CliProcess.Run(dir, "run", file, "--out", outDir, "--threads", "1");
        var final = Manifest.TryRead(outDir)!;
        TestContext.Out.WriteLine($"{kills} kills; cells finished before a kill: {finishedBefore.Count}; last run: {stdout.Trim()}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.Zero, stderr);
            Assert.That(kills, Is.GreaterThanOrEqualTo(3), "the test must actually kill runs");
            Assert.That(finishedBefore, Has.Count.GreaterThanOrEqualTo(2), "some kills must come after finished cells");
            Assert.That(File.ReadAllBytes(csv), Is.EqualTo(Reference.Value.Csv), "same bytes as an uninterrupted run");
            foreach (var (id, finished) in finishedBefore)
                Assert.That(final.Cells[id].FinishedUtc, Is.EqualTo(finished), $"cell {id} finished before a kill was not recomputed");
            Assert.That(Directory.GetFiles(outDir, "*.tmp"), Is.Empty, "temporary files of killed runs are cleaned up");
        }
    }

    /// <summary>Waits until the table has more rows than <paramref name="known"/> (true), or the run ends (false).</summary>
    static bool WaitForNewCell(System.Diagnostics.Process run, string csv, int known)
    {
        while (!run.WaitForExit(TimeSpan.FromMilliseconds(100)))
        {
            try
            {
                if (File.Exists(csv) && File.ReadAllLines(csv).Length - 1 > known) return true;
            }
            catch (IOException) { } // being replaced right now; look again
        }
        return false;
    }

    [Test]
    public void SlurmScriptIsAJobArrayOverShardsWithAMergeJob()
    {
        string dir = TestPaths.Scratch("slurm");
        var (code, stdout, _) = CliProcess.Run(dir, "slurm", Tiny.File(dir), "--shards", "4", "--out", Path.Combine(dir, "out"), "--time", "00:30:00");
        string script = File.ReadAllText(Path.Combine(dir, "out", "tiny.sbatch"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.Zero);
            Assert.That(stdout, Does.Contain("sbatch"));
            Assert.That(script, Does.Contain("#SBATCH --array=0-3").And.Contain("#SBATCH --time=00:30:00"));
            Assert.That(script, Does.Contain("--dependency=afterok:${SLURM_ARRAY_JOB_ID}").And.Contain(" merge "));
            Assert.That(script, Does.Contain(" run ").And.Contain("tiny.yaml"));
        }
        var fromSlurm = Shard.FromSlurm(name => name switch { "SLURM_ARRAY_TASK_ID" => "3", "SLURM_ARRAY_TASK_COUNT" => "4", _ => null });
        Assert.That(fromSlurm, Is.EqualTo(new Shard(3, 4)));
        Assert.That(Shard.FromSlurm(_ => null), Is.Null);
        Assert.That(() => Shard.Parse("4/4"), Throws.TypeOf<UsageException>());
    }
}
