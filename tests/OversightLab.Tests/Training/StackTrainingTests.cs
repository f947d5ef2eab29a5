using OversightLab.Models;
using OversightLab.Training;
using static TorchSharp.torch;

namespace OversightLab.Tests.Training;

/// <summary>
/// Batched seeds: S models trained as one stacked computation end where training each alone
/// ends (up to floating-point reassociation), and a model's numbers do not depend on which other
/// models share its stack — what lets a sweep group cells freely and still resume to the same bytes.
/// </summary>
public sealed class StackTrainingTests
{
    const int Rows = 150, Models = 4;
    static readonly TrainConfig Config = new(Epochs: 3, Batch: 32, Lr: 5e-3);

    /// <summary>A ladder model with a random (seeded) encoder and its own images and soft labels.</summary>
    sealed record Member(string Spec, Classifier Model, Tensor Images, Tensor Labels, long Seed);

    static Member Make(string spec, int i, bool pairs = false)
    {
        manual_seed(1000 + i);
        var ladder = ModelLadder.Find(spec)!;
        var model = new Classifier(ladder, new Encoder(ladder, [1, 28, 28]), [1, 28, 28], classes: 2, pairs);
        // The zero-initialised head would hide a transposition bug: start it random too.
        using (no_grad()) model.Head.Linear.weight!.normal_(0, 0.1);
        var images = pairs ? rand([Rows, 2, 1, 28, 28]) : rand(Rows, 1, 28, 28);
        var p = rand(Rows, 1);
        return new Member(spec, model, images, cat([p, 1 - p], 1), Seeds.Derive("member", i));
    }

    /// <summary>Trains <paramref name="members"/> in one stack; returns each one's parameters, flattened.</summary>
    static float[][] Stacked(IReadOnlyList<Member> members, ITrainingLoss loss) => Stacked(members, loss, out _);

    /// <param name="losses">each model's mean loss in its last epoch, as FitStack reports it</param>
    static float[][] Stacked(IReadOnlyList<Member> members, ITrainingLoss loss, out double[] losses)
    {
        bool pairs = members[0].Model.Head.Pairs;
        using var models = MlpStack.Like(members.Count, members[0].Model.Layers, pairs);
        for (int s = 0; s < members.Count; s++) models.Load(s, members[s].Model.Layers);
        using var inputs = StackInputs(members, pairs);
        using var targets = stack(members.Select(m => m.Labels).ToList());
        losses = Trainer.FitStack(models, inputs, targets, Config, loss, members.Select(m => m.Seed).ToList());
        Assert.That(losses.All(double.IsFinite), Is.True);
        return [.. members.Select((m, s) =>
        {
            var copy = Make(m.Spec, 99, pairs).Model;
            models.Store(s, copy.Layers);
            return Flatten(copy);
        })];
    }

    static Tensor StackInputs(IReadOnlyList<Member> members, bool pairs)
    {
        using var _ = no_grad();
        return stack(members.Select(m => pairs
            ? m.Model.Encoder.Flat(m.Images.select(1, 0)) - m.Model.Encoder.Flat(m.Images.select(1, 1))
            : m.Model.Encoder.Flat(m.Images)).ToList());
    }

    static float[] Flatten(Classifier model) =>
        [.. model.Layers.SelectMany(l => new[] { l.weight!, l.bias }.OfType<Tensor>()).SelectMany(t => t.data<float>().ToArray())];

    static float[] Alone(Member m, ITrainingLoss loss)
    {
        Trainer.Fit(m.Model, m.Model.parameters(), m.Images, m.Labels, Config, loss, m.Seed);
        return Flatten(m.Model);
    }

    [TestCase("mlp-xs", "xent")]
    [TestCase("mlp-s", "logconf")]
    [TestCase("lin-pool7", "product")]
    [TestCase("mlp-xs", "conf-weighted")]
    [TestCase("mlp-s", "sqloss")]
    public void AStackOfModelsTrainsLikeEachModelAlone(string spec, string method)
    {
        var stacked = Stacked([.. Enumerable.Range(0, Models).Select(i => Make(spec, i))], Losses.Create(method));
        using (Assert.EnterMultipleScope())
            for (int i = 0; i < Models; i++)
            {
                var alone = Alone(Make(spec, i), Losses.Create(method));
                var start = Flatten(Make(spec, i).Model);
                double moved = alone.Zip(start).Max(p => Math.Abs(p.First - p.Second));
                double differs = alone.Zip(stacked[i]).Max(p => Math.Abs(p.First - p.Second));
                Assert.That(moved, Is.GreaterThan(1e-3), $"model {i} trained at all");
                Assert.That(differs, Is.LessThan(1e-5), $"model {i}: stacked vs alone");
            }
    }

    [Test]
    public void APreferenceProbeStackTrainsLikeEachProbeAlone()
    {
        // Bradley-Terry heads on encoder feature differences, as the weak-to-strong probes of the preference task.
        var members = Enumerable.Range(0, Models).Select(i => Make("lin-pool7", i, pairs: true)).ToList();
        var stacked = Stacked(members, new CrossEntropyLoss());
        using (Assert.EnterMultipleScope())
            for (int i = 0; i < Models; i++)
            {
                var alone = Alone(Make("lin-pool7", i, pairs: true), new CrossEntropyLoss());
                Assert.That(alone.Zip(stacked[i]).Max(p => Math.Abs(p.First - p.Second)), Is.LessThan(1e-5), $"model {i}");
            }
    }

