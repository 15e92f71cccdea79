namespace SparsityKit.Methods;

/// <summary>A method of the catalog: its command-line name and a one-line description.</summary>
public sealed record CatalogEntry(string Name, string Description)
{
    public override string ToString() => $"{Name,-15} {Description}";
}
