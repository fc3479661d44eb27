namespace Nanonet.TestSupport;

/// <summary>
/// Where tests find things: the repository (the folder holding Directory.Build.props, found by walking up from
/// the test assembly) and the reference material in ../shared beside it. Linked into every test project.
/// </summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Shared { get; } = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string Samples => Path.Combine(RepoRoot, "samples");

    public static string Models => Path.Combine(RepoRoot, "models");

    /// <summary>A file of ../shared/refmodels; a name without extension means the .tflite.</summary>
    public static string RefModel(string file) =>
        Path.Combine(Shared, "refmodels", Path.HasExtension(file) ? file : file + ".tflite");

    public static string GoldenInput(string name) => Path.Combine(Shared, "golden", "inputs", name);

    public static string Coco64Images => Path.Combine(Shared, "calib", "coco64", "images");

    public static string Coco64Labels => Path.Combine(Shared, "calib", "coco64", "labels.csv");

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Directory.Build.props")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Directory.Build.props not found above " + AppContext.BaseDirectory);
    }
}
