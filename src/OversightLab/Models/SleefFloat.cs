using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OversightLab.Models;

/// <summary>
/// The single-precision exp and log that libtorch's vectorised CPU kernels use — SLEEF's
/// <c>expf_u10</c> and <c>logf_u10</c>, through <c>Vectorized&lt;float&gt;::exp</c> and <c>::log</c>
/// (log_softmax and its backward call them) — reproduced lane for lane in our own vector code, so a
/// fused loss can keep libtorch's bits without calling it op by op.
/// </summary>
/// <remarks>
/// Transcribed from the machine code of <c>Sleef_expf16_u10avx512f</c> and
/// <c>Sleef_finz_logf16_u10avx512f</c> in libtorch_cpu.so (read with objdump), every product, sum
/// and fused multiply-add in the same order; the constants are the bytes found there.
/// <para>exp: q = round(x/ln 2), s = x − q·ln 2 in two fused steps (ln 2 split in a high and a low
/// part), a degree-5 polynomial by fused multiply-adds, 1 + (s²·u + s), then two multiplications by
/// powers of two (so results down to the subnormals round once); 0 below −104, ∞ above 100.</para>
/// <para>log: e = exponent of x·(1/0.75), m = x's mantissa scaled into [0.75, 1.5), ln x =
/// e·ln 2 + 2·atanh((m − 1)/(m + 1)) with the quotient and the sums carried as float pairs.</para>
/// <para>The AVX2 build (libtorch's choice on processors without AVX-512) scales m by 2^−e instead,
/// which differs only when x·(1/0.75) rounds up to a power of two; <see cref="Log"/> takes the
/// variant as an argument. Callers check the result against libtorch once per process before
/// relying on it (as <see cref="MklSqrt.Reproduced"/> does): a build of libtorch with another SLEEF
/// would show there.</para>
/// </remarks>
public static class SleefFloat
{
    /// <summary>Whether these functions can run: they need AVX2 and fused multiply-add.</summary>
    public static bool Supported => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>SLEEF's expf_u10 of eight floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        var q = Avx.ConvertToVector256Int32(x * C(0x3FB8AA3B));   // rounds to nearest even
        var qf = Avx.ConvertToVector256Single(q);
        var s = Fma.MultiplyAdd(qf, C(0xBF317200), x);
        s = Fma.MultiplyAdd(qf, C(0xB5BFBE8E), s);
        var u = Fma.MultiplyAdd(C(0x39502BDA), s, C(0x3AB696C9));
        u = Fma.MultiplyAdd(u, s, C(0x3C0888A6));
        u = Fma.MultiplyAdd(u, s, C(0x3D2AAA7A));
        u = Fma.MultiplyAdd(u, s, C(0x3E2AAAAB));
        u = Fma.MultiplyAdd(u, s, Vector256.Create(0.5f));
        u = Vector256.Create(1f) + Fma.MultiplyAdd(s * s, u, s);
        // u · 2^(q>>1) · 2^(q − (q>>1)): two exact powers of two, so a subnormal result rounds once.
        var half = Vector256.ShiftRightArithmetic(q, 1);
        var bias = Vector256.Create(127);
        u *= Vector256.ShiftLeft(half + bias, 23).AsSingle();
        u *= Vector256.ShiftLeft(q - half + bias, 23).AsSingle();
        u = Vector256.AndNot(u, Vector256.LessThan(x, Vector256.Create(-104f)));
        return Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Create(100f), x), Vector256.Create(float.PositiveInfinity), u);
    }

    /// <summary>A constant given by its bits, as found in libtorch's machine code.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> C(uint bits) => Vector256.Create(BitConverter.UInt32BitsToSingle(bits));

    /// <summary>SLEEF's logf_u10 of eight floats, as its AVX-512 build (<paramref name="avx512"/>) or its AVX2 build computes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log(Vector256<float> x, bool avx512)
    {
        var bits = x.AsInt32();
        var scaled = (x * C(0x3FAAAAAB)).AsInt32();
        var exponent = (Vector256.ShiftRightLogical(scaled, 23) & Vector256.Create(0xff)) - Vector256.Create(127);
        Vector256<float> m;
        if (avx512)
        {
            // getmant(x, [0.75, 1.5)): x's fraction with exponent 0, or −1 when the fraction is ≥ 1.5.
            var fraction = bits & Vector256.Create(0x7fffff);
            var high = Vector256.GreaterThanOrEqual(fraction, Vector256.Create(0x400000));
            m = (fraction | Vector256.ConditionalSelect(high, Vector256.Create(126 << 23), Vector256.Create(127 << 23))).AsSingle();
        }
        else m = (bits - Vector256.ShiftLeft(exponent, 23)).AsSingle();   // x · 2^−e
        var e = Avx.ConvertToVector256Single(exponent);

        var one = Vector256.Create(1f);
        var minusOne = Vector256.Create(-1f);
        var ln2High = C(0x3F317218);
        var two = Vector256.Create(2f);
        // s = (ln2High, ln2Low) · e as a float pair.
        var sx = ln2High * e;
        var sy = Fma.MultiplyAdd(C(0xB102E308), e, Fma.MultiplySubtract(ln2High, e, sx));
        // (m − 1) and (m + 1) as float pairs, then their quotient q.
        var a = minusOne + m;
        var v = a - minusOne;
        var b = one + m;
        var t = one / b;
        var qx = t * a;
        var vb = b - one;
        var rb = Fma.MultiplyAddNegated(b, t, one);
        var by = (one - (b - vb)) + (m - vb);
        var ay = (minusOne - (a - v)) + (m - v);
        var qy = Fma.MultiplyAdd(Fma.MultiplyAddNegated(by, t, rb), qx, Fma.MultiplyAdd(ay, t, Fma.MultiplySubtract(t, a, qx)));
        var x2 = qx * qx;
        var poly = Fma.MultiplyAdd(C(0x3E9AFF5C), x2, C(0x3ECC99CA));
        poly = Fma.MultiplyAdd(poly, x2, C(0x3F2AAADA));
        // s + 2q, then + q³·poly, as float pairs.
        var twoQ = two * qx;
        var r = twoQ + sx;
        var low = ((sx - r) + twoQ + sy) + two * qy;
        var cube = x2 * qx * poly;
        var hi = r + cube;
        var result = (low + ((r - hi) + cube)) + hi;
        // Special inputs, as vfixupimmps sets them: log 0 = −∞, log of a negative or NaN = NaN, log ∞ = ∞.
        result = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256<float>.Zero), Vector256.Create(float.NegativeInfinity), result);
        result = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(float.PositiveInfinity)), x, result);
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero) | ~Vector256.Equals(x, x), Vector256.Create(float.NaN), result);
    }
}
