namespace SparsityKit.Experiments.Replication;

/// <summary>
/// One claim of the replication report: what the paper states, what the kit's records show (mean ± standard deviation
/// over trials), the verdict computed from them by <see cref="VerdictRule"/>, and, where it does not hold, which of the
/// kit's settings (read from the records) differ from the paper's.
/// </summary>
public sealed record ClaimRow(string Paper, string Claim, string Published, string Kit, Verdict Verdict, string Explanation, string Source)
{
    public string VerdictWords => Verdict.Words();
}
