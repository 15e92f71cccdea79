using SparsityKit.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Models;

/// <summary>
/// MultiHeadAttention against the textbook formula written out op by op from the module's own projection weights:
/// softmax(q k^T / sqrt(d)) v per head, a causal mask hiding later positions, outputs and every parameter's gradient.
/// </summary>
public class MultiHeadAttentionTests
{
    private const long Model = 16, Heads = 4, HeadSize = Model / Heads;

    [Theory]
    [InlineData(false, 5, 5)]
    [InlineData(true, 5, 5)]
    [InlineData(false, 3, 7)]   // cross-attention: a decoder's 3 positions attend to an encoder's 7
    public void Outputs_and_gradients_equal_the_formula_op_by_op(bool causal, long targetLength, long sourceLength)
    {
        using var singleThread = new SingleThread();
        using var scope = NewDisposeScope();
        manual_seed(3);
        var attention = new MultiHeadAttention(new DenseLayers(), Model, Heads, causal: causal);
        var query = randn(2, targetLength, Model);
        var memory = sourceLength == targetLength ? query : randn(2, sourceLength, Model);

        var output = attention.call(query, memory);
        var reference = Reference(attention, query, memory, causal);
        Assert.True(output.allclose(reference, rtol: 1e-5, atol: 1e-6), $"largest difference {(output - reference).abs().max().item<float>()}");

        var weights = randn(output.shape);   // a loss that weighs every output differently
        var parameters = attention.named_parameters().ToList();
        var gradients = autograd.grad([(output * weights).sum()], parameters.Select(p => (Tensor)p.parameter).ToList());
        var referenceGradients = autograd.grad([(reference * weights).sum()], parameters.Select(p => (Tensor)p.parameter).ToList());
        for (int i = 0; i < parameters.Count; i++)
            Assert.True(gradients[i].allclose(referenceGradients[i], rtol: 1e-4, atol: 1e-5),
                $"{parameters[i].name}: largest gradient difference {(gradients[i] - referenceGradients[i]).abs().max().item<float>()}");
    }

    [Fact]
    public void Causal_attention_does_not_see_later_positions()
    {
        using var singleThread = new SingleThread();
        using var scope = NewDisposeScope();
        manual_seed(4);
        var attention = new MultiHeadAttention(new DenseLayers(), Model, Heads, causal: true);
        var sequence = randn(1, 6, Model);
        var changedLater = sequence.clone();
        changedLater[.., 4..] = randn(1, 2, Model);
        var (before, after) = (attention.call(sequence, sequence), attention.call(changedLater, changedLater));
        Assert.True(before[.., ..4].eq(after[.., ..4]).all().item<bool>(), "the first four positions' outputs changed with positions 5 and 6");
        Assert.False(before[.., 4..].allclose(after[.., 4..]), "positions 5 and 6 did not see their own change");
    }

    // Linear layers compute x W^T + b; heads are the model dimension cut into Heads pieces of HeadSize.
    private static Tensor Reference(MultiHeadAttention attention, Tensor query, Tensor memory, bool causal)
    {
        var p = attention.named_parameters().ToDictionary(x => x.name, x => (Tensor)x.parameter);
        Tensor Project(string name, Tensor x) => x.matmul(p[$"{name}.weight"].t()).add(p[$"{name}.bias"]);
        Tensor Split(Tensor x) => x.view(x.shape[0], x.shape[1], Heads, HeadSize).permute(0, 2, 1, 3);   // [B, H, L, d]
        var (q, k, v) = (Split(Project("q_proj", query)), Split(Project("k_proj", memory)), Split(Project("v_proj", memory)));
        var scores = q.matmul(k.transpose(2, 3)).div(Math.Sqrt(HeadSize));
        if (causal)
            scores = scores.masked_fill(ones(query.shape[1], memory.shape[1], dtype: ScalarType.Bool).triu(1), double.NegativeInfinity);
        var context = nn.functional.softmax(scores, -1).matmul(v).permute(0, 2, 1, 3).reshape(query.shape[0], query.shape[1], Model);
        return Project("out_proj", context);
    }
}
