using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text;
using OversightLab.Models;

namespace OversightLab.Tests.Training;

/// <summary>
/// The fused Adam's square root must be MKL's to the bit, or every committed result would move:
/// <see cref="MklSqrt.Reproduce"/>, eight and sixteen lanes at a time, against the call into MKL, on
/// every 509th of all 2³² bit patterns and on the self-check's inputs. On AMD processors (ours) MKL's kernel is the one reproduced, so
/// the reproduction must be in use there; elsewhere MKL may pick another kernel and the fused Adam
/// calls MKL instead, so the comparison is only asked of AMD.
/// </summary>
public sealed class MklSqrtTests
{
    [TestCase(false, TestName = "TheReproductionGivesMklsBitsOnEveryKindOfInput(8 lanes)")]
    [TestCase(true, TestName = "TheReproductionGivesMklsBitsOnEveryKindOfInput(16 lanes)")]
    public void TheReproductionGivesMklsBitsOnEveryKindOfInput(bool wide)
    {
        Assume.That(IsAmd(), "MKL runs the reproduced kernel on AMD processors; elsewhere the fused Adam calls MKL");
        Assert.That(MklSqrt.Reproduced, "the self-check found the reproduction exact here, so the fused Adam uses it");
        if (wide)
        {
            Assume.That(Vector512.IsHardwareAccelerated && Avx512F.IsSupported, "16 lanes need 512-bit vectors in hardware");
            Assert.That(MklSqrt.ReproducedWide, "the self-check found the 16-lane reproduction exact too, so the fused Adam uses it");
        }
        var x = Enumerable.Range(0, (int)(((1L << 32) + 508) / 509)).Select(i => BitConverter.UInt32BitsToSingle((uint)(i * 509L)))
            .Concat(MklSqrt.Probe(1 << 16)).ToArray();
        var native = new float[x.Length];
        var ours = new float[x.Length];
        MklSqrt.Native(x, native);
        MklSqrt.Reproduce(x, ours, wide);
        var different = Enumerable.Range(0, x.Length).Where(i => Bits(native[i]) != Bits(ours[i])).ToList();
        Assert.That(different, Is.Empty, () => $"{different.Count} of {x.Length} differ, e.g. x = 0x{Bits(x[different[0]]):X8}: "
            + $"MKL 0x{Bits(native[different[0]]):X8}, ours 0x{Bits(ours[different[0]]):X8}");
    }

    [Test]
    public void MklsRootIsNotTheCorrectlyRoundedOne()
    {
        // Why the reproduction exists: with the processor's own square root, Adam's numbers would move.
        Assume.That(MklSqrt.Available);
        var x = MklSqrt.Probe(1 << 16).Where(v => float.IsNormal(v) && v > 0).ToArray();
        var native = new float[x.Length];
        MklSqrt.Native(x, native);
        double differing = x.Zip(native).Count(p => Bits(MathF.Sqrt(p.First)) != Bits(p.Second)) / (double)x.Length;
        Assert.That(differing, Is.InRange(0.05, 0.5), "share of positive normals whose MKL root is not the correctly rounded one");
    }

    [TestCase(false)]
    [TestCase(true)]
    public void ATailShorterThanAVectorIsReproducedToo(bool wide)
    {
        Assume.That(wide ? MklSqrt.ReproducedWide : MklSqrt.Reproduced);
        // One vector and a tail of three (8 lanes), or a tail of eleven (16).
        float[] x = [2f, 3f, 0f, 1e-40f, 5f, 7f, 11f, 13f, 17f, 19f, 23f];
        var native = new float[x.Length];
        var ours = Enumerable.Repeat(-1f, x.Length + 1).ToArray();            // one more slot, which must stay untouched
        MklSqrt.Native(x, native);
        MklSqrt.Reproduce(x, ours, wide);
        Assert.That(MemoryMarshal.Cast<float, int>(ours.AsSpan(0, x.Length)).ToArray(), Is.EqualTo(MemoryMarshal.Cast<float, int>(native.AsSpan()).ToArray()));
        Assert.That(ours[^1], Is.EqualTo(-1f));
    }

    static uint Bits(float v) => BitConverter.SingleToUInt32Bits(v);

    static bool IsAmd()
    {
        if (!X86Base.IsSupported) return false;
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        Span<byte> vendor = stackalloc byte[12];
        BitConverter.TryWriteBytes(vendor, ebx);
        BitConverter.TryWriteBytes(vendor[4..], edx);
        BitConverter.TryWriteBytes(vendor[8..], ecx);
        return Encoding.ASCII.GetString(vendor) == "AuthenticAMD";
    }
}
