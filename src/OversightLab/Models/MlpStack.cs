using System.Buffers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OversightLab.Models;

/// <summary>
/// S independent models of one shape — ReLU layers and a linear head on flat inputs — held as
/// stacked layers (S × in × out) so that one batched matrix product runs all of them: the
/// small models of a sweep cost per-op overhead, not arithmetic, and S of them cost about what one
/// does. Slice s is exactly the model loaded into it with <see cref="Load"/>; nothing mixes slices.
/// <para>
/// It reads inputs already flat (pooled pixels, or a frozen encoder's features). For a preference
/// task (<c>pairs</c>) it has no hidden layers: its inputs are feature differences φ(a) − φ(b) and
/// the head returns [0, r(a) − r(b)], as <see cref="ProbeHead"/> does.
/// </para>
/// </summary>
public sealed class MlpStack : nn.Module<Tensor, Tensor>
{
    /// <summary>
    /// Every parameter of every model in one flat tensor, layer by layer (all S models' weights of
    /// layer 1, then their biases, then layer 2's, …), so that each layer is a contiguous S × in × out
    /// view for the batched product, and the optimizer updates one tensor per step, not two per
    /// layer — at these sizes each tensor op costs microseconds of overhead whatever its size.
    /// </summary>
    readonly Parameter values;
    readonly List<(int In, int Out, int Weight, int Bias)> layout = [];
    readonly long[] sizes;
    readonly bool pairs;

    /// <param name="widths">input width, hidden widths, outputs (1 for pairs)</param>
    public MlpStack(int models, IReadOnlyList<int> widths, bool pairs) : base(nameof(MlpStack))
    {
        if (pairs && widths.Count != 2) throw new ArgumentException("a preference stack is a probe: no hidden layers");
        this.pairs = pairs;
        Models = models;
        int size = 0;
        for (int l = 0; l + 1 < widths.Count; l++)
        {
            int weight = size;
            size += models * widths[l] * widths[l + 1];
            // No bias for preferences: it would cancel in r(a) − r(b).
            int bias = pairs ? -1 : size;
            if (!pairs) size += models * widths[l + 1];
            layout.Add((widths[l], widths[l + 1], weight, bias));
        }
        values = new Parameter(zeros(size));
        var pieces = new List<(long, int, int)>();
        int at = 0;
        foreach (var (input, output, weight, bias) in layout)
        {
            pieces.Add((weight, input * output, at));
            at += input * output;
            pieces.Add((Math.Max(bias, 0), bias < 0 ? 0 : output, at));
            if (bias >= 0) at += output;
        }
        modelPieces = [.. pieces];
        outputWidths = layout.Sum(l => l.Out);
        sizes = [.. layout.SelectMany(l => l.Bias < 0 ? new long[] { models * l.In * l.Out } : [models * l.In * l.Out, models * l.Out])];
        RegisterComponents();
    }

    public int Models { get; }

    /// <summary>
    /// The parameter's blocks, in order: each layer's weights of every model, then their biases.
    /// Each block holds the models in order, so an even split of each gives every thread the models
    /// its share of the kernels runs, up to a cache line at the boundary (<see cref="Training.FusedAdam.SplitInBlocks"/>).
    /// </summary>
    public IReadOnlyList<long> ParameterBlocks => sizes;

    /// <summary>A stack shaped like <paramref name="layers"/> (an encoder's layers and its head), for a task with <paramref name="pairs"/>.</summary>
    public static MlpStack Like(int models, IReadOnlyList<Linear> layers, bool pairs) =>
        new(models, [(int)layers[0].weight!.shape[1], .. layers.Select(l => (int)l.weight!.shape[0])], pairs);

    /// <summary>Layer <paramref name="l"/>'s weights of every model, S × in × out (a view).</summary>
    Tensor Weight(int l) => values.narrow(0, layout[l].Weight, Models * layout[l].In * layout[l].Out).view(Models, layout[l].In, layout[l].Out);

    /// <summary>Layer <paramref name="l"/>'s biases of every model, S × 1 × out (a view), or null.</summary>
    Tensor? Bias(int l) => layout[l].Bias < 0 ? null : values.narrow(0, layout[l].Bias, Models * layout[l].Out).view(Models, 1, layout[l].Out);

