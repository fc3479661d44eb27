namespace Nanonet.TestSummary;

/// <summary>The totals over every suite and the lines the summary prints.</summary>
public sealed class Totals
{
    /// <summary>Adds up <paramref name="suites"/>.</summary>
    /// <param name="suites">Every expected suite, in the order their lines are printed.</param>
    public Totals(IReadOnlyList<SuiteResult> suites)
    {
        Suites = suites;
        Passed = suites.Sum(s => s.Passed);
        Failed = suites.Sum(s => s.Failed);
        Skipped = suites.Sum(s => s.Skipped);
    }

    /// <summary>Every suite.</summary>
    public IReadOnlyList<SuiteResult> Suites { get; }

    /// <summary>Passed cases over every suite.</summary>
    public int Passed { get; }

    /// <summary>Failures over every suite.</summary>
    public int Failed { get; }

    /// <summary>Cases skipped with a reason over every suite.</summary>
    public int Skipped { get; }

    /// <summary>True when nothing failed and something passed: the only outcome with exit code 0.</summary>
    public bool Succeeded => Passed > 0 && !Suites.Any(s => s.IsFailure);

    /// <summary>One line per suite, then (only when nothing passed) a line saying so, then the totals line last.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            var lines = Suites.Select(s => s.Line).ToList();
            if (Passed == 0)
            {
                lines.Add("no test passed");
            }

            lines.Add(Format(Passed, Failed, Skipped));
            return lines;
        }
    }

    /// <summary>"N passed, N failed", with ", N skipped" only when <paramref name="skipped"/> is not 0.</summary>
    /// <param name="passed">Passed count.</param>
    /// <param name="failed">Failed count.</param>
    /// <param name="skipped">Skipped count.</param>
    public static string Format(int passed, int failed, int skipped) =>
        $"{passed} passed, {failed} failed" + (skipped > 0 ? $", {skipped} skipped" : "");
}
