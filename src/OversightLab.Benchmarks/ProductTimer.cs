using System.Text.Json;
using System.Text.Json.Nodes;
using OversightLab.Models;
using static TorchSharp.torch;

namespace OversightLab.Benchmarks;

/// <summary>
/// The <c>products</c> mode: times, one by one, the matrix products of a ladder model's training
/// step (<see cref="LadderStep"/>) as libtorch runs them, and fingerprints each product's bits.
/// Per Linear layer (in → out) at batch B: the forward pass <c>linear(x, W, b)</c> (B×in · (out×in)ᵀ
/// plus the bias), the weight gradient gᵀ·x (out×B · B×in) and the input gradient g·W (B×out ·
/// out×in; not for the first layer, whose input needs none). Inputs come from a fixed seed, so the
/// fingerprints (FNV-1a over the result's float bits) show whether two processes ran the same
/// kernels in the same order: <c>perf/mkl_branch.sh</c> compares MKL's code branches with it.
/// </summary>
public static class ProductTimer
{
    const string Usage = "usage: products [--threads T] [--json FILE] [--warmup N] [--repeats R] [--steps M] [--models a,b,...] [--batch B]";

    public static int Run(string[] args)
    {
        if (ModeOptions.Parse("products", Usage, args) is not { } options) return 2;
        int threads, warmup, repeats, steps, batch;
        string[] models;
        try
        {
            models = options.Models(ModelLadder.Names);
            (threads, warmup, repeats, steps, batch) = (options.Int("threads", 1), options.Int("warmup", 20), options.Int("repeats", 7),
                options.Int("steps", 50), options.Int("batch", LadderStep.DefaultBatch));
            if (threads < 1 || repeats < 1 || steps < 1 || batch < 1 || warmup < 0)
                throw new FormatException("--threads, --repeats, --steps and --batch take a positive number, --warmup zero or more");
        }
        catch (FormatException e)
        {
            return options.Refuse(e.Message);
        }

        set_num_threads(threads);
        var rows = new JsonArray();
        foreach (string name in models)
        {
            var spec = ModelLadder.Find(name)!;
            int width = spec.InputFeatures([1, 28, 28]);
            int layer = 0;
            foreach (int outputs in spec.Hidden.Append(LadderStep.Classes))
            {
                manual_seed(layer);
                using var x = randn(batch, width);
                using var w = randn(outputs, width);
                using var bias = randn(outputs);
                using var g = randn(batch, outputs);
                var products = new List<(string Kind, long M, long K, long N, Func<Tensor> Run)>
                {
                    ("forward", batch, width, outputs, () => nn.functional.linear(x, w, bias)),
                    ("weight_gradient", outputs, batch, width, () => g.t().mm(x)),
                };
                if (layer > 0) products.Add(("input_gradient", batch, outputs, width, () => g.mm(w)));
                foreach (var (kind, m, k, n, product) in products)
                {
                    string bits;
                    using (var result = product()) bits = Fingerprint(result);
                    for (int i = 0; i < warmup; i++) product().Dispose();
                    double seconds = StepTimer.Median(repeats, () => StepTimer.Time(() => product().Dispose(), steps));
                    double gflops = 2.0 * m * k * n / seconds / 1e9;
                    Console.WriteLine($"torchsharp threads={threads} {name,-10} layer {layer} {kind,-15} {m,4}×{k,4}·{k,4}×{n,4} {seconds * 1e6,9:0.0} µs {gflops,7:0.0} GFLOP/s  bits {bits}");
                    rows.Add(new JsonObject
                    {
                        ["model"] = name, ["layer"] = layer, ["product"] = kind, ["m"] = m, ["k"] = k, ["n"] = n,
                        ["us"] = seconds * 1e6, ["gflops"] = gflops, ["bits"] = bits,
                    });
                }
                width = outputs;
                layer++;
            }
        }
        if (options.TryGetValue("json", out var path))
        {
            var result = new JsonObject
            {
                ["threads"] = get_num_threads(),
                ["protocol"] = new JsonObject { ["warmup"] = warmup, ["repeats"] = repeats, ["steps"] = steps, ["batch"] = batch },
                ["products"] = rows,
            };
            File.WriteAllText(path, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }
        return 0;
    }

    /// <summary>FNV-1a (64 bits) over the tensor's float bits, in row-major order.</summary>
    static string Fingerprint(Tensor t)
    {
        ulong hash = 14695981039346656037;
        using var dense = t.contiguous();
        foreach (float f in dense.data<float>())
        {
            hash ^= BitConverter.SingleToUInt32Bits(f);
            hash *= 1099511628211;
        }
        return hash.ToString("x16");
    }
}
