using OversightLab.Data;

namespace OversightLab.Protocols.Debate;

/// <summary>
/// Images as the debate game sees them: each image's nonzero pixels (the only pixels a debater may
/// reveal and the judge was trained on) with their intensities, and its digit. Built from the
/// shipped MNIST digits, or by hand in tests.
/// </summary>
public sealed class SparseDigits
{
    public const int Side = MnistDigits.Side;
    public const int Pixels = MnistDigits.PixelsPerImage;

    /// <summary>Per image, the indices (0–783, ascending) of its nonzero pixels.</summary>
    public int[][] Nonzero { get; }
    /// <summary>Per image, the intensities in (0, 1] of <see cref="Nonzero"/>, in the same order.</summary>
    public float[][] Values { get; }
    public int[] Labels { get; }
    public int Count => Labels.Length;

    public SparseDigits(int[][] nonzero, float[][] values, int[] labels)
    {
        if (nonzero.Length != labels.Length || values.Length != labels.Length) throw new ArgumentException("one pixel list, value list and label per image");
        for (int i = 0; i < nonzero.Length; i++)
        {
            if (nonzero[i].Length != values[i].Length) throw new ArgumentException($"image {i}: {nonzero[i].Length} pixels but {values[i].Length} values");
            if (nonzero[i].Any(p => p < 0 || p >= Pixels)) throw new ArgumentException($"image {i}: pixel index outside 0–{Pixels - 1}");
            if (labels[i] is < 0 or > 9) throw new ArgumentException($"image {i}: label {labels[i]} is not a digit");
        }
        Nonzero = nonzero;
        Values = values;
        Labels = labels;
    }

    static readonly Lock Gate = new();
    static SparseDigits? shipped;

    /// <summary>The shipped 10,000 digits, built once per process.</summary>
    public static SparseDigits Mnist()
    {
        lock (Gate) return shipped ??= From(MnistDigits.Load());
    }

    public static SparseDigits From(MnistDigits digits)
    {
        var nonzero = new int[digits.Count][];
        var values = new float[digits.Count][];
        for (int i = 0; i < digits.Count; i++)
        {
            var pixels = new List<int>();
            var intensities = new List<float>();
            for (int p = 0; p < Pixels; p++)
            {
                byte b = digits.Pixels[i * Pixels + p];
                if (b == 0) continue;
                pixels.Add(p);
                intensities.Add(b / 255f);
            }
            nonzero[i] = [.. pixels];
            values[i] = [.. intensities];
        }
        return new SparseDigits(nonzero, values, digits.Labels.Select(l => (int)l).ToArray());
    }

    /// <summary>The intensity of <paramref name="pixel"/> in <paramref name="image"/> (0 if it is not a nonzero pixel).</summary>
    public float Value(int image, int pixel)
    {
        int at = Array.BinarySearch(Nonzero[image], pixel);
        return at >= 0 ? Values[image][at] : 0f;
    }

    /// <summary>
    /// <paramref name="k"/> distinct nonzero pixels of <paramref name="image"/> drawn uniformly
    /// (all of them, padded with <see cref="SparseJudge.NoPixel"/>, if the image has fewer).
    /// </summary>
    public int[] Draw(int image, int k, Random random)
    {
        int[] pool = Nonzero[image];
        var drawn = new int[k];
        if (pool.Length <= k)
        {
            Array.Fill(drawn, SparseJudge.NoPixel);
            pool.CopyTo(drawn, 0);
            return drawn;
        }
        // Partial Fisher–Yates over a copy: k swaps.
        int[] copy = (int[])pool.Clone();
        for (int i = 0; i < k; i++)
        {
            int j = i + random.Next(copy.Length - i);
            (copy[i], copy[j]) = (copy[j], copy[i]);
            drawn[i] = copy[i];
        }
        return drawn;
    }
}
