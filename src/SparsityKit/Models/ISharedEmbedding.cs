using static TorchSharp.torch;

namespace SparsityKit.Models;

/// <summary>
/// An embedding table that also serves as the output layer (tied weights): the model looks tokens up with the module's
/// forward and turns hidden states into logits over the vocabulary with <see cref="Logits"/>.
/// </summary>
public interface ISharedEmbedding
{
    /// <summary>Logits [*, vocabulary] of hidden states [*, dimension]: their products with every row of the table.</summary>
    Tensor Logits(Tensor hidden);
}
