using System.Xml.Linq;

namespace Nanonet.TestSummary.Tests;

/// <summary>The summary of TRX files written by real <c>dotnet test</c> runs (see <see cref="XunitFixtures"/>).</summary>
public sealed class TrxTests : IClassFixture<XunitFixtures>
{
    private static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
    private readonly XunitFixtures _runs;

    public TrxTests(XunitFixtures runs)
    {
        _runs = runs;
    }

    private Totals Summarise(string directory, params string[] trx) => Summary.Read(new ExpectedReports(directory, trx, [], []));

    [Fact]
    public void ACrashedTestHostIsAFailureQuotingTheAbortReason()
    {
        var trx = Path.Combine(_runs.Results, "Crash.trx");
        Assert.True(File.Exists(trx), _runs.Outputs);
        // What made the old totals lie: the TRX of a crashed host counts nothing at all.
        var counters = XDocument.Load(trx).Descendants(Trx + "Counters").Single();
        Assert.Equal("0", (string?)counters.Attribute("failed"));
        Assert.Equal("0", (string?)counters.Attribute("total"));

        var totals = Summarise(_runs.Results, "Crash");

        var suite = Assert.Single(totals.Suites);
        Assert.True(suite.IsFailure);
        Assert.Equal(1, suite.Failed);
        Assert.StartsWith("Crash: 0 passed, 1 failed -- test run Failed, test host crashed or aborted: ", suite.Line);
        Assert.Contains("Test host process crashed", suite.Line);
        Assert.False(totals.Succeeded);
        Assert.Equal("0 passed, 1 failed", totals.Lines[^1]);
    }

    [Fact]
    public void AProjectWithNoTestIsAFailureThoughDotnetTestSucceeded()
    {
        Assert.Equal(0, _runs.ExitCodes["Empty"]);

        var totals = Summarise(_runs.Results, "Empty", "Skip");

        Assert.Equal("Empty: 0 passed, 1 failed -- ran no test", totals.Suites[0].Line);
        Assert.False(totals.Succeeded);
        Assert.Equal("1 passed, 1 failed, 1 skipped", totals.Lines[^1]);
    }

    [Fact]
    public void AMissingExpectedTrxIsAFailureNamingIt()
    {
        var totals = Summarise(_runs.Results, "Skip", "Nanonet.Gone.Tests");

        Assert.Equal("Nanonet.Gone.Tests: 0 passed, 1 failed -- missing report Nanonet.Gone.Tests.trx: the project did not run, or its test host wrote no TRX",
            totals.Suites[1].Line);
        Assert.False(totals.Succeeded);
    }

    [Fact]
    public void ASkipWithItsReasonCountsAsSkipped()
    {
        var totals = Summarise(_runs.Results, "Skip");

        Assert.Equal("Skip: 1 passed, 0 failed, 1 skipped", Assert.Single(totals.Suites).Line);
        Assert.True(totals.Succeeded);
        Assert.Equal(["Skip: 1 passed, 0 failed, 1 skipped", "1 passed, 0 failed, 1 skipped"], totals.Lines);
    }

    [Fact]
    public void ASkipWithoutAReasonIsAFailure()
    {
        // xunit always records a reason (Skip = "" does not skip), so take its real TRX and drop the reason.
        var doc = XDocument.Load(Path.Combine(_runs.Results, "Skip.trx"));
        var skipped = doc.Descendants(Trx + "UnitTestResult").Single(r => (string?)r.Attribute("outcome") == "NotExecuted");
        var message = skipped.Descendants(Trx + "Message").Single();
        Assert.Equal("needs a board", message.Value);
        message.Value = " ";
        var dir = _runs.Scratch("unreasoned");
        doc.Save(Path.Combine(dir, "Skip.trx"));

        var totals = Summarise(dir, "Skip");

        Assert.Equal("Skip: 1 passed, 1 failed -- skipped without a reason: SkipTests.OnTheBoard", Assert.Single(totals.Suites).Line);
        Assert.False(totals.Succeeded);
    }

    [Fact]
    public void ATruncatedTrxIsAFailure()
    {
        var text = File.ReadAllText(Path.Combine(_runs.Results, "Skip.trx"));
        var dir = _runs.Scratch("truncated");
        File.WriteAllText(Path.Combine(dir, "Skip.trx"), text[..(text.Length / 2)]);

        var suite = Assert.Single(Summarise(dir, "Skip").Suites);

        Assert.StartsWith("Skip: 0 passed, 1 failed -- unreadable report Skip.trx: ", suite.Line);
    }

    [Fact]
    public void TheProgramPrintsEachSuiteThenTheTotalsLastWritesThemAndFailsTheRun()
    {
        var summaryFile = Path.Combine(_runs.Scratch("program"), "summary.txt");

        var (code, output) = Processes.Run(_runs.Results, Processes.Dotnet, Path.Combine(AppContext.BaseDirectory, "Nanonet.TestSummary.dll"),
            "--results", _runs.Results, "--summary", summaryFile, "--trx", "Skip", "--trx", "Crash", "--trx", "Empty");

        Assert.Equal(1, code);
        var lines = output.TrimEnd().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Equal("Skip: 1 passed, 0 failed, 1 skipped", lines[0]);
        Assert.StartsWith("Crash: 0 passed, 1 failed -- test run Failed", lines[1]);
        Assert.Equal("Empty: 0 passed, 1 failed -- ran no test", lines[2]);
        Assert.Equal("1 passed, 2 failed, 1 skipped", lines[3]);
        Assert.Equal(lines, File.ReadAllLines(summaryFile));
    }

    [Fact]
    public void TheProgramSucceedsOnlyWhenEverySuitePasses()
    {
        var summaryFile = Path.Combine(_runs.Scratch("program-ok"), "summary.txt");

        var (code, output) = Processes.Run(_runs.Results, Processes.Dotnet, Path.Combine(AppContext.BaseDirectory, "Nanonet.TestSummary.dll"),
            "--results", _runs.Results, "--summary", summaryFile, "--trx", "Skip");

        Assert.True(code == 0, output);
        Assert.Equal("1 passed, 0 failed, 1 skipped", File.ReadAllLines(summaryFile)[^1]);
    }
}
