using static TorchSharp.torch;

namespace OversightLab.Training;

/// <summary>
/// Keep the epoch whose predictions agree best with a validation split's labels (argmax against
/// argmax), and restore its weights when training ends. The labels may be a supervisor's soft
/// labels (fair) or ground truth (not a weak-to-strong result: whoever uses it must say so).
/// </summary>
public sealed class EarlyStopping(Tensor inputs, Tensor labels)
{
    public Tensor Inputs { get; } = inputs;
    public Tensor Labels { get; } = labels;
    /// <summary>1-based epoch whose weights were kept.</summary>
    public int BestEpoch { get; private set; }
    public double BestAgreement { get; private set; } = double.NegativeInfinity;

    /// <summary>Scores the model after an epoch; true when this epoch is the best so far.</summary>
    public bool Observe(nn.Module<Tensor, Tensor> model, int epoch)
    {
        using var scope = NewDisposeScope();
        double agreement;
        using (no_grad())
        {
            model.eval();
            agreement = model.call(Inputs).argmax(1).eq(Labels.argmax(1)).to_type(ScalarType.Float32).mean().item<float>();
            model.train();
        }
        if (agreement <= BestAgreement) return false;
        BestAgreement = agreement;
        BestEpoch = epoch;
        return true;
    }
}
