using System.Globalization;
using System.Text.RegularExpressions;

namespace OversightLab.Protocols.Debate;

/// <summary>
/// A debater by the name definitions use: <c>random</c> (a uniformly random nonzero pixel),
/// <c>greedy</c> (the pixel whose revealed position the judge scores best for its side: MCTS with
/// no rollouts), or <c>mcts-N</c> (PUCT search with N rollouts per move; <c>mcts-1k</c> = 1000).
/// </summary>
public sealed partial record DebaterSpec(string Name, bool Random, int Rollouts)
{
    public static DebaterSpec RandomPlayer { get; } = new("random", true, 0);
    public static DebaterSpec Greedy { get; } = new("greedy", false, 0);

    public const string Expected = "random, greedy, or mcts-N with N rollouts per move (e.g. mcts-100, mcts-1k)";

    /// <summary>The debater for <paramref name="name"/>, or null when it names none.</summary>
    public static DebaterSpec? Parse(string name)
    {
        if (name == "random") return RandomPlayer;
        if (name == "greedy") return Greedy;
        var m = MctsName().Match(name);
        if (!m.Success) return null;
        long n = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * (m.Groups[2].Success ? 1000 : 1);
        return n is >= 1 and <= 1_000_000 ? new DebaterSpec(name, false, (int)n) : null;
    }

    /// <summary>How strong the debater is, for ordering in tables: random &lt; greedy &lt; mcts-N by N.</summary>
    public int Strength => Random ? -1 : Rollouts;

    [GeneratedRegex("^mcts-([0-9]{1,7})(k)?$")]
    private static partial Regex MctsName();
}
