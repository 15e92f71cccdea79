namespace SparsityKit.Training;

/// <summary>One evaluation of a training run. Losses are mean cross-entropy; accuracies are fractions in [0, 1].</summary>
/// <param name="TrainLoss">Mean training loss over the steps since the previous row.</param>
/// <param name="TestTop5Accuracy">The fraction of test examples whose label is among the five highest logits; null for five classes or fewer.</param>
public sealed record HistoryRow(long Step, double TrainLoss, double TestLoss, double TestAccuracy,
    double? ValidationLoss = null, double? ValidationAccuracy = null, double? TestTop5Accuracy = null);
