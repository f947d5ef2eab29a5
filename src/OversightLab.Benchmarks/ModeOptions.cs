using System.Globalization;
using OversightLab.Models;

namespace OversightLab.Benchmarks;

/// <summary>
/// The <c>--name value</c> options of the benchmark program's own modes (<c>steps</c>,
/// <c>seeds</c>). Bad input gets one line naming the mode and its usage, and exit code 2.
/// </summary>
public sealed class ModeOptions
{
    readonly Dictionary<string, string> values = [];
    readonly string mode, usage;

    ModeOptions(string mode, string usage) => (this.mode, this.usage) = (mode, usage);

    /// <summary>The options, or null after printing what was wrong (the caller returns 2).</summary>
    public static ModeOptions? Parse(string mode, string usage, string[] args)
    {
        var options = new ModeOptions(mode, usage);
        for (int i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                options.Refuse($"unexpected '{args[i]}'");
                return null;
            }
            options.values[args[i][2..]] = args[i + 1];
        }
        return options;
    }

    public bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);

    /// <summary>A whole-number option, or <paramref name="fallback"/>; not a number: <see cref="FormatException"/> naming the option.</summary>
    public int Int(string key, int fallback) =>
        !values.TryGetValue(key, out var v) ? fallback
        : int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n
        : throw new FormatException($"--{key} takes a whole number, not '{v}'");

    /// <summary>The ladder models named by <c>--models a,b,...</c>, or <paramref name="fallback"/>; a name not on the ladder: <see cref="FormatException"/> naming it.</summary>
    public string[] Models(IEnumerable<string> fallback)
    {
        string[] names = values.TryGetValue("models", out var list) ? list.Split(',') : [.. fallback];
        return names.FirstOrDefault(name => ModelLadder.Find(name) is null) is { } unknown
            ? throw new FormatException($"no ladder model '{unknown}' (expected {string.Join(", ", ModelLadder.Names)})")
            : names;
    }

    /// <summary>Prints "mode: why" and the usage to standard error; returns 2, the exit code for bad input.</summary>
    public int Refuse(string why)
    {
        Console.Error.WriteLine($"{mode}: {why}\n{usage}");
        return 2;
    }
}