    /// <summary>Copies a model's linear layers (encoder layers, then the head) into slice <paramref name="model"/>.</summary>
    public void Load(int model, IReadOnlyList<Linear> layers)
    {
        if (layers.All(l => CpuFloats.Holds(l.weight!) && (l.bias is null || CpuFloats.Holds(l.bias))) && CpuFloats.Holds(values))
        {
            // Spans, not tensor ops: a sweep loads every student, and each op costs microseconds.
            var parameters = CpuFloats.Of(values);
            foreach (var (linear, l) in layers.Select((x, i) => (x, i)))
            {
                var (input, output, weight, bias) = layout[l];
                StackKernels.Transpose(output, input, CpuFloats.Of(linear.weight!), parameters.Slice(weight + model * input * output, input * output));
                if (linear.bias is not null && bias >= 0) CpuFloats.Of(linear.bias).CopyTo(parameters.Slice(bias + model * output, output));
            }
            return;
        }
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var (linear, l) in layers.Select((x, i) => (x, i)))
        {
            Weight(l)[model].copy_(linear.weight!.t());
            if (linear.bias is not null) Bias(l)![model].copy_(linear.bias.unsqueeze(0));
        }
    }

    /// <summary>Copies slice <paramref name="model"/> back into a model's linear layers.</summary>
    public void Store(int model, IReadOnlyList<Linear> layers)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var (linear, l) in layers.Select((x, i) => (x, i)))
        {
            linear.weight!.copy_(Weight(l)[model].t());
            linear.bias?.copy_(Bias(l)![model].squeeze(0));
        }
    }

    /// <param name="inputs">S × batch × input width</param>
    /// <returns>S × batch × outputs (logits; [0, score] pairs for preferences)</returns>
    public override Tensor forward(Tensor inputs)
    {
        var x = UsesKernels(inputs) ? Kernels.apply(this, inputs, values) : Batched(inputs);
        return pairs ? cat([zeros_like(x), x], -1) : x;
    }

    /// <summary>
    /// Whether this forward pass (and its backward) runs on <see cref="StackKernels"/>: float32 on the
    /// CPU with vector instructions, and layers small enough that per-call overhead, not arithmetic,
    /// is what libtorch's batched product costs. The choice depends on the stack's shape only, never
    /// on how many models it holds, so a model's numbers stay independent of its neighbours.
    /// </summary>
    public bool UsesKernels(Tensor inputs) =>
        UseKernels && CpuFloats.Holds(values) && inputs.device_type == DeviceType.CPU && inputs.dtype == ScalarType.Float32
        && System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated && layout.All(l => l.In * l.Out <= KernelLayerLimit);

    /// <summary>
    /// Largest layer (inputs × outputs) the kernels take. One thread, a training step with 32 rows per
    /// model: the kernels were 1.4× faster than libtorch's batched product for mlp-s and mlp-m stacks,
    /// even for mlp-l (784 × 256) and 1.2× slower for mlp-xl (784 × 512, 512 × 512).
    /// </summary>
    public const int KernelLayerLimit = 256 * 256;

    /// <summary>False: always libtorch's batched product, for comparison (the kernels' tests, benchmarks).</summary>
    public bool UseKernels { get; set; } = true;

    /// <summary>libtorch's batched product, layer by layer: any device and dtype.</summary>
    Tensor Batched(Tensor inputs)
    {
        // One split into every layer's weights and biases: its backward is one concatenation of their
        // gradients (a view per layer would each allocate and fill a zero gradient of the whole stack).
        var parts = values.split(sizes);
        var x = inputs;
        int p = 0;
        for (int l = 0; l < layout.Count; l++)
        {
            var (input, output, _, bias) = layout[l];
            // bmm, then the bias: TorchSharp 0.107's baddbmm passes its arguments to libtorch in the wrong order.
            x = x.bmm(parts[p++].view(Models, input, output));
            if (bias >= 0) x = x.add_(parts[p++].view(Models, 1, output));
            if (l + 1 < layout.Count) x = nn.functional.relu(x);
        }
        return x;
    }


    /// <summary>
    /// The whole stack as one autograd node on <see cref="StackKernels"/>: the forward pass keeps each
    /// layer's input, the backward pass writes the gradient of every weight and bias into one flat
    /// tensor shaped like the parameters. The inputs get no gradient (they are data or frozen features).
    /// </summary>
    sealed class Kernels : autograd.SingleTensorFunction<Kernels>
    {
        public override string Name => nameof(MlpStack);

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (stack, inputs, values) = ((MlpStack)vars[0], (Tensor)vars[1], (Tensor)vars[2]);
            var layerInputs = stack.KernelForward(inputs);
            var y = layerInputs[^1];
            layerInputs.RemoveAt(layerInputs.Count - 1);
            ctx.save_for_backward([values, .. layerInputs]);
            ctx.save_data(nameof(MlpStack), stack);
            return y;
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            var stack = (MlpStack)ctx.get_data(nameof(MlpStack));
            var saved = ctx.get_saved_variables();
            return [null!, null!, stack.KernelBackward(saved.Skip(1).ToList(), gradOutput)];
        }
    }

    /// <summary>
    /// The forward pass on <see cref="StackKernels"/>, outside autograd: every layer's input, then the
    /// output (S × rows × outputs), last.
    /// </summary>
    /// <param name="reuse">write the layers' outputs into <see cref="stepOutputs"/>, kept from the last step of this batch size: only where nothing keeps them past the step</param>
    List<Tensor> KernelForward(Tensor inputs, bool reuse = false)
    {
        inputs = inputs.contiguous();
        int models = Models, rows = (int)inputs.size(1);
        // Layer l reads layerInputs[l] and writes layerInputs[l + 1]; the last one is the output.
        var layerInputs = new List<Tensor> { inputs };
        if (reuse && (stepOutputs is null || stepOutputs[0].size(1) != rows))
        {
            foreach (var t in stepOutputs ?? []) t.Dispose();
            stepOutputs = [.. layout.Select(layer => empty(models, rows, layer.Out, dtype: ScalarType.Float32).DetachFromDisposeScope())];
        }
        if (reuse) layerInputs.AddRange(stepOutputs!);
        else foreach (var layer in layout) layerInputs.Add(empty(models, rows, layer.Out, dtype: ScalarType.Float32));
        LibtorchNative.Parallel(KernelThreads(rows), (thread, threads) =>
        {
            ReadOnlySpan<float> parameters = CpuFloats.Of(values);
            var transposed = ArrayPool<float>.Shared.Rent(LargestLayer);
            var (from, to) = LibtorchNative.Share(models, thread, threads);
            for (int l = 0; l < layout.Count; l++)
            {
                var (input, output, _, _) = layout[l];
                Span<float> xs = CpuFloats.Of(layerInputs[l]), ys = CpuFloats.Of(layerInputs[l + 1]);
                for (int s = (int)from; s < to; s++)
                    LayerForward(l, s, rows, parameters, xs.Slice(s * rows * input, rows * input), ys.Slice(s * rows * output, rows * output), transposed);
            }
            ArrayPool<float>.Shared.Return(transposed);
        });
        return layerInputs;
    }

    /// <summary>
    /// The backward pass on <see cref="StackKernels"/>, outside autograd: from each layer's input and
    /// the gradient of the output, the gradient of every weight and bias in one flat tensor shaped
    /// like the parameters. The inputs get no gradient (they are data or frozen features).
    /// </summary>
    /// <param name="reuse">write the gradient into <see cref="stepGradient"/>, kept from the last step</param>
    Tensor KernelBackward(IReadOnlyList<Tensor> layerInputs, Tensor gradOutput, bool reuse = false)
    {
        int models = Models, rows = (int)layerInputs[0].size(1);
        // Every element is written below: each layer's weights by a product, its biases by a sum.
        var gradient = reuse ? stepGradient ??= empty_like(values).DetachFromDisposeScope() : empty_like(values);
        var pool = ArrayPool<float>.Shared;
        // The gradient with respect to the current layer's output, then its input, for every model:
        // each model owns a block of rows × the widest layer in both arrays, whatever layer it is at,
        // so threads working on different models never touch the same memory.
        int block = rows * layout.Max(l => Math.Max(l.In, l.Out));
        float[] upstream = pool.Rent(models * block), downstream = pool.Rent(models * block);
        int heads = layout[^1].Out;
        ReadOnlySpan<float> gradOutputs = CpuFloats.Of(gradOutput.contiguous());
        for (int s = 0; s < models; s++) gradOutputs.Slice(s * rows * heads, rows * heads).CopyTo(upstream.AsSpan(s * block));
        LibtorchNative.Parallel(KernelThreads(rows), (thread, threads) =>
        {
            ReadOnlySpan<float> parameters = CpuFloats.Of(values);
            Span<float> grads = CpuFloats.Of(gradient);
            var scratch = pool.Rent(LargestLayer);
            var (from, to) = LibtorchNative.Share(models, thread, threads);
            var (dys, dxs) = (upstream, downstream);
            for (int l = layout.Count - 1; l >= 0; l--)
            {
                var (input, output, weight, bias) = layout[l];
                ReadOnlySpan<float> xs = CpuFloats.Of(layerInputs[l]);
                for (int s = (int)from; s < to; s++)
                    LayerBackward(l, s, rows, parameters, xs.Slice(s * rows * input, rows * input), dys.AsSpan(s * block, rows * output),
                        grads.Slice(weight + s * input * output, input * output), bias >= 0 ? grads.Slice(bias + s * output, output) : default,
                        l == 0 ? default : dxs.AsSpan(s * block, rows * input), scratch);
                (dys, dxs) = (dxs, dys);
            }
            pool.Return(scratch);
        });
        pool.Return(upstream);
        pool.Return(downstream);
        return gradient;
    }

    /// <summary>
    /// Layer <paramref name="l"/> of model <paramref name="s"/>: its output rows <paramref name="y"/> from
    /// its input rows <paramref name="x"/> (then ReLU, but for the head). <paramref name="transposed"/>: room for the layer's weights.
    /// </summary>
    void LayerForward(int l, int s, int rows, ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, float[] transposed)
    {
        var (input, output, weight, bias) = layout[l];
        bool head = l + 1 == layout.Count;
        var w = parameters.Slice(weight + s * input * output, input * output);
        if (output >= 8) StackKernels.Gemm(rows, output, input, x, input, 1, w, y, accumulate: false);
        else
        {
            // A narrow head: each output a dot product of an input row with a column of W.
            StackKernels.Transpose(input, output, w, transposed);
            StackKernels.GemmTransposed(rows, output, input, x, transposed, y);
        }
        if (bias >= 0) StackKernels.BiasRelu(y, parameters.Slice(bias + s * output, output), relu: !head);
        else if (!head) throw new InvalidOperationException("hidden layers have biases");
    }

    /// <summary>
    /// Layer <paramref name="l"/>'s backward pass for model <paramref name="s"/>: from its input rows
    /// <paramref name="x"/> and the gradient of its output <paramref name="dy"/>, the gradient of its
    /// weights (<paramref name="dw"/>, in the parameters' layout) and biases (<paramref name="db"/>, unless it has none) and, but for the first
    /// layer, of its input (<paramref name="dx"/>, back through the previous layer's ReLU). <paramref name="scratch"/>: room for the layer's weights.
    /// </summary>
    void LayerBackward(int l, int s, int rows, ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> dy,
        Span<float> dw, Span<float> db, Span<float> dx, float[] scratch)
    {
        var (input, output, weight, bias) = layout[l];
        if (output >= 8) StackKernels.Gemm(input, output, rows, x, 1, input, dy, dw, accumulate: false);
        else
        {
            // A narrow head: dWᵀ (output × input) vectorises over the inputs.
            StackKernels.Gemm(output, input, rows, dy, 1, output, x, scratch, accumulate: false);
            StackKernels.Transpose(output, input, scratch, dw);
        }
        if (bias >= 0) StackKernels.ColumnSums(dy, db);
        if (l == 0) return;
        // dX = dY·Wᵀ, then back through the previous layer's ReLU (its output is this layer's input).
        StackKernels.Transpose(input, output, parameters.Slice(weight + s * input * output, input * output), scratch);
        StackKernels.Gemm(rows, input, output, dy, output, 1, scratch, dx, accumulate: false);
        StackKernels.ReluMask(dx, x);
    }

    /// <summary>
    /// One training step's forward and backward passes without autograd, where the stack runs on its
    /// kernels: the forward pass, then <paramref name="lossAndGradient"/> turns the logits into each
    /// model's loss and the gradient of their sum with respect to the logits, then the backward pass
    /// sets the parameters' gradient. It saves the autograd graph's fixed cost (its nodes cost tens of
    /// microseconds each from .NET), and gives autograd's bits: the same kernels in the same order
    /// (a test compares the two).
    /// </summary>
    /// <param name="inputs">S × batch × input width</param>
    /// <param name="lossAndGradient">from the logits (S × batch × outputs, [0, score] pairs for preferences): the S losses and their gradient</param>
    /// <returns>the S losses, or null where the kernels do not run (<see cref="UsesKernels"/>); then nothing was done</returns>
    public Tensor? StepWithoutAutograd(Tensor inputs, Func<Tensor, (Tensor Loss, Tensor Gradient)> lossAndGradient)
    {
        if (!UsesKernels(inputs)) return null;
        using var _ = no_grad();
        var layerInputs = KernelForward(inputs, reuse: true);
        var outputs = layerInputs[^1];
        layerInputs.RemoveAt(layerInputs.Count - 1);
        var (loss, gradient) = lossAndGradient(pairs ? cat([zeros_like(outputs), outputs], -1) : outputs);
        // For preferences the logits are [0, score]: the score's gradient is the second column's.
        values.grad = KernelBackward(layerInputs, pairs ? gradient.narrow(-1, 1, 1) : gradient, reuse: true);
        return loss;
    }

    /// <summary>
    /// One thread's memory for training the stack's models one at a time (<see cref="ModelForward"/>,
    /// <see cref="ModelBackward"/>), for minibatches of up to <c>rows</c>: a model's minibatch, its
    /// layers' outputs and gradients, its logits and their gradient, and its parameters' gradient
    /// (<see cref="Gradient"/>, its pieces one after another in <see cref="Piece"/>'s order). A model's
    /// whole step then works in a hundred kilobytes or so, which stay in the core's cache.
    /// </summary>
    internal sealed unsafe class ModelScratch
    {
        public ModelScratch(MlpStack stack, int rows, int classes)
        {
            Parameters = CpuFloats.Pointer(stack.values);
            ParameterCount = (int)stack.values.numel();
            int widest = stack.layout.Max(l => Math.Max(l.In, l.Out));
            Inputs = new float[rows * stack.layout[0].In];
            Targets = new float[rows * classes];
            Outputs = new float[rows * stack.outputWidths];
            Logits = new float[rows * classes];
            LogitsGradient = new float[rows * classes];
            Upstream = new float[rows * widest];
            Downstream = new float[rows * widest];
            Weights = new float[stack.LargestLayer];
            Gradient = new float[stack.modelPieces.Sum(p => p.Length)];
        }

        /// <summary>The stack's parameters (libtorch's memory, which does not move), read without a tensor call.</summary>
        public readonly float* Parameters;
        public readonly int ParameterCount;
        public readonly float[] Inputs, Targets, Outputs, Logits, LogitsGradient, Upstream, Downstream, Weights, Gradient;
    }

    /// <summary>
    /// Model <paramref name="s"/>'s forward pass on the kernels, outside autograd, from its minibatch
    /// (<paramref name="rows"/> × input width) on one thread's <paramref name="scratch"/>: its logits,
    /// rows × classes ([0, score] rows for preferences), as the stack's forward pass computes them.
    /// Touches no tensor: threads may run different models at once.
    /// </summary>
    internal unsafe ReadOnlySpan<float> ModelForward(int s, int rows, ReadOnlySpan<float> inputs, ModelScratch scratch)
    {
        var parameters = new ReadOnlySpan<float>(scratch.Parameters, scratch.ParameterCount);
        ReadOnlySpan<float> x = inputs;
        int at = 0;
        for (int l = 0; l < layout.Count; l++)
        {
            var y = scratch.Outputs.AsSpan(at, rows * layout[l].Out);
            LayerForward(l, s, rows, parameters, x, y, scratch.Weights);
            x = y;
            at += y.Length;
        }
        if (!pairs) return x;
        var logits = scratch.Logits.AsSpan(0, 2 * rows);
        for (int i = 0; i < rows; i++) (logits[2 * i], logits[2 * i + 1]) = (0f, x[i]);
        return logits;
    }

    /// <summary>
    /// Model <paramref name="s"/>'s backward pass after <see cref="ModelForward"/> on the same
    /// <paramref name="scratch"/> and minibatch: from the gradient of its logits, the gradient of its
    /// parameters into <see cref="ModelScratch.Gradient"/>, the same bits as <see cref="StepWithoutAutograd"/> gives it.
    /// </summary>
    internal unsafe void ModelBackward(int s, int rows, ReadOnlySpan<float> inputs, ReadOnlySpan<float> logitsGradient, ModelScratch scratch)
    {
        var parameters = new ReadOnlySpan<float>(scratch.Parameters, scratch.ParameterCount);
        Span<float> gradient = scratch.Gradient;
        ReadOnlySpan<float> dy = logitsGradient;
        // For preferences the logits are [0, score]: the score's gradient is the second column's.
        var (next, spare) = pairs ? (scratch.Downstream, scratch.Upstream) : (scratch.Upstream, scratch.Downstream);
        if (pairs)
        {
            var column = spare.AsSpan(0, rows);
            for (int i = 0; i < rows; i++) column[i] = logitsGradient[2 * i + 1];
            dy = column;
        }
        int outputsEnd = rows * outputWidths;
        for (int l = layout.Count - 1; l >= 0; l--)
        {
            var (input, output, _, bias) = layout[l];
            var (weightAt, biasAt) = (modelPieces[2 * l].At, modelPieces[2 * l + 1].At);
            outputsEnd -= rows * output;   // now where layer l's output starts, and its input ends
            ReadOnlySpan<float> x = l == 0 ? inputs : scratch.Outputs.AsSpan(outputsEnd - rows * input, rows * input);
            var dx = l == 0 ? default : next.AsSpan(0, rows * input);
            LayerBackward(l, s, rows, parameters, x, dy, gradient.Slice(weightAt, input * output), bias >= 0 ? gradient.Slice(biasAt, output) : default, dx, scratch.Weights);
            dy = dx;
            (next, spare) = (spare, next);
        }
    }

    /// <summary>
    /// Model <paramref name="s"/>'s <paramref name="piece"/>-th piece of the flat parameter, as (offset,
    /// length): each layer's weights, then its biases (none for preferences: length 0), layer by layer.
    /// <see cref="ModelScratch.Gradient"/> holds a model's pieces one after another in this order.
    /// </summary>
    internal (long Offset, int Length) Piece(int s, int piece)
    {
        var (blockStart, length, _) = modelPieces[piece];
        return (blockStart + (long)s * length, length);
    }

    /// <summary>Every layer's outputs, added up: the width of a model's activations in a <see cref="ModelScratch"/>.</summary>
    readonly int outputWidths;

    /// <summary>How many pieces each model's parameters come in (<see cref="Piece"/>).</summary>
    internal int Pieces => modelPieces.Length;

    /// <summary>Per piece (a layer's weights, its biases): where its block starts in the flat parameter, one model's length, and where it starts in a model's gradient.</summary>
    readonly (long BlockStart, int Length, int At)[] modelPieces;

    /// <summary>
    /// What <see cref="StepWithoutAutograd"/> writes every step, kept from one step to the next: each
    /// layer's output, and the parameters' gradient. With a fresh megabyte and a half each step (these
    /// and the minibatch) an mlp-s stack's step at S = 32 took 511–548 µs, kept 481–497 (with the
    /// two-class loss's change; alternating runs): we think the fresh memory's cache lines had to be
    /// fetched before the kernels could write them.
    /// </summary>
    Tensor[]? stepOutputs;
    Tensor? stepGradient;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var t in stepOutputs ?? []) t.Dispose();
            stepGradient?.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>
    /// Threads the kernels split the models over (evenly and in order, <see cref="LibtorchNative.Share"/>,
    /// or model by model), where one parallel region runs <paramref name="rows"/> rows per model (a
    /// minibatch's, or a whole epoch's): libtorch's threads when there is enough work (<see cref="ParallelWork"/>
    /// multiply-adds in a forward pass over those rows), else 1. A model's numbers never depend on the split.
    /// </summary>
    public int KernelThreads(long rows) => Models >= 2 && Models * rows * layout.Sum(l => (long)l.In * l.Out) >= ParallelWork ? get_num_threads() : 1;

    /// <summary>The largest layer's weights per model (inputs × outputs): the size of a thread's transposed or scratch buffer.</summary>
    int LargestLayer => layout.Max(l => l.In * l.Out);

    /// <summary>Multiply-adds in one forward pass of the whole stack below which it stays on one thread (~10 µs of work).</summary>
    public const long ParallelWork = 1 << 19;
}
