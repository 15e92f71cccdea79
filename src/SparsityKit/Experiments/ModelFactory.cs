using static TorchSharp.torch;

namespace SparsityKit.Experiments;

/// <summary>Builds a fresh model from a seed, on the device the experiment's data lives on, e.g. <c>seed => Zoo.LeNet300_100(seed, device: data.Device)</c>.</summary>
public delegate nn.Module<Tensor, Tensor> ModelFactory(long seed);
