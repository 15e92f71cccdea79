namespace SparsityKit.Methods;

/// <summary>One drop-and-grow update of dynamic sparse training: when, at what drop fraction, and how many weights per layer.</summary>
public sealed record MaskUpdate(long Step, double DropFraction, IReadOnlyDictionary<string, long> Dropped);
