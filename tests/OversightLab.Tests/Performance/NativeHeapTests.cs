using OversightLab.Models;
using OversightLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace OversightLab.Tests.Performance;

/// <summary>A training step reuses the memory the last step freed instead of taking fresh pages from the kernel.</summary>
public sealed class NativeHeapTests
{
    [Test]
    public void ALargeModelsTrainingStepReusesLastStepsMemory()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("the heap policy is glibc's (Linux)");
        Assert.That(NativeHeap.Configured, Is.True, "glibc's mallopt took both thresholds");
        // mlp-xl at batch 512: its activations and gradients are 1–1.6 MB each.
        var spec = ModelLadder.Find("mlp-xl")!;
        long[] item = [1, 28, 28];
        manual_seed(3);
        using var model = new Classifier(spec, new Encoder(spec, item), item, 2, pairs: false);
        using var optimizer = new FusedAdam(model.parameters(), lr: 1e-3);
        using var images = rand(512, 1, 28, 28);
        using var targets = nn.functional.one_hot(randint(0, 2, [512]), 2).to_type(ScalarType.Float32);
        void Step()
        {
            using var scope = NewDisposeScope();
            CrossEntropyLoss.SoftCrossEntropy(model.call(images), targets).backward();
            optimizer.step();
            optimizer.zero_grad();
        }
        for (int i = 0; i < 3; i++) Step();
        long before = MinorFaults();
        for (int i = 0; i < 10; i++) Step();
        long perStep = (MinorFaults() - before) / 10;
        // In a probe (2026-11-29): 112 a step on a thread of its own, 51 on the main thread; with glibc's default thresholds 525 and 592.
        Assert.That(perStep, Is.LessThan(250), $"{perStep} page faults a step");
    }

    /// <summary>The process's minor page faults so far (field 10 of /proc/self/stat).</summary>
    static long MinorFaults()
    {
        string stat = File.ReadAllText("/proc/self/stat");
        return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[7]);
    }
}