    [TestCase("mlp-xs", "xent", false)]
    [TestCase("mlp-s", "logconf", false)]
    [TestCase("lin-pool7", "product", false)]
    [TestCase("lin-pool7", "xent", true)]
    public void TrainingWithoutAutogradGivesAutogradsBits(string spec, string method, bool pairs)
    {
        // FitStack computes the gradient directly where the stack's kernels and the fused loss apply;
        // with the fused loss switched off it goes through autograd and libtorch's ops.
        Assume.That(SleefFloat.Supported, "the fused loss needs AVX2 and FMA");
        Assert.That(FusedSoftCrossEntropy.Width(2), Is.Not.Null, "the direct path is taken here");
        var direct = Stacked([.. Enumerable.Range(0, Models).Select(i => Make(spec, i, pairs))], Losses.Create(method), out var directLosses);
        float[][] autograd;
        double[] autogradLosses;
        FusedSoftCrossEntropy.Enabled = false;
        try
        {
            autograd = Stacked([.. Enumerable.Range(0, Models).Select(i => Make(spec, i, pairs))], Losses.Create(method), out autogradLosses);
        }
        finally
        {
            FusedSoftCrossEntropy.Enabled = true;
        }
        Assert.That(direct, Is.EqualTo(autograd), "parameters");
        Assert.That(directLosses, Is.EqualTo(autogradLosses), "last epoch's losses");
    }

    [Test]
    public void AStackTrainsToTheSameBitsOnOneThreadAndOnTwo()
    {
        // On two threads the kernels, the copy of the minibatch's inputs and Adam each split the
        // models over the threads; each model's arithmetic must not change.
        float[][] one, two;
        using (new LibtorchThreads(2))
        {
            using (var probe = MlpStack.Like(Models, Make("mlp-s", 0).Model.Layers, pairs: false))
                Assert.That(probe.KernelThreads(Config.Batch), Is.EqualTo(2), "enough work to split a full minibatch");
            two = Stacked([.. Enumerable.Range(0, Models).Select(i => Make("mlp-s", i))], new CrossEntropyLoss());
        }
        using (new LibtorchThreads(1))
            one = Stacked([.. Enumerable.Range(0, Models).Select(i => Make("mlp-s", i))], new CrossEntropyLoss());
        Assert.That(two, Is.EqualTo(one));
    }

    [TestCase("mlp-s", false, 1)]
    [TestCase("mlp-s", false, 2)]
    [TestCase("lin-pool7", true, 1)]
    public void ModelByModelGivesTheBitsOfTheWholeStackStepByStep(string spec, bool pairs, int threads)
    {
        // Where the targets are the labels (xent), each thread takes its models through a whole epoch
        // one at a time; otherwise the stack moves a step at a time. Five models: on two threads one
        // thread takes three, and which thread takes which depends on timing.
        Assume.That(SleefFloat.Supported, "the direct path needs AVX2 and FMA");
        float[][] byModel, byStep;
        double[] byModelLosses, byStepLosses;
        using (new LibtorchThreads(threads))
        {
            byModel = Stacked([.. Enumerable.Range(0, 5).Select(i => Make(spec, i, pairs))], new CrossEntropyLoss(), out byModelLosses);
            Trainer.ModelByModel = false;
            try
            {
                byStep = Stacked([.. Enumerable.Range(0, 5).Select(i => Make(spec, i, pairs))], new CrossEntropyLoss(), out byStepLosses);
            }
            finally
            {
                Trainer.ModelByModel = true;
            }
        }
        Assert.That(byModel, Is.EqualTo(byStep), "parameters");
        Assert.That(byModelLosses, Is.EqualTo(byStepLosses), "last epoch's losses");
    }

    [TestCase(true)]
    [TestCase(false)]
    public void ACancelledStackedFitStopsBeforeItChangesAnyModel(bool modelByModel)
    {
        // A cancelled sweep must not leave a stack half trained as if it were done: the fit throws,
        // and (model by model, where the threads poll the token between steps) trains nothing first.
        var members = Enumerable.Range(0, Models).Select(i => Make("mlp-s", i)).ToList();
        using var models = MlpStack.Like(Models, members[0].Model.Layers, pairs: false);
        for (int s = 0; s < Models; s++) models.Load(s, members[s].Model.Layers);
        using var inputs = StackInputs(members, pairs: false);
        using var targets = stack(members.Select(m => m.Labels).ToList());
        var before = models.parameters().Single().data<float>().ToArray();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Trainer.ModelByModel = modelByModel;
        try
        {
            Assert.That(() => Trainer.FitStack(models, inputs, targets, Config, new CrossEntropyLoss(), [.. members.Select(m => m.Seed)], cancelled.Token),
                Throws.InstanceOf<OperationCanceledException>());
        }
        finally
        {
            Trainer.ModelByModel = true;
        }
        Assert.That(models.parameters().Single().data<float>().ToArray(), Is.EqualTo(before));
    }

    [TestCase("xent")]
    [TestCase("logconf")]
    public void AModelsNumbersDoNotDependOnItsNeighbours(string method)
    {
        var all = Stacked([.. Enumerable.Range(0, Models).Select(i => Make("mlp-s", i))], Losses.Create(method));
        var single = Stacked([Make("mlp-s", 2)], Losses.Create(method));
        var pair = Stacked([Make("mlp-s", 3), Make("mlp-s", 2)], Losses.Create(method));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(single[0], Is.EqualTo(all[2]), "alone in its stack: the same bits");
            Assert.That(pair[1], Is.EqualTo(all[2]), "in another position of another stack: the same bits");
        }
    }
}
