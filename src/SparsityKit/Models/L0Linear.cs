using static TorchSharp.torch;

namespace SparsityKit.Models;

/// <summary>A fully connected layer with a hard-concrete gate on every weight (input [*, in] to output [*, out]).</summary>
public sealed class L0Linear : L0Layer
{
    public L0Linear(long inFeatures, long outFeatures, L0Layers settings)
        : base(nameof(L0Linear), [outFeatures, inFeatures], hasBias: true, settings)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
    }

    public long InFeatures { get; }
    public long OutFeatures { get; }

    protected override Tensor Apply(Tensor input, Tensor weight, Tensor? bias) => nn.functional.linear(input, weight, bias);
}
