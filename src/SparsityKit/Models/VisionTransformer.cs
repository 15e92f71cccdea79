using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SparsityKit.Models;

/// <summary>
/// A small vision Transformer (Dosovitskiy et al. 2021) for 28x28 and 32x32 images: non-overlapping patches embedded by a
/// strided convolution (<c>patch_embed</c>, prunable), a class token and learned position embeddings (not prunable,
/// like norms and biases), pre-norm encoder layers with GELU, a final layer norm and a linear head on the class token.
/// </summary>
public sealed class VisionTransformer : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> patch_embed, norm, head;
    private readonly Parameter cls_token, pos_embed;
    private readonly ModuleList<TransformerEncoderLayer> layers = new();

    /// <param name="patchSize">Side of a square patch; must divide the image size.</param>
    public VisionTransformer(ILayerFactory factory, long inputChannels = 1, long imageSize = 28, long classes = 10, long patchSize = 4,
        long modelSize = 128, long depth = 6, long heads = 4, long mlpSize = 256, double dropout = 0) : base(nameof(VisionTransformer))
    {
        if (patchSize < 1 || imageSize % patchSize != 0)
            throw new ArgumentException($"The patch size {patchSize} must divide the image size {imageSize}.", nameof(patchSize));
        long patches = (imageSize / patchSize) * (imageSize / patchSize);
        patch_embed = factory.Conv2d(inputChannels, modelSize, patchSize, stride: patchSize);
        cls_token = new Parameter(zeros(1, 1, modelSize));
        pos_embed = new Parameter(zeros(1, patches + 1, modelSize));
        using (no_grad())
        {
            // ViT's (timm's) init: truncated normal with standard deviation 0.02; a plain normal is close enough here.
            init.normal_(cls_token, 0, 0.02);
            init.normal_(pos_embed, 0, 0.02);
        }
        for (int i = 0; i < depth; i++)
            layers.Add(new TransformerEncoderLayer(factory, modelSize, heads, mlpSize, dropout, gelu: true));
        norm = LayerNorm(modelSize);
        head = factory.Linear(modelSize, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var x = patch_embed.call(images).flatten(2).transpose(1, 2);                  // [B, patches, D]
        x = cat([cls_token.expand(x.shape[0], -1, -1), x], dim: 1).add(pos_embed, Scalars.One);
        foreach (var layer in layers) x = layer.call(x);
        return head.call(norm.call(x).select(1, 0)).MoveToOuterDisposeScope();
    }
}
