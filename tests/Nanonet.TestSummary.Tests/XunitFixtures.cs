namespace Nanonet.TestSummary.Tests;

/// <summary>
/// Three tiny xunit projects written to a temporary folder (outside the repository, so neither nf.proj's globs nor
/// the repository's Directory.Build.props see them; they import a copy of its Directory.Packages.props, so they use
/// the same pinned packages) and run with the real <c>dotnet test --logger trx</c>, as nf.proj runs the real ones:
/// Crash (one test passes, one calls Environment.FailFast), Empty (no test at all), Skip (one passes, one is
/// skipped with a reason).
/// </summary>
public sealed class XunitFixtures : IDisposable
{
    private readonly TempDir _root = new();

    public XunitFixtures()
    {
        File.Copy(Path.Combine(TestPaths.RepoRoot, "Directory.Packages.props"), _root.File("Directory.Packages.props"));
        File.WriteAllText(_root.File("Directory.Build.props"), """
            <Project>
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
                <IsPackable>false</IsPackable>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
            </Project>
            """);
        Write("Crash", """
            public class CrashTests
            {
                [Xunit.Fact] public void Passes() { }
                [Xunit.Fact] public void CrashesTheHost() => System.Environment.FailFast("fixture: the test host dies here");
            }
            """);
        Write("Empty", "public class NotATest { }");
        Write("Skip", """
            public class SkipTests
            {
                [Xunit.Fact] public void Passes() { }
                [Xunit.Fact(Skip = "needs a board")] public void OnTheBoard() { }
            }
            """);
        Results = Path.Combine(_root.Path, "results");
        var runs = new[] { "Crash", "Empty", "Skip" }.Select(name => Task.Run(() => Processes.Run(_root.Path, Processes.Dotnet,
            "test", Path.Combine(_root.Path, name, name + ".csproj"), "--logger", $"trx;LogFileName={name}.trx", "--results-directory", Results))).ToArray();
        Task.WaitAll(runs);
        ExitCodes = new Dictionary<string, int> { ["Crash"] = runs[0].Result.Code, ["Empty"] = runs[1].Result.Code, ["Skip"] = runs[2].Result.Code };
        Outputs = string.Join("\n----\n", runs.Select(r => r.Result.Output));
    }

    /// <summary>The results folder the three runs wrote their TRX files to.</summary>
    public string Results { get; }

    /// <summary>dotnet test's exit code per project.</summary>
    public IReadOnlyDictionary<string, int> ExitCodes { get; }

    /// <summary>What the runs printed (for assertion messages).</summary>
    public string Outputs { get; }

    /// <summary>A scratch folder deleted with the fixture.</summary>
    public string Scratch(string name) => Directory.CreateDirectory(_root.File(name)).FullName;

    public void Dispose() => _root.Dispose();

    private void Write(string name, string code)
    {
        var dir = Directory.CreateDirectory(_root.File(name)).FullName;
        File.WriteAllText(Path.Combine(dir, name + ".csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <PackageReference Include="Microsoft.NET.Test.Sdk" />
                <PackageReference Include="xunit" />
                <PackageReference Include="xunit.runner.visualstudio" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(dir, "Tests.cs"), code);
    }
}
