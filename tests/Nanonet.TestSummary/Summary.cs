namespace Nanonet.TestSummary;

/// <summary>The reports a test run is expected to leave in its results folder.</summary>
/// <param name="ResultsDirectory">The folder holding every report.</param>
/// <param name="Trx">Expected TRX files, by suite name (file NAME.trx).</param>
/// <param name="CTest">Expected ctest JUnit files (name in the folder) with the ctest tests each must hold.</param>
/// <param name="JUnit">Expected plain JUnit files (name in the folder).</param>
public sealed record ExpectedReports(
    string ResultsDirectory,
    IReadOnlyList<string> Trx,
    IReadOnlyList<(string File, IReadOnlyList<string> Suites)> CTest,
    IReadOnlyList<string> JUnit);

/// <summary>Reads every expected report and adds them up.</summary>
public static class Summary
{
    /// <summary>The totals of <paramref name="expected"/>, suites in the order: TRX, ctest files, plain JUnit files.</summary>
    /// <param name="expected">What the run must have left.</param>
    public static Totals Read(ExpectedReports expected)
    {
        var suites = new List<SuiteResult>();
        foreach (var name in expected.Trx)
        {
            suites.Add(TrxReport.Read(Path.Combine(expected.ResultsDirectory, name + ".trx"), name));
        }

        foreach (var (file, names) in expected.CTest)
        {
            suites.AddRange(CTestReport.Read(Path.Combine(expected.ResultsDirectory, file), names));
        }

        foreach (var file in expected.JUnit)
        {
            suites.Add(JUnitReport.Read(Path.Combine(expected.ResultsDirectory, file)));
        }

        return new Totals(suites);
    }
}
