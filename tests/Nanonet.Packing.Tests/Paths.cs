namespace Nanonet.Packing.Tests;

/// <summary>Locates the repository root (the folder holding Directory.Build.props) and ../shared.</summary>
internal static class Paths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string RefModel(string name) => Path.Combine(Shared, "refmodels", name + ".tflite");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Directory.Build.props")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("repository root (Directory.Build.props) not found");
    }
}
