using OversightLab.Data;
using OversightLab.Experiments;
using OversightLab.Models;

namespace OversightLab.Cli;

/// <summary>
/// The <c>oversightlab</c> command. Thin: it parses arguments, calls the library and prints.
/// User mistakes (a bad definition, a bad option) print one line and exit 2; never a stack trace.
/// </summary>
public static class CommandLine
{
    public const int Ok = 0, Failed = 1, UserError = 2, Interrupted = 130;
    const string DefaultDefinition = "experiments/quickstart.yaml";

    const string Usage = """
        oversightlab — scalable-oversight experiments on real neural networks

        usage:
          oversightlab run [FILE] [--out DIR] [--device auto|cpu|cuda] [--threads N] [--shard i/N]
                                    run a definition (default experiments/quickstart.yaml) into
                                    results/<name>/ or DIR; re-running resumes finished cells;
                                    --shard (or SLURM_ARRAY_TASK_ID/COUNT) runs a slice of the cells
          oversightlab merge DIR          combine DIR/shards/*/ into DIR (same CSV and report as one process)
          oversightlab slurm FILE --shards N [--out DIR] [--time HH:MM:SS] [--cpus C]
                                    write a ready sbatch job-array script (plus its merge job)
          oversightlab reproduce NAME [--device …] [--threads N]
                                    run every experiments/NAME-*.yaml into results/NAME/ and
                                    write its comparison with the paper (NAME: w2s, …); one
                                    thread by default, so the committed numbers come back exactly
          oversightlab validate FILE...   check definitions without training
          oversightlab list               the experiments in experiments/ and the model ladder
          oversightlab schema             JSON Schema of definitions, for editor completion
          oversightlab help               this text
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            string command = args.Length > 0 ? args[0] : "help";
            string[] rest = args.Skip(1).ToArray();
            // "oversightlab run --help" asks for the usage, not for a file or an option value named --help.
            if (rest.Any(a => a is "--help" or "-h")) return Help(stdout);
            return command switch
            {
                "run" => RunCommand(rest, stdout, stderr),
                "reproduce" => Reproduce(rest, stdout, stderr),
                "merge" => Merge(rest, stdout),
                "slurm" => Slurm(rest, stdout),
                "validate" => Validate(rest, stdout),
                "list" => List(stdout),
                "schema" => Schema(stdout),
                "help" or "--help" or "-h" => Help(stdout),
                _ => throw new UsageException($"unknown command '{command}' (commands: run, reproduce, merge, slurm, validate, list, schema, help)"),
            };
        }
        catch (DefinitionException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return UserError;
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return UserError;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("interrupted: finished cells are saved; run the same command again to resume.");
            return Interrupted;
        }
    }

    static int Help(TextWriter stdout)
    {
        stdout.WriteLine(Usage);
        return Ok;
    }

    static int RunCommand(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var (positional, options) = Parse(args, ["--out", "--device", "--threads", "--shard"]);
        if (positional.Count > 1) throw new UsageException($"run takes one definition file, got {positional.Count}");
        string file = positional.Count == 1 ? positional[0] : DefaultDefinition;
        var definition = DefinitionParser.Load(file);
        string outDir = options.GetValueOrDefault("--out") ?? Path.Combine("results", definition.Name);
        var shard = options.TryGetValue("--shard", out var s) ? Shard.Parse(s) : Shard.FromSlurm(Environment.GetEnvironmentVariable);
        var runOptions = new RunOptions(outDir, options.GetValueOrDefault("--device") ?? "auto", Threads(options), shard);
        return WithCancellation(token =>
        {
            stdout.WriteLine($"{definition.Name}: {definition.Protocol.Name}, {definition.Protocol.CountCells(definition)} cells" +
                $"{(shard is null ? "" : $", shard {shard.Index}/{shard.Count}")} → {Path.GetFullPath(outDir)}");
            var summary = Runner.Run(definition, runOptions, new ProgressBar(stderr), token);
            stdout.WriteLine($"done in {summary.Wall.TotalSeconds:0.0} s: {summary.Computed} computed, {summary.Skipped} already done, {summary.Failed} failed");
            foreach (string failure in summary.Failures) stdout.WriteLine($"  failed: {failure}");
            stdout.WriteLine($"results: {Path.Combine(summary.OutDir, "report.md")}");
            return summary.Failed == 0 ? Ok : Failed;
        });
    }

    static int Reproduce(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var (positional, options) = Parse(args, ["--device", "--threads"]);
        if (positional.Count != 1) throw new UsageException("reproduce takes one name, e.g. 'oversightlab reproduce w2s'");
        // One thread unless told otherwise: a reproduction exists to give the committed numbers back
        // exactly, and libtorch's sums (hence the last digits) depend on the thread count.
        var runOptions = new RunOptions("", options.GetValueOrDefault("--device") ?? "auto", Threads(options) ?? 1);
        var bar = new ProgressBar(stderr);
        return WithCancellation(token =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var summaries = Reproduction.Run(positional[0], "experiments", "results", runOptions, d =>
            {
                stdout.WriteLine($"{d.Name}: {d.Protocol.Name}, {d.Protocol.CountCells(d)} cells");
                return bar;
            }, token);
            int failed = summaries.Sum(s => s.Failed);
            stdout.WriteLine($"reproduced {positional[0]} in {clock.Elapsed.TotalSeconds:0.0} s: {summaries.Sum(s => s.Computed)} cells computed, " +
                $"{summaries.Sum(s => s.Skipped)} already done, {failed} failed → {Path.GetFullPath(Path.Combine("results", positional[0]))}");
            return failed == 0 ? Ok : Failed;
        });
    }

    static int? Threads(Dictionary<string, string> options) =>
        options.TryGetValue("--threads", out var t)
            ? int.TryParse(t, out int n) && n > 0 ? n : throw new UsageException($"--threads {t}: expected a positive integer")
            : null;

    /// <summary>Runs <paramref name="body"/> with a token that Ctrl-C cancels (finished cells stay saved).</summary>
    static int WithCancellation(Func<CancellationToken, int> body)
    {
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try { return body(cancel.Token); }
        finally { Console.CancelKeyPress -= onCancel; }
    }

    static int Merge(string[] args, TextWriter stdout)
    {
        var (positional, _) = Parse(args, []);
        if (positional.Count != 1) throw new UsageException("merge takes one folder: the --out of the sharded runs");
        var merged = Runner.Merge(positional[0]);
        stdout.WriteLine($"merged {merged.Shards} shards into {merged.Folder}: {merged.Ok} ok, {merged.Failed} failed, {merged.Missing} of {merged.Total} cells missing");
        return merged.Missing == 0 && merged.Failed == 0 ? Ok : Failed;
    }

    static int Slurm(string[] args, TextWriter stdout)
    {
        var (positional, options) = Parse(args, ["--shards", "--out", "--time", "--cpus"]);
        if (positional.Count != 1) throw new UsageException("slurm takes one definition file");
        var definition = DefinitionParser.Load(positional[0]);
        int shards = options.TryGetValue("--shards", out var n) && int.TryParse(n, out int k) && k is >= 1 and <= 10_000 ? k
            : throw new UsageException("slurm needs --shards N (1 to 10000)");
        int cpus = options.TryGetValue("--cpus", out var c) ? int.TryParse(c, out int v) && v > 0 ? v : throw new UsageException($"--cpus {c}: expected a positive integer") : 2;
        string time = options.GetValueOrDefault("--time") ?? "02:00:00";
        if (!System.Text.RegularExpressions.Regex.IsMatch(time, @"^(\d+-)?\d{1,2}:\d{2}:\d{2}$")) throw new UsageException($"--time {time}: expected HH:MM:SS or D-HH:MM:SS");
        string outDir = Path.GetFullPath(options.GetValueOrDefault("--out") ?? Path.Combine("results", definition.Name));
        Directory.CreateDirectory(Path.Combine(outDir, "slurm"));
        string script = Path.Combine(outDir, definition.Name + ".sbatch");
        Reports.AtomicFile.WriteText(script, SlurmScript.Write(definition, shards, outDir,
            Path.Combine(AppContext.BaseDirectory, "OversightLab.Cli.dll"), Directory.GetCurrentDirectory(), time, cpus));
        stdout.WriteLine($"wrote {script}: {shards} array tasks, then a merge job. Submit with: sbatch {script}");
        return Ok;
    }

    static int Validate(string[] args, TextWriter stdout)
    {
        if (args.Length == 0) throw new UsageException("validate needs at least one definition file");
        foreach (string file in args)
        {
            var d = DefinitionParser.Load(file);
            stdout.WriteLine($"{file}: ok — {d.Protocol.Name}, {d.Protocol.CountCells(d)} cells");
        }
        return Ok;
    }

    static int List(TextWriter stdout)
    {
        stdout.WriteLine("experiments:");
        if (Directory.Exists("experiments"))
            foreach (string file in Directory.GetFiles("experiments", "*.yaml").Order())
            {
                string status;
                try
                {
                    var d = DefinitionParser.Load(file);
                    status = $"{d.Protocol.Name}, {d.Protocol.CountCells(d)} cells{(d.Description.Length > 0 ? " — " + d.Description.Split('\n')[0] : "")}";
                }
                catch (DefinitionException e) { status = "INVALID: " + e.Message; }
                stdout.WriteLine($"  {file}: {status}");
            }
        stdout.WriteLine();
        stdout.WriteLine("model ladder (rank: name, parameters with a 2-class head, what it is):");
        foreach (var m in ModelLadder.All) stdout.WriteLine($"  {m.Rank}: {m.Name,-10} {m.Parameters(2),9:N0}  {m.Summary}");
        stdout.WriteLine();
        stdout.WriteLine("task targets (task.family mnist): " + string.Join(", ", DigitTarget.All.Select(t => $"{t.Name} ({t.Description})")));
        return Ok;
    }

    static int Schema(TextWriter stdout)
    {
        stdout.WriteLine(SchemaWriter.Write());
        return Ok;
    }

    static (List<string> Positional, Dictionary<string, string> Options) Parse(string[] args, string[] known)
    {
        var positional = new List<string>();
        var options = new Dictionary<string, string>();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal)) { positional.Add(a); continue; }
            string key = a, value;
            int eq = a.IndexOf('=');
            if (eq > 0) { key = a[..eq]; value = a[(eq + 1)..]; }
            else if (i + 1 < args.Length) value = args[++i];
            else throw new UsageException($"{a} needs a value");
            if (!known.Contains(key)) throw new UsageException($"unknown option {key} (options: {string.Join(", ", known)})");
            options[key] = value;
        }
        return (positional, options);
    }
}
