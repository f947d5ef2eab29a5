using OversightLab.Models;
using static TorchSharp.torch;

namespace OversightLab.Tests.Training;

/// <summary>
/// The encoders' linear layers on MKL's AVX-512 products give libtorch's values to float rounding,
/// forward and backward, on one thread and split over two by rows or by columns; layers too small
/// for them stay libtorch's, bit for bit.
/// </summary>
public sealed class MklLinearTests
{
    // rows × inputs → outputs, from MklLinear.MinRows rows up. Over two threads a product is split
    // along its result's longer side: by rows (the forward pass and input gradient of a batch longer
    // than the layer is wide) or by columns (the weight gradient of a layer with fewer outputs than
    // inputs); sizes that are not multiples of 16 leave a short last block.
    [TestCase(512, 784, 512, 1)]
    [TestCase(512, 784, 512, 2)]
    [TestCase(300, 250, 140, 2)]
    [TestCase(256, 2000, 20, 2)]
    [TestCase(257, 300, 130, 1)]
    public void GivesLibtorchsValuesForwardAndBackward(int rows, int inputs, int outputs, int threads)
    {
        Assume.That(MklLinear.Supported, "needs MKL's AVX-512 product in libtorch and a processor with AVX-512");
        using var _ = new LibtorchThreads(threads);
        using var scope = NewDisposeScope();
        manual_seed(rows + inputs + outputs);
        var layer = nn.Linear(inputs, outputs);
        var x = randn(rows, inputs).requires_grad_(true);
        var upstream = randn(rows, outputs);
        Assert.That(MklLinear.Applies(x, layer.weight!), Is.True);

        var ours = Run(() => MklLinear.Of(layer, x));
        var theirs = Run(() => layer.call(x));
        string[] names = ["output", "input gradient", "weight gradient", "bias gradient"];
        using (Assert.EnterMultipleScope())
        {
            for (int i = 0; i < names.Length; i++)
            {
                double scale = theirs[i].abs().max().item<float>();
                double off = (ours[i] - theirs[i]).abs().max().item<float>();
                Assert.That(off, Is.LessThanOrEqualTo(1e-5 * scale), $"{names[i]}: largest difference {off:g3} against values up to {scale:g3}");
            }
            // The bits show which library computed them: at this size MKL's AVX-512 weight gradient
            // differs from the generic branch's somewhere (if it did not, the fallback would pass too).
            if (rows == 512) Assert.That(ours[2].eq(theirs[2]).all().item<bool>(), Is.False, "the weight gradient came from the AVX-512 product");
            // Without autograd, the same forward pass outside the node: the same bits.
            using (no_grad()) Assert.That(MklLinear.Of(layer, x).eq(ours[0]).all().item<bool>(), Is.True, "forward without gradient");
        }

        Tensor[] Run(Func<Tensor> forward)
        {
            x.grad = null!;
            layer.zero_grad();
            var y = forward();
            (y * upstream).sum().backward();
            return [y.detach().clone(), x.grad!.clone(), layer.weight!.grad!.clone(), layer.bias!.grad!.clone()];
        }
    }

    [Test]
    public void SmallLayersAndBatchesStayLibtorchsBitForBit()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var small = nn.Linear(196, 128);   // mlp-m's first layer: 25,088 weights
        var large = nn.Linear(784, 512);   // mlp-xl's first layer
        var x = randn(512, 196);
        var batch = randn(255, 784);       // one row short
        using (Assert.EnterMultipleScope())
        {
            Assert.That(MklLinear.Applies(x, small.weight!), Is.False);
            Assert.That(MklLinear.Of(small, x).eq(small.call(x)).all().item<bool>(), Is.True);
            Assert.That(MklLinear.Applies(batch, large.weight!), Is.False);
            Assert.That(MklLinear.Of(large, batch).eq(large.call(batch)).all().item<bool>(), Is.True);
        }
    }

    [Test]
    public void TurnedOffEveryLayerIsLibtorchs()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var layer = nn.Linear(784, 512);
        var x = randn(512, 784);
        MklLinear.Enabled = false;
        try
        {
            Assert.That(MklLinear.Applies(x, layer.weight!), Is.False);
            Assert.That(MklLinear.Of(layer, x).eq(layer.call(x)).all().item<bool>(), Is.True);
        }
        finally
        {
            MklLinear.Enabled = true;
        }
    }
}
