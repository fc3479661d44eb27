using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Nanonet.TestSummary;

/// <summary>
/// Reads the JUnit file of <c>ctest --output-junit</c> for C suites that use tests/native/support/nn_test.c:
/// one ctest test per suite, whose output has a line per case ("ok     NAME" or "FAILED NAME") and closes
/// with "N passed, N failed".
/// </summary>
public static partial class CTestReport
{
    /// <summary>
    /// One result per expected suite (then per suite the file has beyond those), named "LABEL/SUITE" where LABEL is
    /// the file's name without ".junit.xml". Failures: a missing file (every expected suite fails), an expected suite
    /// absent from it or not run (e.g. its executable is missing), output without the closing line (a crash, or
    /// ctest cut the output), fewer or more case lines than the closing line counts (truncated output), failed
    /// cases, a suite whose cases passed but whose ctest status is failed (non-zero exit after the last case, e.g. a
    /// sanitizer report), and a suite that ran no case.
    /// </summary>
    /// <param name="path">The ctest JUnit file.</param>
    /// <param name="expectedSuites">The ctest test names that must be in it.</param>
    public static IReadOnlyList<SuiteResult> Read(string path, IReadOnlyList<string> expectedSuites)
    {
        var file = Path.GetFileName(path);
        var label = file.EndsWith(".junit.xml", StringComparison.Ordinal) ? file[..^".junit.xml".Length] : Path.GetFileNameWithoutExtension(file);
        string? fileProblem = null;
        var cases = new Dictionary<string, XElement>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            fileProblem = $"missing report {file}: the C build or ctest did not run";
        }
        else
        {
            try
            {
                foreach (var testcase in XDocument.Load(path).Descendants("testcase"))
                {
                    cases.TryAdd((string?)testcase.Attribute("name") ?? "", testcase);
                }
            }
            catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException)
            {
                fileProblem = $"unreadable report {file}: {Text.FirstLine(e.Message)}";
            }
        }

        var results = new List<SuiteResult>();
        if (fileProblem is not null || (cases.Count == 0 && expectedSuites.Count == 0))
        {
            foreach (var name in expectedSuites.DefaultIfEmpty(""))
            {
                var suite = new SuiteResult(name.Length > 0 ? $"{label}/{name}" : label);
                suite.AddProblem(fileProblem ?? "ran no test");
                results.Add(suite);
            }

            return results;
        }

        foreach (var name in expectedSuites.Concat(cases.Keys.Where(k => !expectedSuites.Contains(k))).Distinct())
        {
            var suite = new SuiteResult($"{label}/{name}");
            if (!cases.TryGetValue(name, out var testcase))
            {
                suite.AddProblem($"not in {file}: ctest did not run it (tests switched off, or not built?)");
            }
            else
            {
                ReadCase(testcase, suite);
            }

            results.Add(suite);
        }

        return results;
    }

    private static void ReadCase(XElement testcase, SuiteResult suite)
    {
        var status = (string?)testcase.Attribute("status") ?? "";
        var output = string.Concat(testcase.Elements("system-out").Select(e => e.Value)).Replace("\r\n", "\n");
        if (status is "notrun" or "disabled")
        {
            var message = (string?)testcase.Element("skipped")?.Attribute("message");
            suite.AddProblem($"not run ({status}): " + Text.FirstLine(output.Length > 0 ? output : message ?? "no reason given"));
            return;
        }

        var lines = output.Split('\n');
        var okLines = lines.Count(l => OkLine().IsMatch(l));
        var failedNames = lines.Select(l => FailedLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        var closing = lines.Select(l => ClosingLine().Match(l)).LastOrDefault(m => m.Success);
        var truncated = output.Contains("This part of the test output was removed", StringComparison.Ordinal);
        if (closing is null)
        {
            suite.Passed = okLines;
            suite.Failed = failedNames.Count;
            suite.AddProblem(truncated
                ? $"output truncated by ctest before the closing 'N passed, N failed' line ({okLines + failedNames.Count} case lines kept)"
                : $"no closing 'N passed, N failed' line: crashed after {okLines + failedNames.Count} cases (ctest status {status}; last output: {Text.LastLine(output)})");
            return;
        }

        int passed = int.Parse(closing.Groups[1].Value), failed = int.Parse(closing.Groups[2].Value);
        suite.Passed = passed;
        suite.Failed = failed;
        if (failed > 0)
        {
            suite.AddProblem("failed: " + (failedNames.Count > 0 ? Text.Names(failedNames) : "(no FAILED line)"), 0);
        }

        if (okLines + failedNames.Count != passed + failed)
        {
            suite.AddProblem($"output truncated: {okLines + failedNames.Count} case lines for {passed + failed} cases");
        }

        if (status != "run" && failed == 0)
        {
            suite.AddProblem($"ctest status {status} although every case passed: non-zero exit after the last case (last output: {Text.LastLine(output)})");
        }

        if (passed + failed == 0)
        {
            suite.AddProblem("ran no test");
        }
    }

    [GeneratedRegex(@"^ok     \S")]
    private static partial Regex OkLine();

    [GeneratedRegex(@"^FAILED (\S.*)$")]
    private static partial Regex FailedLine();

    [GeneratedRegex(@"^(\d+) passed, (\d+) failed$")]
    private static partial Regex ClosingLine();
}
