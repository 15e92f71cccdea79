/// <summary>Command-line settings shared by the replication experiments.</summary>
sealed record ReplicationOptions(IReadOnlyList<long> Seeds, int? Steps, int? Rounds, int Threads, string Store, bool ScratchB = true, int Schedule = 1)
{
    public static ReplicationOptions Parse(string[] args)
    {
        var options = new ReplicationOptions([1, 2, 3], null, null, 1, "results/replication");
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            options = args[i] switch
            {
                "--seeds" => options with { Seeds = args[i + 1].Split(',').Select(long.Parse).ToList() },
                "--steps" => options with { Steps = int.Parse(args[i + 1]) },
                "--rounds" => options with { Rounds = int.Parse(args[i + 1]) },
                "--threads" => options with { Threads = int.Parse(args[i + 1]) },
                "--store" => options with { Store = args[i + 1] },
                "--schedule" => options with { Schedule = int.Parse(args[i + 1]) },
                "--scratch-b" => options with { ScratchB = bool.Parse(args[i + 1]) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return options;
    }
}
