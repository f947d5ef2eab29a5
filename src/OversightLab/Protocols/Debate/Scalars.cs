using TorchSharp;

namespace OversightLab.Protocols.Debate;

/// <summary>
/// Scalar arguments for hot tensor calls, made once and kept alive for the process. Why: in
/// TorchSharp 0.107 an implicit Scalar (the <c>1</c> in <c>a.add_(b)</c>, <c>a + b</c>, or
/// <c>a.ne(784)</c>) is a finalizable object that nothing holds while libtorch reads it, so a
/// garbage collection during the native call can free it mid-use. We hit that as a rare
/// "Expected false to be true … toFloat" crash in a long search; a static Scalar cannot be collected.
/// </summary>
static class Scalars
{
    public static readonly Scalar One = 1.ToScalar();
    public static readonly Scalar NoPixel = SparseJudge.NoPixel.ToScalar();
}
