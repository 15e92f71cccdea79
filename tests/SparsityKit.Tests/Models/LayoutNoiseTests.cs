using SparsityKit.Models;
using SparsityKit.Training;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Models;

public class LayoutNoiseTests
{
    private static Tensor ToChannelsLast(Tensor t) => t.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    [Fact]
    public void Noise_like_a_channels_last_tensor_is_drawn_contiguous_in_its_memory_order_and_keeps_its_layout()
    {
        var like = ToChannelsLast(zeros(4, 3, 5, 6));
        Assert.False(like.is_contiguous());
        Seeding.Set(3);
        var noise = LayoutNoise.NormalLike(like);
        Seeding.Set(3);
        // libtorch's vectorised generator on a contiguous NHWC tensor, viewed as NCHW: not its element-by-element fill of
        // a channels-last tensor (other numbers), which made ResNet-20's variational dropout slow.
        var fast = randn(4, 5, 6, 3).permute(0, 3, 1, 2);
        Assert.Equal(like.shape, noise.shape);
        Assert.True(ChannelsLast.Is(noise));
        Assert.True(noise.eq(fast).all().item<bool>());
    }

    [Fact]
    public void Noise_like_a_contiguous_tensor_is_libtorchs_own_so_runs_stored_before_draw_the_same()
    {
        var like = zeros(4, 3, 5, 6);
        Seeding.Set(5);
        var noise = LayoutNoise.NormalLike(like);
        Seeding.Set(5);
        Assert.True(noise.eq(randn_like(like)).all().item<bool>());
    }
}
