using OversightLab.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OversightLab.Training;

/// <summary>
/// The one training loop: minibatches in a seeded order, Adam without weight decay
/// (<see cref="FusedAdam"/>: TorchSharp's numbers in fewer ops, gradients set to none between steps), cosine schedule to zero, one dispose scope
/// per step, and the loss read back once per epoch to catch NaN/inf without stalling each step.
/// </summary>
public static class Trainer
{
    /// <param name="model">module mapping inputs to logits</param>
    /// <param name="inputs">N × … inputs (images, or features of a frozen encoder)</param>
    /// <param name="targets">N × classes soft targets</param>
    /// <param name="early">if given, the weights of the epoch that scores best on its validation split are kept</param>
    /// <returns>the mean loss of the last epoch</returns>
    public static double Fit(nn.Module<Tensor, Tensor> model, IEnumerable<Parameter> parameters, Tensor inputs, Tensor targets,
        TrainConfig config, ITrainingLoss loss, long seed, CancellationToken cancellation = default, EarlyStopping? early = null)
    {
        long n = inputs.shape[0];
        if (n == 0) throw new ArgumentException("no training examples");
        int stepsPerEpoch = (int)((n + config.Batch - 1) / config.Batch);
        int totalSteps = stepsPerEpoch * config.Epochs;
        var trained = parameters.ToList();
        using var mkl = SmallProducts(model, config.Batch) ? LibtorchNative.OneMklThreadHere() : null;
        using var optimizer = new FusedAdam(trained, lr: config.Lr);
        var schedule = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max: totalSteps);
        model.train();
        List<Tensor>? best = null;

