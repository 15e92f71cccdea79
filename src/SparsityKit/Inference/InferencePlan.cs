using SparsityKit.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Inference;

/// <summary>One step of an <see cref="InferencePlan"/>.</summary>
public abstract record PlanStep
{
    /// <summary>A linear layer: the model's parameters "<c>Module</c>.weight" and (if present) "<c>Module</c>.bias".</summary>
    public sealed record Linear(string Module) : PlanStep;

    /// <summary>A 2-D convolution with stride 1 and no padding: parameters "<c>Module</c>.weight" and "<c>Module</c>.bias".</summary>
    public sealed record Conv2d(string Module) : PlanStep;

    public sealed record Relu : PlanStep;

    public sealed record MaxPool2d(long Kernel) : PlanStep;
}

/// <summary>
/// What a model's forward pass does, as a list of steps an inference model can run: a TorchSharp module's forward is
/// code, so the steps are stated once per architecture (<see cref="For"/>) or by the caller for a model of their own.
/// </summary>
public sealed record InferencePlan(long[] InputShape, IReadOnlyList<PlanStep> Steps)
{
    /// <summary>The plan of a zoo model (LeNet-300-100, LeNet-5), read off its layers' shapes.</summary>
    public static InferencePlan For(nn.Module model)
    {
        var weights = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        switch (model)
        {
            case LeNet300_100:
                return new([weights["fc1.weight"][1]],
                    [new PlanStep.Linear("fc1"), new PlanStep.Relu(), new PlanStep.Linear("fc2"), new PlanStep.Relu(), new PlanStep.Linear("fc3")]);
            case LeNet5:
                // fc1 takes 50 x side x side features, side = ((image - 4) / 2 - 4) / 2.
                long side = (long)Math.Round(Math.Sqrt(weights["fc1.weight"][1] / weights["conv2.weight"][0]));
                long image = (side * 2 + 4) * 2 + 4;
                return new([weights["conv1.weight"][1], image, image],
                    [new PlanStep.Conv2d("conv1"), new PlanStep.MaxPool2d(2), new PlanStep.Conv2d("conv2"), new PlanStep.MaxPool2d(2),
                     new PlanStep.Linear("fc1"), new PlanStep.Relu(), new PlanStep.Linear("fc2")]);
            default:
                throw new ArgumentException($"No inference plan is known for a {model.GetType().Name}; known: LeNet300_100, LeNet5. " +
                    "Pass an InferencePlan that lists the model's steps (Linear, Conv2d, Relu, MaxPool2d) to SparseInference.Convert.");
        }
    }
}
