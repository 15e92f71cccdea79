namespace SparsityKit.Data;

/// <summary>A synthetic sequence-to-sequence task: the target is the source copied or reversed.</summary>
public enum SequenceTask
{
    Copy,
    Reverse,
}
