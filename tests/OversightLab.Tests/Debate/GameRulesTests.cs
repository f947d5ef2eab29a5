using OversightLab.Protocols.Debate;
using static TorchSharp.torch;

namespace OversightLab.Tests.Debate;

/// <summary>The rules of the MNIST debate game, on hand-built images and judges whose verdicts are known.</summary>
public sealed class GameRulesTests
{
    const int Three = 3, Eight = 8, Decisive = 50;

    /// <summary>One image of a 3 with ten nonzero pixels (10, 20, …, 100).</summary>
    static SparseDigits OneThree() => new(
        [Enumerable.Range(1, 10).Select(i => i * 10).ToArray()],
        [Enumerable.Repeat(1f, 10).ToArray()],
        [Three]);

    /// <summary>
    /// Certain of the truth once pixel 50 is revealed (logit of 3 jumps by 100); every other pixel
    /// nudges it towards 8, so a judge that never sees pixel 50 is fooled.
    /// </summary>
    static TableJudge CertainOnDecisivePixel()
    {
        var rows = Enumerable.Range(1, 10).Select(i => i * 10).ToDictionary(p => p, p => TableJudge.Favour(Eight, 1));
        rows[Decisive] = TableJudge.Favour(Three, 100);
        return new TableJudge(rows);
    }

    static IEnumerable<TestCaseData> Honest() =>
        from honest in new[] { "greedy", "mcts-4" }
        from liar in new[] { "random", "greedy", "mcts-4" }
        from precommit in new[] { true, false }
        from honestFirst in new[] { true, false }
        from pixels in new[] { 2, 4 }
        select new TestCaseData(honest, liar, precommit, honestFirst, pixels);

    [TestCaseSource(nameof(Honest))]
    public void AnHonestDebaterWinsWhenOnePixelMakesTheJudgeCertain(string honest, string liar, bool precommit, bool honestFirst, int pixels)
    {
        var digits = OneThree();
        using var judge = CertainOnDecisivePixel();
        var games = PixelGame.ForImage(0, Three, precommit, honestFirst).ToList();
        var (wins, _) = PixelDebate.Play(judge, digits, pixels, games, DebaterSpec.Parse(honest)!, DebaterSpec.Parse(liar)!, seed: 1, CPU);
        Assert.That(wins, Is.All.True, $"{honest} honest vs {liar} liar must reveal pixel {Decisive} and win every game");
    }

    [Test]
    public void ALiarWinsWhenTheHonestDebaterNeverFindsTheDecisivePixel()
    {
        // Without precommit, a random honest debater who never reveals pixel 50 leaves the judge
        // on 8: the liar (greedy) must win those games, and win none where 50 was revealed.
        var digits = OneThree();
        using var judge = CertainOnDecisivePixel();
        var games = Enumerable.Repeat(new PixelGame(0, Three, PixelGame.NoPrecommit, HonestFirst: true), 200).ToList();
        var (wins, _) = PixelDebate.Play(judge, digits, 2, games, DebaterSpec.RandomPlayer, DebaterSpec.Greedy, seed: 7, CPU);
        double rate = wins.Count(w => w) / 200.0;
        // The honest reveals one of 10 pixels at random and the greedy liar never reveals 50: P(win) = 0.1.
        Assert.That(rate, Is.InRange(0.04, 0.18));
    }

    [Test]
    public void MarginComparesTheTwoClaimsWithPrecommitAndAllDigitsWithout()
    {
        float[] logits = [0, 1, 2, 5, 0, 0, 0, 0, 4, 9];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(new PixelGame(0, Three, Eight, true).Margin(logits), Is.EqualTo(1f), "precommit: logit(3) − logit(8)");
            Assert.That(new PixelGame(0, Three, PixelGame.NoPrecommit, true).Margin(logits), Is.EqualTo(-4f), "no precommit: logit(3) − max other (9)");
            Assert.That(PixelGame.Value(0.001f, final: true), Is.EqualTo(1f));
            Assert.That(PixelGame.Value(0f, final: true), Is.EqualTo(-1f), "a tie goes to the liar");
            Assert.That(PixelGame.Value(2f, final: false), Is.EqualTo(MathF.Tanh(1f)).Within(1e-6));
        }
    }

    [Test]
    public void PrecommitPlaysEveryLieAndTurnsAlternate()
    {
        var games = PixelGame.ForImage(0, Three, precommit: true, honestFirst: false).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(games.Select(g => g.Lie), Is.EquivalentTo(new[] { 0, 1, 2, 4, 5, 6, 7, 8, 9 }));
            Assert.That(PixelGame.ForImage(0, Three, precommit: false, honestFirst: true).Single().Precommit, Is.False);
            Assert.That(Enumerable.Range(0, 4).Select(games[0].HonestMoves), Is.EqualTo(new[] { false, true, false, true }));
        }
    }

    [Test]
    public void DebatersRevealOnlyNonzeroPixelsAndTheJudgeSeesExactlyK()
    {
        // A judge that counts revealed pixels on logit 3 and penalises every zero pixel on the same
        // logit: the truth wins only if exactly k nonzero pixels were shown, whoever plays.
        var rows = Enumerable.Range(0, SparseDigits.Pixels).ToDictionary(p => p, p => TableJudge.Favour(Three, p % 10 == 0 && p is >= 10 and <= 100 ? 1 : -1000));
        rows[SparseJudge.NoPixel] = TableJudge.Favour(Three, -1000);
        using var judge = new TableJudge(rows);
        var games = Enumerable.Range(0, 50).Select(_ => new PixelGame(0, Three, Eight, true)).ToList();
        var (wins, _) = PixelDebate.Play(judge, OneThree(), 6, games, DebaterSpec.RandomPlayer, DebaterSpec.RandomPlayer, seed: 3, CPU);
        Assert.That(wins, Is.All.True);
    }

    [Test]
    public void TheJudgeAloneIsRightWhenItSeesEveryNonzeroPixel()
    {
        using var judge = CertainOnDecisivePixel();
        var correct = JudgeTraining.JudgeAlone(judge, OneThree(), [0], 10, seed: 0, CPU);
        var fooled = JudgeTraining.JudgeAlone(new TableJudge(new Dictionary<int, float[]> { [10] = TableJudge.Favour(Eight, 5) }), OneThree(), [0], 10, seed: 0, CPU);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(correct, Is.EqualTo(new[] { true }));
            Assert.That(fooled, Is.EqualTo(new[] { false }));
        }
    }

    [Test]
    public void DebaterNamesParse()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(DebaterSpec.Parse("mcts-1k")!.Rollouts, Is.EqualTo(1000));
            Assert.That(DebaterSpec.Parse("mcts-64")!.Rollouts, Is.EqualTo(64));
            Assert.That(DebaterSpec.Parse("greedy")!.Rollouts, Is.Zero);
            Assert.That(DebaterSpec.Parse("random")!.Random, Is.True);
            Assert.That(DebaterSpec.Parse("mcts-0"), Is.Null);
            Assert.That(DebaterSpec.Parse("alphazero"), Is.Null);
        }
    }
}
