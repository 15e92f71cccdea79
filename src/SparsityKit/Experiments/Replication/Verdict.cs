namespace SparsityKit.Experiments.Replication;

/// <summary>What the kit's records say about a published claim, by the rule of <see cref="VerdictRule"/>.</summary>
public enum Verdict
{
    /// <summary>The records show what the paper states, by more than the noise between trials.</summary>
    Holds,
    /// <summary>The direction holds but not everywhere beyond noise, or the effect sits at another level than the paper's.</summary>
    HoldsInShape,
    /// <summary>The difference is within Welch's t-test's 95% bound (or a single trial leaves no spread to judge by).</summary>
    WithinNoise,
    /// <summary>The records show the opposite of the paper's statement, beyond noise.</summary>
    DoesNotHold,
    /// <summary>The store the claim needs is missing, or holds no runs at the levels the claim is about.</summary>
    NotRun,
}

/// <summary>The verdicts in words, as the report prints them.</summary>
public static class VerdictText
{
    public static string Words(this Verdict verdict) => verdict switch
    {
        Verdict.Holds => "holds",
        Verdict.HoldsInShape => "holds in shape",
        Verdict.WithinNoise => "within noise",
        Verdict.DoesNotHold => "does not hold",
        _ => "not run",
    };
}
