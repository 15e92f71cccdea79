namespace SparsityKit.Models;

/// <summary>A model that knows what one input example looks like (checked by the trainer and by its own forward pass).</summary>
public interface IHasInputShape
{
    InputShape InputShape { get; }
}
