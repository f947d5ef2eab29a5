using OversightLab.Data;
using OversightLab.Models;
using OversightLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace OversightLab.Experiments;

/// <summary>
/// What a protocol gets from the runner: the device, the model cache, cancellation, and the
/// process-wide seed (set only through <see cref="Reseed"/>). It also keeps, per process, what
/// every cell shares: task data on the device, frozen pretrained encoders and their features.
/// </summary>
public sealed class RunContext(Device device, ModelCache cache, CancellationToken cancellation = default) : IDisposable
{
    readonly Dictionary<string, object> shared = [];
    readonly List<IDisposable> owned = [];

    public Device Device { get; } = device;
    public ModelCache Cache { get; } = cache;
    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>
    /// The cells this run still has to compute (set by the sweep loop), so that a protocol can
    /// train the models of several cells together (<see cref="Models.MlpStack"/>). A cell's numbers
    /// must not depend on which other cells are pending: a resumed run or a shard sees other ones.
    /// </summary>
    public IReadOnlyList<ICell> Pending { get; set; } = [];

    /// <summary>Sets TorchSharp's process-wide seed from <paramref name="parts"/> and returns it.</summary>
    public long Reseed(params object[] parts)
    {
        long seed = Seeds.Derive(parts);
        manual_seed(seed);
        return seed;
    }

    /// <summary>
    /// An object several cells of this run share (a trained weak supervisor, a ceiling, a judge),
    /// made once by <paramref name="create"/>. Protocols keep no state of their own.
    /// </summary>
    public T Shared<T>(string key, Func<T> create) where T : class
    {
        if (shared.TryGetValue(key, out var known)) return (T)known;
        var made = create();
        shared[key] = made;
        if (made is IDisposable d) owned.Add(d);
        return made;
    }

    public TaskData Task(TaskSpec spec) => Shared("task|" + spec, () => spec.Build(Device));

    /// <summary>
    /// The frozen encoder of a pretrained ladder model, pretrained on the task's related labelled
    /// task over its pretraining pool (disjoint from every experiment's train and test data) for the
    /// spec's budget — or loaded from the cache. Tasks with the same related task share it.
    /// </summary>
    public Encoder PretrainedEncoder(ModelSpec spec, TaskData task) => Shared($"encoder|{spec.Canonical}|{task.PretrainTask}", () =>
    {
        long[] item = ItemShape(task);
        long seed = Reseed("pretrain", spec.Canonical, task.PretrainTask);
        var encoder = new Encoder(spec, item);
        var classifier = new Classifier(spec, encoder, item, task.PretrainOutputs, pairs: false);
        classifier.to(Device);
        string key = $"pretrain-v2|{spec.Canonical}|{task.PretrainTask}|{task.PretrainLoss}|pool={task.PretrainPool.Length}@{DigitSplit.DataSeed}|batch=64;lr=0.001";
        if (!Cache.TryLoad(key, encoder))
        {
            using var scope = NewDisposeScope();
            var rows = Index(task.PretrainPool);
            Trainer.Fit(classifier, classifier.parameters(), task.Items.index_select(0, rows), task.PretrainTargets.index_select(0, rows),
                new TrainConfig(spec.PretrainEpochs, 64, 1e-3), Losses.Create(task.PretrainLoss), seed, Cancellation);
            Cache.Save(key, encoder);
        }
        encoder.eval();
        foreach (var p in encoder.parameters()) p.requires_grad = false;
        return encoder;
    });

    /// <summary>Inputs of every example for a model that trains end to end: items, or n × 2 × item pairs.</summary>
    public Tensor ExampleInputs(TaskData task) => Shared($"inputs|{task.Canonical}", () =>
        task.Pairs is null ? task.Items.alias() : Pairwise(task.Items, task.Pairs));

    /// <summary>A frozen encoder's features of every example: item features, or φ(a) − φ(b) for a pair.</summary>
    public Tensor ExampleFeatures(ModelSpec spec, TaskData task) => Shared($"features|{spec.Canonical}|{task.Canonical}", () =>
    {
        var encoder = PretrainedEncoder(spec, task);
        using var _ = no_grad();
        using var features = encoder.call(task.Items);
        return task.Pairs is null ? features.alias() : features.index_select(0, task.Pairs.select(1, 0)) - features.index_select(0, task.Pairs.select(1, 1));
    });

    public Tensor Index(int[] rows) => tensor(rows.Select(r => (long)r).ToArray()).to(Device);

    public static long[] ItemShape(TaskData task) => task.Items.shape[1..];

    static Tensor Pairwise(Tensor items, Tensor pairs) =>
        stack([items.index_select(0, pairs.select(1, 0)), items.index_select(0, pairs.select(1, 1))], 1);

    public void Dispose()
    {
        foreach (var d in owned) d.Dispose();
    }
}
