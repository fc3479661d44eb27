namespace Nanonet.TestSummary.Tests;

/// <summary>The summary of the JUnit file written by the real tests/fuzz/run-smoke.sh.</summary>
public sealed class FuzzTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private SuiteResult RunSmoke(params string[] extra)
    {
        var script = Path.Combine(TestPaths.RepoRoot, "tests", "fuzz", "run-smoke.sh");
        var junit = _tmp.File("fuzz.junit.xml");
        var (code, output) = Processes.Run(_tmp.Path, "bash", [script, _tmp.File("fuzz-build"), "1", junit, .. extra]);
        Assert.True(code == 0, output);
        return JUnitReport.Read(junit);
    }

    [Fact]
    public void AFuzzRunThatCouldNotBeBuiltIsAFailureSayingWhy()
    {
        var suite = RunSmoke("clang not found: the fuzz target could not be built");

        Assert.Equal("fuzz: 0 passed, 1 failed -- fuzz_model_reader_smoke_1s failed: not run: clang not found: the fuzz target could not be built", suite.Line);
    }

    [Fact]
    public void AFuzzRunWithoutAFuzzerIsAFailure()
    {
        var suite = RunSmoke();

        Assert.True(suite.IsFailure);
        Assert.Contains("fuzz_model_reader not built in", suite.Line);
    }

    [Fact]
    public void AMissingFuzzReportIsAFailure()
    {
        var suite = JUnitReport.Read(_tmp.File("fuzz.junit.xml"));

        Assert.Equal("fuzz: 0 passed, 1 failed -- missing report fuzz.junit.xml: the run did not happen", suite.Line);
    }

    [Fact]
    public void NothingExpectedMeansNothingPassedAndTheRunFails()
    {
        var totals = Summary.Read(new ExpectedReports(_tmp.Path, [], [], []));

        Assert.False(totals.Succeeded);
        Assert.Equal(["no test passed", "0 passed, 0 failed"], totals.Lines);
    }
}
