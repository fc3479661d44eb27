namespace Nanonet.TestSummary;

/// <summary>Small text helpers for the summary lines.</summary>
internal static class Text
{
    private const int MaxLine = 240;

    /// <summary>The first non-blank line of <paramref name="text"/>, trimmed and cut to a readable length.</summary>
    public static string FirstLine(string text) =>
        Cut(text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "");

    /// <summary>The last non-blank line of <paramref name="text"/>, trimmed and cut to a readable length.</summary>
    public static string LastLine(string text) =>
        Cut(text.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) ?? "");

    /// <summary>Up to five names, then "and N more".</summary>
    public static string Names(IReadOnlyList<string> names) =>
        string.Join(", ", names.Take(5)) + (names.Count > 5 ? $" and {names.Count - 5} more" : "");

    private static string Cut(string line) => line.Length <= MaxLine ? line : line[..MaxLine] + "...";
}
