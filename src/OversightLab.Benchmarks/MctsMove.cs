using BenchmarkDotNet.Attributes;
using OversightLab.Data;
using OversightLab.Protocols.Debate;
using static TorchSharp.torch;

namespace OversightLab.Benchmarks;

/// <summary>
/// One MCTS move of the MNIST pixel debate as the protocol plays it: the honest debater's opening
/// move (k = 6, precommit, honest first) searched in lock-step over one chunk of
/// <see cref="PixelDebate.GamesPerChunk"/> games, with an untrained pixel-mlp-s judge (search cost
/// does not depend on the judge's weights). The time is for the whole chunk's move.
/// </summary>
[MemoryDiagnoser(false)]
public class MctsMove
{
    const int Pixels = 6;

    SparseJudge judge = null!;
    PixelDebate debate = null!;
    int[] movers = null!;

    [Params(8, 32)]
    public int Rollouts { get; set; } = 8;

    [GlobalSetup]
    public void Setup()
    {
        manual_seed(0);
        judge = JudgeSpec.PixelMlpSmall.Create();
        judge.eval();
        var digits = SparseDigits.Mnist();
        // The debate protocol's images: the first test digits, one game per lie with precommit.
        var games = new DigitSplit(digits.Count).Test
            .SelectMany(i => PixelGame.ForImage(i, digits.Labels[i], precommit: true, honestFirst: true))
            .Take(PixelDebate.GamesPerChunk).ToList();
        debate = new PixelDebate(judge, digits, Pixels, games, CPU);
        movers = Enumerable.Range(0, games.Count).ToArray();
    }

    /// <summary>Searching does not change the position, so every invocation searches the same opening.</summary>
    [Benchmark]
    public int[] Move() => new Mcts(Rollouts).ChooseMoves(debate, movers);

    [GlobalCleanup]
    public void Cleanup()
    {
        debate.Dispose();
        judge.Dispose();
    }
}