        // On the CPU the minibatch is copied out row by row (Rows.Gather): the same values as index_select, without its per-call cost.
        using var flatInputs = inputs.reshape(n, -1);
        using var flatTargets = targets.reshape(n, -1);
        var rowNumbers = Rows.CanGather(flatInputs) && Rows.CanGather(flatTargets) ? new long[n] : null;
        // The epoch's order: on the CPU drawn into rowNumbers by Randperm (libtorch's numbers without a tensor call), elsewhere by randperm on the device.
        var permutations = rowNumbers is not null ? new Randperm((ulong)seed) : null;
        using var generator = rowNumbers is null ? new Generator((ulong)seed, inputs.device) : null;
        long[] inputShape = inputs.shape[1..], targetShape = targets.shape[1..];   // read once: a shape read costs about a microsecond
        using var minibatches = new MinibatchBuffers();
        double lastEpochLoss = double.NaN;
        int step = 0;
        for (int epoch = 0; epoch < config.Epochs; epoch++)
        {
            using var epochLoss = zeros(1, device: inputs.device);
            permutations?.Next(rowNumbers!);
            using var order = generator is not null ? randperm(n, generator: generator, device: inputs.device) : null;
            for (int b = 0; b < stepsPerEpoch; b++, step++)
            {
                cancellation.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                long start = (long)b * config.Batch, length = Math.Min(config.Batch, n - start);
                var x = Batch(flatInputs, order, rowNumbers, n, start, length, minibatches, 0).view([length, .. inputShape]);
                var y = Batch(flatTargets, order, rowNumbers, n, start, length, minibatches, 1).view([length, .. targetShape]);
                var value = loss.Compute(model.call(x), y, (double)step / totalSteps);
                optimizer.zero_grad();
                value.backward();
                optimizer.step();
                schedule.step();
                AddLoss(epochLoss, value, length);
            }
            lastEpochLoss = epochLoss.item<float>() / n;
            if (!double.IsFinite(lastEpochLoss))
                throw new TrainingDivergedException($"training loss became {lastEpochLoss} in epoch {epoch + 1} (lr {config.Lr})");
            if (early is not null && early.Observe(model, epoch + 1))
            {
                best?.ForEach(t => t.Dispose());
                using (no_grad()) best = trained.Select(p => p.detach().clone().DetachFromDisposeScope()).ToList();
            }
        }
        if (best is not null)
        {
            using (no_grad())
                foreach (var (p, saved) in trained.Zip(best)) p.copy_(saved);
            best.ForEach(t => t.Dispose());
        }
        model.eval();
        return lastEpochLoss;
    }

    /// <summary>
    /// Whether a step's matrix products are too small to gain from a second MKL thread: fewer
    /// multiply-adds per forward pass than <see cref="SmallWork"/>, counted as the batch times every
    /// parameter of the model (a frozen encoder's included). With two threads MKL split an mlp-s
    /// model's 32 × 49 · 49 × 64 product over both, and its fits took 1.2–1.5× as long as on one
    /// (results/perf/README.md). With one thread nothing changes. With more, an MLP's bits do not
    /// either (a test trains one on one and two MKL threads); a two-class probe on 512 features
    /// did change in its last bits, so a 2-thread run's misfit and gain moved in their seventh digit.
    /// </summary>
    static bool SmallProducts(nn.Module<Tensor, Tensor> model, long batch) =>
        get_num_threads() > 1 && batch * model.parameters().Sum(p => p.numel()) < SmallWork;

    /// <summary>How many threads MKL's products called from this thread may use now (0 where MKL's controls were not found).</summary>
    public static int MklThreadsHere => LibtorchNative.MklThreadsHere;

    /// <summary>Multiply-adds per forward pass below which a fit's products run on one MKL thread (<see cref="MlpStack.ParallelWork"/>, about 10 µs of work).</summary>
    public const long SmallWork = MlpStack.ParallelWork;

    /// <summary>
    /// Trains the S models of <paramref name="stack"/> as one computation: model s sees
    /// <c>inputs[s]</c> with <c>targets[s]</c>, in the minibatch order of its own seed — the order
    /// <see cref="Fit"/> uses with that seed — under the same optimizer and schedule. The S losses
    /// are summed before the backward pass; the models share no parameter, so each slice's gradient
    /// is its own loss's, and Adam works element by element. Each slice therefore ends where
    /// training that model alone ends, up to floating-point reassociation (a test checks both this
    /// and that a slice's numbers do not depend on which other models share the stack).
    /// </summary>
    /// <param name="inputs">S × n × input width</param>
    /// <param name="targets">S × n × classes soft targets</param>
    /// <param name="seeds">one data-order seed per model</param>
    /// <returns>each model's mean loss in its last epoch; a diverged model reads NaN or ∞ there and the caller decides what fails (its neighbours are unaffected)</returns>
    public static double[] FitStack(MlpStack stack, Tensor inputs, Tensor targets, TrainConfig config, ITrainingLoss loss, IReadOnlyList<long> seeds,
        CancellationToken cancellation = default)
    {
        long models = inputs.shape[0], n = inputs.shape[1];
        if (models != seeds.Count || models != stack.Models || targets.shape[0] != models) throw new ArgumentException("one seed, input set and target set per model");
        if (n == 0) throw new ArgumentException("no training examples");
        int stepsPerEpoch = (int)((n + config.Batch - 1) / config.Batch);
        int totalSteps = stepsPerEpoch * config.Epochs;
        using var optimizer = new FusedAdam(stack.parameters(), lr: config.Lr);
        var parameter = stack.parameters().Single();
        optimizer.SplitInBlocks(parameter, stack.ParameterBlocks);   // each thread updates the models it ran
        var schedule = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max: totalSteps);
        // Row r of model s is row s·n + r of the flattened stack: one gather takes every model's batch,
        // on the CPU by memory copies, elsewhere by index_select.
        using var flatInputs = inputs.reshape(models * n, -1);
        using var flatTargets = targets.reshape(models * n, -1);
        var rowNumbers = Rows.CanGather(flatInputs) && Rows.CanGather(flatTargets) ? new long[models * n] : null;
        // Each model's epoch order from its own seed: on the CPU drawn into rowNumbers by Randperm,
        // elsewhere by randperm on the device (EpochOrder).
        var permutations = rowNumbers is not null ? seeds.Select(s => new Randperm((ulong)s)).ToList() : null;
        var generators = rowNumbers is null ? seeds.Select(s => new Generator((ulong)s, inputs.device)).ToList() : null;
        stack.train();

        // Where the stack runs on its kernels and the loss is a soft cross-entropy that fuses, each step
        // computes its gradient directly (MlpStack.StepWithoutAutograd) — autograd's bits, without its
        // graph's fixed cost; otherwise through autograd.
        bool kernels = stack.UsesKernels(inputs), direct = kernels && loss is ISoftTargetLoss && FusedSoftCrossEntropy.AppliesLike(targets);
        // Where the targets are the labels themselves (xent), training goes further and takes each model
        // through a whole epoch on its own, on whichever thread is free (ByModel); otherwise the stack
        // moves a step at a time.
        var byModel = direct && ModelByModel && loss is CrossEntropyLoss && permutations is not null && optimizer.Fuses(parameter)
            ? new ByModel(stack, parameter, optimizer, flatInputs, flatTargets, permutations, rowNumbers!, n, config.Batch) : null;
        using var minibatches = new MinibatchBuffers();
        var lastEpochLoss = new double[models];
        int step = 0;
        for (int epoch = 0; epoch < config.Epochs; epoch++)
        {
            if (byModel is not null)
            {
                var sums = byModel.Epoch(stepsPerEpoch, schedule, cancellation);
                cancellation.ThrowIfCancellationRequested();
                step += stepsPerEpoch;
                // As the tensor division below divides: by n rounded to float (checked bit for bit). No tensor op
                // here: the first after an epoch of kernels waits tens of microseconds on cold caches.
                lastEpochLoss = [.. sums.Select(sum => (double)(sum / (float)n))];
                continue;
            }
            using var epochLoss = zeros(models, device: inputs.device);
            using var order = EpochOrder(generators, permutations, n, rowNumbers);
            for (int b = 0; b < stepsPerEpoch; b++, step++)
            {
                cancellation.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                long start = (long)b * config.Batch, length = Math.Min(config.Batch, n - start);
                // Model s's minibatch is block s: S × length × width.
                // The inputs are copied by the threads the stack's kernels will read them on, each its
                // models' rows; the targets by this thread, which computes the loss.
                int threads = kernels ? stack.KernelThreads((int)length) : 1;
                var x = Batch(flatInputs, order, rowNumbers, n, start, length, minibatches, 0, threads).view(models, length, -1);
                var y = Batch(flatTargets, order, rowNumbers, n, start, length, minibatches, 1).view(models, length, -1);
                double progress = (double)step / totalSteps;
                Tensor value;
                if (direct)   // the step sets the gradient itself: no zero_grad
                    value = stack.StepWithoutAutograd(x, logits =>
                        FusedSoftCrossEntropy.LossAndGradient(logits, ((ISoftTargetLoss)loss).SoftTargets(logits, y, progress))
                        ?? throw new InvalidOperationException("the fused loss no longer applies"))
                        ?? throw new InvalidOperationException("the stack's kernels no longer apply");
                else
                {
                    optimizer.zero_grad();   // to none: the step's fresh gradient tensor becomes the gradient
                    value = loss.Compute(stack.call(x), y, progress);
                    value.sum().backward();
                }
                optimizer.step();
                schedule.step();
                AddLoss(epochLoss, value, length);
            }
            lastEpochLoss = (epochLoss / n).to(CPU).data<float>().Select(v => (double)v).ToArray();
        }
        generators?.ForEach(g => g.Dispose());
        stack.eval();
        return lastEpochLoss;
    }

    /// <summary>False: a stack's direct training goes step by step even where it could go model by model (<see cref="ByModel"/>), for comparison (tests, benchmarks).</summary>
    public static bool ModelByModel { get; set; } = true;

    /// <summary>
    /// A stack's direct training (<see cref="MlpStack.StepWithoutAutograd"/>'s kernels, the fused loss
    /// and the fused Adam) an epoch at a time, model by model: each of the kernels' threads takes the
    /// next model no thread has taken and runs it through every step of the epoch, each step from its
    /// minibatch's rows to its parameters' update. The models share nothing, so the threads meet once
    /// an epoch, not four times a step, and a model's weights, moments, activations and rows stay in
    /// its core's cache from one step to the next. Each model gets the same operations in the same
    /// order as in a step of the whole stack, so the same bits (a test compares the two): only the
    /// order between models changes. mlp-s at S = 32 (fits alternating with the step-by-step path in one
    /// process, 100 pairs): 0.89 of the time with 2 threads, 0.91 with 1; lin-pool7 0.78 with 1.
    /// </summary>
    sealed unsafe class ByModel(MlpStack stack, Parameter parameter, FusedAdam optimizer, Tensor flatInputs, Tensor flatTargets, IReadOnlyList<Randperm> permutations, long[] rowNumbers, long n, int batch)
    {
        readonly int threads = Math.Min(stack.KernelThreads(n), stack.Models), classes = (int)flatTargets.size(1), width = (int)flatInputs.size(1);
        readonly float* inputs = CpuFloats.Pointer(flatInputs), targets = CpuFloats.Pointer(flatTargets);
        readonly long rows = flatInputs.size(0);
        readonly FusedSoftCrossEntropy.Widths widths = FusedSoftCrossEntropy.Width((int)flatTargets.size(1))!.Value;
        readonly FusedAdam.Memory memory = optimizer.MemoryOf(parameter) ?? throw new ArgumentException("the optimizer does not fuse");
        MlpStack.ModelScratch[]? scratches;

        /// <summary>
        /// The order the threads take the models in: the stack cut into as many runs as threads, and
        /// the runs interleaved (0, 16, 1, 17, … for 32 models on 2 threads), so that the models being
        /// trained at the same moment lie far apart in the parameter. Neighbours share cache lines
        /// where a piece is short (a two-class head's biases: 8 models to a line), and two threads
        /// writing one line take turns owning it. 100 fits alternating with the order 0, 1, 2, … in one
        /// process, 2 threads: mlp-s at S = 32 took 0.85 and 0.86 of the time (twice), mlp-xs 0.95; in a
        /// faster stretch, taking the models from both ends or 8 apart gave mlp-s 0.96–0.97.
        /// </summary>
        int[]? order;

        static int[] Interleaved(int models, int runs)
        {
            int length = (models + runs - 1) / runs;
            return [.. Enumerable.Range(0, models).OrderBy(s => s % length).ThenBy(s => s / length)];
        }

        /// <summary>
        /// One epoch in <paramref name="steps"/> minibatches: each model draws its order (into its block
        /// of <c>rowNumbers</c>) and runs every step; <paramref name="schedule"/> steps once a minibatch,
        /// as in the step-by-step loop. On cancellation the threads stop after their current step.
        /// </summary>
        /// <returns>each model's losses times its minibatches' lengths, added up in float as the step-by-step loop adds them</returns>
        public float[] Epoch(int steps, optim.lr_scheduler.LRScheduler schedule, CancellationToken cancellation)
        {
            // Each step's constants, as optimizer.step() then schedule.step() would take them, step after step.
            var constants = new FusedAdam.Constants[steps];
            for (int b = 0; b < steps; b++)
            {
                constants[b] = optimizer.NextStep(parameter) ?? throw new InvalidOperationException("the optimizer no longer fuses");
                schedule.step();
            }
            scratches ??= [.. Enumerable.Range(0, threads).Select(_ => new MlpStack.ModelScratch(stack, (int)Math.Min(batch, n), classes))];
            order ??= Interleaved(stack.Models, threads);
            var sums = new float[stack.Models];
            int claimed = -1;
            LibtorchNative.Parallel(threads, (thread, _) =>
            {
                var scratch = scratches[thread];
                Span<float> loss = stackalloc float[1];
                // Models one after another, each taken by the first thread free: they cost about the same, so no thread waits long for the other at the end.
                for (int c; (c = Interlocked.Increment(ref claimed)) < stack.Models;)
                {
                    int s = order[c];
                    permutations[s].Next(rowNumbers.AsSpan((int)(s * n), (int)n), s * n);
                    for (int b = 0; b < steps && !cancellation.IsCancellationRequested; b++)
                    {
                        long start = (long)b * batch;
                        int length = (int)Math.Min(batch, n - start);
                        var minibatch = rowNumbers.AsSpan((int)(s * n + start), length);
                        // The copy also prefetches the first rows of the model's next minibatch.
                        var next = start + batch < n ? rowNumbers.AsSpan((int)(s * n + start + batch), (int)Math.Min(batch, n - start - batch)) : default;
                        fixed (float* inputRows = scratch.Inputs, targetRows = scratch.Targets)
                        {
                            Rows.Copy(inputs, rows, width, minibatch, next, inputRows);
                            Rows.Copy(targets, rows, classes, minibatch, next, targetRows);
                        }
                        var x = scratch.Inputs.AsSpan(0, length * width);
                        var logits = stack.ModelForward(s, length, x, scratch);
                        var logitsGradient = scratch.LogitsGradient.AsSpan(0, length * classes);
                        FusedSoftCrossEntropy.LossAndGradient(logits, scratch.Targets.AsSpan(0, length * classes), length, classes, widths, loss, logitsGradient);
                        stack.ModelBackward(s, length, x, logitsGradient, scratch);
                        int at = 0;
                        for (int piece = 0; piece < stack.Pieces; piece++)
                        {
                            var (offset, pieceLength) = stack.Piece(s, piece);
                            FusedAdam.UpdatePiece(memory, constants[b], offset, scratch.Gradient.AsSpan(at, pieceLength));
                            at += pieceLength;
                        }
                        sums[s] += loss[0] * (long)length;
                    }
                }
            });
            return sums;
        }
    }

    /// <summary>
    /// epochLoss += value · length, element by element (one loss per model). On the CPU in place: the
    /// same float operations as <c>add_</c>, without its three tensor ops per step.
    /// </summary>
    static void AddLoss(Tensor epochLoss, Tensor value, long length)
    {
        if (CpuFloats.Holds(epochLoss) && CpuFloats.Holds(value) && value.numel() == epochLoss.numel())
        {
            Span<float> sums = CpuFloats.Of(epochLoss), losses = CpuFloats.Of(value);
            for (int i = 0; i < sums.Length; i++) sums[i] += losses[i] * length;
        }
        else epochLoss.add_(value.detach() * length);
    }

    /// <summary>
    /// The matrices a fit's minibatches are gathered into (inputs, targets), kept from one step to the
    /// next while the minibatch's length stays, as <see cref="MlpStack"/> keeps its step's outputs
    /// and gradient (why: there). A step's tensors never outlive the step, so nothing still reads
    /// last step's rows.
    /// </summary>
    sealed class MinibatchBuffers : IDisposable
    {
        readonly Tensor?[] kept = new Tensor?[2];

        public Tensor Gather(int which, Tensor flat, long[] rowNumbers, long n, long start, long length, int threads)
        {
            long models = rowNumbers.Length / n;
            if (kept[which] is { } old && old.size(0) != models * length)
            {
                old.Dispose();
                kept[which] = null;
            }
            var rows = Rows.Gather(flat, rowNumbers, n, start, length, kept[which], threads);
            kept[which] ??= rows.DetachFromDisposeScope();
            return rows;
        }

        public void Dispose()
        {
            foreach (var t in kept) t?.Dispose();
        }
    }

    /// <summary>
    /// Rows [start, start + length) of each model's epoch order (one model: <paramref name="order"/>
    /// is n long; a stack: S × n), from the flattened data, as (models·length) × width: by memory
    /// copies into <paramref name="buffers"/>' matrix <paramref name="which"/> where <paramref name="rowNumbers"/>
    /// (the order, read once per epoch) is given, split over <paramref name="threads"/> by model (<see cref="Rows.Gather"/>), else by index_select.
    /// </summary>
    static Tensor Batch(Tensor flat, Tensor? order, long[]? rowNumbers, long n, long start, long length, MinibatchBuffers buffers, int which, int threads = 1) =>
        rowNumbers is not null ? buffers.Gather(which, flat, rowNumbers, n, start, length, threads)
        : flat.index_select(0, order!.dim() == 1 ? order.narrow(0, start, length) : order.narrow(1, start, length).reshape(-1));

    /// <summary>
    /// Each model's permutation of its rows for one epoch, from its own generator, as flat row numbers
    /// into the stack: on the CPU drawn into <paramref name="rowNumbers"/> (then null is returned), else
    /// as an S × n tensor on the generators' device.
    /// </summary>
    static Tensor? EpochOrder(IReadOnlyList<Generator>? generators, IReadOnlyList<Randperm>? permutations, long n, long[]? rowNumbers)
    {
        if (rowNumbers is not null)
        {
            for (int s = 0; s < permutations!.Count; s++) permutations[s].Next(rowNumbers.AsSpan((int)(s * n), (int)n), s * n);
            return null;
        }
        using var scope = NewDisposeScope();
        var orders = generators!.Select(g => randperm(n, generator: g, device: g.device)).ToList();
        return stack(orders).add_(arange(orders.Count, device: orders[0].device).mul_(n).unsqueeze(1)).MoveToOuterDisposeScope();
    }

    /// <summary>Softmax probabilities of <paramref name="model"/> on <paramref name="inputs"/>, in batches, without gradients.</summary>
    public static Tensor Probabilities(nn.Module<Tensor, Tensor> model, Tensor inputs, int batch = 4096)
    {
        using var _ = no_grad();
        model.eval();
        var parts = new List<Tensor>();
        for (long start = 0; start < inputs.shape[0]; start += batch)
            parts.Add(model.call(inputs.narrow(0, start, Math.Min(batch, inputs.shape[0] - start))).softmax(1));
        var result = cat(parts, 0);
        foreach (var p in parts) p.Dispose();
        return result;
    }
}
