namespace Nanonet.TestSummary;

/// <summary>
/// <c>Nanonet.TestSummary --results DIR [--summary FILE] [--trx NAME]... [--ctest FILE=SUITE,SUITE...]... [--junit FILE]...</c>:
/// prints one line per expected suite and then the totals "N passed, N failed[, N skipped]" as the last line, writes the
/// same lines to FILE (default DIR/summary.txt), and exits 0 only when nothing failed and something passed
/// (1 otherwise, 2 for a usage error).
/// </summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    /// <param name="args">See the type's summary.</param>
    /// <returns>0 success, 1 a failure or nothing passed, 2 usage error.</returns>
    public static int Main(string[] args)
    {
        if (!TryParse(args, out var expected, out var summaryFile, out var usage))
        {
            Console.Error.WriteLine("Nanonet.TestSummary: " + usage);
            Console.Error.WriteLine("usage: Nanonet.TestSummary --results DIR [--summary FILE] [--trx NAME]... [--ctest FILE=SUITE,SUITE...]... [--junit FILE]...");
            return 2;
        }

        var totals = Summary.Read(expected);
        var lines = totals.Lines;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(summaryFile))!);
        File.WriteAllLines(summaryFile, lines);
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }

        return totals.Succeeded ? 0 : 1;
    }

    private static bool TryParse(string[] args, out ExpectedReports expected, out string summaryFile, out string usage)
    {
        string? results = null, summary = null;
        var trx = new List<string>();
        var ctest = new List<(string, IReadOnlyList<string>)>();
        var junit = new List<string>();
        expected = new ExpectedReports("", trx, ctest, junit);
        summaryFile = "";
        usage = "";
        for (var i = 0; i < args.Length; i++)
        {
            var option = args[i];
            if (i + 1 >= args.Length || args[i + 1].Length == 0)
            {
                usage = $"{option} needs a value";
                return false;
            }

            var value = args[++i];
            switch (option)
            {
                case "--results":
                    results = value;
                    break;
                case "--summary":
                    summary = value;
                    break;
                case "--trx":
                    trx.Add(value.EndsWith(".trx", StringComparison.OrdinalIgnoreCase) ? value[..^4] : value);
                    break;
                case "--ctest":
                    var eq = value.IndexOf('=');
                    if (eq <= 0)
                    {
                        usage = $"--ctest {value}: expected FILE=SUITE,SUITE...";
                        return false;
                    }

                    ctest.Add((value[..eq], value[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
                    break;
                case "--junit":
                    junit.Add(value);
                    break;
                default:
                    usage = $"unknown option {option}";
                    return false;
            }
        }

        if (results is null)
        {
            usage = "--results DIR is required";
            return false;
        }

        expected = new ExpectedReports(results, trx, ctest, junit);
        summaryFile = summary ?? Path.Combine(results, "summary.txt");
        return true;
    }
}
