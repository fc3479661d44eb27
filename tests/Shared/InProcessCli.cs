using Xunit;

namespace Nanonet.TestSupport;

/// <summary>Runs the nanonet CLI in-process and checks its error contract. Linked into the projects that test commands.</summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Nanonet.Cli.Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Asserts a failed run printed exactly one "nanonet: error: ..." line, no stack trace, and returns it.</summary>
    public static string AssertOneLineError((int Code, string Out, string Err) result)
    {
        Assert.NotEqual(0, result.Code);
        var lines = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("nanonet: error: ", lines[0]);
        Assert.DoesNotContain("   at ", result.Err);
        Assert.DoesNotContain("internal error", lines[0]);
        return lines[0];
    }
}
