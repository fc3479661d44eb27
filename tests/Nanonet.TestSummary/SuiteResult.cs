namespace Nanonet.TestSummary;

/// <summary>What one suite reported: its counts and every reason it counts as failed.</summary>
public sealed class SuiteResult
{
    private readonly List<string> _problems = [];

    /// <summary>A suite with nothing counted yet.</summary>
    /// <param name="name">The name its line starts with (a TRX's project, "native/test_planner", "fuzz").</param>
    public SuiteResult(string name)
    {
        Name = name;
    }

    /// <summary>The name its line starts with.</summary>
    public string Name { get; }

    /// <summary>Test cases that passed.</summary>
    public int Passed { get; set; }

    /// <summary>Test cases that failed, plus one for each problem that is not a failed case (a crash, a missing report).</summary>
    public int Failed { get; set; }

    /// <summary>Test cases skipped with a reason.</summary>
    public int Skipped { get; set; }

    /// <summary>Why the suite failed, in the order found; empty when it did not.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>True when the suite failed: a failed case or any problem.</summary>
    public bool IsFailure => Failed > 0 || _problems.Count > 0;

    /// <summary>Records a reason the suite failed and counts <paramref name="failures"/> failures for it.</summary>
    /// <param name="problem">One line naming what is wrong.</param>
    /// <param name="failures">Failures it adds to <see cref="Failed"/> (0 when the cases are already counted).</param>
    public void AddProblem(string problem, int failures = 1)
    {
        _problems.Add(problem);
        Failed += failures;
    }

    /// <summary>"NAME: N passed, N failed[, N skipped][ -- reasons]".</summary>
    public string Line =>
        $"{Name}: {Totals.Format(Passed, Failed, Skipped)}" + (_problems.Count > 0 ? " -- " + string.Join("; ", _problems) : "");
}
