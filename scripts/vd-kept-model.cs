// Variational dropout's kept trained model (a sweep keeps it as <group>.trained.sktf), measured at Molchanov's log-alpha
// threshold 3 and at 0% and 50% sparsity, each with batch norm statistics recomputed as notebook 07's sweep does (100
// batches of 128): does VD's accuracy gap on ResNet-20 come from pruning or from training? Seed 1's model (built and batched with seed 1).
//   dotnet run -c Release scripts/vd-kept-model.cs results/notebooks/07-beyond-mnist resnet20-fashion-mnist/variational-dropout/seed1-94817f7a80a2aef1
#:project ../src/SparsityKit/SparsityKit.csproj
#:package libtorch-cpu-linux-x64@2.10.0
#:property PublishAot=false
#:property ManagePackageVersionsCentrally=false
using SparsityKit;
using SparsityKit.Data;
using SparsityKit.Experiments;
using SparsityKit.Methods;
using SparsityKit.Models;
using SparsityKit.Training;
using static TorchSharp.torch;

set_num_threads(1);
var data = Datasets.FashionMnist();
var store = new RunStore(args[0]);
using var model = Zoo.Create("resnet20", 1, layers: new VariationalDropoutLayers(), inputShape: data.ImageShape, classes: 10);
ChannelsLast.Apply(model, leaveAmbiguousKernels: true);   // as notebook 07 trained it
if (!store.TryLoadTrainedModel(args[1], model))
    throw new FileNotFoundException($"{args[1]}.trained.sktf is not in {args[0]}: run notebook 07 in full mode on this machine to train it (the file is not committed).");
using var backend = ConvolutionBackend.ForModel(model, data.TrainImages.narrow(0, 0, 4));
void Measure(string label)
{
    using (var batches = data.TrainingBatches(128, 1)) BatchNormStatistics.Recompute(model, batches, 100);
    var masks = VariationalDropout.MasksOf(model);
    var report = SparsityKit.Sparsity.SparsityReport.Of(model, data.ImageShape, masks);
    var acc = Evaluation.Evaluate(model, data.TestImages, data.TestLabels, 1000).Accuracy;
    Console.WriteLine($"{label}: sparsity {report.Sparsity:P2}, test accuracy {acc:P2}");
}
VariationalDropout.SetThreshold(model, 3);
Measure("threshold 3 (Molchanov's)");
foreach (var t in new[] { 0.0, 0.5 }) { VariationalDropout.SetThresholdForSparsity(model, t); Measure($"target {t:P0}"); }
