using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Models;

/// <summary>
/// A token embedding with sparse variational dropout on every entry of its table (<c>theta</c>, [vocabulary, dimension]),
/// which is also the output layer. Looking tokens up samples each looked-up entry from its Gaussian posterior (the
/// local reparameterisation of a one-hot input reduces to that); <see cref="Logits"/> is the variational-dropout
/// linear layer with the table as its weight.
/// </summary>
public sealed class VariationalDropoutEmbedding : VariationalDropoutLayer, ISharedEmbedding
{
    private const double VarianceFloor = 1e-8;

    public VariationalDropoutEmbedding(long vocabulary, long dimension, VariationalDropoutLayers settings)
        : base(nameof(VariationalDropoutEmbedding), [vocabulary, dimension], hasBias: false, settings)
    {
        DenseEmbedding.Initialise(Theta);
    }

    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var logAlpha = LogAlpha();
        using Scalar threshold = Threshold, varianceFloor = VarianceFloor;   // kept alive: see Scalars
        var kept = logAlpha.lt(threshold);
        if (!training) return DenseEmbedding.Lookup(Theta.mul(kept), tokens).MoveToOuterDisposeScope();
        var mean = DenseEmbedding.Lookup(ZeroPrunedInTraining ? Theta.mul(kept) : Theta, tokens);
        var variance = DenseEmbedding.Lookup(logAlpha.exp().mul(Scalars.Square(Theta)), tokens);
        return mean.add(variance.add(varianceFloor, Scalars.One).sqrt().mul(randn_like(mean)), Scalars.One).MoveToOuterDisposeScope();
    }

    public Tensor Logits(Tensor hidden) => base.forward(hidden);

    protected override Tensor Apply(Tensor input, Tensor weight, Tensor? bias) => nn.functional.linear(input, weight, bias);
}
