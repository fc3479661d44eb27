using System.Xml;
using System.Xml.Linq;

namespace Nanonet.TestSummary;

/// <summary>Reads a plain JUnit file (tests/fuzz/run-smoke.sh's): every testcase is one test.</summary>
public static class JUnitReport
{
    /// <summary>
    /// The suite named after the file (without ".junit.xml"). Failures: a missing or unreadable file, a testcase with a
    /// failure or error (its message is quoted), a skipped testcase without a message, and a file with no testcase.
    /// </summary>
    /// <param name="path">The JUnit file.</param>
    public static SuiteResult Read(string path)
    {
        var file = Path.GetFileName(path);
        var suite = new SuiteResult(file.EndsWith(".junit.xml", StringComparison.Ordinal) ? file[..^".junit.xml".Length] : Path.GetFileNameWithoutExtension(file));
        if (!File.Exists(path))
        {
            suite.AddProblem($"missing report {file}: the run did not happen");
            return suite;
        }

        List<XElement> cases;
        try
        {
            cases = XDocument.Load(path).Descendants("testcase").ToList();
        }
        catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException)
        {
            suite.AddProblem($"unreadable report {file}: {Text.FirstLine(e.Message)}");
            return suite;
        }

        var executed = 0;
        foreach (var testcase in cases)
        {
            var name = (string?)testcase.Attribute("name") ?? "(unnamed test)";
            var failure = testcase.Element("failure") ?? testcase.Element("error");
            var skipped = testcase.Element("skipped");
            if (failure is not null)
            {
                executed++;
                var message = (string?)failure.Attribute("message");
                suite.AddProblem($"{name} failed: {Text.FirstLine(string.IsNullOrWhiteSpace(message) ? failure.Value : message)}");
            }
            else if (skipped is not null)
            {
                var reason = ((string?)skipped.Attribute("message") ?? skipped.Value).Trim();
                if (reason.Length > 0)
                {
                    suite.Skipped++;
                }
                else
                {
                    suite.AddProblem($"{name} skipped without a reason");
                }
            }
            else
            {
                executed++;
                suite.Passed++;
            }
        }

        if (executed == 0 && suite.Problems.Count == 0)
        {
            suite.AddProblem("ran no test");
        }

        return suite;
    }
}
