using System.Xml;
using System.Xml.Linq;

namespace Nanonet.TestSummary;

/// <summary>Reads the TRX that <c>dotnet test --logger trx</c> writes for one test project.</summary>
public static class TrxReport
{
    /// <summary>
    /// The suite <paramref name="name"/> as its TRX at <paramref name="path"/> reports it. Failures: a missing or
    /// unreadable file, a run whose outcome is not Completed without a failed test to explain it or with an error
    /// (a crashed or aborted test host: the first line of its error text is quoted), a run that executed no test,
    /// failed tests, and a skipped (NotExecuted) test without a reason.
    /// </summary>
    /// <param name="path">The TRX file.</param>
    /// <param name="name">The suite's name (the project's).</param>
    public static SuiteResult Read(string path, string name)
    {
        var suite = new SuiteResult(name);
        if (!File.Exists(path))
        {
            suite.AddProblem($"missing report {Path.GetFileName(path)}: the project did not run, or its test host wrote no TRX");
            return suite;
        }

        XDocument doc;
        try
        {
            doc = XDocument.Load(path);
        }
        catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException)
        {
            suite.AddProblem($"unreadable report {Path.GetFileName(path)}: {Text.FirstLine(e.Message)}");
            return suite;
        }

        var root = doc.Root!;
        var ns = root.Name.Namespace;
        var failed = new List<string>();
        var skippedWithoutReason = new List<string>();
        foreach (var result in root.Elements(ns + "Results").Elements(ns + "UnitTestResult"))
        {
            var test = (string?)result.Attribute("testName") ?? "(unnamed test)";
            switch ((string?)result.Attribute("outcome"))
            {
                case "Passed":
                    suite.Passed++;
                    break;
                case "NotExecuted":
                    if (SkipReason(result, ns).Length > 0)
                    {
                        suite.Skipped++;
                    }
                    else
                    {
                        skippedWithoutReason.Add(test);
                    }

                    break;
                case "Failed":
                    failed.Add(test);
                    break;
                case var other:
                    failed.Add($"{test} ({other ?? "no outcome"})");
                    break;
            }
        }

        if (failed.Count > 0)
        {
            suite.AddProblem("failed: " + Text.Names(failed), failed.Count);
        }

        if (skippedWithoutReason.Count > 0)
        {
            suite.AddProblem("skipped without a reason: " + Text.Names(skippedWithoutReason), skippedWithoutReason.Count);
        }

        var summary = root.Element(ns + "ResultSummary");
        var outcome = (string?)summary?.Attribute("outcome");
        var runInfos = summary?.Elements(ns + "RunInfos").Elements(ns + "RunInfo").ToList() ?? [];
        var error = runInfos.FirstOrDefault(i => (string?)i.Attribute("outcome") == "Error");
        if (summary is null)
        {
            suite.AddProblem("the TRX has no ResultSummary: the run did not finish");
        }
        else if (outcome != "Completed" && (error is not null || failed.Count == 0))
        {
            var why = error ?? runInfos.FirstOrDefault();
            var text = why is null ? "no error text" : Text.FirstLine(why.Element(ns + "Text")?.Value ?? "");
            suite.AddProblem($"test run {outcome ?? "without outcome"}, test host crashed or aborted: {text}");
        }
        else if (suite.Passed + failed.Count == 0)
        {
            suite.AddProblem("ran no test");
        }

        return suite;
    }

    /// <summary>The reason xunit gives a skipped test: Output/ErrorInfo/Message (or a text message), trimmed; "" if none.</summary>
    private static string SkipReason(XElement result, XNamespace ns)
    {
        var output = result.Element(ns + "Output");
        var message = output?.Element(ns + "ErrorInfo")?.Element(ns + "Message")?.Value;
        if (string.IsNullOrWhiteSpace(message))
        {
            message = string.Join(" ", output?.Element(ns + "TextMessages")?.Elements(ns + "Message").Select(m => m.Value) ?? []);
        }

        return message.Trim();
    }
}
