using System.Globalization;
using System.Text.RegularExpressions;

namespace Nanonet.Packing.Tests;

/// <summary>One line of a golden INDEX.txt: tensor tNNN (flatbuffer index), its name, TFLite type and byte count.</summary>
internal sealed record GoldenEntry(int TensorIndex, string Name, int Type, int Bytes, string File);

/// <summary>
/// The golden per-layer dump of one model (../shared/golden/tensors/MODEL): INDEX.txt and the tNNN.bin file of each
/// of its entries. Missing reference data is a failure, never a skip: a missing INDEX.txt, a listed file that is
/// absent or of the wrong length, or a line that does not parse fails the test naming the file or line.
/// </summary>
internal sealed partial class GoldenIndex
{
    private GoldenIndex(string path, IReadOnlyList<GoldenEntry> entries, sbyte[] output)
    {
        Path = path;
        Entries = entries;
        Output = output;
    }

    /// <summary>Path of INDEX.txt.</summary>
    public string Path { get; }

    /// <summary>Every tNNN line, in file order.</summary>
    public IReadOnlyList<GoldenEntry> Entries { get; }

    /// <summary>The OUT line: the model's final int8 output on the dumped input.</summary>
    public sbyte[] Output { get; }

    /// <summary>The golden dump of a reference model, by its name in ../shared/refmodels.</summary>
    public static GoldenIndex Load(string model) => LoadFrom(System.IO.Path.Combine(TestPaths.Shared, "golden", "tensors", model));

    /// <summary>The golden dump in <paramref name="dir"/>.</summary>
    public static GoldenIndex LoadFrom(string dir)
    {
        string index = System.IO.Path.Combine(dir, "INDEX.txt");
        if (!System.IO.File.Exists(index))
        {
            Assert.Fail($"golden index {index} is missing");
        }
        var entries = new List<GoldenEntry>();
        var seen = new HashSet<int>();
        sbyte[]? output = null;
        var lines = System.IO.File.ReadAllLines(index);
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n];
            if (line.Length == 0)
            {
                continue;
            }
            if (line.StartsWith("OUT ", StringComparison.Ordinal))
            {
                Assert.True(output is null, $"{index} line {n + 1}: a second OUT line");
                output = line[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(v => sbyte.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                continue;
            }
            var m = EntryLine().Match(line);
            Assert.True(m.Success, $"{index} line {n + 1} does not parse: {line}");
            int t = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.True(seen.Add(t), $"{index} line {n + 1}: tensor t{t:D3} listed twice");
            string file = System.IO.Path.Combine(dir, $"t{t:D3}.bin");
            if (!System.IO.File.Exists(file))
            {
                Assert.Fail($"golden tensor {file} (listed in {index} line {n + 1}) is missing");
            }
            int bytes = int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture);
            long length = new FileInfo(file).Length;
            Assert.True(length == bytes, $"golden tensor {file} holds {length} bytes; {index} says {bytes}");
            entries.Add(new GoldenEntry(t, m.Groups[2].Value, int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture), bytes, file));
        }
        Assert.True(entries.Count > 0, $"{index} lists no tensors");
        Assert.True(output is not null, $"{index} has no OUT line");
        return new GoldenIndex(index, entries, output!);
    }

    /// <summary>The entry of flatbuffer tensor <paramref name="tensorIndex"/>; fails naming INDEX.txt when it has none.</summary>
    public GoldenEntry For(int tensorIndex, string what)
    {
        var e = Entries.FirstOrDefault(x => x.TensorIndex == tensorIndex);
        Assert.True(e is not null, $"{Path} has no entry t{tensorIndex:D3} for {what}");
        return e!;
    }

    /// <summary>The int8 values of an entry.</summary>
    public static sbyte[] Read(GoldenEntry e) => Array.ConvertAll(System.IO.File.ReadAllBytes(e.File), b => (sbyte)b);

    [GeneratedRegex(@"^t(\d{3,}) (.+) type=(\d+) bytes=(\d+)$")]
    private static partial Regex EntryLine();
}
