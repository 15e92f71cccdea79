/// <summary>The benchmarks' command line: --steps N, --sparsity S, --repeats R, --batch B (shared by bench/*/Program.cs).</summary>
sealed record BenchArguments(int Steps, double Sparsity, int Repeats, int Batch = 60)
{
    /// <summary>Parses <paramref name="args"/> over the defaults; null (after printing why) on an unknown option.</summary>
    public static BenchArguments? Parse(string[] args, BenchArguments defaults)
    {
        var parsed = defaults;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--steps": parsed = parsed with { Steps = int.Parse(args[i + 1]) }; break;
                case "--sparsity": parsed = parsed with { Sparsity = double.Parse(args[i + 1]) }; break;
                case "--repeats": parsed = parsed with { Repeats = int.Parse(args[i + 1]) }; break;
                case "--batch": parsed = parsed with { Batch = int.Parse(args[i + 1]) }; break;
                default: Console.Error.WriteLine($"unknown argument {args[i]}: use --steps N, --sparsity S, --repeats R, --batch B"); return null;
            }
        }
        return parsed;
    }
}
