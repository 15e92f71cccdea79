using static TorchSharp.torch;

namespace SparsityKit.Models;

/// <summary>A fully connected layer with sparse variational dropout (input [*, in] to output [*, out]).</summary>
public sealed class VariationalDropoutLinear : VariationalDropoutLayer
{
    public VariationalDropoutLinear(long inFeatures, long outFeatures, VariationalDropoutLayers settings)
        : base(nameof(VariationalDropoutLinear), [outFeatures, inFeatures], hasBias: true, settings)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
    }

    public long InFeatures { get; }
    public long OutFeatures { get; }

    protected override Tensor Apply(Tensor input, Tensor weight, Tensor? bias) => nn.functional.linear(input, weight, bias);
}
