namespace Nanonet.TestSummary.Tests;

/// <summary>The summary of JUnit files written by real ctest runs of C suites (see <see cref="CTestFixtures"/>).</summary>
public sealed class CTestTests : IClassFixture<CTestFixtures>
{
    private readonly CTestFixtures _runs;

    public CTestTests(CTestFixtures runs)
    {
        _runs = runs;
    }

    private Dictionary<string, SuiteResult> Read(string file, params string[] expected) =>
        CTestReport.Read(Path.Combine(_runs.Results, file), expected).ToDictionary(s => s.Name);

    [Fact]
    public void APassingSuiteCountsItsCasesFromItsClosingLine()
    {
        var good = Read("full.junit.xml", "good")["full/good"];

        Assert.Equal("full/good: 2 passed, 0 failed", good.Line);
        Assert.False(good.IsFailure);
    }

    [Fact]
    public void WithNfProjsOutputLimitsALongSuiteIsReadWhole()
    {
        var suite = Read("full.junit.xml", "long")["full/long"];

        Assert.Equal("full/long: 40 passed, 0 failed", suite.Line);
    }

    [Fact]
    public void WithCTestsDefaultOutputLimitALongSuiteIsAFailureNotOnePass()
    {
        var suite = Read("default.junit.xml", "long")["default/long"];

        Assert.True(suite.IsFailure);
        Assert.Contains("output truncated", suite.Line);
    }

    [Fact]
    public void ASuiteThatCrashesInACaseIsAFailure()
    {
        var suite = Read("full.junit.xml", "crash")["full/crash"];

        Assert.Equal(1, suite.Passed);
        Assert.True(suite.Failed >= 1);
        Assert.StartsWith("full/crash: 1 passed, 1 failed -- no closing 'N passed, N failed' line: crashed after 1 cases (ctest status fail", suite.Line);
    }

    [Fact]
    public void ASuiteThatPassedItsCasesButExitedWithFailureIsAFailure()
    {
        var suite = Read("full.junit.xml", "exitfail")["full/exitfail"];

        Assert.StartsWith("full/exitfail: 1 passed, 1 failed -- ctest status fail although every case passed", suite.Line);
    }

    [Fact]
    public void ASuiteWhoseExecutableIsMissingIsAFailure()
    {
        var suite = Read("full.junit.xml", "missing")["full/missing"];

        Assert.StartsWith("full/missing: 0 passed, 1 failed -- not run (notrun): Unable to find executable", suite.Line);
    }

    [Fact]
    public void SuitesSwitchedOffInTheBuildAreEachAFailure()
    {
        var suites = Read("off.junit.xml", CTestFixtures.Suites);

        Assert.Equal(CTestFixtures.Suites.Length, suites.Count);
        Assert.All(suites.Values, s => Assert.Equal($"{s.Name}: 0 passed, 1 failed -- not in off.junit.xml: ctest did not run it (tests switched off, or not built?)", s.Line));
    }

    [Fact]
    public void AMissingJUnitFileFailsEveryExpectedSuite()
    {
        var suites = Read("native-sanitized.junit.xml", "test_a", "test_b");

        Assert.Equal(["native-sanitized/test_a: 0 passed, 1 failed -- missing report native-sanitized.junit.xml: the C build or ctest did not run",
            "native-sanitized/test_b: 0 passed, 1 failed -- missing report native-sanitized.junit.xml: the C build or ctest did not run"],
            suites.Values.Select(s => s.Line));
    }

    [Fact]
    public void TheTotalsOfTheWholeRunFailAndCountEverySuite()
    {
        var totals = Summary.Read(new ExpectedReports(_runs.Results, [], [("full.junit.xml", CTestFixtures.Suites)], []));

        Assert.False(totals.Succeeded);
        // good 2 + long 40 + crash 1 + exitfail 1 passed; crash, exitfail, missing one failure each.
        Assert.Equal("44 passed, 3 failed", totals.Lines[^1]);
    }
}
