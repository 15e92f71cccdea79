using SparsityKit.Sparsity;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparsityKit.Models;

/// <summary>A dense token embedding whose table (<c>weight</c>, [vocabulary, dimension]) is also the output layer.</summary>
public sealed class DenseEmbedding : nn.Module<Tensor, Tensor>, ISharedEmbedding, IPrunableLayer
{
    public DenseEmbedding(long vocabulary, long dimension) : base(nameof(DenseEmbedding))
    {
        Weight = new Parameter(empty(vocabulary, dimension));
        Initialise(Weight);
        register_parameter("weight", Weight);
    }

    public Parameter Weight { get; }

    public string PrunableParameterName => "weight";

    /// <summary>
    /// Normal with standard deviation dimension^-1/2, as tensor2tensor initialises the Transformer's shared embedding:
    /// the model multiplies looked-up rows by sqrt(dimension), so they start at unit scale and the logits stay small.
    /// </summary>
    public static void Initialise(Tensor table)
    {
        using var _ = no_grad();
        nn.init.normal_(table, 0, 1 / Math.Sqrt(table.shape[1]));
    }

    /// <summary>Rows of <paramref name="table"/> for token ids of any shape: [*] to [*, dimension].</summary>
    public static Tensor Lookup(Tensor table, Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var rows = table.index_select(0, tokens.flatten());
        return rows.view([.. tokens.shape, table.shape[1]]).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor tokens) => Lookup(Weight, tokens);

    public Tensor Logits(Tensor hidden) => nn.functional.linear(hidden, Weight);
}
