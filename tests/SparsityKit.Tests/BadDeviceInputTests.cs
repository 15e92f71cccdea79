namespace SparsityKit.Tests;

/// <summary>SPARSITYKIT_DEVICE values that name no usable device end with an error naming the variable and the valid values.</summary>
public class BadDeviceInputTests
{
    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:x")]
    [InlineData("mps")]
    public void An_unknown_device_names_the_variable_and_the_valid_values(string value)
    {
        var e = Assert.Throws<ArgumentException>(() => Devices.Parse(value, cudaDevices: 0));
        Assert.Contains("SPARSITYKIT_DEVICE", e.Message);
        Assert.Contains($"'{value}'", e.Message);
        Assert.Contains("cpu", e.Message);
        Assert.Contains("cuda", e.Message);
    }

    [Theory]
    [InlineData("cuda", 0)]
    [InlineData("cuda:1", 1)]
    public void Cuda_asked_for_where_there_is_none_says_so(string value, int cudaDevices)
    {
        var e = Assert.Throws<ArgumentException>(() => Devices.Parse(value, cudaDevices));
        Assert.Contains("SPARSITYKIT_DEVICE", e.Message);
        Assert.Contains($"{cudaDevices} CUDA device", e.Message);
        Assert.Contains("cpu", e.Message);
    }

    [Theory]
    [InlineData("cpu", 0, "cpu")]
    [InlineData(" CPU ", 0, "cpu")]
    [InlineData("cuda", 1, "cuda")]
    [InlineData("cuda:1", 2, "cuda:1")]
    public void Valid_values_choose_their_device(string value, int cudaDevices, string expected)
    {
        Assert.Equal(expected, Devices.Parse(value, cudaDevices));
    }
}
