using static TorchSharp.torch;

namespace SparsityKit.Sparsity;

/// <summary>
/// Scores computed beforehand (SNIP, GraSP, SynFlow need the model and data, not only the weights), in layer order,
/// so any distribution, global included, can turn them into masks. The tensors belong to the caller.
/// </summary>
public sealed class ScoreCriterion(string name, IReadOnlyList<Tensor> scores) : PruningCriterion
{
    public override string Name => name;

    internal override IReadOnlyList<Tensor> Score(IReadOnlyList<Tensor> weights)
    {
        if (weights.Count != scores.Count)
            throw new ArgumentException($"{name}: {scores.Count} score tensors for {weights.Count} prunable layers; compute the scores on the same model and Prunable.");
        for (int i = 0; i < weights.Count; i++)
            if (!weights[i].shape.SequenceEqual(scores[i].shape))
                throw new ArgumentException($"{name}: scores of layer {i} have shape [{string.Join(", ", scores[i].shape)}] but its weight [{string.Join(", ", weights[i].shape)}].");
        return scores.Select(s => s.alias()).ToList();
    }
}
