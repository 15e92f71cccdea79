using SparsityKit.Sparsity;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Inference;

/// <summary>Turns a pruned model (weights and masks) into a <see cref="SparseModel"/> for fast CPU inference.</summary>
public static class SparseInference
{
    /// <summary>
    /// The inference form of <paramref name="model"/> with <paramref name="masks"/> applied (the model is not changed).
    /// A weight without a mask keeps its non-zero entries. Each weight layer runs sparse where <paramref name="choice"/>
    /// says (by default from about 75% sparsity up); a ReLU that follows a weight layer is fused into it.
    /// </summary>
    public static SparseModel Convert(nn.Module model, MaskSet? masks = null, SparseLayerChoice? choice = null, InferencePlan? plan = null)
    {
        plan ??= InferencePlan.For(model);
        choice ??= SparseLayerChoice.Default;
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        var maskNames = masks?.Names.ToHashSet() ?? [];
        var layers = new List<InferenceLayer>();
        var shape = plan.InputShape;
        using var noGrad = no_grad();
        for (int i = 0; i < plan.Steps.Count; i++)
        {
            bool relu = i + 1 < plan.Steps.Count && plan.Steps[i + 1] is PlanStep.Relu;
            InferenceLayer layer;
            switch (plan.Steps[i])
            {
                case PlanStep.Linear linear:
                    layer = new SparseLinear(linear.Module, shape, Weight(linear.Module), Bias(linear.Module), Mask(linear.Module), relu, choice);
                    break;
                case PlanStep.Conv2d conv:
                    layer = new SparseConv2d(conv.Module, shape, Weight(conv.Module), Bias(conv.Module), Mask(conv.Module), relu, choice);
                    break;
                case PlanStep.MaxPool2d pool:
                    layer = new MaxPool2dLayer("maxpool", shape, pool.Kernel);
                    relu = false;
                    break;
                case PlanStep.Relu:
                    layer = new ReluLayer("relu", shape);
                    relu = false;
                    break;
                default:
                    throw new ArgumentException($"Unknown plan step {plan.Steps[i]}.");
            }
            layers.Add(layer);
            shape = layer.OutputShape;
            if (relu) i++;   // fused into the layer just added
        }
        return new SparseModel(plan.InputShape, layers);

        Tensor Weight(string module) => parameters.TryGetValue(module + ".weight", out var w) ? w
            : throw new ArgumentException($"The model has no parameter '{module}.weight' for the plan's layer '{module}'. Parameters: {string.Join(", ", parameters.Keys)}.");
        Tensor? Bias(string module) => parameters.GetValueOrDefault(module + ".bias");
        Tensor? Mask(string module) => maskNames.Contains(module + ".weight") ? masks![module + ".weight"] : null;
    }
}
