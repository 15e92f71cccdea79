using SparsityKit.Inference;
using SparsityKit.Sparsity;
using TorchSharp;
using static SparsityKit.Tests.Inference.SparseInferenceTests;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Inference;

/// <summary>The batch-of-one path: rows padded to eight entries, and the model run on plain arrays.</summary>
public class BatchOfOneTests
{
    [Fact]
    public void Padded_rows_hold_a_multiple_of_eight_entries_and_the_same_matrix()
    {
        // Rows with 0, 1, 7, 8, 9 and 17 kept weights.
        int[] counts = [0, 1, 7, 8, 9, 17];
        var weight = zeros(counts.Length, 20);
        for (int r = 0; r < counts.Length; r++)
            for (int c = 0; c < counts[r]; c++) weight[r, c + 2].fill_(r + 0.5f * c + 1);
        var csr = CsrMatrix.FromDense(weight);
        var padded = csr.PaddedRows(8);
        int[] expected = [0, 8, 8, 8, 16, 24];
        for (int r = 0; r < counts.Length; r++)
        {
            Assert.Equal(expected[r], padded.RowStarts[r + 1] - padded.RowStarts[r]);
            // Padding reads a column the row already reads.
            var own = csr.ColumnIndices[csr.RowStarts[r]..csr.RowStarts[r + 1]];
            Assert.All(padded.ColumnIndices[padded.RowStarts[r]..padded.RowStarts[r + 1]], c => Assert.Contains(c, own));
        }
        Assert.True(padded.ToDense().eq(weight).all().item<bool>());
        Assert.True(csr.ToDense().eq(weight).all().item<bool>());
        Assert.Throws<ArgumentOutOfRangeException>(() => csr.PaddedRows(0));
    }

    [Theory]
    [InlineData("lenet300-100")]
    [InlineData("lenet5")]
    public void Arrays_in_and_out_give_the_tensor_path_bits_and_the_masked_dense_model_values(string name)
    {
        using var threads = new SingleThread();
        foreach (var sparsity in new[] { 0.9, 0.99 })
        {
            var model = PrunedModel(name, sparsity, out var masks);
            using var _ = masks;
            using var sparse = SparseInference.Convert(model, masks, SparseLayerChoice.AlwaysSparse);
            var reference = Float64Copy(name, model);
            foreach (long batch in new long[] { 1, 3 })
            {
                using var scope = NewDisposeScope();
                var x = randn(batch, 1, 28, 28, generator: new Generator(21 + (ulong)batch));
                var output = new float[batch * sparse.OutputFeatures];
                Assert.True(sparse.RunsWithoutLibtorch(batch));
                sparse.Forward(x.data<float>().ToArray(), output);
                var fromArrays = tensor(output, [batch, sparse.OutputFeatures]);
                Assert.True(sparse.forward(x).eq(fromArrays).all().item<bool>(), $"{name} at {sparsity:P0}, batch {batch}: arrays and tensors differ");
                AssertClose(reference.call(x.to(ScalarType.Float64)).to(ScalarType.Float32), fromArrays, $"{name} at {sparsity:P0}, batch {batch}");
            }
        }
    }

    [Fact]
    public void Odd_linear_shapes_with_empty_and_short_rows_run_exactly_at_batch_one()
    {
        using var threads = new SingleThread();
        Seeding.Set(8);
        var model = nn.Sequential(("a", nn.Linear(13, 11)), ("b", nn.Linear(11, 5)));
        using (no_grad())
        {
            foreach (var p in model.parameters()) p.normal_();
            model.get_parameter("a.weight")![4].zero_();   // an empty row: bias (and ReLU) alone
        }
        using var masks = Prune.Random(model, SparsityDistribution.Uniform(0.7), seed: 2);
        masks.ApplyTo(model);
        var plan = new InferencePlan([13], [new PlanStep.Linear("a"), new PlanStep.Relu(), new PlanStep.Linear("b")]);
        // No masks: the kept weights are the non-zero ones, so the zeroed row is empty.
        using var sparse = SparseInference.Convert(model, null, SparseLayerChoice.AlwaysSparse, plan);
        var layer = (SparseLinear)sparse.Layers[0];
        Assert.Equal(0, layer.Csr.RowStarts[5] - layer.Csr.RowStarts[4]);
        for (int seed = 0; seed < 5; seed++)
        {
            using var scope = NewDisposeScope();
            var x = randn(new long[] { 1, 13 }, generator: new Generator((ulong)seed));
            var a = (nn.Module<Tensor, Tensor>)model[0];
            var b = (nn.Module<Tensor, Tensor>)model[1];
            var expected = b.call(nn.functional.relu(a.call(x)));
            var output = new float[5];
            sparse.Forward(x.data<float>().ToArray(), output);
            AssertClose(expected, tensor(output, [1, 5]), $"input {seed}, arrays");
            AssertClose(expected, sparse.forward(x), $"input {seed}, tensors");
        }
    }

    [Fact]
    public void Arrays_of_the_wrong_length_or_a_large_batch_are_refused_with_the_fix()
    {
        var model = PrunedModel("lenet300-100", 0.95, out var masks);
        using var _ = masks;
        using var sparse = SparseInference.Convert(model, masks);
        Assert.Contains("784", Assert.Throws<ArgumentException>(() => sparse.Forward(new float[783], new float[10])).Message);
        Assert.Contains("10", Assert.Throws<ArgumentException>(() => sparse.Forward(new float[784], new float[9])).Message);
        Assert.Contains("forward with a tensor", Assert.Throws<InvalidOperationException>(() => sparse.Forward(new float[784 * 20], new float[200])).Message);
        using var dense = SparseInference.Convert(model, masks, SparseLayerChoice.NeverSparse);
        Assert.False(dense.RunsWithoutLibtorch(1));
    }

    [Theory]
    [InlineData("lenet300-100")]
    [InlineData("lenet5")]
    public void Converting_leaves_no_temporary_tensor_to_the_finalizer(string name)
    {
        // A temporary outside every dispose scope is freed by the finalizer thread, which can run while libtorch still
        // reads it (CI once failed in SparseLinear's constructor: "Could not run 'aten::copy_'" on a freed tensor).
        var model = PrunedModel(name, 0.9, out var masks);
        using var _ = masks;
        DisposeScopeManager.Statistics.Reset();
        using var sparse = SparseInference.Convert(model, masks);
        Assert.Equal(0, DisposeScopeManager.Statistics.CreatedOutsideScopeCount);
    }
}
