namespace SparsityKit.Data;

/// <summary>Finds the folder that holds the data sets (the repository's <c>data/</c> by default).</summary>
public static class DataDirectory
{
    /// <summary>Environment variable that overrides where the data sets are looked for.</summary>
    public const string EnvironmentVariable = "SPARSITYKIT_DATA";

    /// <summary>
    /// <c>$SPARSITYKIT_DATA</c> if set; otherwise the first <c>data/</c> folder holding <c>SHA256SUMS</c>
    /// found walking up from the current directory or from the application's folder.
    /// </summary>
    public static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment)) return Path.GetFullPath(fromEnvironment);

        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "data");
                if (File.Exists(Path.Combine(candidate, "SHA256SUMS"))) return candidate;
            }
        }
        throw new DirectoryNotFoundException(
            $"Cannot find SparsityKit's data folder (a 'data' folder with SHA256SUMS) above {Environment.CurrentDirectory}. " +
            $"Run from inside the SparsityKit repository after ./run.sh or ./test.sh has fetched the data, " +
            $"or set {EnvironmentVariable} to the folder that holds mnist/ and fashion-mnist/.");
    }
}
