using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OversightLab.Data;
using OversightLab.Experiments;
using OversightLab.Models;
using OversightLab.Training;

namespace OversightLab.Protocols.WeakToStrong;

/// <summary>
/// One unit of a weak-to-strong sweep: (weak supervisor, strong student, method, adaptation, seed)
/// on a task. Its <see cref="Id"/> hashes what the cell is — data, model architectures, training
/// settings, seed and the protocol version — so resuming skips exactly the cells whose inputs
/// have not changed.
/// </summary>
public sealed record W2sCell(int Index, TaskSpec Task, ModelSpec Weak, ModelSpec Strong, string Method, string Adapt, int Seed, W2sSettings Settings) : ICell
{
    /// <summary>Bump when a change to the protocol code should invalidate finished cells.</summary>
    public const string ProtocolVersion = "w2s-3";

    public TrainConfig Train => Settings.Train;

    /// <summary>The method and the adaptation as one name: <c>xent</c>, <c>logconf+finetune</c>, …</summary>
    public string Variant => Adapt == "probe" ? Method : $"{Method}+{Adapt}";

    public string Id => Hash(string.Create(CultureInfo.InvariantCulture,
        $"{ProtocolVersion}|{Task}|weak={Weak.Canonical}|strong={Strong.Canonical}|method={Method}|adapt={Adapt}|{Train.Canonical}" +
        $"|conf={Settings.ConfidenceAlpha:R},{Settings.ConfidenceWarmup:R}|early={Settings.EarlyStopping},{Settings.ValidationFraction:R}|seed={Seed}"));

    public string Label => $"{Weak.Name} → {Strong.Name} · {Variant} · seed {Seed}";

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
}
